"""User management: coordinators manage users except admins; admins manage everyone; each user
sees and revokes their own tokens."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Response
from pydantic import BaseModel, ConfigDict, StringConstraints

from api.deps import AccessDep, Manager, RawStore
from api.routes.common import ERRORS
from api.security import MAX_PASSWORD, MIN_PASSWORD, WeakPassword, hash_password
from graph.errors import InvalidInput
from graph.model import ExampleId, Role, TokenInfo, User, UserCreate, UserUpdate

router = APIRouter(prefix="/users", tags=["users"], responses=ERRORS)

# A password is kept exactly as typed: no stripping of spaces.
Password = Annotated[
    str,
    StringConstraints(strip_whitespace=False, min_length=MIN_PASSWORD, max_length=MAX_PASSWORD),
]
UserName = Annotated[str, Path(min_length=1, max_length=40, examples=["amina"])]


class NewUser(UserCreate):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"name": "joris", "role": "bar", "password": "a long passphrase"}]
        },
    )
    password: Password


class NewPassword(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"password": "a new long passphrase"}]}
    )
    password: Password


class UserList(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            "name": "amina",
                            "role": "bar",
                            "actor_id": ExampleId,
                            "recorded_by": "coordinator",
                            "recorded_at": "2025-01-06T09:30:00Z",
                        }
                    ]
                }
            ]
        }
    )
    items: list[User]


class TokenList(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            "id": "3f2a9c0d1e4b5a6c",
                            "kind": "login",
                            "created_at": "2026-11-28T09:00:00Z",
                            "expires_at": "2026-11-28T21:00:00Z",
                            "revoked": False,
                        }
                    ]
                }
            ]
        }
    )
    items: list[TokenInfo]


def hashed(password: str, name: str) -> str:
    """The hash of a password the rules accept; a refused one is bad input (422)."""
    try:
        return hash_password(password, name)
    except WeakPassword as exc:
        raise InvalidInput(str(exc), details=[{"field": "password", "message": str(exc)}]) from exc


def _may_manage(manager: User, target: User | None, new_role: Role | None = None) -> None:
    """Coordinators manage users except admins (and make none); admins manage everyone."""
    if manager.role is Role.admin:
        return
    if (target is not None and target.role is Role.admin) or new_role is Role.admin:
        raise HTTPException(403, "only an admin manages admins")


@router.post("", response_model=User, status_code=201, summary="Add a user")
def add_user(user: Manager, store: RawStore, data: NewUser) -> User:
    _may_manage(user, None, data.role)
    fields = data.model_dump(exclude={"password"})
    return store.create_user(fields, hashed(data.password, data.name), by=user.name)


@router.get("", response_model=UserList, summary="List users")
def list_users(user: Manager, store: RawStore) -> UserList:
    return UserList(items=store.list_users())


@router.patch(
    "/{name}",
    response_model=User,
    summary="Change a user's role or team, disable or enable them",
    description="A disabled user cannot log in and their tokens stop working at once.",
)
def change_user(user: Manager, store: RawStore, name: UserName, changes: UserUpdate) -> User:
    target = store.get_user(name)
    _may_manage(user, target, changes.role)
    if target.name.casefold() == user.name.casefold() and (changes.disabled or changes.role):
        raise HTTPException(403, "ask another coordinator or an admin to change your own account")
    return store.update_user(name, changes, by=user.name)


@router.post(
    "/{name}/password",
    status_code=204,
    summary="Reset a user's password",
    description="Coordinators and admins set a new password for someone who lost theirs; the "
    "user's tokens are revoked.",
)
def reset_password(user: Manager, store: RawStore, name: UserName, body: NewPassword) -> Response:
    target = store.get_user(name)
    _may_manage(user, target)
    store.set_password(target.name, hashed(body.password, target.name), by=user.name)
    store.revoke_tokens(target.name)
    return Response(status_code=204)


@router.get("/{name}/tokens", response_model=TokenList, summary="A user's tokens")
def tokens(access: AccessDep, store: RawStore, name: UserName) -> TokenList:
    _self_or_manager(access, store, name)
    return TokenList(items=store.list_tokens(name))


@router.delete(
    "/{name}/tokens/{token_id}",
    status_code=204,
    summary="Revoke a token",
    description="`token_id` is the token's short id from the list (or `all`).",
)
def revoke(
    access: AccessDep,
    store: RawStore,
    name: UserName,
    token_id: Annotated[str, Path(min_length=3, max_length=64, examples=["3f2a9c0d1e4b5a6c"])],
) -> Response:
    _self_or_manager(access, store, name)
    which = None if token_id == "all" else token_id  # noqa: S105 - a word, not a password
    if store.revoke_tokens(name, which) == 0:
        raise HTTPException(404, "no such token (or it was already revoked)")
    return Response(status_code=204)


def _self_or_manager(access: AccessDep, store: RawStore, name: str) -> None:
    if access.user.name.casefold() == name.casefold():
        return
    if not access.manages_users:
        raise HTTPException(403, "you manage your own tokens; coordinators manage everyone's")
    _may_manage(access.user, store.get_user(name))
