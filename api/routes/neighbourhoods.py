"""Routes of /api/v1/neighbourhoods."""

from api.routes.common import crud_router
from graph.model import Neighbourhood, NeighbourhoodCreate, NeighbourhoodFilter, NeighbourhoodUpdate

router = crud_router(
    plural="neighbourhoods",
    singular="neighbourhood",
    create_model=NeighbourhoodCreate,
    update_model=NeighbourhoodUpdate,
    read_model=Neighbourhood,
    filter_model=NeighbourhoodFilter,
    dated_get=True,
)
