"""A deterministic, fictional demo neighbourhood: "Cureghem-Lemmens" in Anderlecht (1070).

The actors come from coherent templates (``ingest/data/demo.toml``): each kind has its subtypes,
each subtype the themes, target groups and languages that fit it, and names are made of the
area's own streets and squares in French or Dutch — never numbered. Links follow the ties a BAR
team would expect (a pharmacy with the medical house, a mosque with a food-aid association, the
street workers with the CPAS…), and 24 months of fieldwork tell a story that the analyses tell
back:

1. the team arrives hosted by its partner, meets the associations and services first, then the
   traders and places of worship, each worker in one part of the neighbourhood;
2. two groups known only by name are reached in the second year (``compare`` lists them);
3. the ONE consultation and a mothers' group are a bridging opportunity in the first year, are
   introduced in month 15 and run a health-information action with four other actors in month 17;
4. the street workers and the Dutch-speaking youth house are today's open opportunity;
5. referrals to the CPAS antenna double in the last three months while fewer people are
   reached (the saturation warning);
6. a newly opened shop, a small prayer room and a youth collective nobody has met yet stay
   isolated, and a phone shop closes.

Organisations and places only; no real person, no one the BAR help. The same ``seed`` and ``end``
always give the same neighbourhood.
Its length (about 730 lines) is the story told in named steps (``generate`` runs them in order);
the names, places, templates and ties are data, in ``ingest/data/demo.toml``.
"""

from __future__ import annotations

import random
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from graph.dates import month_start
from graph.model import ActorFilter, ActorKind, LinkType, normalise_name
from graph.store import GraphStore

DATA_FILE = Path(__file__).parent / "data" / "demo.toml"
DEMO_END = date(2026, 11, 28)
MONTHS = 24
NEIGHBOURHOOD = "Cureghem-Lemmens"
MUNICIPALITY = "Anderlecht"
WORKERS = ("amina", "joris", "lucie")
# Users of the local demo only (never a real deployment): the three BAR workers, a coordinator
# and a partner with read-only access.
DEMO_USERS = {
    "amina": "bar",
    "joris": "bar",
    "lucie": "bar",
    "coordinator": "coordinator",
    "partner": "viewer",
}
DEMO_PASSWORD = "maillage-demo"  # noqa: S105 - the documented password of the local demo
HOST_NAME = "Maison de quartier La Rosée"


@dataclass(frozen=True)
class Template:
    """How to draw actors of one kind and subtype (a ``[[templates]]`` entry of the data file)."""

    role: str
    kind: str
    subtype: str
    lang: str
    count: int
    names: tuple[str, ...]
    clusters: tuple[str, ...]
    themes: tuple[str, ...]
    target_groups: tuple[str, ...]
    languages: tuple[str, ...]
    met: tuple[int, int]
    more_themes: tuple[str, ...] = ()
    more_target_groups: tuple[str, ...] = ()
    more_languages: tuple[str, ...] = ()

    @classmethod
    def read(cls, raw: dict[str, Any]) -> Template:
        values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()}
        return cls(**values)

    def allows(self, field_name: str) -> set[str]:
        """Every value an actor of this template may have in ``field_name``."""
        return set(getattr(self, field_name)) | set(getattr(self, f"more_{field_name}"))


@dataclass(frozen=True)
class Place:
    cluster: str
    fr: str
    nl: str
    street_fr: str
    street_nl: str
    at: tuple[float, float]


@dataclass(frozen=True)
class DemoSpec:
    """Everything the data file says."""

    area: dict[str, Any]
    clusters: dict[str, dict[str, Any]]
    places: tuple[Place, ...]
    subtypes: dict[str, list[str]]
    templates: tuple[Template, ...]
    ties: tuple[dict[str, Any], ...]
    activities: tuple[dict[str, Any], ...]
    referrals: tuple[dict[str, Any], ...]
    observations: tuple[dict[str, Any], ...]
    sectors: tuple[dict[str, Any], ...]


@cache
def spec() -> DemoSpec:
    """The demo's data file, read once."""
    with DATA_FILE.open("rb") as handle:
        raw = tomllib.load(handle)
    places = tuple(Place(**{**p, "at": tuple(p["at"])}) for p in raw["places"])
    return DemoSpec(
        area=raw["area"],
        clusters=raw["clusters"],
        places=places,
        subtypes=raw["subtypes"],
        templates=tuple(Template.read(t) for t in raw["templates"]),
        ties=tuple(raw["ties"]),
        activities=tuple(raw["activities"]),
        referrals=tuple(raw["referrals"]),
        observations=tuple(raw["observations"]),
        sectors=tuple(raw["sectors"]),
    )


@dataclass
class Story:
    """The actors the story is about (indexes into ``DemoData.actors``)."""

    team: int = -1
    host: int = -1
    workers: dict[str, int] = field(default_factory=dict)
    reached: list[int] = field(default_factory=list)  # isolated, then reached in year two
    isolated: list[int] = field(default_factory=list)  # still isolated at the end
    realised: tuple[int, int, int] = (-1, -1, -1)  # the two actors and their introducer
    realised_month: int = 15
    open: tuple[int, int, int] = (-1, -1, -1)
    saturated: int = -1
    closed: int = -1
    health_action: int = -1  # index into DemoData.activities


