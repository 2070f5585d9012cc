"""Neo4jGraphStore: the port over Neo4j 5.26 (Bolt, the official ``neo4j`` driver).

The store is a property graph a Neo4j user reads (docs/NEO4J.md): actors, activities,
referrals, neighbourhoods and events are nodes; an actor carries its kind as a second label
(``:Actor:HealthActor``) and is related to its neighbourhood (``(:Actor)-[:IN]->
(:Neighbourhood)``); an activity to its participants (``-[:WITH]->``), a referral to its two
ends (``-[:FROM]->``, ``-[:TO]->``); links are relationships whose type is the link type
(``KNOWS``, ``REFERS_TO``…), from source to target. Every field is a property of its own type:
names as written, dates as ``date``, moments as ISO 8601 text, coordinates as a ``point``
(``location``), contact details flattened into readable properties (``phones``, ``hours``…).
The whole record is kept beside them as JSON (``data``), so that both stores give back exactly
the same records fast; it is never the only place a field lives
(``tests/graph/test_neo4j_shape.py``). Users, tokens and login counters have their own labels
and no relationship to the network; an event is related to the actors it concerns
(``(:Event)-[:ABOUT]->(:Actor)``). All Cypher lives in :mod:`graph.cypher`.

One driver per store (one store per process), managed transactions (``execute_read`` /
``execute_write``, retried on transient errors, so the work functions are idempotent and consume
their results inside the transaction), uniqueness constraints and indexes created idempotently,
bulk writes as ``UNWIND $rows`` in batches.
"""

from __future__ import annotations

import contextlib
import json
import logging
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar

import neo4j
import orjson
from neo4j import GraphDatabase, ManagedTransaction, Result, Session, Transaction
from neo4j import exceptions as neo4j_errors
from pydantic import BaseModel

from graph import cypher, neo4j_plans
from graph.base import BaseGraphStore
from graph.entities import index_fields
from graph.errors import Conflict, InvalidInput, MaillageError, Say, StoreUnavailable
from graph.model import (
    NAMES_VERSION,
    EntityKind,
    EventFilter,
    LinkFilter,
    normalise_name,
    today,
)
from graph.records import renormalise
from graph.tx import Record, chunks

R = TypeVar("R")
PLURALS = {
    EntityKind.actor: "actors",
    EntityKind.activity: "activities",
    EntityKind.referral: "referrals",
    EntityKind.neighbourhood: "neighbourhoods",
}
BATCH = 1000
#: the shape of the graph (2: the property graph of docs/NEO4J.md; 1: fields in JSON only)
SHAPE_VERSION = 2
log = logging.getLogger("maillage.neo4j")


#: the network's records: every field a typed property (the accounts keep their JSON only)
NETWORK = frozenset(
    {EntityKind.actor, EntityKind.link, EntityKind.activity, EntityKind.referral,
     EntityKind.neighbourhood, EntityKind.follow_up, EntityKind.observation,
     EntityKind.crisis}
)  # fmt: skip
DATES = frozenset({"since", "until", "consent_date", "confirmed_on", "date", "closed_on", "due",
                   "noted", "confirmed"})  # fmt: skip


def _typed(name: str, value: Any) -> Any:
    """A field's value as Neo4j keeps it: dates as ``date``. Moments (``recorded_at``…) stay
    ISO 8601 text in UTC, as the events hold them (sorted and compared as text the same way):
    a ``datetime`` on each of 100,000 links made an import 30 % slower (bench/RESULTS.md)."""
    if isinstance(value, str) and name in DATES:
        return date.fromisoformat(value)
    return value


def _flat(record: Record) -> dict[str, Any]:
    """Every field of a record as Neo4j properties (which hold no maps): scalars and lists of
    scalars as they are, typed; nested details as properties a Browser shows and Cypher reads
    (``phones`` and ``phone_labels``, ``hours`` as "monday 09:00-12:00", ``contacts``,
    ``access_cost``…, ``saturation_state``…, ``retracted_at``…); coordinates as a point."""
    out: dict[str, Any] = {}
    for name, value in record.items():
        if value is None or value == [] or name == "id":
            continue
        if name == "phones":
            out["phones"] = [p["number"] for p in value]
            out["phone_labels"] = [p["label"] for p in value]
        elif name == "hours":
            out["hours"] = [
                f"{h['day']} {h['opens']}-{h['closes']}"
                + ("" if h.get("walk_in", True) else " (appointment)")
                + (f" {h['note']}" if h.get("note") else "")
                for h in value
            ]
        elif name == "calls":  # a crisis list's calls: actor, state, by, at, side by side
            for key in ("actor", "state", "by", "at"):
                out[f"call_{key}s"] = [str(c.get(key) or "") for c in value]
        elif name == "contacts":
            out["contacts"] = [
                " · ".join(str(c[k]) for k in ("name", "role", "phone", "email") if c.get(k))
                for c in value
            ]
            out["contact_names"] = [c["name"] for c in value]
        elif isinstance(value, dict):
            for key, inner in value.items():
                if inner is not None and inner != []:
                    out[f"{name}_{key}"] = _typed(key, inner)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            out[name] = [orjson.dumps(v).decode() for v in value]  # none today; never lost
        else:
            out[name] = _typed(name, value)
    if record.get("latitude") is not None and record.get("longitude") is not None:
        out["location"] = neo4j.spatial.WGS84Point((record["longitude"], record["latitude"]))
    return out


