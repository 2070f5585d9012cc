"""Events: every write appends who, when, what, before and after. History and audit read them."""

from __future__ import annotations

from datetime import datetime

from graph.entities import SPECS
from graph.model import EntityKind, EventAction, new_id, stamp
from graph.tx import Record


def make_event(
    action: EventAction,
    entity: EntityKind,
    user: str,
    at: datetime,
    before: Record | None,
    after: Record | None,
) -> Record:
    """The event of one write, with the actors it concerns (for per-actor history)."""
    subject = after if after is not None else before
    if subject is None:
        raise ValueError("an event needs the record before or after the write")
    involves = SPECS[entity].involves
    actors = set(involves(subject))
    if before is not None and after is not None:
        actors |= set(involves(before))
    return {
        "id": new_id(),
        "at": stamp(at),
        "user": user,
        "action": action.value,
        "entity": entity.value,
        "entity_id": subject["id"],
        "actors": sorted(actors),
        "before": before,
        "after": after,
    }
