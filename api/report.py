"""Readable terminal tables for ``maillage analyse`` (rich)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table


def _header(console: Console, title: str, result: dict[str, Any]) -> None:
    graph = result.get("graph", {})
    size = ", ".join(f"{v} {k}" for k, v in graph.items())
    when = result.get("as_of") or "–".join(
        str(result.get("parameters", {}).get(k, ""))
        for k in ("start", "end")
        if k in result.get("parameters", {})
    )
    console.rule(f"[bold]{title}[/bold]  {escape(str(when))}  ({escape(size)})")


def _reasons(console: Console, title: str, rows: list[dict[str, Any]], limit: int = 15) -> None:
    table = Table(title=f"{title} ({len(rows)})", show_lines=False, expand=True)
    table.add_column("actor")
    table.add_column("why")
    for row in rows[:limit]:
        table.add_row(escape(str(row.get("name", row.get("size", "")))), escape(row["reason"]))
    if len(rows) > limit:
        table.add_row("…", f"{len(rows) - limit} more (use --json)")
    console.print(table)


def print_report(what: str, result: dict[str, Any], console: Console) -> None:
    """Print one analysis result as tables."""
    _header(console, what, result)
    if what == "isolation":
        summary = Table(title="summary")
        for key in result["summary"]:
            summary.add_column(key.replace("_", " "))
        summary.add_row(*(str(v) for v in result["summary"].values()))
        console.print(summary)
        for key in ("isolated", "single_point_of_failure", "single_link", "dormant"):
            _reasons(console, key.replace("_", " "), result[key])
        _reasons(console, "cut-off groups", result["cut_off_components"])
    elif what == "bridging":
        table = Table(title="brokers")
        table.add_column("betweenness")
        table.add_column("lowest constraint")
        table.add_column("largest effective size")
        brokers = result["brokers"]
        for row in zip(*(brokers[k] for k in brokers), strict=False):
            table.add_row(*(f"{escape(r['name'])} ({r['value']:.3f})" for r in row))
        console.print(table)
        console.print(
            f"{result['communities']['count']} communities, "
            f"modularity {result['communities']['modularity']:.3f}"
        )
        _reasons(console, "bridging opportunities", [
            {"name": " ↔ ".join(a["name"] for a in o["actors"]), "reason": o["reason"]}
            for o in result["opportunities"]
        ])  # fmt: skip
    elif what == "brokerage":
        table = Table(title=f"brokerage roles by {result['parameters']['groups']}")
        roles = list(result["totals"])
        table.add_column("actor")
        for role in roles:
            table.add_column(role)
        table.add_row("[bold]all[/bold]", *(str(result["totals"][r]) for r in roles))
        for b in result["brokers"]:
            table.add_row(escape(b["name"]), *(str(b[r]) for r in roles))
        console.print(table)
    elif what == "communities":
        table = Table(title=f"modularity {result['modularity']:.3f}")
        for col in ("community", "size", "kinds", "some members"):
            table.add_column(col)
        for c in result["communities"][:20]:
            kinds = ", ".join(f"{k} {n}" for k, n in list(c["kinds"].items())[:3])
            members = ", ".join(m["name"] for m in c["members"][:4])
            table.add_row(str(c["community"]), str(c["size"]), escape(kinds), escape(members))
        console.print(table)
    elif what == "growth":
        table = Table(title="overall")
        cols = [
            "date",
            "actors",
            "links",
            "density",
            "components",
            "largest_component_share",
            "isolated",
            "average_clustering",
            "ei_index_kinds",
            "new_links",
            "bridges_created",
        ]
        for col in cols:
            table.add_column(col.replace("_", " "))
        for point in result["overall"]:
            table.add_row(*(str(point.get(c, "")) for c in cols))
        console.print(table)
    elif what == "compare":
        for key in ("joined", "left", "isolated_reached"):
            console.print(f"[bold]{key.replace('_', ' ')}[/bold] ({len(result[key])}): "
                          + escape(", ".join(p["name"] for p in result[key][:20])))  # fmt: skip
        console.print(f"links appeared: {len(result['links_appeared'])}, "
                      f"ended: {len(result['links_ended'])}")  # fmt: skip
    elif what == "referrals":
        table = Table(title="receiving services")
        for col in ("service", "referred", "follow-up rate"):
            table.add_column(col)
        for row in result["services"][:20]:
            rate = row["follow_up_rate"]
            table.add_row(escape(row["service"]["name"]), str(row["referred"]),
                          "–" if rate is None else f"{rate:.0%}")  # fmt: skip
        console.print(table)
        warnings = [
            {"name": w["service"]["name"], "reason": w["reason"]}
            for w in result["saturation_warnings"]
        ]
        _reasons(console, "saturation warnings", warnings)
