"""From a store's snapshot (a NetworkX multigraph with the domain fields) to the forms the
measures need: a simple undirected graph, and a sparse adjacency matrix in a fixed node order.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, TypeVar

import networkx as nx
import numpy as np
import scipy.sparse as sp

T = TypeVar("T")


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
            found = _SIMPLE[graph] = nx.freeze(_simple(graph))
        return found
    return _simple(graph)


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
    for u, v, data in graph.edges(data=True):
        if u == v:
            continue
        strength = float(data.get("strength", 1) or 1)
        if simple.has_edge(u, v):
            if strength > simple[u][v]["weight"]:
                simple[u][v]["weight"] = strength
        else:
            simple.add_edge(u, v, weight=strength)
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
        The list of nodes and the matrix, rows and columns in that order.

    Examples
    --------
    >>> nodes, a = adjacency(nx.path_graph(3))
    >>> nodes, a.toarray().tolist()
    ([0, 1, 2], [[0.0, 1.0, 0.0], [1.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    """
    nodes = list(graph.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
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
