"""The living directory: when an actor's details were last confirmed, and which ones are to
check again; phones as a person dials them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import phonenumbers

from graph.model import Actor

#: an actor not confirmed for this long is listed for its team, to check (the setting
#: MAILLAGE_CONFIRM_MONTHS, in months of 30.5 days)
CONFIRM_DAYS = 183  # six months


def days_of(months: int) -> int:
    return round(months * 30.5)


def last_confirmed(actor: Actor) -> tuple[date, str]:
    """When and by whom its details were last confirmed: "still true", else its recording."""
    if actor.confirmed_on is not None:
        return actor.confirmed_on, actor.confirmed_by or actor.recorded_by
    return actor.recorded_at.date(), actor.recorded_by


def to_check(actor: Actor, today: date, days: int = CONFIRM_DAYS) -> bool:
    """Not confirmed for ``days`` (an ended or retracted actor is not to check)."""
    if actor.until is not None or actor.retracted is not None:
        return False
    return last_confirmed(actor)[0] < today - timedelta(days=days)


def stale_actors(actors: Iterable[Actor], today: date, days: int = CONFIRM_DAYS) -> list[Actor]:
    """Those to check, the longest unconfirmed first."""
    return sorted((a for a in actors if to_check(a, today, days)), key=lambda a: last_confirmed(a))


def phone_text(number: str) -> str:
    """A stored phone (E.164) as a person in Belgium dials it; a foreign one in full.

    >>> phone_text("+3225201234"), phone_text("+32470123456"), phone_text("+33142685300")
    ('02 520 12 34', '0470 12 34 56', '+33 1 42 68 53 00')
    """
    try:
        parsed = phonenumbers.parse(number, "BE")
    except phonenumbers.NumberParseException:
        return number
    if parsed.country_code == 32:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
