"""Validation and its messages: one wording for the stores, the HTTP API and the CLI."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from graph.errors import InvalidInput
from graph.model import today

M = TypeVar("M", bound=BaseModel)
MAX_LISTED = 5


def field_errors(errors: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Pydantic's errors as ``{"field": "a.b", "message": …}``, worded for people.

    The location's first part is kept only when it names a field (``body``/``query`` prefixes
    of FastAPI are dropped), and pydantic's "Value error, " prefix is removed.

    >>> field_errors([{"loc": ("body", "name"), "msg": "Value error, too long"}])
    [{'field': 'name', 'message': 'too long'}]
    """
    out = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ())]
        if loc and loc[0] in ("body", "query", "path", "header", "cookie"):
            loc = loc[1:]
        message = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
        out.append({"field": ".".join(loc) or None, "message": message})
    return out


def describe(problems: Sequence[Mapping[str, Any]], *, rows: bool = False) -> str:
    """One sentence listing the first problems (``row N: field: message; …``)."""
    parts = []
    for p in problems[:MAX_LISTED]:
        prefix = f"row {p['row']}: " if rows and "row" in p else ""
        field = f"{p['field']}: " if p.get("field") else ""
        parts.append(f"{prefix}{field}{p['message']}")
    more = f" (and {len(problems) - MAX_LISTED} more)" if len(problems) > MAX_LISTED else ""
    return "; ".join(parts) + more


def invalid(exc: ValidationError) -> InvalidInput:
    """A pydantic validation error as the project's InvalidInput."""
    problems = field_errors(exc.errors(include_url=False, include_input=False))
    return InvalidInput(describe(problems), details=problems)


def validate(model: type[M], data: M | Mapping[str, Any]) -> M:
    """Validate input into ``model``; a bad input raises InvalidInput naming each field."""
    if isinstance(data, model):
        return data
    if isinstance(data, BaseModel):
        data = data.model_dump(exclude_unset=True)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid(exc) from exc


def check_user(by: str) -> str:
    """The name of whoever writes (every write says who)."""
    user = (by or "").strip()
    if not user or len(user) > 200:
        raise InvalidInput("every write needs the name of the user who records it ('by')")
    return user


def as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def check_until(until: date, since: Any, what: str, *, retractable: bool = False) -> str:
    """An end date that is neither in the future nor before the start. For records that can be
    retracted, ending on the first day is refused too: that would erase the record from every
    date, which only a retraction (kept in the history) may do."""
    if until > today():
        raise InvalidInput(
            f"cannot end {what} on {until.isoformat()}: the date is in the future",
            details=[{"field": "until", "message": "date in the future"}],
        )
    start = as_date(since)
    if start is not None and (until < start or (retractable and until == start)):
        how = (
            "; a record made by mistake is retracted instead (POST …/retract, with a reason)"
            if retractable
            else ""
        )
        raise InvalidInput(
            f"cannot end {what} on {until.isoformat()}: it started on {start.isoformat()}{how}",
            details=[{"field": "until", "message": "on or before 'since'"}],
        )
    return until.isoformat()
