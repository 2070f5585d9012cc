"""The glue between the store and the pure analysis functions, and the one registry of analyses
(:data:`REGISTRY`: name -> parameters model, function, result type) that both the HTTP routes
(``api/routes/analysis.py``) and ``maillage analyse`` are made from.

It holds the glue functions (``run_*``) and the registry made of them, so that one file says
everything an analysis route or command does (about 430 lines).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Any, Generic, Literal, TypeVar

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field

from analysis import results
from analysis.bridging import (
    bridging,
    brokerage_groups,
    communities,
    membership,
    named_communities,
)
from analysis.brokerage import ROLES, brokerage_census
from analysis.errors import BadParameter
from analysis.graphs import simple_graph, size_label
from analysis.growth import compare, growth
from analysis.isolation import isolated_actors
from analysis.referrals import referral_flows
from api.kept import KEPT, Kept
from graph.errors import InvalidInput, Say
from graph.model import Day, OptionalDay, ReferralFilter, normalise_name, today
from graph.store import NetworkReader
from graph.validation import validate


def checked(fn: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
    try:
        result: dict[str, Any] = fn(*args, **kwargs)
    except BadParameter as exc:  # a parameter that cannot be analysed: the user's to fix
        raise InvalidInput(str(exc)) from exc
    return result


EARLIEST = date(1900, 1, 1)


def checked_day(day: date | None, field: str) -> date:
    day = day or today()
    if day > today():
        raise InvalidInput(
            Say("{field}: {day} is in the future", field=field, day=day),
            details=[{"field": field, "message": Say("date in the future")}],
        )
    return not_before_earliest(day, field)


def not_before_earliest(day: date, field: str) -> date:
    """``day``, or a clear refusal when it is before :data:`EARLIEST`."""
    if day < EARLIEST:
        raise InvalidInput(
            Say("{field}: dates before {day} are not analysed", field=field, day=EARLIEST),
            details=[
                {
                    "field": field,
                    "message": Say("dates before {day} are not analysed", day=EARLIEST),
                }
            ],
        )
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


def _snapshot(store: NetworkReader, day: date, neighbourhood: str | None) -> nx.MultiDiGraph:
    return in_neighbourhood(KEPT.graph(store, neighbourhood, day), neighbourhood)


def _history(store: NetworkReader, neighbourhood: str | None) -> nx.MultiDiGraph:
    return in_neighbourhood(KEPT.graph(store, neighbourhood, None, history=True), neighbourhood)


def _scoped(result: dict[str, Any], neighbourhood: str | None) -> dict[str, Any]:
    result.setdefault("parameters", {})["neighbourhood"] = neighbourhood
    return result


def run_isolation(
    store: NetworkReader,
    as_of: date | None,
    dormant_months: int = 6,
    *,
    neighbourhood: str | None = None,
) -> dict[str, Any]:
    day = checked_day(as_of, "as_of")
    graph = _snapshot(store, day, neighbourhood)
    result = checked(isolated_actors, graph, as_of=day, dormant_months=dormant_months)
    return _scoped(result, neighbourhood)


def run_bridging(
    store: NetworkReader,
    as_of: date | None,
    *,
    seed: int = 1,
    top: int = 10,
    opportunities: int = 20,
    groups: str = "kind",
    neighbourhood: str | None = None,
) -> dict[str, Any]:
    day = checked_day(as_of, "as_of")
    result = checked(
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
    store: NetworkReader,
    as_of: date | None,
    *,
    seed: int = 1,
    resolution: float = 1.0,
    neighbourhood: str | None = None,
) -> dict[str, Any]:
    day = checked_day(as_of, "as_of")
    simple = simple_graph(_snapshot(store, day, neighbourhood))
    found = checked(communities, simple, seed=seed, resolution=resolution)
    return {
        "as_of": day.isoformat(),
        "parameters": {"seed": seed, "resolution": resolution, "neighbourhood": neighbourhood},
        "graph": size_label(simple),
        "modularity": found["modularity"],
        "communities": named_communities(simple, found),
    }


def run_brokerage(
    store: NetworkReader,
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
    store: NetworkReader,
    start: date | None,
    end: date | None,
    interval: str = "month",
    by_neighbourhood: bool = True,
    *,
    neighbourhood: str | None = None,
    earlier: tuple[Mapping[str, list[dict[str, Any]]], Collection[str]] | None = None,
) -> dict[str, Any]:
    first, last = _span(start, end)
    result = checked(
        growth,
        _history(store, neighbourhood),
        start=first,
        end=last,
        interval=interval,
        by_neighbourhood=by_neighbourhood,
        earlier=earlier,
    )
    return _scoped(result, neighbourhood)


def run_compare(
    store: NetworkReader, first: date, second: date | None, *, neighbourhood: str | None = None
) -> dict[str, Any]:
    history = _history(store, neighbourhood)
    earlier = checked_day(first, "first")
    later = checked_day(second, "second")
    return _scoped(checked(compare, history, earlier, later), neighbourhood)


def run_referrals(
    store: NetworkReader,
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
        local = set(_history(store, neighbourhood).nodes)
        referrals = [r for r in referrals if r["from_actor"] in local or r["to_actor"] in local]
    ids = sorted({r["to_actor"] for r in referrals})
    names: dict[str, str] = {}
    for actor_id in ids:
        names[actor_id] = store.get_actor(actor_id).name
    result = checked(
        referral_flows, referrals, names, start=first, end=last, interval=interval, window=window
    )
    return _scoped(result, neighbourhood)


# --------------------------------------------------------------------------- the registry

Interval = Annotated[
    Literal["week", "month", "quarter", "year"], Field(description="week, month, quarter or year")
]
Groups = Annotated[
    Literal["kind", "community"],
    Field(description="Groups for brokerage roles: actor kinds or communities"),
]
AsOfField = Field(
    default=None, description="The day to analyse (default: today)", examples=["2026-06-01"]
)
SeedField = Field(default=1, ge=0, le=2**31, description="Seed of Louvain (same seed, same answer)")
TopField = Field(default=10, ge=1, le=200, description="How many to list")
StartField = Field(default=None, description="Default: a year before end", examples=["2025-11-01"])
EndField = Field(default=None, description="Default: today", examples=["2026-11-01"])


class Parameters(BaseModel):
    """What an analysis may be asked; anything else is refused."""

    model_config = ConfigDict(extra="forbid")


class IsolationParameters(Parameters):
    as_of: OptionalDay = AsOfField
    dormant_months: int = Field(default=6, ge=1, le=120, description="Dormant after N months")


class BridgingParameters(Parameters):
    as_of: OptionalDay = AsOfField
    seed: int = SeedField
    top: int = TopField
    opportunities: int = Field(default=20, ge=0, le=200, description="Introductions to list")
    groups: Groups = "kind"


class BrokerageParameters(Parameters):
    as_of: OptionalDay = AsOfField
    groups: Groups = "kind"
    seed: int = SeedField
    top: int = TopField


class CommunitiesParameters(Parameters):
    as_of: OptionalDay = AsOfField
    seed: int = SeedField
    resolution: float = Field(default=1.0, gt=0, le=10, description="Louvain's resolution")


class GrowthParameters(Parameters):
    start: OptionalDay = StartField
    end: OptionalDay = EndField
    interval: Interval = "month"
    by_neighbourhood: bool = Field(default=True, description="A series per neighbourhood too")


class CompareParameters(Parameters):
    first: Day = Field(description="The earlier date", examples=["2025-11-01"])
    second: OptionalDay = Field(default=None, description="The later date (default: today)")


class ReferralsParameters(Parameters):
    start: OptionalDay = StartField
    end: OptionalDay = EndField
    interval: Interval = "month"
    window: int = Field(default=3, ge=1, le=24, description="Intervals compared for saturation")


P = TypeVar("P", bound=Parameters)


@dataclass(frozen=True)
class Analysis(Generic[P]):
    """One analysis: its parameters, how it runs on a store, the type of its result."""

    name: str
    summary: str
    description: str
    parameters: type[P]
    result: type[BaseModel]
    run: Callable[[NetworkReader, P, str | None], dict[str, Any]]
    #: the region-wide result brought up to date from an earlier one and the neighbourhoods
    #: changed since (None: made again)
    update: Callable[[NetworkReader, P, BaseModel, set[str]], dict[str, Any]] | None = None

    def __call__(
        self,
        store: NetworkReader,
        parameters: P | Mapping[str, Any],
        neighbourhood: str | None = None,
        *,
        kept: Kept = KEPT,
    ) -> BaseModel:
        """Run it: parameters validated (bad ones raise InvalidInput), result typed. A result
        is computed once per state of its neighbourhood (:mod:`api.kept`): kept until a write
        touches that neighbourhood (dates left to their default are today's: the key holds the
        day); a region-wide one is brought up to date (``update``) where the analysis can."""
        checked = validate(self.parameters, parameters)
        key = (self.name, checked.model_dump_json(), today().isoformat())

        def make() -> BaseModel:
            return self._make(store, checked, neighbourhood)

        if neighbourhood is None and self.update is not None:
            update = self.update

            def updated(earlier: BaseModel, places: set[str]) -> BaseModel:
                return self._typed(update(store, checked, earlier, places))

            return kept.get_or_update(store, key, make, updated)
        return kept.get_or_make(store, neighbourhood, key, make)

    def _make(self, store: NetworkReader, checked: P, neighbourhood: str | None) -> BaseModel:
        return self._typed(self.run(store, checked, neighbourhood))

    def _typed(self, data: dict[str, Any]) -> BaseModel:
        data.setdefault("note", _why_empty(data))
        return self.result.model_validate(data)


def _why_empty(result: Mapping[str, Any]) -> str | None:
    """A sentence saying why a result is empty, for a new team on its first day."""
    size = result.get("graph") or result.get("after") or {}
    actors = size.get("actors", size.get("actors_ever"))
    links = size.get("links", size.get("links_ever"))
    if actors == 0:
        return "No actor is recorded here on that date: there is nothing to analyse yet."
    if links == 0:
        return (
            "No link is recorded between these actors yet: record who knows whom to see "
            "isolation, brokers and bridges."
        )
    if "services" in result and not result["services"]:
        return "No referral is recorded in this period."
    return None


def _isolation(store: NetworkReader, p: IsolationParameters, nb: str | None) -> dict[str, Any]:
    return run_isolation(store, p.as_of, p.dormant_months, neighbourhood=nb)


def _bridging(store: NetworkReader, p: BridgingParameters, nb: str | None) -> dict[str, Any]:
    return run_bridging(
        store,
        p.as_of,
        seed=p.seed,
        top=p.top,
        opportunities=p.opportunities,
        groups=p.groups,
        neighbourhood=nb,
    )


def _brokerage(store: NetworkReader, p: BrokerageParameters, nb: str | None) -> dict[str, Any]:
    return run_brokerage(store, p.as_of, groups=p.groups, seed=p.seed, top=p.top, neighbourhood=nb)


def _communities(store: NetworkReader, p: CommunitiesParameters, nb: str | None) -> dict[str, Any]:
    return run_communities(store, p.as_of, seed=p.seed, resolution=p.resolution, neighbourhood=nb)


def _growth(store: NetworkReader, p: GrowthParameters, nb: str | None) -> dict[str, Any]:
    return run_growth(store, p.start, p.end, p.interval, p.by_neighbourhood, neighbourhood=nb)


def _growth_updated(
    store: NetworkReader, p: GrowthParameters, earlier: BaseModel, places: set[str]
) -> dict[str, Any]:
    series = earlier.model_dump()["neighbourhoods"]
    return run_growth(
        store, p.start, p.end, p.interval, p.by_neighbourhood, earlier=(series, places)
    )


def _compare(store: NetworkReader, p: CompareParameters, nb: str | None) -> dict[str, Any]:
    return run_compare(store, p.first, p.second, neighbourhood=nb)


def _referrals(store: NetworkReader, p: ReferralsParameters, nb: str | None) -> dict[str, Any]:
    return run_referrals(store, p.start, p.end, p.interval, p.window, neighbourhood=nb)


REGISTRY: dict[str, Analysis[Any]] = {
    a.name: a
    for a in (
        Analysis(
            "isolation",
            "Isolated actors and why",
            "Isolated actors, single links, actors reachable only through one BAR worker or "
            "partner, dormant actors, and groups cut off from the main network — each with a "
            "reason.",
            IsolationParameters,
            results.IsolationResult,
            _isolation,
        ),
        Analysis(
            "bridging",
            "Brokers, communities and bridging opportunities",
            "Betweenness (exact, or sampled on large graphs with the error stated), Burt's "
            "constraint and effective size, Louvain communities, brokerage role leaders, and "
            "ranked introductions worth making, each with who can make it and why.",
            BridgingParameters,
            results.BridgingResult,
            _bridging,
        ),
        Analysis(
            "brokerage",
            "Gould–Fernandez brokerage roles",
            "Coordinator, itinerant, representative, gatekeeper and liaison counts.",
            BrokerageParameters,
            results.BrokerageResult,
            _brokerage,
        ),
        Analysis(
            "communities",
            "Communities (Louvain, seeded)",
            "Groups of actors more linked among themselves than with the rest.",
            CommunitiesParameters,
            results.CommunitiesResult,
            _communities,
        ),
        Analysis(
            "growth",
            "How the network grows",
            "A series per interval between two dates, overall and per neighbourhood.",
            GrowthParameters,
            results.GrowthResult,
            _growth,
            _growth_updated,
        ),
        Analysis(
            "compare",
            "What changed between two dates",
            "Who joined or left, which links appeared or ended, which isolated actors were "
            "reached.",
            CompareParameters,
            results.CompareResult,
            _compare,
        ),
        Analysis(
            "referrals",
            "Referral flows and saturation warnings",
            "Referrals per receiving service per interval, follow-up rates, and services whose "
            "load rises while follow-up falls.",
            ReferralsParameters,
            results.ReferralsResult,
            _referrals,
        ),
    )
}