def _props(entity: EntityKind, record: Record) -> dict[str, Any]:
    props: dict[str, Any] = {"id": record["id"]}
    if entity in NETWORK:
        props |= _flat(record)
    props |= {k: _typed(k, v) for k, v in index_fields(entity, record).items()}
    for tags in (
        "themes",
        "languages",
        "target_groups",
        "participants",
        "initiators",
        "sources",
        "sectors",
    ):
        if record.get(tags):
            props[tags] = list(record[tags])
    if entity is EntityKind.link:
        props["strength"] = record["strength"]
        for said in ("source", "target", "type", "directed"):  # what the relationship is
            props.pop(said, None)
    if entity is EntityKind.neighbourhood:
        props["name_norm"] = normalise_name(record["name"])
    props["data"] = orjson.dumps(record).decode()
    props["shape"] = SHAPE_VERSION
    return {k: v for k, v in props.items() if v is not None}


def _row(entity: EntityKind, record: Record) -> dict[str, Any]:
    """What a node is written from: its properties, its labels beyond the entity's own (an
    actor's kind), and what it is related to (see :func:`graph.cypher.relate`)."""
    row: dict[str, Any] = {"props": _props(entity, record), "labels": []}
    if entity is EntityKind.actor:
        row["labels"] = [cypher.kind_label(record["kind"])]
        row["place"] = normalise_name(record["neighbourhood"])
    elif entity is EntityKind.activity:
        row["place"] = normalise_name(record["neighbourhood"])
        row["with"] = list(record.get("participants") or [])
    elif entity is EntityKind.referral:
        row["from"], row["to"] = record["from_actor"], record["to_actor"]
    elif entity is EntityKind.observation:
        row["place"] = normalise_name(record["neighbourhood"])
        row["from"] = list(record.get("sources") or [])
    elif entity is EntityKind.crisis:
        row["place"] = normalise_name(record["neighbourhood"])
        row["called"] = [c["actor"] for c in record.get("calls") or []]
    return row


