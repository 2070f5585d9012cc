"""The referrals one may see, newest first, with their follow-up (did the person reach the
service?) changed in one tap, and each service's saturation as the BAR know it beside it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import CSRF_FIELD
from api.web.pages.actor_edit import SATURATION
from api.web.pages.base import N_, PAGE_SIZE, PageDep, actors_of, problem
from graph.errors import MaillageError
from graph.model import ReferralOutcome, ReferralQuery

router = APIRouter(include_in_schema=False)

#: a referral's theme codes and outcomes, as pages say them (the template of /referrals too)
THEME_WORDS = {
    "housing": N_("housing"), "income": N_("income"), "health": N_("health"),
    "mental-health": N_("mental health"), "debt": N_("debt"), "employment": N_("employment"),
    "language": N_("language classes"), "food": N_("food"), "education": N_("education"),
    "legal": N_("legal aid"),
}  # fmt: skip
OUTCOME_WORDS = {
    "pending": N_("not known yet"),
    "reached": N_("yes, they reached the service"),
    "not_reached": N_("no"),
    "unknown": N_("unknown"),
}


@router.get("/referrals", response_class=HTMLResponse)
def referrals_page(
    p: PageDep, page: Annotated[int, Query(ge=1, le=100_000)] = 1, problems: list[str] | None = None
) -> HTMLResponse:
    access = p.require()
    listed = p.store.list_referrals(  # the store gives them newest first
        ReferralQuery(), limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    found, total = listed.items, listed.total
    recorded = next((r for r in found if r.id == p.request.query_params.get("recorded")), None)
    ends = {x for r in found for x in (r.from_actor, r.to_actor)}
    actors = {a.id: a for a in actors_of(p.store, ends)}
    _ = p.gettext()
    return p.render(
        "referrals.html",
        theme_words={k: _(v) for k, v in THEME_WORDS.items()},
        outcome_words={k: _(v) for k, v in OUTCOME_WORDS.items()},
        status=422 if problems else 200,
        problems=problems or [],
        referrals=found,
        recorded=recorded,
        actors=actors,
        outcomes=[o.value for o in ReferralOutcome],
        saturation_states=SATURATION,
        may_write=access.role.can_write and access.role.value != "viewer",
        page_number=page,
        pages=max(1, -(-total // PAGE_SIZE)),
    )


@router.post("/referrals/{referral_id}/outcome")
def change_outcome(
    p: PageDep,
    referral_id: str,
    outcome: Annotated[str, Form(max_length=20)],
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
) -> Response:
    """The follow-up of a referral, as learnt since (the policy as for the API)."""
    p.require().check_writer()
    p.check_csrf(csrf_token)
    try:
        p.store.update_referral(referral_id, {"outcome": outcome})
    except (MaillageError, ValueError) as exc:
        return referrals_page(p, 1, [problem(exc, p.lang)])
    return RedirectResponse(f"/referrals?changed={referral_id}#r-{referral_id}", status_code=303)