@dataclass
class DemoData:
    """The generated neighbourhood, before it is written to a store."""

    end: date
    actors: list[dict[str, Any]] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    clusters: list[str] = field(default_factory=list)
    # the month each actor is met by the BAR team (None: never)
    met: list[int | None] = field(default_factory=list)
    # (month 0..23, worker, link row with source/target as actor indexes)
    links: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)
    endings: list[tuple[int, date]] = field(default_factory=list)
    actor_endings: list[tuple[int, date]] = field(default_factory=list)
    activities: list[dict[str, Any]] = field(default_factory=list)
    referrals: list[dict[str, Any]] = field(default_factory=list)
    # the team's rounds of the living directory: (actor index, the day it was confirmed)
    confirmations: list[tuple[int, date]] = field(default_factory=list)
    # introductions taken up at team meetings: (month, worker, follow-up row with actor
    # indexes, done or not)
    introductions: list[tuple[int, str, dict[str, Any], bool]] = field(default_factory=list)
    # (worker who records it, observation row with its sources as actor indexes)
    observations: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    story: Story = field(default_factory=Story)
    _pairs: set[tuple[int, int, str]] = field(default_factory=set, repr=False)

    @property
    def isolated(self) -> list[int]:
        return self.story.isolated

    def first_day(self, month: int) -> date:
        """The first day of the story's month ``month`` (month 23 holds ``end``)."""
        return month_start(self.end, month - (MONTHS - 1))

    def day_in(self, rng: random.Random, month: int, not_before: date | None = None) -> date:
        first = self.first_day(month)
        day = min(first + timedelta(days=rng.randrange(28)), self.end)
        return max(day, not_before) if not_before else day

    def month_of(self, day: date) -> int:
        """The story's month holding ``day`` (0 for anything earlier)."""
        start = self.first_day(0)
        return max(0, (day.year - start.year) * 12 + day.month - start.month)

    def meet(self, rng: random.Random, index: int, month: int) -> None:
        """The team meets actor ``index`` in ``month``, and records it that day."""
        self.met[index] = month
        self.actors[index]["since"] = self.day_in(rng, month).isoformat()

    def since(self, index: int) -> date:
        return date.fromisoformat(self.actors[index]["since"])

    def of_role(self, role: str) -> list[int]:
        return [i for i, r in enumerate(self.roles) if r == role]

    def worker_of(self, index: int) -> str:
        return str(spec().clusters[self.clusters[index]]["worker"])


# --------------------------------------------------------------------------- actors


def _sample(rng: random.Random, values: Iterable[str]) -> list[str]:
    pool = list(values)
    return rng.sample(pool, k=rng.randint(0, 1)) if pool else []


def _fields(rng: random.Random, t: Template) -> dict[str, Any]:
    return {
        "kind": t.kind,
        "subtype": t.subtype,
        "neighbourhood": NEIGHBOURHOOD,
        "themes": [*t.themes, *_sample(rng, t.more_themes)],
        "target_groups": [*t.target_groups, *_sample(rng, t.more_target_groups)],
        "languages": [*t.languages, *_sample(rng, t.more_languages)],
    }


def _week(days: str, opens: str, closes: str, walk_in: bool = True) -> list[dict[str, Any]]:
    """Openings on several days: ``_week("monday-friday", "08:30", "12:00")``."""
    week = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    if "-" in days:
        first, last = days.split("-")
        chosen = week[week.index(first) : week.index(last) + 1]
    else:
        chosen = days.split(",")
    return [{"day": d, "opens": opens, "closes": closes, "walk_in": walk_in} for d in chosen]


