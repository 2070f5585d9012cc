"""Routes of /api/v1/neighbourhoods."""

from api.policy import NeighbourhoodGuard
from api.routes.common import Resource, crud_router
from graph.model import Neighbourhood, NeighbourhoodCreate, NeighbourhoodFilter, NeighbourhoodUpdate

router = crud_router(
    Resource(
        plural="neighbourhoods",
        singular="neighbourhood",
        create_model=NeighbourhoodCreate,
        update_model=NeighbourhoodUpdate,
        read_model=Neighbourhood,
        filter_model=NeighbourhoodFilter,
        create=lambda s, data, by: s.create_neighbourhood(data, by=by),
        get=lambda s, record_id, as_of: s.get_neighbourhood(record_id, as_of=as_of),
        update=lambda s, record_id, changes, by: s.update_neighbourhood(record_id, changes, by=by),
        end=lambda s, record_id, until, by: s.end_neighbourhood(record_id, until, by=by),
        list=lambda s, filters, limit, offset: s.list_neighbourhoods(
            filters, limit=limit, offset=offset
        ),
        guard=NeighbourhoodGuard(),
        dated_get=True,
    )
)
