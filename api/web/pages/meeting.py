"""The team meeting: the agenda walked by keyboard beside the bridging view, and follow-ups."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from analysis.bridging import introductions
from analysis.graphs import simple_graph
from analysis.isolation import without_links
from analysis.results import FlaggedActor, Opportunity
from api.analyses import in_neighbourhood
from api.deps import CSRF_FIELD
from api.kept import KEPT
from api.scoped import ScopedStore
from api.web import reasons
from api.web.pages.base import (
    Page,
    PageDep,
    actors_of,
    figures_scope_of,
    problem,
)
from graph.errors import InvalidInput, MaillageError, Say
from graph.model import (
    FollowUpFilter,
    LinkFilter,
    today,
)

router = APIRouter(include_in_schema=False)


# --------------------------------------------------------------------------- the team meeting


def meeting_agenda(
    store: ScopedStore, scope: str | None
) -> tuple[list[FlaggedActor], list[Opportunity]]:
    """What the meeting walks through: today's isolated actors and ten introductions to make,
    as the isolation and bridging reports list them, computed alone — the meeting shows nothing
    else of those reports, whose brokers' measures took a region's cold meeting 0.5–0.8 s — and
    kept until a write touches the neighbourhood."""

    def make() -> tuple[list[FlaggedActor], list[Opportunity]]:
        graph = in_neighbourhood(KEPT.graph(store, scope, day), scope)
        isolated = [FlaggedActor.model_validate(x) for x in without_links(graph)]
        found = introductions(simple_graph(graph), seed=1, limit=10)
        return isolated, [Opportunity.model_validate(o) for o in found]

    day = today()
    return KEPT.get_or_make(store, scope, ("meeting agenda", day.isoformat()), make)


def _linked(store: ScopedStore, a: str, b: str) -> bool:
    links = store.list_links(LinkFilter(actor=a), limit=1000).items
    return any({link.source, link.target} == {a, b} for link in links)


@router.get("/meeting", response_class=HTMLResponse)
def meeting(p: PageDep, neighbourhood: Annotated[str, Query(max_length=200)] = "") -> HTMLResponse:
    """The team meeting, full screen: the neighbourhood's bridging view, and a walk through the
    agenda by keyboard — each isolated actor, each introduction worth making — with a form to
    note who takes it and by when."""
    return _meeting_page(p, neighbourhood)


def _meeting_page(
    p: Page,
    neighbourhood: str,
    *,
    problems: Sequence[str] = (),
    form: Mapping[str, str] | None = None,
    at_item: int = 0,
) -> HTMLResponse:
    """The meeting page; after a refused follow-up, with the sentence, what was typed and the
    agenda at the item it was about."""
    scope = figures_scope_of(p, neighbourhood)
    isolated, opportunities = meeting_agenda(p.store, scope)
    _ = p.gettext()
    agenda: list[dict[str, Any]] = []
    for item in isolated:
        agenda.append(
            {
                "kind": _("Isolated actor"),
                "title": item.name,
                "reason": reasons.isolated(item, p.lang),
                "actors": [item.id],
                "introducer": None,
            }
        )
    for o in opportunities:
        agenda.append(
            {
                "kind": _("Introduction to make"),
                "title": " ↔ ".join(a.name for a in o.actors),
                "reason": reasons.opportunity(o, p.lang),
                "actors": [a.id for a in o.actors],
                "introducer": o.introducer.id,
            }
        )
    follow_ups = p.store.list_follow_ups(
        FollowUpFilter(neighbourhood=scope) if scope else FollowUpFilter(), limit=200
    ).items
    names = {a.id: a.name for a in actors_of(p.store, {x for f in follow_ups for x in f.actors})}
    realised = {f.id for f in follow_ups if len(f.actors) == 2 and _linked(p.store, *f.actors)}
    users = p.store.follow_up_takers(scope)
    view = "/views/bridging" + (f"?{urlencode({'neighbourhood': scope})}" if scope else "")
    return p.render(
        "meeting.html",
        status=422 if problems else 200,
        problems=list(problems),
        form=form or {},
        start_item=at_item,
        agenda=agenda,
        follow_ups=follow_ups,
        names=names,
        realised=realised,
        users=users,
        view=view,
        scope=scope or "",
    )


@router.post("/meeting/follow-ups")
async def add_follow_up(p: PageDep, request: Request) -> Response:
    access = p.require()
    fields = await request.form()
    p.check_csrf(str(fields.get(CSRF_FIELD) or ""))
    access.check_writer()
    actors = [str(a) for a in fields.getlist("actor") if str(a)]
    scope = str(fields.get("neighbourhood") or access.team_label or "")
    data = {
        "actors": actors,
        "introducer": str(fields.get("introducer") or "") or None,
        "taken_by": str(fields.get("taken_by") or access.user.name),
        "due": str(fields.get("due") or "") or None,
        "neighbourhood": scope,
        "what": str(fields.get("what") or "") or None,
    }
    try:
        if not data["what"] and not data["due"]:
            raise InvalidInput(
                Say("say what is to be done, or by when"),
                details=[{"field": "what", "message": Say("say what is to be done, or by when")}],
            )
        p.store.create_follow_up(data)
    except MaillageError as exc:  # a bad form (no actor, a date that is not one) says why
        typed = {k: str(fields.get(k) or "") for k in ("taken_by", "due", "what")}
        at = str(fields.get("item") or "0")
        return _meeting_page(
            p,
            scope,
            problems=[problem(exc, p.lang)],
            form=typed,
            at_item=int(at) if at.isdigit() else 0,
        )
    item = str(fields.get("item") or "0")
    return RedirectResponse(
        f"/meeting?{urlencode({'neighbourhood': scope})}#item-{item}", status_code=303
    )


@router.post("/follow-ups/{follow_up_id}/done")
def follow_up_done(
    p: PageDep, follow_up_id: str, csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = ""
) -> Response:
    access = p.require()
    p.check_csrf(csrf_token)
    access.check_writer()
    p.store.update_follow_up(follow_up_id, {"done": True})
    return RedirectResponse("/", status_code=303)
