"""Who knows whom: ego networks, introduction paths, and who reaches a public."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from analysis.reach import bar_team_of, reach
from api.deps import Scoped
from api.kept import KEPT
from api.policy import forbidden
from api.routes.common import ERRORS, AsOf, RecordId
from graph.errors import Say
from graph.model import EgoNetwork, IntroductionPath, Role, today

router = APIRouter(tags=["who knows whom"], responses=ERRORS)


@router.get(
    "/actors/{actor_id}/network",
    response_model=EgoNetwork,
    summary="The ego network of an actor",
    description="Actors within `depth` links (1 to 3) of the actor, their distance, and the "
    "links among them, as they were on `as_of` (default: today).",
)
def network(
    store: Scoped,
    actor_id: RecordId,
    depth: Annotated[int, Query(ge=1, le=3, examples=[2])] = 1,
    as_of: AsOf = None,
) -> EgoNetwork:
    return store.ego_network(actor_id, depth=depth, as_of=as_of)


@router.get(
    "/paths",
    response_model=list[IntroductionPath],
    summary="Chains of introduction between two actors",
    description="Up to `k` chains, shortest first; chains of equal length are ranked by their "
    "weakest link, then total strength, then how recent their stalest link is. Each hop gives "
    "its link type and who recorded it.",
)
def paths(
    store: Scoped,
    source: Annotated[str, Query(min_length=1, max_length=64, examples=["4f1c…"])],
    target: Annotated[str, Query(min_length=1, max_length=64, examples=["9b2e…"])],
    k: Annotated[int, Query(ge=1, le=20, examples=[3])] = 3,
    as_of: AsOf = None,
) -> list[IntroductionPath]:
    return store.introduction_paths(source, target, k=k, as_of=as_of)


class ReachedActor(BaseModel):
    id: str
    name: str
    kind: str
    distance: int
    chain: list[str] = Field(description="Actor ids from the team member to this actor")
    names: list[str]


class UnreachedActor(BaseModel):
    id: str
    name: str
    kind: str


class Reach(BaseModel):
    as_of: date | None
    team: list[str] = Field(description="The BAR team's actors the chains start from")
    reached: list[ReachedActor]
    unreached: list[UnreachedActor]


@router.get(
    "/reach",
    response_model=Reach,
    summary="Who reaches a public",
    description="The actors that match the theme, language, target group and neighbourhood "
    "given, each with the shortest chain from the caller's BAR team, and those that nobody in "
    "the team can reach yet.",
)
def reach_public(
    store: Scoped,
    theme: Annotated[str | None, Query(max_length=80, examples=["health"])] = None,
    language: Annotated[str | None, Query(max_length=80, examples=["ar"])] = None,
    target_group: Annotated[str | None, Query(max_length=80, examples=["women"])] = None,
    neighbourhood: Annotated[str | None, Query(max_length=200, examples=["Cureghem"])] = None,
    as_of: AsOf = None,
) -> Any:
    access = store.access
    if neighbourhood and not access.may_read_in(neighbourhood):
        raise forbidden(access._outside(Say("this neighbourhood")))
    if access.reads_nothing:
        raise forbidden(Say("your user is not attached to a BAR team"))
    if access.role is Role.viewer:  # a partner asks within their own neighbourhood
        neighbourhood = neighbourhood or access.team_label
    day = as_of or today()

    def found() -> dict[str, Any]:
        graph = KEPT.graph(store, neighbourhood, day)
        return reach(
            graph,
            bar_team_of(graph, access.user.actor_id, neighbourhood),
            theme=theme,
            language=language,
            target_group=target_group,
            neighbourhood=neighbourhood,
        )

    key = ("reach", access.user.actor_id, theme, language, target_group, day.isoformat())
    return {"as_of": as_of, **KEPT.get_or_make(store, neighbourhood, key, found)}
