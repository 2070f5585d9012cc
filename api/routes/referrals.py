"""Routes of /api/v1/referrals."""

from api.routes.common import Resource, crud_router
from graph.model import Referral, ReferralCreate, ReferralQuery, ReferralUpdate

router = crud_router(
    Resource(
        plural="referrals",
        singular="referral",
        create_model=ReferralCreate,
        update_model=ReferralUpdate,
        read_model=Referral,
        filter_model=ReferralQuery,
        create=lambda s, data: s.create_referral(data),
        get=lambda s, record_id, _as_of: s.get_referral(record_id),
        update=lambda s, record_id, changes: s.update_referral(record_id, changes),
        end=lambda s, record_id, until: s.end_referral(record_id, until),
        list=lambda s, filters, limit, offset: s.list_referrals(
            filters, limit=limit, offset=offset
        ),
        dated_get=False,
    )
)
