"""Correcting an actor from its page: every field (the phone first), "still true" in one tap,
and an undo of the change just saved. After each write the actor's page says what was
recorded, by name."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from babel.dates import get_day_names
from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import CSRF_FIELD
from api.web.pages.base import N_, Page, PageDep, latest_events, problem, wrong_fields
from graph.errors import Conflict, InvalidInput, MaillageError, NotFound, Say
from graph.model import (
    Actor,
    ActorKind,
    ActorStatus,
    ActorUpdate,
    Cost,
    Event,
    EventAction,
    EventFilter,
    PhoneLabel,
    SaturationState,
    Weekday,
    now,
)
from graph.vocabulary import SUBTYPES_BY_KIND, choices, label, labels

router = APIRouter(include_in_schema=False)

PHONE_LABELS = {
    PhoneLabel.reception: N_("Reception"),
    PhoneLabel.mobile: N_("Mobile"),
    PhoneLabel.whatsapp: N_("WhatsApp"),
    PhoneLabel.helpline: N_("Helpline"),
    PhoneLabel.fax: N_("Fax"),
}
COSTS = {Cost.free: N_("Free"), Cost.paying: N_("Paying"), Cost.sliding_scale: N_("Sliding scale")}
SATURATION = {
    SaturationState.accepting: N_("Takes new people"),
    SaturationState.waiting_list: N_("Waiting list"),
    SaturationState.closed: N_("Closed to new people"),
}
#: the rows a form offers beyond those filled: a phone, an opening, a contact person more
SPARE = {"phones": 2, "hours": 3, "contacts": 1}
UNDO_HOURS = 24


def _split(text: str) -> list[str]:
    return [t.strip() for t in text.replace(";", ",").split(",") if t.strip()]


def _rows(*columns: list[str]) -> list[tuple[str, ...]]:
    """The form's repeated fields as rows, the empty ones left out."""
    return [row for row in zip(*columns, strict=False) if any(v.strip() for v in row)]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


@router.get("/actors/{actor_id}/edit", response_class=HTMLResponse)
def edit_form(p: PageDep, actor_id: str) -> HTMLResponse:
    p.require().check_writer()
    try:
        actor = p.store.get_actor(actor_id)
    except NotFound:
        return p.render("message.html", status=404, message=p.gettext()("No such actor."))
    return _render(p, actor, _form_of(actor, p.lang), [], set())


def _form_of(actor: Actor, lang: str) -> dict[str, Any]:
    """What the form shows for a recorded actor (the same shape as what it sends back; the
    vocabulary's words in the reader's language, taken back as codes)."""
    access = actor.access
    return {
        "name": actor.name,
        "kind": actor.kind.value,
        "neighbourhood": actor.neighbourhood,
        "status": actor.status.value,
        "since": actor.since.isoformat() if actor.since else "",
        "consent_date": actor.consent_date.isoformat() if actor.consent_date else "",
        "latitude": "" if actor.latitude is None else str(actor.latitude),
        "longitude": "" if actor.longitude is None else str(actor.longitude),
        "subtype": labels("subtypes", [actor.subtype], lang) if actor.subtype else "",
        "address": actor.address or "",
        "description": actor.description or "",
        "themes": labels("themes", actor.themes, lang),
        "languages": labels("languages", actor.languages, lang),
        "target_groups": labels("target_groups", actor.target_groups, lang),
        "email": actor.email or "",
        "website": actor.website or "",
        "phones": [(x.label.value, x.number) for x in actor.phones],
        "hours": [
            (
                h.day.value,
                h.opens,
                h.closes,
                "yes" if h.walk_in else "no",
                h.note or "",
            )
            for h in actor.hours
        ],
        "contacts": [(c.name, c.role or "", c.phone or "", c.email or "") for c in actor.contacts],
        "cost": access.cost.value if access and access.cost else "",
        "appointment": ""
        if not access or access.appointment is None
        else ("yes" if access.appointment else "no"),
        "documents": access.documents or "" if access else "",
        "desk_languages": labels("languages", access.desk_languages, lang) if access else "",
        "wheelchair": ""
        if not access or access.wheelchair is None
        else ("yes" if access.wheelchair else "no"),
        "saturation": actor.saturation.state.value if actor.saturation else "",
        "weeks": str(actor.saturation.weeks or "") if actor.saturation else "",
    }


def _render(
    p: Page, actor: Actor, form: dict[str, Any], problems: list[str], wrong: set[str]
) -> HTMLResponse:
    return p.render(
        "actor_edit.html",
        status=422 if problems else 200,
        actor=actor,
        form=form,
        problems=problems,
        wrong=wrong,
        spare=SPARE,
        phone_labels=PHONE_LABELS,
        costs=COSTS,
        saturation_states=SATURATION,
        weekdays=list(Weekday),
        day_names=get_day_names("wide", locale=p.lang),
        vocabulary={f: choices(f, p.lang) for f in ("themes", "languages", "target_groups")},
        subtypes=sorted(
            label("subtypes", c, p.lang) for c in SUBTYPES_BY_KIND.get(actor.kind.value, {})
        ),
        key_resident=actor.kind is ActorKind.key_resident,
        kinds=[k.value for k in ActorKind if k is not ActorKind.key_resident]
        if actor.kind is not ActorKind.key_resident
        else [ActorKind.key_resident.value],
        statuses=[s.value for s in ActorStatus],
        places=sorted(n.name for n in p.store.list_neighbourhoods(limit=500).items),
    )


