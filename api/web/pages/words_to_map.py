"""The words the vocabulary lacks, for a coordinator to map: each theme, public, language or
subtype typed as free text, how many actors use it, and a form to say which word of the list
it means (every actor using it is then changed, one event each)."""

from __future__ import annotations

from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import CSRF_FIELD
from api.web.pages.base import N_, Page, PageDep, problem
from graph.errors import MaillageError, Say
from graph.model import Actor, ActorQuery
from graph.vocabulary import LISTS, code_of, known, label

router = APIRouter(include_in_schema=False)
FIELDS = {
    "themes": N_("Themes"),
    "target_groups": N_("Target groups"),
    "languages": N_("Languages"),
    "subtypes": N_("Subtype"),
}


def _actors(p: Page) -> list[Actor]:
    return p.store.every_actor(ActorQuery())


def _words(actor: Actor, field: str) -> list[str]:
    if field == "subtypes":
        return [actor.subtype] if actor.subtype else []
    return list(getattr(actor, field))


@router.get("/vocabulary", response_class=HTMLResponse)
def words_page(p: PageDep, problems: list[str] | None = None) -> HTMLResponse:
    p.require().check_coordinator(Say("map the words of the vocabulary"))
    actors = _actors(p)
    unknown = {
        field: sorted(
            Counter(w for a in actors for w in _words(a, field) if not known(field, w)).items()
        )
        for field in FIELDS
    }
    options = {
        field: sorted((label(field, c, p.lang), c) for c in LISTS[field])
        for field in FIELDS
        if field in LISTS
    }
    return p.render(
        "vocabulary.html",
        status=422 if problems else 200,
        problems=problems or [],
        unknown=unknown,
        fields=FIELDS,
        options=options,
    )


@router.post("/vocabulary")
def map_word(
    p: PageDep,
    field: Annotated[str, Form(max_length=20)],
    word: Annotated[str, Form(max_length=200)],
    means: Annotated[str, Form(max_length=200)],
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
) -> Response:
    p.require().check_coordinator(Say("map the words of the vocabulary"))
    p.check_csrf(csrf_token)
    _ = p.gettext()
    if field not in FIELDS or not means.strip():
        return words_page(p, [_("Choose what the word means.")])
    target = code_of(field, means)
    try:
        for actor in _actors(p):
            words = _words(actor, field)
            if word not in words:
                continue
            if field == "subtypes":
                p.store.update_actor(actor.id, {"subtype": target})
            else:
                mapped = [target if w == word else w for w in words]
                p.store.update_actor(actor.id, {field: list(dict.fromkeys(mapped))})
    except MaillageError as exc:
        return words_page(p, [problem(exc, p.lang)])
    return RedirectResponse("/vocabulary?mapped=1", status_code=303)
