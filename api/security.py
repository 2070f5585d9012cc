"""Passwords (argon2) and bearer tokens (random, stored only as their SHA-256)."""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from graph.errors import NotFound
from graph.model import User
from graph.store import GraphStore

_hasher = PasswordHasher()

LOGIN_TOKEN_HOURS = 12
API_TOKEN_DAYS = 365
MIN_PASSWORD = 10
# Verified against when the user does not exist, so timing does not tell who exists.
_DUMMY_HASH = _hasher.hash("maillage-no-such-user")


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"a password needs at least {MIN_PASSWORD} characters")
    return _hasher.hash(password)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(store: GraphStore, user: str, kind: str) -> tuple[str, datetime]:
    """A new token for ``user``; only its hash is stored. Returns the token and its expiry."""
    token = secrets.token_urlsafe(32)
    life = timedelta(hours=LOGIN_TOKEN_HOURS) if kind == "login" else timedelta(days=API_TOKEN_DAYS)
    expires = datetime.now(UTC) + life
    store.add_token(token_hash(token), user, kind, expires)
    return token, expires


def authenticate(store: GraphStore, name: str, password: str) -> User | None:
    """The user if the password is theirs, else None."""
    try:
        found = store.credentials(name)
    except NotFound:
        with contextlib.suppress(VerificationError):
            _hasher.verify(_DUMMY_HASH, password)
        return None
    try:
        _hasher.verify(found.password_hash.get_secret_value(), password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    return found.user
