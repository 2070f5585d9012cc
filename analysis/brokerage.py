"""Gould–Fernandez brokerage roles (1989), as R's ``sna::brokerage`` counts them.

For each broker ``b`` and each two-path ``a – b – c`` where ``a`` and ``c`` are not linked, the
path is classed by the groups of ``a``, ``b`` and ``c`` (actor kinds, or communities):

========================  =====================================
coordinator               a, b and c in one group
itinerant (consultant)    a and c in one group, b in another
representative            b in a's group, c outside
gatekeeper                b in c's group, a outside
liaison                   a, b and c in three different groups
========================  =====================================

Links here are undirected, so every two-path is counted in both orders (``a–b–c`` and
``c–b–a``), as ``sna::brokerage`` does on a symmetric graph; so each broker's gatekeeper and
representative counts are equal. The census is computed for all brokers at once from sparse
products: neighbour counts per group, and the links among each broker's neighbours split by the
groups at their ends.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from analysis.graphs import adjacency

ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")


def brokerage_census(graph: nx.Graph, groups: Mapping[Any, Hashable]) -> dict[Any, dict[str, int]]:
    """The five Gould–Fernandez role counts of every actor, as ``sna::brokerage`` counts them.

    For each two-path a–b–c with a and c not linked, b gets one role by the groups of a, b and
    c: coordinator (all three in one group), itinerant (a and c in one group, b in another),
    representative (b in a's group, c outside), gatekeeper (b in c's group, a outside), liaison
    (three groups). Undirected links: each two-path counts in both orders.

    Parameters
    ----------
    graph
        An undirected simple graph.
    groups
        Each actor's group.

    Returns
    -------
    dict
        actor -> {role: count}.

    Examples
    --------
    A trader (t) who knows two mothers' groups (m1, m2) and a mosque (q):

    >>> g = nx.Graph([("t", "m1"), ("t", "m2"), ("t", "q")])
    >>> kinds = {"t": "trader", "m1": "group", "m2": "group", "q": "worship"}
    >>> census = brokerage_census(g, kinds)
    >>> census["t"]
    {'coordinator': 0, 'itinerant': 2, 'representative': 0, 'gatekeeper': 0, 'liaison': 4}
    """
    nodes, a = adjacency(graph)
    n = len(nodes)
    if n == 0:
        return {}
    if (a.data != 1.0).any():  # parallel links summed (a multigraph given): each pair once
        a = a.copy()
        a.data[:] = 1.0
    # an actor missing from the groups is a group of its own
    group_of = {v: groups.get(v, ("ungrouped", v)) for v in nodes}
    labels = {g: i for i, g in enumerate(sorted(set(group_of.values()), key=str))}
    group = np.array([labels[group_of[v]] for v in nodes])
    onehot = sp.csr_array((np.ones(n), (np.arange(n), group)), shape=(n, len(labels)))
    per_group = (a @ onehot).toarray()  # neighbours of each actor, per group
    degree = per_group.sum(axis=1)
    n_in = per_group[np.arange(n), group]
    n_out = degree - n_in
    squares_out = (per_group**2).sum(axis=1) - n_in**2

    coo = a.tocoo()
    rows, cols = coo.row, coo.col
    same_as_row = group[rows] == group[cols]

    def masked(mask: np.ndarray) -> sp.csr_array:
        return sp.csr_array((np.ones(mask.sum()), (rows[mask], cols[mask])), shape=(n, n))

    inside = masked(same_as_row)  # b's links to its own group
    outside = masked(~same_as_row)  # b's links to other groups
    same_ends = masked(same_as_row)  # links whose two ends share a group

    def among(left: sp.csr_array, right: sp.csr_array, links: sp.csr_array) -> np.ndarray:
        # For each b: Σ over a∈left(b), c∈right(b) of links[a, c]
        return np.asarray((left @ links).multiply(right).sum(axis=1)).ravel()

    t_in_in = among(inside, inside, a) / 2
    t_in_out = among(inside, outside, a)
    t_out_out = among(outside, outside, a) / 2
    t_out_out_same = among(outside, outside, same_ends) / 2

    counts = {
        "coordinator": n_in * (n_in - 1) - 2 * t_in_in,
        "itinerant": (squares_out - n_out) - 2 * t_out_out_same,
        "representative": n_in * n_out - t_in_out,
        "gatekeeper": n_in * n_out - t_in_out,
        "liaison": (n_out**2 - squares_out) - 2 * (t_out_out - t_out_out_same),
    }
    rounded = {role: np.rint(values).astype(np.int64) for role, values in counts.items()}
    return {node: {role: int(rounded[role][i]) for role in ROLES} for i, node in enumerate(nodes)}


def brokerage_census_brute_force(
    graph: nx.Graph, groups: Mapping[Any, Hashable]
) -> dict[Any, dict[str, int]]:
    """The same census by enumerating every two-path (slow; the tests check the fast one with it).

    Parameters
    ----------
    graph
        An undirected simple graph.
    groups
        Each actor's group.

    Returns
    -------
    dict
        actor -> {role: count}, as :func:`brokerage_census`.

    Examples
    --------
    >>> g = nx.Graph([("t", "m1"), ("t", "m2"), ("t", "q")])
    >>> kinds = {"t": "trader", "m1": "group", "m2": "group", "q": "worship"}
    >>> brokerage_census_brute_force(g, kinds) == brokerage_census(g, kinds)
    True
    """
    out = {}
    for b in graph:
        roles = dict.fromkeys(ROLES, 0)
        neighbours = [v for v in graph[b] if v != b]
        for a in neighbours:
            for c in neighbours:
                if a == c or graph.has_edge(a, c):
                    continue
                ga, gb, gc = groups[a], groups[b], groups[c]
                if ga == gb == gc:
                    roles["coordinator"] += 1
                elif ga == gc:
                    roles["itinerant"] += 1
                elif ga == gb:
                    roles["representative"] += 1
                elif gb == gc:
                    roles["gatekeeper"] += 1
                else:
                    roles["liaison"] += 1
        out[b] = roles
    return out
