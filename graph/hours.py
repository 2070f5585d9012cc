"""Opening hours read the way a person waiting for an address asks: is it open now, and if
not, when does it open next? Times are Brussels time (the actors are in Brussels)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from graph.model import Opening, Weekday

BRUSSELS = ZoneInfo("Europe/Brussels")
DAYS = list(Weekday)  # Monday first, as datetime.weekday() counts


@dataclass(frozen=True)
class Moment:
    """When an actor is open or opens next: the opening and the day it falls on."""

    opening: Opening
    on: datetime  # the local moment it opens (or opened, when open now)


def open_now(hours: Sequence[Opening], at: datetime) -> Opening | None:
    """The opening ``at`` falls in, if any.

    >>> o = Opening(day="monday", opens="09:00", closes="12:00")
    >>> open_now([o], datetime(2026, 11, 30, 10, 0, tzinfo=BRUSSELS)) is o
    True
    >>> open_now([o], datetime(2026, 11, 30, 12, 0, tzinfo=BRUSSELS)) is None
    True
    """
    local = at.astimezone(BRUSSELS)
    today, now = DAYS[local.weekday()], local.strftime("%H:%M")
    for opening in hours:
        if opening.day is today and opening.opens <= now < opening.closes:  # HH:MM as text
            return opening
    return None


def next_open(hours: Sequence[Opening], at: datetime) -> Moment | None:
    """The next opening that starts after ``at`` (within a week), or None without hours.

    >>> o = Opening(day="monday", opens="09:00", closes="12:00")
    >>> next_open([o], datetime(2026, 11, 30, 13, 0, tzinfo=BRUSSELS)).on.date().isoformat()
    '2026-12-07'
    """
    local = at.astimezone(BRUSSELS)
    best: Moment | None = None
    for opening in hours:
        ahead = (DAYS.index(opening.day) - local.weekday()) % 7
        day = local.date() + timedelta(days=ahead)
        opens = time.fromisoformat(opening.opens)
        start = datetime.combine(day, opens, tzinfo=BRUSSELS)
        if start <= local:
            start = datetime.combine(day + timedelta(days=7), opens, tzinfo=BRUSSELS)
        if best is None or start < best.on:
            best = Moment(opening, start)
    return best


def by_day(hours: Sequence[Opening]) -> list[tuple[Weekday, list[Opening]]]:
    """The openings grouped by weekday, Monday first, each day's in order of time."""
    return [
        (d, sorted((o for o in hours if o.day is d), key=lambda o: o.opens))
        for d in DAYS
        if any(o.day is d for o in hours)
    ]


__all__ = ["BRUSSELS", "Moment", "by_day", "next_open", "open_now"]
