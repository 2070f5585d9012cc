"""Referral flows: the load on each receiving service over time, its follow-up rate, and a
saturation warning when load rises while follow-up falls (referral raises saturation)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from analysis.errors import BadParameter
from analysis.growth import dates_between

KNOWN = ("reached", "not_reached")


def _bucket(day: date, edges: list[date]) -> int | None:
    """Index of the interval ``[edges[i], edges[i+1])`` holding ``day``."""
    for i in range(len(edges) - 1):
        if edges[i] <= day < edges[i + 1]:
            return i
    return None


def referral_flows(
    referrals: Iterable[Mapping[str, Any]],
    names: Mapping[str, str],
    *,
    start: date,
    end: date,
    interval: str = "month",
    window: int = 3,
    rise: float = 0.2,
    fall: float = 0.1,
) -> dict[str, Any]:
    """Referrals per receiving service per interval, follow-up rates and saturation warnings.

    A referral counts ``count`` people. The follow-up rate is the share reached among those
    whose outcome is known (reached or not reached). A service gets a warning when its load over
    the last ``window`` intervals is at least ``rise`` (20 %) above the ``window`` before, while
    its follow-up rate dropped by at least ``fall`` (10 points).

    Parameters
    ----------
    referrals
        Anonymous counts: ``date``, ``to_actor``, ``count``, ``outcome``.
    names
        Each service's name.
    start, end, interval
        The period and its intervals.
    window
        Intervals compared for the saturation warning.
    rise, fall
        The load rise (share) and follow-up fall (points) that make a warning.

    Returns
    -------
    dict
        Validates as :class:`analysis.results.ReferralsResult`.

    Examples
    --------
    >>> refs = [{"date": date(2025, m, 5), "to_actor": "cpas", "count": c, "outcome": o}
    ...         for m, c, o in [(1, 2, "reached"), (2, 2, "reached"), (3, 2, "reached"),
    ...                         (4, 4, "not_reached"), (5, 4, "reached"), (6, 4, "not_reached")]]
    >>> span = {"start": date(2025, 1, 1), "end": date(2025, 7, 1)}
    >>> result = referral_flows(refs, {"cpas": "CPAS"}, **span)
    >>> [w["service"]["name"] for w in result["saturation_warnings"]]
    ['CPAS']
    """
    edges = dates_between(start, end, interval)
    if len(edges) < 2:
        raise BadParameter("start and end must span at least one interval")
    periods = len(edges) - 1
    services: dict[str, dict[str, list[int]]] = {}
    for ref in referrals:
        day = ref["date"] if isinstance(ref["date"], date) else date.fromisoformat(str(ref["date"]))
        slot = _bucket(day, edges)
        if slot is None:
            continue
        stats = services.setdefault(
            str(ref["to_actor"]),
            {"load": [0] * periods, "reached": [0] * periods, "known": [0] * periods},
        )
        count = int(ref.get("count", 1))
        outcome = str(ref.get("outcome", "pending"))
        stats["load"][slot] += count
        if outcome in KNOWN:
            stats["known"][slot] += count
            stats["reached"][slot] += count if outcome == "reached" else 0

    def rate(reached: int, known: int) -> float | None:
        return round(reached / known, 4) if known else None

    rows: list[dict[str, Any]] = []
    warnings: list[dict[str, Any]] = []
    for service, stats in services.items():
        series = [
            {
                "from": edges[i].isoformat(),
                "to": edges[i + 1].isoformat(),
                "referred": stats["load"][i],
                "follow_up_rate": rate(stats["reached"][i], stats["known"][i]),
            }
            for i in range(periods)
        ]
        who = {"id": service, "name": names.get(service, service)}
        total_known = sum(stats["known"])
        rows.append(
            {
                "service": who,
                "referred": sum(stats["load"]),
                "follow_up_rate": rate(sum(stats["reached"]), total_known),
                "series": series,
            }
        )
        if periods >= 2 * window:
            recent = slice(periods - window, periods)
            before = slice(periods - 2 * window, periods - window)
            load_now, load_then = sum(stats["load"][recent]), sum(stats["load"][before])
            rate_now = rate(sum(stats["reached"][recent]), sum(stats["known"][recent]))
            rate_then = rate(sum(stats["reached"][before]), sum(stats["known"][before]))
            if (
                load_then > 0
                and rate_now is not None
                and rate_then is not None
                and (load_now - load_then) / load_then >= rise
                and rate_then - rate_now >= fall
            ):
                warnings.append(
                    {
                        "service": who,
                        "load_before": load_then,
                        "load_recent": load_now,
                        "follow_up_before": rate_then,
                        "follow_up_recent": rate_now,
                        "reason": f"{who['name']} received {load_now} people in the last "
                        f"{window} {interval}s against {load_then} before, while follow-up fell "
                        f"from {rate_then:.0%} to {rate_now:.0%}: it may be saturated.",
                    }
                )
    rows.sort(key=lambda r: (-int(r["referred"]), str(r["service"]["name"])))
    return {
        "parameters": {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "interval": interval,
            "window": window,
            "rise": rise,
            "fall": fall,
        },
        "services": rows,
        "saturation_warnings": warnings,
    }
