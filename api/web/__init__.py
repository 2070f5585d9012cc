"""The web pages (``/``): see ``api/web/pages/``."""

from __future__ import annotations

import inspect
from pathlib import Path
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from api.errors import STATUS
from api.web.pages import N_, LoginNeeded, Page, problem, router
from graph.errors import MaillageError, Say

STATIC = Path(__file__).parent / "static"
NO_SUCH_PAGE = N_("There is no such page.")


def install_pages(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> RedirectResponse:
        """Browsers ask for it on every site: the icon, not a 404 in every page's log."""
        return RedirectResponse("/static/favicon.svg", status_code=301)

    app.include_router(router)

    @app.exception_handler(LoginNeeded)
    async def to_login(_: Request, exc: LoginNeeded) -> Response:
        return RedirectResponse("/login?" + urlencode({"next": exc.next_url}), status_code=303)

    # a page refused or not found answers a page, in the reader's language; the API keeps its JSON
    for kind in (HTTPException, MaillageError, RequestValidationError):
        _answer_pages_with_pages(app, kind)


def _is_page(request: Request) -> bool:
    path = request.url.path
    return not path.startswith(("/api/", "/static/")) and path != "/health"


def _answer_pages_with_pages(app: FastAPI, kind: type[Exception]) -> None:
    api_answer = app.exception_handlers[kind]

    async def answer(request: Request, exc: Exception) -> Response:
        if not _is_page(request):
            said = api_answer(request, exc)
            return await said if inspect.isawaitable(said) else said
        status, headers = 422, None
        if isinstance(exc, HTTPException):
            status, headers = exc.status_code, exc.headers
        elif isinstance(exc, MaillageError):
            status = next((s for cls, s in STATUS.items() if isinstance(exc, cls)), 400)
        page = Page(request, request.app.state.store)
        if status == 404 and isinstance(exc, HTTPException) and not isinstance(exc.detail, Say):
            message = page.gettext()(NO_SUCH_PAGE)  # the router's own "Not Found"
        else:
            message = problem(exc, page.lang)
        answer = page.render("message.html", status=status, message=message)
        answer.headers.update(headers or {})
        return answer

    app.add_exception_handler(kind, answer)
