"""The web pages, at ``/``, one module per area (as ``api/routes/`` is):

| module | pages |
| --- | --- |
| ``session`` | log in, log out, the language switch |
| ``directory`` | home, the directory, an actor's page and its changes |
| ``leaflet`` | "where to go for…": a theme's or a public's services, printable on A4 |
| ``referrals`` | the referrals with their follow-up, changed in a tap |
| ``words_to_map`` | the words the vocabulary lacks, mapped by a coordinator |
| ``living`` | the actors to check again (not confirmed for six months) |
| ``actor_edit`` | correcting an actor (every field), "still true", undoing a change |
| ``record`` | recording a link, an actor, a referral, an activity (made for a phone) |
| ``diagnosis`` | recording an observation; the neighbourhood's diagnosis, printable, CSV and XLSX |
| ``indicators`` | the missions' indicators, two periods or neighbourhoods side by side |
| ``crisis`` | crisis lists: the actors reaching a public, who called whom, on the team's phones |
| ``map`` | the neighbourhood on a map: sectors coloured by what needs attention, its actors |
| ``who_knows`` | introduction paths, who reaches a public |
| ``meeting`` | the team meeting and its follow-ups |
| ``dashboard`` | the coordinator's dashboard and its CSV |
| ``views`` | the graph views |
| ``imports`` | importing a file (checked, then confirmed) |

``base`` holds what they share: the :class:`Page` (who is there, their rights and language, the
store as they may reach it), the templates and the form helpers. Server-rendered with Jinja2
(autoescape on), every script and style served from the package, in French, Dutch or English.
Pages log in with the session cookie of ``/api/v1/auth/session`` (HttpOnly, SameSite=Lax);
every form carries the session's CSRF token. Pages read and write through ``p.store`` only,
the user's :class:`api.scoped.ScopedStore`.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.routing import Match
from starlette.types import Scope

from api.web.pages import (
    actor_edit,
    crisis,
    dashboard,
    diagnosis,
    directory,
    imports,
    indicators,
    leaflet,
    living,
    map,
    meeting,
    record,
    referrals,
    session,
    views,
    who_knows,
    words_to_map,
)
from api.web.pages.base import N_, LoginNeeded, Page, problem


class _PagesRouter(APIRouter):
    """The pages' router: no page lives under ``/api/``, so an API request skips its 55
    routes at once (FastAPI tried each one first: `POST /api/v1/actors` was matched in
    132 µs, now 20-48 µs, bench/RESULTS.md)."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope.get("path", "").startswith("/api/"):
            return Match.NONE, {}
        return super().matches(scope)


router = _PagesRouter(include_in_schema=False)
# actor_edit before directory: /actors/{id}/edit is not one of the directory's actions
for area in (
    session,
    actor_edit,
    directory,
    living,
    record,
    diagnosis,
    indicators,
    crisis,
    map,
    referrals,
    leaflet,
    who_knows,
    meeting,
    dashboard,
    views,
    imports,
    words_to_map,
):
    router.include_router(area.router)

__all__ = ["N_", "LoginNeeded", "Page", "problem", "router"]
