"""Who is isolated, and why: flags a BAR team reads at its weekly meeting."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from analysis.graphs import adjacency, per_actor, simple_graph, size_label
from graph.dates import add_months

GATEWAY_KINDS = {"bar_team": "BAR worker or team", "external_partner": "partner"}


def _day(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _who(graph: nx.Graph, node: Any) -> dict[str, Any]:
    data = graph.nodes[node]
    return {"id": node, "name": data.get("name", str(node)), "kind": str(data.get("kind", ""))}


def _latest(data: dict[str, Any]) -> date | None:
    stamps = [_day(data.get(k)) for k in ("since", "recorded_at", "updated_at")]
    return max((s for s in stamps if s is not None), default=None)


def last_activity(graph: nx.Graph, actors: Iterable[Any]) -> dict[Any, date]:
    """The day each of ``actors`` last had a link recorded, begun or renewed (an actor with no
    dated link: none). Of every actor when ``actors`` is the graph itself (the links read once);
    of a few, after a write, from their own links (:func:`analysis.graphs.per_actor`).

    Parameters
    ----------
    graph
        A snapshot (links carry ``since``, ``recorded_at``, ``updated_at``).
    actors
        The actors asked for, or ``graph`` for all of them.

    Returns
    -------
    dict
        actor -> day.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("a", "b", since=date(2025, 1, 1), updated_at="2025-03-02T10:00:00")
    >>> _ = g.add_edge("c", "a", since=date(2025, 2, 1))
    >>> last_activity(g, g) == last_activity(g, "abc") == {
    ...     "a": date(2025, 3, 2), "b": date(2025, 3, 2), "c": date(2025, 2, 1)}
    True
    """
    last: dict[Any, date] = {}
    every = actors is graph
    if every:  # every link once, for both its ends
        for u, v, data in graph.edges(data=True):
            latest = _latest(data)
            if latest is None:
                continue
            for end in (u, v):
                if end not in last or latest > last[end]:
                    last[end] = latest
        return last
    sides = [graph._adj, graph._pred] if graph.is_directed() else [graph._adj]
    for v in actors:
        days = [
            latest
            for side in sides
            for keys in side[v].values()
            for data in (keys.values() if graph.is_multigraph() else [keys])
            if (latest := _latest(data)) is not None
        ]
        if days:
            last[v] = max(days)
    return last


def without_links(graph: nx.Graph) -> list[dict[str, Any]]:
    """The actors with no link at all, as :func:`isolated_actors` lists them (the meeting's
    agenda needs these alone, without the report's other flags).

    Parameters
    ----------
    graph
        A store snapshot (or any graph: its simple graph is read).

    Returns
    -------
    list of dict
        Each isolated actor (id, name, kind) with its reason in words, by name.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> for n in "abc":
    ...     g.add_node(n, name=n.upper(), kind="association")
    >>> _ = g.add_edge("a", "b", strength=1)
    >>> [(x["id"], x["reason"]) for x in without_links(g)]
    [('c', 'C has no link with anyone yet.')]
    """
    simple = simple_graph(graph)
    return _without_links(simple, *adjacency(simple))


def _without_links(simple: nx.Graph, nodes: list[Any], a: sp.csr_array) -> list[dict[str, Any]]:
    """:func:`without_links` from the simple graph and its adjacency already made."""
    degree = np.asarray((a > 0).sum(axis=1)).ravel() if nodes else np.zeros(0)
    found = [
        {**_who(simple, v), "reason": f"{simple.nodes[v].get('name', str(v))} has no link "
         "with anyone yet."}
        for i, v in enumerate(nodes)
        if degree[i] == 0
    ]  # fmt: skip
    return sorted(found, key=lambda x: x["name"])


def isolated_actors(
    graph: nx.MultiDiGraph, *, as_of: date, dormant_months: int = 6
) -> dict[str, Any]:
    """Isolated actors, single links, single points of failure, dormant actors, cut-off groups.

    Parameters
    ----------
    graph
        A store snapshot on ``as_of``.
    as_of
        The day the snapshot shows (dormancy is counted back from it).
    dormant_months
        An actor whose links were all recorded or renewed more than this many months ago is
        dormant.

    Returns
    -------
    dict
        Validates as :class:`analysis.results.IsolationResult`: a summary, then each flag with
        its actors and a reason in words.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> kinds = {"bar": "bar_team", "a": "association", "b": "trader", "c": "school"}
    >>> for n, kind in kinds.items():
    ...     g.add_node(n, name=n.upper(), kind=kind)
    >>> _ = g.add_edge("bar", "a", strength=1, since=date(2025, 1, 1))
    >>> _ = g.add_edge("a", "b", strength=1, since=date(2025, 1, 1))
    >>> result = isolated_actors(g, as_of=date(2025, 3, 1))
    >>> [x["id"] for x in result["isolated"]], [x["id"] for x in result["single_link"]]
    (['c'], ['b', 'bar'])
    >>> result["isolated"][0]["reason"]
    'C has no link with anyone yet.'
    """
    simple = simple_graph(graph)
    nodes, a = adjacency(simple)
    n = len(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    degree = np.asarray((a > 0).sum(axis=1)).ravel() if n else np.zeros(0)
    name = {v: simple.nodes[v].get("name", str(v)) for v in nodes}

    isolated = _without_links(simple, nodes, a)
    single = []
    for v in nodes:
        if degree[index[v]] == 1:
            (other,) = list(simple[v])
            single.append(
                {
                    **_who(simple, v),
                    "through": other,
                    "reason": f"{name[v]} has a single link, with {name[other]}.",
                }
            )

    # Components: the main one, and the groups cut off from it.
    count, labels = connected_components(a, directed=False) if n else (0, np.zeros(0, int))
    sizes = np.bincount(labels, minlength=count) if n else np.zeros(0, int)
    main = int(np.argmax(sizes)) if n else -1
    cut_off = []
    for label in np.argsort(-sizes):
        if label == main or sizes[label] < 2:
            continue
        members = [nodes[i] for i in np.flatnonzero(labels == label)]
        names = sorted(name[m] for m in members)
        cut_off.append(
            {
                "size": int(sizes[label]),
                "members": [_who(simple, m) for m in members],
                "reason": f"These {len(members)} actors know each other but nobody links them "
                f"to the main network: {', '.join(names[:5])}{'…' if len(names) > 5 else ''}.",
            }
        )

    # Single points of failure: actors that reach the main network only through one BAR worker
    # or one partner (an articulation point of the main component of those kinds).
    failure = []
    main_nodes = set(np.flatnonzero(labels == main).tolist()) if n else set()
    upper = sp.triu(a, k=1).tocoo()
    shape = ig.Graph(n=n, edges=list(zip(upper.row.tolist(), upper.col.tolist(), strict=True)))
    cuts = sorted(i for i in shape.articulation_points() if i in main_nodes)  # igraph, in C
    for g_index in cuts:
        gateway = nodes[g_index]
        kind = str(simple.nodes[gateway].get("kind", ""))
        if kind not in GATEWAY_KINDS:
            continue
        keep = np.array(sorted(main_nodes - {g_index}))
        sub = a[keep][:, keep]
        sub_count, sub_labels = connected_components(sub, directed=False)
        biggest = int(np.argmax(np.bincount(sub_labels, minlength=sub_count)))
        for pos in np.flatnonzero(sub_labels != biggest):
            v = nodes[keep[pos]]
            failure.append(
                {
                    **_who(simple, v),
                    "through": gateway,
                    "reason": f"{name[v]} reaches the network only through {name[gateway]} "
                    f"({GATEWAY_KINDS[kind]}): if that contact goes, {name[v]} is cut off.",
                }
            )

    # Dormant: no link recorded or renewed for `dormant_months` months.
    cutoff = add_months(as_of, -dormant_months)
    last = per_actor(graph, ("last activity",), last_activity)
    dormant = []
    for v in nodes:
        if v in last:
            if last[v] < cutoff:
                dormant.append(
                    {
                        **_who(simple, v),
                        "last_activity": last[v].isoformat(),
                        "reason": f"No link of {name[v]} recorded or renewed since "
                        f"{last[v].isoformat()} (over {dormant_months} months).",
                    }
                )
        else:
            known = _day(simple.nodes[v].get("since"))
            if known is not None and known < cutoff:
                dormant.append(
                    {
                        **_who(simple, v),
                        "last_activity": None,
                        "reason": f"{name[v]} has been known since {known.isoformat()} and "
                        "has never been linked.",
                    }
                )

    return {
        "as_of": as_of.isoformat(),
        "parameters": {"dormant_months": dormant_months},
        "graph": size_label(simple),
        "summary": {
            "isolated": len(isolated),
            "single_link": len(single),
            "single_point_of_failure": len(failure),
            "dormant": len(dormant),
            "cut_off_components": len(cut_off),
            "main_component_share": round(float(sizes[main]) / n, 4) if n else 0.0,
        },
        "isolated": sorted(isolated, key=lambda x: x["name"]),
        "single_link": sorted(single, key=lambda x: x["name"]),
        "single_point_of_failure": sorted(failure, key=lambda x: x["name"]),
        "dormant": sorted(dormant, key=lambda x: x["name"]),
        "cut_off_components": cut_off,
    }
