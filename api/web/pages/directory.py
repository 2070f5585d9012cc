"""Home, the directory and an actor's page (with ending, reopening, retracting and erasing)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from babel.dates import get_day_names
from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from api.deps import CSRF_FIELD
from api.web.pages.actor_edit import COSTS, PHONE_LABELS, SATURATION, latest_change
from api.web.pages.base import (
    PAGE_SIZE,
    FormDate,
    Page,
    PageDep,
    actors_of,
    latest_events,
    problem,
    wrong_fields,
)
from api.web.pages.living import count_to_check
from api.web.words import ids_named, sentence
from graph.errors import InvalidInput, MaillageError, NotFound, Say
from graph.hours import by_day, next_open, open_now
from graph.living import days_of, phone_text, to_check
from graph.lookalike import other_words
from graph.model import (
    ActorKind,
    ActorQuery,
    ActorStatus,
    EventFilter,
    FollowUpFilter,
    LinkFilter,
    Weekday,
    normalise_name,
    now,
)
from graph.model import Page as Listing
from graph.validation import validate
from graph.vocabulary import choices

router = APIRouter(include_in_schema=False)


# --------------------------------------------------------------------------- home, directory


@router.get("/", response_class=HTMLResponse)
def home(p: PageDep) -> HTMLResponse:
    access = p.require()
    team = None
    if access.user.actor_id:
        try:
            team = p.store.get_actor(access.user.actor_id)
        except NotFound:
            team = None
    recent: list[str] = []
    if access.role.value != "viewer":  # the user's own latest records, newest first
        events = latest_events(p.store, EventFilter(user=access.user.name), 5)
        named = {a.id: a.name for a in actors_of(p.store, ids_named(events))}
        _ = p.gettext()
        recent = [sentence(e, access.user.name, named, _, p.lang) for e in events]
    mine = p.store.list_follow_ups(
        FollowUpFilter(taken_by=access.user.name, done=False), limit=50
    ).items
    names = {a.id: a.name for a in actors_of(p.store, {x for f in mine for x in f.actors})}
    stale = count_to_check(p) if access.role.value in ("bar", "coordinator", "admin") else 0
    recorded = p.request.query_params.get("recorded", "")
    activity = None
    if recorded == "activity":  # what was recorded, by name, with an undo
        try:
            activity = p.store.get_activity(p.request.query_params.get("id", ""))
        except (NotFound, MaillageError):
            activity = None
    return p.render(
        "home.html",
        team=team,
        recent=recent,
        follow_ups=mine,
        names=names,
        stale=stale,
        recorded=recorded if recorded in ("referral", "activity", "undone") else "",
        activity=activity,
    )


@router.get("/actors", response_class=HTMLResponse)
def directory(p: PageDep, request: Request) -> HTMLResponse:
    """The directory and its search form. A value the form cannot take (a date that is not
    one, a kind not in the list) gives the same page, the form kept, the field marked and a
    sentence in the reader's language."""
    p.require()
    typed = {k: v for k, v in request.query_params.items() if k in ActorQuery.model_fields}
    if " — " in typed.get("q", ""):  # a suggestion, "name — neighbourhood": the name
        typed["q"] = typed["q"].split(" — ")[0]
    problems: list[str] = []
    wrong: set[str] = set()
    page_number = 1
    try:
        page_number = max(1, min(100_000, int(request.query_params.get("page") or 1)))
        query = validate(ActorQuery, typed)
        found = _search(p, query, page_number)
        asked = {k: v for k, v in query.model_dump(mode="json").items() if v not in (None, "")}
    except (InvalidInput, ValueError) as exc:
        problems.append(problem(exc, p.lang))
        wrong = wrong_fields(exc)
        found = Listing(items=[], total=0, limit=PAGE_SIZE, offset=0)
        asked = {k: v for k, v in typed.items() if v}
    pages = max(1, -(-found.total // PAGE_SIZE))

    def link_to(number: int) -> str:
        return "/actors?" + urlencode({**asked, "page": number})

    shown = {**asked, **{k: v for k, v in typed.items() if v}}  # the words typed, not codes
    return p.render(
        "directory.html",
        status=422 if problems else 200,
        found=found,
        asked=shown,
        vocabulary={f: choices(f, p.lang) for f in ("themes", "languages", "target_groups")},
        problems=problems,
        wrong=wrong,
        kinds=[k.value for k in ActorKind],
        statuses=[s.value for s in ActorStatus],
        page_number=page_number,
        pages=pages,
        link_to=link_to,
    )


SEARCHED = 500  # actors read per wording when a search also asks the other language's words


def _search(p: Page, query: ActorQuery, page_number: int) -> Listing[Any]:
    """A page of the directory. A name search with a Brussels place word asks its pair in the
    other language too ("apotheek" finds "Pharmacie Bara"): both answers merged, by name."""
    start = (page_number - 1) * PAGE_SIZE
    others = other_words(query.q) if query.q else []
    if not others:
        return p.store.list_actors(query, limit=PAGE_SIZE, offset=start)
    merged: dict[str, Any] = {}
    for words in [query.q, *others]:
        asked = query.model_copy(update={"q": words})
        for actor in p.store.list_actors(asked, limit=SEARCHED).items:
            merged.setdefault(actor.id, actor)
    ordered = sorted(merged.values(), key=lambda a: normalise_name(a.name))
    return Listing(
        items=ordered[start : start + PAGE_SIZE], total=len(ordered), limit=PAGE_SIZE, offset=start
    )


@router.get("/actors/{actor_id}", response_class=HTMLResponse)
def actor_page(
    p: PageDep, actor_id: str, as_of: Annotated[str, Query(max_length=40)] = ""
) -> HTMLResponse:
    day_: date | None = None
    problems: list[str] = []
    if as_of.strip():
        try:
            day_ = validate(_AsOf, {"as_of": as_of}).as_of
        except MaillageError as exc:
            problems.append(problem(exc, p.lang))
    return _actor_page(p, actor_id, day_, problems)


class _AsOf(BaseModel):
    as_of: FormDate = None


def _actor_page(
    p: Page, actor_id: str, as_of: date | None, problems: list[str], status: int = 200
) -> HTMLResponse:
    """An actor's page; after a refused change, with the sentence saying why."""
    access = p.require()
    try:  # an actor the reader may not see answers as an unknown one does
        actor = p.store.get_actor(actor_id)
    except NotFound:
        _ = p.gettext()
        return p.render("message.html", status=404, message=_("No such actor."))
    links = p.store.list_links(LinkFilter(actor=actor_id, as_of=as_of), limit=200).items
    others = {
        a.id: a
        for a in actors_of(p.store, {x for link in links for x in (link.source, link.target)})
    }
    history: list[str] = []
    if access.sees_everything or access.role.value == "bar":  # newest first, in words
        events = latest_events(p.store, EventFilter(actor=actor_id), 50)
        named = {a.id: a.name for a in actors_of(p.store, ids_named(events))} | {
            actor.id: actor.name
        }
        _ = p.gettext()
        history = [sentence(e, access.user.name, named, _, p.lang) for e in events]
    may_write = access.may_write_in(actor.neighbourhood) and access.role.value != "viewer"
    asked = p.request.query_params
    change = latest_change(p, actor_id) if may_write and asked.get("saved") else None
    moment = now()
    return p.render(
        "actor.html",
        saved=bool(asked.get("saved")),
        recorded=asked.get("recorded", ""),
        recorded_link=next((x for x in links if x.id == asked.get("recorded")), None),
        link_done={"end": bool(asked.get("link_end")), "retract": bool(asked.get("link_retract"))},
        undone=bool(asked.get("undone")),
        confirmed=bool(asked.get("confirmed")),
        change=change if change and change.user == access.user.name else None,
        open_at=open_now(actor.hours, moment),
        opens_next=next_open(actor.hours, moment),
        hours=by_day(actor.hours),
        day_names=get_day_names("wide", locale=p.lang),
        weekday_index={d: i for i, d in enumerate(Weekday)},
        phone_labels=PHONE_LABELS,
        costs=COSTS,
        saturation_states=SATURATION,
        phone_text=phone_text,
        stale=to_check(actor, moment.date(), days_of(p.request.app.state.settings.confirm_months)),
        status=422 if problems and status == 200 else status,
        problems=problems,
        actor=actor,
        links=links,
        others=others,
        history=history,
        may_write=may_write,
        may_erase=access.sees_everything,
        as_of=as_of,
    )


@router.post("/actors/{actor_id}/{action}")
def actor_action(
    p: PageDep,
    actor_id: str,
    action: str,
    until: Annotated[str, Form(max_length=10)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
    back: Annotated[str, Form(max_length=200)] = "",
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
) -> Response:
    """End, reopen, retract or (coordinators and admins) erase an actor from its page, as the
    policy allows (the scoped store applies it, as for the API)."""
    p.require()
    p.check_csrf(csrf_token)
    try:
        if action == "end":
            day_ = date.fromisoformat(until) if until else date.today()
            p.store.end_actor(actor_id, day_)
        elif action == "reopen":
            p.store.reopen_actor(actor_id)
        elif action == "confirm":
            p.store.confirm_actor(actor_id)
            if back == "/to-check":  # the round goes on with the next actor
                return RedirectResponse("/to-check", status_code=303)
            return RedirectResponse(f"/actors/{actor_id}?confirmed=1", status_code=303)
        elif action == "retract":
            p.store.retract_actor(actor_id, reason=reason)
            return RedirectResponse("/actors", status_code=303)
        elif action == "erase":
            p.store.erase_actor(actor_id, reason=reason)
            return RedirectResponse("/actors", status_code=303)
        else:
            raise HTTPException(404, Say("no such action"))
    except (MaillageError, ValueError) as exc:  # the actor's page again, saying why
        return _actor_page(p, actor_id, None, [problem(exc, p.lang)])
    return RedirectResponse(f"/actors/{actor_id}", status_code=303)
