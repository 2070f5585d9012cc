"""The history: every write, who made it, when, before and after."""

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import Scoped
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
    store: Scoped,
    filters: Annotated[EventFilter, Query()],
    limit: Limit = 100,
    offset: Offset = 0,
) -> Page[Event]:
    # coordinators and admins read the whole log; everyone else their own writes
    return store.list_events(filters, limit=limit, offset=offset)
