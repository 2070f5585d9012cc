"""The diagnosis of a neighbourhood for a period, from what its actors say about it
(observations) and from its network: needs, problems, resources, wishes and changes by theme,
sector and month; for each need, who can act on it (actors with its theme), who reaches the
people concerned (actors with its publics, and the languages they speak) and where nobody does
(the gaps); the observations quoted with their sources; the change from the previous period.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

import networkx as nx

from graph.dates import add_months

KINDS = ("need", "problem", "resource", "wish", "change")
#: what a need is met by: needs and problems call for someone who acts
NEEDS = ("need", "problem")
WHOLE = "*"  # an observation about the whole neighbourhood (no sector named)
TEAM_KINDS = ("bar_team",)


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period just before ``start``–``end`` (both days included): as many whole months
    when the period is whole months, else as many days.

    Parameters
    ----------
    start, end
        The period (both days included).

    Returns
    -------
    tuple of date
        The previous period's first and last days.

    Examples
    --------
    >>> previous_period(date(2026, 1, 1), date(2026, 6, 30))
    (datetime.date(2025, 7, 1), datetime.date(2025, 12, 31))
    >>> previous_period(date(2026, 3, 10), date(2026, 3, 19))
    (datetime.date(2026, 2, 28), datetime.date(2026, 3, 9))
    """
    after = end + timedelta(days=1)
    if start.day == 1 and after.day == 1:
        months = (after.year - start.year) * 12 + after.month - start.month
        return add_months(start, -months), start - timedelta(days=1)
    days = (end - start).days + 1
    return start - timedelta(days=days), start - timedelta(days=1)


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _in(observations: Iterable[Mapping[str, Any]], start: date, end: date) -> list[Any]:
    return [o for o in observations if start <= _day(o["date"]) <= end]


def _counts(rows: Iterable[Mapping[str, Any]], key: str) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(KINDS, 0))
    for o in rows:
        keys = o[key] if isinstance(o[key], list) else [o[key]]
        for k in keys or [WHOLE]:
            table[str(k)][str(o["kind"])] += 1
    return table


def _quote(graph: nx.MultiDiGraph, o: Mapping[str, Any]) -> dict[str, Any]:
    sources = [
        {"id": s, "name": str(graph.nodes[s]["name"])} for s in o.get("sources") or [] if s in graph
    ]
    return {
        "id": str(o["id"]),
        "date": _day(o["date"]),
        "kind": str(o["kind"]),
        "theme": str(o["theme"]),
        "publics": list(o.get("target_groups") or []),
        "sectors": list(o.get("sectors") or []),
        "text": str(o["text"]),
        "sources": sources,
    }


def _ref(graph: nx.MultiDiGraph, node: str) -> dict[str, Any]:
    data = graph.nodes[node]
    return {"id": node, "name": str(data["name"]), "kind": str(data.get("kind", ""))}


