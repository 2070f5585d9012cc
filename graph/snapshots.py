"""The network as NetworkX graphs (on a date, or its whole history), the event log, the counts
and the stored layout positions: what analysis, views and audits read."""

from __future__ import annotations

import functools
import math
import types
import typing
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import networkx as nx
import orjson
from pydantic import BaseModel, ConfigDict, create_model
from pydantic.fields import FieldInfo

from graph.errors import InvalidInput
from graph.model import Actor, EntityKind, Event, EventFilter, Link, Page, normalise_name, today
from graph.tx import ReadTx, Record, Transactional, WriteTx, page_bounds


class Snapshots(Transactional):
    """Snapshots, history, events, counts and positions, on any adapter."""

    def list_events(
        self, filters: EventFilter | None = None, *, limit: int = 100, offset: int = 0
    ) -> Page[Event]:
        limit, offset = page_bounds(limit, offset)
        rows, total = self._read(lambda tx: tx.events(filters or EventFilter(), limit, offset))
        items = [Event.model_validate(r) for r in rows]
        return Page[Event](items=items, total=total, limit=limit, offset=offset)

    def snapshot(
        self, as_of: date | None = None, *, neighbourhood: str | None = None
    ) -> nx.MultiDiGraph:
        """The network on ``as_of`` (today by default) as a NetworkX multigraph.

        Nodes are actor ids with every actor field; edges go source → target, keyed by link id,
        with every link field (``directed`` tells whether the type has a direction).

        With ``neighbourhood``, only that neighbourhood is read from the store (in SQL or
        Cypher, never the whole region): its actors, the links touching them, and the actors at
        their other ends (the one-hop ring, ``graph.graph["scope"]`` names the neighbourhood).
        """

        def work(tx: ReadTx) -> tuple[list[Record], list[Record]]:
            if neighbourhood is not None:
                return tx.in_scope(normalise_name(neighbourhood), as_of, False)
            return tx.all(EntityKind.actor, as_of), tx.all(EntityKind.link, as_of)

        actors, links = self._read(work)
        graph = nx.MultiDiGraph(as_of=(as_of or today()).isoformat(), store=self.backend)
        return _filled(graph, actors, links, neighbourhood)

    def history(self, *, neighbourhood: str | None = None) -> nx.MultiDiGraph:
        """Every actor and link ever recorded, ended ones included, as one multigraph.

        The same fields as :meth:`snapshot`; ``since``/``until`` tell when each was true, so
        analysis can cut the network at any date without going back to the store. With
        ``neighbourhood``, that neighbourhood and its one-hop ring only, as :meth:`snapshot`.
        """

        def work(tx: ReadTx) -> tuple[list[Record], list[Record]]:
            if neighbourhood is not None:
                return tx.in_scope(normalise_name(neighbourhood), None, True)
            return tx.every(EntityKind.actor), tx.every(EntityKind.link)

        actors, links = self._read(work)
        graph = nx.MultiDiGraph(history=True, store=self.backend)
        return _filled(graph, actors, links, neighbourhood)

    def refreshed(
        self, graph: nx.MultiDiGraph, actor_ids: Sequence[str], *, as_of: date | None = None
    ) -> nx.MultiDiGraph:
        """``graph`` — the whole store's snapshot on ``as_of`` (or its history, when the graph
        says ``history``) read earlier — brought up to date after writes that name the actors
        ``actor_ids`` (an actor's records, a link's two ends): those actors and the links
        touching them are read again, everything else is shared with ``graph``, which stays as
        it was. Equal to reading the whole store again (``tests/contract/test_kept_results.py``),
        in a few milliseconds where the read takes one or two seconds at 10,000 actors. When
        nothing it shows changed (a write after its day, or a field it does not hold), ``graph``
        itself is returned, and what was derived from it holds."""
        ever = bool(graph.graph.get("history"))
        ids = sorted(set(actor_ids))
        actors, links = self._read(lambda tx: tx.around(ids, as_of, ever))
        touched = set(ids).union(*(r[end] for r in links for end in ("source", "target")))
        for actor_id in ids:
            if actor_id in graph:
                touched.update(graph._succ[actor_id], graph._pred[actor_id])
        new = _copied(graph, touched)
        new.remove_nodes_from(ids)
        _filled(new, actors, sorted(links, key=lambda r: str(r["id"])), None)
        if all(_same_actor(graph, new, actor_id) for actor_id in ids):
            return graph  # nothing it shows changed (a past day's snapshot, mostly): kept whole
        new._node = {n: new._node[n] for n in sorted(new._node)}  # as a full read: by id
        return new

    def changes_after(self, seq: int, limit: int) -> tuple[int, int, list[Record]]:
        """The events numbered after ``seq`` (at most ``limit``), with the number of events and
        the highest number, read in one transaction (:mod:`api.kept` follows the store by them)."""

        def work(tx: ReadTx) -> tuple[int, int, list[Record]]:
            count, last = tx.event_marks()
            return count, last, tx.events_after(seq, limit)

        return self._read(work)

    def event_marks(self) -> tuple[int, int]:
        """How many events there are, and the highest number."""
        return self._read(lambda tx: tx.event_marks())

    def places_of(self, actor_ids: Sequence[str], ring: Sequence[str] = ()) -> tuple[set[str], int]:
        """The normalised neighbourhoods of some actors (and of the actors linked to those in
        ``ring``), and how many of ``actor_ids`` the store knows."""
        return self._read(lambda tx: tx.places_of(actor_ids, ring))

    def warm_up(self) -> None:
        """Make the reads every page starts with once, and ask for the whole network on a day
        before any record (nothing comes back), so that a region's first page finds their plans
        made: Neo4j plans a query at its first run (0.1–0.3 s each, 0.7 s of the first region
        page after the server started; bench/RESULTS.md)."""
        never = date(1, 1, 1)

        def work(tx: ReadTx) -> None:
            _, last = tx.event_marks()  # what each page's kept results follow (api/kept.py)
            tx.events_after(last, 1)
            tx.all(EntityKind.actor, never)
            tx.all(EntityKind.link, never)

        self._read(work)

    def counts(self) -> dict[str, int]:
        return self._read(lambda tx: tx.counts())

    def version(self) -> int:
        """A number that changes with every write to the data (SQLite: the last event's number;
        Neo4j: the count of events with the highest number), so a result computed from the data
        holds as long as the version does."""
        return self._read(lambda tx: tx.last_event())

    # -- layout positions (presentation, not domain data: no events, no history)

    def positions(self, ids: Sequence[str] | None = None) -> dict[str, tuple[float, float]]:
        """The stored layout: actor id -> (x, y), the same for every view and every date (of
        the actors ``ids`` only, when given: a neighbourhood's view reads its own)."""
        rows = self._read(lambda tx: tx.positions(ids))
        return {r["id"]: (float(r["x"]), float(r["y"])) for r in rows}

    def save_positions(
        self, positions: Mapping[str, tuple[float, float]], *, replace: bool = False
    ) -> None:
        """Store positions of actors (unknown ids are refused); ``replace`` forgets the others."""
        rows: list[Record] = []
        for actor_id, (x, y) in positions.items():
            if not (math.isfinite(x) and math.isfinite(y)):
                raise InvalidInput(f"the position of {actor_id!r} is not a finite number")
            rows.append({"id": actor_id, "x": float(x), "y": float(y)})

        def work(tx: WriteTx) -> None:
            ids: list[str] = [str(r["id"]) for r in rows]
            missing = set(ids) - tx.existing(EntityKind.actor, ids)
            if missing:
                raise InvalidInput(f"no actor has the id {sorted(missing)[0]!r}")
            tx.save_positions(rows, replace)

        self._write(work)


