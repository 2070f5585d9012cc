"""Routes of /api/v1/referrals."""

from api.policy import ReferralGuard
from api.routes.common import Resource, crud_router
from graph.model import Referral, ReferralCreate, ReferralFilter, ReferralQuery, ReferralUpdate

router = crud_router(
    Resource(
        plural="referrals",
        singular="referral",
        create_model=ReferralCreate,
        update_model=ReferralUpdate,
        read_model=Referral,
        filter_model=ReferralQuery,
        create=lambda s, data, by: s.create_referral(data, by=by),
        get=lambda s, record_id, _as_of: s.get_referral(record_id),
        update=lambda s, record_id, changes, by: s.update_referral(record_id, changes, by=by),
        end=lambda s, record_id, until, by: s.end_referral(record_id, until, by=by),
        list=lambda s, filters, limit, offset: s.list_referrals(
            filters, limit=limit, offset=offset
        ),
        guard=ReferralGuard(ReferralFilter),
        dated_get=False,
    )
)
