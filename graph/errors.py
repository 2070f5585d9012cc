"""The project's errors. Stores translate driver and sqlite errors into these (``raise … from``)."""

from __future__ import annotations

from datetime import date
from typing import Any


class Say(str):
    """A sentence for people, in English, that the pages can say in French or Dutch too.

    It is the English text (a ``str``: the API, the CLI and the logs use it as it is) and keeps
    its template and named parts, so ``api/web`` looks the template up in its catalogues and
    fills in the parts (dates written the reader's way; a part that is a ``Say`` is translated
    too). Templates are gettext message ids: Babel extracts ``Say("…")`` calls.

    >>> s = Say("{name} ended on {until}", name="Café Bruxelles", until=date(2026, 3, 1))
    >>> s, s.template, s.params["until"]
    ('Café Bruxelles ended on 2026-03-01', '{name} ended on {until}', datetime.date(2026, 3, 1))
    """

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> Say:
        english = {k: v.isoformat() if isinstance(v, date) else v for k, v in params.items()}
        said = super().__new__(cls, template.format(**english) if params else template)
        said.template = template
        said.params = params
        return said


class Rule(ValueError):
    """A rule between a record's fields that a schema cannot state (an end before its start,
    a key resident without consent): raised in pydantic model validators, so that the API
    can tell it from a value its schema already refuses (``ErrorBody.rule``)."""


class MaillageError(Exception):
    """Base of the project's errors: a code, a message a person understands, and details."""

    code = "error"

    def __init__(self, message: str, details: Any = None) -> None:
        """``message`` is best a :class:`Say`, so the pages can translate it."""
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        return {"error": self.code, "message": self.message, "details": self.details}


class NotFound(MaillageError):
    """The thing asked for does not exist (or did not exist on the date asked)."""

    code = "not_found"


class Conflict(MaillageError):
    """The write would duplicate something that exists; ``details`` names the existing one."""

    code = "conflict"


class InvalidInput(MaillageError):
    """The input breaks a rule of the domain; nothing was written."""

    code = "invalid_input"


class StoreUnavailable(MaillageError):
    """The store cannot be reached (Neo4j down, database file locked or unreadable)."""

    code = "store_unavailable"
