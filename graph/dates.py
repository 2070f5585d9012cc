"""Calendar arithmetic shared by the analyses, the demo and the importers."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months (negative: back), the day kept where it
    exists and otherwise clipped to the month's last day.

    >>> add_months(date(2026, 5, 31), -6).isoformat()
    '2025-11-30'
    >>> add_months(date(2024, 1, 31), 1).isoformat()
    '2024-02-29'
    >>> add_months(date(2025, 12, 15), 1).isoformat()
    '2026-01-15'
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def month_start(day: date, months: int = 0) -> date:
    """The first day of the month ``months`` away from ``day``'s month.

    >>> month_start(date(2026, 3, 17), -3).isoformat()
    '2025-12-01'
    """
    return add_months(day.replace(day=1), months)