#: each stored record (its JSON, exactly) as a node's or an edge's fields, made once per process:
#: checking and converting 57,000 records took 1.4 of the 1.7 s of reading a 10,000-actor region
_FIELDS: dict[bytes, dict[str, Any]] = {}
_MOST_FIELDS = 500_000  # then forgotten all at once (records changed since are never asked)


def _fields(model: type[Actor] | type[Link], record: Record) -> dict[str, Any]:
    """A record's fields as ``model`` reads them: the same record (byte for byte) gives the
    same fields, and a record read once was valid then and stays valid (dates only ever move
    into the past), so they are computed once — by :func:`stored`'s model, as the record was
    checked when it was written."""
    key = model.__name__.encode() + orjson.dumps(record)
    found = _FIELDS.get(key)
    if found is None:
        if len(_FIELDS) > _MOST_FIELDS:
            _FIELDS.clear()
        found = _FIELDS[key] = stored(model).model_validate(record).model_dump()
    return found


@functools.cache
def stored(model: type[BaseModel]) -> type[BaseModel]:
    """``model`` for records read back from the store: the same fields, types and defaults, so
    the same ``model_dump``, without the checks and clean-ups a record went through when it was
    written (its validators, constraints, a date not in the future…) — 40 % less time to read
    a region's 57,000 records the first time. Equal to ``model`` on every stored record
    (``tests/graph/test_stored_records.py``).

    Examples
    --------
    >>> record = {"id": "l1", "source": "a", "target": "b", "type": "KNOWS",
    ...           "since": "2025-01-02", "recorded_by": "amina",
    ...           "recorded_at": "2025-01-02T10:00:00+00:00", "directed": False}
    >>> stored(Link).model_validate(record).model_dump() == Link.model_validate(record).model_dump()
    True
    """
    fields: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        kind = _bare(field.annotation)
        if field.default_factory is not None:
            fields[name] = (kind, FieldInfo(default_factory=field.default_factory))
        else:
            fields[name] = (kind, ... if field.is_required() else field.default)
    return create_model(f"Stored{model.__name__}", __config__=ConfigDict(extra="ignore"), **fields)


