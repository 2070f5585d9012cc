"""Routes of /api/v1/links."""

from api.policy import LinkGuard
from api.routes.common import Resource, crud_router
from graph.model import Link, LinkCreate, LinkFilter, LinkQuery, LinkUpdate

router = crud_router(
    Resource(
        plural="links",
        singular="link",
        create_model=LinkCreate,
        update_model=LinkUpdate,
        read_model=Link,
        filter_model=LinkQuery,
        create=lambda s, data, by: s.create_link(data, by=by),
        get=lambda s, record_id, as_of: s.get_link(record_id, as_of=as_of),
        update=lambda s, record_id, changes, by: s.update_link(record_id, changes, by=by),
        end=lambda s, record_id, until, by: s.end_link(record_id, until, by=by),
        list=lambda s, f, limit, offset: s.list_links(f, limit=limit, offset=offset),
        guard=LinkGuard(LinkFilter),
        dated_get=True,
        reopen=lambda s, record_id, by: s.reopen_link(record_id, by=by),
        retract=lambda s, record_id, by, why: s.retract_link(record_id, by=by, reason=why),
    )
)
