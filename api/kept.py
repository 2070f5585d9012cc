"""Results kept per neighbourhood and per state of the store: analyses, views and reach are
computed once, and a write makes another computation only for the neighbourhoods it touches.

Each server process follows the store through its event log (:class:`Clock`): when the
store's marks (how many events, the highest number) change, it reads the events it has not
seen, works out the neighbourhoods they touch — an actor's (before and after a move, and those
of the actors linked to it, whose reach and one-hop ring it is part of), both ends' of a link
or a referral, an activity's or a follow-up's — and moves those neighbourhoods' versions on.
A kept result is keyed by its neighbourhood's version, so it holds until a write touches that
neighbourhood, whichever process made the write.

The whole store's snapshot and history (what a coordinator's pages read) are brought up to
date after a write by reading again only the actors the new events name and the links touching
them (:meth:`graph.snapshots.Snapshots.refreshed`), not the whole region.

When the events cannot say exactly what changed — an erasure (its actor is gone), a renamed
neighbourhood, an import undone (events that disappear), more events than one read takes —
every neighbourhood moves on at once: a result is never kept past a change it depends on.

Neo4j numbers events before they commit (:class:`graph.neo4j_store.EventSequence`), so an
event may commit after one with a higher number: the clock reads again the last
:data:`WINDOW_MS` of numbers and counts the events it had not seen, and when their number is
not the growth of the store's count, it takes every neighbourhood as changed.
"""

from __future__ import annotations

import gc
import itertools
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, TypeVar

import networkx as nx

from analysis.graphs import derived
from graph.model import EntityKind, normalise_name, today
from graph.snapshots import cut
from graph.store import GraphStore

T = TypeVar("T")