#: what a referral needs, by subtype, as such places in Cureghem work: their hours and
#: permanences, conditions and whether they take new people (no phones nor addresses of
#: mail: the demo's places are made up, a number could be someone's)
SERVICES: dict[str, dict[str, Any]] = {
    "pharmacy": {"hours": _week("monday-friday", "08:30", "19:00")
                 + _week("saturday", "09:00", "13:00"),
                 "access": {"cost": "paying", "wheelchair": True}},
    "medical house": {"hours": _week("monday-friday", "08:30", "18:30", walk_in=False),
                      "access": {"cost": "free", "appointment": True,
                                 "documents": "carte d'identité, vignette de mutuelle"},
                      "saturation": {"state": "closed", "noted": "2026-10-12"}},
    "GP practice": {"hours": _week("monday-friday", "09:00", "12:00", walk_in=False),
                    "access": {"cost": "paying", "appointment": True}},
    "OCMW/CPAS antenna": {"hours": _week("monday,tuesday,thursday", "08:30", "11:30"),
                          "access": {"cost": "free", "documents": "carte d'identité, preuve "
                                     "de domicile, derniers revenus", "wheelchair": True}},
    "food aid": {"hours": _week("tuesday,thursday", "13:30", "16:00"),
                 "access": {"cost": "free", "documents": "attestation du CPAS/OCMW"},
                 "saturation": {"state": "waiting_list", "weeks": 4, "noted": "2026-11-03"}},
    "social rights desk": {"hours": _week("monday,thursday", "09:30", "12:00")
                           + _week("wednesday", "14:00", "17:00", walk_in=False),
                           "access": {"cost": "free", "documents": "courriers reçus, carte "
                                      "d'identité"}},
    "debt mediation": {"hours": _week("tuesday", "09:00", "12:00", walk_in=False),
                       "access": {"cost": "free", "appointment": True},
                       "saturation": {"state": "waiting_list", "weeks": 6,
                                      "noted": "2026-11-17"}},
    "literacy": {"access": {"cost": "free"},
                 "saturation": {"state": "waiting_list", "weeks": 10, "noted": "2026-09-15"}},
    "homework school": {"hours": _week("monday-thursday", "15:30", "17:30"),
                        "access": {"cost": "free"}},
    "digital inclusion": {"hours": _week("wednesday", "14:00", "17:00"),
                          "access": {"cost": "free"}},
    "energy desk": {"hours": _week("friday", "09:00", "12:00"),
                    "access": {"cost": "free", "documents": "factures d'énergie"}},
    "mental-health service": {"hours": _week("monday-friday", "09:00", "17:00", walk_in=False),
                              "access": {"cost": "sliding_scale", "appointment": True},
                              "saturation": {"state": "waiting_list", "weeks": 12,
                                             "noted": "2026-10-28"}},
    "family planning": {"hours": _week("monday,wednesday", "13:00", "18:00"),
                        "access": {"cost": "sliding_scale"}},
    "employment office": {"hours": _week("monday-friday", "08:30", "12:30"),
                          "access": {"cost": "free", "wheelchair": True}},
    "library": {"hours": _week("tuesday-saturday", "10:00", "18:00"),
                "access": {"cost": "free", "wheelchair": True}},
}  # fmt: skip


def _address(rng: random.Random, place: Place, lang: str) -> dict[str, Any]:
    street = place.street_nl if lang == "nl" else place.street_fr
    return {
        "address": f"{street} {rng.randint(1, 160)}, 1070 Anderlecht",
        "latitude": round(place.at[0] + rng.uniform(-0.0006, 0.0006), 5),
        "longitude": round(place.at[1] + rng.uniform(-0.0008, 0.0008), 5),
    }


def _name(
    rng: random.Random, t: Template, cluster: str, used: set[str], fixed: list[str]
) -> tuple[str, Place]:
    """A name never used before: the template's next fixed name, or a pattern and a place
    word of the actor's part of the neighbourhood."""
    places = [p for p in spec().places if p.cluster == cluster]
    if fixed:
        name = fixed.pop(0)
        named = [p for p in spec().places if name.endswith((f" {p.fr}", f" {p.nl}"))]
        return name, named[0] if named else rng.choice(places)
    options = [(pattern, p) for pattern in t.names for p in places]
    rng.shuffle(options)
    for pattern, place in options:
        name = pattern.format(fr=place.fr, nl=place.nl)
        if normalise_name(name) not in used:
            return name, place
    raise ValueError(f"the data file has too few place words for {t.count} x {t.role}")


def _add(data: DemoData, row: dict[str, Any], role: str, cluster: str, met: int | None) -> int:
    data.actors.append(row)
    data.roles.append(role)
    data.clusters.append(cluster)
    data.met.append(met)
    return len(data.actors) - 1


def draw_actors(rng: random.Random, data: DemoData) -> None:
    """Every template's actors, each met by the team in a month of the template's range; its
    ``since`` is the day it is met (later moved for those the story records earlier)."""
    used: set[str] = set()
    for t in spec().templates:
        fixed = [n for n in t.names if "{" not in n]
        for k in range(t.count):
            cluster = t.clusters[k % len(t.clusters)]
            name, place = _name(rng, t, cluster, used, fixed)
            used.add(normalise_name(name))
            met = rng.randint(*t.met)
            row = {"name": name, **_fields(rng, t), **_address(rng, place, t.lang)}
            row |= SERVICES.get(t.subtype, {})
            row["since"] = data.day_in(rng, met).isoformat()
            if t.kind == "key_resident":
                row["consent_date"] = row["since"]
            _add(data, row, t.role, cluster, met)


