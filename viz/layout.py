"""Positions of actors, computed on the server with python-igraph's Fruchterman–Reingold.

A layout is computed once, stored with the data (``GraphStore.save_positions``) and reused by
every view and every date, so the map does not jump between meetings. New actors are placed near
their neighbours while every actor already placed stays exactly where it is (igraph's per-node
bounds, ``minx = maxx = x``); ``relayout`` starts again on purpose.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np
from scipy.spatial import cKDTree

Position = tuple[float, float]
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def layout_positions(
    graph: nx.Graph,
    pinned: Mapping[Any, Position] | None = None,
    *,
    seed: int = 1,
    iterations: int = 500,
) -> dict[Any, Position]:
    """Positions for every node of ``graph``; nodes in ``pinned`` keep theirs exactly.

    Parameters
    ----------
    graph
        Any NetworkX graph (directions and parallel links are ignored).
    pinned
        Positions to keep (others' positions are computed around them); nodes of ``pinned``
        that are not in ``graph`` are ignored.
    seed
        Seed of the random start, so the same graph gets the same picture.
    iterations
        Fruchterman–Reingold iterations.

    Returns
    -------
    dict
        node -> (x, y), in layout units (the views scale them to pixels).

    Examples
    --------
    >>> g = nx.path_graph(4)
    >>> first = layout_positions(g)
    >>> g.add_edge(3, 4)
    >>> again = layout_positions(g, pinned=first)
    >>> all(again[n] == first[n] for n in first)
    True
    >>> len(again)
    5
    """
    nodes = list(graph.nodes)
    if not nodes:
        return {}
    fixed = {v: (float(pinned[v][0]), float(pinned[v][1])) for v in nodes if pinned and v in pinned}
    if not fixed:
        return _fresh(graph, nodes, seed, iterations)
    return _around(graph, nodes, fixed)


def _fresh(graph: nx.Graph, nodes: list[Any], seed: int, iterations: int) -> dict[Any, Position]:
    """A whole new layout (grid Fruchterman–Reingold: 0.5 s at 5,000 actors)."""
    index = {v: i for i, v in enumerate(nodes)}
    edges = {(min(index[u], index[v]), max(index[u], index[v])) for u, v in graph.edges()}
    g = ig.Graph(n=len(nodes), edges=sorted(e for e in edges if e[0] != e[1]))
    old = random.getstate()
    random.seed(seed)  # igraph draws its random start from Python's random module
    try:
        coords = g.layout_fruchterman_reingold(niter=iterations, grid="auto").coords
    finally:
        random.setstate(old)
    return {v: (float(x), float(y)) for v, (x, y) in zip(nodes, coords, strict=True)}


def _around(graph: nx.Graph, nodes: list[Any], fixed: dict[Any, Position]) -> dict[Any, Position]:
    """New actors next to the neighbours already on the map (the nearest first, breadth-first),
    each on its own step of a golden-angle spiral so two never land on the same spot; actors
    with no placed neighbour go to a column beside the map. Placed actors do not move at all."""
    out = dict(fixed)
    step = _step(fixed)
    simple = nx.Graph(graph)
    waiting = [v for v in nodes if v not in out]
    turn = 0
    while waiting:
        ready = [v for v in waiting if any(u in out for u in simple.neighbors(v))]
        if not ready:
            break
        for v in ready:
            placed = [out[u] for u in simple.neighbors(v) if u in out]
            cx = sum(p[0] for p in placed) / len(placed)
            cy = sum(p[1] for p in placed) / len(placed)
            turn += 1
            angle = turn * GOLDEN_ANGLE
            radius = step * (1.0 + 0.15 * math.sqrt(turn))
            out[v] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
        waiting = [v for v in waiting if v not in out]
    out.update(waiting_column(out, waiting, step))
    return out


def _step(placed: Mapping[Any, Position]) -> float:
    """The map's usual distance between neighbours: the median distance to the nearest."""
    points = np.array(list(placed.values()))
    if len(points) < 2:
        return 1.0
    distances, _ = cKDTree(points).query(points, k=2)
    return float(np.median(distances[:, 1])) or 1.0


def waiting_column(
    placed: Mapping[Any, Position], nodes: Sequence[Any], step: float | None = None
) -> dict[Any, Position]:
    """Actors with nobody to stand next to (no link yet): a column to the right of the map.
    The views do not store these places: once linked, an actor lands beside its neighbours.

    >>> waiting_column({"a": (0.0, 0.0), "b": (1.0, 0.0)}, ["c"])
    {'c': (4.0, 0.0)}
    """
    if not nodes:
        return {}
    if not placed:
        return {v: (0.0, 1.5 * k) for k, v in enumerate(nodes)}
    if step is None:
        step = _step(placed)
    right = max(p[0] for p in placed.values()) + 3 * step
    top = min(p[1] for p in placed.values())
    return {v: (right, top + k * 1.5 * step) for k, v in enumerate(nodes)}
