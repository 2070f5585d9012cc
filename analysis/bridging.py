"""Where the bridges are, and where they are missing.

Brokers (Burt's structural holes, betweenness), communities (Louvain, seeded so results repeat),
Gould–Fernandez brokerage roles, and the product's own answer: **bridging opportunities**,
ranked introductions between two actors of different communities or kinds that share themes,
target groups or languages and are not linked yet, each with the actor best placed to introduce
them (linked to both) and a reason in plain words.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np
import scipy.sparse as sp

from analysis.brokerage import ROLES, brokerage_census
from analysis.centrality import DEFAULT_SAMPLES, EXACT_LIMIT, betweenness
from analysis.graphs import (
    adjacency,
    kept_on,
    patched_on,
    simple_graph,
    size_label,
    sorted_pairs,
)
from analysis.structural_holes import constraint, effective_size

STRENGTH_WORDS = {1: "a weak tie", 2: "a regular tie", 3: "a strong tie"}


def communities(graph: nx.Graph, *, seed: int = 1, resolution: float = 1.0) -> dict[str, Any]:
    """Louvain communities of the simple graph (weights: link strength), largest first.

    Parameters
    ----------
    graph
        A snapshot (multigraph) or a simple graph; parallel links count once, at their
        strongest.
    seed
        Louvain's random seed: the same seed gives the same communities.
    resolution
        Louvain's resolution (above 1: more, smaller communities).

    Returns
    -------
    dict
        ``seed``, ``resolution``, ``modularity`` and ``communities``: each with its number, size,
        kinds (counted) and member ids.

    Examples
    --------
    >>> result = communities(nx.karate_club_graph(), seed=1)
    >>> len(result["communities"]) >= 2 and result["modularity"] > 0.35
    True
    """
    simple = (
        graph if isinstance(graph, nx.Graph) and not graph.is_multigraph() else simple_graph(graph)
    )
    found, modularity = kept_on(
        simple,
        ("louvain", seed, resolution),
        lambda: _louvain(simple, seed=seed, resolution=resolution),
    )
    ordered = sorted(found, key=lambda c: (-len(c), min(map(str, c))))
    out = []
    for number, members in enumerate(ordered):
        kinds = Counter(str(simple.nodes[m].get("kind", "")) for m in members)
        out.append(
            {
                "community": number,
                "size": len(members),
                "kinds": dict(kinds.most_common()),
                "members": sorted(members, key=str),
            }
        )
    return {"seed": seed, "resolution": resolution, "modularity": modularity, "communities": out}


_RANDOM = threading.Lock()  # igraph draws from one generator per process, set for each call


def _louvain(simple: nx.Graph, *, seed: int, resolution: float) -> tuple[list[set[Any]], float]:
    """Louvain's communities (igraph's multilevel, in C: 0.1 s at 10,000 actors where networkx
    took 1.7 s) and their modularity. The actors are numbered in the order of their ids and the
    generator seeded, so the same network gives the same communities whatever order it was
    read in."""
    nodes, edges, weights = sorted_pairs(simple)
    if not nodes:
        return [], 0.0
    shape = ig.Graph(n=len(nodes), edges=edges)
    with _RANDOM:
        ig.set_random_number_generator(random.Random(seed))  # noqa: S311 - reproducible, not secret
        try:
            found = shape.community_multilevel(weights=weights or None, resolution=resolution)
        finally:
            ig.set_random_number_generator(random)
    modularity = (
        shape.modularity(found.membership, weights=weights, resolution=resolution) if edges else 0.0
    )
    return [{nodes[i] for i in members} for members in found], float(modularity)


def membership(found: dict[str, Any]) -> dict[Any, int]:
    """The community number of every member.

    Parameters
    ----------
    found
        The result of :func:`communities`.

    Returns
    -------
    dict
        actor -> community number.

    Examples
    --------
    >>> membership({"communities": [{"community": 0, "members": ["a", "b"]},
    ...                             {"community": 1, "members": ["c"]}]})
    {'a': 0, 'b': 0, 'c': 1}
    """
    return {m: c["community"] for c in found["communities"] for m in c["members"]}


def named_communities(simple: nx.Graph, found: dict[str, Any]) -> list[dict[str, Any]]:
    """The communities of :func:`communities` with each member's id and name.

    Parameters
    ----------
    simple
        The graph the communities were found in (its nodes carry ``name``).
    found
        The result of :func:`communities`.

    Returns
    -------
    list of dict
        The communities, members as ``{"id": …, "name": …}``.

    Examples
    --------
    >>> g = nx.Graph([("a", "b")]); g.nodes["a"]["name"] = "Asbl A"
    >>> named_communities(g, {"communities": [{"community": 0, "members": ["a", "b"]}]})
    [{'community': 0, 'members': [{'id': 'a', 'name': 'Asbl A'}, {'id': 'b', 'name': 'b'}]}]
    """
    return [
        {
            **c,
            "members": [
                {"id": m, "name": simple.nodes[m].get("name", str(m))} for m in c["members"]
            ],
        }
        for c in found["communities"]
    ]


def brokerage_groups(simple: nx.Graph, groups: str, community_of: dict[Any, int]) -> dict[Any, Any]:
    """The group of each actor for brokerage roles: its community, or its kind.

    Parameters
    ----------
    simple
        The graph (nodes carry ``kind``).
    groups
        ``"community"`` or ``"kind"``.
    community_of
        Each actor's community (used when ``groups`` is ``"community"``).

    Returns
    -------
    dict
        actor -> group.

    Examples
    --------
    >>> g = nx.Graph(); g.add_node("a", kind="trader"); g.add_node("b", kind="school")
    >>> brokerage_groups(g, "kind", {})
    {'a': 'trader', 'b': 'school'}
    >>> brokerage_groups(g, "community", {"a": 0, "b": 0})
    {'a': 0, 'b': 0}
    """
    if groups == "community":
        return community_of
    return {v: str(simple.nodes[v].get("kind", "")) for v in simple}


def _incidence(graph: nx.Graph, nodes: list[Any], field: str) -> tuple[sp.csr_array, list[str]]:
    vocabulary: dict[str, int] = {}
    rows, cols = [], []
    for i, v in enumerate(nodes):
        for tag in graph.nodes[v].get(field) or []:
            rows.append(i)
            cols.append(vocabulary.setdefault(str(tag), len(vocabulary)))
    matrix = sp.csr_array(
        (np.ones(len(rows)), (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64))),
        shape=(len(nodes), max(len(vocabulary), 1)),
    )
    return matrix, list(vocabulary)


def _shared(
    simple: nx.Graph, field: str, matrix: sp.csr_array, u: np.ndarray, v: np.ndarray
) -> np.ndarray:
    """How many of ``field``'s tags each pair ``(u[k], v[k])`` has in common: each actor's
    tags as the bits of a few words, counted in C (a fifth of the time of multiplying the
    pairs' rows at 10,000 actors)."""
    if matrix.nnz and (matrix.data != 1).any():  # a tag given twice: counted as before
        return np.asarray(matrix[u].multiply(matrix[v]).sum(axis=1)).ravel()
    bits = kept_on(simple, ("tag bits", field), lambda: _bits(matrix))
    found = np.zeros(len(u), dtype=np.int64)
    for word in range(bits.shape[1]):
        found += np.bitwise_count(bits[u, word] & bits[v, word])
    return found.astype(float)


def _bits(matrix: sp.csr_array) -> np.ndarray:
    coo = matrix.tocoo()
    bits = np.zeros((matrix.shape[0], (matrix.shape[1] + 63) // 64), dtype=np.uint64)
    ones = np.left_shift(np.uint64(1), (coo.col % 64).astype(np.uint64))
    np.bitwise_or.at(bits, (coo.row, coo.col // 64), ones)
    bits.setflags(write=False)
    return bits


FIELDS = ("themes", "target_groups", "languages")


@dataclass(frozen=True)
class _Pairs:
    """Who could be introduced to whom, whatever the communities: two actors not linked,
    neither a BAR team, with a common contact and a theme or a target group in common, with
    how many of each field's tags they share. Positions in the simple graph's order, the lower
    first."""

    u: np.ndarray
    v: np.ndarray
    shared: dict[str, np.ndarray]


def _introduction_pairs(simple: nx.Graph) -> _Pairs:
    """The candidate pairs, kept with a kept snapshot's simple graph and, after a write,
    brought up to date from the earlier graph's (:func:`analysis.graphs.patched_on`)."""
    return patched_on(
        simple,
        ("introduction pairs",),
        lambda: _pairs_among(simple, None),
        lambda before, earlier, changed: _pairs_patched(simple, before, earlier, changed),
    )


def _kinds(simple: nx.Graph, nodes: list[Any]) -> tuple[np.ndarray, np.ndarray]:
    kind = np.array([str(simple.nodes[x].get("kind", "")) for x in nodes])
    _, code = np.unique(kind, return_inverse=True)  # numbers compare faster than text
    return kind, code


def _pairs_among(simple: nx.Graph, rows: np.ndarray | None) -> _Pairs:
    """The candidate pairs of the whole graph (``rows`` None), or those with an end among the
    positions ``rows``."""
    nodes, a = adjacency(simple, weight="weight")
    binary = a.copy()
    binary.data[:] = 1.0
    n = len(nodes)
    if rows is None:
        two_step = (binary @ binary).tocoo()
        u, v = two_step.row.astype(np.int64), two_step.col.astype(np.int64)
        keep = u < v
        u, v = u[keep], v[keep]
    else:
        two_step = (binary[rows] @ binary).tocoo()
        ends, others = rows[two_step.row], two_step.col.astype(np.int64)
        keep = ends != others
        u, v = np.minimum(ends, others)[keep], np.maximum(ends, others)[keep]
        _, first = np.unique(u * n + v, return_index=True)  # a pair of two rows: once
        u, v = u[first], v[first]
    if len(u):
        linked = np.asarray(binary[u, v]).ravel() > 0
        u, v = u[~linked], v[~linked]
    outside = _kinds(simple, nodes)[0] != "bar_team"  # the BAR team meets whom it wants
    keep = outside[u] & outside[v]
    u, v = u[keep], v[keep]
    shared = {}
    for field in FIELDS:
        matrix, _ = kept_on(simple, ("incidence", field), partial(_incidence, simple, nodes, field))
        shared[field] = _shared(simple, field, matrix, u, v)
    relevant = (shared["themes"] + shared["target_groups"]) > 0
    return _Pairs(u[relevant], v[relevant], {f: x[relevant] for f, x in shared.items()})


def _pairs_patched(
    simple: nx.Graph, before: _Pairs, earlier: nx.Graph, changed: frozenset[Any]
) -> _Pairs:
    """The candidate pairs of ``simple``, from those of ``earlier`` (the simple graph of the
    snapshot before a write): a pair whose two ends are neither changed actors nor their
    neighbours keeps its common contacts, its not being linked and its tags, so it is kept as it
    was; the pairs with an end among them are found again."""
    nodes = list(simple.nodes)
    index = {v: i for i, v in enumerate(nodes)}
    old = list(earlier.nodes)
    position = np.array([index.get(v, -1) for v in old], dtype=np.int64)
    touched = np.array([v in changed for v in old], dtype=bool)
    keep = ~touched[before.u] & ~touched[before.v]
    u, v = position[before.u[keep]], position[before.v[keep]]
    rows = np.array(sorted(index[v] for v in changed if v in index), dtype=np.int64)
    found = _pairs_among(simple, rows)
    return _Pairs(
        np.concatenate([np.minimum(u, v), found.u]),
        np.concatenate([np.maximum(u, v), found.v]),
        {f: np.concatenate([before.shared[f][keep], found.shared[f]]) for f in FIELDS},
    )


def bridging_opportunities(
    graph: nx.Graph,
    community_of: dict[Any, int],
    *,
    limit: int = 20,
) -> list[dict[str, Any]]:
    """Ranked introductions worth making.

    A candidate pair is two actors not linked (neither of them a BAR team or worker, who meet
    whom they want), with a common contact, in different communities or of different kinds,
    sharing at least one theme or target group. Score: shared themes and target groups count 2
    each, shared languages 1, different communities 3, different kinds 1; the introducer is the
    common contact with the strongest weakest tie to the two.

    Parameters
    ----------
    graph
        A snapshot or a simple graph whose nodes carry ``name``, ``kind``, ``themes``,
        ``target_groups``, ``languages`` and whose links carry ``weight`` or ``strength``.
    community_of
        Each actor's community (see :func:`membership`).
    limit
        How many introductions to return.

    Returns
    -------
    list of dict
        Best first: ``score``, the two ``actors`` (id, name, kind, community), the
        ``introducer``, what they ``shared`` and the ``reason`` in words.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_node("one", name="ONE", kind="health_actor", themes=["parenting"])
    >>> g.add_node("mums", name="Mothers", kind="resident_group", themes=["parenting"])
    >>> g.add_node("asbl", name="Women's asbl", kind="association", themes=[])
    >>> g.add_edge("one", "asbl", weight=2); g.add_edge("mums", "asbl", weight=3)
    >>> best = bridging_opportunities(g, {"one": 0, "asbl": 0, "mums": 1})[0]
    >>> [a["name"] for a in best["actors"]], best["introducer"]["name"], best["score"]
    (['ONE', 'Mothers'], "Women's asbl", 6.0)
    """
    simple = graph if not graph.is_multigraph() else simple_graph(graph)
    nodes = list(simple.nodes)
    if len(nodes) < 3:
        return []
    pairs = _introduction_pairs(simple)
    u, v, shared = pairs.u, pairs.v, dict(pairs.shared)
    community = np.array([community_of.get(x, -1) for x in nodes])
    kind, kind_code = _kinds(simple, nodes)
    differs_c = community[u] != community[v]
    differs_k = kind_code[u] != kind_code[v]
    keep = differs_c | differs_k  # else nothing new to bring each other
    u, v, differs_c, differs_k = u[keep], v[keep], differs_c[keep], differs_k[keep]
    for field in FIELDS:
        shared[field] = shared[field][keep]
    if len(u) == 0:
        return []
    vocab: dict[str, tuple[sp.csr_array, list[str]]] = {
        field: kept_on(simple, ("incidence", field), partial(_incidence, simple, nodes, field))
        for field in FIELDS
    }
    score = (
        2 * shared["themes"]
        + 2 * shared["target_groups"]
        + shared["languages"]
        + 3 * differs_c
        + 1 * differs_k
    )
    order = np.lexsort((v, u, -score))[: limit * 5]
    out = []
    for k in order:
        i, j = int(u[k]), int(v[k])
        x, y = nodes[i], nodes[j]
        brokers = set(simple[x]) & set(simple[y])

        def tie(b: Any, x: Any = x, y: Any = y) -> tuple[int, int, str]:
            s1 = int(simple[x][b].get("weight", 1))
            s2 = int(simple[y][b].get("weight", 1))
            return (min(s1, s2), s1 + s2, str(b))

        broker = max(brokers, key=tie)
        common: dict[str, list[str]] = {}
        for field, (matrix, words) in vocab.items():
            row_x = set(matrix[[i]].indices.tolist())
            row_y = set(matrix[[j]].indices.tolist())
            common[field] = sorted(words[t] for t in row_x & row_y)
        names = {z: simple.nodes[z].get("name", str(z)) for z in (x, y, broker)}
        what = []
        if common["themes"]:
            what.append("work on " + ", ".join(common["themes"]))
        if common["target_groups"]:
            what.append("reach " + ", ".join(common["target_groups"]))
        if common["languages"]:
            what.append("speak " + ", ".join(common["languages"]))
        apart = (
            "sit in different parts of the network"
            if differs_c[k]
            else "are different kinds of actor"
        )
        s1 = int(simple[x][broker].get("weight", 1))
        s2 = int(simple[y][broker].get("weight", 1))
        reason = (
            f"{names[x]} and {names[y]} both {' and '.join(what)}, but are not linked and "
            f"{apart}. {names[broker]} knows both ({STRENGTH_WORDS.get(s1, 'a tie')} with "
            f"{names[x]}, {STRENGTH_WORDS.get(s2, 'a tie')} with {names[y]})."
        )
        out.append(
            {
                "score": float(score[k]),
                "actors": [
                    {"id": x, "name": names[x], "kind": kind[i], "community": int(community[i])},
                    {"id": y, "name": names[y], "kind": kind[j], "community": int(community[j])},
                ],
                "introducer": {
                    "id": broker,
                    "name": names[broker],
                    "kind": str(simple.nodes[broker].get("kind", "")),
                },
                "shared": common,
                "reason": reason,
            }
        )
        if len(out) == limit:
            break
    return out


def bridging(
    graph: nx.MultiDiGraph,
    *,
    as_of: date,
    seed: int = 1,
    top: int = 10,
    opportunities: int = 20,
    groups: str = "kind",
    exact_limit: int = EXACT_LIMIT,
    samples: int = DEFAULT_SAMPLES,
    between: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The whole bridging report of a snapshot: brokers, communities, roles and opportunities.

    Parameters
    ----------
    graph
        A store snapshot.
    as_of
        The day it shows (stated in the result).
    seed
        Seed of Louvain and of sampled betweenness.
    top
        How many brokers to list per measure and per role.
    opportunities
        How many introductions to propose.
    groups
        ``"kind"`` (actor kinds) or ``"community"``: the groups of the brokerage roles.
    exact_limit, samples
        Betweenness is exact up to ``exact_limit`` actors, else estimated from ``samples``
        sources.
    between
        Betweenness already computed on this snapshot (:func:`analysis.centrality.betweenness`
        with the same limit, samples and seed), not computed again (the bridging view draws it).

    Returns
    -------
    dict
        Validates as :class:`analysis.results.BridgingResult`.

    Examples
    --------
    >>> from datetime import date
    >>> g = nx.MultiDiGraph()
    >>> for n, kind in [("bar", "bar_team"), ("a", "association"), ("b", "school")]:
    ...     g.add_node(n, name=n.upper(), kind=kind, themes=["youth"])
    >>> _ = g.add_edge("a", "bar", key="1", strength=2); _ = g.add_edge("b", "bar", key="2")
    >>> report = bridging(g, as_of=date(2026, 1, 1))
    >>> report["brokers"]["betweenness"][0]["name"], len(report["opportunities"])
    ('BAR', 1)
    """
    simple = simple_graph(graph)
    names = {v: simple.nodes[v].get("name", str(v)) for v in simple}
    found = communities(simple, seed=seed)
    community_of = membership(found)
    if between is None:
        between = betweenness(simple, exact_limit=exact_limit, samples=samples, seed=seed)
    cons = constraint(simple, weight="weight")
    eff = effective_size(simple, weight="weight")
    census = brokerage_census(simple, brokerage_groups(simple, groups, community_of))

    def ranked(values: dict[Any, float], *, reverse: bool) -> list[dict[str, Any]]:
        return ranked_values(values, names, top, highest=reverse)

    actors = list(census)
    role_leaders = {
        role: [
            {"id": actors[i], "name": names[actors[i]], "count": census[actors[i]][role]}
            for i in _first(actors, [census[k][role] for k in actors], top, highest=True)
            if census[actors[i]][role] > 0
        ]
        for role in ROLES
    }
    return {
        "as_of": as_of.isoformat(),
        "parameters": {
            "seed": seed,
            "top": top,
            "groups": groups,
            "betweenness": {k: between[k] for k in between if k != "values"},
        },
        "graph": size_label(simple),
        "brokers": {
            "betweenness": ranked(between["values"], reverse=True),
            "lowest_constraint": ranked(cons, reverse=False),
            "largest_effective_size": ranked(eff, reverse=True),
        },
        "communities": {
            "modularity": found["modularity"],
            "count": len(found["communities"]),
            "items": named_communities(simple, found),
        },
        "brokerage": {"groups": groups, "leaders": role_leaders},
        "opportunities": introductions(simple, seed=seed, limit=opportunities),
    }


def ranked_values(
    values: Mapping[Any, float], names: Mapping[Any, str], top: int, *, highest: bool
) -> list[dict[str, Any]]:
    """The ``top`` actors by a measure (the highest first, or the lowest), ties by id, as the
    bridging report lists its brokers (the bridging view rings the same).

    Parameters
    ----------
    values
        actor -> value (NaN: not ranked, an isolated actor's).
    names
        actor -> name.
    top
        How many.
    highest
        The highest values first (else the lowest).

    Returns
    -------
    list of dict
        ``id``, ``name`` and ``value`` (rounded to 10 decimals).

    Examples
    --------
    >>> ranked_values({"a": 0.5, "b": 0.7, "c": float("nan")}, {"a": "A", "b": "B"}, 5,
    ...               highest=True)
    [{'id': 'b', 'name': 'B', 'value': 0.7}, {'id': 'a', 'name': 'A', 'value': 0.5}]
    """
    # Rounded: parallel sums (rustworkx) may differ in the last bits from run to run.
    finite = [(k, round(x, 10)) for k, x in values.items() if x == x]  # NaN: isolated
    best = _first([k for k, _ in finite], [x for _, x in finite], top, highest=highest)
    return [{"id": finite[i][0], "name": names[finite[i][0]], "value": finite[i][1]} for i in best]


def _first(keys: list[Any], values: list[float], top: int, *, highest: bool) -> list[int]:
    """The positions of the ``top`` first keys by value (the highest first, or the lowest),
    then by key as text: as sorting the pairs by ``(∓value, str(key))``, in C (sorting ten
    thousand pairs in Python with a key function took 0.1-0.4 s for the five roles)."""
    if not keys:
        return []
    text = np.array([str(k) for k in keys], dtype=object)
    rank = np.empty(len(keys), dtype=np.int64)
    rank[np.argsort(text, kind="stable")] = np.arange(len(keys))
    number = np.asarray(values, dtype=float)
    return np.lexsort((rank, -number if highest else number))[:top].tolist()  # type: ignore[no-any-return]


def introductions(graph: nx.Graph, *, seed: int = 1, limit: int = 20) -> list[dict[str, Any]]:
    """The bridging opportunities of a snapshot alone, with its Louvain communities (seeded):
    what the indicators count, without the brokers' measures. Made once per kept snapshot.

    Parameters
    ----------
    graph
        A snapshot or its simple graph.
    seed
        Louvain's seed.
    limit
        How many introductions.

    Returns
    -------
    list of dict
        As :func:`bridging_opportunities`; read-only for a kept snapshot.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_node("one", name="ONE", kind="health_actor", themes=["parenting"])
    >>> g.add_node("mums", name="Mothers", kind="resident_group", themes=["parenting"])
    >>> g.add_node("asbl", name="Women's asbl", kind="association", themes=[])
    >>> g.add_edge("one", "asbl", weight=2); g.add_edge("mums", "asbl", weight=3)
    >>> [a["name"] for a in introductions(g)[0]["actors"]]
    ['ONE', 'Mothers']
    """
    simple = graph if not graph.is_multigraph() else simple_graph(graph)

    def make() -> list[dict[str, Any]]:
        community_of = membership(communities(simple, seed=seed))
        return bridging_opportunities(simple, community_of, limit=limit)

    return kept_on(simple, ("introductions", seed, limit), make)
