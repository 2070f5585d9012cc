"""Brokers by betweenness: exact (Brandes, in Rust through rustworkx) up to a size, sampled above.

The sampled estimate runs Brandes' algorithm from ``samples`` random source actors (igraph's,
in C, in batches) and rescales by ``n / samples`` as networkx does. Its result states
the sample size, the seed and the standard error of the estimate, measured from the spread
between the estimates of 20 batches of sources.

Exact betweenness costs one breadth-first search per actor: 9 s for a region of 10,000 actors
and 47,000 links on a 2-core machine, 0.5 s at 2,500. Above :data:`EXACT_LIMIT` actors (a
region, never a neighbourhood) it is estimated from :data:`DEFAULT_SAMPLES` sources, 0.6 s at
10,000 (bench/RESULTS.md).
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np
import rustworkx as rx

from analysis.brandes import all_rows
from analysis.graphs import kept_on, simple_graph, sorted_pairs

EXACT_LIMIT = 2_500
DEFAULT_SAMPLES = 500
BATCHES = 20  # of sources, for the standard error of a sampled estimate


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
    asked = ("betweenness", exact_limit, samples, seed)
    return kept_on(graph, asked, lambda: _betweenness(graph, exact_limit, samples, seed))


def _betweenness(graph: nx.Graph, exact_limit: int, samples: int, seed: int) -> dict[str, Any]:
    n = graph.number_of_nodes()
    if n <= max(exact_limit, 2) or samples >= n:  # two actors or fewer: nothing to sample
        return {"method": "exact", "values": _exact(graph) if n else {}, "samples": None}
    nodes, edges, _ = sorted_pairs(graph)  # the same sample whatever order the graph was read in
    rng = np.random.default_rng(seed)
    sources = np.sort(rng.choice(n, size=samples, replace=False))
    # igraph sets up the whole graph at each call (1–3 ms at 10,000 actors): sources go in
    # batches, and the estimate's spread is measured between the batches' estimates; half the
    # batches are counted in a second process (analysis/brandes.py)
    batches = [b.tolist() for b in np.array_split(sources, min(BATCHES, samples)) if len(b)]
    pairs = np.array(edges, dtype=np.int64).reshape(-1, 2)
    means = all_rows(n, pairs, batches)
    scale = (1.0 / ((n - 1) * (n - 2))) * n
    sizes = np.array([len(b) for b in batches], dtype=float)
    values = (sizes @ means) / samples * scale
    if len(batches) > 1:
        stderr = means.std(axis=0, ddof=1) / np.sqrt(len(batches)) * scale
    else:
        stderr = np.zeros(n)
    return {
        "method": "sampled",
        "values": dict(zip(nodes, values.tolist(), strict=True)),
        "samples": samples,
        "seed": seed,
        "standard_error": {
            "max": float(stderr.max()),
            "mean": float(stderr.mean()),
            "note": "standard error of each actor's estimate, from the spread between "
            f"{len(batches)} batches of sources",
        },
    }
