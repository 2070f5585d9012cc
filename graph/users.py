"""Users and their tokens: authentication data kept beside the graph, behind its own small port
(:class:`UserStore`). Password hashes leave the store only inside :class:`Credentials`, whose hash
is a ``SecretStr`` (never printed, never serialised by accident)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, SecretStr

from graph.errors import Conflict, InvalidInput, NotFound
from graph.events import make_event
from graph.model import EntityKind, EventAction, User, UserCreate, now
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
        """The user a token belongs to, if the token exists, is not revoked and not expired."""

        def work(tx: ReadTx) -> Record | None:
            token = tx.get(EntityKind.token, token_hash)
            if token is None or token["revoked"]:
                return None
            if datetime.fromisoformat(token["expires_at"]) <= now():
                return None
            return tx.get(EntityKind.user, token["user"])

        record = self._read(work)
        return User.model_validate(record) if record else None

    def revoke_token(self, token_hash: str) -> None:
        def work(tx: WriteTx) -> None:
            token = tx.get(EntityKind.token, token_hash)
            if token is not None:
                tx.replace(EntityKind.token, {**token, "revoked": True})

        self._write(work)
