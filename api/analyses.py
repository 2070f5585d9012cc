"""The glue between the store and the pure analysis functions, shared by the routes and the CLI."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import networkx as nx

from analysis.bridging import (
    bridging,
    brokerage_groups,
    communities,
    membership,
    named_communities,
)
from analysis.brokerage import ROLES, brokerage_census
from analysis.graphs import simple_graph, size_label
from analysis.growth import compare, growth
from analysis.isolation import isolated_actors
from analysis.referrals import referral_flows
from graph.errors import InvalidInput
from graph.model import ReferralFilter, normalise_name, today
from graph.store import GraphStore


def _checked(fn: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
    try:
        result: dict[str, Any] = fn(*args, **kwargs)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    return result


EARLIEST = date(1900, 1, 1)


def checked_day(day: date | None, field: str) -> date:
    day = day or today()
    if day > today():
        raise InvalidInput(f"{field}: {day.isoformat()} is in the future")
    if day < EARLIEST:
        raise InvalidInput(f"{field}: dates before {EARLIEST.isoformat()} are not analysed")
    return day


def _span(start: date | None, end: date | None) -> tuple[date, date]:
    """The period asked for; by default the year up to today."""
    last = checked_day(end, "end")
    first = checked_day(start, "start") if start else max(EARLIEST, last - timedelta(days=365))
    return first, last


def in_neighbourhood(graph: nx.MultiDiGraph, neighbourhood: str | None) -> nx.MultiDiGraph:
    """The part of a graph in one neighbourhood (actors there and the links among them)."""
    if neighbourhood is None:
        return graph
    wanted = normalise_name(neighbourhood)
    keep = [n for n, d in graph.nodes(data=True) if normalise_name(d["neighbourhood"]) == wanted]
    part: nx.MultiDiGraph = graph.subgraph(keep).copy()
    part.graph["neighbourhood"] = neighbourhood
    return part


def _snapshot(store: GraphStore, day: date, neighbourhood: str | None) -> nx.MultiDiGraph:
    return in_neighbourhood(store.snapshot(day), neighbourhood)


def _scoped(result: dict[str, Any], neighbourhood: str | None) -> dict[str, Any]:
    result.setdefault("parameters", {})["neighbourhood"] = neighbourhood
    return result


def run_isolation(
    store: GraphStore,
    as_of: date | None,
    dormant_months: int = 6,
    *,
    neighbourhood: str | None = None,
) -> dict[str, Any]:
    day = checked_day(as_of, "as_of")
    graph = _snapshot(store, day, neighbourhood)
    result = _checked(isolated_actors, graph, as_of=day, dormant_months=dormant_months)
    return _scoped(result, neighbourhood)


def run_bridging(
    store: GraphStore,
    as_of: date | None,
    *,
    seed: int = 1,
    top: int = 10,
    opportunities: int = 20,
    groups: str = "kind",
    neighbourhood: str | None = None,
) -> dict[str, Any]:
    day = checked_day(as_of, "as_of")
    result = _checked(
        bridging,
        _snapshot(store, day, neighbourhood),
        as_of=day,
        seed=seed,
        top=top,
        opportunities=opportunities,
        groups=groups,
    )
    return _scoped(result, neighbourhood)


def run_communities(
    store: GraphStore,
    as_of: date | None,
    *,
    seed: int = 1,
    resolution: float = 1.0,
    neighbourhood: str | None = None,
) -> dict[str, Any]:
    day = checked_day(as_of, "as_of")
    simple = simple_graph(_snapshot(store, day, neighbourhood))
    found = _checked(communities, simple, seed=seed, resolution=resolution)
    return {
        "as_of": day.isoformat(),
        "parameters": {"seed": seed, "resolution": resolution, "neighbourhood": neighbourhood},
        "graph": size_label(simple),
        "modularity": found["modularity"],
        "communities": named_communities(simple, found),
    }


def run_brokerage(
    store: GraphStore,
    as_of: date | None,
    *,
    groups: str = "kind",
    seed: int = 1,
    top: int = 10,
    neighbourhood: str | None = None,
) -> dict[str, Any]:
    day = checked_day(as_of, "as_of")
    simple = simple_graph(_snapshot(store, day, neighbourhood))
    community_of = membership(communities(simple, seed=seed)) if groups == "community" else {}
    group_of = brokerage_groups(simple, groups, community_of)
    census = brokerage_census(simple, group_of)
    names = {v: simple.nodes[v].get("name", str(v)) for v in simple}
    totals = {role: sum(c[role] for c in census.values()) for role in ROLES}
    actors = [
        {"id": v, "name": names[v], "group": str(group_of[v]), **census[v]}
        for v in sorted(census, key=lambda v: (-sum(census[v].values()), names[v]))
        if sum(census[v].values()) > 0
    ][:top]
    return {
        "as_of": day.isoformat(),
        "parameters": {"groups": groups, "seed": seed, "top": top, "neighbourhood": neighbourhood},
        "graph": size_label(simple),
        "convention": "undirected links: every two-path counted in both orders, as sna::brokerage",
        "totals": totals,
        "brokers": actors,
    }


def run_growth(
    store: GraphStore,
    start: date | None,
    end: date | None,
    interval: str = "month",
    by_neighbourhood: bool = True,
    *,
    neighbourhood: str | None = None,
) -> dict[str, Any]:
    first, last = _span(start, end)
    result = _checked(
        growth,
        in_neighbourhood(store.history(), neighbourhood),
        start=first,
        end=last,
        interval=interval,
        by_neighbourhood=by_neighbourhood,
    )
    return _scoped(result, neighbourhood)


def run_compare(
    store: GraphStore, first: date, second: date | None, *, neighbourhood: str | None = None
) -> dict[str, Any]:
    history = in_neighbourhood(store.history(), neighbourhood)
    earlier = checked_day(first, "first")
    later = checked_day(second, "second")
    return _scoped(_checked(compare, history, earlier, later), neighbourhood)


def run_referrals(
    store: GraphStore,
    start: date | None,
    end: date | None,
    interval: str = "month",
    window: int = 3,
    *,
    neighbourhood: str | None = None,
) -> dict[str, Any]:
    first, last = _span(start, end)
    referrals: list[dict[str, Any]] = []
    offset = 0
    while True:
        page = store.list_referrals(
            ReferralFilter(start=first, end=last), limit=1000, offset=offset
        )
        referrals.extend(r.model_dump() for r in page.items)
        offset += len(page.items)
        if offset >= page.total or not page.items:
            break
    if neighbourhood is not None:
        local = set(in_neighbourhood(store.history(), neighbourhood).nodes)
        referrals = [r for r in referrals if r["from_actor"] in local or r["to_actor"] in local]
    ids = sorted({r["to_actor"] for r in referrals})
    names: dict[str, str] = {}
    for actor_id in ids:
        names[actor_id] = store.get_actor(actor_id).name
    result = _checked(
        referral_flows, referrals, names, start=first, end=last, interval=interval, window=window
    )
    return _scoped(result, neighbourhood)
