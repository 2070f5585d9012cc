"""Network analysis: isolation, bridging, brokerage, communities, growth, referral flows.

Every result says its date (``as_of``), its parameters and the size of the graph it measured.
"""

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from api import analyses
from api.deps import Reader, Scope, Store
from api.routes.common import ERRORS

router = APIRouter(prefix="/analysis", tags=["analysis"], responses=ERRORS)

AsOf = Annotated[
    date | None, Query(description="The day to analyse (default: today)", examples=["2026-06-01"])
]
Seed = Annotated[int, Query(ge=0, le=2**31, description="Seed of Louvain", examples=[1])]
Top = Annotated[int, Query(ge=1, le=200, description="How many to list", examples=[10])]
Groups = Annotated[
    Literal["kind", "community"],
    Query(description="Groups for brokerage roles: actor kinds or communities", examples=["kind"]),
]
Interval = Annotated[Literal["week", "month", "quarter", "year"], Query(examples=["month"])]
Start = Annotated[
    date | None, Query(description="Default: a year before end", examples=["2025-11-01"])
]
End = Annotated[date | None, Query(description="Default: today", examples=["2026-11-01"])]
Result = dict[str, Any]


@router.get(
    "/isolation",
    response_model=Result,
    summary="Isolated actors and why",
    description="Isolated actors, single links, actors reachable only through one BAR worker or "
    "partner, dormant actors, and groups cut off from the main network — each with a reason.",
)
def isolation(
    user: Reader,
    store: Store,
    scope: Scope,
    as_of: AsOf = None,
    dormant_months: Annotated[int, Query(ge=1, le=120, examples=[6])] = 6,
) -> Result:
    return analyses.run_isolation(store, as_of, dormant_months, neighbourhood=scope)


@router.get(
    "/bridging",
    response_model=Result,
    summary="Brokers, communities and bridging opportunities",
    description="Betweenness (exact, or sampled on large graphs with the error stated), Burt's "
    "constraint and effective size, Louvain communities, brokerage role leaders, and ranked "
    "introductions worth making, each with who can make it and why.",
)
def bridging(
    user: Reader,
    store: Store,
    scope: Scope,
    as_of: AsOf = None,
    seed: Seed = 1,
    top: Top = 10,
    opportunities: Annotated[int, Query(ge=0, le=200, examples=[20])] = 20,
    groups: Groups = "kind",
) -> Result:
    return analyses.run_bridging(
        store,
        as_of,
        seed=seed,
        top=top,
        opportunities=opportunities,
        groups=groups,
        neighbourhood=scope,
    )


@router.get(
    "/brokerage",
    response_model=Result,
    summary="Gould–Fernandez brokerage roles",
    description="Coordinator, itinerant, representative, gatekeeper and liaison counts.",
)
def brokerage(
    user: Reader,
    store: Store,
    scope: Scope,
    as_of: AsOf = None,
    groups: Groups = "kind",
    seed: Seed = 1,
    top: Top = 10,
) -> Result:
    return analyses.run_brokerage(
        store, as_of, groups=groups, seed=seed, top=top, neighbourhood=scope
    )


@router.get("/communities", response_model=Result, summary="Communities (Louvain, seeded)")
def communities(
    user: Reader,
    store: Store,
    scope: Scope,
    as_of: AsOf = None,
    seed: Seed = 1,
    resolution: Annotated[float, Query(gt=0, le=10, examples=[1.0])] = 1.0,
) -> Result:
    return analyses.run_communities(
        store, as_of, seed=seed, resolution=resolution, neighbourhood=scope
    )


@router.get(
    "/growth",
    response_model=Result,
    summary="How the network grows",
    description="A series per interval between two dates, overall and per neighbourhood.",
)
def growth(
    user: Reader,
    store: Store,
    scope: Scope,
    start: Start = None,
    end: End = None,
    interval: Interval = "month",
    by_neighbourhood: Annotated[bool, Query(examples=[True])] = True,
) -> Result:
    return analyses.run_growth(store, start, end, interval, by_neighbourhood, neighbourhood=scope)


@router.get("/compare", response_model=Result, summary="What changed between two dates")
def compare(
    user: Reader,
    store: Store,
    scope: Scope,
    first: Annotated[date, Query(examples=["2025-11-01"])],
    second: Annotated[date | None, Query(examples=["2026-11-01"])] = None,
) -> Result:
    return analyses.run_compare(store, first, second, neighbourhood=scope)


@router.get(
    "/referrals",
    response_model=Result,
    summary="Referral flows and saturation warnings",
    description="Referrals per receiving service per interval, follow-up rates, and services "
    "whose load rises while follow-up falls.",
)
def referrals(
    user: Reader,
    store: Store,
    scope: Scope,
    start: Start = None,
    end: End = None,
    interval: Interval = "month",
    window: Annotated[int, Query(ge=1, le=24, examples=[3])] = 3,
) -> Result:
    return analyses.run_referrals(store, start, end, interval, window, neighbourhood=scope)
