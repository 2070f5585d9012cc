"""The project's errors. Stores translate driver and sqlite errors into these (``raise … from``)."""

from __future__ import annotations

from typing import Any


class MaillageError(Exception):
    """Base of the project's errors: a code, a message a person understands, and details."""

    code = "error"

    def __init__(self, message: str, details: Any = None) -> None:
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
