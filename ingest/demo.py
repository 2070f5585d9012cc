"""A deterministic, fictional demo neighbourhood: "Cureghem-Lemmens" in Anderlecht.

About 250 actors of every kind with plausible Brussels names in French, Dutch and community
languages (organisations and places only; no real person, no one the BAR help), a BAR team of
three hosted by an external partner, 24 months of links recorded by the three BAR workers (so
growth shows), a few isolated actors, three clusters with few bridges between them (the
francophone associative scene around Clemenceau, the traders and places of worship along the
canal, the Dutch-speaking network around Peterbos), activities and anonymous referrals.

The same ``seed`` and ``end`` always give the same neighbourhood.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from graph.model import ActorFilter, ActorKind, LinkType
from graph.store import GraphStore

DEMO_END = date(2026, 11, 1)
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

CLUSTERS: dict[str, dict[str, Any]] = {
    "clemenceau": {
        "languages": ["fr", "ar", "es"],
        "themes": ["health", "housing", "parenting", "social rights", "french classes"],
        "targets": ["families", "women", "newcomers", "elderly"],
    },
    "canal": {
        "languages": ["ar", "tr", "fr", "ber"],
        "themes": ["employment", "trade", "religion", "youth", "food aid"],
        "targets": ["youth", "men", "shopkeepers", "families"],
    },
    "peterbos": {
        "languages": ["nl", "fr", "ro", "pl"],
        "themes": ["education", "youth", "sport", "mental health", "dutch classes"],
        "targets": ["children", "youth", "parents", "newcomers"],
    },
}

NAMES: dict[ActorKind, list[str]] = {
    ActorKind.association: [
        "Asbl Le Pont",
        "Asbl Sésame",
        "Asbl Lire et Écrire antenne",
        "Asbl Femmes du Canal",
        "Asbl Les Ateliers du Midi",
        "Asbl Entraide Clemenceau",
        "Asbl Amitiés Méditerranée",
        "Asbl Droit au Logement",
        "Asbl La Ruche",
        "Asbl Solidarité Cureghem",
        "Vzw Buurtwerk De Brug",
        "Vzw Samen Sterk",
        "Vzw Kind en Gezin-punt",
        "Vzw Jeugdhuis Peterbos",
        "Vzw Nieuwe Buren",
        "Association Al Amal",
        "Association Anadolu Dayanışma",
        "Association Tamazight Culture",
        "Association Dacia Bruxelles",
        "Club de boxe Cureghem",
        "Club de foot Lemmens",
        "Restos du cœur antenne",
        "Maison des femmes",
        "Ludothèque Les Dés",
        "Atelier vélo Roue Libre",
        "Potager collectif Lemmens",
        "Repair café Clemenceau",
        "Épicerie sociale La Dignité",
        "Groupe d'alphabétisation Midi",
        "Maison des jeunes Le Phare",
    ],
    ActorKind.trader: [
        "Pharmacie du Canal",
        "Pharmacie Clemenceau",
        "Boulangerie Wayez",
        "Boucherie Al Baraka",
        "Épicerie Istanbul",
        "Snack Le Palmier",
        "Café Anatolia",
        "Café Le Rallye",
        "Salon de coiffure Yasmine",
        "Librairie Papeterie du Midi",
        "Téléphonie Lemmens",
        "Supermarché Marrakech",
        "Friterie de la Gare",
        "Garage du Canal",
        "Tailleur Ayoub",
        "Bakkerij Van Lint",
        "Pâtisserie Bab Al Yemen",
        "Lavoir du Quai",
        "Agence de voyages Atlas",
        "Marché du dimanche",
    ],
    ActorKind.public_service: [
        "CPAS d'Anderlecht — antenne Clemenceau",
        "Maison de l'emploi d'Anderlecht",
        "Service de prévention — éducateurs de rue",
        "Commissariat de quartier",
        "Bibliothèque communale Clemenceau",
        "Bibliotheek Anderlecht",
        "Service logement communal",
        "Guichet énergie",
        "Huis van het Nederlands",
        "Actiris antenne",
        "Service des sports communal",
        "Mission locale d'Anderlecht",
    ],
    ActorKind.health_actor: [
        "Maison médicale Les Tilleuls",
        "Maison médicale du Canal",
        "Planning familial Midi",
        "Wijkgezondheidscentrum Peterbos",
        "Consultation ONE Clemenceau",
        "Centre de santé mentale",
        "Service de médiation de dettes",
        "Kinesithérapie Lemmens",
        "Cabinet dentaire du Midi",
        "Centre de dépistage mobile",
    ],
    ActorKind.place_of_worship: [
        "Mosquée Al-Nour",
        "Mosquée Attaqwa",
        "Église Saint-François-Xavier",
        "Sint-Guidokerk",
        "Église évangélique Béthel",
        "Église orthodoxe roumaine",
        "Mosquée Yunus Emre",
    ],
    ActorKind.school: [
        "École communale n°8",
        "École fondamentale Les Marronniers",
        "Basisschool De Vlieger",
        "Athénée Léonard de Vinci",
        "Institut Saint-Joseph",
        "Basisschool Sint-Guido",
        "École de devoirs Le Cartable",
        "Promotion sociale du Midi",
    ],
    ActorKind.resident_group: [
        "Comité de quartier Lemmens",
        "Comité des locataires Peterbos",
        "Contrat de quartier Midi",
        "Groupe des mamans de l'école 8",
        "Bewonersgroep Sint-Guido",
        "Collectif Place Clemenceau",
        "Comité Rue Brogniez",
        "Groupe des aînés du Canal",
        "Collectif Jardin partagé",
    ],
    ActorKind.external_partner: [
        "Maison de quartier Bonnevie",
        "Centre culturel Escale du Nord",
        "Vzw Sociaal Huis",
    ],
    ActorKind.other: [
        "Radio Panik (émission de quartier)",
        "Salle de sport Titan",
        "Agence immobilière sociale",
        "Coworking Le Quai",
        "Fanfare du Midi",
    ],
    ActorKind.key_resident: ["Tante Rachida (pseudonyme)", "Meneer Jef (pseudoniem)"],
}

SUBTYPES: dict[ActorKind, list[str]] = {
    ActorKind.trader: ["pharmacy", "bakery", "butcher", "grocery", "café", "hairdresser"],
    ActorKind.public_service: ["OCMW/CPAS", "employment", "prevention", "library", "police"],
    ActorKind.health_actor: ["medical house", "family planning", "mental health", "ONE/K&G"],
    ActorKind.place_of_worship: ["mosque", "church", "evangelical church"],
    ActorKind.school: ["primary school", "secondary school", "homework school"],
    ActorKind.association: ["youth service (AMO)", "literacy", "women's association", "sport"],
}

STREETS = [
    "Rue Brogniez",
    "Rue Clemenceau",
    "Chaussée de Mons",
    "Rue Wayez",
    "Quai de l'Industrie",
    "Rue de la Clinique",
    "Boulevard de la Révision",
    "Rue Lemmens",
    "Rue Eloy",
    "Rue Rossini",
    "Square Albert Ier",
    "Rue Heyvaert",
    "Rue Sergent De Bruyne",
    "Goujonsstraat",
]

KIND_CLUSTER: dict[ActorKind, list[str]] = {
    ActorKind.association: ["clemenceau", "clemenceau", "canal", "peterbos"],
    ActorKind.trader: ["canal", "canal", "canal", "clemenceau"],
    ActorKind.public_service: ["clemenceau", "peterbos"],
    ActorKind.health_actor: ["clemenceau", "peterbos", "canal"],
    ActorKind.place_of_worship: ["canal", "canal", "peterbos"],
    ActorKind.school: ["peterbos", "clemenceau"],
    ActorKind.resident_group: ["clemenceau", "peterbos", "canal"],
    ActorKind.external_partner: ["clemenceau", "peterbos", "canal"],
    ActorKind.other: ["clemenceau", "canal", "peterbos"],
    ActorKind.key_resident: ["canal", "peterbos"],
}


@dataclass
class DemoData:
    """The generated neighbourhood, before it is written to a store."""

    actors: list[dict[str, Any]] = field(default_factory=list)
    clusters: list[str] = field(default_factory=list)
    # (month index 0..23, worker, link row with source/target as actor indexes)
    links: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)
    endings: list[tuple[int, date]] = field(default_factory=list)
    activities: list[dict[str, Any]] = field(default_factory=list)
    referrals: list[dict[str, Any]] = field(default_factory=list)
    isolated: list[int] = field(default_factory=list)


def _month_start(end: date, months_back: int) -> date:
    year, month = end.year, end.month - months_back
    while month <= 0:
        month += 12
        year -= 1
    return date(year, month, 1)


def _day_in_month(rng: random.Random, first: date, end: date) -> date:
    day = first + timedelta(days=rng.randrange(28))
    return min(day, end)


def generate(seed: int = 2026, end: date = DEMO_END, size: int = 250) -> DemoData:
    """Generate the demo neighbourhood (pure: no store involved)."""
    rng = random.Random(seed)
    data = DemoData()
    start = _month_start(end, 24)

    def add_actor(name: str, kind: ActorKind, cluster: str, since: date, **extra: Any) -> int:
        profile = CLUSTERS[cluster]
        row: dict[str, Any] = {
            "name": name,
            "kind": kind.value,
            "neighbourhood": NEIGHBOURHOOD,
            "subtype": rng.choice(SUBTYPES[kind]) if kind in SUBTYPES else None,
            "address": f"{rng.choice(STREETS)} {rng.randint(1, 180)}, 1070 Anderlecht",
            "latitude": round(50.835 + rng.uniform(-0.008, 0.008), 5),
            "longitude": round(4.318 + rng.uniform(-0.012, 0.012), 5),
            "themes": rng.sample(profile["themes"], k=rng.randint(1, 3)),
            "languages": rng.sample(profile["languages"], k=rng.randint(1, 3)),
            "target_groups": rng.sample(profile["targets"], k=rng.randint(1, 2)),
            "since": since.isoformat(),
        }
        row.update(extra)
        data.actors.append(row)
        data.clusters.append(cluster)
        return len(data.actors) - 1

    # The BAR team, its three workers and the external partner that hosts it.
    team = add_actor(
        "BAR Cureghem-Lemmens",
        ActorKind.bar_team,
        "clemenceau",
        start,
        languages=["fr", "nl", "ar"],
        themes=["health", "social rights"],
        description="Buurtactierelais / relais d'action de quartier, outside the walls.",
    )
    workers = [
        add_actor(f"BAR worker {w.capitalize()}", ActorKind.bar_team, c, start)
        for w, c in zip(WORKERS, ("clemenceau", "canal", "peterbos"), strict=True)
    ]
    host = add_actor(
        "Maison de quartier Bonnevie (partenaire hôte)",
        ActorKind.external_partner,
        "clemenceau",
        start - timedelta(days=800),
    )

    # Everybody else: kind by kind, numbered where the list runs out so names stay unique.
    weights = {
        ActorKind.association: 62,
        ActorKind.trader: 48,
        ActorKind.public_service: 20,
        ActorKind.health_actor: 22,
        ActorKind.place_of_worship: 12,
        ActorKind.school: 18,
        ActorKind.resident_group: 30,
        ActorKind.external_partner: 6,
        ActorKind.other: 22,
        ActorKind.key_resident: 4,
    }
    total_weight = sum(weights.values())
    remaining = size - len(data.actors)
    for kind, weight in weights.items():
        count = max(1, round(remaining * weight / total_weight))
        base = NAMES[kind]
        for i in range(count):
            name = base[i % len(base)]
            if i >= len(base):
                name = f"{name} {['II', 'III', 'IV', 'V', 'VI'][i // len(base) - 1]}"
            cluster = rng.choice(KIND_CLUSTER[kind])
            known_from = _month_start(end, 24 - rng.choice([0, 0, 0, 2, 5, 8, 11, 14, 17, 20]))
            extra: dict[str, Any] = {}
            if kind is ActorKind.key_resident:
                extra["consent_date"] = known_from.isoformat()
                name = f"{name}{'' if i < len(base) else f' {i}'}"
            add_actor(name, kind, cluster, known_from, **extra)
    n = len(data.actors)

    # Isolated actors: known to the BAR but linked to nobody yet.
    others = [i for i in range(n) if i not in (team, host, *workers)]
    data.isolated = sorted(rng.sample(others, k=6))
    linkable = [i for i in others if i not in data.isolated]
    by_cluster = {c: [i for i in linkable if data.clusters[i] == c] for c in CLUSTERS}
    seen: set[tuple[int, int, str]] = set()

    def add_link(
        month: int, worker: str, a: int, b: int, link_type: LinkType, **extra: Any
    ) -> bool:
        if a == b:
            return False
        key = (
            (min(a, b), max(a, b), link_type.value)
            if not link_type.directed
            else (a, b, link_type.value)
        )
        if key in seen:
            return False
        first = _month_start(end, 24 - month)
        since = max(
            _day_in_month(rng, first, end),
            date.fromisoformat(data.actors[a]["since"]),
            date.fromisoformat(data.actors[b]["since"]),
        )
        seen.add(key)
        mission = extra.pop(
            "mission", rng.choice(["networking", "networking", "collective", "community"])
        )
        data.links.append(
            (
                month,
                worker,
                {
                    "source": a,
                    "target": b,
                    "type": link_type.value,
                    "mission": mission,
                    "strength": extra.pop("strength", rng.choice([1, 1, 2, 2, 3])),
                    "since": since.isoformat(),
                    **extra,
                },
            )
        )
        return True

    add_link(0, "amina", host, team, LinkType.HOSTS, strength=3, mission="networking")
    for w in workers:
        add_link(0, "amina", w, team, LinkType.MEMBER_OF, strength=3, mission="networking")

    # 24 months of fieldwork: each month each worker records links, more as the network grows.
    for month in range(24):
        active = [
            i
            for i in linkable
            if date.fromisoformat(data.actors[i]["since"]) <= _month_start(end, 24 - month)
        ]
        for w_index, worker in enumerate(WORKERS):
            home = list(CLUSTERS)[w_index]
            for _ in range(2 + month // 3):
                pool = [i for i in active if data.clusters[i] == home] or active
                if not pool:
                    continue
                actor = rng.choice(pool)
                # the worker meets an actor of their cluster …
                add_link(month, worker, workers[w_index], actor, LinkType.KNOWS)
                # … and records links among actors of that cluster
                a, b = rng.choice(pool), rng.choice(pool)
                add_link(
                    month,
                    worker,
                    a,
                    b,
                    rng.choice(
                        [
                            LinkType.KNOWS,
                            LinkType.KNOWS,
                            LinkType.COLLABORATES_WITH,
                            LinkType.INFORMS,
                        ]
                    ),
                )
                if rng.random() < 0.25:
                    services = [
                        i
                        for i in pool
                        if data.actors[i]["kind"] in ("public_service", "health_actor")
                    ]
                    if services:
                        add_link(
                            month,
                            worker,
                            actor,
                            rng.choice(services),
                            LinkType.REFERS_TO,
                            mission="referral",
                        )
                if rng.random() < 0.08:
                    # a rare bridge between clusters
                    other = rng.choice([c for c in CLUSTERS if c != home])
                    if by_cluster[other]:
                        add_link(
                            month,
                            worker,
                            actor,
                            rng.choice(by_cluster[other]),
                            LinkType.PARTNER_OF,
                            mission="community",
                        )

    # Some links end (a trader moved, a volunteer left).
    for index in rng.sample(range(len(data.links)), k=len(data.links) // 15):
        month, _, row = data.links[index]
        since = date.fromisoformat(row["since"])
        until = since + timedelta(days=rng.randint(60, 400))
        if until < end and row["type"] not in ("HOSTS", "MEMBER_OF"):
            data.endings.append((index, until))

    # Activities: collective health information (mission 3) and community actions (mission 4).
    topics = [
        ("Séance d'information diabète", "collective", ["health"]),
        ("Dépistage cancer du sein — info", "collective", ["health"]),
        ("Infosessie mentaal welzijn", "collective", ["mental health"]),
        ("Vaccination: questions-réponses", "collective", ["health"]),
        ("Fête de quartier Lemmens", "community", ["community"]),
        ("Nettoyage du quai", "community", ["environment"]),
        ("Repas partagé du Ramadan", "community", ["community", "religion"]),
        ("Buurtfeest Peterbos", "community", ["community"]),
    ]
    for i in range(20):
        title, mission, themes = topics[i % len(topics)]
        month = 2 + i
        day = _day_in_month(rng, _month_start(end, 24 - min(month, 23)), end)
        cluster = list(CLUSTERS)[i % 3]
        candidates = [
            a for a in by_cluster[cluster] if date.fromisoformat(data.actors[a]["since"]) <= day
        ]
        participants = rng.sample(candidates, k=min(len(candidates), rng.randint(3, 7)))
        data.activities.append(
            {
                "name": f"{title} ({day.strftime('%m/%Y')})",
                "mission": mission,
                "neighbourhood": NEIGHBOURHOOD,
                "themes": themes,
                "participants": [team, *participants],
                "since": day.isoformat(),
                "until": (day + timedelta(days=1)).isoformat(),
            }
        )

    # Anonymous referrals: counts from the team to services, by theme, with follow-up.
    services = [i for i in linkable if data.actors[i]["kind"] in ("public_service", "health_actor")]
    themes = ["housing", "income", "health", "mental-health", "debt", "employment", "language"]
    for month in range(24):
        for _ in range(4 + month // 4):
            day = _day_in_month(rng, _month_start(end, 24 - month), end)
            data.referrals.append(
                {
                    "date": day.isoformat(),
                    "from_actor": team,
                    "to_actor": rng.choice(services),
                    "theme": rng.choice(themes),
                    "count": rng.randint(1, 4),
                    "outcome": rng.choice(
                        ["reached", "reached", "not_reached", "pending", "unknown"]
                    ),
                }
            )
    return data


def load(
    store: GraphStore,
    seed: int = 2026,
    end: date = DEMO_END,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Write the demo neighbourhood into ``store`` (which should be empty)."""
    data = generate(seed, end)
    say = progress or (lambda _: None)
    coordinator = "demo-coordinator"

    def at(day: date) -> datetime:
        return datetime.combine(day, time(10, 0), tzinfo=UTC)

    store.create_neighbourhood(
        {
            "name": NEIGHBOURHOOD,
            "municipality": MUNICIPALITY,
            "sector_codes": ["21001A01-", "21001A02-", "21001A11-", "21001B00-"],
            "population": 24800,
            "since": _month_start(end, 24).isoformat(),
        },
        by=coordinator,
        at=at(_month_start(end, 24)),
    )
    say(f"{len(data.actors)} actors")
    actors = store.create_actors(data.actors, by="amina", at=at(_month_start(end, 24)))
    ids = [a.id for a in actors]
    say(f"{len(data.links)} links over 24 months")
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
        links = store.create_links(
            rows, by=worker, at=at(_month_start(end, 24 - month) + timedelta(days=27))
        )
        created.update({i: link.id for i, link in zip(indexes, links, strict=True)})
    for index, until in data.endings:
        store.end_link(created[index], until, by=data.links[index][1])
    say(f"{len(data.activities)} activities, {len(data.referrals)} referrals")
    for activity in data.activities:
        row = {**activity, "participants": [ids[p] for p in activity["participants"]]}
        store.create_activity(row, by="lucie", at=at(date.fromisoformat(activity["since"])))
    for referral in data.referrals:
        row = {
            **referral,
            "from_actor": ids[referral["from_actor"]],
            "to_actor": ids[referral["to_actor"]],
        }
        store.create_referral(row, by="joris", at=at(date.fromisoformat(referral["date"])))
    return store.counts()


def add_demo_users(store: GraphStore, password_hash: str) -> None:
    """The demo's users, the BAR workers attached to the BAR team actor."""
    team = store.list_actors(ActorFilter(kind=ActorKind.bar_team, q="BAR Cureghem-Lemmens"))
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
