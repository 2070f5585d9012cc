"""What is derived from a kept snapshot and brought up to date after a write
(``analysis.graphs.derived``) equals what is made afresh from the new snapshot: the simple graph,
each actor's last activity, the candidate introductions and the ranked bridging opportunities —
on random networks of a few hundred actors with themes, target groups and languages, after
random writes (links made and ended, actors added, ended, moved to other tags)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import networkx as nx
import pytest

from analysis import bridging as bridging_module
from analysis.bridging import bridging_opportunities, communities, membership
from analysis.graphs import derived, simple_graph
from analysis.isolation import isolated_actors

THEMES = ["youth", "health", "housing", "employment", "parenting"]
GROUPS = ["women", "elderly", "youth", "newcomers"]
KINDS = ["association", "trader", "school", "health_actor", "bar_team", "resident_group"]
DAY = date(2026, 6, 1)


def _actor(rng: random.Random, n: int) -> dict[str, Any]:
    return {
        "name": f"Asbl {n}",
        "kind": rng.choice(KINDS),
        "themes": rng.sample(THEMES, rng.randint(0, 2)),
        "target_groups": rng.sample(GROUPS, rng.randint(0, 2)),
        "languages": rng.sample(["fr", "nl", "ar", "tr"], rng.randint(0, 2)),
        "since": DAY - timedelta(days=rng.randint(0, 900)),
    }


def _network(rng: random.Random, actors: int, links: int) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for n in range(actors):
        g.add_node(f"a{n:04d}", **_actor(rng, n))
    for k in range(links):
        u, v = rng.sample(sorted(g), 2)
        g.add_edge(u, v, key=f"l{k:05d}", strength=rng.randint(1, 3),
                   since=DAY - timedelta(days=rng.randint(0, 700)))  # fmt: skip
    return g


def _written(rng: random.Random, old: nx.MultiDiGraph) -> tuple[nx.MultiDiGraph, set[str]]:
    """The snapshot after a few writes, and the actors they name."""
    new = nx.MultiDiGraph(old)
    named: set[str] = set()
    for step in range(rng.randint(1, 4)):
        what = rng.choice(["link", "unlink", "actor", "end", "tags"])
        nodes = sorted(new)
        if what == "link":
            u, v = rng.sample(nodes, 2)
            new.add_edge(u, v, key=f"w{step}{u}{v}", strength=2, since=DAY)
            named |= {u, v}
        elif what == "unlink" and new.number_of_edges():
            u, v, k = rng.choice(sorted(new.edges(keys=True)))
            new.remove_edge(u, v, k)
            named |= {u, v}
        elif what == "actor":
            fresh = f"b{step}{len(nodes):04d}"
            new.add_node(fresh, **_actor(rng, len(nodes)))
            new.add_edge(fresh, rng.choice(nodes), key=f"n{fresh}", strength=1, since=DAY)
            named |= {fresh, *new[fresh]}
        elif what == "end":
            gone = rng.choice(nodes)
            new.remove_node(gone)
            named.add(gone)
        else:
            changed = rng.choice(nodes)
            new.nodes[changed]["themes"] = rng.sample(THEMES, 2)
            named.add(changed)
    return new, named


@pytest.mark.parametrize("seed", range(12))
def test_patched_after_writes_equals_made_afresh(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(seed)
    old = nx.freeze(_network(rng, rng.randint(150, 400), rng.randint(300, 1200)))
    patched: list[int] = []
    patch = bridging_module._pairs_patched

    def counted(*args: Any) -> Any:
        patched.append(1)
        return patch(*args)

    monkeypatch.setattr(bridging_module, "_pairs_patched", counted)
    for _ in range(3):  # a few writes in a row, each patched from the one before
        before = bridging_module._introduction_pairs(simple_graph(old))
        isolated_actors(old, as_of=DAY)  # the last activities, kept with the snapshot
        new, named = _written(rng, old)
        nx.freeze(new)
        derived(new, old, named)
        patched.clear()
        kept = simple_graph(new)
        pairs = bridging_module._introduction_pairs(kept)
        assert patched == [1] and len(before.u) > 0  # brought up to date, not made again
        fresh_graph = nx.MultiDiGraph(new)  # not frozen: everything made afresh
        fresh = simple_graph(fresh_graph)
        assert list(kept.nodes(data=True)) == list(fresh.nodes(data=True))
        assert {frozenset(e[:2]): e[2] for e in kept.edges(data=True)} == {
            frozenset(e[:2]): e[2] for e in fresh.edges(data=True)
        }
        assert _table(kept, pairs) == _table(fresh, bridging_module._pairs_among(fresh, None))
        community_of = membership(communities(fresh, seed=1))
        assert bridging_opportunities(kept, community_of, limit=40) == bridging_opportunities(
            fresh, community_of, limit=40
        )
        assert isolated_actors(new, as_of=DAY) == isolated_actors(fresh_graph, as_of=DAY)
        old = new


def _table(simple: nx.Graph, pairs: Any) -> dict[tuple[str, str], tuple[float, ...]]:
    nodes = list(simple.nodes)
    found = {
        (nodes[u], nodes[v]): tuple(float(pairs.shared[f][k]) for f in bridging_module.FIELDS)
        for k, (u, v) in enumerate(zip(pairs.u.tolist(), pairs.v.tolist(), strict=True))
    }
    assert len(found) == len(pairs.u) and bool((pairs.u < pairs.v).all())
    return found
