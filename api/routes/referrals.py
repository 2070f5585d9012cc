"""Routes of /api/v1/referrals."""

from api.routes.common import crud_router
from graph.model import Referral, ReferralCreate, ReferralFilter, ReferralUpdate

router = crud_router(
    plural="referrals",
    singular="referral",
    create_model=ReferralCreate,
    update_model=ReferralUpdate,
    read_model=Referral,
    filter_model=ReferralFilter,
    dated_get=False,
)
