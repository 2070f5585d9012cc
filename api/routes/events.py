"""The history: every write, who made it, when, before and after."""

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import AccessDep, Store
from api.routes.common import ERRORS, Limit, Offset
from graph.model import Event, EventFilter, Page

router = APIRouter(prefix="/events", tags=["history"], responses=ERRORS)


@router.get(
    "",
    response_model=Page[Event],
    summary="The events log",
    description="Filter by actor (events touching it), user, record, kind of record, and time. "
    "Coordinators and admins read every event; other users read their own writes.",
)
def events(
    access: AccessDep,
    store: Store,
    filters: Annotated[EventFilter, Query()],
    limit: Limit = 100,
    offset: Offset = 0,
) -> Page[Event]:
    # coordinators and admins read the whole log; everyone else their own writes
    mine = filters.model_copy(update={"user": access.check_events(filters.user)})
    return store.list_events(mine, limit=limit, offset=offset)