def add_team(rng: random.Random, data: DemoData) -> None:
    """The BAR team, its three workers (one per part of the neighbourhood) and the partner that
    hosts it, all there from month 0."""
    area, start = spec().area, data.first_day(0).isoformat()
    host_place = next(p for p in spec().places if p.fr == "de la Rosée")
    team_place = next(p for p in spec().places if p.fr == "Lemmens")
    base = {"neighbourhood": NEIGHBOURHOOD, "target_groups": ["residents"]}
    data.story.team = _add(
        data,
        {
            **base,
            "name": area["team"],
            "kind": "bar_team",
            "subtype": "BAR team",
            "themes": ["social rights", "health", "community"],
            "languages": ["fr", "nl", "ar", "ro"],
            "description": area["team_description"],
            "since": start,
            **_address(rng, team_place, "fr"),
        },
        "team",
        "lemmens",
        0,
    )
    for cluster, about in spec().clusters.items():
        data.story.workers[about["worker"]] = _add(
            data,
            {
                **base,
                "name": about["worker_name"],
                "kind": "bar_team",
                "subtype": "BAR worker",
                "themes": ["social rights", "health", "community"],
                "languages": list(about["languages"]),
                "description": (
                    f"Loopt door {about['about']}."
                    if about["languages"][0] == "nl"
                    else f"Arpente {about['about']}."
                ),
                "since": start,
            },
            "worker",
            cluster,
            0,
        )
    data.story.host = _add(
        data,
        {
            **base,
            "name": HOST_NAME,
            "kind": "external_partner",
            "subtype": "neighbourhood house",
            "themes": ["community", "social rights"],
            "target_groups": ["residents", "families"],
            "languages": ["fr", "nl", "ar"],
            "description": (
                "Accueille l'équipe BAR (un cinquième de son temps) et lui prête un bureau."
            ),
            "since": (data.first_day(0) - timedelta(days=3 * 365)).isoformat(),
            **_address(rng, host_place, "fr"),
        },
        "host",
        "abattoirs",
        0,
    )


# --------------------------------------------------------------------------- links


def add_link(
    data: DemoData,
    rng: random.Random,
    month: int,
    a: int,
    b: int,
    link_type: str,
    *,
    worker: str | None = None,
    mission: str = "networking",
    strength: int = 1,
) -> bool:
    """Record one link in ``month`` (never before both actors exist, never twice)."""
    directed = LinkType(link_type).directed
    month = max(month, data.month_of(data.since(a)), data.month_of(data.since(b)))
    key = (a, b, link_type) if directed else (min(a, b), max(a, b), link_type)
    if a == b or key in data._pairs:
        return False
    data._pairs.add(key)
    since = data.day_in(rng, month, not_before=max(data.since(a), data.since(b)))
    row = {
        "source": a,
        "target": b,
        "type": link_type,
        "mission": mission,
        "strength": strength,
        "since": since.isoformat(),
    }
    data.links.append((month, worker or data.worker_of(a), row))
    return True


def hold_back(data: DemoData) -> set[int]:
    """The story's actors whose links only the story writes."""
    s = data.story
    return {*s.reached, *s.isolated, s.closed, *s.realised[:2], *s.open[:2]}


def cast_story(rng: random.Random, data: DemoData) -> None:
    """Choose the actors of the story and set what makes them so."""
    s = data.story

    def first(role: str, cluster: str) -> int:
        return next(i for i in data.of_role(role) if data.clusters[i] == cluster)

    # Two groups recorded by name early on, met only in the second year.
    for role, recorded, met in (("tenants", 3, 14), ("seniors", 5, 19)):
        i = data.of_role(role)[0]
        data.actors[i]["since"] = data.day_in(rng, recorded).isoformat()
        data.met[i] = met
        s.reached.append(i)
    # Still isolated at the end: a shop opened last month, a small prayer room, a youth
    # collective known from a flyer.
    for role, recorded in (("grocery_bg", 22), ("prayer_room", 16), ("youth_collective", 9)):
        i = data.of_role(role)[0]
        data.actors[i]["since"] = data.day_in(rng, recorded).isoformat()
        data.met[i] = None
        s.isolated.append(i)
    # A phone shop that closes in month 18.
    s.closed = data.of_role("phone_shop")[0]
    data.meet(rng, s.closed, 8)
    # The realised opportunity: the ONE consultation and a mothers' group, introduced by a
    # women's association that knows both.
    one, mothers = first("one", "clemenceau"), first("mothers", "abattoirs")
    women = first("women", "clemenceau")
    data.actors[one]["target_groups"] = ["parents", "children", "mothers"]
    data.actors[one]["languages"] = ["fr", "ar"]
    s.realised = (one, mothers, women)
    for i, month in ((one, 3), (women, 4), (mothers, 6)):
        data.meet(rng, i, month)
    # Today's open opportunity: the street workers and a youth collective of Place Lemmens, whom
    # the Dutch-speaking youth house knows both.
    streets, jeugdhuis = data.of_role("street_workers")[0], data.of_role("jeugdhuis")[0]
    youth = first("youth_collective", "lemmens")
    data.actors[streets]["themes"] = ["youth", "safety", "sport", "public space"]
    data.actors[streets]["languages"] = ["fr", "ar", "nl"]
    data.actors[youth]["themes"] = ["youth", "public space", "sport"]
    data.actors[youth]["languages"] = ["fr", "ar", "nl"]
    s.open = (streets, youth, jeugdhuis)
    for i, month in ((streets, 3), (jeugdhuis, 4), (youth, 7)):
        data.meet(rng, i, month)
    s.saturated = data.of_role("cpas")[0]


