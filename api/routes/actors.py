"""Routes of /api/v1/actors."""

from api.deps import Scoped
from api.routes.common import RecordId, Resource, crud_router
from graph.model import Actor, ActorCreate, ActorQuery, ActorUpdate

router = crud_router(
    Resource(
        plural="actors",
        singular="actor",
        create_model=ActorCreate,
        update_model=ActorUpdate,
        read_model=Actor,
        filter_model=ActorQuery,
        create=lambda s, data: s.create_actor(data),
        get=lambda s, record_id, as_of: s.get_actor(record_id, as_of=as_of),
        update=lambda s, record_id, changes: s.update_actor(record_id, changes),
        end=lambda s, record_id, until: s.end_actor(record_id, until),
        list=lambda s, f, limit, offset: s.list_actors(f, limit=limit, offset=offset),
        dated_get=True,
        reopen=lambda s, record_id: s.reopen_actor(record_id),
        retract=lambda s, record_id, why: s.retract_actor(record_id, reason=why),
    )
)


@router.post(
    "/{record_id}/confirm",
    response_model=Actor,
    summary="Confirm an actor's details ('still true')",
    description="Its phones, hours and conditions were checked today: the actor keeps when and "
    "by whom (the living directory lists those not confirmed for six months).",
)
def confirm(store: Scoped, record_id: RecordId) -> Actor:
    return store.confirm_actor(record_id)
