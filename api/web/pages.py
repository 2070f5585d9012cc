"""The web pages, at ``/``: log in, home, the directory, an actor's page, recording an actor or
a link (made for a phone in the street), who knows whom, and the graph views.

Server-rendered with Jinja2 (autoescape on), every script and style served from the package,
in French, Dutch or English. Pages log in with the session cookie of ``/api/v1/auth/session``
(HttpOnly, SameSite=Lax); every form carries the session's CSRF token, checked by the same
dependency as the API's. Pages read and write through the port and the access policy only.
"""

from __future__ import annotations

import csv
import hmac
import io
import os
import re
import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from pydantic import BeforeValidator, ValidationError
from rapidfuzz import fuzz, process

from analysis.reach import bar_team_of, reach
from api.analyses import REGISTRY
from api.deps import CSRF_FIELD, SESSION_COOKIE, get_store
from api.policy import Access, access_of
from api.scoped import ScopedStore
from api.security import csrf_token, token_hash
from api.views import ViewName, build_view
from api.web import reasons
from api.web.i18n import COOKIE, LANGS, Lang, choose, day, number, say, translations
from graph.dates import add_months
from graph.errors import Conflict, InvalidInput, MaillageError, NotFound, Say
from graph.model import (
    ActivityCreate,
    ActorCreate,
    ActorFilter,
    ActorKind,
    ActorQuery,
    ActorStatus,
    Day,
    EventFilter,
    FollowUpFilter,
    LinkCreate,
    LinkFilter,
    LinkType,
    Mission,
    ReferralCreate,
    normalise_name,
)
from graph.store import GraphStore
from graph.validation import field_errors
from ingest.export import safe_cell
from viz import render as render_view
from viz.charts import line_chart
from viz.text import KINDS, LINKS

HERE = Path(__file__).parent
PAGE_SIZE = 25
LOOK_ALIKE = 85  # rapidfuzz token_set_ratio, on normalised names


def N_(message: str) -> str:
    """Marks a message for the catalogues; it is translated where it is shown."""
    return message


CHOOSE = N_("Choose the actor from the list: several or none match “%s”.")

router = APIRouter(include_in_schema=False)
#: a date field of a page's form: cleared, it is no date (a browser sends ``start=``)
FormDay = Annotated[
    Day | None,
    BeforeValidator(lambda v: None if isinstance(v, str) and not v.strip() else v),
    Query(),
]
RawStore = Annotated[GraphStore, Depends(get_store)]


