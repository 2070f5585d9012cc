"""Routes of /api/v1/activities."""

from api.routes.common import Resource, crud_router
from graph.model import Activity, ActivityCreate, ActivityQuery, ActivityUpdate

router = crud_router(
    Resource(
        plural="activities",
        singular="activity",
        create_model=ActivityCreate,
        update_model=ActivityUpdate,
        read_model=Activity,
        filter_model=ActivityQuery,
        create=lambda s, data: s.create_activity(data),
        get=lambda s, record_id, as_of: s.get_activity(record_id, as_of=as_of),
        update=lambda s, record_id, changes: s.update_activity(record_id, changes),
        end=lambda s, record_id, until: s.end_activity(record_id, until),
        list=lambda s, filters, limit, offset: s.list_activities(
            filters, limit=limit, offset=offset
        ),
        dated_get=True,
        retract=lambda s, record_id, why: s.retract_activity(record_id, reason=why),
    )
)