class _Rows(list[Any]):
    """A statement's list parameter, packed as a list. The driver writes every statement
    with its parameters into a debug message before it looks whether debug logging is on
    (``Bolt5x5.run``): the repr of an import chunk's 1,000 rows was a tenth of the client's
    time (bench/RESULTS.md); this one is a few characters."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<{len(self)} rows>"


class _Quiet:
    """A driver transaction whose statements' list parameters are :class:`_Rows`; in a read,
    each statement is noted in ``plans`` (:mod:`graph.neo4j_plans`)."""

    __slots__ = ("_plans", "_tx")

    def __init__(
        self, tx: ManagedTransaction | Transaction, plans: neo4j_plans.Plans | None = None
    ) -> None:
        self._tx = tx
        self._plans = plans

    def run(self, query: str, parameters: dict[str, Any] | None = None, **kw: Any) -> Result:
        params = {**(parameters or {}), **kw}
        if self._plans is not None:
            self._plans.note(query, params)
        for key, value in params.items():
            if type(value) is list:
                params[key] = _Rows(value)
        return self._tx.run(query, params)


class _Tx:
    """Read and write operations inside one managed Neo4j transaction."""

    def __init__(
        self, tx: ManagedTransaction | Transaction, plans: neo4j_plans.Plans | None = None
    ) -> None:
        self.tx = _Quiet(tx, plans)
        self.unnoted = tx  # the warm-up's own statements, which no page runs

    def _data(self, query: str, **params: Any) -> list[Record]:
        """The records a read returns as ``data`` (their JSON), in its order. The server
        collects them into one Bolt record: the driver's cost is per record (47,284 links of a
        10,000-actor region took 0.9 s as rows, 0.2 s as one list)."""
        found = self.tx.run(cypher.collected(query), params).single(strict=True)["data"]
        return [orjson.loads(d) for d in found]

    # reads
    def get(self, entity: EntityKind, record_id: str) -> Record | None:
        query = cypher.GET_LINK if entity is EntityKind.link else cypher.get_node(entity)
        rows = self._data(query, id=record_id)
        return rows[0] if rows else None

    def get_many(self, entity: EntityKind, ids: Sequence[str]) -> list[Record]:
        query = cypher.GET_LINKS if entity is EntityKind.link else cypher.get_nodes(entity)
        return self._data(query, ids=list(ids))

    def existing(self, entity: EntityKind, ids: Sequence[str]) -> set[str]:
        found = self.tx.run(cypher.existing_nodes(entity), ids=list(ids)).single(strict=True)
        return set(found["ids"])

    def find_by_key(self, entity: EntityKind, key: str) -> Record | None:
        if entity is EntityKind.link:
            rows = self._data(cypher.FIND_OPEN_LINK, key=key)
        else:
            rows = self._data(cypher.find_node_by_key(entity), key=key)
        return rows[0] if rows else None

    def query(
        self, entity: EntityKind, filters: BaseModel, limit: int, offset: int
    ) -> tuple[list[Record], int]:
        params: dict[str, Any] = {"limit": limit, "offset": offset}
        if isinstance(filters, LinkFilter):
            where = cypher.link_where(filters, params)
            count_q, rows_q = cypher.list_links(where, bool(filters.actor))
        else:
            where, order = cypher.node_where(filters, params)
            count_q, rows_q = cypher.list_nodes(entity, where, order)
        total = self.tx.run(count_q, params).single(strict=True)["total"]
        return self._data(rows_q, **params), int(total)

    def links_touching(self, ids: Sequence[str], as_of: date | None) -> list[Record]:
        day = as_of or today()
        return self._data(cypher.LINKS_TOUCHING, ids=list(ids), day=day)

    def all(self, entity: EntityKind, as_of: date | None) -> list[Record]:
        day = as_of or today()
        if entity is EntityKind.link:
            return self._data(cypher.ALL_LINKS, day=day)
        return self._data(cypher.all_nodes(entity), day=day)

    def every(self, entity: EntityKind) -> list[Record]:
        if entity is EntityKind.link:
            return self._data(cypher.EVERY_LINK)
        return self._data(cypher.every_node(entity))

    def around(
        self, ids: Sequence[str], as_of: date | None, ever: bool
    ) -> tuple[list[Record], list[Record]]:
        actors_q, links_q = cypher.around(ever)
        day = as_of or today()
        return self._data(actors_q, ids=list(ids), day=day), self._data(
            links_q, ids=list(ids), day=day
        )

    def in_scope(
        self, place: str, as_of: date | None, ever: bool
    ) -> tuple[list[Record], list[Record]]:
        home_q, links_q, ring_q = cypher.in_scope(ever)
        day = as_of or today()
        actors = self._data(home_q, place=place, day=day)
        links = self._data(links_q, place=place, day=day)
        home = {a["id"] for a in actors}
        ring = sorted({r[end] for r in links for end in ("source", "target")} - home)
        actors += self._data(ring_q, ids=ring, day=day)
        actors.sort(key=lambda r: r["id"])
        return actors, links

    def event_marks(self) -> tuple[int, int]:
        found = self.tx.run(cypher.EVENT_MARKS).single(strict=True)
        return int(found["n"]), int(found["last"])

    def events_after(self, seq: int, limit: int) -> list[Record]:
        out = []
        for row in self.tx.run(cypher.EVENTS_AFTER, seq=seq, limit=limit):
            e = dict(row)
            e["before"] = orjson.loads(e["before"]) if e.get("before") else None
            e["after"] = orjson.loads(e["after"]) if e.get("after") else None
            e["actors"] = list(e["actors"])
            out.append(e)
        return out

    def places_of(self, actor_ids: Sequence[str], ring: Sequence[str]) -> tuple[set[str], int]:
        found = self.tx.run(cypher.PLACES_OF, ids=list(actor_ids)).single(strict=True)
        places = set(found["places"])
        if ring:
            near = self.tx.run(cypher.RING_PLACES_OF, ids=list(ring)).single(strict=True)
            places.update(near["places"])
        return places, int(found["known"])

    def events(self, f: EventFilter, limit: int, offset: int) -> tuple[list[Record], int]:
        params: dict[str, Any] = {"limit": limit, "offset": offset}
        count_q, rows_q = cypher.list_events(cypher.event_where(f, params))
        total = self.tx.run(count_q, params).single(strict=True)["total"]
        out = []
        for found in self.tx.run(rows_q, params).single(strict=True)["data"]:  # one Bolt record
            e = dict(found)
            e["before"] = orjson.loads(e["before"]) if e.get("before") else None
            e["after"] = orjson.loads(e["after"]) if e.get("after") else None
            e["actors"] = list(e.get("actors") or [])
            out.append(e)
        return out, int(total)

    def counts(self) -> dict[str, int]:
        out = {}
        for entity, query in cypher.COUNT_LABEL.items():
            out[PLURALS[entity]] = int(self.tx.run(query).single(strict=True)["n"])
        out["links"] = int(self.tx.run(cypher.COUNT_LINKS).single(strict=True)["n"])
        out["events"] = int(self.tx.run(cypher.COUNT_EVENTS).single(strict=True)["n"])
        return out

    def last_event(self) -> int:
        """The store's version: the number of events and the highest sequence number, as one
        number. Each write adds events, so the count changes with every write, even one whose
        number is lower than an earlier one (numbers are taken before commit, without a lock:
        see :class:`EventSequence`)."""
        found = self.tx.run(cypher.LAST_EVENT).single(strict=True)
        return int(found["n"]) * 2**64 + int(found["last"])

    # writes
    def insert_many(self, entity: EntityKind, records: Sequence[Record]) -> None:
        if entity is EntityKind.link:
            by_type: dict[str, list[dict[str, Any]]] = {}
            for r in records:
                row = {"source": r["source"], "target": r["target"], "props": _props(entity, r)}
                by_type.setdefault(r["type"], []).append(row)
            for link_type, rows in by_type.items():
                for chunk in chunks(rows, BATCH):
                    self.tx.run(cypher.insert_links(link_type), rows=list(chunk)).consume()
            return
        for chunk in chunks([_row(entity, r) for r in records], BATCH):
            self.tx.run(cypher.insert_nodes(entity), rows=list(chunk)).consume()

    def delete_many(self, entity: EntityKind, ids: Sequence[str]) -> None:
        if entity is EntityKind.link:  # links and actors are ended or erased, never deleted
            raise InvalidInput("links are ended or erased, not deleted")
        self.tx.run(cypher.delete_nodes(entity), ids=list(ids)).consume()

    def replace(self, entity: EntityKind, record: Record) -> None:
        if entity is not EntityKind.link:
            row = _row(entity, record)
            self.tx.run(cypher.replace_node(entity), id=record["id"], row=row).consume()
            return
        props = _props(entity, record)
        found = self.tx.run(cypher.GET_LINK, id=record["id"]).single()
        if found is None:
            raise InvalidInput(f"no link has the id {record['id']!r}")
        if found["type"] == record["type"]:
            self.tx.run(cypher.replace_link(record["type"]), id=record["id"], props=props).consume()
        else:
            self.tx.run(cypher.delete_link(found["type"]), id=record["id"]).consume()
            row = {"source": record["source"], "target": record["target"], "props": props}
            self.tx.run(cypher.insert_links(record["type"]), rows=[row]).consume()

    def open_links_of(self, actor_id: str) -> list[Record]:
        return self._data(cypher.OPEN_LINKS_OF, id=actor_id)

    def positions(self, ids: Sequence[str] | None = None) -> list[Record]:
        if ids is None:
            found = self.tx.run(cypher.POSITIONS).single(strict=True)["rows"]
        else:
            found = self.tx.run(cypher.POSITIONS_OF, ids=list(ids)).single(strict=True)["rows"]
        return [{"id": i, "x": x, "y": y} for i, x, y in found]

    def save_positions(self, rows: Sequence[Record], replace: bool) -> None:
        if replace:
            self.tx.run(cypher.FORGET_POSITIONS).consume()
        for chunk in chunks(list(rows), BATCH):
            self.tx.run(cypher.SAVE_POSITIONS, rows=list(chunk)).consume()

    def erase_actor(self, actor_id: str) -> list[str]:
        """Delete an actor, its links and the referrals naming it; the link ids erased."""
        self.tx.run(cypher.ERASE_REFERRALS, id=actor_id).consume()
        row = self.tx.run(cypher.ERASE_ACTOR, id=actor_id).single()
        return [str(x) for x in (row["links"] if row else []) if x]

    def activities_with(self, actor_id: str) -> list[Record]:
        return self._data(cypher.ACTIVITIES_WITH, id=actor_id)

    def observations_from(self, actor_id: str) -> list[Record]:
        return self._data(cypher.OBSERVATIONS_FROM, id=actor_id)

    def lock(self, entity: EntityKind, record_id: str) -> None:
        """Take the node's write lock before reading it (held until the commit)."""
        self.tx.run(cypher.lock_node(entity), id=record_id).consume()

    def crises_calling(self, actor_id: str) -> list[Record]:
        return self._data(cypher.CRISES_CALLING, id=actor_id)

    def wipe(self) -> None:
        """Delete everything (a restore that replaces the store)."""
        self.tx.run(cypher.WIPE).consume()

    def scrub_events(self, actor_id: str, record_ids: Sequence[str], gone: Record) -> None:
        text = json.dumps(gone)
        self.tx.run(cypher.SCRUB_EVENTS, id=actor_id, ids=list(record_ids), gone=text).consume()

    # an import's journal (graph/bulk.py)
    def start_import(self, job: Record) -> None:
        self.tx.run(cypher.START_IMPORT, job=dict(job)).consume()

    def touch_import(self, job_id: str, touched: str) -> None:
        self.tx.run(cypher.TOUCH_IMPORT, id=job_id, touched=touched).consume()

    def finish_import(self, job_id: str) -> None:
        self.tx.run(cypher.FINISH_IMPORT, id=job_id).consume()

    def unfinished_imports(self) -> list[Record]:
        return [dict(r["job"]) for r in self.tx.run(cypher.UNFINISHED_IMPORTS)]

    def import_events(self, user: str, at: str) -> list[Record]:
        out = []
        for row in self.tx.run(cypher.IMPORT_EVENTS, user=user, at=at):
            event = dict(row["event"])
            event["before"] = orjson.loads(event["before"]) if event.get("before") else None
            out.append(event)
        return out

    def drop_events(self, seqs: Sequence[int]) -> None:
        for chunk in chunks(list(seqs), BATCH):
            self.tx.run(cypher.DROP_EVENTS, seqs=list(chunk)).consume()

    def unmake(self, link_ids: Sequence[str], actor_ids: Sequence[str]) -> list[str]:
        """Delete links, then the actors no other link or referral names; those kept."""
        for chunk in chunks(list(link_ids), BATCH):
            self.tx.run(cypher.REMOVE_LINKS, ids=list(chunk)).consume()
        used: set[str] = set()
        for chunk in chunks(list(actor_ids), BATCH):
            used.update(r["id"] for r in self.tx.run(cypher.USED_ACTORS, ids=list(chunk)))
        gone = [a for a in actor_ids if a not in used]
        for chunk in chunks(gone, BATCH):
            self.tx.run(cypher.REMOVE_ACTORS, ids=list(chunk)).consume()
        return [a for a in actor_ids if a in used]

    def append_events(self, events: Sequence[Record]) -> None:
        rows = _event_rows(events)
        of_links = [r for r in rows if r["entity"] == EntityKind.link.value]
        others = [r for r in rows if r["entity"] != EntityKind.link.value]
        for query, part in ((cypher.INSERT_LINK_EVENTS, of_links), (cypher.INSERT_EVENTS, others)):
            for chunk in chunks(part, BATCH):
                self.tx.run(query, rows=list(chunk)).consume()

    def insert_with_events(
        self, entity: EntityKind, records: Sequence[Record], events: Sequence[Record]
    ) -> bool:
        """A single write's records and events in one statement: one round trip to the
        server instead of two (a fifth of a write's time on a loaded server). Actors are
        written only if every one's neighbourhood is recorded (:meth:`guards_places`)."""
        if not self._in_one_statement(entity, records, events):
            self.insert_many(entity, records)
            self.append_events(events)
            return True
        if entity is EntityKind.link:
            rows = [{"source": r["source"], "target": r["target"], "props": _props(entity, r)}
                    for r in records]  # fmt: skip
            query = cypher.insert_links_and_events(records[0]["type"])
        elif entity is EntityKind.actor:
            rows = [_row(entity, r) for r in records]
            query = cypher.INSERT_PLACED_ACTORS_AND_EVENTS
        else:
            rows = [_row(entity, r) for r in records]
            query = cypher.insert_nodes_and_events(entity)
        done = self.tx.run(query, rows=rows, events=_event_rows(events)).consume()
        return entity is not EntityKind.actor or done.counters.nodes_created > 0

    def guards_places(self, entity: EntityKind, records: Sequence[Record]) -> bool:
        return entity is EntityKind.actor and self._in_one_statement(entity, records, records)

    @staticmethod
    def _in_one_statement(
        entity: EntityKind, records: Sequence[Record], events: Sequence[Record]
    ) -> bool:
        types = {r["type"] for r in records} if entity is EntityKind.link else set()
        return bool(records) and len(types) <= 1 and max(len(records), len(events)) <= BATCH


