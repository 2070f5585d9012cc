"""Routes of /api/v1/actors."""

from api.policy import ActorGuard
from api.routes.common import Resource, crud_router
from graph.model import Actor, ActorCreate, ActorFilter, ActorQuery, ActorUpdate

router = crud_router(
    Resource(
        plural="actors",
        singular="actor",
        create_model=ActorCreate,
        update_model=ActorUpdate,
        read_model=Actor,
        filter_model=ActorQuery,
        create=lambda s, data, by: s.create_actor(data, by=by),
        get=lambda s, record_id, as_of: s.get_actor(record_id, as_of=as_of),
        update=lambda s, record_id, changes, by: s.update_actor(record_id, changes, by=by),
        end=lambda s, record_id, until, by: s.end_actor(record_id, until, by=by),
        list=lambda s, f, limit, offset: s.list_actors(f, limit=limit, offset=offset),
        guard=ActorGuard(ActorFilter),
        dated_get=True,
        reopen=lambda s, record_id, by: s.reopen_actor(record_id, by=by),
        retract=lambda s, record_id, by, why: s.retract_actor(record_id, by=by, reason=why),
    )
)