def record_fieldwork(rng: random.Random, data: DemoData) -> None:
    """The team's own ties: partner and workers from month 0, then each worker meets the actors
    of their part of the neighbourhood, month after month."""
    s = data.story
    add_link(data, rng, 0, s.host, s.team, "HOSTS", worker="amina", strength=3)
    for worker, index in s.workers.items():
        add_link(data, rng, 0, index, s.team, "MEMBER_OF", worker=worker, strength=3)
    workers = list(s.workers.values())
    for a, b in zip(workers, workers[1:] + workers[:1], strict=True):
        add_link(data, rng, 0, a, b, "COLLABORATES_WITH", worker="amina", strength=3)
    # the partner's own network, known from day one
    early = [i for i in range(len(data.actors)) if data.met[i] == 0 or data.met[i] == 1]
    for i in early[:6]:
        add_link(data, rng, 0, s.host, i, "KNOWS", worker="amina", strength=2)
    for i, month in enumerate(data.met):
        if month is None or data.roles[i] in ("team", "worker", "host"):
            continue
        worker = data.worker_of(i)
        strength = 1 if data.actors[i]["kind"] == "trader" else rng.choice([2, 2, 3])
        add_link(data, rng, month, s.workers[worker], i, "KNOWS", worker=worker, strength=strength)


def work_together(rng: random.Random, data: DemoData) -> None:
    """In the second year each worker starts working with actors they know: health actors on
    information actions, services on referrals, the others on community actions."""
    held = hold_back(data) | {data.story.team, data.story.host, *data.story.workers.values()}
    missions = {"health_actor": "collective", "public_service": "referral"}
    for month in range(MONTHS - 8, MONTHS):
        for worker, index in data.story.workers.items():
            cluster = next(c for c, v in spec().clusters.items() if v["worker"] == worker)
            known = [
                i
                for i, met in enumerate(data.met)
                if met is not None
                and met <= month - 3
                and data.clusters[i] == cluster
                and data.actors[i]["kind"] not in ("trader", "key_resident")
                and i not in held
            ]
            for i in rng.sample(known, k=min(4, len(known))):
                mission = missions.get(data.actors[i]["kind"], "community")
                add_link(data, rng, month, index, i, "COLLABORATES_WITH", worker=worker,
                         mission=mission, strength=2)  # fmt: skip


def record_ties(rng: random.Random, data: DemoData) -> None:
    """The ties between actors, as the data file's ``[[ties]]`` describe them."""
    held = hold_back(data)
    for tie in spec().ties:
        targets = [j for j in data.of_role(tie["b"]) if j not in held]
        for i in data.of_role(tie["a"]):
            if i in held or rng.random() > tie.get("p", 1.0):
                continue
            near = [j for j in targets if j != i and data.clusters[j] == data.clusters[i]]
            far = [j for j in targets if j != i and data.clusters[j] != data.clusters[i]]
            rng.shuffle(near)
            rng.shuffle(far)
            for j in (near + far)[: tie.get("n", 1)]:
                met_i, met_j = data.met[i], data.met[j]
                if met_i is None or met_j is None:
                    continue
                month = min(MONTHS - 1, max(met_i, met_j) + rng.randint(0, 3))
                add_link(
                    data,
                    rng,
                    month,
                    i,
                    j,
                    tie["type"],
                    mission=tie.get("mission", "networking"),
                    strength=rng.choice(tie.get("strength", [1, 2])),
                )


def play_story(rng: random.Random, data: DemoData) -> None:
    """The links the story needs: the reached groups, the two opportunities, the closed shop."""
    s = data.story
    for i in s.reached:
        month = data.met[i]
        assert month is not None
        partner = data.of_role("housing_assoc" if data.roles[i] == "tenants" else "senior_club")[0]
        add_link(data, rng, month + 1, partner, i, "KNOWS", strength=2)
    one, mothers, women = s.realised
    add_link(data, rng, 8, one, women, "INFORMS", mission="collective", strength=2)
    add_link(data, rng, 10, women, mothers, "KNOWS", strength=2)
    # the mothers met at the school gate of their part of the neighbourhood
    for role in ("primary_fr", "mosque_ma"):
        near = [i for i in data.of_role(role) if data.clusters[i] == data.clusters[mothers]]
        add_link(data, rng, 7, mothers, near[0], "KNOWS", strength=2)
    add_link(
        data, rng, s.realised_month, one, mothers, "COLLABORATES_WITH", mission="collective",
        strength=2, worker="amina",
    )  # fmt: skip
    streets, youth, jeugdhuis = s.open
    add_link(data, rng, 9, streets, jeugdhuis, "KNOWS", strength=2)
    add_link(data, rng, 5, streets, data.of_role("sports_club")[0], "KNOWS", strength=2)
    add_link(data, rng, 11, jeugdhuis, youth, "KNOWS", strength=2)
    add_link(data, rng, 6, streets, data.of_role("cpas")[0], "COLLABORATES_WITH", strength=2)
    data.actor_endings.append((s.closed, data.day_in(rng, 18)))


