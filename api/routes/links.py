"""Routes of /api/v1/links."""

from api.routes.common import crud_router
from graph.model import Link, LinkCreate, LinkFilter, LinkUpdate

router = crud_router(
    plural="links",
    singular="link",
    create_model=LinkCreate,
    update_model=LinkUpdate,
    read_model=Link,
    filter_model=LinkFilter,
    dated_get=True,
)
