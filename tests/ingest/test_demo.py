"""The demo neighbourhood: deterministic, realistic in shape, loadable into both stores."""

from __future__ import annotations

from collections import Counter
from datetime import date

import networkx as nx

from graph.model import ActorKind, EventFilter, LinkFilter
from graph.store import GraphStore
from ingest.demo import DEMO_END, WORKERS, generate, load


def test_same_seed_same_neighbourhood() -> None:
    assert generate(7) == generate(7)
    assert generate(7).links != generate(8).links


def test_shape_of_the_neighbourhood() -> None:
    data = generate()
    assert 230 <= len(data.actors) <= 270
    kinds = Counter(a["kind"] for a in data.actors)
    assert set(kinds) == {k.value for k in ActorKind}
    names = [a["name"] for a in data.actors]
    assert len(set(names)) == len(names)
    assert {worker for _, worker, _ in data.links} == set(WORKERS)
    assert {month for month, _, _ in data.links} == set(range(24))
    per_month = Counter(month for month, _, _ in data.links)
    assert per_month[23] > 2 * per_month[0]  # the network grows
    assert len(data.isolated) >= 3
    linked = {row["source"] for _, _, row in data.links} | {
        row["target"] for _, _, row in data.links
    }
    assert not linked & set(data.isolated)
    assert data.activities and data.referrals


def test_loads_into_the_store_with_clusters_and_isolates(store: GraphStore) -> None:
    counts = load(store)
    data = generate()
    assert counts["actors"] == len(data.actors)
    assert counts["links"] == len(data.links)
    assert counts["activities"] == len(data.activities)
    assert counts["referrals"] == len(data.referrals)
    graph = store.snapshot(as_of=DEMO_END)
    simple = nx.Graph(graph.to_undirected())
    assert len(list(nx.isolates(simple))) >= len(data.isolated)
    clusters = nx.community.louvain_communities(simple, seed=1)
    assert len([c for c in clusters if len(c) > 20]) >= 3
    # growth: fewer links two years ago than today
    early = store.list_links(LinkFilter(as_of=date(DEMO_END.year - 1, DEMO_END.month, 1)), limit=1)
    late = store.list_links(LinkFilter(as_of=DEMO_END), limit=1)
    assert early.total < late.total
    assert store.list_events(EventFilter(user="joris"), limit=1).total > 0
    team = [
        n
        for n, d in graph.nodes(data=True)
        if d["kind"] is ActorKind.bar_team and "BAR " in d["name"]
    ]
    assert team
