"""Brokers by betweenness: exact (Brandes, in Rust through rustworkx) up to a size, sampled above.

The sampled estimate runs Brandes' algorithm from ``samples`` random source actors at once, as
sparse-matrix × dense-matrix products (one per BFS level, forward and back), and rescales by
``n / samples`` as networkx does. Its result states the sample size, the seed and the standard
error of the estimate, measured from the spread of the per-source contributions.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np
import rustworkx as rx
import scipy.sparse as sp

from analysis.graphs import adjacency, simple_graph

EXACT_LIMIT = 20_000
DEFAULT_SAMPLES = 1000
BATCH = 64


def _exact(graph: nx.Graph) -> dict[Any, float]:
    nodes = list(graph.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    rgraph = rx.PyGraph(multigraph=False)
    rgraph.add_nodes_from(range(len(nodes)))
    rgraph.add_edges_from_no_data([(index[u], index[v]) for u, v in graph.edges if u != v])
    values = rx.graph_betweenness_centrality(rgraph, normalized=False, endpoints=False)
    n = len(nodes)
    scale = 1.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0
    # rustworkx counts each unordered pair once; networkx's normalised value counts both orders.
    return {nodes[i]: 2.0 * values[i] * scale for i in range(n)}


def brandes_from_sources(a: sp.csr_array, sources: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Brandes' dependency accumulation from some sources, vectorised over them.

    Parameters
    ----------
    a
        The 0/1 adjacency matrix (CSR) of an undirected graph.
    sources
        The source indexes.

    Returns
    -------
    tuple of arrays
        The summed dependencies of every node and their sum of squares (for the standard error
        of a sampled estimate).

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> path = sp.csr_array(np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]], dtype=float))
    >>> total, _ = brandes_from_sources(path, np.arange(3))
    >>> total.tolist()  # the middle of a path of three lies on both ordered paths
    [0.0, 2.0, 0.0]
    """
    n = a.shape[0]
    total = np.zeros(n)
    squares = np.zeros(n)
    for start in range(0, len(sources), BATCH):
        batch = sources[start : start + BATCH]
        b = len(batch)
        cols = np.arange(b)
        sigma = np.zeros((n, b))
        dist = np.full((n, b), -1, dtype=np.int32)
        sigma[batch, cols] = 1.0
        dist[batch, cols] = 0
        frontier = sigma.copy()
        depth = 0
        while True:
            reached = a @ frontier
            reached[dist >= 0] = 0.0
            new = reached > 0
            if not new.any():
                break
            depth += 1
            dist[new] = depth
            sigma[new] = reached[new]
            frontier = np.where(new, reached, 0.0)
        delta = np.zeros((n, b))
        with np.errstate(divide="ignore", invalid="ignore"):
            for level in range(depth - 1, -1, -1):
                coef = np.where(dist == level + 1, (1.0 + delta) / sigma, 0.0)
                contrib = a @ coef
                delta += np.where(dist == level, sigma * contrib, 0.0)
        delta[batch, cols] = 0.0
        total += delta.sum(axis=1)
        squares += (delta**2).sum(axis=1)
    return total, squares


def betweenness(
    graph: nx.Graph,
    *,
    exact_limit: int = EXACT_LIMIT,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 42,
) -> dict[str, Any]:
    """Normalised betweenness of every actor, as networkx defines it (undirected).

    Exact up to ``exact_limit`` actors; above it, estimated from ``samples`` source actors.

    Parameters
    ----------
    graph
        An undirected simple graph.
    exact_limit
        Up to this many actors the value is exact (Brandes, rustworkx).
    samples
        Above it, the number of sources the estimate is drawn from.
    seed
        Seed of the sample.

    Returns
    -------
    dict
        ``values`` (actor -> normalised betweenness), ``method`` (``exact`` or ``sampled``),
        ``samples`` and, when sampled, ``seed`` and ``standard_error``.

    Examples
    --------
    >>> result = betweenness(nx.florentine_families_graph())
    >>> round(result["values"]["Medici"], 3), result["method"]
    (0.522, 'exact')
    """
    if graph.is_multigraph() or graph.is_directed():
        graph = simple_graph(graph)  # parallel or directed links count once, undirected
    n = graph.number_of_nodes()
    if n <= max(exact_limit, 2) or samples >= n:  # two actors or fewer: nothing to sample
        return {"method": "exact", "values": _exact(graph) if n else {}, "samples": None}
    nodes, a = adjacency(graph)
    a.data[:] = 1.0
    rng = np.random.default_rng(seed)
    sources = np.sort(rng.choice(n, size=samples, replace=False))
    total, squares = brandes_from_sources(a, sources)
    scale = (1.0 / ((n - 1) * (n - 2))) * n
    mean = total / samples
    variance = np.maximum(squares / samples - mean**2, 0.0)
    stderr = np.sqrt(variance / samples) * scale
    values = mean * scale
    return {
        "method": "sampled",
        "values": dict(zip(nodes, values.tolist(), strict=True)),
        "samples": samples,
        "seed": seed,
        "standard_error": {
            "max": float(stderr.max()),
            "mean": float(stderr.mean()),
            "note": "standard error of each actor's estimate, from the spread over sources",
        },
    }
