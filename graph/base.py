"""Domain logic shared by both stores: validation, records, events, history and path finding.

An adapter supplies transactions (:class:`WriteTx`, :class:`ReadTx`) over its own storage;
everything that must behave the same on SQLite and Neo4j lives here, once.
"""

from __future__ import annotations

import itertools
import math
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Protocol, TypeVar

import networkx as nx
from pydantic import BaseModel, ValidationError

from graph.errors import Conflict, InvalidInput, NotFound
from graph.model import (
    Activity,
    ActivityCreate,
    ActivityFilter,
    ActivityUpdate,
    Actor,
    ActorCreate,
    ActorFilter,
    ActorStatus,
    ActorUpdate,
    EgoNetwork,
    EgoNode,
    EntityKind,
    Event,
    EventAction,
    EventFilter,
    IntroductionPath,
    Link,
    LinkCreate,
    LinkFilter,
    LinkType,
    LinkUpdate,
    Neighbourhood,
    NeighbourhoodCreate,
    NeighbourhoodFilter,
    NeighbourhoodUpdate,
    Page,
    PathHop,
    Referral,
    ReferralCreate,
    ReferralFilter,
    ReferralUpdate,
    User,
    UserCreate,
    is_valid_on,
    natural_key,
    normalise_name,
    now,
    today,
)

Record = dict[str, Any]
M = TypeVar("M", bound=BaseModel)
R = TypeVar("R")
T = TypeVar("T")

MAX_PAGE = 1000
MAX_OFFSET = 10_000_000
MAX_PATHS = 20
MAX_HOPS = 6  # longer chains of introductions are not proposed
MAX_PATH_CANDIDATES = 500


class WriteTx(Protocol):
    """What a write transaction of an adapter offers."""

    def get(self, entity: EntityKind, record_id: str) -> Record | None: ...
    def existing(self, entity: EntityKind, ids: Sequence[str]) -> set[str]: ...
    def insert_many(self, entity: EntityKind, records: Sequence[Record]) -> None: ...
    def replace(self, entity: EntityKind, record: Record) -> None: ...
    def open_links_of(self, actor_id: str) -> list[Record]: ...
    def append_events(self, events: Sequence[Record]) -> None: ...
    def save_positions(self, rows: Sequence[Record], replace: bool) -> None: ...


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
    def events(self, filters: EventFilter, limit: int, offset: int) -> tuple[list[Record], int]: ...
    def counts(self) -> dict[str, int]: ...
    def positions(self) -> list[Record]: ...


# --------------------------------------------------------------------------- helpers


def validate(model: type[M], data: M | Mapping[str, Any]) -> M:
    """Validate input into ``model``; a bad input raises InvalidInput naming each field."""
    if isinstance(data, model):
        return data
    if isinstance(data, BaseModel):
        data = data.model_dump(exclude_unset=True)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(describe_validation_error(exc), details=field_errors(exc)) from exc


