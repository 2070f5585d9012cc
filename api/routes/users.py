"""User management (coordinators and admins)."""

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, ConfigDict, Field

from api.deps import Manager, Store
from api.routes.common import ERRORS
from api.security import MIN_PASSWORD, hash_password
from graph.model import ExampleId, Role, User, UserCreate

router = APIRouter(prefix="/users", tags=["users"], responses=ERRORS)


class NewUser(UserCreate):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"name": "joris", "role": "bar", "password": "a long passphrase"}]
        },
    )
    password: str = Field(min_length=MIN_PASSWORD, max_length=1000)


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


@router.post("", response_model=User, status_code=201, summary="Add a user")
def add_user(user: Manager, store: Store, data: NewUser) -> User:
    if data.role is Role.admin and user.role is not Role.admin:
        raise HTTPException(403, "only an admin can create another admin")
    fields = data.model_dump(exclude={"password"})
    return store.create_user(fields, hash_password(data.password), by=user.name)


@router.get("", response_model=UserList, summary="List users")
def list_users(user: Manager, store: Store) -> UserList:
    return UserList(items=store.list_users())
