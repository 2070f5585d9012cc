"""Passwords, tokens and the login throttle.

- Passwords: argon2id with OWASP's minimum profile (m = 19 MiB, t = 2, p = 1); hashes are
  computed on ``HASHING_AT_ONCE`` dedicated threads, so a flood of logins cannot take the
  memory; older hashes (another profile) are accepted and rehashed at the next login. A password
  has at least 12 characters, does not contain the user name, is not one of the common passwords
  that ``zxcvbn`` ships (30,000) and is not easy to guess (zxcvbn score 3 or more); it is kept
  exactly as typed.
- Tokens: random, stored only as their SHA-256; login tokens last 12 hours, tokens made with the
  CLI 30 days unless told otherwise.
- Throttle: failed logins are counted per user name and per client address, in the store (so
  several server processes share them). After ``FREE_FAILURES`` failures, each further attempt
  must wait a delay that doubles, up to ``MAX_USER_DELAY`` for a user name (nobody can lock a real
  user out for long) and ``MAX_ADDRESS_DELAY`` for an address; earlier attempts get 429 with
  ``Retry-After``. A success clears the user's counter.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from graph.errors import NotFound
from graph.model import User
from graph.store import GraphStore

# OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, type=Type.ID)
HASHING_AT_ONCE = 2
# Every hash and check runs on these two threads: at most two use argon2's memory at a time,
# and only they ever hold it (each thread keeps its own allocator arena, so spreading the work
# over the server's 40 worker threads would keep up to 40 x 19 MiB).
_hashers = ThreadPoolExecutor(max_workers=HASHING_AT_ONCE, thread_name_prefix="argon2")


def _hash(password: str) -> str:
    return _hashers.submit(_hasher.hash, password).result()


def _verify(stored: str, password: str) -> bool:
    return bool(_hashers.submit(_hasher.verify, stored, password).result())


LOGIN_TOKEN_HOURS = 12
CLI_TOKEN_DAYS = 30
MIN_PASSWORD = 12
MAX_PASSWORD = 1000
COMMON_PASSWORDS = frozenset(FREQUENCY_LISTS["passwords"])

FREE_FAILURES = 5
MAX_USER_DELAY = timedelta(seconds=60)
MAX_ADDRESS_DELAY = timedelta(minutes=15)
FAILURE_WINDOW = timedelta(hours=1)

# Verified against when the user does not exist, so timing does not tell who exists.
_DUMMY_HASH = _hash("maillage-no-such-user")


class WeakPassword(ValueError):
    """A password the rules refuse; the message says which rule."""


def check_password(password: str, user_name: str) -> str:
    """The password if the rules accept it (kept exactly as typed), else WeakPassword.

    >>> check_password("correct horse battery", "amina")
    'correct horse battery'
    >>> check_password("aaaaaaaaaaaaaa", "amina")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    api.security.WeakPassword: this password is too easy to guess: Repeats like "aaa" are...
    """
    if len(password) < MIN_PASSWORD:
        raise WeakPassword(f"a password needs at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise WeakPassword(f"a password has at most {MAX_PASSWORD} characters")
    folded = password.casefold()
    if user_name and user_name.casefold() in folded:
        raise WeakPassword("a password must not contain the user name")
    if folded in COMMON_PASSWORDS or folded.strip() in COMMON_PASSWORDS:
        raise WeakPassword("this password is one of the most common ones: choose another")
    verdict = zxcvbn(password[:72], user_inputs=[user_name, "maillage", "bar"])  # its limit
    if verdict["score"] < 3:
        hint = verdict["feedback"]["warning"] or "add words or characters"
        raise WeakPassword(f"this password is too easy to guess: {hint}")
    return password


def hash_password(password: str, user_name: str, *, check: bool = True) -> str:
    """The argon2id hash of a password the rules accept (``check=False`` only for the
    documented password of the local demo)."""
    if check:
        check_password(password, user_name)
    return _hash(password)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token(session_token: str) -> str:
    """The CSRF token of a web session: derived from the session's secret token, which only
    the browser holding the (HttpOnly) cookie and the server know."""
    return hashlib.sha256(f"csrf|{session_token}".encode()).hexdigest()


def issue_token(
    store: GraphStore, user: str, kind: str, life: timedelta | None = None
) -> tuple[str, datetime]:
    """A new token for ``user``; only its hash is stored. Returns the token and its expiry."""
    token = secrets.token_urlsafe(32)
    if life is None:
        life = timedelta(hours=LOGIN_TOKEN_HOURS if kind == "login" else CLI_TOKEN_DAYS * 24)
    expires = datetime.now(UTC) + life
    store.add_token(token_hash(token), user, kind, expires)
    return token, expires


def authenticate(store: GraphStore, name: str, password: str) -> User | None:
    """The user if the password is theirs and the account is enabled, else None. A hash of
    an older profile is replaced by one of the current profile."""
    try:
        found = store.credentials(name)
    except NotFound:
        with contextlib.suppress(VerificationError):
            _verify(_DUMMY_HASH, password)
        return None
    stored = found.password_hash.get_secret_value()
    try:
        _verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if found.user.disabled:
        return None
    if _hasher.check_needs_rehash(stored):
        store.set_password(found.user.name, _hash(password), by="system")
    return found.user


def verify_password(store: GraphStore, name: str, password: str) -> bool:
    """Whether ``password`` is the user's (for changing one's own password)."""
    return authenticate(store, name, password) is not None


# --------------------------------------------------------------------------- the throttle


@dataclass(frozen=True)
class Wait:
    """How long a login attempt must still wait (zero: it may go on)."""

    seconds: int

    @property
    def blocked(self) -> bool:
        return self.seconds > 0


def _delay(failures: int, cap: timedelta) -> timedelta:
    if failures < FREE_FAILURES:
        return timedelta(0)
    return min(cap, timedelta(seconds=2 ** (failures - FREE_FAILURES)))


def login_wait(store: GraphStore, user_name: str, address: str, now: datetime) -> Wait:
    """Whether this login may be tried now, from the counters of the user and the address."""
    longest = timedelta(0)
    for key, cap in ((f"user:{user_name.casefold()}", MAX_USER_DELAY),
                     (f"address:{address}", MAX_ADDRESS_DELAY)):  # fmt: skip
        counter = store.login_failures(key)
        if counter.last_at is None or now - counter.last_at > FAILURE_WINDOW:
            continue
        until = counter.last_at + _delay(counter.failures, cap)
        longest = max(longest, until - now)
    return Wait(int(longest.total_seconds() + 0.999) if longest > timedelta(0) else 0)


def login_failed(store: GraphStore, user_name: str, address: str, now: datetime) -> None:
    for key in (f"user:{user_name.casefold()}", f"address:{address}"):
        counter = store.login_failures(key)
        if counter.last_at is not None and now - counter.last_at > FAILURE_WINDOW:
            store.clear_login_failures(key)
        store.record_login_failure(key, now)


def login_succeeded(store: GraphStore, user_name: str) -> None:
    store.clear_login_failures(f"user:{user_name.casefold()}")