@router.post("/actors/{actor_id}/edit", response_class=HTMLResponse)
def save(
    p: PageDep,
    actor_id: str,
    name: Annotated[str, Form(max_length=300)],
    kind: Annotated[str, Form(max_length=40)] = "",
    neighbourhood: Annotated[str, Form(max_length=200)] = "",
    status: Annotated[str, Form(max_length=20)] = "",
    since: Annotated[str, Form(max_length=10)] = "",
    consent_date: Annotated[str, Form(max_length=10)] = "",
    latitude: Annotated[str, Form(max_length=20)] = "",
    longitude: Annotated[str, Form(max_length=20)] = "",
    subtype: Annotated[str, Form(max_length=300)] = "",
    address: Annotated[str, Form(max_length=300)] = "",
    description: Annotated[str, Form(max_length=5000)] = "",
    themes: Annotated[str, Form(max_length=2000)] = "",
    languages: Annotated[str, Form(max_length=1000)] = "",
    target_groups: Annotated[str, Form(max_length=2000)] = "",
    email: Annotated[str, Form(max_length=300)] = "",
    website: Annotated[str, Form(max_length=300)] = "",
    phone_label: Annotated[list[str], Form(max_length=20)] = [],  # noqa: B006 - FastAPI's way
    phone_number: Annotated[list[str], Form(max_length=20)] = [],  # noqa: B006
    hours_day: Annotated[list[str], Form(max_length=60)] = [],  # noqa: B006
    hours_opens: Annotated[list[str], Form(max_length=60)] = [],  # noqa: B006
    hours_closes: Annotated[list[str], Form(max_length=60)] = [],  # noqa: B006
    hours_walk_in: Annotated[list[str], Form(max_length=60)] = [],  # noqa: B006
    hours_note: Annotated[list[str], Form(max_length=60)] = [],  # noqa: B006
    contact_name: Annotated[list[str], Form(max_length=25)] = [],  # noqa: B006
    contact_role: Annotated[list[str], Form(max_length=25)] = [],  # noqa: B006
    contact_phone: Annotated[list[str], Form(max_length=25)] = [],  # noqa: B006
    contact_email: Annotated[list[str], Form(max_length=25)] = [],  # noqa: B006
    cost: Annotated[str, Form(max_length=40)] = "",
    appointment: Annotated[str, Form(max_length=5)] = "",
    documents: Annotated[str, Form(max_length=300)] = "",
    desk_languages: Annotated[str, Form(max_length=1000)] = "",
    wheelchair: Annotated[str, Form(max_length=5)] = "",
    saturation: Annotated[str, Form(max_length=40)] = "",
    weeks: Annotated[str, Form(max_length=5)] = "",
    checked: Annotated[str, Form(max_length=5)] = "",
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
) -> Response:
    """Save the form: one change (one event), then "still true" when the box is ticked. A
    refusal gives the form again as typed, the wrong fields marked, nothing saved."""
    p.require().check_writer()
    p.check_csrf(csrf_token)
    try:
        actor = p.store.get_actor(actor_id)
    except NotFound:
        return p.render("message.html", status=404, message=p.gettext()("No such actor."))
    phones = [(label, n) for label, n in _rows(phone_label, phone_number) if n.strip()]
    hours = _rows(hours_day, hours_opens, hours_closes, hours_walk_in, hours_note)
    contacts = _rows(contact_name, contact_role, contact_phone, contact_email)
    form = {
        "name": name,
        "kind": kind or actor.kind.value,
        "neighbourhood": neighbourhood or actor.neighbourhood,
        "status": status or actor.status.value,
        "since": since,
        "consent_date": consent_date,
        "latitude": latitude,
        "longitude": longitude,
        "subtype": subtype,
        "address": address,
        "description": description,
        "themes": themes,
        "languages": languages,
        "target_groups": target_groups,
        "email": email,
        "website": website,
        "phones": phones,
        "hours": [h for h in hours if any(v.strip() for v in (h[1], h[2], h[4]))],
        "contacts": contacts,
        "cost": cost,
        "appointment": appointment,
        "documents": documents,
        "desk_languages": desk_languages,
        "wheelchair": wheelchair,
        "saturation": saturation,
        "weeks": weeks,
    }
    changes: dict[str, Any] = {
        "name": name,
        "kind": kind or actor.kind.value,
        "neighbourhood": neighbourhood or actor.neighbourhood,
        "since": since or None,
        "latitude": latitude.replace(",", ".") or None,
        "longitude": longitude.replace(",", ".") or None,
        "subtype": subtype or None,
        "address": address or None,
        "description": description or None,
        "themes": _split(themes),
        "languages": _split(languages),
        "target_groups": _split(target_groups),
    }
    today = now().date().isoformat()  # a contact person checked today, when the box says so
    confirmed = {c.name: c.confirmed.isoformat() if c.confirmed else None for c in actor.contacts}
    if status and not actor.until:  # an ended actor is reopened, not given a status
        changes["status"] = status
    if actor.kind is ActorKind.key_resident:
        changes["consent_date"] = consent_date or None
    if actor.kind is not ActorKind.key_resident:  # a person: no ways to reach them
        access = {
            "cost": cost or None,
            "appointment": _yes_no(appointment),
            "documents": documents or None,
            "desk_languages": _split(desk_languages),
            "wheelchair": _yes_no(wheelchair),
        }
        changes |= {
            "email": email or None,
            "website": website or None,
            "phones": [{"label": label or "reception", "number": n} for label, n in phones],
            "hours": [
                {"day": d, "opens": o, "closes": c, "walk_in": w != "no", "note": note or None}
                for d, o, c, w, note in form["hours"]
            ],
            "contacts": [
                {
                    "name": n,
                    "role": r or None,
                    "phone": ph or None,
                    "email": e or None,
                    "confirmed": today if checked else confirmed.get(n),
                }
                for n, r, ph, e in contacts
            ],
            "access": access if any(v not in (None, []) for v in access.values()) else None,
            "saturation": _saturation(saturation, weeks, actor),
        }
    try:
        update = ActorUpdate.model_validate(changes)
        after = p.store.update_actor(actor_id, update)
        if checked:
            after = p.store.confirm_actor(actor_id)
    except (InvalidInput, Conflict, ValueError) as exc:
        return _render(p, actor, form, [problem(exc, p.lang)], wrong_fields(exc))
    return RedirectResponse(f"/actors/{after.id}?saved=1", status_code=303)


