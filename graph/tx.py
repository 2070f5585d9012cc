"""What an adapter gives the shared store logic: read and write transactions over its storage.

Everything that must behave the same on SQLite and Neo4j is written once (``graph/records.py``,
``graph/paths.py``, ``graph/snapshots.py``, ``graph/users.py``) on top of these two protocols;
an adapter implements them and the two hooks ``_read``/``_write`` that run a unit of work in one
transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel

from graph.errors import InvalidInput
from graph.model import EntityKind, EventFilter

Record = dict[str, Any]
R = TypeVar("R")
T = TypeVar("T")

MAX_PAGE = 1000
MAX_OFFSET = 10_000_000


class WriteTx(Protocol):
    """What a write transaction of an adapter offers."""

    def get(self, entity: EntityKind, record_id: str) -> Record | None: ...
    def get_many(self, entity: EntityKind, ids: Sequence[str]) -> list[Record]: ...
    def every(self, entity: EntityKind) -> list[Record]: ...
    def existing(self, entity: EntityKind, ids: Sequence[str]) -> set[str]: ...
    def lock(self, entity: EntityKind, record_id: str) -> None:
        """Hold the record until the transaction ends (a read, change, write of one record
        that two writers may make at once: a crisis list's calls)."""

    def insert_many(self, entity: EntityKind, records: Sequence[Record]) -> None: ...
    def replace(self, entity: EntityKind, record: Record) -> None: ...
    def delete_many(self, entity: EntityKind, ids: Sequence[str]) -> None: ...
    def open_links_of(self, actor_id: str) -> list[Record]: ...
    def append_events(self, events: Sequence[Record]) -> None: ...
    def insert_with_events(
        self, entity: EntityKind, records: Sequence[Record], events: Sequence[Record]
    ) -> bool:
        """Records of one kind and their events, written together; False if nothing was
        written because an actor's neighbourhood is not recorded (only where
        :meth:`guards_places` said the write would look)."""

    def guards_places(self, entity: EntityKind, records: Sequence[Record]) -> bool:
        """Whether :meth:`insert_with_events` writes these records only if each one's
        neighbourhood is recorded (and nothing otherwise), so that the check needs no read
        before it: one round trip to the server less for each actor recorded on Neo4j."""

    def save_positions(self, rows: Sequence[Record], replace: bool) -> None: ...
    def erase_actor(self, actor_id: str) -> list[str]: ...
    def activities_with(self, actor_id: str) -> list[Record]: ...
    def observations_from(self, actor_id: str) -> list[Record]: ...
    def crises_calling(self, actor_id: str) -> list[Record]: ...
    def scrub_events(self, actor_id: str, record_ids: Sequence[str], gone: Record) -> None: ...
    def wipe(self) -> None: ...
    # an import written a chunk per transaction keeps a journal, to be undone if it stops
    def start_import(self, job: Record) -> None: ...
    def touch_import(self, job_id: str, touched: str) -> None: ...
    def finish_import(self, job_id: str) -> None: ...
    def import_events(self, user: str, at: str) -> list[Record]: ...
    def drop_events(self, seqs: Sequence[int]) -> None: ...
    def unmake(self, link_ids: Sequence[str], actor_ids: Sequence[str]) -> list[str]: ...


class ReadTx(Protocol):
    """What a read transaction of an adapter offers."""

    def get(self, entity: EntityKind, record_id: str) -> Record | None: ...
    def get_many(self, entity: EntityKind, ids: Sequence[str]) -> list[Record]: ...
    def find_by_key(self, entity: EntityKind, key: str) -> Record | None: ...
    def query(
        self, entity: EntityKind, filters: BaseModel, limit: int, offset: int
    ) -> tuple[list[Record], int]: ...
    def links_touching(self, ids: Sequence[str], as_of: date | None) -> list[Record]: ...
    def all(self, entity: EntityKind, as_of: date | None) -> list[Record]: ...
    def every(self, entity: EntityKind) -> list[Record]: ...
    def in_scope(
        self, place: str, as_of: date | None, ever: bool
    ) -> tuple[list[Record], list[Record]]: ...
    def around(
        self, ids: Sequence[str], as_of: date | None, ever: bool
    ) -> tuple[list[Record], list[Record]]: ...
    def event_marks(self) -> tuple[int, int]: ...
    def events_after(self, seq: int, limit: int) -> list[Record]: ...
    def places_of(self, actor_ids: Sequence[str], ring: Sequence[str]) -> tuple[set[str], int]: ...
    def events(self, filters: EventFilter, limit: int, offset: int) -> tuple[list[Record], int]: ...
    def counts(self) -> dict[str, int]: ...
    def last_event(self) -> int: ...
    def positions(self, ids: Sequence[str] | None = None) -> list[Record]: ...
    def unfinished_imports(self) -> list[Record]: ...


class Transactional:
    """The two hooks every adapter implements: run ``work`` in one transaction."""

    backend = "base"

    def _write(self, work: Callable[[WriteTx], R]) -> R:
        raise NotImplementedError

    def _read(self, work: Callable[[ReadTx], R]) -> R:
        raise NotImplementedError

    def _write_many(self, work: Callable[[WriteTx], R]) -> R:
        """One transaction of many records (a restore): the adapter may tune itself for it
        (:meth:`_bulk`); by default a write like any other."""
        with self._bulk():
            return self._write(work)

    @contextmanager
    def _bulk(self) -> Iterator[None]:
        """While many records are written (an import's chunks, a restore): the adapter may
        tune itself for it; by default nothing changes."""
        yield

    def close(self) -> None:
        raise NotImplementedError


def chunks(rows: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Consecutive slices of at most ``size`` rows (for bulk statements).

    >>> [list(c) for c in chunks([1, 2, 3, 4, 5], 2)]
    [[1, 2], [3, 4], [5]]
    """
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def page_bounds(limit: int, offset: int) -> tuple[int, int]:
    """A page's limit and offset, refused with a clear message when out of range."""
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"'limit' must be between 1 and {MAX_PAGE}, not {limit}")
    if not 0 <= offset <= MAX_OFFSET:
        raise InvalidInput(f"'offset' must be between 0 and {MAX_OFFSET}, not {offset}")
    return limit, offset