def _event_rows(events: Sequence[Record]) -> list[dict[str, Any]]:
    """Events as Neo4j stores them: numbered, before and after as JSON text."""
    if not events:
        return []
    rows = []
    for number, e in zip(SEQUENCE.take(len(events)), events, strict=True):
        row = {**e, "seq": number, "shape": SHAPE_VERSION}
        row["before"] = orjson.dumps(e["before"]).decode() if e["before"] else None
        row["after"] = orjson.dumps(e["after"]).decode() if e["after"] else None
        rows.append({k: v for k, v in row.items() if v is not None})
    return rows


class EventSequence:
    """Event numbers without a lock in the database (every writer used to queue behind one
    counter node): a hybrid clock — milliseconds since 2020 with 13 bits to count within a
    millisecond, never going back within the process — then 10 bits naming the process. The
    numbers are unique, follow time, and give readers one total order (``ORDER BY seq``); two
    writers that commit in the other order than they numbered appear in the order of their
    numbers. Another app process has another tag (a unique constraint refuses the improbable
    clash: the write answers 409 and can be retried)."""

    EPOCH_MS = 1_577_836_800_000  # 2020-01-01T00:00:00Z

    def __init__(self) -> None:
        self._lock = threading.Lock()  # within this process only: no database round trip
        self._last = 0
        self._tag = secrets.randbelow(1024)

    def take(self, n: int) -> list[int]:
        with self._lock:
            now = (int(time.time() * 1000) - self.EPOCH_MS) << 13
            first = max(now, self._last + 1)
            self._last = first + n - 1
        return [(first + k) << 10 | self._tag for k in range(n)]


