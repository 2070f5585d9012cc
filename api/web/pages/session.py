"""Logging in and out, and the language a user reads in."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import CSRF_FIELD, SESSION_COOKIE
from api.security import csrf_token
from api.web.i18n import COOKIE, LANGS, say
from api.web.pages.base import (
    AnyPageDep,
    Page,
    PageDep,
    safe_next,
)
from graph.errors import Say

router = APIRouter(include_in_schema=False)


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
        next=safe_next(next_url),
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
def login_form(p: AnyPageDep, next: str = "/") -> HTMLResponse:
    return _login_page(p, next)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    p: AnyPageDep,
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
    done = RedirectResponse(safe_next(next), status_code=303)
    done.headers["set-cookie"] = answer.headers["set-cookie"]
    done.headers["cache-control"] = "no-store"
    done.delete_cookie(LOGIN_COOKIE, path="/login")
    return done


@router.post("/logout")
def logout(p: AnyPageDep, csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "") -> Response:
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
    target = safe_next(next)
    done = RedirectResponse(
        target + ("&" if "?" in target else "?") + urlencode({"lang": chosen}), status_code=303
    )
    done.set_cookie(COOKIE, chosen, max_age=365 * 86400, samesite="lax")
    return done
