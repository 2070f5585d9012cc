"""Structural holes, betweenness and brokerage: equal to networkx where it has the measure,
to published values, and to hand-worked examples where it has not."""

from __future__ import annotations

import math
import random

import networkx as nx
import numpy as np
import pytest

from analysis.brokerage import ROLES, brokerage_census, brokerage_census_brute_force
from analysis.centrality import betweenness
from analysis.structural_holes import constraint, effective_size


def _graphs() -> list[nx.Graph]:
    florentine = nx.florentine_families_graph()
    karate = nx.karate_club_graph()
    plc = nx.powerlaw_cluster_graph(300, 3, 0.3, seed=3)
    plc.add_node("isolated")
    weighted = nx.powerlaw_cluster_graph(200, 3, 0.5, seed=4)
    for i, (u, v) in enumerate(weighted.edges()):
        weighted[u][v]["weight"] = 1 + i % 3
    return [florentine, karate, plc, weighted]


@pytest.mark.parametrize("graph", _graphs(), ids=["florentine", "karate", "powerlaw", "weighted"])
@pytest.mark.parametrize("weight", [None, "weight"])
def test_structural_holes_equal_networkx(graph: nx.Graph, weight: str | None) -> None:
    ours_c, ours_e = constraint(graph, weight), effective_size(graph, weight)
    # networkx's definition, computed node by node (its per-node path)
    theirs_c = nx.constraint(graph, nodes=list(graph), weight=weight)
    theirs_e = nx.effective_size(graph, nodes=list(graph), weight=weight)
    for node in graph:
        if math.isnan(theirs_c[node]):
            assert math.isnan(ours_c[node]) and math.isnan(ours_e[node])
            continue
        assert ours_c[node] == pytest.approx(theirs_c[node], abs=1e-9)
        assert ours_e[node] == pytest.approx(theirs_e[node], abs=1e-9)


def test_florentine_published_values() -> None:
    g = nx.florentine_families_graph()
    c = constraint(g)
    assert min(c, key=lambda k: c[k]) == "Medici"
    b = betweenness(g)["values"]
    assert round(b["Medici"], 3) == 0.522
    assert max(b, key=lambda k: b[k]) == "Medici"


def test_karate_club_matches_networkx() -> None:
    g = nx.karate_club_graph()
    ours = betweenness(g)["values"]
    theirs = nx.betweenness_centrality(g)
    assert max(abs(ours[n] - theirs[n]) for n in g) < 1e-12
    assert sorted(ours, key=lambda n: -ours[n])[:2] == [0, 33]  # the instructor and the president


@pytest.mark.parametrize("seed", [1, 2])
def test_exact_betweenness_equals_networkx(seed: int) -> None:
    g = nx.gnm_random_graph(150, 400, seed=seed)
    g.add_node("lonely")
    theirs = nx.betweenness_centrality(g)
    exact = betweenness(g)["values"]
    for node in g:
        assert exact[node] == pytest.approx(theirs[node], abs=1e-12)


def test_sampled_betweenness_states_its_error_and_keeps_it() -> None:
    g = nx.powerlaw_cluster_graph(1500, 3, 0.3, seed=5)
    exact = betweenness(g)["values"]
    sampled = betweenness(g, exact_limit=100, samples=300, seed=7)
    assert sampled["method"] == "sampled" and sampled["samples"] == 300
    assert sampled["seed"] == 7
    errors = np.array([abs(sampled["values"][n] - exact[n]) for n in g])
    stated = sampled["standard_error"]
    assert errors.mean() < 3 * stated["mean"]
    assert errors.max() < 5 * stated["max"]
    again = betweenness(g, exact_limit=100, samples=300, seed=7)
    assert again["values"] == sampled["values"]


def test_brokerage_hand_worked_example() -> None:
    # k brokers between two of its own group (k2, k3), two of group A (a1, a2, who know each
    # other) and one of group C.
    g = nx.Graph([("k", x) for x in ("k2", "k3", "a1", "a2", "c")] + [("a1", "a2")])
    groups = {"k": "K", "k2": "K", "k3": "K", "a1": "A", "a2": "A", "c": "C"}
    census = brokerage_census(g, groups)
    assert census["k"] == {
        "coordinator": 2,  # k2–k–k3 and back
        "itinerant": 0,  # a1 and a2 know each other
        "representative": 6,  # from k2 or k3 to a1, a2 or c
        "gatekeeper": 6,  # the same paths the other way
        "liaison": 4,  # a1–k–c, a2–k–c, and back
    }
    # a1 and a2 know each other and k: they broker nothing; c knows only k
    nobody = dict.fromkeys(ROLES, 0)
    assert census["a1"] == census["a2"] == census["c"] == nobody
    assert sum(census["k2"].values()) == 0 and sum(census["k"].values()) == 18


@pytest.mark.parametrize("seed", range(4))
def test_brokerage_equals_enumeration(seed: int) -> None:
    g = nx.powerlaw_cluster_graph(120, 3, 0.5, seed=seed)
    rng = random.Random(seed)
    groups = {v: rng.choice("abc") for v in g}
    census = brokerage_census(g, groups)
    assert census == brokerage_census_brute_force(g, groups)
    for node, roles in census.items():
        d = g.degree(node)
        closed = sum(1 for a in g[node] for c in g[node] if a != c and g.has_edge(a, c))
        assert sum(roles.values()) == d * (d - 1) - closed
        assert roles["gatekeeper"] == roles["representative"]


def test_dormancy_counts_back_whole_months() -> None:
    """31 May minus six months is 30 November (it was capped at the 28th): a link last recorded
    on 29 November is dormant on 31 May."""
    from datetime import date

    import networkx as nx

    from analysis.isolation import isolated_actors

    g = nx.MultiDiGraph()
    for n in ("a", "b"):
        g.add_node(n, name=n, kind="association")
    day = date(2025, 11, 29)
    g.add_edge("a", "b", key="l", type="KNOWS", strength=1, since=day, recorded_at=day)
    result = isolated_actors(g, as_of=date(2026, 5, 31), dormant_months=6)
    assert sorted(d["id"] for d in result["dormant"]) == ["a", "b"]
