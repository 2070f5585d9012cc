"""The analysis routes over the demo neighbourhood, on both stores, and 'maillage analyse'."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from ingest.demo import DEMO_END, load
from tests.helpers import bearer

from .conftest import Api

ROOT = Path(__file__).resolve().parents[2]


def test_every_analysis_route_is_labelled_and_answers(api: Api) -> None:
    load(api.store)
    h = api.headers("coordinator")
    as_of = DEMO_END.isoformat()

    def get(path: str, **params: object) -> dict[str, object]:
        answer = api.client.get(f"/api/v1/analysis/{path}", params=params, headers=h)
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    isolation = get("isolation", as_of=as_of, dormant_months=6)
    assert isolation["as_of"] == as_of
    assert isolation["parameters"] == {"dormant_months": 6, "neighbourhood": None}
    assert isolation["graph"]["actors"] > 150  # type: ignore[index]
    # the demo's three, and the test set-up's team actor, alone in 'Cureghem'
    assert isolation["summary"]["isolated"] == 4  # type: ignore[index]
    demo = get("isolation", as_of=as_of, neighbourhood="Cureghem-Lemmens")
    assert demo["summary"]["isolated"] == 3  # type: ignore[index]

    bridging = get("bridging", as_of=as_of, seed=1)
    assert "(BAR)" in bridging["brokers"]["betweenness"][0]["name"]  # type: ignore[index]
    assert len(bridging["opportunities"]) == 20  # type: ignore[arg-type]
    assert bridging == get("bridging", as_of=as_of, seed=1)  # seeded: repeats

    brokerage = get("brokerage", as_of=as_of, groups="community")
    assert brokerage["totals"]["liaison"] > 0  # type: ignore[index]
    communities = get("communities", as_of=as_of)
    assert communities["modularity"] > 0.3  # type: ignore[operator]

    growth = get("growth", start="2024-11-01", end=as_of, interval="month")
    overall = growth["overall"]
    assert len(overall) == 25  # type: ignore[arg-type]
    assert overall[-1]["links"] > overall[0]["links"]  # type: ignore[index]
    assert "Cureghem-Lemmens" in growth["neighbourhoods"]  # type: ignore[operator]

    diff = get("compare", first="2025-11-01", second=as_of)
    assert len(diff["joined"]) > 0  # type: ignore[arg-type]

    referrals = get("referrals", start="2024-11-01", end=as_of)
    assert referrals["services"]  # the demo has referrals

    bad = api.client.get(
        "/api/v1/analysis/growth", params={"start": "2026-01-01", "end": "2025-01-01"}, headers=h
    )
    assert bad.status_code == 422 and "before start" in bad.json()["message"]
    future = api.client.get("/api/v1/analysis/isolation", params={"as_of": "2999-01-01"}, headers=h)
    assert future.status_code == 422
    assert api.client.get("/api/v1/analysis/isolation").status_code == 401


def test_figures_are_scoped_to_the_users_neighbourhood(api: Api) -> None:
    h = api.headers("coordinator")
    ids = {}
    for name, where, kind in [
        ("BAR Midi", "Midi", "bar_team"),
        ("Asbl Midi", "Midi", "association"),
        ("BAR Nord", "Nord", "bar_team"),
        ("Asbl Nord", "Nord", "association"),
    ]:
        body = {"name": name, "kind": kind, "neighbourhood": where}
        ids[name] = api.client.post("/api/v1/actors", json=body, headers=h).json()["id"]
    users = {
        "midi-bar": {"role": "bar", "actor_id": ids["BAR Midi"]},
        "nord-partner": {"role": "viewer", "actor_id": ids["BAR Nord"]},
        "loose-bar": {"role": "bar"},
    }
    tokens = {}
    for name, fields in users.items():
        body = {"name": name, "password": "a long password", **fields}
        assert api.client.post("/api/v1/users", json=body, headers=h).status_code == 201
        login = {"username": name, "password": "a long password"}
        tokens[name] = api.client.post("/api/v1/auth/token", data=login).json()["access_token"]

    def isolated(token: str, **params: str) -> tuple[int, set[str]]:
        answer = api.client.get(
            "/api/v1/analysis/isolation",
            params=params,
            headers=bearer(token),
        )
        if answer.status_code != 200:
            return answer.status_code, set()
        return 200, {x["name"] for x in answer.json()["isolated"]}

    assert isolated(tokens["midi-bar"]) == (200, {"BAR Midi", "Asbl Midi"})
    assert isolated(tokens["midi-bar"], neighbourhood="midi") == (200, {"BAR Midi", "Asbl Midi"})
    assert isolated(tokens["midi-bar"], neighbourhood="Nord")[0] == 403
    assert isolated(tokens["nord-partner"]) == (200, {"BAR Nord", "Asbl Nord"})
    assert isolated(tokens["loose-bar"])[0] == 403
    everything = isolated(api.tokens["coordinator"])
    assert everything == (
        200,
        {"BAR Midi", "Asbl Midi", "BAR Nord", "Asbl Nord", "BAR Cureghem (team)"},
    )
    assert isolated(api.tokens["coordinator"], neighbourhood="Nord") == (
        200,
        {"BAR Nord", "Asbl Nord"},
    )


def test_cli_analyse_prints_json_and_tables(tmp_path: Path) -> None:
    env = {**os.environ, "MAILLAGE_STORE": "sqlite", "MAILLAGE_DB": str(tmp_path / "m.db")}
    cli = [sys.executable, "-m", "api.cli"]
    assert subprocess.run([*cli, "demo"], env=env, capture_output=True, check=False).returncode == 0
    answer = subprocess.run(
        [*cli, "analyse", "isolation", "--as-of", DEMO_END.isoformat(), "--json"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert answer.returncode == 0, answer.stderr
    data = json.loads(answer.stdout)
    assert data["as_of"] == DEMO_END.isoformat() and data["isolated"]
    table = subprocess.run(
        [*cli, "analyse", "growth", "--start", "2025-11-01", "--end", DEMO_END.isoformat()],
        env={**env, "COLUMNS": "200"}, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert table.returncode == 0 and "largest" in table.stdout and "2026-11-01" in table.stdout
    wrong = subprocess.run(
        [*cli, "analyse", "growth", "--start", "2026-01-01", "--end", "2025-01-01"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert wrong.returncode == 1 and "before start" in wrong.stderr
