"""SqliteGraphStore: the embedded default store, one file (``data/maillage.db``).

stdlib ``sqlite3`` with WAL and foreign keys, versioned migrations (``PRAGMA user_version``),
``?`` placeholders only. Each record is a row with the columns that filters need and the whole
record as JSON; uniqueness (an actor's natural key, one open link of a type between two actors)
is enforced by unique indexes, so concurrent writers cannot slip a duplicate in.
Its length (about 550 lines) is the whole adapter in one place: the versioned schema, the SQL
of each filter and the transaction, each part short; the shared logic is in graph/records.py.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import orjson
from pydantic import BaseModel

from graph.base import BaseGraphStore
from graph.entities import index_fields, name_query
from graph.errors import Conflict, InvalidInput, StoreUnavailable
from graph.model import (
    ActivityFilter,
    ActorFilter,
    CrisisFilter,
    EntityKind,
    EventFilter,
    EventsOf,
    FollowUpFilter,
    LinkFilter,
    NeighbourhoodFilter,
    ObservationFilter,
    ReferralFilter,
    Visibility,
    normalise_name,
    normalise_tag,
    today,
    utc_iso,
)
from graph.tx import Record, chunks

R = TypeVar("R")

DEFAULT_PATH = Path("data/maillage.db")
BULK_CACHE_KIB = 131_072  # 128 MB of page cache for an import or a restore (bench/RESULTS.md)
log = logging.getLogger("maillage.sqlite")


def _renormalised(tx: _Tx) -> None:
    from graph.records import renormalise

    renormalise(tx)


MIGRATIONS: list[str | Callable[[_Tx], None]] = [
    # 1: the first schema
    """
    CREATE TABLE actors (
        id TEXT PRIMARY KEY,
        natural_key TEXT NOT NULL UNIQUE,
        name_norm TEXT NOT NULL,
        kind TEXT NOT NULL,
        neighbourhood_norm TEXT NOT NULL,
        status TEXT NOT NULL,
        since TEXT,
        until TEXT,
        data TEXT NOT NULL
    );
    CREATE INDEX actors_kind ON actors(kind);
    CREATE INDEX actors_neighbourhood ON actors(neighbourhood_norm);
    CREATE INDEX actors_name ON actors(name_norm);
    CREATE TABLE links (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL REFERENCES actors(id),
        target TEXT NOT NULL REFERENCES actors(id),
        type TEXT NOT NULL,
        mission TEXT NOT NULL,
        recorded_by TEXT NOT NULL,
        since TEXT,
        until TEXT,
        active_key TEXT UNIQUE,
        data TEXT NOT NULL
    );
    CREATE INDEX links_source ON links(source);
    CREATE INDEX links_target ON links(target);
    CREATE TABLE activities (
        id TEXT PRIMARY KEY,
        neighbourhood_norm TEXT NOT NULL,
        mission TEXT NOT NULL,
        since TEXT,
        until TEXT,
        data TEXT NOT NULL
    );
    CREATE TABLE referrals (
        id TEXT PRIMARY KEY,
        date TEXT NOT NULL,
        from_actor TEXT NOT NULL REFERENCES actors(id),
        to_actor TEXT NOT NULL REFERENCES actors(id),
        theme TEXT NOT NULL,
        outcome TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE INDEX referrals_to ON referrals(to_actor, date);
    CREATE TABLE neighbourhoods (
        id TEXT PRIMARY KEY,
        natural_key TEXT NOT NULL UNIQUE,
        municipality_norm TEXT NOT NULL,
        since TEXT,
        until TEXT,
        data TEXT NOT NULL
    );
    CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        at TEXT NOT NULL,
        user TEXT NOT NULL,
        action TEXT NOT NULL,
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        before TEXT,
        after TEXT
    );
    CREATE INDEX events_entity ON events(entity_id);
    CREATE INDEX events_user ON events(user, at);
    CREATE TABLE event_actors (
        actor_id TEXT NOT NULL,
        seq INTEGER NOT NULL REFERENCES events(seq),
        PRIMARY KEY (actor_id, seq)
    ) WITHOUT ROWID;
    """,
    # 2: users and their tokens
    """
    CREATE TABLE users (
        id TEXT PRIMARY KEY,
        natural_key TEXT NOT NULL UNIQUE,
        since TEXT,
        until TEXT,
        data TEXT NOT NULL
    );
    CREATE TABLE tokens (
        id TEXT PRIMARY KEY,
        natural_key TEXT NOT NULL REFERENCES users(id),
        since TEXT,
        until TEXT,
        data TEXT NOT NULL
    );
    CREATE INDEX tokens_user ON tokens(natural_key);
    """,
    # 3: layout positions shared by every view
    """
    CREATE TABLE positions (
        actor_id TEXT PRIMARY KEY REFERENCES actors(id),
        x REAL NOT NULL,
        y REAL NOT NULL
    ) WITHOUT ROWID;
    """,
    # 4: failed-login counters, per user name and per client address (kept in the store so
    # that several server processes share them)
    """
    CREATE TABLE throttles (
        id TEXT PRIMARY KEY,
        natural_key TEXT NOT NULL,
        since TEXT,
        until TEXT,
        data TEXT NOT NULL
    );
    """,
    # 5: follow-ups decided at team meetings
    """
    CREATE TABLE follow_ups (
        id TEXT PRIMARY KEY,
        taken_by TEXT NOT NULL,
        done INTEGER NOT NULL,
        neighbourhood_norm TEXT NOT NULL,
        since TEXT,
        until TEXT,
        data TEXT NOT NULL
    );
    CREATE INDEX follow_ups_taken_by ON follow_ups(taken_by, done);
    """,
    # 6: imports being written, a chunk per transaction (graph/bulk.py): what a stopped
    # import left is undone from its journal
    """
    CREATE TABLE imports (
        id TEXT PRIMARY KEY,
        user TEXT NOT NULL,
        at TEXT NOT NULL,
        touched TEXT NOT NULL
    );
    """,
    # 7: names compare with the letters that do not decompose folded (Fırın = Firin): the
    # keys kept from names are computed again (graph/model.py NAMES_VERSION 2)
    _renormalised,
    # 8: themes, publics and languages written in French or Dutch become the vocabulary's
    # codes ("santé" -> health: graph/vocabulary.py; NAMES_VERSION 3)
    _renormalised,
    # 9: in a name mixing scripts, ASCII letters and digits stay themselves ("0" was read "o"
    # with the look-alike letters; NAMES_VERSION 4)
    _renormalised,
    # 10: observations, what actors say about the neighbourhood (the diagnosis)
    """
    CREATE TABLE observations (
        id TEXT PRIMARY KEY,
        neighbourhood_norm TEXT NOT NULL,
        date TEXT NOT NULL,
        kind TEXT NOT NULL,
        theme TEXT NOT NULL,
        retracted INTEGER NOT NULL,
        since TEXT,
        until TEXT,
        data TEXT NOT NULL
    );
    CREATE INDEX observations_place ON observations(neighbourhood_norm, date);
    """,
    # 11: crisis lists (a public to reach in a crisis, and who called whom)
    """
    CREATE TABLE crises (
        id TEXT PRIMARY KEY,
        neighbourhood_norm TEXT NOT NULL,
        since TEXT,
        until TEXT,
        data TEXT NOT NULL
    );
    """,
    # 12: the actors an event names, found by the event (they were found by the actor only: an
    # event's actors were a scan of every event's, 5 ms each at 10,000 actors)
    "CREATE INDEX event_actors_seq ON event_actors(seq, actor_id);",
]

TABLES = {
    EntityKind.actor: "actors",
    EntityKind.link: "links",
    EntityKind.activity: "activities",
    EntityKind.referral: "referrals",
    EntityKind.neighbourhood: "neighbourhoods",
    EntityKind.user: "users",
    EntityKind.token: "tokens",
    EntityKind.throttle: "throttles",
    EntityKind.follow_up: "follow_ups",
    EntityKind.observation: "observations",
    EntityKind.crisis: "crises",
}
COUNTED = ("actors", "links", "activities", "referrals", "neighbourhoods", "events")


def _valid_sql(as_of: date | None) -> tuple[str, list[Any]]:
    day = (as_of or today()).isoformat()
    return "(since IS NULL OR since <= ?) AND (until IS NULL OR until > ?)", [day, day]


def _has_tag(column: str) -> str:
    return f"EXISTS (SELECT 1 FROM json_each(data, '$.{column}') WHERE value = ?)"  # noqa: S608


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _where(entity: EntityKind, f: BaseModel) -> tuple[str, list[Any], str]:
    """SQL conditions, parameters and order for a filter."""
    conds: list[str] = []
    params: list[Any] = []

    def add(cond: str, *values: Any) -> None:
        conds.append(cond)
        params.extend(values)

    order = "id"
    if isinstance(f, ActorFilter):
        if f.kind:
            add("kind = ?", f.kind.value)
        if f.neighbourhood:
            add("neighbourhood_norm = ?", normalise_name(f.neighbourhood))
        if f.theme:
            add(_has_tag("themes"), normalise_tag(f.theme))
        if f.language:
            add(_has_tag("languages"), normalise_tag(f.language))
        if f.target_group:
            add(_has_tag("target_groups"), normalise_tag(f.target_group))
        q = name_query(f.q)
        if q:
            add("name_norm LIKE ? ESCAPE '\\'", _like(q))
        if f.status:
            add("status = ?", f.status.value)
        add(*_flat(_valid_sql(f.as_of)))
        if f.restricted:
            add(*_flat(_visible_actors(f)))
        order = "name_norm, id"
    elif isinstance(f, LinkFilter):
        if f.actor:
            add("(source = ? OR target = ?)", f.actor, f.actor)
        if f.type:
            add("type = ?", f.type.value)
        if f.mission:
            add("mission = ?", f.mission.value)
        if f.recorded_by:
            add("recorded_by = ?", f.recorded_by)
        add(*_flat(_valid_sql(f.as_of)))
        if f.restricted:
            seen, values = _visible_actors(f)
            visible = f"SELECT id FROM actors WHERE {seen}"  # noqa: S608 - placeholders only
            add(f"source IN ({visible}) AND target IN ({visible})", *values, *values)
        order = "since, id"
    elif isinstance(f, ActivityFilter):
        if f.neighbourhood:
            add("neighbourhood_norm = ?", normalise_name(f.neighbourhood))
        if f.mission:
            add("mission = ?", f.mission.value)
        if f.actor:
            add(_has_tag("participants"), f.actor)
        if f.start or f.end:  # held in a period: whatever day it is (never a retracted one)
            add("since IS NOT NULL AND (until IS NULL OR until > since)")
            if f.start:
                add("since >= ?", f.start.isoformat())
            if f.end:
                add("since <= ?", f.end.isoformat())
        if f.as_of or not (f.start or f.end):
            add(*_flat(_valid_sql(f.as_of)))
        if f.in_neighbourhoods is not None:
            add(*_flat(_in_list("neighbourhood_norm", f.in_neighbourhoods)))
        order = "since DESC, id"
    elif isinstance(f, ReferralFilter):
        if f.from_actor:
            add("from_actor = ?", f.from_actor)
        if f.to_actor:
            add("to_actor = ?", f.to_actor)
        if f.theme:
            add("theme = ?", normalise_tag(f.theme))
        if f.outcome:
            add("outcome = ?", f.outcome.value)
        if f.start:
            add("date >= ?", f.start.isoformat())
        if f.end:
            add("date <= ?", f.end.isoformat())
        if f.in_neighbourhoods is not None:
            cond, values = _in_list("neighbourhood_norm", f.in_neighbourhoods)
            local = f"SELECT id FROM actors WHERE {cond}"  # noqa: S608 - placeholders only
            add(f"(from_actor IN ({local}) OR to_actor IN ({local}))", *values, *values)
        if f.key_residents_in is not None:  # no end may be a key resident the reader can't see
            cond, values = _in_list("neighbourhood_norm", f.key_residents_in)
            hidden = f"SELECT id FROM actors WHERE kind = 'key_resident' AND NOT ({cond})"  # noqa: S608
            add(f"from_actor NOT IN ({hidden}) AND to_actor NOT IN ({hidden})", *values, *values)
        order = "date DESC, id"
    elif isinstance(f, FollowUpFilter):
        if f.taken_by:
            add("taken_by = ?", f.taken_by.casefold())
        if f.done is not None:
            add("done = ?", int(f.done))
        if f.neighbourhood:
            add("neighbourhood_norm = ?", normalise_name(f.neighbourhood))
        order = "done, id"
    elif isinstance(f, ObservationFilter):
        add("retracted = 0")
        if f.neighbourhood:
            add("neighbourhood_norm = ?", normalise_name(f.neighbourhood))
        if f.kind:
            add("kind = ?", f.kind.value)
        if f.theme:
            add("theme = ?", normalise_tag(f.theme))
        if f.target_group:
            add(_has_tag("target_groups"), normalise_tag(f.target_group))
        if f.sector:
            add(_has_tag("sectors"), f.sector.strip().upper())
        if f.actor:
            add(_has_tag("sources"), f.actor)
        if f.start:
            add("date >= ?", f.start.isoformat())
        if f.end:
            add("date <= ?", f.end.isoformat())
        if f.in_neighbourhoods is not None:
            add(*_flat(_in_list("neighbourhood_norm", f.in_neighbourhoods)))
        order = "date DESC, id"
    elif isinstance(f, CrisisFilter):
        add("(until IS NULL OR since IS NULL OR until > since)")  # never a retracted one
        if f.neighbourhood:
            add("neighbourhood_norm = ?", normalise_name(f.neighbourhood))
        if f.open is True:
            add("until IS NULL")
        elif f.open is False:
            add("until IS NOT NULL")
        if f.in_neighbourhoods is not None:
            add(*_flat(_in_list("neighbourhood_norm", f.in_neighbourhoods)))
        order = "until IS NOT NULL, since DESC, id"
    elif isinstance(f, NeighbourhoodFilter):
        if f.municipality:
            add("municipality_norm = ?", normalise_name(f.municipality))
        add(*_flat(_valid_sql(f.as_of)))
        order = "natural_key, id"
    else:  # pragma: no cover - guarded by the base store
        raise InvalidInput(f"no filter of type {type(f).__name__} for {entity.value}")
    return (" AND ".join(conds) or "1 = 1"), params, order


def _in_list(column: str, values: list[str]) -> tuple[str, list[Any]]:
    if not values:
        return "0 = 1", []
    return f"{column} IN ({', '.join('?' for _ in values)})", list(values)


def _visible_actors(v: Visibility) -> tuple[str, list[Any]]:
    """The condition on an actors row that the reader may see it."""
    conds: list[str] = []
    params: list[Any] = []
    if v.in_neighbourhoods is not None:
        cond, values = _in_list("neighbourhood_norm", v.in_neighbourhoods)
        conds.append(cond)
        params += values
    if v.key_residents_in is not None:
        cond, values = _in_list("neighbourhood_norm", v.key_residents_in)
        conds.append(f"(kind != 'key_resident' OR {cond})")
        params += values
    return (" AND ".join(conds) or "1 = 1"), params


def _flat(pair: tuple[str, list[Any]]) -> list[Any]:
    return [pair[0], *pair[1]]


class _Tx:
    """One transaction on a connection; offers both the read and the write operations."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # reads
    def get(self, entity: EntityKind, record_id: str) -> Record | None:
        row = self.conn.execute(
            f"SELECT data FROM {TABLES[entity]} WHERE id = ?",  # noqa: S608 - table from enum
            (record_id,),
        ).fetchone()
        return orjson.loads(row[0]) if row else None

    def _each_chunk(self, sql: str, ids: Sequence[str], *after: Any) -> list[Any]:
        """The rows of ``sql`` for the ids, 400 at a time: ``{marks}`` in it stands for one
        chunk's placeholders (as often as it appears, each followed by the chunk's ids), then
        come the parameters ``after``."""
        rows: list[Any] = []
        for chunk in chunks(list(ids), 400):
            marks = ",".join("?" * len(chunk))
            query = sql.replace("{marks}", marks)
            params = [*list(chunk) * sql.count("{marks}"), *after]
            rows += self.conn.execute(query, params).fetchall()
        return rows

    def get_many(self, entity: EntityKind, ids: Sequence[str]) -> list[Record]:
        sql = f"SELECT data FROM {TABLES[entity]} WHERE id IN ({{marks}})"  # noqa: S608
        return [orjson.loads(r[0]) for r in self._each_chunk(sql, ids)]

    def existing(self, entity: EntityKind, ids: Sequence[str]) -> set[str]:
        return {r["id"] for r in self.get_many(entity, ids)}

    def find_by_key(self, entity: EntityKind, key: str) -> Record | None:
        column = "active_key" if entity is EntityKind.link else "natural_key"
        row = self.conn.execute(
            f"SELECT data FROM {TABLES[entity]} WHERE {column} = ?",  # noqa: S608
            (key,),
        ).fetchone()
        return orjson.loads(row[0]) if row else None

    def query(
        self, entity: EntityKind, filters: BaseModel, limit: int, offset: int
    ) -> tuple[list[Record], int]:
        where, params, order = _where(entity, filters)
        table = TABLES[entity]
        total = self.conn.execute(
            f"SELECT count(*) FROM {table} WHERE {where}",  # noqa: S608
            params,
        ).fetchone()[0]
        rows = self.conn.execute(
            f"SELECT data FROM {table} WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",  # noqa: S608
            [*params, limit, offset],
        ).fetchall()
        return [orjson.loads(r[0]) for r in rows], int(total)

    def links_touching(self, ids: Sequence[str], as_of: date | None) -> list[Record]:
        valid, vparams = _valid_sql(as_of)
        out: dict[str, Record] = {}
        for chunk in chunks(list(ids), 400):
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT data FROM links WHERE (source IN ({marks}) OR target IN ({marks}))"  # noqa: S608
                f" AND {valid}",
                [*chunk, *chunk, *vparams],
            ).fetchall()
            for r in rows:
                record = orjson.loads(r[0])
                out[record["id"]] = record
        return list(out.values())

    def all(self, entity: EntityKind, as_of: date | None) -> list[Record]:
        valid, params = _valid_sql(as_of)
        rows = self.conn.execute(
            f"SELECT data FROM {TABLES[entity]} WHERE {valid} ORDER BY id",  # noqa: S608
            params,
        ).fetchall()
        return [orjson.loads(r[0]) for r in rows]

    def around(
        self, ids: Sequence[str], as_of: date | None, ever: bool
    ) -> tuple[list[Record], list[Record]]:
        """Some actors (on ``as_of``, or ``ever``) and the links touching them."""
        valid, vparams = ("1 = 1", []) if ever else _valid_sql(as_of)
        actors = self._each_chunk(
            f"SELECT data FROM actors WHERE id IN ({{marks}}) AND {valid}",  # noqa: S608
            ids,
            *vparams,
        )
        links = self._each_chunk(
            f"SELECT id, data FROM links WHERE (source IN ({{marks}}) OR target IN ({{marks}}))"  # noqa: S608
            f" AND {valid}",
            ids,
            *vparams,
        )
        unique = {r[0]: r[1] for r in links}
        return [orjson.loads(r[0]) for r in actors], [orjson.loads(d) for d in unique.values()]

    def in_scope(
        self, place: str, as_of: date | None, ever: bool
    ) -> tuple[list[Record], list[Record]]:
        """A neighbourhood's actors (``place``: its normalised name), the links touching them
        and the actors at their other ends (the one-hop ring): on ``as_of``, or ``ever``."""
        valid, vparams = ("1 = 1", []) if ever else _valid_sql(as_of)
        home_rows = self.conn.execute(
            f"SELECT id, data FROM actors WHERE neighbourhood_norm = ? AND {valid}",  # noqa: S608
            [place, *vparams],
        ).fetchall()
        home = {r[0] for r in home_rows}
        inside = f"SELECT id FROM actors WHERE neighbourhood_norm = ? AND {valid}"  # noqa: S608
        link_rows = self.conn.execute(
            f"SELECT data, source, target FROM links WHERE {valid} AND "  # noqa: S608
            f"(source IN ({inside}) OR target IN ({inside})) ORDER BY id",
            [*vparams, place, *vparams, place, *vparams],
        ).fetchall()
        ring = sorted({end for r in link_rows for end in r[1:] if end not in home})
        actors = [orjson.loads(r[1]) for r in home_rows]
        sql = f"SELECT data FROM actors WHERE id IN ({{marks}}) AND {valid}"  # noqa: S608
        actors += [orjson.loads(r[0]) for r in self._each_chunk(sql, ring, *vparams)]
        actors.sort(key=lambda r: r["id"])
        return actors, [orjson.loads(r[0]) for r in link_rows]

    def event_marks(self) -> tuple[int, int]:
        row = self.conn.execute("SELECT count(*), max(seq) FROM events").fetchone()
        return int(row[0]), int(row[1] or 0)

    def events_after(self, seq: int, limit: int) -> list[Record]:
        rows = self.conn.execute(
            "SELECT e.seq, e.id, e.entity, e.before, e.after, "
            "(SELECT group_concat(actor_id, ' ') FROM event_actors a WHERE a.seq = e.seq) "
            "FROM events e WHERE e.seq > ? ORDER BY e.seq LIMIT ?",
            (seq, limit),
        ).fetchall()
        return [
            {
                "seq": r[0],
                "id": r[1],
                "entity": r[2],
                "before": orjson.loads(r[3]) if r[3] else None,
                "after": orjson.loads(r[4]) if r[4] else None,
                "actors": (r[5] or "").split(),
            }
            for r in rows
        ]

    def places_of(self, actor_ids: Sequence[str], ring: Sequence[str]) -> tuple[set[str], int]:
        """The neighbourhoods of ``actor_ids`` and of the actors linked to those in ``ring``,
        and how many of ``actor_ids`` are known."""
        own = self._each_chunk(
            "SELECT neighbourhood_norm FROM actors WHERE id IN ({marks})", actor_ids
        )
        near = self._each_chunk(
            "SELECT DISTINCT a.neighbourhood_norm FROM links l JOIN actors a ON a.id = "
            "(CASE WHEN l.source IN ({marks}) THEN l.target ELSE l.source END) "
            "WHERE l.source IN ({marks}) OR l.target IN ({marks})",
            ring,
        )
        return {r[0] for r in own + near}, len(own)

    def every(self, entity: EntityKind) -> list[Record]:
        rows = self.conn.execute(
            f"SELECT data FROM {TABLES[entity]} ORDER BY id"  # noqa: S608
        ).fetchall()
        return [orjson.loads(r[0]) for r in rows]

    def events(self, f: EventFilter, limit: int, offset: int) -> tuple[list[Record], int]:
        conds: list[str] = []
        params: list[Any] = []
        if f.actor:
            conds.append("seq IN (SELECT seq FROM event_actors WHERE actor_id = ?)")
            params.append(f.actor)
        if f.entity_id:
            conds.append("entity_id = ?")
            params.append(f.entity_id)
        if isinstance(f, EventsOf):
            conds.append(f"entity_id IN ({','.join('?' * len(f.entity_ids)) or 'NULL'})")
            params.extend(f.entity_ids)
            if f.marks_only:
                conds.append("(action = 'confirm' OR json_extract(after, '$.saturation') NOT NULL)")
        if f.entity:
            conds.append("entity = ?")
            params.append(f.entity.value)
        if f.user:
            conds.append("user = ?")
            params.append(f.user)
        if f.start:
            conds.append("at >= ?")
            params.append(utc_iso(f.start))
        if f.end:
            conds.append("at < ?")
            params.append(utc_iso(f.end))
        where = " AND ".join(conds) or "1 = 1"
        total = self.conn.execute(
            f"SELECT count(*) FROM events WHERE {where}",  # noqa: S608
            params,
        ).fetchone()[0]
        rows = self.conn.execute(
            "SELECT seq, id, at, user, action, entity, entity_id, before, after FROM events"  # noqa: S608
            f" WHERE {where} ORDER BY seq LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
        out = []
        for seq, eid, at, user, action, entity, entity_id, before, after in rows:
            actors = [
                a
                for (a,) in self.conn.execute(
                    "SELECT actor_id FROM event_actors WHERE seq = ? ORDER BY actor_id", (seq,)
                )
            ]
            out.append(
                {
                    "seq": seq,
                    "id": eid,
                    "at": at,
                    "user": user,
                    "action": action,
                    "entity": entity,
                    "entity_id": entity_id,
                    "actors": actors,
                    "before": orjson.loads(before) if before else None,
                    "after": orjson.loads(after) if after else None,
                }
            )
        return out, int(total)

    def counts(self) -> dict[str, int]:
        out = {}
        for table in COUNTED:
            count = self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
            out[table] = int(count)
        return out

    def last_event(self) -> int:
        row = self.conn.execute("SELECT max(seq) FROM events").fetchone()
        return int(row[0] or 0)

    # writes
    def insert_many(self, entity: EntityKind, records: Sequence[Record]) -> None:
        if not records:
            return
        cols = ["id", *index_fields(entity, records[0]), "data"]
        marks = ",".join("?" * len(cols))
        sql = f"INSERT INTO {TABLES[entity]} ({','.join(cols)}) VALUES ({marks})"  # noqa: S608
        rows = [[r["id"], *index_fields(entity, r).values(), _json(r)] for r in records]
        self.conn.executemany(sql, rows)

    def insert_with_events(
        self, entity: EntityKind, records: Sequence[Record], events: Sequence[Record]
    ) -> bool:
        self.insert_many(entity, records)
        self.append_events(events)
        return True

    def guards_places(self, entity: EntityKind, records: Sequence[Record]) -> bool:
        return False  # reading the neighbourhoods first costs no round trip here

    def delete_many(self, entity: EntityKind, ids: Sequence[str]) -> None:
        for part in chunks(list(ids), 500):
            marks = ",".join("?" * len(part))
            self.conn.execute(
                f"DELETE FROM {TABLES[entity]} WHERE id IN ({marks})",  # noqa: S608
                list(part),
            )

    def replace(self, entity: EntityKind, record: Record) -> None:
        cols = index_fields(entity, record)
        sets = ", ".join(f"{c} = ?" for c in [*cols, "data"])
        self.conn.execute(
            f"UPDATE {TABLES[entity]} SET {sets} WHERE id = ?",  # noqa: S608
            [*cols.values(), _json(record), record["id"]],
        )

    def open_links_of(self, actor_id: str) -> list[Record]:
        rows = self.conn.execute(
            "SELECT data FROM links WHERE (source = ? OR target = ?) AND until IS NULL",
            (actor_id, actor_id),
        ).fetchall()
        return [orjson.loads(r[0]) for r in rows]

    def positions(self, ids: Sequence[str] | None = None) -> list[Record]:
        if ids is None:
            rows = self.conn.execute("SELECT actor_id, x, y FROM positions").fetchall()
        else:
            sql = "SELECT actor_id, x, y FROM positions WHERE actor_id IN ({marks})"
            rows = self._each_chunk(sql, ids)
        return [{"id": r[0], "x": r[1], "y": r[2]} for r in rows]

    def save_positions(self, rows: Sequence[Record], replace: bool) -> None:
        if replace:
            self.conn.execute("DELETE FROM positions")
        self.conn.executemany(
            "INSERT INTO positions (actor_id, x, y) VALUES (?, ?, ?) "
            "ON CONFLICT(actor_id) DO UPDATE SET x = excluded.x, y = excluded.y",
            [(r["id"], r["x"], r["y"]) for r in rows],
        )

    def erase_actor(self, actor_id: str) -> list[str]:
        """Delete an actor, its links and the referrals naming it; the link ids erased."""
        c = self.conn
        links = [r[0] for r in c.execute(
            "SELECT id FROM links WHERE source = ? OR target = ?", (actor_id, actor_id)
        ).fetchall()]  # fmt: skip
        c.execute("DELETE FROM links WHERE source = ? OR target = ?", (actor_id, actor_id))
        c.execute(
            "DELETE FROM referrals WHERE from_actor = ? OR to_actor = ?", (actor_id, actor_id)
        )
        c.execute("DELETE FROM positions WHERE actor_id = ?", (actor_id,))
        c.execute("DELETE FROM actors WHERE id = ?", (actor_id,))
        return links

    def activities_with(self, actor_id: str) -> list[Record]:
        rows = self.conn.execute(
            f"SELECT data FROM activities WHERE {_has_tag('participants')} "  # noqa: S608
            f"OR {_has_tag('initiators')}",
            (actor_id, actor_id),
        ).fetchall()
        return [orjson.loads(r[0]) for r in rows]

    def lock(self, entity: EntityKind, record_id: str) -> None:
        """Nothing to do: a write transaction holds the whole file (BEGIN IMMEDIATE)."""

    def crises_calling(self, actor_id: str) -> list[Record]:
        rows = self.conn.execute(
            "SELECT data FROM crises WHERE EXISTS (SELECT 1 FROM json_each(data, '$.calls') "
            "WHERE json_extract(value, '$.actor') = ?)",
            (actor_id,),
        ).fetchall()
        return [orjson.loads(r[0]) for r in rows]

    def observations_from(self, actor_id: str) -> list[Record]:
        rows = self.conn.execute(
            f"SELECT data FROM observations WHERE {_has_tag('sources')}",  # noqa: S608
            (actor_id,),
        ).fetchall()
        return [orjson.loads(r[0]) for r in rows]

    def wipe(self) -> None:
        """Delete everything (a restore that replaces the store); events number from 1 again."""
        self.conn.execute("PRAGMA defer_foreign_keys = ON")  # checked at commit, not per table
        for (table,) in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall():
            self.conn.execute(f"DELETE FROM {table}")  # noqa: S608 - names from the schema
        self.conn.execute("DELETE FROM sqlite_sequence")

    def scrub_events(self, actor_id: str, record_ids: Sequence[str], gone: Record) -> None:
        text = json.dumps(gone)
        marks = ",".join("?" * len(record_ids))
        self.conn.execute(  # placeholders only
            "UPDATE events SET before = ?, after = ? WHERE seq IN "  # noqa: S608
            "(SELECT seq FROM event_actors WHERE actor_id = ?) "
            f"OR entity_id IN ({marks})",
            [text, text, actor_id, *record_ids],
        )

    # an import's journal (graph/bulk.py)
    def start_import(self, job: Record) -> None:
        self.conn.execute(
            "INSERT INTO imports (id, user, at, touched) VALUES (?, ?, ?, ?)",
            (job["id"], job["user"], job["at"], job["touched"]),
        )

    def touch_import(self, job_id: str, touched: str) -> None:
        self.conn.execute("UPDATE imports SET touched = ? WHERE id = ?", (touched, job_id))

    def finish_import(self, job_id: str) -> None:
        self.conn.execute("DELETE FROM imports WHERE id = ?", (job_id,))

    def unfinished_imports(self) -> list[Record]:
        rows = self.conn.execute("SELECT id, user, at, touched FROM imports").fetchall()
        return [dict(zip(("id", "user", "at", "touched"), r, strict=True)) for r in rows]

    def import_events(self, user: str, at: str) -> list[Record]:
        rows = self.conn.execute(
            "SELECT seq, action, entity, entity_id, before FROM events"
            " WHERE user = ? AND at = ? ORDER BY seq",
            (user, at),
        ).fetchall()
        return [
            {"seq": seq, "action": action, "entity": entity, "entity_id": entity_id,
             "before": orjson.loads(before) if before else None}
            for seq, action, entity, entity_id, before in rows
        ]  # fmt: skip

    def drop_events(self, seqs: Sequence[int]) -> None:
        for part in chunks(list(seqs), 500):
            marks = ",".join("?" * len(part))
            self.conn.execute(f"DELETE FROM event_actors WHERE seq IN ({marks})", list(part))  # noqa: S608
            self.conn.execute(f"DELETE FROM events WHERE seq IN ({marks})", list(part))  # noqa: S608

    def unmake(self, link_ids: Sequence[str], actor_ids: Sequence[str]) -> list[str]:
        """Delete links, then the actors no other link or referral names; those kept."""
        self.delete_many(EntityKind.link, link_ids)
        used: set[str] = set()
        for part in chunks(list(actor_ids), 400):
            marks = ",".join("?" * len(part))
            for table, ends in (("links", "source, target"), ("referrals", "from_actor, to_actor")):
                first, second = ends.split(", ")
                sql = (
                    f"SELECT {ends} FROM {table} "  # noqa: S608 - names written here
                    f"WHERE {first} IN ({marks}) OR {second} IN ({marks})"
                )
                for row in self.conn.execute(sql, [*part, *part]):
                    used.update(row)
        gone = [a for a in actor_ids if a not in used]
        for part in chunks(gone, 500):
            marks = ",".join("?" * len(part))
            self.conn.execute(f"DELETE FROM positions WHERE actor_id IN ({marks})", list(part))  # noqa: S608
        self.delete_many(EntityKind.actor, gone)
        return [a for a in actor_ids if a in used]

    def append_events(self, events: Sequence[Record]) -> None:
        """Numbered after the last number ever given (AUTOINCREMENT's own counter, so a
        number is never reused), in two ``executemany`` (an import writes 100,000)."""
        if not events:
            return
        row = self.conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'events'").fetchone()
        first = int(row[0] if row else 0) + 1
        self.conn.executemany(
            "INSERT INTO events (seq, id, at, user, action, entity, entity_id, before, after)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    first + offset,
                    e["id"],
                    e["at"],
                    e["user"],
                    e["action"],
                    e["entity"],
                    e["entity_id"],
                    _json(e["before"]) if e["before"] else None,
                    _json(e["after"]) if e["after"] else None,
                )
                for offset, e in enumerate(events)
            ],
        )
        self.conn.executemany(
            "INSERT INTO event_actors (actor_id, seq) VALUES (?, ?)",
            [(a, first + offset) for offset, e in enumerate(events) for a in e["actors"]],
        )


