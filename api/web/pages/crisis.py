"""Crisis lists, for a team on its phones during a heatwave or a flood: a public to reach in the
neighbourhood, every actor that reaches it with its phones and today's hours, the chain from the
team, and who called whom (done, no answer, not yet) in one tap; printable; closed when the
crisis ends and kept in the history."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from babel.dates import get_day_names
from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.crisis import crisis_list
from api.deps import CSRF_FIELD
from api.web.pages.base import (
    N_,
    Page,
    PageDep,
    neighbourhood_names,
    one_tap,
    problem,
    vocabulary_pairs,
)
from graph.errors import MaillageError
from graph.hours import BRUSSELS, by_day, next_open, open_now
from graph.living import phone_text
from graph.model import CrisisCreate, CrisisQuery, Weekday, today

router = APIRouter(include_in_schema=False)

STATES = {"done": N_("done"), "no_answer": N_("no answer"), "not_yet": N_("not yet")}


def _crises_page(
    p: Page, form: dict[str, Any], problems: list[str], status: int = 200
) -> HTMLResponse:
    access = p.require()
    crises = p.store.list_crises(CrisisQuery(), limit=200).items
    return p.render(
        "crises.html",
        status=status,
        crises=crises,
        form=form,
        problems=problems,
        publics=vocabulary_pairs("target_groups", p.lang),
        languages=vocabulary_pairs("languages", p.lang),
        themes=vocabulary_pairs("themes", p.lang),
        places=neighbourhood_names(p.store) if access.sees_everything else [],
        may_write=(access.role.can_write and access.role.value != "viewer" and access.has_team)
        or access.sees_everything,
    )


@router.get("/crisis", response_class=HTMLResponse)
def crises_page(p: PageDep) -> HTMLResponse:
    access = p.require()
    return _crises_page(p, {"neighbourhood": access.team_label or ""}, [])


@router.post("/crisis", response_class=HTMLResponse)
async def open_crisis(p: PageDep, request: Request) -> Response:
    """Open a crisis list: its name, the public to reach, the neighbourhood."""
    access = p.require()
    fields = await request.form()
    p.check_csrf(str(fields.get(CSRF_FIELD) or ""))
    access.check_writer()
    keys = ("name", "target_group", "language", "theme", "neighbourhood")
    form = {k: str(fields.get(k) or "")[:200] for k in keys}
    form["neighbourhood"] = form["neighbourhood"] or access.team_label or ""
    try:
        made = p.store.create_crisis(
            CrisisCreate.model_validate({k: v or None for k, v in form.items()})
        )
    except (HTTPException, MaillageError, ValueError) as exc:
        return _crises_page(p, form, [problem(exc, p.lang)], status=422)
    return RedirectResponse(f"/crisis/{made.id}", status_code=303)


@router.get("/crisis/{crisis_id}", response_class=HTMLResponse)
def crisis_page(p: PageDep, crisis_id: str) -> HTMLResponse:
    access = p.require()
    crisis = p.store.get_crisis(crisis_id)
    listed = crisis_list(p.store, crisis)
    moment = datetime.now(BRUSSELS)
    return p.render(
        "crisis.html",
        c=crisis,
        listed=listed,
        states=STATES,
        phone_text=phone_text,
        open_now=lambda a: open_now(a.hours, moment),
        next_open=lambda a: next_open(a.hours, moment),
        hours_of=by_day,
        day_names=get_day_names("wide", locale=p.lang),
        weekday_index={d: i for i, d in enumerate(Weekday)},
        may_write=access.role.can_write and access.role.value != "viewer"
        and not access.reads_nothing and crisis.until is None,
    )  # fmt: skip


@router.post("/crisis/{crisis_id}/call")
def record_call(
    p: PageDep,
    crisis_id: str,
    actor: Annotated[str, Form(max_length=64)],
    state: Annotated[str, Form(max_length=20)],
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
) -> Response:
    """One tap: the actor called (done), tried (no answer), or back to not yet."""
    return one_tap(p, csrf_token,
                   lambda: p.store.record_call(crisis_id, {"actor": actor, "state": state}),
                   f"/crisis/{crisis_id}#a-{actor}")  # fmt: skip


@router.post("/crisis/{crisis_id}/close")
def close_crisis(
    p: PageDep,
    crisis_id: str,
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
) -> Response:
    """The crisis is over: the list is closed, kept with its calls."""
    return one_tap(p, csrf_token, lambda: p.store.end_crisis(crisis_id, today()),
                   f"/crisis/{crisis_id}")  # fmt: skip
