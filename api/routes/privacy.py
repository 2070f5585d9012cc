"""Privacy (GDPR): erasing an actor for good, and everything held about one actor — for
coordinators and admins."""

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Body, Response
from pydantic import BaseModel, ConfigDict, Field

from api.deps import Scoped
from api.routes.common import ERRORS, RecordId
from graph.model import ActivityFilter, EventFilter, Link, Page, ReferralFilter

router = APIRouter(prefix="/actors", tags=["privacy"], responses=ERRORS)


class Erasure(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"reason": "asked by the person (GDPR art. 17)"}]},
    )
    reason: str = Field(min_length=1, max_length=500, description="Why, kept in the history")


@router.delete(
    "/{record_id}",
    status_code=204,
    summary="Erase an actor for good (privacy)",
    description="The actor, its links and the referrals naming it leave the store, snapshots, "
    "history and every later export; the events keep only that something was erased, by whom "
    "and why. Ending an actor (POST …/end) is what to do otherwise.",
)
def erase(store: Scoped, record_id: RecordId, body: Annotated[Erasure, Body()]) -> Response:
    store.erase_actor(record_id, reason=body.reason)
    return Response(status_code=204)


class SubjectData(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "actor": {"id": "4f1c…", "name": "Tante R."},
                    "links": [],
                    "activities": [],
                    "referrals": [],
                    "events": [],
                }
            ]
        }
    )
    actor: dict[str, Any]
    links: list[dict[str, Any]]
    activities: list[dict[str, Any]]
    referrals: list[dict[str, Any]]
    events: list[dict[str, Any]]


@router.get(
    "/{record_id}/data",
    response_model=SubjectData,
    summary="Everything held about one actor (subject access)",
)
def subject_access(store: Scoped, record_id: RecordId) -> SubjectData:
    """Every page of each list, and the links of every date (ended ones too, from the
    history); activities are those the actor takes part in today."""
    actor = store.subject_access_actor(record_id)
    history = store.history()
    links = [
        data
        for _, _, data in history.edges(data=True)
        if record_id in (data["source"], data["target"])
    ]
    activities = _every(
        lambda at: store.list_activities(ActivityFilter(actor=record_id), limit=PAGE, offset=at)
    )
    sent = _every(
        lambda at: store.list_referrals(ReferralFilter(from_actor=record_id), limit=PAGE, offset=at)
    )
    received = _every(
        lambda at: store.list_referrals(ReferralFilter(to_actor=record_id), limit=PAGE, offset=at)
    )
    events = _every(
        lambda at: store.list_events(EventFilter(actor=record_id), limit=PAGE, offset=at)
    )
    return SubjectData(
        actor=actor.model_dump(mode="json"),
        links=[Link.model_validate(x).model_dump(mode="json") for x in links],
        activities=[x.model_dump(mode="json") for x in activities],
        referrals=[x.model_dump(mode="json") for x in [*sent, *received]],
        events=[x.model_dump(mode="json") for x in events],
    )


PAGE = 1000
T = TypeVar("T")


def _every(fetch: Callable[[int], Page[T]]) -> list[T]:
    """All the items of a paged list, page after page."""
    items: list[T] = []
    while True:
        page = fetch(len(items))
        items += page.items
        if not page.items or len(items) >= page.total:
            return items
