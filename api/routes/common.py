"""What the resource routers share: error responses, the end body, the CRUD builder."""

# No ``from __future__ import annotations`` here: FastAPI reads these annotations at runtime.

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Generic, TypeVar

from fastapi import APIRouter, Body, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from api.deps import Scoped
from api.scoped import ScopedStore
from graph.model import ExampleId, OptionalDay, Page, PastDate, today

C = TypeVar("C", bound=BaseModel)
U = TypeVar("U", bound=BaseModel)
T = TypeVar("T", bound=BaseModel)
F = TypeVar("F", bound=BaseModel)


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
    rule: bool = Field(
        default=False,
        description="On a 422: true when the request matches its schema but breaks a rule no "
        "schema can state (an end before its start, a key resident's consent, a neighbourhood "
        "not recorded yet, an import file's content); false when a value is not what its "
        "schema says",
    )


ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Not logged in, or the token expired"},
    403: {"model": ErrorBody, "description": "The role does not allow this"},
    404: {"model": ErrorBody, "description": "Not found (or not there on the date asked)"},
    409: {"model": ErrorBody, "description": "Conflicts with an existing record"},
    413: {"model": ErrorBody, "description": "The request body is larger than allowed"},
    422: {"model": ErrorBody, "description": "Bad input; 'details' names the fields"},
    503: {"model": ErrorBody, "description": "The store cannot be reached"},
}


class EndBody(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"until": "2025-06-30"}]}
    )
    until: PastDate = Field(default_factory=today, description="The day it ended (default: today)")


class RetractBody(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"reason": "recorded twice by mistake"}]}
    )
    reason: str = Field(min_length=1, max_length=500, description="Why it is retracted")


AsOf = Annotated[
    OptionalDay,
    Query(description="Read what was true on this day", examples=["2025-06-01"]),
]
Limit = Annotated[int, Query(ge=1, le=1000, description="Page size", examples=[50])]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip", examples=[0])]
RecordId = Annotated[
    str, Path(min_length=1, max_length=64, description="The record's id", examples=[ExampleId])
]


@dataclass(frozen=True)
class Resource(Generic[C, U, T, F]):
    """One resource of the API and the store operations behind it, named explicitly. They are
    called on the reader's :class:`api.scoped.ScopedStore`, which applies the policy."""

    plural: str
    singular: str
    create_model: type[C]
    update_model: type[U]
    read_model: type[T]
    filter_model: type[F]
    create: Callable[[ScopedStore, C], T]
    get: Callable[[ScopedStore, str, date | None], T]
    update: Callable[[ScopedStore, str, U], T]
    end: Callable[[ScopedStore, str, date], T] | None  # None: a record that is never ended
    list: Callable[[ScopedStore, Any, int, int], Page[T]]
    dated_get: bool = True
    reopen: Callable[[ScopedStore, str], T] | None = None
    retract: Callable[[ScopedStore, str, str], T] | None = None


def crud_router(resource: Resource[Any, Any, Any, Any]) -> APIRouter:
    """Create, read, update, end and list one resource."""
    r = resource
    router = APIRouter(prefix=f"/{r.plural}", tags=[r.plural], responses=ERRORS)
    word = r.singular.replace("_", " ")
    create_model, update_model = r.create_model, r.update_model
    read_model, filter_model = r.read_model, r.filter_model

    @router.post(
        "",
        status_code=201,
        response_model=read_model,
        summary=f"Record a new {word}",
        description=f"Creates the {word}; who recorded it and when come from the logged-in user.",
    )
    def create(
        store: Scoped,
        data: Annotated[create_model, Body()],  # type: ignore[valid-type]
    ) -> Any:
        return r.create(store, data)

    @router.get("", response_model=Page[read_model], summary=f"List {r.plural}")  # type: ignore[valid-type]
    def list_(
        store: Scoped,
        filters: Annotated[filter_model, Query()],  # type: ignore[valid-type]
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Any:
        return r.list(store, filters, limit, offset)

    if r.dated_get:

        @router.get("/{record_id}", response_model=read_model, summary=f"Read one {word}")
        def get(store: Scoped, record_id: RecordId, as_of: AsOf = None) -> Any:
            return r.get(store, record_id, as_of)

    else:

        @router.get("/{record_id}", response_model=read_model, summary=f"Read one {word}")
        def get_undated(store: Scoped, record_id: RecordId) -> Any:
            return r.get(store, record_id, None)

    @router.patch("/{record_id}", response_model=read_model, summary=f"Change a {word}")
    def update(
        store: Scoped,
        record_id: RecordId,
        changes: Annotated[update_model, Body()],  # type: ignore[valid-type]
    ) -> Any:
        return r.update(store, record_id, changes)

    ender = r.end
    if ender is not None:

        @router.post(
            "/{record_id}/end",
            response_model=read_model,
            summary=f"End a {word} on a date",
            description=f"A {word} is ended with a date, not deleted: its history stays readable.",
        )
        def end(store: Scoped, record_id: RecordId, body: EndBody) -> Any:
            return ender(store, record_id, body.until)

    reopen, retract = r.reopen, r.retract
    if reopen is not None:

        @router.post(
            "/{record_id}/reopen",
            response_model=read_model,
            summary=f"Reopen an ended {word}",
            description=f"Undoes the end of a {word} ended by mistake (coordinators, or within "
            "a day the user who ended it); an event keeps it.",
        )
        def reopen_(store: Scoped, record_id: RecordId) -> Any:
            return reopen(store, record_id)

    if retract is not None:

        @router.post(
            "/{record_id}/retract",
            response_model=read_model,
            summary=f"Retract a {word} recorded by mistake",
            description=f"The {word} is then absent on every date; the history keeps who "
            "retracted it and why (coordinators, or within a day the user who recorded it).",
        )
        def retract_(store: Scoped, record_id: RecordId, body: RetractBody) -> Any:
            return retract(store, record_id, body.reason)

    return router
