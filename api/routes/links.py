"""Routes of /api/v1/links."""

from api.routes.common import Resource, crud_router
from graph.model import Link, LinkCreate, LinkQuery, LinkUpdate

router = crud_router(
    Resource(
        plural="links",
        singular="link",
        create_model=LinkCreate,
        update_model=LinkUpdate,
        read_model=Link,
        filter_model=LinkQuery,
        create=lambda s, data: s.create_link(data),
        get=lambda s, record_id, as_of: s.get_link(record_id, as_of=as_of),
        update=lambda s, record_id, changes: s.update_link(record_id, changes),
        end=lambda s, record_id, until: s.end_link(record_id, until),
        list=lambda s, f, limit, offset: s.list_links(f, limit=limit, offset=offset),
        dated_get=True,
        reopen=lambda s, record_id: s.reopen_link(record_id),
        retract=lambda s, record_id, why: s.retract_link(record_id, reason=why),
    )
)
