"""Readable terminal tables for ``maillage analyse`` (rich), one printer per result type.

Every value printed goes through :func:`shown`: control characters (escape sequences that would
clear or recolour a terminal) are dropped and rich markup is escaped, so an actor's name is
printed as it is written, never obeyed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from analysis import results as r
from viz.style import plain_text


def shown(value: Any) -> str:
    """A value as the terminal may print it.

    >>> shown("[red]Café[/red]\\x1b[2J")
    '\\\\[red]Café\\\\[/red][2J'
    """
    return escape(plain_text(value, limit=500))


def _table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Table:
    table = Table(title=shown(title), expand=True)
    for column in columns:
        table.add_column(shown(column))
    for row in rows:
        table.add_row(*(shown(cell) for cell in row))
    return table


def _reasons(
    console: Console, title: str, rows: Sequence[tuple[str, str]], limit: int = 15
) -> None:
    shown_rows = list(rows[:limit])
    if len(rows) > limit:
        shown_rows.append(("…", f"{len(rows) - limit} more (use --json)"))
    console.print(_table(f"{title} ({len(rows)})", ("actor", "why"), shown_rows))


def _isolation(console: Console, result: r.IsolationResult) -> None:
    summary = result.summary.model_dump()
    console.print(
        _table("summary", [k.replace("_", " ") for k in summary], [list(summary.values())])
    )
    for title, flagged in (
        ("isolated", result.isolated),
        ("single point of failure", result.single_point_of_failure),
        ("single link", result.single_link),
        ("dormant", result.dormant),
    ):
        _reasons(console, title, [(f.name, f.reason) for f in flagged])
    _reasons(
        console, "cut-off groups", [(str(c.size), c.reason) for c in result.cut_off_components]
    )


def _bridging(console: Console, result: r.BridgingResult) -> None:
    b = result.brokers
    rows = [
        [f"{x.name} ({x.value:.3f})" for x in trio]
        for trio in zip(b.betweenness, b.lowest_constraint, b.largest_effective_size, strict=False)
    ]
    columns = ("betweenness", "lowest constraint", "largest effective size")
    console.print(_table("brokers", columns, rows))
    c = result.communities
    console.print(f"{c.count} communities, modularity {c.modularity:.3f}")
    _reasons(
        console,
        "bridging opportunities",
        [(" ↔ ".join(a.name for a in o.actors), o.reason) for o in result.opportunities],
    )


def _brokerage(console: Console, result: r.BrokerageResult) -> None:
    roles = list(result.totals)
    rows: list[list[Any]] = [["all", *(result.totals[role] for role in roles)]]
    rows += [[b.name, *(getattr(b, role) for role in roles)] for b in result.brokers]
    title = f"brokerage roles by {result.parameters.groups}"
    console.print(_table(title, ["actor", *roles], rows))


def _communities(console: Console, result: r.CommunitiesResult) -> None:
    rows = [
        [
            c.community,
            c.size,
            ", ".join(f"{k} {n}" for k, n in list(c.kinds.items())[:3]),
            ", ".join(m.name for m in c.members[:4]),
        ]
        for c in result.communities[:20]
    ]
    title = f"modularity {result.modularity:.3f}"
    console.print(_table(title, ("community", "size", "kinds", "some members"), rows))


GROWTH_COLUMNS = ("date", "actors", "links", "density", "components", "largest_component_share",
                  "isolated", "average_clustering", "ei_index_kinds", "new_links",
                  "bridges_created")  # fmt: skip


def _growth(console: Console, result: r.GrowthResult) -> None:
    rows = []
    for point in result.overall:
        values = point.model_dump()
        rows.append(["" if values[c] is None else values[c] for c in GROWTH_COLUMNS])
    console.print(_table("overall", [c.replace("_", " ") for c in GROWTH_COLUMNS], rows))


def _compare(console: Console, result: r.CompareResult) -> None:
    for title, people in (
        ("joined", result.joined),
        ("left", result.left),
        ("isolated reached", result.isolated_reached),
    ):
        names = ", ".join(shown(p.name) for p in people[:20])
        console.print(f"[bold]{title}[/bold] ({len(people)}): {names}")
    console.print(f"links appeared: {len(result.links_appeared)}, ended: {len(result.links_ended)}")


def _referrals(console: Console, result: r.ReferralsResult) -> None:
    rows = [
        [s.service.name, s.referred, "–" if s.follow_up_rate is None else f"{s.follow_up_rate:.0%}"]
        for s in result.services[:20]
    ]
    console.print(_table("receiving services", ("service", "referred", "follow-up rate"), rows))
    warnings = [(w.service.name, w.reason) for w in result.saturation_warnings]
    _reasons(console, "saturation warnings", warnings)


PRINTERS: dict[type[BaseModel], Callable[[Console, Any], None]] = {
    r.IsolationResult: _isolation,
    r.BridgingResult: _bridging,
    r.BrokerageResult: _brokerage,
    r.CommunitiesResult: _communities,
    r.GrowthResult: _growth,
    r.CompareResult: _compare,
    r.ReferralsResult: _referrals,
}


def print_report(title: str, result: BaseModel, console: Console) -> None:
    """Print one analysis result as tables, under a rule saying its date or period and size."""
    data = result.model_dump()
    size = ", ".join(f"{v} {k}" for k, v in (data.get("graph") or {}).items())
    period = data.get("parameters", {})
    when = data.get("as_of") or " – ".join(
        str(period[k]) for k in ("start", "end", "first", "second") if period.get(k)
    )
    console.rule(f"[bold]{shown(title)}[/bold]  {shown(when)}  ({shown(size)})")
    PRINTERS[type(result)](console, result)


def print_diagnosis(result: r.DiagnosisResult, console: Console) -> None:
    """The diagnosis as tables: kinds, themes (with the previous period), needs with who can
    act and the publics nobody reaches, and the observations quoted."""
    console.print(
        _table(
            f"{result.neighbourhood or 'all neighbourhoods'}: {result.start} – {result.end} "
            f"(previous: {result.previous_start} – {result.previous_end})",
            ("kind", "observations", "previous period"),
            [(k.kind, k.count, k.previous) for k in result.by_kind],
        )
    )
    console.print(
        _table(
            "by theme",
            ("theme", "need", "problem", "resource", "wish", "change", "total", "previous"),
            [(t.theme, t.need, t.problem, t.resource, t.wish, t.change, t.total, t.previous)
             for t in result.by_theme],
        )
    )  # fmt: skip
    console.print(
        _table(
            "needs and problems",
            ("theme", "observations", "previous", "publics", "who can act", "nobody reaches"),
            [(n.theme, n.count, n.previous, ", ".join(n.publics), len(n.can_act),
              ", ".join("anyone" if g == "*" else g for g in n.gaps)) for n in result.needs],
        )
    )  # fmt: skip
    quotes = [q for n in result.needs for q in n.quotes]
    quotes += result.resources + result.wishes + result.changes
    console.print(
        _table(
            "observations",
            ("date", "kind", "theme", "said by", "text"),
            [(q.date, q.kind, q.theme, ", ".join(s.name for s in q.sources) or "BAR", q.text)
             for q in sorted(quotes, key=lambda q: (q.date, q.id))],
        )
    )  # fmt: skip


def print_indicators(result: r.IndicatorsResult, console: Console) -> None:
    """The missions' figures (shares as percentages), then people referred by theme and
    service; ``--json`` gives the records behind each figure."""
    rows = []
    for f in result.figures:
        if f.total is not None and f.key not in ("collective_people", "community_people"):
            value = f"{f.value:.0%} ({f.count}/{f.total})"
        elif f.days is not None:
            value = f"{int(f.value)} ({f.days} days)"
        else:
            value = str(int(f.value))
        rows.append((f.key.replace("_", " "), value))
    where = result.neighbourhood or "all neighbourhoods"
    console.print(_table(f"{where}: {result.start} – {result.end}", ("figure", "value"), rows))
    console.print(
        _table("people referred by theme", ("theme", "people"),
               [(t.key, t.count) for t in result.referrals_by_theme])
    )  # fmt: skip
    console.print(
        _table("people referred by service", ("service", "people"),
               [(t.key, t.count) for t in result.referrals_by_service])
    )  # fmt: skip
