"""The dependencies of the routes, in one place: the store, the user, the role checks."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request
from fastapi.security import OAuth2PasswordBearer
from starlette.concurrency import run_in_threadpool

from api.policy import Access, access_of
from api.scoped import ScopedStore
from api.security import csrf_token, token_hash
from graph.model import User
from graph.store import GraphStore

SESSION_COOKIE = "maillage_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# The OAuth2 password flow: the docs page's "Authorize" asks for a user name and password and
# gets a bearer token from /api/v1/auth/token; API clients send 'Authorization: Bearer <token>'.
_bearer = OAuth2PasswordBearer(
    tokenUrl="/api/v1/auth/token",
    auto_error=False,
    description="A token from POST /api/v1/auth/token or `maillage users token NAME`",
)


# Dependencies that only look at the request are ``async``: FastAPI runs a plain ``def`` one in
# its thread pool, a hop per dependency per request (a fifth of a write's time in the server).


async def get_store(request: Request) -> GraphStore:
    """The raw store: only for the dependencies below and the account routes (logging in,
    users); every other route takes :data:`Scoped` (``tests/api/test_scoped_routes.py``)."""
    store: GraphStore = request.app.state.store
    return store


RawStore = Annotated[GraphStore, Depends(get_store)]


UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


async def current_user(
    request: Request,
    store: RawStore,
    bearer: Annotated[str | None, Depends(_bearer)],
) -> User:
    """The logged-in user, from a bearer token (API clients) or the session cookie (pages).
    A change made with the cookie must carry the session's CSRF token (header
    ``X-CSRF-Token`` or form field ``csrf_token``): another site cannot forge it."""
    token = bearer or request.cookies.get(SESSION_COOKIE)
    if token and not bearer and request.method in UNSAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER)
        if sent is None and request.headers.get("content-type", "").startswith(FORM_TYPES):
            sent = str((await request.form()).get(CSRF_FIELD) or "")
        if not sent or not hmac.compare_digest(sent, csrf_token(token)):
            raise HTTPException(403, "this form is out of date or not ours: reload the page")
    if not token:
        raise HTTPException(
            401,
            "log in first: send 'Authorization: Bearer <token>'",
            {"WWW-Authenticate": "Bearer"},
        )
    user = store.user_for_token(token_hash(token))
    if user is None:
        raise HTTPException(
            401,
            "this token is unknown, expired or revoked: log in again",
            {"WWW-Authenticate": "Bearer"},
        )
    return user


Reader = Annotated[User, Depends(current_user)]


async def current_token(request: Request, bearer: Annotated[str | None, Depends(_bearer)]) -> str:
    """The token this request was made with (bearer or session cookie)."""
    token = bearer or request.cookies.get(SESSION_COOKIE)
    if not token:
        raise HTTPException(401, "log in first", {"WWW-Authenticate": "Bearer"})
    return token


CurrentToken = Annotated[str, Depends(current_token)]


async def writer(user: Reader) -> User:
    if not user.role.can_write:
        raise HTTPException(403, f"the role '{user.role.value}' can read but not write")
    return user


async def manager(user: Reader) -> User:
    if not user.role.manages_users:
        raise HTTPException(403, "only coordinators and admins manage users")
    return user


async def access(user: Reader, store: RawStore) -> Access:
    """The one dependency of the access policy: who the user is and where they work (read
    from their team actor, in the thread pool: the store blocks)."""
    if not user.actor_id:
        return access_of(user, store)  # no team: nothing to read
    return await run_in_threadpool(access_of, user, store)


AccessDep = Annotated[Access, Depends(access)]


async def scoped_store(who: AccessDep, store: RawStore) -> ScopedStore:
    """The store as this user may reach it: the only store routes and pages work with."""
    return ScopedStore(store, who)


Scoped = Annotated[ScopedStore, Depends(scoped_store)]


async def figures_scope(
    store: Scoped,
    neighbourhood: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Only this neighbourhood. Coordinators and admins see every "
            "neighbourhood; other users see their own BAR team's.",
            examples=["Cureghem-Lemmens"],
        ),
    ] = None,
) -> str | None:
    """Which neighbourhood's figures the user may see (None: all of them)."""
    return store.figures_scope(neighbourhood)


Writer = Annotated[User, Depends(writer)]
Scope = Annotated[str | None, Depends(figures_scope)]
Manager = Annotated[User, Depends(manager)]
