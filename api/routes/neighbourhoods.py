"""Routes of /api/v1/neighbourhoods."""

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
        create=lambda s, data: s.create_neighbourhood(data),
        get=lambda s, record_id, as_of: s.get_neighbourhood(record_id, as_of=as_of),
        update=lambda s, record_id, changes: s.update_neighbourhood(record_id, changes),
        end=lambda s, record_id, until: s.end_neighbourhood(record_id, until),
        list=lambda s, filters, limit, offset: s.list_neighbourhoods(
            filters, limit=limit, offset=offset
        ),
        dated_get=True,
    )
)
