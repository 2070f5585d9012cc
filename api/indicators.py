"""The missions' indicators for a period and a neighbourhood (or all), as the API, the page and
the command line give them: the records read through the reader's store (``api/scoped.py``),
computed by :mod:`analysis.indicators` and kept per version of the neighbourhood
(``api/kept.py``); and as tables for CSV and XLSX."""

from __future__ import annotations

from datetime import date

from analysis.bridging import introductions
from analysis.indicators import indicators, saturation_spells
from analysis.reach import bar_team_of
from analysis.results import IndicatorsResult
from api.analyses import EARLIEST, checked_day, in_neighbourhood
from api.diagnosis import checked_period, every_item
from api.kept import KEPT
from api.scoped import ScopedStore
from graph.dates import add_months
from graph.errors import Say
from graph.model import (
    ActivityQuery,
    FollowUpFilter,
    ReferralQuery,
    normalise_name,
    today,
)


def check_period(start: date | None, end: date | None) -> tuple[date, date]:
    """The period asked; by default the last twelve months up to today."""
    end = end or today()
    too_long = Say("indicators cover at most three years: choose a shorter period")
    first = start or (max(add_months(end, -12), EARLIEST) if end >= EARLIEST else end)
    return checked_period(first, end, too_long)


def indicators_of(
    store: ScopedStore, neighbourhood: str | None, start: date, end: date
) -> IndicatorsResult:
    """Every mission's indicators (None: every neighbourhood the reader sees)."""

    def make() -> IndicatorsResult:
        day = checked_day(min(start, today()), "as_of")
        history = in_neighbourhood(
            KEPT.graph(store, neighbourhood, None, history=True), neighbourhood
        )
        # after the history: the region's network at the start is cut from it (api/kept.py)
        start_graph = KEPT.graph(store, neighbourhood, day)
        home = {n for n, d in history.nodes(data=True) if d.get("kind") != "bar_team"}
        team_actor = None if store.access.sees_everything else store.access.user.actor_id
        team = bar_team_of(history, team_actor if team_actor in history else None, neighbourhood)
        place = normalise_name(neighbourhood) if neighbourhood else None
        follow_ups = [
            f.model_dump()
            for f in every_item(lambda o: store.list_follow_ups(
                FollowUpFilter(neighbourhood=neighbourhood), limit=1000, offset=o))
        ]  # fmt: skip
        activities = [
            a.model_dump()
            for a in every_item(lambda o: store.list_activities(
                ActivityQuery(neighbourhood=neighbourhood, start=add_months(start, -12), end=end),
                limit=1000, offset=o))
        ]  # fmt: skip
        referrals = [
            r.model_dump()
            for r in every_item(lambda o: store.list_referrals(
                ReferralQuery(start=start, end=end), limit=1000, offset=o))
            if place is None or r.from_actor in history or r.to_actor in history
        ]  # fmt: skip
        services = {r["to_actor"] for r in referrals} | {
            n for n in home if history.nodes[n].get("saturation")
        }
        confirmed, noted = store.directory_rounds(home | services)
        spells = {s: saturation_spells(noted.get(s, []), min(end, today())) for s in services}
        at_start = in_neighbourhood(start_graph, neighbourhood)
        suggested = [  # the bridging report's introductions at the start (no brokers' measures)
            (o["actors"][0]["id"], o["actors"][1]["id"]) for o in introductions(at_start, limit=20)
        ]
        found = indicators(
            history,
            team=team,
            follow_ups=follow_ups,
            activities=activities,
            referrals=referrals,
            spells=spells,
            suggested=suggested,
            confirmed=confirmed,
            start=start,
            end=end,
            neighbourhood=neighbourhood,
        )
        return IndicatorsResult.model_validate(found)

    return KEPT.get_or_make(store, neighbourhood, ("indicators", start, end), make)
