"""What the resource routers share: error responses, the end body, the CRUD builder."""

# No ``from __future__ import annotations`` here: FastAPI reads these annotations at runtime.

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from api.deps import Reader, Store, Writer
from graph.model import ExampleId, Page, PastDate, today


class ErrorBody(BaseModel):
    """Every error answer has this shape."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "error": "not_found",
                    "message": "no actor has the id 'a1b2'",
                    "details": {"id": "a1b2"},
                }
            ]
        }
    )
    error: str = Field(description="A stable code: not_found, conflict, invalid_input…")
    message: str = Field(description="What went wrong, for a person")
    details: Any = None


ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Not logged in, or the token expired"},
    403: {"model": ErrorBody, "description": "The role does not allow this"},
    404: {"model": ErrorBody, "description": "Not found (or not there on the date asked)"},
    409: {"model": ErrorBody, "description": "Conflicts with an existing record"},
    422: {"model": ErrorBody, "description": "Bad input; 'details' names the fields"},
    503: {"model": ErrorBody, "description": "The store cannot be reached"},
}


class EndBody(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"until": "2025-06-30"}]}
    )
    until: PastDate = Field(default_factory=today, description="The day it ended (default: today)")


AsOf = Annotated[
    date | None,
    Query(description="Read what was true on this day", examples=["2025-06-01"]),
]
Limit = Annotated[int, Query(ge=1, le=1000, description="Page size", examples=[50])]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip", examples=[0])]
RecordId = Annotated[
    str, Path(min_length=1, max_length=64, description="The record's id", examples=[ExampleId])
]


def crud_router(
    *,
    plural: str,
    singular: str,
    create_model: type[BaseModel],
    update_model: type[BaseModel],
    read_model: type[BaseModel],
    filter_model: type[BaseModel],
    dated_get: bool = True,
) -> APIRouter:
    """Create, read, update, end and list one resource through the store's methods."""
    router = APIRouter(prefix=f"/{plural}", tags=[plural], responses=ERRORS)
    word = singular.replace("_", " ")

    @router.post(
        "",
        status_code=201,
        response_model=read_model,
        summary=f"Record a new {word}",
        description=f"Creates the {word}; who recorded it and when come from the logged-in user.",
    )
    def create(
        user: Writer,
        store: Store,
        data: Annotated[create_model, Body()],  # type: ignore[valid-type]
    ) -> Any:
        return getattr(store, f"create_{singular}")(data, by=user.name)

    @router.get("", response_model=Page[read_model], summary=f"List {plural}")  # type: ignore[valid-type]
    def list_(
        user: Reader,
        store: Store,
        filters: Annotated[filter_model, Query()],  # type: ignore[valid-type]
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Any:
        return getattr(store, f"list_{plural}")(filters, limit=limit, offset=offset)

    if dated_get:

        @router.get("/{record_id}", response_model=read_model, summary=f"Read one {word}")
        def get(user: Reader, store: Store, record_id: RecordId, as_of: AsOf = None) -> Any:
            return getattr(store, f"get_{singular}")(record_id, as_of=as_of)

    else:

        @router.get("/{record_id}", response_model=read_model, summary=f"Read one {word}")
        def get_undated(user: Reader, store: Store, record_id: RecordId) -> Any:
            return getattr(store, f"get_{singular}")(record_id)

    @router.patch("/{record_id}", response_model=read_model, summary=f"Change a {word}")
    def update(
        user: Writer,
        store: Store,
        record_id: RecordId,
        changes: Annotated[update_model, Body()],  # type: ignore[valid-type]
    ) -> Any:
        return getattr(store, f"update_{singular}")(record_id, changes, by=user.name)

    @router.post(
        "/{record_id}/end",
        response_model=read_model,
        summary=f"End a {word} on a date",
        description=f"A {word} is ended with a date, not deleted: its history stays readable.",
    )
    def end(user: Writer, store: Store, record_id: RecordId, body: EndBody) -> Any:
        return getattr(store, f"end_{singular}")(record_id, body.until, by=user.name)

    return router