def end_some_links(rng: random.Random, data: DemoData) -> None:
    """A few ties end: a volunteer leaves, a trader stops a partnership."""
    team_side = {data.story.team, data.story.host, *data.story.workers.values()}
    candidates = [
        index
        for index, (month, _, row) in enumerate(data.links)
        if month < MONTHS - 6
        and row["source"] not in team_side
        and row["target"] not in team_side
        and not {row["source"], row["target"]} & hold_back(data)
    ]
    for index in sorted(rng.sample(candidates, k=min(10, len(candidates)))):
        since = date.fromisoformat(data.links[index][2]["since"])
        until = since + timedelta(days=rng.randint(90, 300))
        if until < data.end:
            data.endings.append((index, until))


# --------------------------------------------------------------------------- activities, referrals


def plan_activities(rng: random.Random, data: DemoData) -> None:
    """Collective health information and community actions with the actors the team knows."""
    s = data.story
    closed_on = dict(data.actor_endings)
    for plan in spec().activities:
        day = data.day_in(rng, plan["month"])
        if plan.get("story") == "health_action":
            one, mothers, women = s.realised
            medical = next(
                i for i in data.of_role("medical_house") if data.clusters[i] == "clemenceau"
            )
            pharmacy = data.of_role("pharmacy")[0]
            people = [one, mothers, women, medical, pharmacy]
            s.health_action = len(data.activities)
        else:
            known = [
                i
                for role in plan["roles"]
                for i in data.of_role(role)
                if (met := data.met[i]) is not None
                and met < plan["month"]
                and i not in closed_on
                and data.since(i) <= day
            ]
            known.sort(key=lambda i: (data.clusters[i] != plan["cluster"], i))
            people = known[: plan["size"]]
        # who started or carries it: the first actor of each role the team knew by then
        leading = []
        for role in plan.get("initiators", []):
            there = [i for i in data.of_role(role)
                     if (met := data.met[i]) is not None and met < plan["month"]
                     and i not in closed_on and data.since(i) <= day]  # fmt: skip
            there.sort(key=lambda i: (i not in people, data.clusters[i] != plan.get("cluster"), i))
            if there:
                leading.append(there[0])
        people += [i for i in leading if i not in people]
        data.activities.append(
            {
                "name": plan["name"],
                "mission": plan["mission"],
                "neighbourhood": NEIGHBOURHOOD,
                "themes": list(plan["themes"]),
                "participants": [s.team, *people],
                "initiators": leading,
                "attendance": plan.get("attendance"),
                "target_groups": list(plan.get("publics", [])),
                "languages": list(plan.get("languages", [])),
                "since": day.isoformat(),
                "until": (day + timedelta(days=1)).isoformat(),
            }
        )


def count_referrals(rng: random.Random, data: DemoData) -> None:
    """Anonymous counts from the team to the services, month by month: steady loads, except the
    CPAS antenna's surge at the end, with follow-up outcomes spread so that each service's
    reached share stays at its rate (no accidental warning)."""
    s = data.story
    for flow in spec().referrals:
        service = data.of_role(flow["role"])[0]
        first_month = data.met[service] or 0
        add_link(data, rng, first_month, s.team, service, "REFERS_TO", mission="referral",
                 strength=2, worker=data.worker_of(service))  # fmt: skip
        surge = flow.get("surge", {})
        phases = [(m in surge.get("months", ()), m) for m in range(first_month, MONTHS)]
        totals = {False: [0, 0], True: [0, 0]}  # per phase: people, reached
        for busy, month in phases:
            load = surge["per_month"] if busy else flow["per_month"]
            rate = surge["follow_up"] if busy else flow["follow_up"]
            people, reached = totals[busy]
            # reached so far stays the rounded share of everyone so far: no drift, no spike
            now_reached = round(rate * (people + load)) - reached
            totals[busy] = [people + load, reached + now_reached]
            outcomes = ["reached"] * now_reached + ["not_reached"] * (load - now_reached)
            rng.shuffle(outcomes)
            while outcomes:
                size = min(len(outcomes), rng.randint(1, 3))
                group, outcomes = outcomes[:size], outcomes[size:]
                # days 1 to 25: a month's referrals stay in the month whatever day ends it
                first = max(data.first_day(month), data.since(service))
                day = min(first + timedelta(days=rng.randrange(25)), data.end).isoformat()
                for outcome in sorted(set(group)):
                    data.referrals.append(
                        {
                            "date": day,
                            "from_actor": s.team,
                            "to_actor": service,
                            "theme": rng.choice(flow["themes"]),
                            "count": group.count(outcome),
                            "outcome": outcome,
                        }
                    )
        # the last month's newest referrals have no follow-up yet
        data.referrals.append(
            {
                "date": data.end.isoformat(),
                "from_actor": s.team,
                "to_actor": service,
                "theme": flow["themes"][0],
                "count": 1,
                "outcome": "pending",
            }
        )


def walk_the_rounds(rng: random.Random, data: DemoData) -> None:
    """The living directory: a first round at the end of the first year, then in the last eight
    months the workers confirm about two thirds of the actors they know ("still true"); the
    others wait their turn."""
    s = data.story
    team_side = {s.team, s.host, *s.workers.values()}
    closed_on = dict(data.actor_endings)
    for index, met in enumerate(data.met):
        if met is None or index in team_side or index in closed_on:
            continue
        if met < 8 and rng.random() < 0.4:  # a first round, at the end of the first year
            data.confirmations.append((index, data.day_in(rng, rng.randint(9, 11))))
        if rng.random() > 0.65:
            continue
        month = rng.randint(max(met + 1, MONTHS - 8), MONTHS - 1) if met < MONTHS - 1 else None
        if month is not None:
            data.confirmations.append((index, data.day_in(rng, month)))


