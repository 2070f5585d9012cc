"""The missions' indicators for the funder: each figure defined in words, computed for a period
and a neighbourhood (or all), the records behind it a click away, two periods or two
neighbourhoods side by side, as CSV and XLSX."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse, Response

from analysis.results import Figure, IndicatorsResult
from api.diagnosis import as_csv, as_xlsx
from api.indicators import check_period, indicators_of
from api.web.pages.actor_edit import SATURATION
from api.web.pages.base import (
    N_,
    FormDay,
    Page,
    PageDep,
    neighbourhood_names,
    problem,
)
from api.web.pages.referrals import OUTCOME_WORDS, THEME_WORDS
from graph.errors import MaillageError
from graph.model import SaturationState
from graph.vocabulary import label

router = APIRouter(include_in_schema=False)

#: mission -> its figures: key, name, definition, how it is shown
MISSIONS: list[tuple[str, list[tuple[str, str, str, str]]]] = [
    (N_("Mission 1: networking"), [
        ("team_network", N_("The team's network"),
         N_("Actors linked to the BAR team at the end of the period."), "count"),
        ("team_network_new", N_("New in the team's network"),
         N_("Of those, the actors whose first link with the team dates from the period."),
         "count"),
        ("introductions_suggested", N_("Introductions suggested"),
         N_("Introductions Maillage suggested on the period's first day: actors not linked, "
            "with a common contact, who share a theme or a public."), "count"),
        ("introductions_taken_up", N_("Taken up at a meeting"),
         N_("Introductions the team decided to make at a meeting in the period (follow-ups "
            "naming two actors)."), "count"),
        ("introductions_linked", N_("Became a link"),
         N_("Of those, the pairs between whom a link was recorded afterwards, in the period."),
         "count"),
        ("introductions_joint_activity", N_("Became a joint activity"),
         N_("Of those, the pairs who then took part in the same activity, in the period: the "
            "network led to actors working together."), "count"),
        ("directory_confirmed", N_("Directory alive"),
         N_("Share of the actors confirmed (or recorded) in the six months up to the period's "
            "end; the others are listed."), "share"),
    ]),
    (N_("Mission 2: individual referral"), [
        ("referrals", N_("People referred"),
         N_("People the team referred to a service in the period (anonymous counts)."),
         "count"),
        ("referrals_followed_up", N_("Follow-up known"),
         N_("Share of the people referred whose follow-up is known: they reached the service "
            "or not."), "share"),
        ("referrals_reached", N_("Reached the service"),
         N_("Share of the people referred who reached the service."), "share"),
        ("services_saturated", N_("Services without room"),
         N_("Services that took no new people (a waiting list, or closed to new people) at "
            "some time in the period, and for how many days in all."), "days"),
    ]),
    (N_("Mission 3: collective health information"), [
        ("collective_actions", N_("Actions held"),
         N_("Collective health information actions held in the period."), "count"),
        ("collective_people", N_("People who took part"),
         N_("People at those actions (a count per action, where one was recorded)."),
         "people"),
        ("collective_partners", N_("Partner actors"),
         N_("Actors who took part in those actions, the team aside."), "count"),
        ("collective_publics", N_("Publics reached"),
         N_("The publics those actions reached."), "publics"),
        ("collective_languages", N_("Languages used"),
         N_("The languages those actions were held in."), "languages"),
    ]),
    (N_("Mission 4: community actions"), [
        ("community_actions", N_("Actions held"),
         N_("Community actions held in the period."), "count"),
        ("community_by_residents", N_("Started or carried by residents"),
         N_("Share of those actions started or carried by a residents' group: the people "
            "feel they are the initiators."), "share"),
        ("community_people", N_("People who took part"),
         N_("People at those actions (a count per action, where one was recorded)."),
         "people"),
        ("community_partners", N_("Partner actors"),
         N_("Actors who took part in those actions, the team aside."), "count"),
        ("community_publics", N_("Publics reached"),
         N_("The publics those actions reached."), "publics"),
        ("community_languages", N_("Languages used"),
         N_("The languages those actions were held in."), "languages"),
    ]),
]  # fmt: skip
Place = Annotated[str, Query(max_length=200)]
ASKED = ("neighbourhood", "start", "end", "other", "other_start", "other_end")


def _place(p: Page, asked: str) -> str | None:
    access = p.require()
    if asked:
        return asked
    return None if access.sees_everything else access.team_label


def _said(p: Page, figure: Figure, shown: str) -> str:
    """A figure's value as the page and the exports say it."""
    _ = p.gettext()
    if shown == "share":
        return f"{figure.value:.0%} ({figure.count or 0}/{figure.total or 0})"
    if shown == "days":
        return _("%(services)s (%(days)s days in all)") % {
            "services": int(figure.value),
            "days": figure.days or 0,
        }
    if shown == "people" and figure.total and figure.count != figure.total:
        return _("%(people)s (counted at %(counted)s of %(held)s actions)") % {
            "people": int(figure.value),
            "counted": figure.count,
            "held": figure.total,
        }
    return str(int(figure.value))


def _referral_theme(p: Page, code: str) -> str:
    return p.gettext()(THEME_WORDS.get(code, code))


