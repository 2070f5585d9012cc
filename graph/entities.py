"""One table of what differs between the kinds of record (actors, links, activities, referrals,
neighbourhoods, users, tokens): their models, the fields the stores index, the keys that make a
record unique, which actors a record involves, which ids it refers to. The record engine
(``graph/records.py``), the events and both adapters read it instead of repeating
``if entity is …`` chains.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel

from graph.errors import Say
from graph.model import (
    Activity,
    ActivityCreate,
    Actor,
    ActorCreate,
    Crisis,
    CrisisCreate,
    EntityKind,
    FollowUp,
    FollowUpCreate,
    Link,
    LinkCreate,
    LinkType,
    Neighbourhood,
    NeighbourhoodCreate,
    Observation,
    ObservationCreate,
    Referral,
    ReferralCreate,
    is_valid_on,
    natural_key,
    normalise_name,
)
from graph.tx import Record
from graph.validation import as_date

Fields = Callable[[Record], dict[str, Any]]
Ids = Callable[[Record], list[str]]


def link_active_key(record: Record) -> str | None:
    """The key that keeps one open link of a type between two actors (None once ended).

    >>> link_active_key({"type": "KNOWS", "source": "b", "target": "a", "directed": False})
    'KNOWS|a|b'
    """
    if record.get("until") is not None:
        return None
    a, b = record["source"], record["target"]
    if not record["directed"]:
        a, b = sorted((a, b))
    return f"{record['type']}|{a}|{b}"


def _interval(r: Record) -> dict[str, Any]:
    return {"since": r.get("since"), "until": r.get("until")}


def _none(_: Record) -> list[str]:
    return []


def _no_derived(_: Record) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class EntitySpec:
    """What the shared logic needs to know about one kind of record."""

    kind: EntityKind
    word: str  # how messages name it
    index: Fields  # the fields stores index, besides ``id`` and the whole record
    record: type[BaseModel] | None = None  # a stored record (None: not a domain record)
    create: type[BaseModel] | None = None  # what it takes to create one
    derive: Fields = _no_derived  # fields computed from the others (keys, direction)
    unique_key: Callable[[Record], str | None] | None = None  # the key duplicates collide on
    involves: Ids = _none  # the actors an event about it concerns
    references: Callable[[Record], dict[str, list[str]]] = field(default=lambda _: {})
    ends_as: str = "until"  # the field its end date goes in

    @property
    def this(self) -> Say:
        """How messages point at one record of this kind (``this actor``), translatable."""
        return THIS.get(self.word, Say("this record"))

    @property
    def noun(self) -> Say:
        """The kind's name in messages (``actor``), translatable."""
        return NOUNS.get(self.word, Say("record"))


NOUNS = {
    "actor": Say("actor"),
    "link": Say("link"),
    "activity": Say("activity"),
    "referral": Say("referral"),
    "neighbourhood": Say("neighbourhood"),
    "user": Say("user"),
    "token": Say("token"),
    "follow-up": Say("follow-up"),
    "observation": Say("observation"),
    "crisis": Say("crisis list"),
}
THIS = {
    "actor": Say("this actor"),
    "link": Say("this link"),
    "activity": Say("this activity"),
    "referral": Say("this referral"),
    "neighbourhood": Say("this neighbourhood"),
    "user": Say("this user"),
    "token": Say("this token"),
    "follow-up": Say("this follow-up"),
    "observation": Say("this observation"),
    "crisis": Say("this crisis list"),
}


def _actor_index(r: Record) -> dict[str, Any]:
    return {
        "natural_key": r["natural_key"],
        "name_norm": normalise_name(r["name"]),
        "kind": r["kind"],
        "neighbourhood_norm": normalise_name(r["neighbourhood"]),
        "status": r["status"],
        **_interval(r),
    }


def _link_index(r: Record) -> dict[str, Any]:
    return {
        "source": r["source"],
        "target": r["target"],
        "type": r["type"],
        "mission": r["mission"],
        "recorded_by": r["recorded_by"],
        **_interval(r),
        "active_key": link_active_key(r),
    }


