"""The BAR missions' indicators for a period, for the funder: each figure computed from what was
recorded (links with their dates, follow-ups decided at meetings, referrals, activities, the
actors' confirmations and the services' saturation as noted), each with the records behind it.

- mission 1 (networking): the team's own network and who joined it; introductions suggested,
  taken up at a meeting, become a link, then a joint activity; the directory kept alive;
- mission 2 (individual referral): people referred by theme and by service, the share whose
  follow-up is known and reached, the services that took no new people and for how long;
- mission 3 (collective health information): actions, people, partner actors, publics and
  languages;
- mission 4 (community actions): actions, and how many residents' groups started or carried.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import networkx as nx

from graph.dates import add_months

RESIDENTS = ("resident_group", "key_resident")
FULL = ("waiting_list", "closed")  # a service that takes no new people right away


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _true_on(data: Mapping[str, Any], day: date) -> bool:
    since, until = _day(data.get("since")), _day(data.get("until"))
    return (since is None or since <= day) and (until is None or until > day)


def _figure(
    key: str, value: float, items: Iterable[Mapping[str, Any]] = (), **extra: Any
) -> dict[str, Any]:
    return {"key": key, "value": value, "items": [dict(i) for i in items], **extra}


def _share(key: str, part: int, whole: int, items: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    return _figure(key, part / whole if whole else 0.0, items, count=part, total=whole)


def _item(
    graph: nx.MultiDiGraph, node: str, day: date | None = None, detail: str = ""
) -> dict[str, Any]:
    name = str(graph.nodes[node]["name"]) if node in graph else "?"
    return {"label": name, "id": node, "date": day, "detail": detail or None}


def _pair(graph: nx.MultiDiGraph, a: str, b: str) -> str:
    return " — ".join(_item(graph, n)["label"] for n in (a, b))


def _networking(
    history: nx.MultiDiGraph,
    team: Sequence[str],
    follow_ups: Iterable[Mapping[str, Any]],
    activities: Iterable[Mapping[str, Any]],
    suggested: Sequence[tuple[str, str]],
    confirmed: Mapping[str, Sequence[date]],
    start: date,
    end: date,
) -> list[dict[str, Any]]:
    """Mission 1's figures: the team's network, introductions, the directory alive (an actor
    confirmed, or recorded, in the six months up to the period's end)."""
    in_team = set(team)
    first_tie: dict[str, date] = {}
    known_on_end: set[str] = set()
    for u, v, data in history.edges(data=True):
        if (u in in_team) == (v in in_team):
            continue  # a tie inside the team, or between two other actors
        other = v if u in in_team else u
        since = _day(data.get("since")) or end
        if data.get("retracted"):
            continue
        first_tie[other] = min(since, first_tie.get(other, since))
        if _true_on(data, end):
            known_on_end.add(other)
    new = sorted(
        (a for a in known_on_end if start <= first_tie[a] <= end), key=lambda a: first_tie[a]
    )
    figures = [
        _figure("team_network", len(known_on_end),
                [_item(history, a, first_tie[a])
                 for a in sorted(known_on_end, key=lambda a: first_tie[a])]),
        _figure("team_network_new", len(new), [_item(history, a, first_tie[a]) for a in new]),
        _figure("introductions_suggested", len(suggested),
                [{"label": _pair(history, a, b), "id": a, "date": start, "detail": None}
                 for a, b in suggested]),
    ]  # fmt: skip
    taken = [  # two actors of the graph (a reader is given only the actors they may see)
        f for f in follow_ups
        if len(f["actors"]) == 2 and all(a in history for a in f["actors"])
        and start <= _day(f["recorded_at"]) <= end  # type: ignore[operator]
    ]  # fmt: skip
    linked, joint = [], []
    together = [a for a in activities if _day(a.get("since")) is not None]
    for f in sorted(taken, key=lambda f: str(f["recorded_at"])):
        a, b = f["actors"]
        day = _day(f["recorded_at"])
        assert day is not None
        ties = [
            _day(d.get("since")) or day
            for u, v, d in history.edges(data=True)
            if {u, v} == {a, b} and not d.get("retracted")
            and (_day(d.get("since")) or day) >= day and (_day(d.get("since")) or day) <= end
        ]  # fmt: skip
        item = {"label": _pair(history, a, b), "id": a, "date": day, "detail": None}
        if ties:
            linked.append({**item, "date": min(ties)})
            shared = [
                act for act in together
                if {a, b} <= set(act.get("participants") or [])
                and day <= _day(act["since"]) <= end  # type: ignore[operator]
            ]  # fmt: skip
            if shared:
                first = min(shared, key=lambda act: str(act["since"]))
                joint.append({**item, "date": _day(first["since"]), "detail": str(first["name"])})
    figures += [
        _figure("introductions_taken_up", len(taken),
                [{"label": _pair(history, *f["actors"]), "id": f["actors"][0],
                  "date": _day(f["recorded_at"]), "detail": f.get("what")} for f in taken]),
        _figure("introductions_linked", len(linked), linked),
        _figure("introductions_joint_activity", len(joint), joint),
    ]  # fmt: skip
    actors = [
        n for n, d in history.nodes(data=True)
        if _true_on(d, end) and not d.get("retracted") and d.get("kind") != "bar_team"
    ]  # fmt: skip
    since = add_months(end, -6)
    fresh: list[dict[str, Any]] = []
    stale: list[dict[str, Any]] = []
    for n in actors:
        days = [d for d in confirmed.get(n, ()) if d <= end]
        recorded = _day(history.nodes[n].get("recorded_at"))
        if recorded is not None and recorded <= end:
            days.append(recorded)
        when = max(days, default=None)
        (fresh if when is not None and when > since else stale).append(_item(history, n, when))
    stale.sort(key=lambda i: i["date"] or date.min)
    figures.append(_share("directory_confirmed", len(fresh), len(actors), stale))
    return figures


def _referral(
    history: nx.MultiDiGraph,
    referrals: Iterable[Mapping[str, Any]],
    spells: Mapping[str, Sequence[tuple[date, date | None, str]]],
    start: date,
    end: date,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Mission 2's figures, and the people referred by theme and by service."""
    rows = [r for r in referrals if start <= _day(r["date"]) <= end]  # type: ignore[operator]
    people = sum(int(r["count"]) for r in rows)
    known = sum(int(r["count"]) for r in rows if r["outcome"] in ("reached", "not_reached"))
    reached = sum(int(r["count"]) for r in rows if r["outcome"] == "reached")
    themes: Counter[str] = Counter()
    services: Counter[str] = Counter()
    for r in rows:
        themes[str(r["theme"])] += int(r["count"])
        services[str(r["to_actor"])] += int(r["count"])
    full = []
    for service, periods in sorted(spells.items()):
        days = 0
        for first, last, state in periods:
            begin, stop = (
                max(first, start),
                min(last or end + timedelta(days=1), end + timedelta(days=1)),
            )
            if stop > begin:
                days += (stop - begin).days
                noted = state
        if days:
            full.append({**_item(history, service), "count": days, "tags": [noted]})
            full[-1]["days"] = days
    by_theme = [
        {"key": k, "count": n} for k, n in sorted(themes.items(), key=lambda x: (-x[1], x[0]))
    ]
    by_service = [
        {"key": _item(history, k)["label"], "id": k, "count": n}
        for k, n in sorted(services.items(), key=lambda x: (-x[1], x[0]))
    ]
    listed = [{"label": _item(history, str(r["to_actor"]))["label"], "id": r["to_actor"],
               "date": _day(r["date"]), "detail": None, "count": int(r["count"]),
               "tags": [str(r["theme"]), str(r["outcome"])]}
              for r in sorted(rows, key=lambda r: str(r["date"]))]  # fmt: skip
    figures = [
        _figure("referrals", people, listed),
        _share("referrals_followed_up", known, people, []),
        _share("referrals_reached", reached, people, []),
        _figure("services_saturated", len(full),
                [{k: v for k, v in i.items() if k != "days"} for i in full],
                days=sum(i["days"] for i in full)),
    ]  # fmt: skip
    return figures, by_theme, by_service


def _actions(
    history: nx.MultiDiGraph,
    activities: Iterable[Mapping[str, Any]],
    team: Sequence[str],
    start: date,
    end: date,
) -> list[dict[str, Any]]:
    """Missions 3 and 4: collective health information and community actions."""
    held = [
        a for a in activities
        if _day(a.get("since")) is not None and start <= _day(a["since"]) <= end  # type: ignore[operator]
    ]  # fmt: skip
    in_team = set(team)
    figures = []
    for mission in ("collective", "community"):
        done = sorted((a for a in held if a["mission"] == mission), key=lambda a: str(a["since"]))
        listed = [{"label": str(a["name"]), "id": str(a["id"]), "date": _day(a["since"]),
                   "detail": None} for a in done]  # fmt: skip
        counted = [a for a in done if a.get("attendance")]
        people = sum(int(a["attendance"]) for a in counted)
        partners = sorted(
            {p for a in done for p in a.get("participants") or [] if p not in in_team}
        )
        publics = Counter(p for a in done for p in a.get("target_groups") or [])
        languages = Counter(lang for a in done for lang in a.get("languages") or [])
        figures += [
            _figure(f"{mission}_actions", len(done), listed),
            _figure(f"{mission}_people", people,
                    [{"label": str(a["name"]), "id": str(a["id"]), "date": _day(a["since"]),
                      "detail": str(a["attendance"])} for a in counted],
                    count=len(counted), total=len(done)),
            _figure(f"{mission}_partners", len(partners), [_item(history, p) for p in partners]),
            _figure(f"{mission}_publics", len(publics),
                    [{"label": p, "id": None, "date": None, "detail": str(n)}
                     for p, n in publics.most_common()]),
            _figure(f"{mission}_languages", len(languages),
                    [{"label": lang, "id": None, "date": None, "detail": str(n)}
                     for lang, n in languages.most_common()]),
        ]  # fmt: skip
        if mission == "community":
            by_residents = [
                a for a in done
                if any(history.nodes[i].get("kind") in RESIDENTS
                       for i in a.get("initiators") or [] if i in history)
            ]  # fmt: skip
            figures.append(
                _share("community_by_residents", len(by_residents), len(done),
                       [{"label": str(a["name"]), "id": str(a["id"]), "date": _day(a["since"]),
                         "detail": ", ".join(_item(history, i)["label"]
                                             for i in a.get("initiators") or [])}
                        for a in by_residents])
            )  # fmt: skip
    return figures


def saturation_spells(
    states: Sequence[tuple[date, str]], today: date
) -> list[tuple[date, date | None, str]]:
    """The spells a service took no new people, from its saturation as noted over time.

    Parameters
    ----------
    states
        (the day noted, the state) in the order they were recorded.
    today
        The day the last spell runs to, if it is not over.

    Returns
    -------
    list of tuple
        (first day, the day it ended or None, the state) for each spell of ``waiting_list`` or
        ``closed``.

    Examples
    --------
    >>> saturation_spells([(date(2026, 1, 5), "closed"), (date(2026, 3, 1), "accepting")],
    ...                   date(2026, 6, 1))
    [(datetime.date(2026, 1, 5), datetime.date(2026, 3, 1), 'closed')]
    """
    spells: list[tuple[date, date | None, str]] = []
    for day, state in sorted(states, key=lambda s: s[0]):
        if spells and spells[-1][1] is None:
            first, _, was = spells[-1]
            if state == was:
                continue
            spells[-1] = (first, day, was)
        if state in FULL:
            spells.append((day, None, state))
    return [s for s in spells if s[0] <= today]


def indicators(
    history: nx.MultiDiGraph,
    *,
    team: Sequence[str],
    follow_ups: Iterable[Mapping[str, Any]],
    activities: Iterable[Mapping[str, Any]],
    referrals: Iterable[Mapping[str, Any]],
    spells: Mapping[str, Sequence[tuple[date, date | None, str]]],
    suggested: Sequence[tuple[str, str]],
    confirmed: Mapping[str, Sequence[date]] | None = None,
    start: date,
    end: date,
    neighbourhood: str | None = None,
) -> dict[str, Any]:
    """Every mission's indicators for ``start``–``end`` (both days included).

    Parameters
    ----------
    history
        The neighbourhood's whole history (actors and links with their dates).
    team
        The BAR team's actors (the team and its workers).
    follow_ups, activities, referrals
        The records of the neighbourhood, as mappings of their fields.
    spells
        Each service's spells without room for new people (see :func:`saturation_spells`).
    suggested
        The introductions Maillage suggested at the period's start (pairs of actor ids).
    confirmed
        The days each actor was confirmed ("still true").
    start, end
        The period.
    neighbourhood
        Its name, as reports show it (None: all).

    Returns
    -------
    dict
        ``figures`` (each with ``key``, ``value``, the ``items`` behind it, and ``count`` and
        ``total`` for shares), ``referrals_by_theme`` and ``referrals_by_service``.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("t", name="BAR", kind="bar_team")
    >>> g.add_node("a", name="Asbl", kind="association", recorded_at="2026-01-02T10:00:00Z")
    >>> _ = g.add_edge("t", "a", since="2026-02-01")
    >>> found = indicators(g, team=["t"], follow_ups=[], activities=[], referrals=[], spells={},
    ...                    suggested=[], start=date(2026, 1, 1), end=date(2026, 6, 30))
    >>> {f["key"]: f["value"] for f in found["figures"]}["team_network_new"]
    1
    """
    activities = list(activities)
    figures = _networking(
        history, team, follow_ups, activities, suggested, confirmed or {}, start, end
    )
    m2, by_theme, by_service = _referral(history, referrals, spells, start, end)
    figures += m2 + _actions(history, activities, team, start, end)
    return {
        "neighbourhood": neighbourhood,
        "start": start,
        "end": end,
        "figures": figures,
        "referrals_by_theme": by_theme,
        "referrals_by_service": by_service,
    }
