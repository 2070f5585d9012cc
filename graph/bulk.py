"""Writes of many records at once, each in one transaction: an import (new actors, changed
actors, new and changed links, all or nothing) and a restore (every record and event of a
backup, with their ids). ``ingest/`` plans them; this is where they are written."""

from __future__ import annotations

import gc
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from pydantic import BaseModel

from graph.entities import SPECS, EntitySpec
from graph.errors import Conflict, InvalidInput, Say
from graph.events import make_event
from graph.model import EntityKind, EventAction, EventFilter, new_id, now, stamp
from graph.records import RecordEngine
from graph.tx import MAX_PAGE, ReadTx, Record, WriteTx
from graph.validation import check_user, describe, validate

#: the pause between two chunks of an import, for a waiting writer to take its turn
TURN = 0.002
#: an import whose journal was not touched for this long was stopped
STALE_IMPORT = timedelta(minutes=2)

log = logging.getLogger("maillage.import")

#: what a backup holds, in the order a restore writes it (references first)
BACKED_UP = (
    EntityKind.neighbourhood,
    EntityKind.actor,
    EntityKind.link,
    EntityKind.activity,
    EntityKind.referral,
    EntityKind.follow_up,
    EntityKind.observation,
    EntityKind.crisis,
    EntityKind.user,
)


Row = Mapping[str, Any] | BaseModel  # a validated model is not validated again
T = TypeVar("T")


