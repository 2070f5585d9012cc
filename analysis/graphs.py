"""From a store's snapshot (a NetworkX multigraph with the domain fields) to the forms the
measures need: a simple undirected graph, and a sparse adjacency matrix in a fixed node order.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp


def simple_graph(graph: nx.Graph) -> nx.Graph:
    """The undirected simple graph of a snapshot: one edge per linked pair, weighted by the
    strongest link between them (``weight``), node attributes kept. Self-loops are dropped."""
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
    """Node list and symmetric CSR adjacency (weights, or 1.0) of an undirected simple graph."""
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
    """The size of the graph, for labelling results."""
    return {"actors": graph.number_of_nodes(), "links": graph.number_of_edges()}
