"""Logging in: a bearer token for the API (the web pages use the same token as a cookie)."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Response
from pydantic import BaseModel, ConfigDict

from api.deps import Reader, Store
from api.routes.common import ERRORS
from api.security import authenticate, issue_token
from graph.model import User

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


@router.post(
    "/token",
    response_model=Token,
    summary="Log in",
    description="Form fields `username` and `password` (OAuth2 password flow); gives a bearer "
    "token valid 12 hours.",
)
def login(
    response: Response,
    store: Store,
    username: Annotated[str, Form(min_length=1, max_length=100, examples=["amina"])],
    password: Annotated[str, Form(min_length=1, max_length=1000, examples=["a long passphrase"])],
) -> Token:
    user = authenticate(store, username, password)
    if user is None:
        raise HTTPException(401, "wrong user name or password", {"WWW-Authenticate": "Bearer"})
    token, expires = issue_token(store, user.name, "login")
    response.headers["Cache-Control"] = "no-store"  # a credential: never kept by a cache
    response.headers["Pragma"] = "no-cache"
    return Token(access_token=token, expires_at=expires)


@router.get("/me", response_model=User, summary="Who am I")
def me(user: Reader) -> User:
    return user
