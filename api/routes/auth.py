"""Logging in: a bearer token for the API (the web pages use the same token as a cookie)."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request, Response
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from api.deps import SESSION_COOKIE, CurrentToken, RawStore, Reader
from api.routes.common import ERRORS, ErrorBody
from api.routes.users import hashed
from api.security import (
    MIN_PASSWORD,
    authenticate,
    csrf_token,
    issue_token,
    login_failed,
    login_succeeded,
    login_wait,
    token_hash,
    verify_password,
)
from graph.model import User, now

router = APIRouter(prefix="/auth", tags=["auth"], responses=ERRORS)


class Token(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "access_token": "q0V…",
                    "token_type": "bearer",
                    "expires_at": "2026-11-29T18:00:00Z",
                }
            ]
        }
    )
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type
    expires_at: datetime


THROTTLED: dict[int | str, dict[str, Any]] = {
    429: {
        "model": ErrorBody,
        "description": "Too many failed logins: wait the seconds `Retry-After` says",
    }
}


@router.post(
    "/token",
    response_model=Token,
    responses=THROTTLED,
    summary="Log in",
    description="Form fields `username` and `password` (OAuth2 password flow); gives a bearer "
    "token valid 12 hours.",
)
def login(
    request: Request,
    response: Response,
    store: RawStore,
    username: Annotated[str, Form(min_length=1, max_length=100, examples=["amina"])],
    password: Annotated[str, Form(min_length=1, max_length=1000, examples=["a long passphrase"])],
) -> Token:
    address = request.client.host if request.client else "unknown"
    moment = now()
    wait = login_wait(store, username, address, moment)
    if wait.blocked:
        raise HTTPException(
            429,
            f"too many failed logins: try again in {wait.seconds} s",
            {"Retry-After": str(wait.seconds)},
        )
    user = authenticate(store, username, password)
    if user is None:
        login_failed(store, username, address, moment)
        raise HTTPException(401, "wrong user name or password", {"WWW-Authenticate": "Bearer"})
    login_succeeded(store, user.name)
    token, expires = issue_token(store, user.name, "login")
    response.headers["Cache-Control"] = "no-store"  # a credential: never kept by a cache
    response.headers["Pragma"] = "no-cache"
    return Token(access_token=token, expires_at=expires)


class Session(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"csrf_token": "9c1e…", "expires_at": "2026-11-29T18:00:00Z"}]
        }
    )
    csrf_token: str = Field(description="Send it with every change made with the cookie")
    expires_at: datetime


@router.post(
    "/session",
    response_model=Session,
    responses=THROTTLED,
    summary="Log in for the web pages",
    description="The same check as `/auth/token`, but the token goes into a session cookie "
    "(HttpOnly, SameSite=Lax, Secure over HTTPS, expiring with the token); the answer gives "
    "the CSRF token that every change made with the cookie must carry.",
)
def session(
    request: Request,
    response: Response,
    store: RawStore,
    username: Annotated[str, Form(min_length=1, max_length=100, examples=["amina"])],
    password: Annotated[str, Form(min_length=1, max_length=1000, examples=["a long passphrase"])],
) -> Session:
    issued = login(request, response, store, username, password)
    token = issued.access_token
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int((issued.expires_at - now()).total_seconds()),
        expires=issued.expires_at,
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return Session(csrf_token=csrf_token(token), expires_at=issued.expires_at)


@router.get("/me", response_model=User, summary="Who am I")
def me(user: Reader) -> User:
    return user


@router.post(
    "/logout",
    status_code=204,
    summary="Log out",
    description="Revokes the token (or session) this request was made with.",
)
def logout(request: Request, user: Reader, store: RawStore, token: CurrentToken) -> Response:
    store.revoke_token(token_hash(token))
    answer = Response(status_code=204)
    answer.delete_cookie(SESSION_COOKIE, path="/")
    return answer


class PasswordChange(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"current": "my old passphrase", "password": "a new long passphrase"}]
        },
    )
    current: str = Field(min_length=1, max_length=1000)
    password: Annotated[
        str,
        StringConstraints(strip_whitespace=False, min_length=MIN_PASSWORD, max_length=1000),
    ]


@router.post(
    "/password",
    status_code=204,
    summary="Change one's own password",
    description="Needs the current password; every other token of the user is revoked.",
)
def change_password(
    user: Reader, store: RawStore, token: CurrentToken, body: PasswordChange
) -> Response:
    if not verify_password(store, user.name, body.current):
        raise HTTPException(403, "the current password is not right")
    store.set_password(user.name, hashed(body.password, user.name), by=user.name)
    keep = token_hash(token)[:16]
    for info in store.list_tokens(user.name):
        if info.id != keep and not info.revoked:
            store.revoke_tokens(user.name, info.id)
    return Response(status_code=204)
