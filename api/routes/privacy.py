"""Privacy (GDPR): erasing an actor for good, and everything held about one actor — for
coordinators and admins."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Response
from pydantic import BaseModel, ConfigDict, Field

from api.deps import AccessDep, Store
from api.routes.common import ERRORS, RecordId
from graph.model import ActivityFilter, EventFilter, LinkFilter, ReferralFilter

router = APIRouter(prefix="/actors", tags=["privacy"], responses=ERRORS)


class Erasure(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"reason": "asked by the person (GDPR art. 17)"}]},
    )
    reason: str = Field(min_length=1, max_length=500, description="Why, kept in the history")


def _managers_only(access: AccessDep, what: str) -> None:
    if not access.sees_everything:
        raise HTTPException(403, f"only coordinators and admins {what}")


@router.delete(
    "/{record_id}",
    status_code=204,
    summary="Erase an actor for good (privacy)",
    description="The actor, its links and the referrals naming it leave the store, snapshots, "
    "history and every later export; the events keep only that something was erased, by whom "
    "and why. Ending an actor (POST …/end) is what to do otherwise.",
)
def erase(
    access: AccessDep, store: Store, record_id: RecordId, body: Annotated[Erasure, Body()]
) -> Response:
    _managers_only(access, "erase an actor")
    store.erase_actor(record_id, by=access.user.name, reason=body.reason)
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
def subject_access(access: AccessDep, store: Store, record_id: RecordId) -> SubjectData:
    _managers_only(access, "export everything held about an actor")
    actor = store.get_actor(record_id)
    links = store.list_links(LinkFilter(actor=record_id), limit=1000).items
    activities = store.list_activities(ActivityFilter(actor=record_id), limit=1000).items
    sent = store.list_referrals(ReferralFilter(from_actor=record_id), limit=1000).items
    received = store.list_referrals(ReferralFilter(to_actor=record_id), limit=1000).items
    events = store.list_events(EventFilter(actor=record_id), limit=1000).items
    return SubjectData(
        actor=actor.model_dump(mode="json"),
        links=[x.model_dump(mode="json") for x in links],
        activities=[x.model_dump(mode="json") for x in activities],
        referrals=[x.model_dump(mode="json") for x in [*sent, *received]],
        events=[x.model_dump(mode="json") for x in events],
    )
