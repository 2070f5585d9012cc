"""The history: every write, who made it, when, before and after."""

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import Reader, Store
from api.routes.common import ERRORS, Limit, Offset
from graph.model import Event, EventFilter, Page

router = APIRouter(prefix="/events", tags=["history"], responses=ERRORS)


@router.get(
    "",
    response_model=Page[Event],
    summary="The events log",
    description="Filter by actor (events touching it), user, record, kind of record, and time.",
)
def events(
    user: Reader,
    store: Store,
    filters: Annotated[EventFilter, Query()],
    limit: Limit = 100,
    offset: Offset = 0,
) -> Page[Event]:
    return store.list_events(filters, limit=limit, offset=offset)