def _bare(kind: Any) -> Any:
    """A type without its checks: ``Annotated`` metadata dropped, models made :func:`stored`,
    inside unions, lists and dicts too."""
    origin = typing.get_origin(kind)
    if origin is typing.Annotated:
        return _bare(typing.get_args(kind)[0])
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return stored(kind)
    args = typing.get_args(kind)
    if origin is None or not args:
        return kind
    inner = tuple(_bare(a) for a in args)
    if origin in (typing.Union, types.UnionType):
        return typing.Union[inner]  # noqa: UP007 - made at run time
    return origin[inner if len(inner) > 1 else inner[0]]


def _same_actor(graph: nx.MultiDiGraph, new: nx.MultiDiGraph, actor_id: str) -> bool:
    """Whether an actor's fields and links are the same in both graphs (or it is in neither)."""
    return bool(
        graph._node.get(actor_id) == new._node.get(actor_id)
        and graph._succ.get(actor_id) == new._succ.get(actor_id)
        and graph._pred.get(actor_id) == new._pred.get(actor_id)
    )


def cut(history: nx.MultiDiGraph, day: date) -> nx.MultiDiGraph:
    """The whole store's snapshot on ``day``, cut from its history (:meth:`Snapshots.history`
    without a neighbourhood) instead of read: a record is true from its ``since`` (included)
    to its ``until`` (excluded), as the stores select it, and the history holds every record
    as a snapshot reads it. Actors and links come in id order, as a read gives them; the
    fields' dicts are shared with ``history`` (as :meth:`Snapshots.refreshed` shares them).
    Equal to :meth:`Snapshots.snapshot` on both stores (``tests/contract/test_kept_results.py``),
    in 0.1 s where reading a 10,000-actor region's snapshot again takes 1–1.5 s.

    A neighbourhood's history cannot be cut: its one-hop ring is every actor ever linked to it,
    where a snapshot's is the actors linked to it on that day.
    """
    if not history.graph.get("history") or history.graph.get("scope") is not None:
        raise ValueError("only the whole store's history can be cut at a date")
    graph = nx.MultiDiGraph(as_of=day.isoformat(), store=history.graph.get("store"))
    nodes, succ, pred = graph._node, graph._succ, graph._pred
    for actor_id in sorted(history._node):
        data = history._node[actor_id]
        if _true_on(data, day):
            nodes[actor_id], succ[actor_id], pred[actor_id] = data, {}, {}
    links = [
        (key, source, target, data)
        for source, near in history._succ.items()
        if source in nodes
        for target, keys in near.items()
        if target in nodes
        for key, data in keys.items()
        if _true_on(data, day)
    ]
    links.sort(key=lambda link: str(link[0]))
    for key, source, target, data in links:
        found = succ[source].get(target)
        if found is None:
            found = succ[source][target] = pred[target][source] = {}
        found[key] = data
    return graph


def _true_on(data: Mapping[str, Any], day: date) -> bool:
    since, until = data.get("since"), data.get("until")
    return (since is None or since <= day) and (until is None or until > day)


def _copied(graph: nx.MultiDiGraph, touched: set[str]) -> nx.MultiDiGraph:
    """A multigraph with the same nodes and edges whose actors can be removed and added again
    (:meth:`Snapshots.refreshed`) without changing ``graph``: the dicts of nodes, and of the
    neighbours of each ``touched`` actor (those re-read, their neighbours, the ends of the links
    re-read), are new; every other dict is shared. Removing a node only deletes entries of its
    neighbours' dicts, and adding a link between a pair a removal emptied makes a new dict for
    that pair, so nothing shared is changed. networkx's ``copy`` copies every field's dict too
    (0.4 s at 10,000 actors), and copying every actor's neighbours took 0.2–0.4 s."""
    new = nx.MultiDiGraph()
    new.graph.update(graph.graph)
    new._node = dict(graph._node)
    succ = {u: dict(near) if u in touched else near for u, near in graph._succ.items()}
    new._succ = new._adj = succ
    new._pred = {v: dict(near) if v in touched else near for v, near in graph._pred.items()}
    return new


def _filled(
    graph: nx.MultiDiGraph, actors: list[Record], links: list[Record], scope: str | None
) -> nx.MultiDiGraph:
    """The graph with the actors as nodes and the links between two of them as edges, written
    into networkx's own dicts as ``add_node`` and ``add_edge`` would (a quarter of the time:
    0.9 s of a 10,000-actor region's read went to ``add_edge``)."""
    nodes, succ, pred = graph._node, graph._succ, graph._pred
    for record in actors:
        actor_id = record["id"]
        if actor_id not in nodes:
            succ[actor_id], pred[actor_id] = {}, {}
        nodes[actor_id] = dict(_fields(Actor, record))
    for record in links:
        source, target = record["source"], record["target"]
        if source in nodes and target in nodes:
            keys = succ[source].get(target)
            if keys is None:
                keys = succ[source][target] = pred[target][source] = {}
            keys[record["id"]] = dict(_fields(Link, record))
    if scope is not None:
        graph.graph["scope"] = scope
    return graph