def diagnose(
    observations: Iterable[Mapping[str, Any]],
    graph: nx.MultiDiGraph,
    start: date,
    end: date,
    *,
    neighbourhood: str | None = None,
) -> dict[str, Any]:
    """A neighbourhood's diagnosis for ``start``–``end`` (both days included), compared with
    the period of the same length before it.

    Parameters
    ----------
    observations
        The neighbourhood's observations (each a mapping with ``id``, ``kind``, ``theme``,
        ``target_groups``, ``sectors``, ``sources``, ``date`` and ``text``), of both periods
        at least.
    graph
        The neighbourhood's network on ``end`` (a snapshot): its actors' themes, publics and
        languages say who can act and who reaches whom.
    start, end
        The period.
    neighbourhood
        Its name, as the report shows it.

    Returns
    -------
    dict
        ``by_kind``, ``by_theme`` (kinds × theme, with the previous period's totals),
        ``by_sector``, ``by_theme_sector`` (theme × sector), ``by_month``, ``needs`` (each with
        ``can_act``, ``reaching`` per public, ``gaps`` and ``quotes``), ``resources``,
        ``wishes`` and ``changes`` (quoted).

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("m", name="Maison médicale", kind="health_actor", themes=["health"],
    ...            target_groups=["families"], languages=["fr", "ar"])
    >>> said = [{"id": "o1", "kind": "need", "theme": "health", "target_groups": ["elderly"],
    ...          "sectors": [], "sources": ["m"], "date": "2026-02-03",
    ...          "text": "Elderly people wait months for a doctor"}]
    >>> d = diagnose(said, g, date(2026, 1, 1), date(2026, 6, 30))
    >>> need = d["needs"][0]
    >>> need["theme"], [a["name"] for a in need["can_act"]], need["gaps"]
    ('health', ['Maison médicale'], ['elderly'])
    """
    now = _in(observations, start, end)
    before_start, before_end = previous_period(start, end)
    before = _in(observations, before_start, before_end)
    themes_now, themes_before = _counts(now, "theme"), _counts(before, "theme")
    by_theme: list[dict[str, Any]] = []
    for theme in sorted(set(themes_now) | set(themes_before)):
        row = themes_now.get(theme, dict.fromkeys(KINDS, 0))
        total = sum(row.values())
        previous = sum(themes_before.get(theme, {}).values())
        by_theme.append({"theme": theme, **row, "total": total, "previous": previous})
    by_theme.sort(key=lambda r: (-r["total"], r["theme"]))
    kinds_now, kinds_before = Counter(o["kind"] for o in now), Counter(o["kind"] for o in before)
    by_kind = [{"kind": k, "count": kinds_now[k], "previous": kinds_before[k]} for k in KINDS]
    by_sector = [
        {"sector": sector, **row, "total": sum(row.values())}
        for sector, row in sorted(_counts(now, "sectors").items())
    ]
    crossed: Counter[tuple[str, str]] = Counter(
        (str(o["theme"]), str(sector)) for o in now for sector in o.get("sectors") or [WHOLE]
    )
    by_theme_sector = [
        {"theme": t, "sector": sector, "count": n} for (t, sector), n in sorted(crossed.items())
    ]
    months = _counts([{**o, "month": _day(o["date"]).strftime("%Y-%m")} for o in now], "month")
    by_month = [{"month": m, **row} for m, row in sorted(months.items())]

    actors = [n for n, d in graph.nodes(data=True) if d.get("kind") not in TEAM_KINDS]
    needs: list[dict[str, Any]] = []
    asked = [o for o in now if o["kind"] in NEEDS]
    for theme in sorted({o["theme"] for o in asked}):
        about = [o for o in asked if o["theme"] == theme]
        publics = sorted({p for o in about for p in o.get("target_groups") or []})
        can_act = [a for a in actors if theme in (graph.nodes[a].get("themes") or [])]
        reaching = []
        gaps = []
        for public in publics:
            there = [a for a in actors if public in (graph.nodes[a].get("target_groups") or [])]
            acting = [a for a in there if a in can_act]
            languages = sorted(
                {lang for a in there for lang in graph.nodes[a].get("languages") or []}
            )
            reaching.append(
                {
                    "public": public,
                    "actors": [_ref(graph, a) for a in sorted(there)],
                    "acting": [_ref(graph, a) for a in sorted(acting)],
                    "languages": languages,
                }
            )
            if not acting:
                gaps.append(public)
        if not publics and not can_act:
            gaps.append(WHOLE)
        previous = sum(1 for o in before if o["kind"] in NEEDS and o["theme"] == theme)
        needs.append(
            {
                "theme": theme,
                "count": len(about),
                "previous": previous,
                "publics": publics,
                "can_act": [_ref(graph, a) for a in sorted(can_act)],
                "reaching": reaching,
                "gaps": gaps,
                "quotes": [_quote(graph, o) for o in sorted(about, key=_by_date)],
            }
        )
    needs.sort(key=lambda n: (-n["count"], n["theme"]))

    def quoted(kind: str) -> list[dict[str, Any]]:
        return [_quote(graph, o) for o in sorted(now, key=_by_date) if o["kind"] == kind]

    return {
        "neighbourhood": neighbourhood,
        "start": start,
        "end": end,
        "previous_start": before_start,
        "previous_end": before_end,
        "observations": len(now),
        "previous_observations": len(before),
        "by_kind": by_kind,
        "by_theme": by_theme,
        "by_sector": by_sector,
        "by_theme_sector": by_theme_sector,
        "by_month": by_month,
        "needs": needs,
        "resources": quoted("resource"),
        "wishes": quoted("wish"),
        "changes": quoted("change"),
    }


def _by_date(o: Mapping[str, Any]) -> tuple[date, str]:
    return _day(o["date"]), str(o["id"])