class LoginNeeded(Exception):
    """Raised by a page when nobody is logged in: the app answers with a redirect."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


ENV = _environment()


class Page:
    """What every page needs: who is there, their rights, their language, their CSRF token,
    and the store as they may reach it (:attr:`store`, an :class:`api.scoped.ScopedStore`).
    The raw store stays private: it serves the session (who is logged in, logging out)."""

    def __init__(self, request: Request, raw: GraphStore) -> None:
        self.request = request
        self._sessions = raw
        self.token = request.cookies.get(SESSION_COOKIE)
        user = raw.user_for_token(token_hash(self.token)) if self.token else None
        self.access: Access | None = access_of(user, raw) if user else None
        self._scoped = ScopedStore(raw, self.access) if self.access else None
        # the language asked for (?lang=) is kept in a cookie, on this device; a GET never
        # changes the stored account (the switch of a logged-in user posts to /language)
        self.lang: Lang = choose(request, user.lang if user else None)

    @property
    def store(self) -> ScopedStore:
        """The store as the logged-in user may reach it (a visitor is sent to log in)."""
        if self._scoped is None:
            raise LoginNeeded(str(self.request.url.path))
        return self._scoped

    def log_in(self, request: Request, response: Response, username: str, password: str) -> None:
        from api.routes.auth import session

        session(request, response, self._sessions, username, password)

    def here(self) -> str:
        """This page's address without its ``lang``: where the language switch comes back."""
        kept = [(k, v) for k, v in self.request.query_params.multi_items() if k != "lang"]
        return self.request.url.path + (f"?{urlencode(kept)}" if kept else "")

    def remember_language(self, lang: str) -> None:
        """The user's choice, stored for their account (a POST with the session's CSRF)."""
        if self.access is not None and lang in LANGS and self.access.user.lang != lang:
            name = self.access.user.name
            self._sessions.update_user(name, {"lang": lang}, by=name)

    def log_out(self) -> None:
        if self.token:
            self._sessions.revoke_token(token_hash(self.token))

    @property
    def logged_in(self) -> bool:
        return self.access is not None

    def require(self) -> Access:
        if self.access is None:
            raise LoginNeeded(str(self.request.url.path))
        return self.access

    def check_csrf(self, sent: str) -> None:
        if not self.token or not hmac.compare_digest(sent or "", csrf_token(self.token)):
            raise HTTPException(403, Say("this form is out of date or not ours: reload the page"))

    def gettext(self) -> Callable[[str], str]:
        return translations(self.lang).gettext

    def ngettext(self) -> Callable[[str, str, int], str]:
        return translations(self.lang).ngettext

    def render(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        _ = self.gettext()
        access = self.access
        html = ENV.get_template(template).render(
            _=_,
            ngettext=self.ngettext(),
            lang=self.lang,
            langs=LANGS,
            day=lambda value: day(value, self.lang),
            num=lambda value: number(value, self.lang),
            kind_label=lambda kind: KINDS.get(str(kind), {}).get(self.lang, str(kind)),
            say=lambda text: say(text, self.lang),
            link_label=lambda t: LINKS.get(str(t), {}).get(self.lang, str(t)),
            user=access.user if access else None,
            can_write=bool(
                access
                and access.role.can_write
                and access.role.value != "viewer"
                and not access.reads_nothing
            ),
            no_team=bool(access and access.reads_nothing),
            csrf=csrf_token(self.token) if self.token and access else "",
            path=self.request.url.path,
            query_items=list(self.request.query_params.multi_items()),
            here=self.here(),
            **context,
        )
        response = HTMLResponse(html, status_code=status)
        if self.request.query_params.get("lang") in LANGS:
            response.set_cookie(COOKIE, self.lang, max_age=365 * 86400, samesite="lax")
        return response


def page(request: Request, store: RawStore) -> Page:
    return Page(request, store)


PageDep = Annotated[Page, Depends(page)]


# --------------------------------------------------------------------------- logging in


LOGIN_COOKIE = "maillage_login"  # the login form's own secret, before there is a session


def _login_page(
    p: Page, next_url: str, error: str | None = None, status: int = 200
) -> HTMLResponse:
    """The login form, with a CSRF token bound to a cookie of its own (login CSRF: another
    site cannot log a browser into an account of its choosing)."""
    secret = p.request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(32)
    answer = p.render(
        "login.html",
        status=status,
        next=_safe_next(next_url),
        error=error,
        login_csrf=csrf_token(f"login|{secret}"),
    )
    answer.set_cookie(
        LOGIN_COOKIE, secret, max_age=86400, path="/login", httponly=True, samesite="strict",
        secure=p.request.url.scheme == "https",
    )  # fmt: skip
    return answer


def _same_origin(request: Request) -> bool:
    """A form posted from this site (browsers send ``Origin`` with every POST)."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    return origin.split("://", 1)[-1] == request.headers.get("host", "")


@router.get("/login", response_class=HTMLResponse)
def login_form(p: PageDep, next: str = "/") -> HTMLResponse:
    return _login_page(p, next)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    p: PageDep,
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form(max_length=300)] = "/",
    csrf_token_: Annotated[str, Form(alias=CSRF_FIELD, max_length=200)] = "",
) -> Response:
    _ = p.gettext()
    secret = request.cookies.get(LOGIN_COOKIE, "")
    expected = csrf_token(f"login|{secret}")
    if not secret or not hmac.compare_digest(csrf_token_, expected) or not _same_origin(request):
        stale = say(Say("this form is out of date or not ours: reload the page"), p.lang)
        return _login_page(p, next, stale, status=403)
    answer = Response()
    try:
        p.log_in(request, answer, username, password)
    except HTTPException as exc:
        message = (
            _("Too many failed logins: wait a moment and try again.")
            if exc.status_code == 429
            else _("Wrong user name or password.")
        )
        refused = _login_page(p, next, message, status=exc.status_code)
        if exc.headers and "Retry-After" in exc.headers:
            refused.headers["Retry-After"] = exc.headers["Retry-After"]
        return refused
    done = RedirectResponse(_safe_next(next), status_code=303)
    done.headers["set-cookie"] = answer.headers["set-cookie"]
    done.headers["cache-control"] = "no-store"
    done.delete_cookie(LOGIN_COOKIE, path="/login")
    return done


@router.post("/logout")
def logout(p: PageDep, csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "") -> Response:
    p.check_csrf(csrf_token)
    p.log_out()
    done = RedirectResponse("/login", status_code=303)
    done.delete_cookie(SESSION_COOKIE, path="/")
    return done


@router.post("/language")
def choose_language(
    p: PageDep,
    lang: Annotated[str, Form(max_length=5)],
    next: Annotated[str, Form(max_length=2000)] = "/",
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
) -> Response:
    """The language switch of a logged-in user: kept for their account, on every device."""
    p.require()
    p.check_csrf(csrf_token)
    chosen = lang if lang in LANGS else "fr"
    p.remember_language(chosen)
    target = _safe_next(next)
    done = RedirectResponse(
        target + ("&" if "?" in target else "?") + urlencode({"lang": chosen}), status_code=303
    )
    done.set_cookie(COOKIE, chosen, max_age=365 * 86400, samesite="lax")
    return done


def _safe_next(target: str) -> str:
    """Only a path of this site (no open redirect)."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


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
    recent = (
        p.store.list_events(EventFilter(user=access.user.name), limit=5).items
        if access.role.value != "viewer"
        else []
    )
    mine = p.store.list_follow_ups(
        FollowUpFilter(taken_by=access.user.name, done=False), limit=50
    ).items
    names = {a.id: a.name for a in _actors(p.store, {x for f in mine for x in f.actors})}
    return p.render("home.html", team=team, recent=recent, follow_ups=mine, names=names)


@router.get("/actors", response_class=HTMLResponse)
def directory(
    p: PageDep,
    query: Annotated[ActorQuery, Query()],
    page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    p.require()
    found = p.store.list_actors(query, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE)
    asked = {k: v for k, v in query.model_dump(mode="json").items() if v not in (None, "")}
    pages = max(1, -(-found.total // PAGE_SIZE))

    def link_to(number: int) -> str:
        return "/actors?" + urlencode({**asked, "page": number})

    return p.render(
        "directory.html",
        found=found,
        asked=asked,
        kinds=[k.value for k in ActorKind],
        statuses=[s.value for s in ActorStatus],
        page_number=page_number,
        pages=pages,
        link_to=link_to,
    )


@router.get("/actors/{actor_id}", response_class=HTMLResponse)
def actor_page(p: PageDep, actor_id: str, as_of: FormDay = None) -> HTMLResponse:
    access = p.require()
    try:  # an actor the reader may not see answers as an unknown one does
        actor = p.store.get_actor(actor_id)
    except NotFound:
        _ = p.gettext()
        return p.render("message.html", status=404, message=_("No such actor."))
    links = p.store.list_links(LinkFilter(actor=actor_id, as_of=as_of), limit=200).items
    others = {
        a.id: a for a in _actors(p.store, {x for link in links for x in (link.source, link.target)})
    }
    history = []
    if access.sees_everything or access.role.value == "bar":
        history = p.store.list_events(EventFilter(actor=actor_id), limit=50).items
    may_write = access.may_write_in(actor.neighbourhood) and access.role.value != "viewer"
    return p.render(
        "actor.html",
        actor=actor,
        links=links,
        others=others,
        history=history,
        may_write=may_write,
        may_erase=access.sees_everything,
        as_of=as_of,
    )


def _actors(store: ScopedStore, ids: set[str]) -> list[Any]:
    out = []
    for actor_id in ids:
        try:
            out.append(store.get_actor(actor_id))
        except NotFound:
            continue
    return out


@router.post("/actors/{actor_id}/{action}")
def actor_action(
    p: PageDep,
    actor_id: str,
    action: str,
    until: Annotated[str, Form(max_length=10)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
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
        elif action == "retract":
            p.store.retract_actor(actor_id, reason=reason)
            return RedirectResponse("/actors", status_code=303)
        elif action == "erase":
            p.store.erase_actor(actor_id, reason=reason)
            return RedirectResponse("/actors", status_code=303)
        else:
            raise HTTPException(404, Say("no such action"))
    except (MaillageError, ValueError) as exc:
        return p.render("message.html", status=422, message=problem(exc, p.lang))
    return RedirectResponse(f"/actors/{actor_id}", status_code=303)


# --------------------------------------------------------------------------- recording


#: the dashboard's downloads of the network (``ingest/export.py``), on its last date
EXPORTS = [
    (N_("Gephi (GEXF)"), "gexf"),
    (N_("Gephi (GraphML)"), "graphml"),
    (N_("Kumu (JSON)"), "kumu"),
    (N_("Spreadsheet (XLSX)"), "xlsx"),
    (N_("Spreadsheets (CSV, zip)"), "csv"),
]

#: how a refused form names its fields (the engine's details name them as the API does)
FIELD_LABELS = {
    "name": N_("Name"),
    "kind": N_("Kind"),
    "subtype": N_("Subtype"),
    "neighbourhood": N_("Neighbourhood"),
    "since": N_("Since"),
    "until": N_("Until"),
    "status": N_("Status"),
    "consent_date": N_("Consent date"),
    "source": N_("From"),
    "target": N_("To"),
    "type": N_("Kind of link"),
    "mission": N_("Mission"),
    "strength": N_("Strength"),
    "note": N_("Note"),
    "date": N_("Date"),
    "reason": N_("Reason"),
    "participants": N_("Participants"),
    "theme": N_("Theme"),
    "themes": N_("Themes"),
    "languages": N_("Languages"),
    "target_groups": N_("Target groups"),
    "from_actor": N_("From"),
    "to_actor": N_("Receiving service"),
    "count": N_("Number of people"),
    "outcome": N_("Outcome"),
    "address": N_("Address"),
    "description": N_("Description"),
    "latitude": N_("Latitude"),
    "longitude": N_("Longitude"),
}


def problem(exc: Exception, lang: Lang) -> str:
    """What a refused form says, in the reader's language: the policy's or the engine's
    message, or each field's problem."""
    if isinstance(exc, HTTPException):
        return say(exc.detail, lang)
    if isinstance(exc, ValidationError | RequestValidationError):
        problems = field_errors(exc.errors())
    elif isinstance(exc, MaillageError) and not isinstance(exc.message, Say):
        problems = [p for p in exc.details or [] if isinstance(p, dict) and "message" in p]
    else:
        problems = []
    if not problems:
        return say(getattr(exc, "message", None) or str(exc), lang)
    gettext = translations(lang).gettext
    said = []
    for problem in problems:
        field = str(problem.get("field") or "")
        label = gettext(FIELD_LABELS[field]) if field in FIELD_LABELS else field
        message = say(problem["message"], lang)
        said.append(
            gettext("%(field)s: %(problem)s") % {"field": label, "problem": message}
            if label
            else message
        )
    return "; ".join(said)


def _resolve(store: ScopedStore, typed: str) -> tuple[str | None, list[Any]]:
    """The actor a typed name means: the exact one (case, accents ignored), else candidates."""
    wanted = normalise_name(typed.split(" — ")[0])
    if not wanted:
        return None, []
    found = store.list_actors(ActorQuery(q=wanted), limit=10).items
    exact = [a for a in found if normalise_name(a.name) == wanted]
    if len(exact) == 1:
        return exact[0].id, []
    if not exact and len(found) == 1:  # "bon pain": the one actor whose name holds it
        return found[0].id, []
    return None, exact or found


def _picked(store: ScopedStore, actor_id: str) -> str | None:
    """An actor picked among the candidates a refused form offered (its id), if visible."""
    if not actor_id:
        return None
    try:
        return store.get_actor(actor_id).id
    except NotFound:
        return None


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
    type: Annotated[LinkType, Form()],
    mission: Annotated[Mission, Form()] = Mission.networking,
    strength: Annotated[int, Form(ge=1, le=3)] = 1,
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
        "type": type.value,
        "mission": mission.value,
        "strength": strength,
        "since": since,
        "note": note,
    }
    problems: list[str] = []
    choices: dict[str, list[Any]] = {}
    ids = {}
    picked = {"source": _picked(p.store, source_id), "target": _picked(p.store, target_id)}
    for field, typed in (("source", source), ("target", target)):
        if picked[field] is not None:  # chosen among the candidates shown
            ids[field] = picked[field]
            continue
        found, candidates = _resolve(p.store, typed)
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
        places=_places(p.store),
    )


def _places(store: ScopedStore) -> list[str]:
    """The recorded neighbourhoods, offered as the form's suggestions (an actor's must be one)."""
    return sorted(n.name for n in store.list_neighbourhoods(limit=500).items)


def look_alikes(store: ScopedStore, name: str, neighbourhood: str) -> list[Any]:
    """Actors of the neighbourhood whose names look like ``name`` (rapidfuzz, on normalised
    names: "Apotheek Kuregem" and "Pharmacie Kuregem-Apotheek" match)."""
    local = store.list_actors(ActorFilter(neighbourhood=neighbourhood), limit=1000).items
    names = {a.id: normalise_name(a.name) for a in local}
    hits = process.extract(
        normalise_name(name), names, scorer=fuzz.token_set_ratio, score_cutoff=LOOK_ALIKE, limit=5
    )
    by_id = {a.id: a for a in local}
    return [by_id[key] for _, _, key in hits]


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
        places=_places(p.store),
    )


def _split(text: str) -> list[str]:
    return [t.strip() for t in text.replace(";", ",").split(",") if t.strip()]


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
    )


@router.post("/record/referral", response_class=HTMLResponse)
def record_referral(
    p: PageDep,
    service: Annotated[str, Form(max_length=300)],
    theme: Annotated[str, Form(max_length=40)],
    day_: Annotated[str, Form(alias="date", max_length=10)],
    count: Annotated[int, Form(ge=1, le=100)] = 1,
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
    found, _choices = _resolve(p.store, service)
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
            p.store.create_referral(data)
            return RedirectResponse("/?recorded=referral", status_code=303)
        except (HTTPException, MaillageError, ValueError) as exc:
            problems.append(problem(exc, p.lang))
    return p.render(
        "record_referral.html", status=422, form=form, problems=problems, themes=REFERRAL_THEMES
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
        places=_places(p.store),
    )


@router.post("/record/activity", response_class=HTMLResponse)
async def record_activity(p: PageDep, request: Request) -> Response:
    """A collective (mission 3) or community (mission 4) action and the actors who took part."""
    access = p.require()
    fields = await request.form()
    p.check_csrf(str(fields.get(CSRF_FIELD) or ""))
    access.check_writer()
    _ = p.gettext()
    typed = [str(v) for v in fields.getlist("participant") if str(v).strip()][:100]
    form = {k: str(fields.get(k) or "") for k in ("name", "mission", "date", "neighbourhood")}
    problems: list[str] = []
    ids = [access.user.actor_id] if access.user.actor_id else []
    for name in typed:
        found, _choices = _resolve(p.store, name)
        if found is None:
            problems.append(_(CHOOSE) % name)
        elif found not in ids:
            ids.append(found)
    if not problems:
        try:
            data = ActivityCreate.model_validate(
                {
                    "name": form["name"],
                    "mission": form["mission"],
                    "since": form["date"] or None,
                    "neighbourhood": form["neighbourhood"],
                    "participants": ids,
                }
            )
            p.store.create_activity(data)
            return RedirectResponse("/?recorded=activity", status_code=303)
        except (HTTPException, MaillageError, ValueError) as exc:
            problems.append(problem(exc, p.lang))
    participants = typed + [""] * max(0, 6 - len(typed))
    return p.render(
        "record_activity.html",
        status=422,
        form=form,
        problems=problems,
        participants=participants,
        places=_places(p.store),
    )


# --------------------------------------------------------------------------- who knows whom


@router.get("/paths", response_class=HTMLResponse)
def paths_page(p: PageDep, source: str = "", target: str = "") -> HTMLResponse:
    p.require()
    found: list[Any] = []
    problems: list[str] = []
    ids: dict[str, str | None] = {}
    if source and target:
        _ = p.gettext()
        for field, typed in (("source", source), ("target", target)):
            ids[field], _choices = _resolve(p.store, typed)
            if ids[field] is None:
                problems.append(
                    _("Choose the actor from the list: several or none match “%s”.") % typed
                )
        if not problems:
            found = p.store.introduction_paths(str(ids["source"]), str(ids["target"]), k=3)
    return p.render(
        "paths.html", source=source, target=target, found=found, problems=problems, ids=ids
    )


@router.get("/reach", response_class=HTMLResponse)
def reach_page(
    p: PageDep,
    theme: Annotated[str, Query(max_length=80)] = "",
    language: Annotated[str, Query(max_length=80)] = "",
    target_group: Annotated[str, Query(max_length=80)] = "",
) -> HTMLResponse:
    """Who reaches a public: the actors of a theme, language or target group, each with the
    chain from the user's team, and those nobody in the team reaches yet."""
    access = p.require()
    result = None
    if theme or language or target_group:
        scope = p.store.figures_scope()
        graph = p.store.snapshot()
        team = bar_team_of(graph, access.user.actor_id, scope)
        result = reach(
            graph,
            team,
            theme=theme or None,
            language=language or None,
            target_group=target_group or None,
            neighbourhood=scope,
        )
    asked = {"theme": theme, "language": language, "target_group": target_group}
    return p.render("reach.html", asked=asked, result=result)


# --------------------------------------------------------------------------- the team meeting


def _linked(store: ScopedStore, a: str, b: str) -> bool:
    links = store.list_links(LinkFilter(actor=a), limit=1000).items
    return any({link.source, link.target} == {a, b} for link in links)


@router.get("/meeting", response_class=HTMLResponse)
def meeting(p: PageDep, neighbourhood: Annotated[str, Query(max_length=200)] = "") -> HTMLResponse:
    """The team meeting, full screen: the neighbourhood's bridging view, and a walk through the
    agenda by keyboard — each isolated actor, each introduction worth making — with a form to
    note who takes it and by when."""
    scope = _scope(p, neighbourhood)
    isolation = REGISTRY["isolation"](p.store, {}, scope)
    bridging = REGISTRY["bridging"](p.store, {"opportunities": 10}, scope)
    _ = p.gettext()
    agenda: list[dict[str, Any]] = []
    for item in isolation.isolated:  # type: ignore[attr-defined]
        agenda.append(
            {
                "kind": _("Isolated actor"),
                "title": item.name,
                "reason": reasons.isolated(item, p.lang),
                "actors": [item.id],
                "introducer": None,
            }
        )
    for o in bridging.opportunities:  # type: ignore[attr-defined]
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
    names = {a.id: a.name for a in _actors(p.store, {x for f in follow_ups for x in f.actors})}
    realised = {f.id for f in follow_ups if len(f.actors) == 2 and _linked(p.store, *f.actors)}
    users = p.store.follow_up_takers(scope)
    view = "/views/bridging" + (f"?{urlencode({'neighbourhood': scope})}" if scope else "")
    return p.render(
        "meeting.html",
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
        return p.render("message.html", status=422, message=problem(exc, p.lang))
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


# --------------------------------------------------------------------------- the dashboard

GROWTH_CHARTS = (
    ("actors", N_("Actors")),
    ("links", N_("Links")),
    ("density", N_("Density")),
    ("largest_component_share", N_("Share in the main group")),
    ("isolated", N_("Isolated actors")),
    ("ei_index_kinds", N_("E–I index across kinds")),
)


def _scope(p: Page, asked: str) -> str | None:
    """The neighbourhood of a page's figures: managers choose; others always get their own
    team's (a user without a team gets a 403)."""
    return p.store.figures_scope(asked if p.store.access.sees_everything else None)


def _period(start: date | None, end: date | None) -> tuple[date, date]:
    last = end or date.today()
    return (start or add_months(last, -12)), last


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(
    p: PageDep,
    start: FormDay = None,
    end: FormDay = None,
    neighbourhood: Annotated[str, Query(max_length=200)] = "",
) -> HTMLResponse:
    """Growth over a period (charts, each with its data), what changed between its two ends,
    and referral flows with their saturation warnings — for the neighbourhoods one may see."""
    access = p.require()
    scope = _scope(p, neighbourhood)
    first, last = _period(start, end)
    growth = REGISTRY["growth"](p.store, {"start": first, "end": last}, scope)
    compare = REGISTRY["compare"](p.store, {"first": first, "second": last}, scope)
    referrals = REGISTRY["referrals"](p.store, {"start": first, "end": last}, scope)
    _ = p.gettext()
    series = growth.overall  # type: ignore[attr-defined]
    labels = [day(pt.date, p.lang) for pt in series]

    def written(value: float) -> str:
        return number(value, p.lang)

    charts = [
        (
            _(title),
            Markup(  # noqa: S704 - numbers, and labels escaped by line_chart
                line_chart(_(title), labels, [getattr(pt, key) for pt in series], written)
            ),
            [(day(pt.date, p.lang), getattr(pt, key)) for pt in series],
        )
        for key, title in GROWTH_CHARTS
    ]
    by_worker: dict[str, int] = {}
    by_mission: dict[str, int] = {}
    for pt in series:
        for who, n in (pt.new_links_by_worker or {}).items():
            by_worker[who] = by_worker.get(who, 0) + n
        for what, n in (pt.new_links_by_mission or {}).items():
            by_mission[what] = by_mission.get(what, 0) + n
    # new links per interval, for each BAR worker and each mission: one chart each
    for group, field in ((by_worker, "new_links_by_worker"), (by_mission, "new_links_by_mission")):
        for key in sorted(group):
            values = [(getattr(pt, field) or {}).get(key, 0) for pt in series[1:]]
            title = _("New links: %s") % key
            charts.append(
                (
                    title,
                    Markup(line_chart(title, labels[1:], values, written)),  # noqa: S704
                    [(day(pt.date, p.lang), v) for pt, v in zip(series[1:], values, strict=True)],
                )
            )
    neighbourhoods = [n.name for n in p.store.list_neighbourhoods(limit=200).items]
    query = urlencode({"start": first, "end": last, "neighbourhood": scope or ""})
    place = {"neighbourhood": scope} if scope else {}
    exports = [
        (label, "/api/v1/exports?" + urlencode({"format": fmt, "as_of": last, **place}))
        for label, fmt in EXPORTS
    ]
    if access.sees_everything:
        exports.append((_("Backup of everything (JSON)"), "/api/v1/exports?format=json"))
    return p.render(
        "dashboard.html",
        exports=exports,
        first=first,
        last=last,
        scope=scope,
        neighbourhoods=neighbourhoods if access.sees_everything else [],
        charts=charts,
        by_worker=sorted(by_worker.items()),
        by_mission=sorted(by_mission.items()),
        compare=compare,
        referrals=referrals,
        saturation=lambda w: reasons.saturation(w, p.gettext(), p.lang),
        query=query,
    )


@router.get("/dashboard.csv")
def dashboard_csv(
    p: PageDep,
    section: Annotated[str, Query(pattern="^(growth|referrals)$")] = "growth",
    start: FormDay = None,
    end: FormDay = None,
    neighbourhood: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """The dashboard's figures as CSV (cells a spreadsheet would run as formulas stay text)."""
    scope = _scope(p, neighbourhood)
    first, last = _period(start, end)
    rows: list[list[Any]]
    if section == "growth":
        growth = REGISTRY["growth"](p.store, {"start": first, "end": last}, scope)
        columns = ["date", *(key for key, _t in GROWTH_CHARTS), "new_links"]
        rows = [columns] + [
            [getattr(pt, c) for c in columns]
            for pt in growth.overall  # type: ignore[attr-defined]
        ]
    else:
        flows = REGISTRY["referrals"](p.store, {"start": first, "end": last}, scope)
        rows = [["service", "from", "to", "referred", "follow_up_rate"]]
        for service in flows.services:  # type: ignore[attr-defined]
            for pt in service.series:
                rows.append([service.service.name, pt.from_, pt.to, pt.referred, pt.follow_up_rate])
    buffer = io.StringIO()
    csv.writer(buffer).writerows([[safe_cell(v) for v in row] for row in rows])
    name = f"maillage-{section}-{first}-{last}.csv"
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


# --------------------------------------------------------------------------- graph views


@router.get("/views/{what}", response_class=HTMLResponse)
def view_page(
    p: PageDep,
    what: ViewName,
    actor: str | None = None,
    target: str | None = None,
    depth: Annotated[int, Query(ge=1, le=3)] = 2,
) -> HTMLResponse:
    """A graph view (``viz/``), as in ``maillage view``, for what the user may see."""
    scope = p.store.figures_scope()
    try:
        view = build_view(
            p.store, what, neighbourhood=scope, actor=actor, target=target, depth=depth, lang=p.lang
        )
    except MaillageError as exc:
        return p.render("message.html", status=404, message=say(exc.message, p.lang))
    response = HTMLResponse(render_view(view))
    # the view is one self-contained page whose own scripts are inline
    response.headers["content-security-policy"] = (
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        "img-src data:; frame-ancestors 'self'"
    )
    response.headers["x-frame-options"] = "SAMEORIGIN"
    return response


# --------------------------------------------------------------------------- importing a file

UPLOAD_TOKEN = re.compile(r"^[0-9a-f]{32}$")
UPLOAD_HOURS = 2  # a checked file waits this long for its confirmation


def uploads_folder(p: Page) -> Path:
    """Where checked files wait: beside the data (the SQLite file's folder), readable by this
    user only (0700 folder, 0600 files), never in the host-wide temporary folder."""
    data = getattr(p._sessions, "path", None) or p.request.app.state.settings.db
    folder = Path(data).resolve().parent / "uploads"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    return folder


def _forget_old_uploads(folder: Path) -> None:
    """A checked file never confirmed is deleted after two hours (it may name key residents)."""
    cutoff = time.time() - UPLOAD_HOURS * 3600
    for old in folder.iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)


def _write_private(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)


def _keep_upload(folder: Path, data: bytes, name: str) -> str:
    """Keep a checked file until it is confirmed (or for two hours), under a random token."""
    _forget_old_uploads(folder)
    token = secrets.token_hex(16)
    _write_private(folder / f"{token}.bin", data)
    _write_private(folder / f"{token}.name", name.encode("utf-8"))
    return token


def _take_upload(folder: Path, token: str) -> tuple[bytes, str] | None:
    _forget_old_uploads(folder)
    if not UPLOAD_TOKEN.match(token):
        return None
    data, name = folder / f"{token}.bin", folder / f"{token}.name"
    if not data.exists() or not name.exists():
        return None
    found = data.read_bytes(), name.read_text(encoding="utf-8")
    data.unlink(missing_ok=True)
    name.unlink(missing_ok=True)
    return found


@router.get("/import", response_class=HTMLResponse)
def import_form(p: PageDep) -> HTMLResponse:
    """Bring a spreadsheet, a Kumu map or a social map in: checked first, then confirmed."""
    access = p.require()
    access.check_coordinator(Say("import files"))
    _forget_old_uploads(uploads_folder(p))
    return _import_page(p, {})


def _import_page(
    p: Page,
    form: Mapping[str, str],
    *,
    report: Mapping[str, Any] | None = None,
    problems: Sequence[str] = (),
    token: str = "",
    done: bool = False,
) -> HTMLResponse:
    """The import page: its form, and the check's (or the import's) report, if any."""
    return p.render(
        "import.html",
        status=422 if problems else 200,
        form=form,
        report=report,
        problems=list(problems),
        token=token,
        done=done,
        kinds=[k.value for k in ActorKind],
    )


@router.post("/import", response_class=HTMLResponse)
def import_file(
    p: PageDep,
    file: Annotated[UploadFile | None, File()] = None,
    neighbourhood: Annotated[str, Form(max_length=200)] = "",
    kind: Annotated[str, Form(max_length=40)] = "",
    mapping: Annotated[str, Form(max_length=100_000)] = "",
    upload: Annotated[str, Form(max_length=40)] = "",
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
) -> HTMLResponse:
    """First the check (a dry run, the file kept under a token), then the import itself."""
    from ingest.plan import Options, mapping_from_json, run_import
    from ingest.readers import MAX_FILE, read

    access = p.require()
    p.check_csrf(csrf_token)
    access.check_coordinator(Say("import files"))
    _ = p.gettext()
    form = {"neighbourhood": neighbourhood, "kind": kind, "mapping": mapping}
    confirming = bool(upload)
    if confirming:
        kept = _take_upload(uploads_folder(p), upload)
        if kept is None:
            return _import_page(
                p, form, problems=[_("This check has expired: choose the file again.")]
            )
        data, name = kept
    elif file is None or not file.filename:
        return _import_page(p, form, problems=[_("Choose a file to import.")])
    else:
        data, name = file.file.read(MAX_FILE + 1), file.filename
    try:
        options = Options(neighbourhood or None, kind or None, None, mapping_from_json(mapping))
        report = run_import(
            p.store, read(data, name), by=p.store.by, options=options, dry_run=not confirming
        )
    except MaillageError as exc:
        details = exc.details if isinstance(exc.details, dict) else None
        return _import_page(p, form, report=details, problems=[problem(exc, p.lang)])
    folder = uploads_folder(p)
    token = _keep_upload(folder, data, name) if not confirming and _changes(report) else ""
    return _import_page(p, form, report=report, token=token, done=confirming)


def _changes(report: Mapping[str, Any]) -> bool:
    counts = report["counts"]
    return any(counts["created"].values()) or any(counts["updated"].values())
