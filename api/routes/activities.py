"""Routes of /api/v1/activities."""

from api.routes.common import crud_router
from graph.model import Activity, ActivityCreate, ActivityFilter, ActivityUpdate

router = crud_router(
    plural="activities",
    singular="activity",
    create_model=ActivityCreate,
    update_model=ActivityUpdate,
    read_model=Activity,
    filter_model=ActivityFilter,
    dated_get=True,
)
