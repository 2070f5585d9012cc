"""Validation and its messages: one wording for the stores, the HTTP API and the CLI."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from graph.errors import InvalidInput, Rule, Say
from graph.model import today

M = TypeVar("M", bound=BaseModel)
MAX_LISTED = 5

#: pydantic's own errors, in the project's words (and so in the pages' three languages)
PYDANTIC_SAYS: dict[str, str] = {
    "missing": "required",
    "string_too_short": "at least {min_length} characters",
    "string_too_long": "at most {max_length} characters",
    "too_short": "at least {min_length} items",
    "too_long": "at most {max_length} items",
    "greater_than_equal": "at least {ge}",
    "less_than_equal": "at most {le}",
    "greater_than": "more than {gt}",
    "less_than": "less than {lt}",
    "int_parsing": "a whole number is expected",
    "int_type": "a whole number is expected",
    "int_from_float": "a whole number is expected",
    "float_parsing": "a number is expected",
    "bool_parsing": "yes or no is expected",
    "date_parsing": "write a date as YYYY-MM-DD",
    "date_from_datetime_parsing": "write a date as YYYY-MM-DD",
    "date_from_datetime_inexact": "write a date as YYYY-MM-DD",
    "date_type": "write a date as YYYY-MM-DD",
    "datetime_parsing": "write a moment in ISO 8601 (YYYY-MM-DDTHH:MM:SS+01:00)",
    "datetime_from_date_parsing": "write a moment in ISO 8601 (YYYY-MM-DDTHH:MM:SS+01:00)",
    "enum": "one of: {expected}",
    "literal_error": "one of: {expected}",
    "extra_forbidden": "not a field of this record",
}
# so that Babel extracts them
_SAID = [
    Say("required"),
    Say("at least {min_length} characters", min_length=0),
    Say("at most {max_length} characters", max_length=0),
    Say("at least {min_length} items", min_length=0),
    Say("at most {max_length} items", max_length=0),
    Say("at least {ge}", ge=0),
    Say("at most {le}", le=0),
    Say("more than {gt}", gt=0),
    Say("less than {lt}", lt=0),
    Say("a whole number is expected"),
    Say("a number is expected"),
    Say("yes or no is expected"),
    Say("write a date as YYYY-MM-DD"),
    Say("write a moment in ISO 8601 (YYYY-MM-DDTHH:MM:SS+01:00)"),
    Say("one of: {expected}", expected=""),
    Say("not a field of this record"),
]


def _said(err: Mapping[str, Any]) -> str:
    """One pydantic error as a sentence: the project's own (a validator's :class:`Say`), or
    pydantic's in the project's words, or pydantic's as it is."""
    ctx = err.get("ctx") or {}
    raised = ctx.get("error")
    if isinstance(raised, Exception) and raised.args and isinstance(raised.args[0], Say):
        return raised.args[0]
    template = PYDANTIC_SAYS.get(str(err.get("type")))
    if template is not None:
        try:
            return Say(template, **{k: ctx[k] for k in ctx if "{" + k + "}" in template})
        except KeyError:
            pass
    return str(err.get("msg", "invalid value")).removeprefix("Value error, ")


def field_errors(errors: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Pydantic's errors as ``{"field": "a.b", "message": …}``, worded for people.

    The location's first part is kept only when it names a field (``body``/``query`` prefixes
    of FastAPI are dropped), and pydantic's "Value error, " prefix is removed.

    >>> field_errors([{"loc": ("body", "name"), "msg": "Value error, too long"}])
    [{'field': 'name', 'message': 'too long'}]
    >>> field_errors([{"loc": ("name",), "type": "string_too_long", "ctx": {"max_length": 9}}])
    [{'field': 'name', 'message': 'at most 9 characters'}]
    """
    out = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ())]
        if loc and loc[0] in ("body", "query", "path", "header", "cookie"):
            loc = loc[1:]
        out.append({"field": ".".join(loc) or None, "message": _said(err)})
    return out


def only_rules(errors: Sequence[Mapping[str, Any]]) -> bool:
    """Whether every error is a :class:`Rule` between fields (the request matches its schema
    but breaks a rule no schema can state), rather than a value its schema refuses."""
    return bool(errors) and all(
        isinstance((err.get("ctx") or {}).get("error"), Rule) for err in errors
    )


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


def validate_rows(model: type[M], rows: Sequence[M | Mapping[str, Any]]) -> list[M]:
    """Validate rows into ``model``; the problems of every bad row are raised at once, each
    with its ``row`` (its index) when there are several rows."""
    checked: list[M] = []
    problems: list[dict[str, Any]] = []
    for index, row in enumerate(rows):
        try:
            checked.append(validate(model, row))
        except InvalidInput as exc:
            found = exc.details if isinstance(exc.details, list) else []
            problems += [{**p, "row": index} for p in found]
    if problems:
        raise InvalidInput(describe(problems, rows=len(rows) > 1), details=problems)
    return checked


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
            Say("cannot end {what} on {until}: the date is in the future", what=what, until=until),
            details=[{"field": "until", "message": Say("date in the future")}],
        )
    start = as_date(since)
    if start is not None and (until < start or (retractable and until == start)):
        said = (
            Say(
                "cannot end {what} on {until}: it started on {since}; a record made by mistake "
                "is retracted instead (POST …/retract, with a reason)",
                what=what,
                until=until,
                since=start,
            )
            if retractable
            else Say(
                "cannot end {what} on {until}: it started on {since}",
                what=what,
                until=until,
                since=start,
            )
        )
        raise InvalidInput(
            said,
            details=[{"field": "until", "message": Say("on or before 'since'")}],
        )
    return until.isoformat()