def _saturation(state: str, weeks: str, actor: Actor) -> dict[str, Any] | None:
    """The saturation as the form gives it, dated today when it changed."""
    if not state:
        return None
    number = int(weeks) if weeks.strip().isdigit() else None
    before = actor.saturation
    if before is not None and before.state.value == state and before.weeks == number:
        return before.model_dump(mode="json")  # unchanged: it keeps its date
    return {"state": state, "weeks": number, "noted": now().date().isoformat()}


def latest_change(p: Page, actor_id: str) -> Event | None:
    """The actor's latest change, passing over a "still true" given with it."""
    events = latest_events(p.store, EventFilter(entity_id=actor_id), 2)
    while events and events[0].action is EventAction.confirm:
        events.pop(0)
    return events[0] if events else None


@router.post("/actors/{actor_id}/undo")
def undo(
    p: PageDep,
    actor_id: str,
    event: Annotated[str, Form(max_length=64)],
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
) -> Response:
    """Undo the change just saved: the fields it changed get their values before it (a new
    event: the history keeps both). Only the latest change of this actor, by this user,
    within a day."""
    access = p.require()
    access.check_writer()
    p.check_csrf(csrf_token)
    _ = p.gettext()
    try:
        last = latest_change(p, actor_id)
        if (
            last is None
            or last.id != event
            or last.user != access.user.name
            or last.action is not EventAction.update
            or now() - last.at > timedelta(hours=UNDO_HOURS)
            or last.before is None
        ):
            raise Conflict(_("Only your latest change of this actor, within a day, can be undone."))
        after = last.after or {}
        changed = {
            field: last.before.get(field)
            for field in ActorUpdate.model_fields
            if last.before.get(field) != after.get(field)
        }
        p.store.update_actor(actor_id, changed)
    except (MaillageError, ValueError) as exc:
        from api.web.pages.directory import _actor_page

        return _actor_page(p, actor_id, None, [problem(exc, p.lang)])
    return RedirectResponse(f"/actors/{actor_id}?undone=1", status_code=303)


@router.post("/actors/{actor_id}/links/{link_id}/{action}")
def link_action(
    p: PageDep,
    actor_id: str,
    link_id: str,
    action: str,
    reason: Annotated[str, Form(max_length=500)] = "",
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
) -> Response:
    """End a link today, or retract one recorded by mistake, from its row on an actor's page
    (the policy as for the API: the scoped store applies it). The page then says which."""
    p.require().check_writer()
    p.check_csrf(csrf_token)
    try:
        if action == "end":
            p.store.end_link(link_id, now().date())
        elif action == "retract":
            p.store.retract_link(link_id, reason=reason)
        else:
            raise NotFound(Say("no such action"))
    except (MaillageError, ValueError) as exc:
        from api.web.pages.directory import _actor_page

        return _actor_page(p, actor_id, None, [problem(exc, p.lang)])
    return RedirectResponse(f"/actors/{actor_id}?link_{action}=1", status_code=303)