def take_up_introductions(rng: random.Random, data: DemoData) -> None:
    """Introductions the team decided at its meetings (follow-ups): the ONE consultation and
    the mothers' group, a month before their link (and two before their joint action); three
    more that became links; and today's open opportunity, taken up and not yet done."""
    s = data.story
    one, mothers, women = s.realised
    meeting = s.realised_month - 1
    data.introductions.append(
        (meeting, "amina", {"actors": [one, mothers], "introducer": women,
                            "what": "présenter la consultation au groupe de mamans"}, True)
    )  # fmt: skip
    team_side = {s.team, s.host, *s.workers.values(), one, mothers}
    later = [
        (month, worker, row)
        for month, worker, row in data.links
        if 16 <= month <= 21
        and row["type"] in ("KNOWS", "COLLABORATES_WITH", "PARTNER_OF")
        and not {row["source"], row["target"]} & team_side
        and data.actors[row["source"]]["kind"] != data.actors[row["target"]]["kind"]
    ]
    for month, worker, row in sorted(rng.sample(later, k=min(3, len(later))), key=str):
        data.introductions.append(
            (month - 1, worker, {"actors": [row["source"], row["target"]],
                                 "what": "mettre en contact"}, True)
        )  # fmt: skip
    streets, youth, jeugdhuis = s.open
    data.introductions.append(
        (MONTHS - 2, "joris", {"actors": [streets, youth], "introducer": jeugdhuis,
                               "what": "inviter le collectif au tournoi"}, False)
    )  # fmt: skip


def hear_the_neighbourhood(rng: random.Random, data: DemoData) -> None:
    """What the actors the team knows say about the neighbourhood, month by month (the
    diagnosis): each observation comes from the first actor of its roles met by then, from
    that actor's part of the neighbourhood, recorded by the worker who walks it."""
    closed_on = dict(data.actor_endings)
    clusters = spec().clusters
    for plan in spec().observations:
        day = data.day_in(rng, plan["month"])
        sources = []
        for role in plan.get("roles", []):
            known = [
                i
                for i in data.of_role(role)
                if (met := data.met[i]) is not None
                and met <= plan["month"]
                and data.since(i) <= day
                and (i not in closed_on or closed_on[i] > day)
            ]
            if known:
                sources.append(known[0])
        sectors = sorted({c for i in sources for c in clusters[data.clusters[i]]["sectors"]})
        worker = data.worker_of(sources[0]) if sources else "amina"
        row = {
            "kind": plan["kind"],
            "neighbourhood": NEIGHBOURHOOD,
            "theme": plan["theme"],
            "target_groups": list(plan.get("publics", [])),
            "sectors": sectors,
            "sources": sources,
            "date": day.isoformat(),
            "text": plan["text"],
        }
        data.observations.append((worker, row))


def generate(seed: int = 2026, end: date = DEMO_END) -> DemoData:
    """Generate the demo neighbourhood (pure: no store involved), step by step."""
    rng = random.Random(seed)
    data = DemoData(end=end)
    draw_actors(rng, data)
    add_team(rng, data)
    cast_story(rng, data)
    record_fieldwork(rng, data)
    record_ties(rng, data)
    work_together(rng, data)
    play_story(rng, data)
    end_some_links(rng, data)
    plan_activities(rng, data)
    count_referrals(rng, data)
    walk_the_rounds(rng, data)
    take_up_introductions(rng, data)
    hear_the_neighbourhood(rng, data)
    return data


# --------------------------------------------------------------------------- into a store


