"""Retention: key residents (the only individuals kept) ended longer ago than the retention
period are erased for good, as the privacy policy promises (README, "Privacy").

``maillage purge`` runs it; ``--dry-run`` lists who would be erased and changes nothing."""

from __future__ import annotations

from datetime import date

from graph.dates import add_months
from graph.model import Actor, ActorKind
from graph.store import GraphStore


def expired_key_residents(store: GraphStore, months: int, today: date) -> list[Actor]:
    """Key residents whose end (``until``) is more than ``months`` months before ``today``,
    oldest end first (read from the history: ended actors are not in today's list)."""
    if months < 1:
        raise ValueError("the retention period is at least one month")
    cutoff = add_months(today, -months)
    actors = [Actor.model_validate(attrs) for _, attrs in store.history().nodes(data=True)]
    expired = [
        a
        for a in actors
        if a.kind is ActorKind.key_resident and a.until is not None and a.until < cutoff
    ]
    return sorted(expired, key=lambda a: (a.until or cutoff, a.name))


def purge(store: GraphStore, months: int, today: date, *, by: str, dry_run: bool) -> list[Actor]:
    """Erase the expired key residents (unless ``dry_run``); the actors concerned."""
    expired = expired_key_residents(store, months, today)
    if not dry_run:
        for actor in expired:
            reason = f"retention: ended on {actor.until}, more than {months} months ago"
            store.erase_actor(actor.id, by=by, reason=reason)
    return expired
