"""One registry of analyses serves the routes and `maillage analyse`; the terminal printer reads
the typed results; the reach route finds the team however the neighbourhood is spelled."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from rich.console import Console

from api.analyses import REGISTRY
from api.cli import AnalysisName, app
from api.report import print_report
from graph.errors import InvalidInput
from graph.store import GraphStore
from ingest.demo import DEMO_END, load

from .conftest import Api

ROOT = Path(__file__).resolve().parents[2]


def test_the_cli_takes_every_parameter_of_every_analysis() -> None:
    command = typer.main.get_command(app)
    analyse = command.commands["analyse"]  # type: ignore[attr-defined]
    options = {p.name for p in analyse.params}
    for name, analysis in REGISTRY.items():
        missing = set(analysis.parameters.model_fields) - options
        assert not missing, f"maillage analyse {name} lacks {missing}"
    assert {m.value for m in AnalysisName} == set(REGISTRY)


def test_nonsense_parameters_are_refused_everywhere(api: Api, tmp_path: Path) -> None:
    h = api.headers("coordinator")
    bad = api.client.get("/api/v1/analysis/brokerage", params={"groups": "nonsense"}, headers=h)
    assert bad.status_code == 422 and "groups" in bad.json()["message"]
    env = {**os.environ, "MAILLAGE_STORE": "sqlite", "MAILLAGE_DB": str(tmp_path / "m.db")}
    cli = [sys.executable, "-m", "api.cli", "analyse"]
    run = subprocess.run(
        [*cli, "brokerage", "--groups", "nonsense"],
        env=env, cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 1 and "groups" in run.stderr
    # an option the analysis does not take is refused, not ignored
    run = subprocess.run(
        [*cli, "isolation", "--window", "3"],
        env=env, cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 1 and "window" in run.stderr


def test_every_result_prints_as_tables_without_obeying_names(sqlite_store: GraphStore) -> None:
    load(sqlite_store)
    # terminal escapes cannot even be recorded (control characters are refused) …
    with pytest.raises(InvalidInput, match="control character"):
        sqlite_store.create_actor(
            {"name": "Café\x1b[2J\x1b]0;pwned\x07", "kind": "trader",
             "neighbourhood": "Cureghem-Lemmens"}, by="t",
        )  # fmt: skip
    # … and rich's markup in a name is printed, not obeyed
    hostile = "[red]Café[/red] [link=http://evil]x[/link]"
    sqlite_store.create_actor(
        {"name": hostile, "kind": "trader", "neighbourhood": "Cureghem-Lemmens"}, by="t"
    )
    parameters = {
        "compare": {"first": "2026-01-01", "second": DEMO_END},
        "growth": {"start": "2026-01-01", "end": DEMO_END},
        "referrals": {"start": "2025-11-01", "end": DEMO_END},
    }
    for name, analysis in REGISTRY.items():
        asked = parameters.get(
            name, {"as_of": DEMO_END} if "as_of" in analysis.parameters.model_fields else {}
        )
        result = analysis(sqlite_store, asked)
        console = Console(record=True, width=200, color_system=None)
        print_report(name, result, console)
        text = console.export_text()
        assert name in text and len(text.splitlines()) > 2, name
        assert "\x1b" not in text and "\x07" not in text
    isolation = REGISTRY["isolation"](sqlite_store, {})
    console = Console(record=True, width=300, color_system=None)
    print_report("isolation", isolation, console)
    assert hostile in console.export_text()


def test_reach_finds_the_team_whatever_the_spelling(api: Api) -> None:
    load(api.store)
    h = api.headers("coordinator")  # a coordinator has no team: the neighbourhood's is used
    answers = [
        api.client.get(
            "/api/v1/reach",
            params={"language": "tr", "neighbourhood": spelling, "as_of": DEMO_END.isoformat()},
            headers=h,
        ).json()
        for spelling in ("Cureghem-Lemmens", "cureghem lemmens", "CUREGHEM–LEMMENS")
    ]
    assert answers[0]["team"] and answers[0]["reached"]
    assert answers[1] == answers[0] == answers[2]


def test_each_route_measures_the_network_it_is_asked_about(api: Api) -> None:
    """Every analysis route, on the demo loaded once: it measures the demo's network (its
    actors and links, counted as the store has them), and says so; the referrals, the demo's
    referral flows and its saturated service."""
    load(api.store)
    graph = api.store.snapshot()
    actors = graph.number_of_nodes()
    pairs = {frozenset((u, v)) for u, v in graph.edges() if u != v}
    for name in sorted(REGISTRY):
        params = {"first": "2026-01-01"} if name == "compare" else {}
        answer = api.client.get(
            f"/api/v1/analysis/{name}", params=params, headers=api.headers("coordinator")
        )
        assert answer.status_code == 200, (name, answer.text)
        said = answer.json()
        if name == "referrals":
            assert said["services"] and said["saturation_warnings"], name
            continue
        size = said.get("graph") or said["after"]
        if name == "growth":
            assert size["actors_ever"] >= actors and said["overall"], name
        elif name == "compare":
            assert size["actors"] == actors and size["linked_pairs"] == len(pairs), name
        else:
            assert size == {"actors": actors, "links": len(pairs)}, (name, size)


def test_results_are_kept_until_the_next_write(sqlite_store: GraphStore) -> None:
    load(sqlite_store)
    isolation = REGISTRY["isolation"]
    first = isolation(sqlite_store, {"as_of": DEMO_END})
    assert isolation(sqlite_store, {"as_of": DEMO_END}) is first  # computed once
    assert isolation(sqlite_store, {"as_of": DEMO_END, "dormant_months": 3}) is not first
    sqlite_store.create_actor(
        {"name": "Asbl Nouvelle", "kind": "association", "neighbourhood": "Cureghem-Lemmens",
         "since": "2026-01-01"}, by="t",
    )  # fmt: skip
    after = isolation(sqlite_store, {"as_of": DEMO_END})
    assert after is not first
    assert after.summary.isolated == first.summary.isolated + 1  # type: ignore[attr-defined]
