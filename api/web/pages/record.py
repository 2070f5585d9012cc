"""Recording, made for a phone in the street: a link, an actor, a referral, an activity."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import CSRF_FIELD
from api.scoped import ScopedStore
from api.web.pages.base import (
    CHOOSE,
    Page,
    PageDep,
    neighbourhood_names,
    one_tap,
    picked_actor,
    problem,
    resolve_actor,
)
from graph.errors import Conflict, InvalidInput, MaillageError, NotFound
from graph.lookalike import comparable
from graph.lookalike import look_alikes as similar
from graph.model import (
    ActivityCreate,
    ActorCreate,
    ActorFilter,
    ActorKind,
    LinkCreate,
    LinkType,
    Mission,
    ReferralCreate,
)
from graph.vocabulary import choices

router = APIRouter(include_in_schema=False)


@router.get("/record/link", response_class=HTMLResponse)
def link_form(p: PageDep, source: str = "") -> HTMLResponse:
    p.require().check_writer()
    start = ""
    if source:
        try:
            start = p.store.get_actor(source).name
        except NotFound:
            start = ""
    return p.render(
        "record_link.html",
        form={"source": start},
        problems=[],
        choices={},
        types=[t.value for t in LinkType],
        missions=[m.value for m in Mission],
    )


@router.post("/record/link", response_class=HTMLResponse)
def record_link(
    p: PageDep,
    source: Annotated[str, Form(max_length=300)],
    target: Annotated[str, Form(max_length=300)],
    # checked below with the rest, so that a bad value gives the form back, not a bare 422
    type: Annotated[str, Form(max_length=40)] = "KNOWS",
    mission: Annotated[str, Form(max_length=40)] = "networking",
    strength: Annotated[str, Form(max_length=5)] = "1",
    since: Annotated[str, Form(max_length=10)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
    source_id: Annotated[str, Form(max_length=64)] = "",
    target_id: Annotated[str, Form(max_length=64)] = "",
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
) -> Response:
    access = p.require()
    p.check_csrf(csrf_token)
    access.check_writer()
    _ = p.gettext()
    form = {
        "source": source,
        "target": target,
        "type": type,
        "mission": mission,
        "strength": int(strength) if strength.isdigit() else strength,
        "since": since,
        "note": note,
    }
    problems: list[str] = []
    choices: dict[str, list[Any]] = {}
    ids = {}
    picked = {
        "source": picked_actor(p.store, source_id),
        "target": picked_actor(p.store, target_id),
    }
    for field, typed in (("source", source), ("target", target)):
        if picked[field] is not None:  # chosen among the candidates shown
            ids[field] = picked[field]
            continue
        found, candidates = resolve_actor(p.store, typed)
        if found is None:
            problems.append(
                _("Choose the actor from the list: several or none match “%s”.") % typed
            )
            choices[field] = candidates
        ids[field] = found
    if not problems:
        try:
            data = LinkCreate.model_validate(
                {
                    "source": ids["source"],
                    "target": ids["target"],
                    "type": type,
                    "mission": mission,
                    "strength": strength,
                    "since": since or None,
                    "note": note or None,
                }
            )
            link = p.store.create_link(data)
            return RedirectResponse(f"/actors/{link.source}?recorded={link.id}", status_code=303)
        except (HTTPException, MaillageError, ValueError) as exc:
            problems.append(problem(exc, p.lang))
    return p.render(
        "record_link.html",
        status=422,
        form=form,
        problems=problems,
        choices=choices,
        types=[t.value for t in LinkType],
        missions=[m.value for m in Mission],
    )


@router.get("/record/actor", response_class=HTMLResponse)
def actor_form(p: PageDep) -> HTMLResponse:
    access = p.require()
    access.check_writer()
    return p.render(
        "record_actor.html",
        form={"neighbourhood": access.team_label or ""},
        problems=[],
        similar=[],
        kinds=[k.value for k in ActorKind],
        places=neighbourhood_names(p.store),
        vocabulary={f: choices(f, p.lang) for f in ("themes", "languages")},
    )


def look_alikes(store: ScopedStore, name: str, neighbourhood: str) -> list[Any]:
    """Actors of the neighbourhood whose names look like ``name`` (``graph/lookalike.py``:
    "Apotheek Clemenceau" and "Pharmacie Clemenceau" match)."""
    local = store.list_actors(ActorFilter(neighbourhood=neighbourhood), limit=1000).items
    by_id = {a.id: a for a in local}
    return [by_id[key] for key in similar(name, {a.id: comparable(a.name) for a in local})]


@router.post("/record/actor", response_class=HTMLResponse)
def record_actor(
    p: PageDep,
    name: Annotated[str, Form(max_length=300)],
    kind: Annotated[str, Form(max_length=40)],
    neighbourhood: Annotated[str, Form(max_length=200)],
    themes: Annotated[str, Form(max_length=1000)] = "",
    languages: Annotated[str, Form(max_length=1000)] = "",
    address: Annotated[str, Form(max_length=300)] = "",
    confirmed: Annotated[str, Form(max_length=10)] = "",
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
) -> Response:
    access = p.require()
    p.check_csrf(csrf_token)
    access.check_writer()
    form = {
        "name": name,
        "kind": kind,
        "neighbourhood": neighbourhood,
        "themes": themes,
        "languages": languages,
        "address": address,
    }
    problems: list[str] = []
    similar = [] if confirmed else look_alikes(p.store, name, neighbourhood)
    if not similar:
        try:
            data = ActorCreate.model_validate(
                {
                    "name": name,
                    "kind": kind,
                    "neighbourhood": neighbourhood,
                    "themes": _split(themes),
                    "languages": _split(languages),
                    "address": address or None,
                }
            )
            actor = p.store.create_actor(data)
            return RedirectResponse(f"/actors/{actor.id}?recorded=1", status_code=303)
        except (HTTPException, Conflict, InvalidInput, ValueError) as exc:
            problems.append(problem(exc, p.lang))
    return p.render(
        "record_actor.html",
        status=200 if similar else 422,
        form=form,
        problems=problems,
        similar=similar,
        kinds=[k.value for k in ActorKind],
        places=neighbourhood_names(p.store),
        vocabulary={f: choices(f, p.lang) for f in ("themes", "languages")},
    )


def _split(text: str) -> list[str]:
    return [t.strip() for t in text.replace(";", ",").split(",") if t.strip()]


def _referral_words(p: Page) -> dict[str, str]:
    from api.web.pages.referrals import THEME_WORDS

    _ = p.gettext()
    return {k: _(v) for k, v in THEME_WORDS.items()}


REFERRAL_THEMES = (
    "housing",
    "income",
    "health",
    "mental-health",
    "debt",
    "employment",
    "language",
    "food",
    "education",
    "legal",
)


@router.get("/record/referral", response_class=HTMLResponse)
def referral_form(p: PageDep) -> HTMLResponse:
    access = p.require()
    access.check_writer()
    return p.render(
        "record_referral.html",
        form={"date": date.today().isoformat(), "count": 1},
        problems=[],
        themes=REFERRAL_THEMES,
        theme_words=_referral_words(p),
    )


@router.post("/record/referral", response_class=HTMLResponse)
def record_referral(
    p: PageDep,
    service: Annotated[str, Form(max_length=300)],
    theme: Annotated[str, Form(max_length=40)],
    day_: Annotated[str, Form(alias="date", max_length=10)],
    count: Annotated[str, Form(max_length=5)] = "1",  # checked with the rest: the form back
    outcome: Annotated[str, Form(max_length=20)] = "pending",
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
) -> Response:
    """An anonymous referral: from the user's team to a service — a count, a theme, a date
    and whether the follow-up reached the service; nothing about the person."""
    access = p.require()
    p.check_csrf(csrf_token)
    access.check_writer()
    _ = p.gettext()
    form = {"service": service, "theme": theme, "date": day_, "count": count, "outcome": outcome}
    problems: list[str] = []
    team = access.user.actor_id
    if not team:
        problems.append(_("Your user is not attached to a BAR team: ask a coordinator."))
    found, _choices = resolve_actor(p.store, service)
    if found is None:
        problems.append(_(CHOOSE) % service)
    if not problems:
        try:
            data = ReferralCreate.model_validate(
                {
                    "date": day_,
                    "from_actor": team,
                    "to_actor": found,
                    "theme": theme,
                    "count": count,
                    "outcome": outcome,
                }
            )
            made = p.store.create_referral(data)
            return RedirectResponse(f"/referrals?recorded={made.id}#r-{made.id}", status_code=303)
        except (HTTPException, MaillageError, ValueError) as exc:
            problems.append(problem(exc, p.lang))
    return p.render(
        "record_referral.html",
        status=422,
        form=form,
        problems=problems,
        themes=REFERRAL_THEMES,
        theme_words=_referral_words(p),
    )


@router.get("/record/activity", response_class=HTMLResponse)
def activity_form(p: PageDep) -> HTMLResponse:
    access = p.require()
    access.check_writer()
    form = {"date": date.today().isoformat(), "neighbourhood": access.team_label or ""}
    return p.render(
        "record_activity.html",
        form=form,
        problems=[],
        participants=[""] * 6,
        places=neighbourhood_names(p.store),
        vocabulary=_activity_words(p.lang),
    )


def _activity_words(lang: str) -> dict[str, list[str]]:
    return {f: choices(f, lang) for f in ("target_groups", "languages")}


@router.post("/record/activity", response_class=HTMLResponse)
async def record_activity(p: PageDep, request: Request) -> Response:
    """A collective (mission 3) or community (mission 4) action and the actors who took part."""
    access = p.require()
    fields = await request.form()
    p.check_csrf(str(fields.get(CSRF_FIELD) or ""))
    access.check_writer()
    _ = p.gettext()
    typed = [str(v) for v in fields.getlist("participant") if str(v).strip()][:100]
    named = ("name", "mission", "date", "neighbourhood", "attendance", "publics", "languages",
             "initiator")  # fmt: skip
    form = {k: str(fields.get(k) or "")[:1000] for k in named}
    problems: list[str] = []
    ids = [access.user.actor_id] if access.user.actor_id else []
    for name in typed:
        found, _choices = resolve_actor(p.store, name)
        if found is None:
            problems.append(_(CHOOSE) % name)
        elif found not in ids:
            ids.append(found)
    leading = []
    if form["initiator"].strip():
        found, _choices = resolve_actor(p.store, form["initiator"])
        if found is None:
            problems.append(_(CHOOSE) % form["initiator"])
        else:
            leading.append(found)
            ids += [] if found in ids else [found]
    if not problems:
        try:
            data = ActivityCreate.model_validate(
                {
                    "name": form["name"],
                    "mission": form["mission"],
                    "since": form["date"] or None,
                    "neighbourhood": form["neighbourhood"],
                    "participants": ids,
                    "initiators": leading,
                    "attendance": form["attendance"].strip() or None,
                    "target_groups": _split(form["publics"]),
                    "languages": _split(form["languages"]),
                }
            )
            made = p.store.create_activity(data)
            return RedirectResponse(f"/?recorded=activity&id={made.id}", status_code=303)
        except (HTTPException, MaillageError, ValueError) as exc:
            problems.append(problem(exc, p.lang))
    participants = typed + [""] * max(0, 6 - len(typed))
    return p.render(
        "record_activity.html",
        status=422,
        form=form,
        problems=problems,
        participants=participants,
        places=neighbourhood_names(p.store),
        vocabulary=_activity_words(p.lang),
    )


@router.post("/activities/{activity_id}/retract")
def retract_activity(
    p: PageDep,
    activity_id: str,
    reason: Annotated[str, Form(max_length=500)] = "",
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
) -> Response:
    """Undo an activity just recorded (recorded by mistake): retracted, as the policy allows."""
    return one_tap(p, csrf_token, lambda: p.store.retract_activity(activity_id, reason=reason),
                   "/?recorded=undone")  # fmt: skip
