"""Imports and exports over HTTP and on the command line: coordinators import, everyone exports
what they may read, the backup is for managers, and a team moves its store with two commands."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from tests.api.conftest import Api

ACTORS = (
    "name,kind,neighbourhood,themes\n"
    "Maison médicale Le Noyer,health_actor,Cureghem,health\n"
    "Tante Rosalie,key_resident,Cureghem,\n"  # refused: no consent date
    "Asbl Ailleurs,association,Molenbeek,\n"
)


def _post(api: Api, role: str, body: str, name: str = "actors.csv", **form: str):  # type: ignore[no-untyped-def]
    return api.client.post(
        "/api/v1/imports",
        files={"file": (name, body.encode(), "text/csv")},
        data=form,
        headers=api.headers(role),
    )


def test_a_coordinator_imports_with_a_dry_run_first(api: Api) -> None:
    refused = _post(api, "coordinator", ACTORS)
    assert refused.status_code == 422
    problem = refused.json()["details"]["refused"][0]
    assert (problem["sheet"], problem["row"]) == ("actors.csv", 3)
    assert "consent" in problem["reason"]
    good = ACTORS.replace("Tante Rosalie,key_resident,Cureghem,\n", "")
    before = api.store.counts()
    plan = _post(api, "coordinator", good, dry_run="true")
    assert plan.status_code == 200, plan.text
    assert plan.json()["counts"]["created"]["actors"] == 2 and plan.json()["written"] is None
    assert api.store.counts() == before
    done = _post(api, "coordinator", good)
    assert done.json()["written"]["actors_created"] == 2
    again = _post(api, "coordinator", good)
    assert again.json()["counts"]["unchanged"]["actors"] == 2 and again.json()["written"] is None
    assert _post(api, "bar", good).status_code == 403
    assert _post(api, "viewer", good).status_code == 403
    mapping = _post(api, "coordinator", good, mapping="[1, 2]")
    assert mapping.status_code == 422 and "JSON object" in mapping.json()["message"]
    template = api.client.get("/api/v1/imports/template", headers=api.headers("bar"))
    assert template.status_code == 200 and template.content[:2] == b"PK"


def test_exports_keep_to_what_each_role_may_read(api: Api) -> None:
    imported = _post(
        api, "coordinator", ACTORS.replace("Tante Rosalie,key_resident,Cureghem,\n", "")
    )
    assert imported.status_code == 200
    api.store.create_actor({"name": "Oncle Jef", "kind": "key_resident",
                            "neighbourhood": "Molenbeek", "consent_date": "2025-01-01"},
                           by="coordinator1")  # fmt: skip

    def names(role: str, **query: str) -> set[str]:
        r = api.client.get("/api/v1/exports", params={"format": "kumu", **query},
                           headers=api.headers(role))  # fmt: skip
        assert r.status_code == 200, r.text
        assert r.headers["content-disposition"].startswith("attachment")
        return {e["attributes"]["label"] for e in r.json()["elements"]}

    assert "Oncle Jef" in names("coordinator")
    bar = names("bar")
    assert "Asbl Ailleurs" in bar and "Oncle Jef" not in bar  # key residents: own team only
    viewer = names("viewer")
    assert "Asbl Ailleurs" not in viewer and "Maison médicale Le Noyer" in viewer
    elsewhere = {"format": "csv", "neighbourhood": "Molenbeek"}
    outside = api.client.get("/api/v1/exports", params=elsewhere, headers=api.headers("viewer"))
    assert outside.status_code == 403
    backup = api.client.get("/api/v1/exports", params={"format": "json"},
                            headers=api.headers("bar"))  # fmt: skip
    assert backup.status_code == 403
    full = api.client.get("/api/v1/exports", params={"format": "json"},
                          headers=api.headers("admin"))  # fmt: skip
    assert full.status_code == 200 and "events" in full.json()
    bad = api.client.get("/api/v1/exports", params={"format": "pdf"}, headers=api.headers())
    assert bad.status_code == 422


def test_a_team_moves_its_store_with_two_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    monkeypatch.setenv("MAILLAGE_STORE", "sqlite")
    monkeypatch.setenv("MAILLAGE_DB", str(tmp_path / "laptop.db"))
    template = tmp_path / "template.xlsx"
    assert runner.invoke(cli, ["import", "--template", str(template)]).exit_code == 0
    actors = tmp_path / "actors.csv"
    actors.write_text(ACTORS.replace("Tante Rosalie,key_resident,Cureghem,\n", ""))
    unknown = runner.invoke(cli, ["import", str(actors), "--dry-run"])
    assert unknown.exit_code == 1 and "not a recorded neighbourhood" in unknown.output
    for name, town in (("Cureghem", "Anderlecht"), ("Molenbeek", "Molenbeek-Saint-Jean")):
        added = runner.invoke(cli, ["neighbourhoods", "add", name, "--municipality", town])
        assert added.exit_code == 0, added.output
    assert "Molenbeek" in runner.invoke(cli, ["neighbourhoods", "list"]).output
    dry = runner.invoke(cli, ["import", str(actors), "--dry-run"])
    assert dry.exit_code == 0 and "2 would be created" in dry.output
    assert runner.invoke(cli, ["import", str(actors)]).exit_code == 0
    refused = tmp_path / "bad.csv"
    refused.write_text(ACTORS)
    bad = runner.invoke(cli, ["import", str(refused)])
    assert bad.exit_code == 1 and "nothing imported" in bad.output
    backup = tmp_path / "backup.json"
    assert (
        runner.invoke(cli, ["export", "--format", "json", "--output", str(backup)]).exit_code == 0
    )
    gexf = tmp_path / "map.gexf"
    assert runner.invoke(cli, ["export", "--format", "gexf", "--output", str(gexf)]).exit_code == 0
    monkeypatch.setenv("MAILLAGE_DB", str(tmp_path / "server.db"))
    moved = runner.invoke(cli, ["restore", str(backup)])
    assert moved.exit_code == 0, moved.output
    twice = runner.invoke(cli, ["restore", str(backup)])
    assert twice.exit_code == 1 and "not empty" in twice.output
    archive = tmp_path / "csv.zip"
    runner.invoke(cli, ["export", "--format", "csv", "--output", str(archive)])
    assert "Maison médicale Le Noyer" in zipfile.ZipFile(archive).read("actors.csv").decode()
    assert json.loads(backup.read_text())["records"]["actor"]
    assert io.BytesIO(gexf.read_bytes()).read(5) == b"<?xml"
