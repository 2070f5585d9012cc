"""The living directory's round: the actors of one's neighbourhood not confirmed for six months
(``MAILLAGE_CONFIRM_MONTHS``), the longest first, each confirmed in one tap or corrected."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.analyses import in_neighbourhood
from api.kept import KEPT
from api.web.pages.base import Page, PageDep
from graph.living import days_of, last_confirmed, stale_actors
from graph.living import to_check as is_to_check
from graph.model import Actor, ActorQuery, today

router = APIRouter(include_in_schema=False)


def to_check(p: Page, neighbourhood: str | None = None) -> list[Actor]:
    """The actors one may see (in ``neighbourhood``, else the team's) that are to check."""
    place = _place(p, neighbourhood)
    query = ActorQuery(neighbourhood=place) if place else ActorQuery()
    seen = p.store.every_actor(query)
    months = p.request.app.state.settings.confirm_months
    return stale_actors(seen, today(), days_of(months))


def count_to_check(p: Page, neighbourhood: str | None = None) -> int:
    """How many actors :func:`to_check` lists, counted on the kept history (every actor the
    reader may see, ended ones too) rather than read again as models (a second at 10,000)."""
    place = _place(p, neighbourhood)
    history = in_neighbourhood(KEPT.graph(p.store, place, None, history=True), place)
    now, days = today(), days_of(p.request.app.state.settings.confirm_months)
    return sum(
        1
        for _, data in history.nodes(data=True)
        if is_to_check(Actor.model_construct(**data), now, days)
    )


def _place(p: Page, neighbourhood: str | None) -> str | None:
    """``neighbourhood``, else the reader's team's (None: a coordinator's whole region)."""
    access = p.require()
    return neighbourhood or (access.team_label if not access.sees_everything else None)


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