def field_errors(exc: ValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors(include_url=False, include_input=False):
        loc = [str(p) for p in err["loc"]]
        message = err["msg"].removeprefix("Value error, ")
        out.append({"field": ".".join(loc) or None, "message": message})
    return out


def describe_validation_error(exc: ValidationError) -> str:
    parts = []
    for err in field_errors(exc):
        parts.append(f"{err['field']}: {err['message']}" if err["field"] else err["message"])
    return "; ".join(parts)


def _describe_problems(problems: Sequence[Mapping[str, Any]], rows: bool) -> str:
    parts = []
    for p in problems[:5]:
        prefix = f"row {p['row']}: " if rows else ""
        field = f"{p['field']}: " if p.get("field") else ""
        parts.append(f"{prefix}{field}{p['message']}")
    more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
    return "; ".join(parts) + more


def link_active_key(record: Record) -> str | None:
    """The key that keeps one open link of a type between two actors (None once ended)."""
    if record.get("until") is not None:
        return None
    a, b = record["source"], record["target"]
    if not record["directed"]:
        a, b = sorted((a, b))
    return f"{record['type']}|{a}|{b}"


def index_fields(entity: EntityKind, r: Record) -> dict[str, Any]:
    """The indexed fields of a record, besides ``id`` and the whole record."""
    if entity is EntityKind.actor:
        return {
            "natural_key": r["natural_key"],
            "name_norm": normalise_name(r["name"]),
            "kind": r["kind"],
            "neighbourhood_norm": normalise_name(r["neighbourhood"]),
            "status": r["status"],
            "since": r.get("since"),
            "until": r.get("until"),
        }
    if entity is EntityKind.link:
        return {
            "source": r["source"],
            "target": r["target"],
            "type": r["type"],
            "mission": r["mission"],
            "recorded_by": r["recorded_by"],
            "since": r.get("since"),
            "until": r.get("until"),
            "active_key": link_active_key(r),
        }
    if entity is EntityKind.activity:
        return {
            "neighbourhood_norm": normalise_name(r["neighbourhood"]),
            "mission": r["mission"],
            "since": r.get("since"),
            "until": r.get("until"),
        }
    if entity is EntityKind.referral:
        return {
            "date": r["date"],
            "from_actor": r["from_actor"],
            "to_actor": r["to_actor"],
            "theme": r["theme"],
            "outcome": r["outcome"],
        }
    if entity in (EntityKind.user, EntityKind.token):
        return {"natural_key": r["natural_key"], "since": None, "until": None}
    return {
        "natural_key": r["natural_key"],
        "municipality_norm": normalise_name(r["municipality"]),
        "since": r.get("since"),
        "until": r.get("until"),
    }


def chunks(rows: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Consecutive slices of at most ``size`` rows (for bulk statements)."""
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def record_valid_on(record: Record, as_of: date | None) -> bool:
    return is_valid_on(_as_date(record.get("since")), _as_date(record.get("until")), as_of)


def _dump(model: BaseModel) -> Record:
    return model.model_dump(mode="json")


def _check_until(until: date, since: Any, what: str) -> str:
    if until > today():
        raise InvalidInput(
            f"cannot end {what} on {until.isoformat()}: the date is in the future",
            details=[{"field": "until", "message": "date in the future"}],
        )
    start = _as_date(since)
    if start is not None and until < start:
        raise InvalidInput(
            f"cannot end {what} on {until.isoformat()}: it started on {start.isoformat()}",
            details=[{"field": "until", "message": "before 'since'"}],
        )
    return until.isoformat()


_ENTITY_WORDS = {
    EntityKind.actor: "actor",
    EntityKind.link: "link",
    EntityKind.activity: "activity",
    EntityKind.referral: "referral",
    EntityKind.neighbourhood: "neighbourhood",
}

_MODELS: dict[EntityKind, type[BaseModel]] = {
    EntityKind.actor: Actor,
    EntityKind.link: Link,
    EntityKind.activity: Activity,
    EntityKind.referral: Referral,
    EntityKind.neighbourhood: Neighbourhood,
}

_CREATE_MODELS: dict[EntityKind, type[BaseModel]] = {
    EntityKind.actor: ActorCreate,
    EntityKind.link: LinkCreate,
    EntityKind.activity: ActivityCreate,
    EntityKind.referral: ReferralCreate,
    EntityKind.neighbourhood: NeighbourhoodCreate,
}

_RECORD_ONLY = ("id", "recorded_by", "recorded_at", "updated_by", "updated_at")


def _check_record(entity: EntityKind, record: Record) -> None:
    """Validate a whole record as it will be stored, before anything is written."""
    model = _MODELS.get(entity)
    if model is not None:
        validate(model, record)


def _involved_actors(entity: EntityKind, record: Record) -> list[str]:
    if entity is EntityKind.actor:
        return [record["id"]]
    if entity is EntityKind.link:
        return [record["source"], record["target"]]
    if entity is EntityKind.referral:
        return [record["from_actor"], record["to_actor"]]
    if entity is EntityKind.activity:
        return list(record.get("participants") or [])
    return []


def _event(
    action: EventAction,
    entity: EntityKind,
    user: str,
    at: datetime,
    before: Record | None,
    after: Record | None,
) -> Record:
    subject = after if after is not None else before
    assert subject is not None
    actors = set(_involved_actors(entity, subject))
    if before is not None and after is not None:
        actors |= set(_involved_actors(entity, before))
    return {
        "id": uuid.uuid4().hex,
        "at": at.isoformat(),
        "user": user,
        "action": action.value,
        "entity": entity.value,
        "entity_id": subject["id"],
        "actors": sorted(actors),
        "before": before,
        "after": after,
    }


def _check_user(by: str) -> str:
    user = (by or "").strip()
    if not user or len(user) > 200:
        raise InvalidInput("every write needs the name of the user who records it ('by')")
    return user


def _page_bounds(limit: int, offset: int) -> tuple[int, int]:
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"'limit' must be between 1 and {MAX_PAGE}, not {limit}")
    if not 0 <= offset <= MAX_OFFSET:
        raise InvalidInput(f"'offset' must be between 0 and {MAX_OFFSET}, not {offset}")
    return limit, offset


# --------------------------------------------------------------------------- the base store


class BaseGraphStore:
    """The port's operations, written once on top of an adapter's transactions."""

    backend = "base"

    # -- adapter hooks
    def _write(self, work: Callable[[WriteTx], R]) -> R:
        raise NotImplementedError

    def _read(self, work: Callable[[ReadTx], R]) -> R:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    # -- generic operations

    def _new_record(self, entity: EntityKind, model: BaseModel, by: str, at: datetime) -> Record:
        record = _dump(model)
        record["id"] = uuid.uuid4().hex
        record["recorded_by"] = by
        record["recorded_at"] = at.isoformat()
        record["updated_by"] = None
        record["updated_at"] = None
        if "since" in record and record["since"] is None:
            record["since"] = at.date().isoformat()
            if record.get("until") is not None and record["until"] < record["since"]:
                raise InvalidInput(
                    f"until: 'until' ({record['until']}) is before 'since', which defaults to "
                    f"the day of recording ({record['since']}): give 'since'",
                    details=[{"field": "until", "message": "before 'since' (default: today)"}],
                )
        self._derive(entity, record)
        _check_record(entity, record)
        return record

    @staticmethod
    def _derive(entity: EntityKind, record: Record) -> None:
        """Fill the fields computed from others (keys, direction)."""
        if entity is EntityKind.actor:
            record["natural_key"] = natural_key(record["name"], record["neighbourhood"])
        elif entity is EntityKind.neighbourhood:
            record["natural_key"] = natural_key(record["name"], record["municipality"])
        elif entity is EntityKind.link:
            record["directed"] = LinkType(record["type"]).directed

    def _references(self, entity: EntityKind, record: Record) -> dict[str, list[str]]:
        if entity is EntityKind.link:
            return {"source": [record["source"]], "target": [record["target"]]}
        if entity is EntityKind.referral:
            return {"from_actor": [record["from_actor"]], "to_actor": [record["to_actor"]]}
        if entity is EntityKind.activity:
            return {"participants": list(record.get("participants") or [])}
        return {}

    def _check_references(self, tx: WriteTx, entity: EntityKind, records: Sequence[Record]) -> None:
        wanted: dict[str, set[str]] = {}
        for record in records:
            for field, ids in self._references(entity, record).items():
                wanted.setdefault(field, set()).update(ids)
        if not wanted:
            return
        all_ids = sorted(set().union(*wanted.values()))
        found = tx.existing(EntityKind.actor, all_ids)
        problems = [
            {"field": field, "message": f"no actor has the id {missing!r}"}
            for field, ids in wanted.items()
            for missing in sorted(ids - found)
        ]
        if problems:
            raise InvalidInput(
                "; ".join(f"{p['field']}: {p['message']}" for p in problems), details=problems
            )

    def _create_many(
        self,
        entity: EntityKind,
        rows: Sequence[BaseModel | Mapping[str, Any]],
        by: str,
        at: datetime | None,
    ) -> list[Record]:
        user = _check_user(by)
        when = at or now()
        create_model = _CREATE_MODELS[entity]
        records: list[Record] = []
        problems: list[dict[str, Any]] = []
        for index, row in enumerate(rows):
            try:
                records.append(self._new_record(entity, validate(create_model, row), user, when))
            except InvalidInput as exc:
                for detail in exc.details or [{"field": None, "message": exc.message}]:
                    problems.append({"row": index, **detail})
        if problems:
            raise InvalidInput(_describe_problems(problems, len(rows) > 1), details=problems)
        self._check_batch_duplicates(entity, records)
        events = [_event(EventAction.create, entity, user, when, None, r) for r in records]

        def work(tx: WriteTx) -> None:
            self._check_references(tx, entity, records)
            tx.insert_many(entity, records)
            tx.append_events(events)

        try:
            self._write(work)
        except Conflict as exc:
            raise self._explain_conflict(entity, records, exc) from exc
        return records

    def _check_batch_duplicates(self, entity: EntityKind, records: Sequence[Record]) -> None:
        key_of: Callable[[Record], str | None]
        if entity in (EntityKind.actor, EntityKind.neighbourhood):
            key_of = lambda r: r["natural_key"]  # noqa: E731
        elif entity is EntityKind.link:
            key_of = link_active_key
        else:
            return
        seen: dict[str, int] = {}
        for index, record in enumerate(records):
            key = key_of(record)
            if key is None:
                continue
            if key in seen:
                raise Conflict(
                    f"rows {seen[key]} and {index} describe the same {_ENTITY_WORDS[entity]}",
                    details={"rows": [seen[key], index]},
                )
            seen[key] = index

    def _explain_conflict(
        self, entity: EntityKind, records: Sequence[Record], exc: Conflict
    ) -> Conflict:
        """Name the existing record a refused write collided with."""

        def find(tx: ReadTx) -> Record | None:
            for record in records:
                if entity in (EntityKind.actor, EntityKind.neighbourhood):
                    hit = tx.find_by_key(entity, record["natural_key"])
                elif entity is EntityKind.link:
                    key = link_active_key(record)
                    hit = tx.find_by_key(entity, key) if key else None
                else:
                    hit = None
                if hit is not None:
                    return hit
            return None

        existing = self._read(find)
        if existing is None:
            return exc
        word = _ENTITY_WORDS[entity]
        if entity is EntityKind.link:
            message = (
                f"an open {existing['type']} link already joins these actors "
                f"(link {existing['id']}, recorded by {existing['recorded_by']})"
            )
            details = {"existing_id": existing["id"], "existing_type": existing["type"]}
        else:
            message = (
                f"this {word} already exists: {existing['name']!r} "
                f"(id {existing['id']}); duplicates are refused, not merged"
            )
            details = {"existing_id": existing["id"], "existing_name": existing["name"]}
        return Conflict(message, details=details)

    def _get(self, entity: EntityKind, record_id: str, as_of: date | None = None) -> Record:
        record = self._read(lambda tx: tx.get(entity, record_id))
        word = _ENTITY_WORDS[entity]
        if record is None:
            raise NotFound(f"no {word} has the id {record_id!r}", details={"id": record_id})
        if as_of is not None and not record_valid_on(record, as_of):
            raise NotFound(
                f"the {word} {record_id!r} was not there on {as_of.isoformat()}",
                details={"id": record_id, "as_of": as_of.isoformat()},
            )
        return record

    def _update(
        self,
        entity: EntityKind,
        record_id: str,
        changes_model: type[BaseModel],
        changes: BaseModel | Mapping[str, Any],
        by: str,
    ) -> Record:
        user = _check_user(by)
        update = validate(changes_model, changes)
        patch = update.model_dump(mode="json", exclude_unset=True)
        create_model = _CREATE_MODELS[entity]
        word = _ENTITY_WORDS[entity]
        when = now()
        attempted: list[Record] = []

        def work(tx: WriteTx) -> Record:
            before = tx.get(entity, record_id)
            if before is None:
                raise NotFound(f"no {word} has the id {record_id!r}", details={"id": record_id})
            fields = {k: before.get(k) for k in create_model.model_fields}
            fields.update(patch)
            checked = validate(create_model, fields)
            after = {**before, **_dump(checked)}
            after["updated_by"] = user
            after["updated_at"] = when.isoformat()
            self._derive(entity, after)
            _check_record(entity, after)
            self._check_references(tx, entity, [after])
            attempted[:] = [after]
            tx.replace(entity, after)
            tx.append_events([_event(EventAction.update, entity, user, when, before, after)])
            return after

        try:
            return self._write(work)
        except Conflict as exc:
            raise self._explain_conflict(entity, attempted, exc) from exc

    def _end(self, entity: EntityKind, record_id: str, until: date, by: str) -> Record:
        user = _check_user(by)
        word = _ENTITY_WORDS[entity]
        when = now()

        def work(tx: WriteTx) -> Record:
            before = tx.get(entity, record_id)
            if before is None:
                raise NotFound(f"no {word} has the id {record_id!r}", details={"id": record_id})
            if before.get("until") is not None:
                raise Conflict(
                    f"this {word} already ended on {before['until']}",
                    details={"id": record_id, "until": before["until"]},
                )
            end = _check_until(until, before.get("since"), f"this {word}")
            after = {**before, "until": end, "updated_by": user, "updated_at": when.isoformat()}
            if entity is EntityKind.actor:
                after["status"] = ActorStatus.closed.value
            self._derive(entity, after)
            _check_record(entity, after)
            events = [_event(EventAction.end, entity, user, when, before, after)]
            tx.replace(entity, after)
            if entity is EntityKind.actor:
                # An actor that ends takes its open links with it, on the same date
                # (or on the day a link began, if that is later).
                for link in tx.open_links_of(record_id):
                    link_end = max(end, link.get("since") or end)
                    ended = {**link, "until": link_end, "updated_by": user}
                    ended["updated_at"] = when.isoformat()
                    tx.replace(EntityKind.link, ended)
                    events.append(_event(EventAction.end, EntityKind.link, user, when, link, ended))
            tx.append_events(events)
            return after

        return self._write(work)

    def _list(
        self, entity: EntityKind, filters: BaseModel, limit: int, offset: int
    ) -> tuple[list[Record], int]:
        limit, offset = _page_bounds(limit, offset)
        return self._read(lambda tx: tx.query(entity, filters, limit, offset))

    # -- actors

    def create_actor(
        self, data: ActorCreate | Mapping[str, Any], *, by: str, at: datetime | None = None
    ) -> Actor:
        return Actor.model_validate(self._create_many(EntityKind.actor, [data], by, at)[0])

    def create_actors(
        self,
        rows: Sequence[ActorCreate | Mapping[str, Any]],
        *,
        by: str,
        at: datetime | None = None,
    ) -> list[Actor]:
        return [Actor.model_validate(r) for r in self._create_many(EntityKind.actor, rows, by, at)]

    def get_actor(self, actor_id: str, *, as_of: date | None = None) -> Actor:
        return Actor.model_validate(self._get(EntityKind.actor, actor_id, as_of))

    def update_actor(
        self, actor_id: str, changes: ActorUpdate | Mapping[str, Any], *, by: str
    ) -> Actor:
        record = self._update(EntityKind.actor, actor_id, ActorUpdate, changes, by)
        return Actor.model_validate(record)

    def end_actor(self, actor_id: str, until: date, *, by: str) -> Actor:
        return Actor.model_validate(self._end(EntityKind.actor, actor_id, until, by))

    def list_actors(
        self, filters: ActorFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> Page[Actor]:
        rows, total = self._list(EntityKind.actor, filters or ActorFilter(), limit, offset)
        items = [Actor.model_validate(r) for r in rows]
        return Page[Actor](items=items, total=total, limit=limit, offset=offset)

    # -- links

    def create_link(
        self, data: LinkCreate | Mapping[str, Any], *, by: str, at: datetime | None = None
    ) -> Link:
        return Link.model_validate(self._create_many(EntityKind.link, [data], by, at)[0])

    def create_links(
        self,
        rows: Sequence[LinkCreate | Mapping[str, Any]],
        *,
        by: str,
        at: datetime | None = None,
    ) -> list[Link]:
        return [Link.model_validate(r) for r in self._create_many(EntityKind.link, rows, by, at)]

    def get_link(self, link_id: str, *, as_of: date | None = None) -> Link:
        return Link.model_validate(self._get(EntityKind.link, link_id, as_of))

    def update_link(
        self, link_id: str, changes: LinkUpdate | Mapping[str, Any], *, by: str
    ) -> Link:
        return Link.model_validate(self._update(EntityKind.link, link_id, LinkUpdate, changes, by))

    def end_link(self, link_id: str, until: date, *, by: str) -> Link:
        return Link.model_validate(self._end(EntityKind.link, link_id, until, by))

    def list_links(
        self, filters: LinkFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> Page[Link]:
        rows, total = self._list(EntityKind.link, filters or LinkFilter(), limit, offset)
        items = [Link.model_validate(r) for r in rows]
        return Page[Link](items=items, total=total, limit=limit, offset=offset)

    # -- activities

    def create_activity(
        self, data: ActivityCreate | Mapping[str, Any], *, by: str, at: datetime | None = None
    ) -> Activity:
        return Activity.model_validate(self._create_many(EntityKind.activity, [data], by, at)[0])

    def get_activity(self, activity_id: str, *, as_of: date | None = None) -> Activity:
        return Activity.model_validate(self._get(EntityKind.activity, activity_id, as_of))

    def update_activity(
        self, activity_id: str, changes: ActivityUpdate | Mapping[str, Any], *, by: str
    ) -> Activity:
        record = self._update(EntityKind.activity, activity_id, ActivityUpdate, changes, by)
        return Activity.model_validate(record)

    def end_activity(self, activity_id: str, until: date, *, by: str) -> Activity:
        return Activity.model_validate(self._end(EntityKind.activity, activity_id, until, by))

    def list_activities(
        self, filters: ActivityFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> Page[Activity]:
        rows, total = self._list(EntityKind.activity, filters or ActivityFilter(), limit, offset)
        items = [Activity.model_validate(r) for r in rows]
        return Page[Activity](items=items, total=total, limit=limit, offset=offset)

    # -- referrals

    def create_referral(
        self, data: ReferralCreate | Mapping[str, Any], *, by: str, at: datetime | None = None
    ) -> Referral:
        return Referral.model_validate(self._create_many(EntityKind.referral, [data], by, at)[0])

    def create_referrals(
        self,
        rows: Sequence[ReferralCreate | Mapping[str, Any]],
        *,
        by: str,
        at: datetime | None = None,
    ) -> list[Referral]:
        """Several referrals in one transaction: all are written or none."""
        records = self._create_many(EntityKind.referral, rows, by, at)
        return [Referral.model_validate(r) for r in records]

    def get_referral(self, referral_id: str) -> Referral:
        return Referral.model_validate(self._get(EntityKind.referral, referral_id))

    def update_referral(
        self, referral_id: str, changes: ReferralUpdate | Mapping[str, Any], *, by: str
    ) -> Referral:
        record = self._update(EntityKind.referral, referral_id, ReferralUpdate, changes, by)
        return Referral.model_validate(record)

    def end_referral(self, referral_id: str, closed_on: date, *, by: str) -> Referral:
        user = _check_user(by)
        when = now()

        def work(tx: WriteTx) -> Record:
            before = tx.get(EntityKind.referral, referral_id)
            if before is None:
                raise NotFound(
                    f"no referral has the id {referral_id!r}", details={"id": referral_id}
                )
            if before.get("closed_on") is not None:
                raise Conflict(f"this referral was already closed on {before['closed_on']}")
            closed = _check_until(closed_on, before["date"], "this referral")
            after = {**before, "closed_on": closed, "updated_by": user}
            after["updated_at"] = when.isoformat()
            tx.replace(EntityKind.referral, after)
            tx.append_events(
                [_event(EventAction.end, EntityKind.referral, user, when, before, after)]
            )
            return after

        return Referral.model_validate(self._write(work))

    def list_referrals(
        self, filters: ReferralFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> Page[Referral]:
        rows, total = self._list(EntityKind.referral, filters or ReferralFilter(), limit, offset)
        items = [Referral.model_validate(r) for r in rows]
        return Page[Referral](items=items, total=total, limit=limit, offset=offset)

    # -- neighbourhoods

    def create_neighbourhood(
        self,
        data: NeighbourhoodCreate | Mapping[str, Any],
        *,
        by: str,
        at: datetime | None = None,
    ) -> Neighbourhood:
        records = self._create_many(EntityKind.neighbourhood, [data], by, at)
        return Neighbourhood.model_validate(records[0])

    def get_neighbourhood(
        self, neighbourhood_id: str, *, as_of: date | None = None
    ) -> Neighbourhood:
        return Neighbourhood.model_validate(
            self._get(EntityKind.neighbourhood, neighbourhood_id, as_of)
        )

    def update_neighbourhood(
        self,
        neighbourhood_id: str,
        changes: NeighbourhoodUpdate | Mapping[str, Any],
        *,
        by: str,
    ) -> Neighbourhood:
        record = self._update(
            EntityKind.neighbourhood, neighbourhood_id, NeighbourhoodUpdate, changes, by
        )
        return Neighbourhood.model_validate(record)

    def end_neighbourhood(self, neighbourhood_id: str, until: date, *, by: str) -> Neighbourhood:
        record = self._end(EntityKind.neighbourhood, neighbourhood_id, until, by)
        return Neighbourhood.model_validate(record)

    def list_neighbourhoods(
        self, filters: NeighbourhoodFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> Page[Neighbourhood]:
        f = filters or NeighbourhoodFilter()
        rows, total = self._list(EntityKind.neighbourhood, f, limit, offset)
        items = [Neighbourhood.model_validate(r) for r in rows]
        return Page[Neighbourhood](items=items, total=total, limit=limit, offset=offset)

    # -- who knows whom

    def ego_network(
        self, actor_id: str, *, depth: int = 1, as_of: date | None = None
    ) -> EgoNetwork:
        if not 1 <= depth <= 3:
            raise InvalidInput(f"'depth' must be 1, 2 or 3, not {depth}")
        centre = self._get(EntityKind.actor, actor_id, as_of)
        if as_of is None and not record_valid_on(centre, None):
            raise NotFound(f"the actor {actor_id!r} has ended on {centre['until']}")

        def work(tx: ReadTx) -> EgoNetwork:
            distance: dict[str, int] = {actor_id: 0}
            actors: dict[str, Record] = {actor_id: centre}
            frontier = [actor_id]
            for level in range(1, depth + 1):
                links = tx.links_touching(frontier, as_of)
                candidates = {
                    end
                    for link in links
                    for end in (link["source"], link["target"])
                    if end not in distance
                }
                found = [
                    a
                    for a in tx.get_many(EntityKind.actor, sorted(candidates))
                    if record_valid_on(a, as_of)
                ]
                frontier = []
                for actor in found:
                    distance[actor["id"]] = level
                    actors[actor["id"]] = actor
                    frontier.append(actor["id"])
                if not frontier:
                    break
            members = set(distance)
            links = [
                link
                for link in tx.links_touching(sorted(members), as_of)
                if link["source"] in members and link["target"] in members
            ]
            unique_links = {link["id"]: link for link in links}
            nodes = [
                EgoNode(actor=Actor.model_validate(actors[i]), distance=d)
                for i, d in sorted(distance.items(), key=lambda kv: (kv[1], actors[kv[0]]["name"]))
            ]
            return EgoNetwork(
                center=actor_id,
                depth=depth,
                as_of=as_of,
                nodes=nodes,
                links=[Link.model_validate(unique_links[k]) for k in sorted(unique_links)],
            )

        return self._read(work)

    def introduction_paths(
        self, source: str, target: str, *, k: int = 3, as_of: date | None = None
    ) -> list[IntroductionPath]:
        """Up to ``k`` chains of introduction, shortest first.

        Links count in both directions (an introduction travels either way along a referral).
        Chains of the same length are ranked by their weakest link (stronger first), then by
        their total strength, then by the date of their stalest link (more recent first).
        """
        if not 1 <= k <= MAX_PATHS:
            raise InvalidInput(f"'k' must be between 1 and {MAX_PATHS}, not {k}")
        if source == target:
            raise InvalidInput("source and target are the same actor")
        ends = [
            self._get(EntityKind.actor, source, as_of),
            self._get(EntityKind.actor, target, as_of),
        ]
        return self._read(lambda tx: self._paths_around(tx, ends, k, as_of))

    def _paths_around(
        self, tx: ReadTx, ends: list[Record], k: int, as_of: date | None
    ) -> list[IntroductionPath]:
        """Introduction paths from the neighbourhoods of the two actors only.

        Grows a ball around each end, level by level, loading only the links of the actors
        reached (bidirectional search). Every actor on a chain of ``L`` hops lies within
        ``L // 2`` hops of one end, so once both balls reach that radius the local graph holds
        every chain of up to ``L`` hops, and ranking them there is exact. ``L`` grows from the
        shortest distance until ``k`` chains are found or ``MAX_HOPS`` is reached.
        """
        source, target = ends[0]["id"], ends[1]["id"]
        local = nx.MultiDiGraph()
        for record in ends:
            local.add_node(record["id"], **Actor.model_validate(record).model_dump())
        dist = {source: {source: 0}, target: {target: 0}}
        expanded = {source: 0, target: 0}  # radius whose actors' links are loaded, per side
        loaded: set[str] = set()

        def expand(side: str) -> None:
            radius = expanded[side]
            ring = [n for n, d in dist[side].items() if d == radius]
            fresh = [n for n in ring if n not in loaded]
            loaded.update(fresh)
            links = tx.links_touching(sorted(fresh), as_of) if fresh else []
            unknown = sorted(
                {e for link in links for e in (link["source"], link["target"])} - set(local)
            )
            for record in tx.get_many(EntityKind.actor, unknown):
                if record_valid_on(record, as_of):
                    local.add_node(record["id"], **Actor.model_validate(record).model_dump())
            for link in links:
                u, v = link["source"], link["target"]
                if u in local and v in local and not local.has_edge(u, v, key=link["id"]):
                    local.add_edge(u, v, key=link["id"], **Link.model_validate(link).model_dump())
            for node in ring:
                for neighbour in nx.all_neighbors(local, node):
                    dist[side].setdefault(neighbour, radius + 1)
            expanded[side] = radius + 1

        def shortest() -> int | None:
            meet = [dist[source][n] + dist[target][n] for n in dist[source] if n in dist[target]]
            return min(meet) if meet else None

        # Meet in the middle: grow the smaller ball until the two touch (or cannot grow).
        while shortest() is None:
            if expanded[source] + expanded[target] >= MAX_HOPS:
                return []
            growable = [
                side
                for side in (source, target)
                if any(d == expanded[side] for d in dist[side].values())
            ]
            if not growable:
                return []  # one ball is a whole component without the other end
            expand(min(growable, key=lambda side: len(dist[side])))
        first = shortest()
        if first is None:
            return []
        found: list[IntroductionPath] = []
        for hops in range(first, MAX_HOPS + 1):
            for side in (source, target):
                while expanded[side] <= hops // 2:
                    expand(side)
            found = rank_introduction_paths(local, source, target, k, max_hops=hops)
            if len(found) >= k:
                break
        return found

    # -- history, snapshot

    def list_events(
        self, filters: EventFilter | None = None, *, limit: int = 100, offset: int = 0
    ) -> Page[Event]:
        limit, offset = _page_bounds(limit, offset)
        rows, total = self._read(lambda tx: tx.events(filters or EventFilter(), limit, offset))
        items = [Event.model_validate(r) for r in rows]
        return Page[Event](items=items, total=total, limit=limit, offset=offset)

    def snapshot(self, as_of: date | None = None) -> nx.MultiDiGraph:
        """The network on ``as_of`` (today by default) as a NetworkX multigraph.

        Nodes are actor ids with every actor field; edges go source → target, keyed by link id,
        with every link field (``directed`` tells whether the type has a direction).
        """

        def work(tx: ReadTx) -> tuple[list[Record], list[Record]]:
            return tx.all(EntityKind.actor, as_of), tx.all(EntityKind.link, as_of)

        actors, links = self._read(work)
        graph = nx.MultiDiGraph(as_of=(as_of or today()).isoformat(), store=self.backend)
        for record in actors:
            graph.add_node(record["id"], **Actor.model_validate(record).model_dump())
        for record in links:
            if record["source"] in graph and record["target"] in graph:
                attrs = Link.model_validate(record).model_dump()
                graph.add_edge(record["source"], record["target"], key=record["id"], **attrs)
        return graph

    def history(self) -> nx.MultiDiGraph:
        """Every actor and link ever recorded, ended ones included, as one multigraph.

        The same fields as :meth:`snapshot`; ``since``/``until`` tell when each was true, so
        analysis can cut the network at any date without going back to the store.
        """

        def work(tx: ReadTx) -> tuple[list[Record], list[Record]]:
            return tx.every(EntityKind.actor), tx.every(EntityKind.link)

        actors, links = self._read(work)
        graph = nx.MultiDiGraph(history=True, store=self.backend)
        for record in actors:
            graph.add_node(record["id"], **Actor.model_validate(record).model_dump())
        for record in links:
            attrs = Link.model_validate(record).model_dump()
            graph.add_edge(record["source"], record["target"], key=record["id"], **attrs)
        return graph

    def counts(self) -> dict[str, int]:
        return self._read(lambda tx: tx.counts())

    # -- layout positions (presentation, not domain data: no events, no history)

    def positions(self) -> dict[str, tuple[float, float]]:
        """The stored layout: actor id -> (x, y), the same for every view and every date."""
        rows = self._read(lambda tx: tx.positions())
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

    # -- users and tokens (authentication data; hashes never leave the store's callers)

    def create_user(
        self, data: UserCreate | Mapping[str, Any], password_hash: str, *, by: str
    ) -> User:
        user = _check_user(by)
        model = validate(UserCreate, data)
        when = now()
        record: Record = {
            "id": model.name.casefold(),
            "natural_key": model.name.casefold(),
            "name": model.name,
            "role": model.role.value,
            "actor_id": model.actor_id,
            "password_hash": password_hash,
            "recorded_by": user,
            "recorded_at": when.isoformat(),
        }
        public = {k: v for k, v in record.items() if k != "password_hash"}

        def work(tx: WriteTx) -> None:
            if model.actor_id and not tx.existing(EntityKind.actor, [model.actor_id]):
                raise InvalidInput(
                    f"actor_id: no actor has the id {model.actor_id!r}",
                    details=[{"field": "actor_id", "message": "no such actor"}],
                )
            tx.insert_many(EntityKind.user, [record])
            tx.append_events(
                [_event(EventAction.create, EntityKind.user, user, when, None, public)]
            )

        try:
            self._write(work)
        except Conflict as exc:
            raise Conflict(
                f"a user named {model.name!r} already exists", details={"name": model.name}
            ) from exc
        return User.model_validate(public)

    def user_record(self, name: str) -> Record:
        """The stored user with its password hash (for authentication only)."""
        record = self._read(lambda tx: tx.get(EntityKind.user, name.strip().casefold()))
        if record is None:
            raise NotFound(f"no user is named {name!r}", details={"name": name})
        return record

    def get_user(self, name: str) -> User:
        return User.model_validate(self.user_record(name))

    def list_users(self) -> list[User]:
        records = self._read(lambda tx: tx.all(EntityKind.user, None))
        return sorted((User.model_validate(r) for r in records), key=lambda u: u.name)

    def add_token(self, token_hash: str, user: str, kind: str, expires_at: datetime) -> None:
        record = {
            "id": token_hash,
            "natural_key": user.casefold(),
            "user": user.casefold(),
            "kind": kind,
            "created_at": now().isoformat(),
            "expires_at": expires_at.isoformat(),
            "revoked": False,
        }

        def work(tx: WriteTx) -> None:
            if tx.get(EntityKind.user, user.casefold()) is None:
                raise NotFound(f"no user is named {user!r}")
            tx.insert_many(EntityKind.token, [record])

        self._write(work)

    def user_for_token(self, token_hash: str) -> User | None:
        """The user a token belongs to, if the token exists, is not revoked and not expired."""

        def work(tx: ReadTx) -> Record | None:
            token = tx.get(EntityKind.token, token_hash)
            if token is None or token["revoked"]:
                return None
            if datetime.fromisoformat(token["expires_at"]) <= now():
                return None
            return tx.get(EntityKind.user, token["user"])

        record = self._read(work)
        return User.model_validate(record) if record else None

    def revoke_token(self, token_hash: str) -> None:
        def work(tx: WriteTx) -> None:
            token = tx.get(EntityKind.token, token_hash)
            if token is not None:
                tx.replace(EntityKind.token, {**token, "revoked": True})

        self._write(work)


def _hop_score(data: Mapping[str, Any]) -> tuple[int, str]:
    since = data.get("since")
    return int(data["strength"]), since.isoformat() if since else ""


def rank_introduction_paths(
    graph: nx.MultiDiGraph, source: str, target: str, k: int, max_hops: int | None = None
) -> list[IntroductionPath]:
    """Rank the chains between two actors of a graph (see ``introduction_paths``), keeping
    only chains of at most ``max_hops`` links when it is given."""
    best: dict[tuple[str, str], dict[str, Any]] = {}
    for u, v, data in graph.edges(data=True):
        pair = (u, v) if u <= v else (v, u)
        if pair not in best or _hop_score(data) > _hop_score(best[pair]):
            best[pair] = data
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes)
    simple.add_edges_from(best)
    if source not in simple or target not in simple or not nx.has_path(simple, source, target):
        return []
    candidates: list[tuple[tuple[Any, ...], list[str]]] = []
    kth_length: int | None = None
    for path in itertools.islice(
        nx.shortest_simple_paths(simple, source, target), MAX_PATH_CANDIDATES
    ):
        if kth_length is not None and len(path) > kth_length:
            break
        if max_hops is not None and len(path) - 1 > max_hops:
            break
        edges = [best[(a, b) if a <= b else (b, a)] for a, b in itertools.pairwise(path)]
        strengths = [int(h["strength"]) for h in edges]
        stalest = min((h["since"].toordinal() if h.get("since") else 0) for h in edges)
        key = (len(path), -min(strengths), -sum(strengths), -stalest, path)
        candidates.append((key, path))
        if len(candidates) == k:
            kth_length = len(path)
    candidates.sort(key=lambda c: c[0])
    result = []
    for _, path in candidates[:k]:
        hops = []
        for a, b in itertools.pairwise(path):
            data = best[(a, b) if a <= b else (b, a)]
            hops.append(
                PathHop(
                    source=a,
                    target=b,
                    link_id=data["id"],
                    type=data["type"],
                    strength=data["strength"],
                    since=data.get("since"),
                    recorded_by=data["recorded_by"],
                )
            )
        result.append(
            IntroductionPath(
                actors=path,
                names=[graph.nodes[n]["name"] for n in path],
                hops=hops,
                length=len(hops),
                weakest_strength=min(h.strength for h in hops),
            )
        )
    return result


def name_query(text: str | None) -> str | None:
    """The normalised form of a text search on names (None when empty)."""
    if text is None:
        return None
    q = normalise_name(text)
    return q or None