def _item_text(p: Page, shown: str, item: Any) -> str:
    _ = p.gettext()
    if shown == "days" and item.tags:
        state = SATURATION.get(SaturationState(item.tags[0]), item.tags[0])
        return _("%(service)s: %(days)s days (%(state)s)") % {
            "service": item.label,
            "days": item.count,
            "state": _(state),
        }
    if len(item.tags) == 2:  # a referral: its theme and outcome
        theme, outcome = item.tags
        people = _("%(num)s people") % {"num": item.count}
        words = (_(THEME_WORDS.get(theme, theme)), _(OUTCOME_WORDS.get(outcome, outcome)))
        return " · ".join((item.label, people, *words))
    if shown == "publics":
        return f"{label('target_groups', item.label, p.lang)} ({item.detail})"
    if shown == "languages":
        return f"{label('languages', item.label, p.lang)} ({item.detail})"
    return str(item.label)


def _results(p: Page, place: str | None, start: date | None, end: date | None) -> IndicatorsResult:
    first, last = check_period(start, end)
    return indicators_of(p.store, place, first, last)


def _rows(p: Page, results: list[IndicatorsResult]) -> list[list[Any]]:
    """The figures as a table: mission, figure, definition, then a column per result."""
    _ = p.gettext()
    by_key = [{f.key: f for f in r.figures} for r in results]
    rows = []
    for mission, figures in MISSIONS:
        for key, name, definition, shown in figures:
            rows.append([_(mission), _(name), _(definition),
                         *(_said(p, found[key], shown) for found in by_key)])  # fmt: skip
    return rows


def _heading(p: Page, r: IndicatorsResult) -> str:
    _ = p.gettext()
    return f"{r.neighbourhood or _('all neighbourhoods')} · {r.start} – {r.end}"


@router.get("/indicators", response_class=HTMLResponse)
def indicators_page(p: PageDep, asked: AskedDep) -> HTMLResponse:
    """One period and neighbourhood, or two side by side (another period, or another
    neighbourhood for a coordinator)."""
    access = p.require()
    try:
        place = _place(p, asked.neighbourhood)
        results = asked.results(p)
    except (MaillageError, ValueError) as exc:
        return p.render("message.html", status=422, message=problem(exc, p.lang))
    columns = [{f.key: f for f in r.figures} for r in results]
    return p.render(
        "indicators.html",
        results=results,
        columns=columns,
        headings=[_heading(p, r) for r in results],
        missions=MISSIONS,
        said=lambda figure, shown: _said(p, figure, shown),
        item_text=lambda shown, item: _item_text(p, shown, item),
        referral_theme=lambda code: _referral_theme(p, str(code)),
        place=place or "",
        other=asked.other,
        places=neighbourhood_names(p.store) if access.sees_everything else [],
        first=results[0],
        query={k: v for k, v in p.request.query_params.items() if k in ASKED and v},
    )


@dataclass
class Asked:
    """What the indicators page, its CSV and its XLSX are asked: a period and a neighbourhood,
    and the other side of a comparison."""

    neighbourhood: Place = ""
    start: FormDay = None
    end: FormDay = None
    other: Place = ""
    other_start: FormDay = None
    other_end: FormDay = None

    def results(self, p: Page) -> list[IndicatorsResult]:
        place = _place(p, self.neighbourhood)
        results = [_results(p, place, self.start, self.end)]
        if self.other_start or self.other_end or self.other:
            results.append(_results(p, self.other or place, self.other_start or self.start,
                                    self.other_end or self.end))  # fmt: skip
        return results


AskedDep = Annotated[Asked, Depends()]


def _head(p: Page, results: list[IndicatorsResult]) -> list[str]:
    _ = p.gettext()
    return [_("Mission"), _("Figure"), _("Definition"), *(_heading(p, r) for r in results)]


@router.get("/indicators.csv")
def indicators_csv(p: PageDep, asked: AskedDep) -> Response:
    results = asked.results(p)
    name = f"indicators-{results[0].start}-{results[0].end}.csv"
    return Response(
        as_csv([_head(p, results), *_rows(p, results)]),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/indicators.xlsx")
def indicators_xlsx(p: PageDep, asked: AskedDep) -> Response:
    """The figures, then every record behind them (a sheet per period or neighbourhood)."""
    _ = p.gettext()
    results = asked.results(p)
    sheets: dict[str, list[list[Any]]] = {"figures": [_head(p, results), *_rows(p, results)]}
    names = {key: _(name) for _m, figures in MISSIONS for key, name, _d, _s in figures}
    shown = {key: how for _m, figures in MISSIONS for key, _n, _d, how in figures}
    titles = {"figures": _("Indicators")}
    for number, r in enumerate(results, start=1):
        rows: list[list[Any]] = [[_("Figure"), _("Record"), _("Date"), _("Detail")]]
        for f in r.figures:
            for item in f.items:
                when = item.date.isoformat() if item.date else ""
                text = _item_text(p, shown.get(f.key, ""), item)
                rows.append([names.get(f.key, f.key), text, when, item.detail or ""])
        sheets[f"records-{number}"] = rows
        titles[f"records-{number}"] = _("Records %s") % number
    name = f"indicators-{results[0].start}-{results[0].end}.xlsx"
    return Response(
        as_xlsx(sheets, titles),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
