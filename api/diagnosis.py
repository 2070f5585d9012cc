"""The diagnosis of a neighbourhood for a period, as the API, the page and the command line give
it: the neighbourhood's observations of the period and the one before it, and its network on the
period's last day, read through the reader's store (``api/scoped.py``) and kept per version of
the neighbourhood (``api/kept.py``); and its tables, for CSV and XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from openpyxl import Workbook

from analysis.diagnosis import KINDS, WHOLE, diagnose, previous_period
from analysis.results import DiagnosisResult
from api.analyses import in_neighbourhood, not_before_earliest
from api.kept import KEPT
from api.scoped import ScopedStore
from graph.dates import add_months, month_start
from graph.errors import InvalidInput, Say
from graph.model import Observation, ObservationQuery, today

#: a diagnosis covers at most this many days (and its previous period as many)
LONGEST = 3 * 366


def default_period(day: date | None = None) -> tuple[date, date]:
    """The last six whole months up to the end of the current one.

    >>> default_period(date(2026, 11, 30))
    (datetime.date(2026, 6, 1), datetime.date(2026, 11, 30))
    """
    day = day or today()
    return month_start(day, -5), add_months(month_start(day), 1) - timedelta(days=1)


def checked_period(
    start: date, end: date, too_long: Say = Say("a period covers at most three years")
) -> tuple[date, date]:
    """A period as asked, or a clear refusal (it ends before it starts, is too long, or reaches
    back before :data:`api.analyses.EARLIEST`, whose year before the period is no date)."""
    not_before_earliest(end, "end")
    not_before_earliest(start, "start")
    if end < start:
        raise InvalidInput(
            Say("the period ends ({end}) before it starts ({start})", end=end, start=start),
            details=[{"field": "end", "message": Say("before the start")}],
        )
    if (end - start).days > LONGEST:
        raise InvalidInput(
            too_long,
            details=[{"field": "start", "message": Say("at most three years before the end")}],
        )
    return start, end


def check_period(start: date | None, end: date | None) -> tuple[date, date]:
    """The period asked (the default for what is missing), or a clear refusal."""
    first, last = default_period()
    too_long = Say("a diagnosis covers at most three years: choose a shorter period")
    return checked_period(start or first, end or last, too_long)


def every_item(read: Callable[[int], Any]) -> list[Any]:
    """Every item of a listing read page by page (``read(offset)`` answers a page)."""
    out: list[Any] = []
    while True:
        page = read(len(out))
        out += page.items
        if not page.items or len(out) >= page.total:
            return out


def observations_of(
    store: ScopedStore, neighbourhood: str | None, start: date, end: date
) -> list[Observation]:
    """Every observation of the neighbourhood (None: every one the reader sees) in a period."""
    query = ObservationQuery(neighbourhood=neighbourhood, start=start, end=end)
    return every_item(lambda offset: store.list_observations(query, limit=1000, offset=offset))


def diagnosis(
    store: ScopedStore, neighbourhood: str | None, start: date, end: date
) -> DiagnosisResult:
    """The diagnosis of ``neighbourhood`` (None: every neighbourhood the reader sees)."""

    def make() -> DiagnosisResult:
        before, _ = previous_period(start, end)
        said = [o.model_dump() for o in observations_of(store, neighbourhood, before, end)]
        day = min(end, today())
        graph = in_neighbourhood(KEPT.graph(store, neighbourhood, day), neighbourhood)
        found = diagnose(said, graph, start, end, neighbourhood=neighbourhood)
        return DiagnosisResult.model_validate(found)

    return KEPT.get_or_make(store, neighbourhood, ("diagnosis", start, end), make)


# --------------------------------------------------------------------------- tables

Say_ = Callable[[str, str], str]  # (field, code) -> the reader's word


def tables(
    d: DiagnosisResult, word: Say_, heading: Callable[[str], str]
) -> dict[str, list[list[Any]]]:
    """The diagnosis as tables (a header row, then rows), in the reader's words: ``word`` says
    a code of a field, ``heading`` a column's name."""
    kinds = [heading(k) for k in KINDS]
    themes: list[list[Any]] = [
        [heading("theme"), *kinds, heading("total"), heading("previous period")]
    ]
    themes += [
        [word("themes", r.theme), *(getattr(r, k) for k in KINDS), r.total, r.previous]
        for r in d.by_theme
    ]
    sectors: list[list[Any]] = [[heading("sector"), *kinds, heading("total")]]
    sectors += [
        [heading("whole neighbourhood") if r.sector == WHOLE else r.sector,
         *(getattr(r, k) for k in KINDS), r.total]
        for r in d.by_sector
    ]  # fmt: skip
    codes = sorted({r.sector for r in d.by_theme_sector})
    cells = {(r.theme, r.sector): r.count for r in d.by_theme_sector}
    crossed: list[list[Any]] = [
        [heading("theme"), *(heading("whole neighbourhood") if c == WHOLE else c for c in codes)]
    ]
    crossed += [
        [word("themes", t), *(cells.get((t, c), 0) for c in codes)]
        for t in sorted({r.theme for r in d.by_theme_sector})
    ]
    months: list[list[Any]] = [[heading("month"), *kinds]]
    months += [[r.month, *(getattr(r, k) for k in KINDS)] for r in d.by_month]
    needs: list[list[Any]] = [
        [heading(h) for h in ("theme", "observations", "previous period", "publics",
                              "who can act", "nobody reaches")]
    ]  # fmt: skip
    needs += [
        [
            word("themes", n.theme),
            n.count,
            n.previous,
            ", ".join(word("target_groups", p) for p in n.publics),
            ", ".join(a.name for a in n.can_act),
            ", ".join(
                heading("anyone") if g == WHOLE else word("target_groups", g) for g in n.gaps
            ),
        ]
        for n in d.needs
    ]
    said: list[list[Any]] = [
        [heading(h) for h in ("date", "kind", "theme", "publics", "sectors", "said by", "text")]
    ]
    quotes = [q for n in d.needs for q in n.quotes] + d.resources + d.wishes + d.changes
    said += [
        [
            q.date.isoformat(),
            heading(q.kind),
            word("themes", q.theme),
            ", ".join(word("target_groups", p) for p in q.publics),
            ", ".join(q.sectors),
            ", ".join(s.name for s in q.sources) or heading("the BAR team"),
            q.text,
        ]
        for q in sorted(quotes, key=lambda q: (q.date, q.id))
    ]
    return {"themes": themes, "sectors": sectors, "crossed": crossed, "months": months,
            "needs": needs, "observations": said}  # fmt: skip


def _safe(value: Any) -> Any:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def as_csv(rows: list[list[Any]]) -> bytes:
    """One table as CSV, UTF-8 with a BOM so that Excel reads the accents."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for row in rows:
        writer.writerow([_safe(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(named: dict[str, list[list[Any]]], titles: dict[str, str]) -> bytes:
    """Every table as a sheet of one workbook."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, rows in named.items():
        sheet = book.create_sheet(titles.get(name, name)[:31])
        for row in rows:
            sheet.append([_safe(v) for v in row])
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
