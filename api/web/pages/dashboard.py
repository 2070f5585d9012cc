"""The coordinator's dashboard: growth, changes, referral flows, and their downloads."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from pydantic import BaseModel

from api.analyses import REGISTRY
from api.kept import KEPT
from api.web import reasons
from api.web.i18n import day, number
from api.web.pages.actor_edit import SATURATION
from api.web.pages.base import (
    N_,
    FormDate,
    FormDay,
    Page,
    PageDep,
    actors_of,
    figures_scope_of,
    problem,
    wrong_fields,
)
from api.web.pages.living import count_to_check
from graph.dates import add_months
from graph.errors import MaillageError
from graph.model import today
from graph.validation import validate
from ingest.export import safe_cell
from viz.charts import line_chart

router = APIRouter(include_in_schema=False)


#: the dashboard's downloads of the network (``ingest/export.py``), on its last date
EXPORTS = [
    (N_("Gephi (GEXF)"), "gexf"),
    (N_("Gephi (GraphML)"), "graphml"),
    (N_("networkx, igraph (GraphML, every link an arc)"), "graphml-directed"),
    (N_("Kumu (JSON)"), "kumu"),
    (N_("Spreadsheet (XLSX)"), "xlsx"),
    (N_("Spreadsheets (CSV, zip)"), "csv"),
]


# --------------------------------------------------------------------------- the dashboard

#: the missions as the pages name them
MISSIONS = {
    "networking": N_("networking"),
    "referral": N_("referral"),
    "collective": N_("collective action"),
    "community": N_("community action"),
}

GROWTH_CHARTS = (
    ("actors", N_("Actors")),
    ("links", N_("Links")),
    ("density", N_("Density")),
    ("largest_component_share", N_("Share in the main group")),
    ("isolated", N_("Isolated actors")),
    ("ei_index_kinds", N_("E–I index across kinds")),
)


class _Period(BaseModel):
    """The dashboard's dates as its form sends them: empty is no date."""

    start: FormDate = None
    end: FormDate = None


def _figures(p: Page, first: date, last: date, scope: str | None) -> tuple[Any, Any, Any]:
    growth = REGISTRY["growth"](p.store, {"start": first, "end": last}, scope)
    compare = REGISTRY["compare"](p.store, {"first": first, "second": last}, scope)
    referrals = REGISTRY["referrals"](p.store, {"start": first, "end": last}, scope)
    return growth, compare, referrals


def _period(start: date | None, end: date | None) -> tuple[date, date]:
    last = end or date.today()
    return (start or add_months(last, -12)), last


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(
    p: PageDep,
    start: Annotated[str, Query(max_length=40)] = "",
    end: Annotated[str, Query(max_length=40)] = "",
    neighbourhood: Annotated[str, Query(max_length=200)] = "",
) -> HTMLResponse:
    """Growth over a period (charts, each with its data), what changed between its two ends,
    and referral flows with their saturation warnings — for the neighbourhoods one may see.
    A date the page cannot take gives the same page, for the last year, saying why."""
    access = p.require()
    scope = figures_scope_of(p, neighbourhood)
    problems: list[str] = []
    wrong: set[str] = set()
    try:
        period = validate(_Period, {"start": start, "end": end})
        first, last = _period(period.start, period.end)
        figures = _figures(p, first, last, scope)
    except MaillageError as exc:
        problems.append(problem(exc, p.lang))
        wrong = wrong_fields(exc)
        first, last = _period(None, None)
        figures = _figures(p, first, last, scope)
    growth, compare, referrals = figures
    _ = p.gettext()
    series = growth.overall
    labels = [day(pt.date, p.lang) for pt in series]

    def written(value: float) -> str:
        return number(value, p.lang)

    charts = [
        (
            _(title),
            Markup(  # noqa: S704 - numbers, and labels escaped by line_chart
                line_chart(_(title), labels, [getattr(pt, key) for pt in series], written)
            ),
            [(day(pt.date, p.lang), getattr(pt, key)) for pt in series],
        )
        for key, title in GROWTH_CHARTS
    ]
    by_worker: dict[str, int] = {}
    by_mission: dict[str, int] = {}
    for pt in series:
        for who, n in (pt.new_links_by_worker or {}).items():
            by_worker[who] = by_worker.get(who, 0) + n
        for what, n in (pt.new_links_by_mission or {}).items():
            by_mission[what] = by_mission.get(what, 0) + n
    # new links per interval, for each BAR worker and each mission: one chart each
    for group, field in ((by_worker, "new_links_by_worker"), (by_mission, "new_links_by_mission")):
        for key in sorted(group):
            values = [(getattr(pt, field) or {}).get(key, 0) for pt in series[1:]]
            shown = _(MISSIONS[key]) if field == "new_links_by_mission" and key in MISSIONS else key
            title = _("New links: %s") % shown
            charts.append(
                (
                    title,
                    Markup(line_chart(title, labels[1:], values, written)),  # noqa: S704
                    [(day(pt.date, p.lang), v) for pt, v in zip(series[1:], values, strict=True)],
                )
            )
    neighbourhoods = [n.name for n in p.store.list_neighbourhoods(limit=200).items]
    months = p.request.app.state.settings.confirm_months
    query = urlencode({"start": first, "end": last, "neighbourhood": scope or ""})
    place = {"neighbourhood": scope} if scope else {}
    exports = [
        (
            label,
            "/api/v1/exports?"
            + urlencode(
                {
                    "format": fmt,
                    "as_of": last,
                    **place,
                    **({"lang": p.lang} if fmt in SHEETS else {}),
                }
            ),
        )
        for label, fmt in EXPORTS
    ]
    if access.sees_everything:
        exports.append((_("Backup of everything (JSON)"), "/api/v1/exports?format=json"))
    return p.render(
        "dashboard.html",
        status=422 if problems else 200,
        problems=problems,
        wrong=wrong,
        typed={"start": start, "end": end},
        exports=exports,
        first=first,
        last=last,
        scope=scope,
        neighbourhoods=neighbourhoods if access.sees_everything else [],
        charts=charts,
        by_worker=sorted(by_worker.items()),
        by_mission=sorted(by_mission.items()),
        compare=compare,
        referrals=referrals,
        saturation=lambda w: reasons.saturation(w, p.gettext(), p.lang),
        query=query,
        stale=KEPT.get_or_make(
            p.store, scope, ("to check", months, today()), lambda: count_to_check(p, scope)
        ),
        known_saturation=_known_saturation(p, referrals),
        saturation_states=SATURATION,
        months=months,
    )


