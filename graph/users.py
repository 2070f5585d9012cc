"""Users and their tokens: authentication data kept beside the graph, behind its own small port
(:class:`UserStore`). Password hashes leave the store only inside :class:`Credentials`, whose hash
is a ``SecretStr`` (never printed, never serialised by accident)."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, SecretStr

from graph.errors import Conflict, InvalidInput, NotFound
from graph.events import make_event
from graph.model import EntityKind, EventAction, TokenInfo, User, UserCreate, UserUpdate, now
from graph.tx import ReadTx, Record, Transactional, WriteTx
from graph.validation import check_user, validate


class Credentials(BaseModel):
    """A user and their password hash (argon2), for the login check only."""

    model_config = ConfigDict(frozen=True)

    user: User
    password_hash: SecretStr


class UserStore(Protocol):
    """What authentication needs from a store."""

    def create_user(
        self, data: UserCreate | Mapping[str, Any], password_hash: str, *, by: str
    ) -> User: ...
    def credentials(self, name: str) -> Credentials: ...
    def get_user(self, name: str) -> User: ...
    def list_users(self) -> list[User]: ...
    def add_token(self, token_hash: str, user: str, kind: str, expires_at: datetime) -> None: ...
    def user_for_token(self, token_hash: str) -> User | None: ...
    def revoke_token(self, token_hash: str) -> None: ...
    def update_user(
        self, name: str, changes: UserUpdate | Mapping[str, Any], *, by: str
    ) -> User: ...
    def set_password(self, name: str, password_hash: str, *, by: str) -> None: ...
    def list_tokens(self, name: str) -> list[TokenInfo]: ...
    def revoke_tokens(self, name: str, token_id: str | None = None) -> int: ...
    def login_failures(self, key: str) -> LoginFailures: ...
    def record_login_failure(self, key: str, at: datetime) -> LoginFailures: ...
    def clear_login_failures(self, key: str) -> None: ...


THROTTLE_KEPT = timedelta(days=1)  # a failed-login counter idle this long is forgotten
TOKEN_MEMORY = 2.0  # seconds a token found is trusted without asking the store again


@dataclass(frozen=True)
class _Seen:
    until: float  # time.monotonic() after which the store is asked again
    expires: datetime  # the token's own expiry
    user: User


class _TokenMemory:
    """Tokens found lately. A change of users or tokens starts a new generation: a lookup
    that began before it (and may have read the old state) is not remembered."""

    def __init__(self) -> None:
        self.seen: dict[str, _Seen] = {}
        self.generation = 0
        self._lock = threading.Lock()

    def remember(self, generation: int, token_hash: str, seen: _Seen) -> None:
        with self._lock:
            if generation != self.generation:
                return
            if len(self.seen) >= 10_000:  # bounded: a flood of tokens empties it
                self.seen.clear()
            self.seen[token_hash] = seen

    def forget(self) -> None:
        with self._lock:
            self.generation += 1
            self.seen.clear()


class Users(Transactional):
    """Users and tokens, on any adapter."""

    def create_user(
        self, data: UserCreate | Mapping[str, Any], password_hash: str, *, by: str
    ) -> User:
        user = check_user(by)
        model = validate(UserCreate, data)
        when = now()
        record: Record = {
            "id": model.name.casefold(),
            "natural_key": model.name.casefold(),
            "name": model.name,
            "role": model.role.value,
            "actor_id": model.actor_id,
            "password_hash": password_hash,
            "recorded_by": user,
            "recorded_at": when.isoformat(),
        }
        public = {k: v for k, v in record.items() if k != "password_hash"}

        def work(tx: WriteTx) -> None:
            if model.actor_id and not tx.existing(EntityKind.actor, [model.actor_id]):
                raise InvalidInput(
                    f"actor_id: no actor has the id {model.actor_id!r}",
                    details=[{"field": "actor_id", "message": "no such actor"}],
                )
            tx.insert_many(EntityKind.user, [record])
            tx.append_events(
                [make_event(EventAction.create, EntityKind.user, user, when, None, public)]
            )

        try:
            self._write(work)
        except Conflict as exc:
            raise Conflict(
                f"a user named {model.name!r} already exists", details={"name": model.name}
            ) from exc
        return User.model_validate(public)

    def _user_record(self, name: str) -> Record:
        record = self._read(lambda tx: tx.get(EntityKind.user, name.strip().casefold()))
        if record is None:
            raise NotFound(f"no user is named {name!r}", details={"name": name})
        return record

    def credentials(self, name: str) -> Credentials:
        """A user with their password hash, for checking a login only."""
        record = self._user_record(name)
        return Credentials(
            user=User.model_validate(record), password_hash=SecretStr(record["password_hash"])
        )

    def get_user(self, name: str) -> User:
        return User.model_validate(self._user_record(name))

    def list_users(self) -> list[User]:
        records = self._read(lambda tx: tx.all(EntityKind.user, None))
        return sorted((User.model_validate(r) for r in records), key=lambda u: u.name)

    def add_token(self, token_hash: str, user: str, kind: str, expires_at: datetime) -> None:
        record = {
            "id": token_hash,
            "natural_key": user.casefold(),
            "user": user.casefold(),
            "kind": kind,
            "created_at": now().isoformat(),
            "expires_at": expires_at.isoformat(),
            "revoked": False,
        }

        def work(tx: WriteTx) -> None:
            if tx.get(EntityKind.user, user.casefold()) is None:
                raise NotFound(f"no user is named {user!r}")
            tx.insert_many(EntityKind.token, [record])

        self._write(work)

    def user_for_token(self, token_hash: str) -> User | None:
        """The user a token belongs to, if the token exists, is not revoked and not expired.

        Every request asks this: a token found is remembered for ``TOKEN_MEMORY`` seconds
        (never past its expiry), so that a request makes one transaction instead of two. A
        change of users or tokens made through this store forgets them all at once; one made
        by another process (the CLI, another server) counts within ``TOKEN_MEMORY`` seconds.
        """
        memory = self._token_memory
        seen = memory.seen.get(token_hash)
        moment = time.monotonic()
        if seen is not None and seen.until > moment and seen.expires > now():
            return seen.user
        generation = memory.generation

        def work(tx: ReadTx) -> tuple[Record, datetime] | None:
            token = tx.get(EntityKind.token, token_hash)
            if token is None or token["revoked"]:
                return None
            expires = datetime.fromisoformat(token["expires_at"])
            if expires <= now():
                return None
            user = tx.get(EntityKind.user, token["user"])
            if user is None or user.get("disabled"):
                return None  # a disabled user's tokens stop working at once
            return user, expires

        found = self._read(work)
        if found is None:
            return None
        user = User.model_validate(found[0])
        memory.remember(generation, token_hash, _Seen(moment + TOKEN_MEMORY, found[1], user))
        return user

    @property
    def _token_memory(self) -> _TokenMemory:
        memory: _TokenMemory | None = self.__dict__.get("_tokens")
        if memory is None:
            memory = self.__dict__.setdefault("_tokens", _TokenMemory())
        return memory

    def _forget_tokens(self) -> None:
        """Users or tokens changed: no token found before is trusted without asking again."""
        self._token_memory.forget()

    def revoke_token(self, token_hash: str) -> None:
        def work(tx: WriteTx) -> None:
            token = tx.get(EntityKind.token, token_hash)
            if token is not None:
                tx.replace(EntityKind.token, {**token, "revoked": True})

        self._write(work)
        self._forget_tokens()

    # -- accounts

    def update_user(self, name: str, changes: UserUpdate | Mapping[str, Any], *, by: str) -> User:
        """Change a user's role, team or disabled state (an event says who did)."""
        who = check_user(by)
        patch = validate(UserUpdate, changes).model_dump(exclude_unset=True)
        when = now()

        def work(tx: WriteTx) -> Record:
            before = tx.get(EntityKind.user, name.strip().casefold())
            if before is None:
                raise NotFound(f"no user is named {name!r}", details={"name": name})
            actor = patch.get("actor_id")
            if actor and not tx.existing(EntityKind.actor, [actor]):
                raise InvalidInput(
                    f"actor_id: no actor has the id {actor!r}",
                    details=[{"field": "actor_id", "message": "no such actor"}],
                )
            after = {**before, **{k: (v.value if hasattr(v, "value") else v)
                                  for k, v in patch.items()}}  # fmt: skip
            after["updated_by"], after["updated_at"] = who, when.isoformat()
            tx.replace(EntityKind.user, after)
            tx.append_events(
                [
                    make_event(
                        EventAction.update,
                        EntityKind.user,
                        who,
                        when,
                        _public(before),
                        _public(after),
                    )
                ]
            )
            return after

        changed = User.model_validate(self._write(work))
        if patch.get("disabled"):  # a disabled user's sessions and tokens end now, for good
            self.revoke_tokens(changed.name)
        self._forget_tokens()
        return changed

    def set_password(self, name: str, password_hash: str, *, by: str) -> None:
        """A new password hash (the event says it changed, never what it is)."""
        who = check_user(by)
        when = now()

        def work(tx: WriteTx) -> None:
            before = tx.get(EntityKind.user, name.strip().casefold())
            if before is None:
                raise NotFound(f"no user is named {name!r}", details={"name": name})
            after = {**before, "password_hash": password_hash, "updated_by": who,
                     "updated_at": when.isoformat()}  # fmt: skip
            tx.replace(EntityKind.user, after)
            shown = {**_public(after), "password": "changed"}
            tx.append_events(
                [make_event(EventAction.update, EntityKind.user, who, when, _public(before), shown)]
            )

        self._write(work)
        self._forget_tokens()

    def list_tokens(self, name: str) -> list[TokenInfo]:
        """A user's tokens, newest first (ids are the first 16 characters of their hash)."""
        key = name.strip().casefold()
        records = self._read(lambda tx: tx.every(EntityKind.token))
        mine = [r for r in records if r["user"] == key]
        mine.sort(key=lambda r: r["created_at"], reverse=True)
        return [TokenInfo.model_validate({**r, "id": r["id"][:16]}) for r in mine]

    def revoke_tokens(self, name: str, token_id: str | None = None) -> int:
        """Revoke a user's tokens (all, or the one whose id starts with ``token_id``);
        returns how many were revoked."""
        key = name.strip().casefold()

        def work(tx: WriteTx) -> int:
            count = 0
            for token in tx.every(EntityKind.token):
                if token["user"] != key or token["revoked"]:
                    continue
                if token_id and not token["id"].startswith(token_id):
                    continue
                tx.replace(EntityKind.token, {**token, "revoked": True})
                count += 1
            return count

        revoked = self._write(work)
        self._forget_tokens()
        return revoked

    # -- failed logins (kept in the store: several server processes share them)

    def login_failures(self, key: str) -> LoginFailures:
        record = self._read(lambda tx: tx.get(EntityKind.throttle, key))
        return LoginFailures.model_validate(record or {"id": key})

    def record_login_failure(self, key: str, at: datetime) -> LoginFailures:
        """Count one failed login for ``key`` (``user:NAME`` or ``address:IP``)."""

        def work(tx: WriteTx) -> Record:
            before = tx.get(EntityKind.throttle, key)
            if before is None:  # now and then, counters nobody tripped for a day go
                stale = (at - THROTTLE_KEPT).isoformat()
                old = [
                    r["id"]
                    for r in tx.every(EntityKind.throttle)
                    if (r.get("last_at") or "") < stale and r["id"] != key
                ]
                tx.delete_many(EntityKind.throttle, old)
            after = {
                "id": key,
                "natural_key": key,
                "failures": (before or {}).get("failures", 0) + 1,
                "first_at": (before or {}).get("first_at") or at.isoformat(),
                "last_at": at.isoformat(),
            }
            if before is None:
                tx.insert_many(EntityKind.throttle, [after])
            else:
                tx.replace(EntityKind.throttle, after)
            return after

        try:
            return LoginFailures.model_validate(self._write(work))
        except Conflict:  # two failures raced to create the counter: count again
            return LoginFailures.model_validate(self._write(work))

    def clear_login_failures(self, key: str) -> None:
        def work(tx: WriteTx) -> None:
            if tx.get(EntityKind.throttle, key) is not None:
                tx.replace(EntityKind.throttle, {"id": key, "natural_key": key, "failures": 0})

        self._write(work)


class LoginFailures(BaseModel):
    """Failed logins counted for one user name or one client address."""

    id: str
    failures: int = 0
    first_at: datetime | None = None
    last_at: datetime | None = None


def _public(record: Record) -> Record:
    return {k: v for k, v in record.items() if k != "password_hash"}