SPECS: dict[EntityKind, EntitySpec] = {
    EntityKind.actor: EntitySpec(
        kind=EntityKind.actor,
        word="actor",
        index=_actor_index,
        record=Actor,
        create=ActorCreate,
        # a retracted actor frees its name (it was recorded by mistake)
        derive=lambda r: {
            "natural_key": f"retracted|{r['id']}"
            if r.get("retracted")
            else natural_key(r["name"], r["neighbourhood"])
        },
        unique_key=lambda r: r["natural_key"],
        involves=lambda r: [r["id"]],
    ),
    EntityKind.link: EntitySpec(
        kind=EntityKind.link,
        word="link",
        index=_link_index,
        record=Link,
        create=LinkCreate,
        derive=lambda r: {"directed": LinkType(r["type"]).directed},
        unique_key=link_active_key,
        involves=lambda r: [r["source"], r["target"]],
        references=lambda r: {"source": [r["source"]], "target": [r["target"]]},
    ),
    EntityKind.activity: EntitySpec(
        kind=EntityKind.activity,
        word="activity",
        index=lambda r: {
            "neighbourhood_norm": normalise_name(r["neighbourhood"]),
            "mission": r["mission"],
            **_interval(r),
        },
        record=Activity,
        create=ActivityCreate,
        involves=lambda r: list(
            dict.fromkeys([*(r.get("participants") or []), *(r.get("initiators") or [])])
        ),
        references=lambda r: {
            "participants": list(r.get("participants") or []),
            "initiators": list(r.get("initiators") or []),
        },
    ),
    EntityKind.referral: EntitySpec(
        kind=EntityKind.referral,
        word="referral",
        index=lambda r: {
            "date": r["date"],
            "from_actor": r["from_actor"],
            "to_actor": r["to_actor"],
            "theme": r["theme"],
            "outcome": r["outcome"],
        },
        record=Referral,
        create=ReferralCreate,
        involves=lambda r: [r["from_actor"], r["to_actor"]],
        references=lambda r: {"from_actor": [r["from_actor"]], "to_actor": [r["to_actor"]]},
        ends_as="closed_on",
    ),
    EntityKind.neighbourhood: EntitySpec(
        kind=EntityKind.neighbourhood,
        word="neighbourhood",
        index=lambda r: {
            "natural_key": r["natural_key"],
            "municipality_norm": normalise_name(r["municipality"]),
            **_interval(r),
        },
        record=Neighbourhood,
        create=NeighbourhoodCreate,
        derive=lambda r: {"natural_key": natural_key(r["name"], r["municipality"])},
        unique_key=lambda r: r["natural_key"],
    ),
    EntityKind.user: EntitySpec(
        kind=EntityKind.user,
        word="user",
        index=lambda r: {"natural_key": r["natural_key"], "since": None, "until": None},
    ),
    EntityKind.token: EntitySpec(
        kind=EntityKind.token,
        word="token",
        index=lambda r: {"natural_key": r["natural_key"], "since": None, "until": None},
    ),
    EntityKind.follow_up: EntitySpec(
        kind=EntityKind.follow_up,
        word="follow-up",
        index=lambda r: {
            "taken_by": str(r["taken_by"]).casefold(),
            "done": int(bool(r.get("done"))),
            "neighbourhood_norm": normalise_name(r["neighbourhood"]),
            "since": None,
            "until": None,
        },
        record=FollowUp,
        create=FollowUpCreate,
        involves=lambda r: [*r["actors"], *([r["introducer"]] if r.get("introducer") else [])],
        references=lambda r: {
            "actors": list(r["actors"]),
            **({"introducer": [r["introducer"]]} if r.get("introducer") else {}),
        },
    ),
    EntityKind.observation: EntitySpec(
        kind=EntityKind.observation,
        word="observation",
        index=lambda r: {
            "neighbourhood_norm": normalise_name(r["neighbourhood"]),
            "date": r["date"],
            "kind": r["kind"],
            "theme": r["theme"],
            "retracted": int(bool(r.get("retracted"))),
            "since": None,
            "until": None,
        },
        record=Observation,
        create=ObservationCreate,
        involves=lambda r: list(r.get("sources") or []),
        references=lambda r: {"sources": list(r.get("sources") or [])},
    ),
    EntityKind.crisis: EntitySpec(
        kind=EntityKind.crisis,
        word="crisis",
        index=lambda r: {
            "neighbourhood_norm": normalise_name(r["neighbourhood"]),
            **_interval(r),
        },
        record=Crisis,
        create=CrisisCreate,
        involves=lambda r: [c["actor"] for c in r.get("calls") or []],
        references=lambda r: {"calls": [c["actor"] for c in r.get("calls") or []]},
    ),
    EntityKind.throttle: EntitySpec(
        kind=EntityKind.throttle,
        word="login counter",
        index=lambda r: {"natural_key": r["id"], "since": None, "until": None},
    ),
}


def index_fields(entity: EntityKind, record: Record) -> dict[str, Any]:
    """The indexed fields of a record, besides ``id`` and the whole record."""
    return SPECS[entity].index(record)


def record_valid_on(record: Record, as_of: date | None) -> bool:
    """Whether a stored record was true on ``as_of`` (today when None)."""
    return is_valid_on(as_date(record.get("since")), as_date(record.get("until")), as_of)


def name_query(text: str | None) -> str | None:
    """The normalised form of a text search on names (None when empty).

    >>> name_query("  Café ") , name_query("  ")
    ('cafe', None)
    """
    if text is None:
        return None
    q = normalise_name(text)
    return q or None
