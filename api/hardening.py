"""The HTTP surface, hardened: bodies capped before they are read, security headers on every
answer, no caching of credentials, and the API docs served from the installed package (no CDN:
they work on a laptop without network, and no third-party script runs where people type
passwords)."""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DOCS_ASSETS = Path(fastapi_offline.__file__).parent / "static"
ASSETS_URL = "/api/v1/docs-assets"

# The docs pages need their own inline bootstrap script and styles; every other answer may run
# no inline script at all.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'"
)
SECURITY_HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"same-origin",
    b"x-frame-options": b"DENY",
    b"cross-origin-opener-policy": b"same-origin",
    b"permissions-policy": b"camera=(), microphone=(), geolocation=()",
}


def install_docs(app: FastAPI, openapi_url: str) -> None:
    """Swagger UI at /api/v1/docs and ReDoc at /api/v1/redoc, with their files from the
    ``fastapi-offline`` package (MIT; Swagger UI and ReDoc are Apache-2.0 / MIT)."""
    app.mount(ASSETS_URL, StaticFiles(directory=DOCS_ASSETS), name="docs-assets")
    redirect = "/api/v1/docs/oauth2-redirect"

    @app.get("/api/v1/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title="Maillage — API",
            swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_URL}/favicon.png",
            oauth2_redirect_url=redirect,
        )

    @app.get(redirect, include_in_schema=False)
    def swagger_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/api/v1/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=openapi_url,
            title="Maillage — API",
            redoc_js_url=f"{ASSETS_URL}/redoc.standalone.js",
            redoc_favicon_url=f"{ASSETS_URL}/favicon.png",
            with_google_fonts=False,
        )


class Hardening:
    """ASGI middleware: the body cap (413 before anything is parsed) and the headers."""

    def __init__(
        self, app: ASGIApp, max_body: int, large_bodies: dict[str, int], tiles: str = ""
    ) -> None:
        self.app = app
        self.max_body = max_body
        self.large_bodies = large_bodies  # path prefix -> its own cap (imports)
        # a tile server set for the map: its images, and nothing else, may come from it
        origin = "/".join(tiles.split("/")[:3]).split("{")[0] if tiles else ""
        self.csp = DEFAULT_CSP.replace("img-src 'self' data:", f"img-src 'self' data: {origin}")
        self.csp = self.csp if origin else DEFAULT_CSP

    def _cap(self, path: str) -> int:
        for prefix, cap in self.large_bodies.items():
            if path.startswith(prefix):
                return cap
        return self.max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        cap = self._cap(path)
        page = not path.startswith("/api/")  # a refusal a person reads, not a client
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > cap):
            await _too_large(cap, send, page=page)
            return
        # The body is read here, up to the cap, before the app sees any of it: a client that
        # sends more (whatever its Content-Length said) gets 413 and nothing is parsed.
        body = bytearray()
        more = scope["method"] not in ("GET", "HEAD", "OPTIONS")
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if len(body) > cap:
                await _too_large(cap, send, page=page)
                return
            more = message.get("more_body", False)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        docs = path.startswith(("/api/v1/docs", "/api/v1/redoc"))
        # what a logged-in user reads is theirs: no browser or proxy cache keeps it
        request_headers = {k.lower(): v for k, v in scope.get("headers", [])}
        personal = (
            b"authorization" in request_headers
            or b"maillage_session=" in request_headers.get(b"cookie", b"")
        ) and not path.startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"server"]
                present = {k.lower() for k, _ in headers}
                for key, value in SECURITY_HEADERS.items():
                    if key not in present:
                        headers.append((key, value))
                if b"content-security-policy" not in present:
                    csp = DOCS_CSP if docs else self.csp
                    headers.append((b"content-security-policy", csp.encode()))
                if scope.get("scheme") == "https":
                    headers.append((b"strict-transport-security", b"max-age=31536000"))
                if personal:
                    headers = [(k, v) for k, v in headers if k.lower() != b"cache-control"]
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, replay, with_headers)


async def _too_large(cap: int, send: Send, *, page: bool = False) -> None:
    """413 before the app: JSON for the API; for the pages, a page a person can read (the
    reader's language is not known yet here: it says it in the three)."""
    size = f"{cap // 2**20} MB" if cap >= 2**20 else f"{cap // 1024} KiB"
    body: Response
    if page:
        body = HTMLResponse(TOO_LARGE_PAGE.format(size=size), status_code=413)
    else:
        body = JSONResponse(
            {
                "error": "too_large",
                "message": f"the request body is larger than the {size} allowed here",
                "details": {"limit_bytes": cap},
            },
            status_code=413,
        )
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                *body.raw_headers,
                *SECURITY_HEADERS.items(),
                (b"content-security-policy", DEFAULT_CSP.encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body.body})


TOO_LARGE_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Maillage — 413</title></head>
<body><main>
<h1>Trop grand · Te groot · Too large</h1>
<p>Ce que vous envoyez dépasse {size} : rien n'a été enregistré.</p>
<p lang="nl">Wat u verstuurt is groter dan {size}: er is niets opgeslagen.</p>
<p lang="en">What you sent is larger than {size}: nothing was recorded.</p>
<p><a href="/">Maillage</a></p>
</main></body></html>
"""
