"""The glue between the store and the graph views (``viz/``), shared by the CLI and the pages:
read the snapshot and the stored positions, place new actors (pinning the others) and store
them, run the analysis a view shows, then build the view."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

import networkx as nx

from analysis.bridging import introductions, ranked_values
from analysis.centrality import betweenness
from analysis.graphs import simple_graph
from analysis.isolation import isolated_actors
from api import analyses
from api.kept import KEPT
from graph.dates import month_start
from graph.errors import InvalidInput, NotFound, Say
from graph.store import NetworkReader
from viz import (
    View,
    bridging_view,
    ego_view,
    growth_view,
    isolation_view,
    layout_positions,
    neighbourhood_view,
    path_view,
)
from viz.layout import Position, waiting_column
from viz.text import Lang
from viz.views import Measure

MAX_GROWTH_STEPS = 36


class ViewName(StrEnum):
    neighbourhood = "neighbourhood"
    ego = "ego"
    path = "path"
    bridging = "bridging"
    isolation = "isolation"
    growth = "growth"


def positions_for(
    store: NetworkReader, graph: nx.Graph, *, relayout: bool = False
) -> dict[Any, Position]:
    """The stored positions, completed for actors that have none (the others stay put) and
    saved; ``relayout`` lays out every actor of the whole history again, on purpose."""
    stored = {} if relayout else store.positions(list(graph))  # this view's actors only
    missing = [v for v in graph if v not in stored]
    if not missing:
        return stored
    if not relayout and all(graph.degree(v) == 0 for v in missing):
        # only actors with no link here: beside the map, for now (no history to read)
        return {**stored, **waiting_column(stored, missing)}
    stored = {} if relayout else store.positions()  # the others stay where they are
    whole = store.history()  # every actor ever recorded gets its place once and for all
    placed = layout_positions(whole, pinned=stored)
    # an actor with no link yet waits beside the map without a place of its own: kept, that
    # place at the edge would stay after its first link; unkept, it lands beside its neighbours
    new = {v: p for v, p in placed.items() if v not in stored and whole.degree(v) > 0}
    store.save_positions(new if not relayout else placed, replace=relayout)
    return placed


def build_view(
    store: NetworkReader,
    what: ViewName,
    *,
    as_of: date | None = None,
    neighbourhood: str | None = None,
    actor: str | None = None,
    target: str | None = None,
    depth: int = 2,
    measure: Measure = "degree",
    lang: Lang = "fr",
    relayout: bool = False,
) -> View:
    """One view of the store, as the CLI and the pages ask for it."""
    day = analyses.checked_day(as_of, "as_of")
    if what is ViewName.growth:
        history = analyses.in_neighbourhood(
            KEPT.graph(store, neighbourhood, None, history=True), neighbourhood
        )
        positions = positions_for(store, history, relayout=relayout)
        return growth_view(history, positions, growth_dates(history, day), lang=lang)
    graph = analyses.in_neighbourhood(KEPT.graph(store, neighbourhood, day), neighbourhood)
    positions = positions_for(store, graph, relayout=relayout)
    if what is ViewName.neighbourhood:
        return neighbourhood_view(graph, positions, measure=measure, lang=lang, as_of=day)
    if what is ViewName.ego:
        centre = _actor_in(graph, actor, "--actor")
        return ego_view(graph, positions, centre, depth=depth, lang=lang, as_of=day)
    if what is ViewName.path:
        source = _actor_in(graph, actor, "--actor")
        goal = _actor_in(graph, target, "--target")
        paths = store.introduction_paths(source, goal, k=3, as_of=day)
        if not paths:
            raise NotFound(Say("no chain of introductions links these two actors on that date"))
        return path_view(graph, positions, [p.actors for p in paths], lang=lang, as_of=day)
    if what is ViewName.bridging:  # what the view draws of the bridging report, no more
        simple = simple_graph(graph)
        values = betweenness(simple, seed=1)["values"]  # ringed and, the same, for the sizes
        names = {v: simple.nodes[v].get("name", str(v)) for v in simple}
        report = {
            "brokers": {"betweenness": ranked_values(values, names, 10, highest=True)},
            "opportunities": introductions(simple, seed=1, limit=10),
        }
        return bridging_view(graph, positions, report, lang=lang, as_of=day, between=values)
    report = analyses.checked(isolated_actors, graph, as_of=day)  # the snapshot read once
    return isolation_view(graph, positions, report, lang=lang, as_of=day)


def growth_dates(history: nx.Graph, end: date) -> list[date]:
    """The first day of each month after the first link (the network's start; actors recorded
    long before, such as a partner, do not count) up to ``end``, at most 36 steps."""
    starts = [d.get("since") for *_, d in history.edges(data=True) if d.get("since")]
    if not starts:
        starts = [d.get("since") for _, d in history.nodes(data=True) if d.get("since")]
    begun = min(starts, default=end)
    # the first step shows the first month's links: the first day of the month after it
    first = begun if begun.day == 1 else month_start(begun, 1)
    months = (end.year - first.year) * 12 + end.month - first.month
    months = min(months, MAX_GROWTH_STEPS - 1)
    return [month_start(end, -k) for k in range(months, 0, -1)] + [end]


def _actor_in(graph: nx.Graph, actor: str | None, option: str) -> str:
    if not actor:
        raise InvalidInput(Say("this view needs {option} (an actor id)", option=option))
    if actor not in graph:
        raise NotFound(Say("no actor '{id}' in the network on that date", id=actor))
    return actor


__all__ = ["ViewName", "build_view", "growth_dates", "positions_for"]