WINDOW_MS = 10_000  # how long a Neo4j write may take between its number and its commit
NEO4J_WINDOW = (WINDOW_MS << 13) << 10  # in event numbers (graph/neo4j_store.py)
GRAPHS = 6  # the whole store's snapshots and histories kept at once (~100 MB each at 10,000
#: actors), apart from those of one neighbourhood (a few MB each), so that the teams' pages never
#: push out the region's graphs every coordinator page is made from
NEIGHBOURHOOD_GRAPHS = 48
MOST_EVENTS = 2_000  # more new events than this at once (an import): every neighbourhood
TICKS_KEPT = 64  # changes remembered by the actors they name (a whole-store graph refreshed)
MOST_REFRESHED = 500  # more actors named than this since a graph was read: read it again
_SERIALS = itertools.count(1)
_NO_NETWORK = {EntityKind.user.value, EntityKind.token.value, EntityKind.throttle.value}
_PAUSE = threading.Lock()
_paused = 0  # results being made now, in every thread
_resume = False  # whether the collector ran before the first of them


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector held off while a result is made (in any thread; it runs
    again once the last result being made is done, if it ran before the first began).

    Reading a region and analysing it makes millions of objects that live on (the kept
    graph, its records' fields); each time the heap has grown by a quarter, the collector
    walks all of it: 0.23–0.52 s of a 10,000-actor region page's 2–3 s cold, 0.11–0.26 s with
    the collector paused (bench/RESULTS.md). Objects are still freed as soon as nothing
    refers to them; only garbage in cycles waits the few seconds a result takes.
    """
    global _paused, _resume
    with _PAUSE:
        if _paused == 0:
            _resume = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _PAUSE:
            _paused -= 1
            if _paused == 0 and _resume:
                gc.enable()


class Clock:
    """One store's versions per neighbourhood, as this process follows its event log."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.serial = next(_SERIALS)  # a store opened later never meets this one's results
        self.window = NEO4J_WINDOW if store.backend == "neo4j" else 0
        self.lock = threading.Lock()
        self.marks: tuple[int, int] | None = None
        self.recent: dict[str, int] = {}  # events seen within the window: id -> number
        self.tick = 0  # moves on at each change seen
        self.everything_at = 0  # the tick at which every neighbourhood last changed
        self.at: dict[str, int] = {}  # normalised neighbourhood -> the tick it last changed
        self.named: dict[int, frozenset[str]] = {}  # tick -> the actors its events name

    def version(self, scope: str | None) -> int:
        """The version of one neighbourhood's data (``None``: of the whole store)."""
        self.follow()
        if scope is None:
            return self.tick
        return max(self.everything_at, self.at.get(normalise_name(scope), 0))

    def follow(self) -> None:
        """Read what changed since the last look, if anything did (one small read when not)."""
        marks = self.store.event_marks()
        if marks == self.marks:
            return
        with self.lock:
            if marks == self.marks:
                return
            if self.marks is None:  # the first look: nothing is kept yet
                self._catch_up(marks)
                return
            count, last = self.marks
            new_count, new_last, events = self.store.changes_after(
                last - self.window, MOST_EVENTS + 1
            )
            unseen = [e for e in events if e["id"] not in self.recent]
            places = None
            if len(events) <= MOST_EVENTS and len(unseen) == new_count - count:
                places = self._places(unseen)
            self.tick += 1
            if places is None:
                self.everything_at = self.tick
                self.at.clear()
            else:
                for place in places:
                    self.at[place] = self.tick
                self.named[self.tick] = frozenset(
                    a for e in unseen if e["entity"] not in _NO_NETWORK for a in e["actors"]
                )
            self.named.pop(self.tick - TICKS_KEPT, None)
            self.marks = (new_count, new_last)
            self._remember(unseen, new_last)

    def places_since(self, old: int) -> set[str] | None:
        """The neighbourhoods changed after tick ``old`` (normalised), or None when every one
        may have (an erasure, an import, a renamed neighbourhood…)."""
        if self.everything_at > old:
            return None
        return {place for place, tick in self.at.items() if tick > old}

    def named_between(self, old: int, new: int) -> set[str] | None:
        """The actors named by the changes after tick ``old`` up to ``new`` (a whole-store
        graph read at ``old`` is brought to ``new`` by reading these again), or None when
        some change cannot say (an erasure, an import, a renamed neighbourhood)."""
        names: set[str] = set()
        for tick in range(old + 1, new + 1):
            found = self.named.get(tick)
            if found is None:
                return None
            names |= found
        return names

    def _catch_up(self, marks: tuple[int, int]) -> None:
        count, last = marks
        if self.window:
            _, last, events = self.store.changes_after(last - self.window, MOST_EVENTS)
            self._remember(events, last)
        self.marks = (count, last)

    def _remember(self, events: Iterable[dict[str, Any]], last: int) -> None:
        if not self.window:
            return
        self.recent.update((e["id"], int(e["seq"])) for e in events)
        floor = last - self.window
        self.recent = {k: v for k, v in self.recent.items() if v > floor}

    def _places(self, events: list[dict[str, Any]]) -> set[str] | None:
        """The neighbourhoods some events touch, or None when they cannot say."""
        places: set[str] = set()
        ids: set[str] = set()
        ring: set[str] = set()
        for event in events:
            entity = event["entity"]
            if entity in _NO_NETWORK:
                continue
            if entity == EntityKind.neighbourhood.value:
                return None
            for side in (event["before"], event["after"]):
                if side and side.get("erased"):  # an erasure names no one any more
                    return None
                if side and side.get("neighbourhood"):
                    places.add(normalise_name(str(side["neighbourhood"])))
            ids.update(event["actors"])
            if entity == EntityKind.actor.value:
                ring.update(event["actors"])
            elif entity not in {e.value for e in EntityKind}:
                return None
        if ids:
            found, known = self.store.places_of(sorted(ids), sorted(ring))
            if known < len(ids):  # an actor erased since: what it touched is unknown
                return None
            places |= found
        return places


class Kept:
    """The last results, keyed by what they depend on (the newest used are kept)."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self.kept: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self.graphs: OrderedDict[tuple[Any, ...], tuple[int, nx.MultiDiGraph]] = OrderedDict()
        self.clocks: dict[int, Clock] = {}
        self.lock = threading.Lock()
        #: the newest region-wide result of each key, with the version it was made at: what
        #: :meth:`get_or_update` brings up to date
        self.latest: OrderedDict[tuple[Any, ...], tuple[int, Any]] = OrderedDict()

    def clock(self, store: GraphStore) -> Clock:
        with self.lock:
            found = self.clocks.get(id(store))
            if found is None or found.store is not store:
                found = self.clocks[id(store)] = Clock(store)
                while len(self.clocks) > 16:  # stores closed long ago (the tests open many)
                    del self.clocks[next(iter(self.clocks))]
            return found

    def get_or_make(
        self, store: Any, scope: str | None, key: tuple[Any, ...], make: Callable[[], T]
    ) -> T:
        """The result of ``make`` for ``key`` in ``scope`` (a neighbourhood; None: the whole
        store), computed again only once a write has touched that scope. ``store`` is the raw
        store or a reader's facade (whose reach is part of the key)."""
        clock = self.clock(getattr(store, "raw_store", store))
        full = (
            clock.serial,
            scope_key(store),
            None if scope is None else normalise_name(scope),
            clock.version(scope),
            *key,
        )
        with self.lock:
            if full in self.kept:
                self.kept.move_to_end(full)
                found: T = self.kept[full]
                return found
        with collector_paused():
            made = make()
        with self.lock:
            self._keep(full, made)
        return made

    def _keep(self, full: tuple[Any, ...], made: Any) -> None:
        """Keep a result (the lock held), the least recently used let go past :attr:`size`."""
        self.kept[full] = made
        while len(self.kept) > self.size:
            self.kept.popitem(last=False)

    def get_or_update(
        self,
        store: Any,
        key: tuple[Any, ...],
        make: Callable[[], T],
        update: Callable[[T, set[str]], T],
    ) -> T:
        """The region-wide result of ``make`` for ``key``, as :meth:`get_or_make` keeps it;
        after writes, ``update(earlier, places)`` brings the newest one made up to date from
        the neighbourhoods changed since (normalised names) instead of ``make`` (when the
        writes cannot say which changed: ``make``)."""
        clock = self.clock(getattr(store, "raw_store", store))
        version = clock.version(None)
        base = (clock.serial, scope_key(store), *key)
        full = (clock.serial, scope_key(store), None, version, *key)
        with self.lock:
            if full in self.kept:
                self.kept.move_to_end(full)
                found: T = self.kept[full]
                return found
            earlier = self.latest.get(base)
        places = clock.places_since(earlier[0]) if earlier is not None else None
        with collector_paused():
            made = make() if earlier is None or places is None else update(earlier[1], places)
        with self.lock:
            self._keep(full, made)
            if base not in self.latest or self.latest[base][0] <= version:
                self.latest[base] = (version, made)
                self.latest.move_to_end(base)
            while len(self.latest) > self.size // 4:
                self.latest.popitem(last=False)
        return made

    def graph(
        self, store: Any, scope: str | None, day: date | None, *, history: bool = False
    ) -> nx.MultiDiGraph:
        """The snapshot on ``day`` (today by default), or the ``history``, of a neighbourhood
        (None: the whole store) as ``store`` reads it: read once per version of that scope and
        shared by every page and analysis that asks (the meeting's isolation and bridging, the
        dashboard's growth, comparison and referrals). Frozen: a reader cannot change it.

        The store's graph is kept, and what a reader's facade may see of it (its
        ``visible_graph``) beside it. After writes, the whole store's graph is brought up to
        date from the actors the writes name (:meth:`graph.snapshots.Snapshots.refreshed`)
        instead of being read whole again."""
        raw = getattr(store, "raw_store", store)
        clock = self.clock(raw)
        day = None if history else (day or today())
        place = None if scope is None else normalise_name(scope)
        version = clock.version(scope)

        def read(old: tuple[int, nx.MultiDiGraph] | None) -> nx.MultiDiGraph:
            if old is not None and scope is None:
                named = clock.named_between(old[0], version)
                if named is not None and len(named) <= MOST_REFRESHED:
                    new = nx.freeze(raw.refreshed(old[1], sorted(named), as_of=day))
                    derived(new, old[1], named)  # what only these actors change: patched
                    return new
            if day is None:
                return raw.history(neighbourhood=scope)
            if scope is None:  # the region's history kept as the store is now: cut, not read
                history = self._current((clock.serial, "store", None, None), version)
                if history is not None:
                    return cut(history, day)
            return raw.snapshot(day, neighbourhood=scope)

        whole = self._graph((clock.serial, "store", place, day), version, read)
        shown = getattr(store, "visible_graph", None)
        if shown is None or getattr(store, "sees_everything", False):
            return whole
        return self._graph((clock.serial, scope_key(store), place, day), version,
                           lambda _: shown(whole))  # fmt: skip

    def _current(self, key: tuple[Any, ...], version: int) -> nx.MultiDiGraph | None:
        """The graph kept under ``key``, if it was made at ``version``."""
        with self.lock:
            found = self.graphs.get(key)
        return found[1] if found is not None and found[0] == version else None

    def _graph(
        self,
        key: tuple[Any, ...],
        version: int,
        read: Callable[[tuple[int, nx.MultiDiGraph] | None], nx.MultiDiGraph],
    ) -> nx.MultiDiGraph:
        """The graph kept under ``key`` at ``version``, or ``read`` from the one kept at an
        earlier version (None: none kept), frozen and kept."""
        with self.lock:
            found = self.graphs.get(key)
            if found is not None and found[0] == version:
                self.graphs.move_to_end(key)
                return found[1]
        with collector_paused():
            graph = read(found)
        if not nx.is_frozen(graph):
            nx.freeze(graph)
        with self.lock:
            self.graphs[key] = (version, graph)
            self._make_room(key[2] is None)
        return graph

    def _make_room(self, whole: bool) -> None:
        """The least recently used graphs of the whole store (``whole``) or of one
        neighbourhood forgotten beyond their number (under the lock)."""
        most = GRAPHS if whole else NEIGHBOURHOOD_GRAPHS
        alike = [key for key in self.graphs if (key[2] is None) == whole]
        for key in alike[: max(0, len(alike) - most)]:
            del self.graphs[key]

    def forget(self) -> None:
        with self.lock:
            self.kept.clear()
            self.latest.clear()
            self.graphs.clear()
            self.clocks.clear()


def scope_key(store: Any) -> tuple[Any, ...]:
    """What a kept result depends on besides the store's state: which store, and what the
    reader may see of it (a reader's facade says; the raw store sees everything)."""
    key: tuple[Any, ...] | None = getattr(store, "scope_key", None)
    return key if key is not None else (id(store), "all")


KEPT = Kept()
