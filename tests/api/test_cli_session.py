"""A scripted session on a fresh server, as the issue asks: users and tokens from the CLI, then
actors, links, paths, reach, ending a link, and the network as of dates — on both stores."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings, open_store
from graph.neo4j_store import Neo4jGraphStore
from tests.helpers import bearer

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["sqlite", "neo4j"])
def env(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("MAILLAGE_", "NEO4J_"))}
    if request.param == "sqlite":
        return {**base, "MAILLAGE_STORE": "sqlite", "MAILLAGE_DB": str(tmp_path / "m.db")}
    store: Neo4jGraphStore = request.getfixturevalue("neo4j_store")
    store.erase_everything(confirm="erase everything")
    uri = request.getfixturevalue("neo4j_uri")
    extra = {k: v for k, v in os.environ.items() if k in ("NEO4J_USER", "NEO4J_PASSWORD")}
    return {**base, **extra, "MAILLAGE_STORE": "neo4j", "NEO4J_URI": uri}


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_scripted_session(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    def add(name: str, role: str, password: str, *more: str) -> subprocess.CompletedProcess[str]:
        return cli({**env, "MAILLAGE_PASSWORD": password}, "users", "add", name, "--role", role,
                   *more)  # fmt: skip

    assert add("boss", "coordinator", "a coordinator's long password").returncode == 0
    boss = cli(env, "users", "token", "boss").stdout.strip().splitlines()[-1]
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with TestClient(create_app(Settings()), raise_server_exceptions=False) as client:
        # the coordinator records the neighbourhood, then the BAR team, which its workers
        # are attached to
        place = client.post("/api/v1/neighbourhoods", headers=bearer(boss),
                            json={"name": "Midi", "municipality": "Saint-Gilles"})  # fmt: skip
        assert place.status_code == 201, place.text
        team = client.post(
            "/api/v1/actors",
            json={"name": "BAR Midi", "kind": "bar_team", "neighbourhood": "Midi",
                  "since": "2024-01-01"},
            headers=bearer(boss),
        ).json()  # fmt: skip
        added = add("amina", "bar", "a good long password", "--actor", team["id"])
        assert added.returncode == 0, added.stderr
        assert add("x", "bar", "short").returncode == 1
        again = add("AMINA", "viewer", "a good long password")
        assert again.returncode == 1 and "already exists" in again.stderr
        assert add("eva", "viewer", "another long one", "--actor", team["id"]).returncode == 0
        token = cli(env, "users", "token", "amina").stdout.strip().splitlines()[-1]
        viewer_token = cli(env, "users", "token", "eva").stdout.strip().splitlines()[-1]
        assert cli(env, "users", "token", "nobody").returncode == 1

        h = bearer(token)

        def post(path: str, body: dict[str, object]) -> dict[str, object]:
            answer = client.post(f"/api/v1{path}", json=body, headers=h)
            assert answer.status_code in (200, 201), answer.text
            return dict(answer.json())

        where = {"neighbourhood": "Midi", "since": "2024-01-01"}
        school = post(
            "/actors",
            {
                "name": "Basisschool De Vlieger",
                "kind": "school",
                "languages": ["nl", "ro"],
                **where,
            },
        )
        church = post(
            "/actors",
            {"name": "Biserica Ortodoxă", "kind": "place_of_worship", "languages": ["ro"], **where},
        )
        link1 = post(
            "/links",
            {"source": team["id"], "target": school["id"], "type": "KNOWS", "since": "2024-03-01"},
        )
        post("/links", {"source": school["id"], "target": church["id"], "type": "PARTNER_OF",
                        "strength": 2, "since": "2024-04-01"})  # fmt: skip
        assert link1["recorded_by"] == "amina"

        paths = client.get(
            "/api/v1/paths", params={"source": team["id"], "target": church["id"]}, headers=h
        )
        assert [p["names"] for p in paths.json()] == [
            ["BAR Midi", "Basisschool De Vlieger", "Biserica Ortodoxă"]
        ]
        reach = client.get("/api/v1/reach", params={"language": "ro"}, headers=h).json()
        assert [r["distance"] for r in reach["reached"]] == [1, 2] and reach["unreached"] == []

        refused = client.post(
            f"/api/v1/links/{link1['id']}/end",
            json={},
            headers=bearer(viewer_token),
        )
        assert refused.status_code == 403
        post(f"/links/{link1['id']}/end", {"until": "2025-01-01"})

        def network(as_of: str | None) -> set[str]:
            params = {"depth": 3, **({"as_of": as_of} if as_of else {})}
            answer = client.get(f"/api/v1/actors/{team['id']}/network", params=params, headers=h)
            return {n["actor"]["name"] for n in answer.json()["nodes"]}

        assert network("2024-06-01") == {"BAR Midi", "Basisschool De Vlieger", "Biserica Ortodoxă"}
        assert network("2024-03-15") == {"BAR Midi", "Basisschool De Vlieger"}
        assert network(None) == {"BAR Midi"}
        after = client.get("/api/v1/reach", params={"language": "ro"}, headers=h).json()
        assert after["reached"] == [] and len(after["unreached"]) == 2


def test_purge_from_the_command_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAILLAGE_", "NEO4J_"))}
    env.update(MAILLAGE_STORE="sqlite", MAILLAGE_DB=str(tmp_path / "m.db"))
    store = open_store(Settings(store="sqlite", db=tmp_path / "m.db"))
    store.create_neighbourhood({"name": "Midi", "municipality": "Saint-Gilles"}, by="t")
    gone = store.create_actor(
        {"name": "Madame <b>Z.</b>", "kind": "key_resident", "neighbourhood": "Midi",
         "consent_date": "2015-01-01", "since": "2015-01-01", "until": "2016-01-01"}, by="t"
    ).id  # fmt: skip
    store.close()
    dry = cli(env, "purge", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Madame <b>Z.</b>" in dry.stdout and "1 key resident(s)" in dry.stdout
    assert "would be erased" in dry.stdout
    real = cli({**env, "MAILLAGE_RETENTION_MONTHS": "12"}, "purge")
    assert real.returncode == 0, real.stderr
    assert "more than 12 months ago erased" in real.stdout
    store = open_store(Settings(store="sqlite", db=tmp_path / "m.db"))
    try:
        assert store.counts()["actors"] == 0, gone
    finally:
        store.close()
    assert cli(env, "purge", "--months", "0").returncode == 2
