"""What every page shares: the Page (who is there, their rights, their language, the store as
they may reach it), the templates, the form helpers and how a refusal is worded."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from babel.numbers import format_percent
from fastapi import Depends, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BeforeValidator, ValidationError

from api.deps import SESSION_COOKIE, get_store
from api.policy import Access, access_of
from api.scoped import ScopedStore
from api.security import csrf_token, token_hash
from api.web.i18n import COOKIE, LANGS, Lang, choose, day, number, say, translations
from graph.errors import MaillageError, NotFound, Say
from graph.model import (
    ActorQuery,
    Day,
    Event,
    EventFilter,
    normalise_name,
)
from graph.store import GraphStore
from graph.validation import field_errors
from graph.vocabulary import labels
from viz.render import fast_json
from viz.text import KINDS, LINKS

HERE = Path(__file__).resolve().parents[1]  # api/web
PAGE_SIZE = 25


def N_(message: str) -> str:
    """Marks a message for the catalogues; it is translated where it is shown."""
    return message


CHOOSE = N_("Choose the actor from the list: several or none match “%s”.")

#: a date field of a page's form: cleared, it is no date (a browser sends ``start=``)
#: a date of a page's form: cleared, it is no date (a browser sends ``start=``)
FormDate = Annotated[
    Day | None, BeforeValidator(lambda v: None if isinstance(v, str) and not v.strip() else v)
]
FormDay = Annotated[FormDate, Query()]
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
    return fast_json(env)


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
            pct=lambda value: format_percent(value, locale=self.lang),
            kind_label=lambda kind: KINDS.get(str(kind), {}).get(self.lang, str(kind)),
            say=lambda text: say(text, self.lang),
            link_label=lambda t: LINKS.get(str(t), {}).get(self.lang, str(t)),
            words=lambda field, codes: labels(field, codes, self.lang),
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


def any_page(request: Request, store: RawStore) -> Page:
    """A page anyone may open (logging in, the language)."""
    return Page(request, store)


def page(request: Request, store: RawStore) -> Page:
    """A page for a logged-in user: a visitor is sent to log in before anything else is read
    (the form's fields included: no 422 for someone who is not logged in)."""
    found = Page(request, store)
    found.require()
    return found


AnyPageDep = Annotated[Page, Depends(any_page)]
PageDep = Annotated[Page, Depends(page)]


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
    "initiators": N_("Started or carried by"),
    "attendance": N_("How many people took part"),
    "text": N_("What was said"),
    "sectors": N_("Sectors"),
    "sector": N_("Sector"),
    "sources": N_("Said by"),
    "calls": N_("Calls"),
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
    "q": N_("Name"),
    "language": N_("Language"),
    "target_group": N_("Target group"),
    "as_of": N_("As of"),
    "start": N_("From"),
    "end": N_("To"),
}


def wrong_fields(exc: Exception) -> set[str]:
    """The fields a refusal names (its details), for the form to mark them."""
    details = getattr(exc, "details", None)
    if not isinstance(details, list):
        return set()
    return {str(d.get("field")) for d in details if isinstance(d, dict) and d.get("field")}


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
    gettext = translations(lang).gettext
    if not problems:
        message = getattr(exc, "message", None) or str(exc)
        if isinstance(message, Say) and message.params.get("field") in FIELD_LABELS:
            # "start: …" is the API's words; a page names the field as its form shows it
            shown = gettext(FIELD_LABELS[message.params["field"]])
            message = Say(message.template, **{**message.params, "field": shown})
        return say(message, lang)
    said = []
    for problem in problems:
        field = str(problem.get("field") or "")
        label = gettext(FIELD_LABELS[field]) if field in FIELD_LABELS else field
        words = problem["message"]
        if isinstance(words, Say) and words.template == "one of: {expected}":
            words = Say("choose one from the list")  # never the list of codes a form hides
        message = say(words, lang)
        said.append(
            gettext("%(field)s: %(problem)s") % {"field": label, "problem": message}
            if label
            else message
        )
    return "; ".join(said)


def neighbourhood_names(store: ScopedStore) -> list[str]:
    """The recorded neighbourhoods, offered as a form's choices (an actor's must be one)."""
    return sorted(n.name for n in store.list_neighbourhoods(limit=1000).items)


def vocabulary_pairs(field: str, lang: Lang) -> list[tuple[str, str]]:
    """(code, the reader's word) of a list of the vocabulary, in the reader's order; for
    languages, the common ones of the forms."""
    from graph.vocabulary import LISTS, choices, code_of, label

    if field == "languages":
        return [(code_of("languages", w), w) for w in choices("languages", lang)]
    pairs = ((c, label(field, c, lang)) for c in LISTS[field])
    return sorted(pairs, key=lambda x: x[1].casefold())


def one_tap(p: Page, csrf_token: str, write: Callable[[], object], then: str) -> Response:
    """A page's one-tap write (a call marked, a list closed, an actor placed, an undo): the
    writer's right and the form's token checked, the store's refusal shown as a page, else on
    to ``then``."""
    from fastapi.responses import RedirectResponse

    p.require().check_writer()
    p.check_csrf(csrf_token)
    try:
        write()
    except (MaillageError, ValueError) as exc:
        return p.render("message.html", status=422, message=problem(exc, p.lang))
    return RedirectResponse(then, status_code=303)


def resolve_actor(store: ScopedStore, typed: str) -> tuple[str | None, list[Any]]:
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


def picked_actor(store: ScopedStore, actor_id: str) -> str | None:
    """An actor picked among the candidates a refused form offered (its id), if visible."""
    if not actor_id:
        return None
    try:
        return store.get_actor(actor_id).id
    except NotFound:
        return None


def actors_of(store: ScopedStore, ids: set[str]) -> list[Any]:
    out = []
    for actor_id in ids:
        try:
            out.append(store.get_actor(actor_id))
        except NotFound:
            continue
    return out


def latest_events(store: ScopedStore, filters: EventFilter, most: int) -> list[Event]:
    """The ``most`` latest events of a filter, newest first (the store lists them oldest
    first: the total, then the last page)."""
    total = store.list_events(filters, limit=1).total
    return store.list_events(filters, limit=most, offset=max(0, total - most)).items[::-1]


def safe_next(target: str) -> str:
    """Only a path of this site (no open redirect)."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


def figures_scope_of(p: Page, asked: str) -> str | None:
    """The neighbourhood of a page's figures: managers choose; others always get their own
    team's (a user without a team gets a 403)."""
    return p.store.figures_scope(asked if p.store.access.sees_everything else None)