def load(
    store: GraphStore,
    seed: int = 2026,
    end: date = DEMO_END,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Write the demo neighbourhood into ``store`` (which should be empty)."""
    data = generate(seed, end)
    say = progress or (lambda _: None)
    area = spec().area

    def at(day: date) -> datetime:
        return datetime.combine(day, time(10, 0), tzinfo=UTC)

    start = data.first_day(0)
    store.create_neighbourhood(
        {
            "name": NEIGHBOURHOOD,
            "municipality": MUNICIPALITY,
            "sector_codes": list(area["sector_codes"]),
            "sector_shapes": [
                {
                    "code": s["code"],
                    "name": s["name"],
                    "geometry": {"type": "Polygon", "coordinates": [s["ring"]]},
                    "figures": {"population": s["population"], "over_65": s["over_65"]},
                }
                for s in spec().sectors
            ],
            "population": area["population"],
            "since": start.isoformat(),
        },
        by="demo-coordinator",
        at=at(start),
    )
    say(f"{len(data.actors)} actors")
    actors = store.create_actors(data.actors, by="amina", at=at(start))
    ids = [a.id for a in actors]
    say(f"{len(data.links)} links over {MONTHS} months")
    created: dict[int, str] = {}
    batches: dict[tuple[int, str], list[int]] = {}
    for index, (month, worker, _) in enumerate(data.links):
        batches.setdefault((month, worker), []).append(index)
    for (month, worker), indexes in sorted(batches.items()):
        rows = []
        for index in indexes:
            row = dict(data.links[index][2])
            row["source"], row["target"] = ids[row["source"]], ids[row["target"]]
            rows.append(row)
        recorded = min(data.first_day(month) + timedelta(days=27), end)
        links = store.create_links(rows, by=worker, at=at(recorded))
        created.update({i: link.id for i, link in zip(indexes, links, strict=True)})
    for index, until in data.endings:
        store.end_link(created[index], until, by=data.links[index][1])
    for actor, until in data.actor_endings:
        store.end_actor(ids[actor], until, by=data.worker_of(actor))
    say(f"{len(data.activities)} activities, {len(data.referrals)} referrals")
    for activity in data.activities:
        row = {**activity, "participants": [ids[p] for p in activity["participants"]],
               "initiators": [ids[p] for p in activity["initiators"]]}  # fmt: skip
        store.create_activity(row, by="lucie", at=at(date.fromisoformat(activity["since"])))
    # the team writes up its referrals at the end of each month
    monthly: dict[int, list[dict[str, Any]]] = {}
    for referral in data.referrals:
        row = {
            **referral,
            "from_actor": ids[referral["from_actor"]],
            "to_actor": ids[referral["to_actor"]],
        }
        monthly.setdefault(data.month_of(date.fromisoformat(row["date"])), []).append(row)
    for _, rows in sorted(monthly.items()):
        written = max(date.fromisoformat(r["date"]) for r in rows)
        store.create_referrals(rows, by="joris", at=at(written))
    for actor, day in sorted(data.confirmations, key=lambda c: c[1]):
        store.confirm_actor(ids[actor], by=data.worker_of(actor), at=at(day))
    say(f"{len(data.introductions)} introductions taken up at meetings")
    for month, worker, intro, done in data.introductions:
        day = min(data.first_day(month) + timedelta(days=20), end)
        row = {**intro, "actors": [ids[i] for i in intro["actors"]],
               "introducer": ids[intro["introducer"]] if intro.get("introducer") else None,
               "taken_by": worker, "neighbourhood": NEIGHBOURHOOD,
               "due": (day + timedelta(days=30)).isoformat()}  # fmt: skip
        follow_up = store.create_follow_up(row, by=worker, at=at(day))
        if done:
            store.update_follow_up(follow_up.id, {"done": True}, by=worker)
    call_round(store, data, ids, at)
    say(f"{len(data.observations)} observations")
    for worker, observation in data.observations:
        row = {**observation, "sources": [ids[i] for i in observation["sources"]]}
        store.create_observation(row, by=worker, at=at(date.fromisoformat(row["date"])))
    return store.counts()


def call_round(
    store: GraphStore, data: DemoData, ids: list[str], at: Callable[[date], datetime]
) -> None:
    """Last summer's heatwave: the team opened a crisis list for the elderly, called the actors
    that reach them over three days (a few did not answer), and closed it ten days later."""
    from analysis.reach import bar_team_of, reach

    first = data.first_day(MONTHS - 5) + timedelta(days=13)
    if first >= data.end:
        return
    crisis = store.create_crisis(
        {"name": "Canicule : les aînés", "neighbourhood": NEIGHBOURHOOD,
         "target_group": "elderly", "since": first.isoformat()},
        by="amina", at=at(first),
    )  # fmt: skip
    graph = store.snapshot(first, neighbourhood=NEIGHBOURHOOD)
    team = bar_team_of(graph, ids[data.story.team])
    reached = [r["id"] for r in reach(graph, team, target_group="elderly",
                                      neighbourhood=NEIGHBOURHOOD)["reached"]]  # fmt: skip
    workers = ("amina", "joris", "lucie")
    for n, actor in enumerate(reached[:14]):
        state = "no_answer" if n % 6 == 5 else "done"
        when = datetime.combine(first + timedelta(days=n // 5), time(9 + n % 5), tzinfo=UTC)
        store.record_call(crisis.id, {"actor": actor, "state": state}, by=workers[n % 3], at=when)
    store.end_crisis(crisis.id, first + timedelta(days=10), by="amina")


def add_demo_users(store: GraphStore, password_hash: str) -> None:
    """The demo's users, the BAR workers attached to the BAR team actor."""
    team = store.list_actors(ActorFilter(kind=ActorKind.bar_team, q=spec().area["team"]))
    team_id = team.items[0].id if team.items else None
    existing = {u.name for u in store.list_users()}
    for name, role in DEMO_USERS.items():
        if name not in existing:
            # BAR workers and the hosting partner (viewer) belong to the team's neighbourhood;
            # the coordinator sees every neighbourhood.
            actor_id = team_id if role in ("bar", "viewer") else None
            store.create_user(
                {"name": name, "role": role, "actor_id": actor_id}, password_hash, by="demo"
            )