def _json(value: Any) -> str:
    """A record as stored: compact JSON, UTF-8 as it is (orjson: ~5x json's speed, which
    counts when an import writes 100,000 records and as many events)."""
    return orjson.dumps(value).decode()


def _translate(exc: sqlite3.Error) -> Exception:
    """SQLite's error in our words; its own message goes to the log, never to a client."""
    text = str(exc)
    log.warning("SQLite: %s: %s", type(exc).__name__, text)
    if isinstance(exc, sqlite3.IntegrityError):
        if "UNIQUE" in text:
            return Conflict("this record already exists")
        if "FOREIGN KEY" in text:
            return InvalidInput("the record refers to an actor that does not exist")
        return InvalidInput("the record breaks a rule of the database")
    if isinstance(exc, sqlite3.OperationalError) and "locked" in text:
        return StoreUnavailable("the database is busy (locked by another writer); try again")
    if "full" in text:
        return StoreUnavailable("the disk of the database is full: nothing was written")
    return StoreUnavailable("the SQLite store failed; the details are in the server's log")


def _rollback(conn: sqlite3.Connection) -> None:
    """Undo the transaction, if SQLite has not already (a full disk rolls it back itself)."""
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            log.warning("rollback failed", exc_info=True)


class SqliteGraphStore(BaseGraphStore):
    """The embedded store: one SQLite file, one connection per thread."""

    backend = "sqlite"

    def __init__(self, path: str | Path = DEFAULT_PATH) -> None:
        self.path = Path(path)
        if str(path) == ":memory:":
            raise InvalidInput("SqliteGraphStore needs a file path (WAL mode), not ':memory:'")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable(f"cannot create the folder of {self.path}: {exc}") from exc
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._write_turn = threading.RLock()  # re-entrant: a nested write fails, never hangs
        self._migrate()

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(
                    self.path, timeout=30, isolation_level=None, check_same_thread=False
                )
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA foreign_keys = ON")
                conn.execute("PRAGMA busy_timeout = 30000")
                conn.execute("PRAGMA synchronous = NORMAL")
                # deleted content is overwritten with zeros, not left in free pages (erasure)
                conn.execute("PRAGMA secure_delete = ON")
            except sqlite3.Error as exc:
                raise StoreUnavailable(f"cannot open the SQLite store {self.path}: {exc}") from exc
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    @contextmanager
    def _transaction(self, mode: str) -> Iterator[_Tx]:
        conn = self._conn()
        try:
            conn.execute(f"BEGIN {mode}")
        except sqlite3.Error as exc:
            raise _translate(exc) from exc
        try:
            yield _Tx(conn)
        except sqlite3.Error as exc:
            _rollback(conn)
            raise _translate(exc) from exc
        except BaseException:
            _rollback(conn)
            raise
        else:
            try:
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                _rollback(conn)
                raise _translate(exc) from exc

    def _after_erasure(self) -> None:
        """Copy the WAL into the database (where ``secure_delete`` zeroed the erased rows) and
        empty it, so that an erased actor's text stays in no file."""
        with self._write_turn:
            try:
                self._conn().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            except sqlite3.Error as exc:
                raise _translate(exc) from exc

    def _write(self, work: Callable[[Any], R]) -> R:
        # SQLite has one writer at a time anyway; queueing this process's writers on a lock
        # hands the turn over at once, where SQLite's busy handler polls with sleeps growing
        # to 100 ms (p99 of 50 writers: 1.1 s with the busy handler alone)
        with self._write_turn, self._transaction("IMMEDIATE") as tx:
            return work(tx)

    def _write_many(self, work: Callable[[Any], R]) -> R:
        with self._bulk():
            return self._write(work)

    @contextmanager
    def _bulk(self) -> Iterator[None]:
        # an import's random ids land all over the indexes: with SQLite's default cache
        # (2 MB) pages go back and forth to the WAL; a larger cache for this thread's
        # connection while it writes many records, kept from one chunk to the next (reads
        # keep the default: a connection per thread each with its own cache)
        conn = self._conn()
        conn.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
        try:
            yield
        finally:
            conn.execute("PRAGMA cache_size = -2000")

    def _read(self, work: Callable[[Any], R]) -> R:
        with self._transaction("DEFERRED") as tx:
            return work(tx)

    def _migrate(self) -> None:
        with self._transaction("IMMEDIATE") as tx:
            version = tx.conn.execute("PRAGMA user_version").fetchone()[0]
            if version > len(MIGRATIONS):
                raise StoreUnavailable(
                    f"{self.path} has schema version {version}, newer than this Maillage "
                    f"({len(MIGRATIONS)}): upgrade Maillage"
                )
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                if callable(script):  # a migration of the data, written once for every store
                    script(tx)
                    tx.conn.execute(f"PRAGMA user_version = {number}")
                    continue
                for statement in script.split(";"):
                    if statement.strip():
                        tx.conn.execute(statement)
                tx.conn.execute(f"PRAGMA user_version = {number}")

    @property
    def schema_version(self) -> int:
        return int(self._conn().execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()
