"""Routes of /api/v1/actors."""

from api.routes.common import Resource, crud_router
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
