"""A synthetic region for benchmarks: neighbourhoods of 250 actors, ~5 links per actor, mostly
inside each neighbourhood (clustered, heavy-tailed degrees), 2 % across; 24 months of history."""

from __future__ import annotations

import random
from datetime import date, timedelta

import networkx as nx

KINDS = ["association", "trader", "public_service", "health_actor", "place_of_worship",
         "school", "resident_group", "external_partner", "bar_team", "other"]  # fmt: skip
THEMES = ["health", "housing", "youth", "employment", "education", "food aid", "sport",
          "mental health", "parenting", "language classes"]  # fmt: skip
LANGUAGES = ["fr", "nl", "ar", "tr", "ro", "pl", "es", "en"]
TARGETS = ["families", "youth", "elderly", "women", "newcomers", "children"]
START = date(2024, 11, 1)


def region(actors: int, seed: int = 1, per_neighbourhood: int = 250) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    count = max(1, actors // per_neighbourhood)
    for k in range(count):
        size = per_neighbourhood if k < count - 1 else actors - per_neighbourhood * (count - 1)
        local = nx.powerlaw_cluster_graph(size, min(5, size - 1), 0.3, seed=seed * 1000 + k)
        offset = k * per_neighbourhood
        for node in local:
            g.add_node(
                offset + node,
                name=f"actor {offset + node}",
                kind=rng.choice(KINDS),
                neighbourhood=f"N{k}",
                themes=rng.sample(THEMES, 2),
                languages=rng.sample(LANGUAGES, 2),
                target_groups=rng.sample(TARGETS, 1),
                since=START - timedelta(days=rng.randint(0, 400)),
                until=None,
            )
        for u, v in local.edges():
            _link(g, rng, offset + u, offset + v)
    for _ in range(int(0.02 * g.number_of_edges())):
        u, v = rng.randrange(actors), rng.randrange(actors)
        if u != v:
            _link(g, rng, u, v)
    return g


def _link(g: nx.MultiDiGraph, rng: random.Random, u: int, v: int) -> None:
    since = START + timedelta(days=rng.randint(0, 730))
    g.add_edge(
        u,
        v,
        strength=rng.choice([1, 1, 2, 3]),
        since=since,
        until=since + timedelta(days=300) if rng.random() < 0.05 else None,
        recorded_by=rng.choice(["amina", "joris", "lucie"]),
        recorded_at=since,
        updated_at=None,
        mission=rng.choice(["networking", "referral", "collective", "community"]),
        type="KNOWS",
    )


def cut(history: nx.MultiDiGraph, day: date) -> nx.MultiDiGraph:
    """The snapshot of a history on a day (what the store's snapshot would give)."""
    g = nx.MultiDiGraph()
    g.add_nodes_from(
        (n, d) for n, d in history.nodes(data=True)
        if d["since"] <= day and (d["until"] is None or d["until"] > day)
    )  # fmt: skip
    for u, v, k, d in history.edges(keys=True, data=True):
        if u in g and v in g and d["since"] <= day and (d["until"] is None or d["until"] > day):
            g.add_edge(u, v, key=k, **d)
    return g
