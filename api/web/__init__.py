"""The web pages (``/``): see ``api/web/pages.py``."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from api.web.pages import LoginNeeded, router

STATIC = Path(__file__).parent / "static"


def install_pages(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(router)

    @app.exception_handler(LoginNeeded)
    async def to_login(_: Request, exc: LoginNeeded) -> Response:
        return RedirectResponse("/login?" + urlencode({"next": exc.next_url}), status_code=303)