@dataclass
class Batch:
    """What an import writes. New records come with the ids the plan gave them (a source's
    stable id, or a new one), so new links can name new actors and an export imports back
    with its ids; links name actors by id (existing or new)."""

    new_actors: list[tuple[str, Row]] = field(default_factory=list)
    changed_actors: list[tuple[str, Mapping[str, Any]]] = field(default_factory=list)
    new_links: list[tuple[str, Row]] = field(default_factory=list)
    changed_links: list[tuple[str, Mapping[str, Any]]] = field(default_factory=list)

    def parts(self, size: int) -> Iterator[Batch]:
        """The batch in parts of at most ``size`` records, in its order (actors made, actors
        changed, links made, links changed: a link's actors come before it)."""
        part = Batch()
        for name in ("new_actors", "changed_actors", "new_links", "changed_links"):
            for item in getattr(self, name):
                getattr(part, name).append(item)
                if len(part) >= size:
                    yield part
                    part = Batch()
        if len(part):
            yield part

    def __len__(self) -> int:
        return (
            len(self.new_actors)
            + len(self.changed_actors)
            + len(self.new_links)
            + len(self.changed_links)
        )


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while an import or a restore builds and writes a few
    hundred thousand small objects: each of its passes walks the growing heap again (a fifth
    of an import's time, bench/RESULTS.md). They hold no cycles, so reference counting frees
    them all the same; the collector resumes (if it ran before) when the work ends."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@contextmanager
def made_ahead(items: Iterable[T], depth: int = 2) -> Iterator[Iterator[T]]:
    """The items of ``items`` made by a thread of their own, at most ``depth`` ahead of the
    one taken: an import's next chunk is read and made ready (records, checks, events) while
    the store writes the one before, so the machine's second core works too (on Neo4j the
    client waits for the server two thirds of the time: bench/RESULTS.md). What ``items``
    raises is raised where the item would have been taken, in order; leaving the block early
    stops the thread at its next item."""
    handed: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def hand(done: bool, value: Any) -> bool:
        while not stop.is_set():
            try:
                handed.put((done, value), timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def make() -> None:
        source = iter(items)
        try:
            for item in source:
                if not hand(False, item):
                    return
        except BaseException as exc:  # handed to the taker, raised there
            hand(True, exc)
        else:
            hand(True, None)
        finally:
            close = getattr(source, "close", None)
            if close is not None:  # a generator stopped early: its cleanup runs now
                close()

    def taken() -> Iterator[T]:
        while True:
            done, value = handed.get()
            if not done:
                yield value
            elif value is None:
                return
            else:
                raise value

    thread = threading.Thread(target=make, name="made-ahead", daemon=True)
    thread.start()
    try:
        yield taken()
    finally:
        stop.set()
        thread.join()


@dataclass
class _Part:
    """A chunk of an import made ready before its transaction: its new records made and
    checked on their own, with their creation events."""

    batch: Batch
    actors: list[Record]
    links: list[Record]
    actor_events: list[Record]
    link_events: list[Record]


class Bulk(RecordEngine):
    """Imports and restores, on any adapter."""

    #: records an import writes per transaction: on SQLite, one writer at a time, other users'
    #: writes wait at most for one chunk (about 60 ms); an adapter may take more at once
    import_chunk = 1000

    def import_batch(self, batch: Batch, *, by: str) -> dict[str, int]:
        """Write a planned import in one transaction: everything or, on any refusal, nothing.

        The rules are those of single writes (validation, references, duplicates, dates that
        agree, nothing attached to an ended actor), with one event per record written; ``by``
        names who imported and from what (``amina (import: map.xlsx)``).
        """
        return self.import_batches([batch], by=by)

    def import_batches(self, batches: Iterable[Batch], *, by: str) -> dict[str, int]:
        """Write the batches of one import, all or nothing, ``import_chunk`` records per
        transaction, so that other users' writes wait for one chunk, not for the import
        (SQLite has one writer at a time). ``batches`` should be planned and checked before
        (``ingest.plan`` spills them to a file): a batch refused here, or anything raised by
        the generator, undoes the chunks already written, from the import's events (records
        made are deleted, records changed get their state before). A journal names the
        import until its last chunk; an import whose process stopped is undone by the next
        import or at the next start (:meth:`recover_imports`). While it is written, readers
        see the chunks written so far."""
        user = check_user(by)
        self.recover_imports()
        when = now()
        job = {"id": new_id(), "user": user, "at": stamp(when), "touched": stamp(now())}
        self._write(lambda tx: tx.start_import(job))
        totals = {"actors_created": 0, "actors_updated": 0, "links_created": 0,
                  "links_updated": 0}  # fmt: skip
        current: list[Record] = []  # the chunk being written: a conflict is explained by it
        known: dict[str, Record] = {}  # actors as this import has them, read once

        def writer(part: _Part) -> Callable[[WriteTx], dict[str, int]]:
            def work(tx: WriteTx) -> dict[str, int]:
                tx.touch_import(job["id"], stamp(now()))
                return self._write_batch(tx, part, user, when, current, known)

            return work

        def parts() -> Iterator[_Part]:
            for batch in batches:
                for part in batch.parts(self.import_chunk):
                    yield self._made(part, user, when)

        try:
            with collector_paused(), self._bulk(), made_ahead(parts()) as ready:
                for part in ready:
                    current.clear()
                    current.extend(part.actors)
                    current.extend(part.links)
                    counts = self._write(writer(part))
                    for name, count in counts.items():
                        totals[name] += count
                    time.sleep(TURN)  # whoever waits to write takes the turn now
        except BaseException as exc:
            self._undo_import(job)
            if isinstance(exc, Conflict):
                explained = self._explain_conflict(SPECS[EntityKind.actor], current, exc)
                if explained is exc:
                    explained = self._explain_conflict(SPECS[EntityKind.link], current, exc)
                raise explained from exc
            raise
        self._write(lambda tx: tx.finish_import(job["id"]))
        return totals

    def recover_imports(self) -> int:
        """Undo the imports whose writing stopped (their process killed): their journal was
        not touched for ``STALE_IMPORT``. The number undone."""
        jobs = self._read(lambda tx: tx.unfinished_imports())
        limit = stamp(now() - STALE_IMPORT)
        stale = [job for job in jobs if job["touched"] < limit]
        for job in stale:
            log.warning("undoing the import by %s at %s: its writing stopped", job["user"],
                        job["at"])  # fmt: skip
            self._undo_import(job)
        return len(stale)

    def _undo_import(self, job: Record) -> None:
        """Undo what an import wrote, in one transaction, and forget its events. An actor it
        made that another user has linked since is kept (with that link)."""

        def work(tx: WriteTx) -> list[str]:
            events = tx.import_events(job["user"], job["at"])
            made: dict[str, list[str]] = {"actor": [], "link": []}
            for event in reversed(events):
                if event["action"] == EventAction.create.value:
                    made[event["entity"]].append(event["entity_id"])
                elif event["before"] is not None:
                    tx.replace(EntityKind(event["entity"]), event["before"])
            kept = tx.unmake(made["link"], made["actor"])
            tx.drop_events([event["seq"] for event in events])
            tx.finish_import(job["id"])
            return kept

        kept = self._write(work)
        if kept:
            log.warning("an undone import kept %d actors other users linked since", len(kept))

    def _made(self, batch: Batch, user: str, when: datetime) -> _Part:
        """What a chunk's transaction writes that needs no reading of the store: its new
        records (refused, with every problem, if a row is bad; or two rows one record) and
        their creation events."""
        actor_spec, link_spec = SPECS[EntityKind.actor], SPECS[EntityKind.link]

        def made(
            spec: EntitySpec, rows: list[tuple[str, Row]]
        ) -> tuple[list[Record], list[dict[str, Any]]]:
            ids = [record_id for record_id, _ in rows]
            return self._new_records(spec, [r for _, r in rows], user, when, ids, check=False)

        actors, problems = made(actor_spec, batch.new_actors)
        links, link_problems = made(link_spec, batch.new_links)
        problems += link_problems
        if problems:
            raise InvalidInput(describe(problems, rows=True), details=problems)
        self._check_batch_duplicates(actor_spec, actors)
        self._check_batch_duplicates(link_spec, links)

        def created(kind: EntityKind, records: list[Record]) -> list[Record]:
            return [make_event(EventAction.create, kind, user, when, None, r) for r in records]

        return _Part(batch, actors, links, created(EntityKind.actor, actors),
                     created(EntityKind.link, links))  # fmt: skip

    def _write_batch(
        self,
        tx: WriteTx,
        part: _Part,
        user: str,
        when: datetime,
        attempted: list[Record],
        known: dict[str, Record],
    ) -> dict[str, int]:
        actor_spec, link_spec = SPECS[EntityKind.actor], SPECS[EntityKind.link]
        actors, links = part.actors, part.links
        changed = {"actors": 0, "links": 0}
        events = list(part.actor_events)
        self._check_places(tx, actor_spec, actors)
        tx.insert_many(EntityKind.actor, actors)
        known.update((a["id"], a) for a in actors)
        for spec, changes in (
            (actor_spec, part.batch.changed_actors),
            (link_spec, part.batch.changed_links),
        ):
            for record_id, patch in changes:
                before, after = self._change(tx, spec, record_id, patch, user, when, attempted)
                known.pop(record_id, None)
                if after is not None:
                    changed[f"{spec.word}s"] += 1
                    events.append(
                        make_event(EventAction.update, spec.kind, user, when, before, after)
                    )
        self._check_references(tx, link_spec, links)
        events.extend(self._agree_in_time(tx, link_spec, links, user, when, known))
        tx.insert_many(EntityKind.link, links)
        events.extend(part.link_events)
        tx.append_events(events)
        return {
            "actors_created": len(actors),
            "actors_updated": changed["actors"],
            "links_created": len(links),
            "links_updated": changed["links"],
        }

    # ------------------------------------------------------------------ backup and restore

    def backup(self) -> dict[str, Any]:
        """Everything the store holds, as plain data: every record of every kind (ended and
        retracted ones too; erased ones are gone), users with their password hashes (no
        tokens), the events in order, and the layout positions. Read in one transaction."""

        def work(tx: ReadTx) -> dict[str, Any]:
            records = {kind.value: tx.every(kind) for kind in BACKED_UP}
            events: list[Record] = []
            while True:
                page, _ = tx.events(EventFilter(), MAX_PAGE, len(events))
                events.extend(page)
                if len(page) < MAX_PAGE:
                    break
            return {"records": records, "events": events, "positions": tx.positions()}

        return self._read(work)

    def is_empty(self) -> bool:
        """Nothing recorded: no record of any kind and no event."""
        return not any(self._read(lambda tx: tx.counts()).values())

    def restore(self, backup: Mapping[str, Any], *, replace: bool = False) -> dict[str, int]:
        """Write a backup into an empty store, in one transaction: the same records with the
        same ids, the same events in the same order (numbered again by this store), the same
        positions. A store that holds anything is refused, unless ``replace`` says to delete
        everything it holds first (in the same transaction: a refused restore deletes
        nothing)."""
        if not replace and not self.is_empty():
            raise Conflict(
                Say(
                    "this store is not empty: a backup is restored into an empty store, or "
                    "replaces everything when told to (maillage restore --replace)"
                )
            )
        records: Mapping[str, Sequence[Record]] = backup.get("records") or {}
        unknown = sorted(set(records) - {k.value for k in BACKED_UP})
        if unknown:
            raise InvalidInput(Say("a backup holds no records of kind {kind}", kind=unknown[0]))
        events: Sequence[Record] = backup.get("events") or []
        for kind in BACKED_UP:
            spec = SPECS[kind]
            if spec.record is None:
                continue
            for index, record in enumerate(records.get(kind.value, [])):
                try:
                    validate(spec.record, record)
                except InvalidInput as exc:
                    raise InvalidInput(
                        Say(
                            "{kind} {row} of the backup: {problem}",
                            kind=kind.value,
                            row=index + 1,
                            problem=exc.message,
                        ),
                        details=exc.details,
                    ) from exc

        def work(tx: WriteTx) -> None:
            if replace:
                tx.wipe()
            for kind in BACKED_UP:
                rows = [dict(r) for r in records.get(kind.value, [])]
                if rows:
                    tx.insert_many(kind, rows)
            tx.append_events([{k: v for k, v in e.items() if k != "seq"} for e in events])
            positions = backup.get("positions") or []
            if positions:
                tx.save_positions(positions, True)

        with collector_paused():
            self._write_many(work)
        return {kind.value: len(records.get(kind.value, [])) for kind in BACKED_UP} | {
            "events": len(events)
        }
