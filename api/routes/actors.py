"""Routes of /api/v1/actors."""

from api.routes.common import crud_router
from graph.model import Actor, ActorCreate, ActorFilter, ActorUpdate

router = crud_router(
    plural="actors",
    singular="actor",
    create_model=ActorCreate,
    update_model=ActorUpdate,
    read_model=Actor,
    filter_model=ActorFilter,
    dated_get=True,
)
