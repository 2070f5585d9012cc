"""Routes of /api/v1/activities."""

from api.policy import ActivityGuard
from api.routes.common import Resource, crud_router
from graph.model import Activity, ActivityCreate, ActivityFilter, ActivityQuery, ActivityUpdate

router = crud_router(
    Resource(
        plural="activities",
        singular="activity",
        create_model=ActivityCreate,
        update_model=ActivityUpdate,
        read_model=Activity,
        filter_model=ActivityQuery,
        create=lambda s, data, by: s.create_activity(data, by=by),
        get=lambda s, record_id, as_of: s.get_activity(record_id, as_of=as_of),
        update=lambda s, record_id, changes, by: s.update_activity(record_id, changes, by=by),
        end=lambda s, record_id, until, by: s.end_activity(record_id, until, by=by),
        list=lambda s, filters, limit, offset: s.list_activities(
            filters, limit=limit, offset=offset
        ),
        guard=ActivityGuard(ActivityFilter),
        dated_get=True,
    )
)