#: the exports a spreadsheet opens: in the reader's language (they import back the same)
SHEETS = ("csv", "xlsx")


def _known_saturation(p: Page, referrals: Any) -> dict[str, Any]:
    """Each referred service's saturation as the BAR noted it (the living directory), beside
    what the referral counts suggest."""
    ids = {s.service.id for s in referrals.services} | {
        w.service.id for w in referrals.saturation_warnings
    }
    return {a.id: a.saturation for a in actors_of(p.store, ids) if a.saturation is not None}


@router.get("/dashboard.csv")
def dashboard_csv(
    p: PageDep,
    section: Annotated[str, Query(pattern="^(growth|referrals)$")] = "growth",
    start: FormDay = None,
    end: FormDay = None,
    neighbourhood: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """The dashboard's figures as CSV (cells a spreadsheet would run as formulas stay text),
    headed in the reader's language; in French or Dutch with ``;`` and a byte-order mark, as a
    Belgian Excel opens them."""
    scope = figures_scope_of(p, neighbourhood)
    first, last = _period(start, end)
    _ = p.gettext()
    rows: list[list[Any]]
    if section == "growth":
        growth = REGISTRY["growth"](p.store, {"start": first, "end": last}, scope)
        columns = ["date", *(key for key, _t in GROWTH_CHARTS), "new_links"]
        titles = [_("Date"), *(_(title) for _k, title in GROWTH_CHARTS), _("New links")]
        rows = [titles] + [
            [getattr(pt, c) for c in columns]
            for pt in growth.overall  # type: ignore[attr-defined]
        ]
    else:
        flows = REGISTRY["referrals"](p.store, {"start": first, "end": last}, scope)
        rows = [[_("Service"), _("From"), _("To"), _("People referred"), _("Follow-up rate")]]
        for service in flows.services:  # type: ignore[attr-defined]
            for pt in service.series:
                rows.append([service.service.name, pt.from_, pt.to, pt.referred, pt.follow_up_rate])
    buffer = io.StringIO()
    local = p.lang != "en"
    if local:
        buffer.write("\ufeff")  # the byte-order mark: Excel reads UTF-8

    def cell(value: Any) -> Any:  # a decimal comma where the cells are split by ';'
        return str(value).replace(".", ",") if local and isinstance(value, float) else value

    csv.writer(buffer, delimiter=";" if local else ",").writerows(
        [[safe_cell(cell(v)) for v in row] for row in rows]
    )
    name = f"maillage-{section}-{first}-{last}.csv"
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )
