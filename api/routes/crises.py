"""Routes of /api/v1/crises: crisis lists — a public to reach in a crisis, the actors reaching
it with their phones and hours, and who called whom."""

from fastapi import Body

from api.crisis import CrisisList, crisis_list
from api.deps import Scoped
from api.routes.common import RecordId, Resource, crud_router
from graph.model import CallCreate, Crisis, CrisisCreate, CrisisQuery, CrisisUpdate

router = crud_router(
    Resource(
        plural="crises",
        singular="crisis list",
        create_model=CrisisCreate,
        update_model=CrisisUpdate,
        read_model=Crisis,
        filter_model=CrisisQuery,
        create=lambda s, data: s.create_crisis(data),
        get=lambda s, record_id, as_of: s.get_crisis(record_id, as_of=as_of),
        update=lambda s, record_id, changes: s.update_crisis(record_id, changes),
        end=lambda s, record_id, until: s.end_crisis(record_id, until),
        list=lambda s, filters, limit, offset: s.list_crises(filters, limit=limit, offset=offset),
        retract=lambda s, record_id, why: s.retract_crisis(record_id, reason=why),
    )
)


@router.get(
    "/{record_id}/list",
    response_model=CrisisList,
    summary="The actors to call, nearest to the team first, with the latest call to each",
    description="Every actor of the crisis's neighbourhood that reaches its public (target "
    "group, language, theme), with its phones and opening hours, the chain of introductions "
    "from the team, and the latest call (done, no answer, not yet); a closed list as it was on "
    "the day it closed.",
)
def list_to_call(store: Scoped, record_id: RecordId) -> CrisisList:
    return crisis_list(store, store.get_crisis(record_id))


@router.post(
    "/{record_id}/calls",
    response_model=Crisis,
    summary="Record a call: done, no answer, or back to not yet",
    description="Who called is the logged-in user, when is now; the latest call to each actor "
    "is kept on the list and every call in the history.",
)
def record_call(store: Scoped, record_id: RecordId, call: CallCreate = Body()) -> Crisis:
    return store.record_call(record_id, call)
