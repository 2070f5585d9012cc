"""From a store's snapshot (a NetworkX multigraph with the domain fields) to the forms the
measures need: a simple undirected graph, and a sparse adjacency matrix in a fixed node order.

A kept snapshot (``api/kept.py``) is frozen, and what is derived from it is made once and
kept with it (:func:`kept_on`). After a write, the kept whole-store snapshot is brought up to
date from the actors the write names (``Snapshots.refreshed``); :func:`derived` notes which
graph it came from and which actors changed, and what only depends on an actor and its own
links is then brought up to date from the earlier graph's the same way (:func:`simple_graph`,
:func:`per_actor`) instead of being made again over the whole region. The results equal a
full recomputation (``tests/contract/test_kept_results.py``, ``tests/analysis/test_patched.py``).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import networkx as nx
import numpy as np
import scipy.sparse as sp

T = TypeVar("T")


@dataclass(frozen=True)
class _Lineage:
    """What a frozen graph was brought up to date from: the earlier graph's derived results
    (not the earlier graph itself, which is let go), the actors read again, and those whose
    own links may differ (the actors and their neighbours, before and after)."""

    earlier: dict[tuple[Any, ...], Any]
    actors: frozenset[Any]
    changed: frozenset[Any]


#: a frozen graph -> its lineage (one generation: the earlier graph's lineage is not kept)
_LINEAGE: weakref.WeakKeyDictionary[nx.Graph, _Lineage] = weakref.WeakKeyDictionary()


def derived(graph: nx.Graph, earlier: nx.Graph, actors: Collection[Any]) -> None:
    """Note that ``graph`` is ``earlier`` with only ``actors`` and the links touching them read
    again (both frozen): what was derived from ``earlier`` so far is brought up to date for
    those actors and their neighbours alone when ``graph``'s is asked for.

    Parameters
    ----------
    graph, earlier
        Two frozen snapshots (or histories) of the same store.
    actors
        The actors whose node and links may differ between them.

    Returns
    -------
    None
        The lineage is kept beside ``graph`` while it is in use.

    Examples
    --------
    >>> old = nx.freeze(nx.MultiDiGraph([("a", "b")]))
    >>> simple_graph(old).number_of_edges()
    1
    >>> new = nx.MultiDiGraph([("a", "b"), ("b", "c")]); new = nx.freeze(new)
    >>> derived(new, old, ["c"])
    >>> simple_graph(new)["b"]["c"]["weight"]
    1.0
    """
    if not (nx.is_frozen(graph) and nx.is_frozen(earlier)) or graph is earlier:
        return
    made = dict(_KEPT_ON.get(earlier, {}))
    simple = _SIMPLE.get(earlier)
    if simple is not None:
        made[("simple",)] = simple
        _SIMPLE_LINEAGE.pop(simple, None)  # one generation back, no further: no chain kept
    if made:
        actors = frozenset(actors)
        _LINEAGE[graph] = _Lineage(made, actors, frozenset(_changed(graph, earlier, actors)))


def _changed(graph: nx.Graph, earlier: nx.Graph, actors: frozenset[Any]) -> set[Any]:
    """The actors re-read and their neighbours, before and after: the only ones whose own
    links may differ between ``earlier`` and ``graph``."""
    out = set(actors)
    for g in (earlier, graph):
        for v in actors:
            if v in g:
                out.update(g._adj[v])
                if g.is_directed():
                    out.update(g._pred[v])
    return out


def per_actor(
    graph: nx.Graph,
    key: tuple[Any, ...],
    compute: Callable[[nx.Graph, Iterable[Any]], dict[Any, T]],
) -> dict[Any, T]:
    """A value per actor that depends only on the actor and its own links (its last recorded
    link, its degree…), made once per frozen graph and, after a write, brought up to date from
    the earlier graph's for the actors the write names and their neighbours only.

    Parameters
    ----------
    graph
        A snapshot.
    key
        What is computed (kept under it).
    compute
        ``compute(graph, actors)``: the values of those actors (an actor may be left out: no
        value).

    Returns
    -------
    dict
        actor -> value. Read-only: callers never change it.

    Examples
    --------
    >>> degree = lambda g, actors: {v: g.degree(v) for v in actors}
    >>> old = nx.freeze(nx.Graph([("a", "b"), ("c", "d")]))
    >>> new = nx.freeze(nx.Graph([("a", "b"), ("c", "d"), ("b", "c")]))
    >>> per_actor(old, ("degree",), degree) == {"a": 1, "b": 1, "c": 1, "d": 1}
    True
    >>> derived(new, old, ["b", "c"])
    >>> per_actor(new, ("degree",), degree) == {"a": 1, "b": 2, "c": 2, "d": 1}
    True
    """

    def make() -> dict[Any, T]:
        lineage = _LINEAGE.get(graph)
        before = lineage.earlier.get(key) if lineage is not None else None
        if lineage is not None and before is not None:
            changed = lineage.changed
            values = {v: x for v, x in before.items() if v not in changed}
            values.update(compute(graph, [v for v in changed if v in graph]))
            return values
        return compute(graph, graph)

    return kept_on(graph, key, make)


def simple_graph(graph: nx.Graph) -> nx.Graph:
    """The undirected simple graph of a snapshot: one edge per linked pair, weighted by the
    strongest link between them (``weight``), node attributes kept. Self-loops are dropped.

    Parameters
    ----------
    graph
        A snapshot (a directed multigraph) or any NetworkX graph.

    Returns
    -------
    networkx.Graph
        Frozen when ``graph`` is (and then the same object for the same snapshot).

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("a", "b", strength=1); _ = g.add_edge("b", "a", strength=3)
    >>> simple_graph(g)["a"]["b"]["weight"]
    3.0
    """
    if nx.is_frozen(graph):  # a kept snapshot (api/kept.py): made once for every analysis
        found = _SIMPLE.get(graph)
        if found is None:
            lineage = _LINEAGE.get(graph)
            earlier = lineage.earlier.get(("simple",)) if lineage is not None else None
            if lineage is not None and earlier is not None:  # after a write: brought up to date
                found = _SIMPLE[graph] = nx.freeze(_patched_simple(graph, earlier, lineage.actors))
                _SIMPLE_LINEAGE[found] = lineage  # what is derived from it can be patched too
            else:
                found = _SIMPLE[graph] = nx.freeze(_simple(graph))
        return found
    return _simple(graph)


#: a patched simple graph -> its snapshot's lineage (which holds the earlier simple graph)
_SIMPLE_LINEAGE: weakref.WeakKeyDictionary[nx.Graph, _Lineage] = weakref.WeakKeyDictionary()


def patched_on(
    simple: nx.Graph,
    key: tuple[Any, ...],
    make: Callable[[], T],
    patch: Callable[[T, nx.Graph, frozenset[Any]], T],
) -> T:
    """:func:`kept_on` for a measure of a kept snapshot's simple graph that can be brought up
    to date: when the graph was patched after a write (:func:`derived`) and the earlier simple
    graph's result is kept, ``patch(earlier_result, earlier_graph, changed)`` (``changed``:
    the actors re-read and their neighbours, before and after) instead of ``make()``.

    Parameters
    ----------
    simple
        A simple graph (:func:`simple_graph` of a kept snapshot).
    key
        What is computed.
    make
        Computes it from scratch.
    patch
        Brings the earlier graph's result up to date.

    Returns
    -------
    object
        The result, kept with the graph.

    Examples
    --------
    >>> old = nx.freeze(nx.MultiDiGraph([("a", "b"), ("c", "d")]))
    >>> count = lambda g: lambda: {v: len(g[v]) for v in g}
    >>> patch = lambda g: lambda before, earlier, changed: {
    ...     **{v: n for v, n in before.items() if v not in changed},
    ...     **{v: len(g[v]) for v in changed if v in g}}
    >>> s = simple_graph(old); patched_on(s, ("degree",), count(s), patch(s))["b"]
    1
    >>> new = nx.freeze(nx.MultiDiGraph([("a", "b"), ("c", "d"), ("b", "c")]))
    >>> derived(new, old, ["b", "c"])
    >>> s = simple_graph(new); patched_on(s, ("degree",), count(s), patch(s))["b"]
    2
    """

    def build() -> T:
        lineage = _SIMPLE_LINEAGE.get(simple)
        earlier = lineage.earlier.get(("simple",)) if lineage is not None else None
        before = _KEPT_ON.get(earlier, {}).get(key) if earlier is not None else None
        if lineage is None or earlier is None or before is None:
            return make()
        return patch(before, earlier, lineage.changed)

    return kept_on(simple, key, build)


#: the simple graph of each frozen snapshot still in use (isolation and bridging of one meeting
#: share it: 0.4 s each at 10,000 actors)
_SIMPLE: weakref.WeakKeyDictionary[nx.Graph, nx.Graph] = weakref.WeakKeyDictionary()


#: measures of each frozen graph still in use, by what they were asked with
_KEPT_ON: weakref.WeakKeyDictionary[nx.Graph, dict[tuple[Any, ...], Any]] = (
    weakref.WeakKeyDictionary()
)


def kept_on(graph: nx.Graph, key: tuple[Any, ...], make: Callable[[], T]) -> T:
    """``make()``, computed once per frozen graph (a kept snapshot's simple graph) and ``key``:
    the meeting's bridging report and the bridging view share one betweenness and one
    Louvain. Computed every time for a graph that can still change. Read-only: callers never
    change what it returns.

    Parameters
    ----------
    graph
        The graph the result is computed on; kept with it while the graph is in use.
    key
        What the result was asked with (the measure's name and parameters).
    make
        Computes the result.

    Returns
    -------
    object
        What ``make()`` returned, the same object every time for a frozen graph and ``key``.

    Examples
    --------
    >>> g = nx.freeze(nx.path_graph(3))
    >>> kept_on(g, ("n",), lambda: [g.number_of_nodes()]) is kept_on(g, ("n",), list)
    True
    """
    if not nx.is_frozen(graph):
        return make()
    found = _KEPT_ON.get(graph)
    if found is None:
        found = _KEPT_ON[graph] = {}
    if key not in found:
        found[key] = make()
    result: T = found[key]
    return result


def _simple(graph: nx.Graph) -> nx.Graph:
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes(data=True))
    adj = simple._adj
    multi = graph.is_multigraph()
    for u, near in graph._adj.items():  # as add_edge would, a third of its time
        for v, keys in near.items():
            if u == v:
                continue
            _strongest(adj, u, v, max(map(_strength, keys.values())) if multi else _strength(keys))
    return simple


def _strength(data: dict[str, Any]) -> float:
    return float(data.get("strength", 1) or 1)


def _strongest(adj: dict[Any, dict[Any, Any]], u: Any, v: Any, strength: float) -> None:
    """The pair ``u``-``v`` in a simple graph's dicts, weighted by its strongest link so far."""
    found = adj[u].get(v)
    if found is None:
        adj[u][v] = adj[v][u] = {"weight": strength}
    elif strength > found["weight"]:
        found["weight"] = strength


def _patched_simple(graph: nx.Graph, earlier: nx.Graph, actors: frozenset[Any]) -> nx.Graph:
    """:func:`_simple` of ``graph``, made from ``earlier`` (the simple graph of the snapshot
    ``graph`` was brought up to date from, re-reading ``actors``): the actors' nodes and pairs
    are made again, everything else is shared (the same nodes in the same order, the same
    pairs and weights)."""
    simple = nx.Graph()
    old_nodes, old_adj = earlier._node, earlier._adj
    simple._node = {
        v: old_nodes[v] if v in old_nodes and v not in actors else dict(data)
        for v, data in graph._node.items()
    }
    adj: dict[Any, dict[Any, Any]] = {v: dict(old_adj.get(v, ())) for v in graph._node}
    for v in actors:
        for near in old_adj.get(v, ()):
            if near in adj:
                adj[near].pop(v, None)
        if v in adj:
            adj[v] = {}
    directed = graph.is_directed()
    for v in actors:
        if v not in graph:
            continue
        sides = [graph._adj[v], graph._pred[v]] if directed else [graph._adj[v]]
        for side in sides:
            for near, keys in side.items():
                if near == v:
                    continue
                links = keys.values() if graph.is_multigraph() else [keys]
                _strongest(adj, v, near, max(map(_strength, links)))
    simple._adj = adj
    return simple


def adjacency(graph: nx.Graph, weight: str | None = None) -> tuple[list[Any], sp.csr_array]:
    """The node order and the symmetric adjacency matrix (CSR) of an undirected graph.

    Parameters
    ----------
    graph
        A simple undirected graph.
    weight
        The edge attribute to use as the value (None: 1 for every edge).

    Returns
    -------
    tuple
        The list of nodes and the matrix, rows and columns in that order. For a frozen graph
        (a kept snapshot's simple graph) made once and kept with it, read-only: the measures of
        one page share it.

    Examples
    --------
    >>> nodes, a = adjacency(nx.path_graph(3))
    >>> nodes, a.toarray().tolist()
    ([0, 1, 2], [[0.0, 1.0, 0.0], [1.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    """
    if not nx.is_frozen(graph):
        return _adjacency(graph, weight)
    if weight is None and type(graph) is nx.Graph:  # the weighted pairs, each 1: made once
        nodes, weighted = adjacency(graph, "weight")
        return kept_on(graph, ("adjacency", None), lambda: (nodes, _read_only(_ones(weighted))))
    return kept_on(graph, ("adjacency", weight), lambda: _read_only_pair(_adjacency(graph, weight)))


def sorted_pairs(graph: nx.Graph) -> tuple[list[Any], list[tuple[int, int]], list[float]]:
    """The actors in the order of their ids (as text), and each linked pair once as two
    positions in that order (the lower first, pairs in order) with its ``weight``: what
    igraph is given (Louvain, sampled betweenness), the same whatever order the graph was read
    in. Made from :func:`adjacency`, and kept with it for a frozen graph.

    Parameters
    ----------
    graph
        A simple undirected graph (weights in ``weight``, 1 when missing).

    Returns
    -------
    tuple
        The actors in order, the pairs ``(i, j)`` with ``i < j``, and their weights.

    Examples
    --------
    >>> g = nx.Graph(); g.add_edge("b", "a", weight=2.0); g.add_edge("c", "a")
    >>> sorted_pairs(g)
    (['a', 'b', 'c'], [(0, 1), (0, 2)], [2.0, 1.0])
    """

    def make() -> tuple[list[Any], list[tuple[int, int]], list[float]]:
        nodes, a = adjacency(graph, "weight")
        order = np.array(sorted(range(len(nodes)), key=lambda i: str(nodes[i])), dtype=np.int64)
        if not len(order):
            return [], [], []
        upper = sp.triu(a[order][:, order], k=1, format="csr")
        upper.sort_indices()
        coo = upper.tocoo()
        pairs = list(zip(coo.row.tolist(), coo.col.tolist(), strict=True))
        return [nodes[i] for i in order], pairs, coo.data.tolist()

    return kept_on(graph, ("sorted pairs",), make)


def _ones(matrix: sp.csr_array) -> sp.csr_array:
    out = matrix.copy()
    out.data = np.ones_like(out.data)
    return out


def _read_only(matrix: sp.csr_array) -> sp.csr_array:
    for array in (matrix.data, matrix.indices, matrix.indptr):
        array.setflags(write=False)
    return matrix


def _read_only_pair(pair: tuple[list[Any], sp.csr_array]) -> tuple[list[Any], sp.csr_array]:
    return pair[0], _read_only(pair[1])


def _adjacency(graph: nx.Graph, weight: str | None) -> tuple[list[Any], sp.csr_array]:
    nodes = list(graph.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    if type(graph) is nx.Graph:  # each pair seen from both ends: both entries at once
        for u, near in graph._adj.items():
            i = index[u]
            for v, data in near.items():
                if v != u:
                    rows.append(i)
                    cols.append(index[v])
                    vals.append(float(data.get(weight, 1.0)) if weight else 1.0)
    else:
        for u, v, data in graph.edges(data=True):
            if u == v:
                continue
            w = float(data.get(weight, 1.0)) if weight else 1.0
            rows.extend((index[u], index[v]))
            cols.extend((index[v], index[u]))
            vals.extend((w, w))
    n = len(nodes)
    matrix = sp.csr_array(
        (
            np.asarray(vals, dtype=float),
            (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)),
        ),
        shape=(n, n),
    )
    matrix.sum_duplicates()
    return nodes, matrix


def size_label(graph: nx.Graph) -> dict[str, int]:
    """The size of a graph as results state it.

    Parameters
    ----------
    graph
        Any NetworkX graph.

    Returns
    -------
    dict
        ``actors`` and ``links``.

    Examples
    --------
    >>> size_label(nx.path_graph(4))
    {'actors': 4, 'links': 3}
    """
    return {"actors": graph.number_of_nodes(), "links": graph.number_of_edges()}
