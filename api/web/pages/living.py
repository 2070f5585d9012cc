"""The living directory's round: the actors of one's neighbourhood not confirmed for six months
(``MAILLAGE_CONFIRM_MONTHS``), the longest first, each confirmed in one tap or corrected."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.web.pages.base import Page, PageDep
from graph.living import days_of, last_confirmed, stale_actors
from graph.model import Actor, ActorQuery, today

router = APIRouter(include_in_schema=False)


def to_check(p: Page, neighbourhood: str | None = None) -> list[Actor]:
    """The actors one may see (in ``neighbourhood``, else the team's) that are to check."""
    access = p.require()
    place = neighbourhood or (access.team_label if not access.sees_everything else None)
    query = ActorQuery(neighbourhood=place) if place else ActorQuery()
    seen = p.store.every_actor(query)
    months = p.request.app.state.settings.confirm_months
    return stale_actors(seen, today(), days_of(months))


@router.get("/to-check", response_class=HTMLResponse)
def round_page(p: PageDep) -> HTMLResponse:
    access = p.require()
    stale = to_check(p)
    rows: list[dict[str, Any]] = [
        {"actor": a, "when": last_confirmed(a)[0], "by": last_confirmed(a)[1]} for a in stale
    ]
    may_write = access.role.can_write and access.role.value != "viewer"
    months = p.request.app.state.settings.confirm_months
    return p.render("to_check.html", rows=rows, may_write=may_write, months=months)