SEQUENCE = EventSequence()


def _root_cause(exc: BaseException) -> BaseException:
    """The driver error that started it all.

    When a statement fails inside a managed transaction, the driver may report the rollback's
    ``ResultFailedError`` with the real cause (a ``ConstraintError``…) chained behind it.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, neo4j_errors.ConstraintError):
            return current
        current = current.__cause__ or current.__context__
    return exc


OUT_OF_TRANSACTION_MEMORY = "Neo.TransientError.General.MemoryPoolOutOfMemoryError"
TOO_MUCH_FOR_ONE_TRANSACTION = Say(
    "too much for one transaction on this Neo4j (its memory for transactions is full): "
    "nothing was written; split the file into smaller ones, or give Neo4j more memory"
)


def _translate(exc: Exception) -> MaillageError:
    cause = _root_cause(exc)
    if isinstance(cause, neo4j_errors.ConstraintError):
        exc = cause
    log.warning("Neo4j: %s: %s", type(exc).__name__, exc)  # the driver's words stay in the log
    if isinstance(exc, neo4j_errors.ConstraintError):
        return Conflict("this record already exists")
    if isinstance(exc, neo4j_errors.ServiceUnavailable | neo4j_errors.SessionExpired):
        return StoreUnavailable("Neo4j cannot be reached; try again in a moment")
    if isinstance(exc, neo4j_errors.AuthError):
        return StoreUnavailable("Neo4j refused the credentials (check NEO4J_USER/NEO4J_PASSWORD)")
    if getattr(exc, "code", None) == OUT_OF_TRANSACTION_MEMORY:
        return InvalidInput(TOO_MUCH_FOR_ONE_TRANSACTION)
    if isinstance(exc, neo4j_errors.CypherSyntaxError):
        return StoreUnavailable("a query of Maillage was refused by Neo4j (logged)")
    return StoreUnavailable("Neo4j failed; the details are in the server's log")


def _close_quietly(session: Session) -> None:
    with contextlib.suppress(neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError):
        session.close()  # a failure says its connection is gone already


class Neo4jGraphStore(BaseGraphStore):
    """The port over a Neo4j 5.26 server."""

    backend = "neo4j"

    def __init__(
        self,
        uri: str,
        user: str | None = None,
        password: str | None = None,
        database: str = "neo4j",
        connect_timeout: float = 3.0,
        retry_time: float = 1.0,
        migrate: bool = True,
    ) -> None:
        """``connect_timeout`` bounds each connection attempt and the wait for a pooled one;
        ``retry_time`` bounds how long a transaction is retried (deadlocks, a server gone):
        when Neo4j is down, a request answers 503 within about their sum instead of hanging
        for the driver's 30 s defaults, and the driver reconnects by itself once it is back.
        A store in an older shape is migrated at once (``migrate=False``: by
        :meth:`migrate_shape`, as ``maillage migrate`` does with a progress bar)."""
        auth = (user or "neo4j", password) if password else None
        self.database = database
        self._sessions = threading.local()  # a session per thread, used again (see _session)
        self._opened: dict[threading.Thread, Session] = {}  # each thread's, to close them
        self._opened_lock = threading.Lock()
        self._plans = neo4j_plans.Plans()  # the reads this process ran, for the next start
        try:
            self.driver = GraphDatabase.driver(
                uri,
                auth=auth,
                connection_timeout=connect_timeout,
                connection_acquisition_timeout=connect_timeout,
                max_transaction_retry_time=retry_time,
                max_connection_pool_size=50,
                notifications_min_severity="OFF",
            )
            self.driver.verify_connectivity()
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, ValueError, OSError) as exc:
            raise StoreUnavailable(f"cannot connect to Neo4j at {uri}: {exc}") from exc
        self.ensure_schema(migrate)

    def ensure_schema(self, migrate: bool = True) -> None:
        """Create constraints and indexes (idempotent), then wait until they are online."""
        try:
            for statement in cypher.schema_statements():
                self.driver.execute_query(statement, database_=self.database)
            self.driver.execute_query("CALL db.awaitIndexes(300)", database_=self.database)
        except neo4j_errors.Neo4jError as exc:
            raise _translate(exc) from exc
        if migrate:
            self.migrate_shape()
            self._names_up_to_date()

    def migrate_shape(self, progress: Callable[[int], None] | None = None) -> int:
        """Move a store written before the property graph (``SHAPE_VERSION`` 2: every field a
        typed property, kinds as labels, ``IN``/``WITH``/``FROM``/``TO``) to it: every record
        rewritten from its JSON, ``BATCH`` records per transaction, then the version noted.
        Idempotent, and safe to stop: a batch done is done, the next run does the rest (each
        record is marked with the shape it was written in). Records moved."""
        found = self._read(lambda tx: tx.tx.run(cypher.SHAPE_VERSION).single())
        if found is not None and (found["version"] or 0) >= SHAPE_VERSION:
            return 0

        def in_batches(batch: Callable[[_Tx], int]) -> int:
            """``batch`` in a transaction of its own until one moves fewer than ``BATCH``."""
            moved = 0
            while True:
                done = self._write(batch)
                moved += done
                if progress is not None and done:
                    progress(done)
                if done < BATCH:
                    return moved

        def rewrite(entity: EntityKind) -> Callable[[_Tx], int]:
            def batch(tx: _Tx) -> int:
                rows = tx._data(cypher.old_shape(entity), version=SHAPE_VERSION, limit=BATCH)
                for record in rows:
                    tx.replace(entity, record)
                return len(rows)

            return batch

        def relate_events(tx: _Tx) -> int:  # the history, related to the actors it concerns
            found = tx.tx.run(cypher.OLD_EVENTS, version=SHAPE_VERSION, limit=BATCH)
            return int(found.single(strict=True)["n"])

        moved = sum(
            in_batches(rewrite(entity))
            for entity in (EntityKind.neighbourhood, EntityKind.actor, EntityKind.link,
                           EntityKind.activity, EntityKind.referral, EntityKind.follow_up,
                           EntityKind.observation, EntityKind.crisis)
        )  # fmt: skip
        in_batches(relate_events)
        self._write(lambda tx: tx.tx.run(cypher.SET_SHAPE_VERSION, version=SHAPE_VERSION).consume())
        return moved

    def _names_up_to_date(self) -> None:
        """The keys kept from names, computed again when the way names compare changed
        (``NAMES_VERSION``; SQLite does it in its migration 7)."""

        def work(tx: _Tx) -> None:
            found = tx.tx.run(cypher.NAMES_VERSION).single()
            if found is not None and (found["version"] or 0) >= NAMES_VERSION:
                return
            renormalise(tx)
            tx.tx.run(cypher.SET_NAMES_VERSION, version=NAMES_VERSION).consume()

        self._write(work)

    def _session(self) -> Session:
        """This thread's session, made once and used again for each of its transactions. A
        session per transaction cost each write on Neo4j 12-21 % of the API process's CPU
        and 14-18 % of the server's (and a hundred objects in reference cycles for Python's
        collector): bench/RESULTS.md. A session holds a connection only during a transaction;
        its bookmarks make each transaction see the thread's earlier writes, as one server
        does anyway. A session that failed is dropped (:meth:`_run`); the sessions of threads
        that have ended (a thread pool's idle workers exit) are closed when a new one opens."""
        session: Session | None = getattr(self._sessions, "session", None)
        if session is None:
            session = self.driver.session(database=self.database)
            self._sessions.session = session
            with self._opened_lock:
                ended = [t for t in self._opened if not t.is_alive()]
                for thread in ended:
                    _close_quietly(self._opened.pop(thread))
                self._opened[threading.current_thread()] = session
        return session

    def _forget_session(self) -> None:
        session = getattr(self._sessions, "session", None)
        self._sessions.session = None
        if session is not None:
            with self._opened_lock:
                self._opened.pop(threading.current_thread(), None)
            _close_quietly(session)

    def _run(self, access: str, work: Callable[[Any], R], *, retried: bool = True) -> R:
        plans = self._plans if access == neo4j.READ_ACCESS else None

        def unit(tx: ManagedTransaction | Transaction) -> R:
            return work(_Tx(tx, plans))

        try:
            if not retried:  # an explicit transaction, run once, in a session of its own
                with (
                    self.driver.session(database=self.database) as session,
                    session.begin_transaction() as tx,
                ):
                    done = unit(tx)
                    tx.commit()
                    return done
            session = self._session()
            try:
                if access == neo4j.WRITE_ACCESS:
                    return session.execute_write(unit)
                return session.execute_read(unit)
            except (neo4j_errors.Neo4jError, neo4j_errors.DriverError):
                self._forget_session()  # the next transaction starts from a new one
                raise
        except MaillageError:
            raise
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as exc:
            raise _translate(exc) from exc

    def _write(self, work: Callable[[Any], R]) -> R:
        return self._run(neo4j.WRITE_ACCESS, work)

    def _write_many(self, work: Callable[[Any], R]) -> R:
        # never retried: an import's batches come from a generator reading the file, which a
        # retry could not read again from the start
        return self._run(neo4j.WRITE_ACCESS, work, retried=False)

    def _read(self, work: Callable[[Any], R]) -> R:
        done = self._run(neo4j.READ_ACCESS, work)
        if self._plans.due():
            self._remember_plans()
        return done

    def _remember_plans(self) -> None:
        """Add the read statements first run since the last time to those the graph keeps for
        the next start's warm-up (:mod:`graph.neo4j_plans`); a failure only waits for the next
        time: the read that asked has its answer already."""
        taken = self._plans.take()

        def work(tx: _Tx) -> None:
            found = tx.unnoted.run(cypher.PLANS).single()
            stored = neo4j_plans.merged(found["statements"] if found else None, taken)
            tx.unnoted.run(cypher.SET_PLANS, statements=stored).consume()

        try:
            self._write(work)
        except MaillageError:
            self._plans.give_back(taken)

    def plan_remembered(self) -> int:
        """Ask Neo4j to plan (``EXPLAIN``: nothing runs) each read statement a server of this
        graph ran before, with parameters of the types it ran with; how many were planned. One
        that Neo4j refuses (a statement of an older Maillage) is left out and logged."""

        def stored(tx: _Tx) -> str | None:
            found = tx.unnoted.run(cypher.PLANS).single()
            return found["statements"] if found else None

        planned = 0
        for query, params in neo4j_plans.remembered(self._read(stored)):

            def explain(tx: _Tx, query: str = query, params: dict[str, Any] = params) -> None:
                tx.unnoted.run(cypher.explained(query), params).consume()

            try:
                self._run(neo4j.READ_ACCESS, explain)
                planned += 1
            except MaillageError:
                continue  # _translate logged it
        return planned

    def erase_everything(self, *, confirm: str) -> None:
        """Delete every node and relationship (tests and resets only); keeps the schema."""
        if confirm != "erase everything":
            raise InvalidInput("erase_everything needs confirm='erase everything'")
        while True:
            records, _, _ = self.driver.execute_query(cypher.WIPE_BATCH, database_=self.database)
            if records[0]["n"] == 0:
                break
        self._forget_tokens()
        self._plans = neo4j_plans.Plans()  # the graph no longer holds what it noted

    def warm_up(self) -> None:
        """What every store's start does (``Snapshots.warm_up``), then the stored layout read
        (a region view's first read of it after Neo4j started took 0.3 s, then 0.04 s), the
        records' pages read on the server (``cypher.TOUCH``, nothing sent), and the reads the
        earlier servers ran planned again (:meth:`plan_remembered`; bench/RESULTS.md)."""
        super().warm_up()

        def work(tx: _Tx) -> None:
            tx.positions(None)
            tx.positions([])
            for query in cypher.TOUCH:
                tx.unnoted.run(query).consume()

        self._read(work)
        self.plan_remembered()

    def close(self) -> None:
        if self._plans.waiting():
            self._remember_plans()
        with self._opened_lock:
            opened, self._opened = list(self._opened.values()), {}
        for session in opened:
            _close_quietly(session)
        self.driver.close()


__all__ = ["Neo4jGraphStore"]
