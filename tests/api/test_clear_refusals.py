"""Bad input gets a clear refusal, never a 500: follow-ups without actors or with a date that is
not one, import files nested too deeply, HSDS packages missing a column or with a latitude that
is not a number, and a full disk (503, as the README promises)."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import zipfile
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from api.security import hash_password
from graph.sqlite_store import SqliteGraphStore
from tests.conftest import with_places
from tests.helpers import bearer
from tests.ingest.test_import_export import _hsds_zip

from .conftest import PASSWORD, Api

DEEP = "[" * 100_000 + "]" * 100_000


def _import(api: Api, name: str, data: bytes, **form: str) -> tuple[int, str]:
    answer = api.client.post(
        "/api/v1/imports",
        headers=api.headers("coordinator"),
        files={"file": (name, data)},
        data={"dry_run": "true", "neighbourhood": "Cureghem", **form},
    )
    return answer.status_code, answer.text


def _with(package: bytes, **replaced: str) -> bytes:
    """The HSDS package with some files replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.namelist():
            short = item.split("/")[-1]
            text = replaced.get(short, source.read(item).decode("utf-8"))
            target.writestr(item, text)
    return out.getvalue()


def test_import_files_that_would_break_the_reader_are_refused_clearly(api: Api) -> None:
    nested_kumu = json.dumps({"elements": []})[:-2] + DEEP + "}"
    status, said = _import(api, "carte.json", nested_kumu.encode())
    assert status == 422 and "nested too deeply" in said
    status, said = _import(api, "carte.json", b'{"elements": [], "connections": []}',
                           mapping='{"kinds": ' + "[" * 40_000 + "]" * 40_000 + "}")  # fmt: skip
    assert status == 422 and "nested too deeply" in said
    package = _hsds_zip()
    status, said = _import(api, "hsds.zip", _with(package, **{"datapackage.json": DEEP}))
    assert status == 422 and "datapackage.json" in said
    no_id = "name,description\nCPAS d'Anderlecht,Aide sociale\n"
    status, said = _import(api, "hsds.zip", _with(package, **{"organizations.csv": no_id}))
    assert status == 422 and "organizations.csv has no column id" in said
    services = "organization_id,name\n11111111-aaaa-4aaa-8aaa-000000000001,Service logement\n"
    status, said = _import(api, "hsds.zip", _with(package, **{"services.csv": services}))
    assert status == 422 and "services.csv has no column id" in said
    locations = ("id,organization_id,name,latitude,longitude\n"
                 "33333333-cccc-4ccc-8ccc-000000000001,11111111-aaaa-4aaa-8aaa-000000000001,"
                 "Siège,abc,4.31\n")  # fmt: skip
    # a latitude that is no number: the organisation comes in, its coordinates do not, and
    # the report says so
    status, said = _import(api, "hsds.zip", _with(package, **{"locations.csv": locations}),
                           kind="public_service")  # fmt: skip
    assert status == 200 and "'abc, 4.31' is not a number: the coordinates are not kept" in said
    assert api.store.counts()["actors"] == 1  # the fixture's team only: nothing was written


def test_a_follow_up_without_actor_or_with_a_bad_date_is_a_page_saying_so(tmp_path: Path) -> None:
    store = with_places(SqliteGraphStore(tmp_path / "m.db"))
    team = store.create_actor({"name": "BAR Cureghem", "kind": "bar_team",
                               "neighbourhood": "Cureghem"}, by="t")  # fmt: skip
    other = store.create_actor({"name": "Asbl Un", "kind": "association",
                                "neighbourhood": "Cureghem"}, by="t")  # fmt: skip
    store.create_user({"name": "amina", "role": "bar", "actor_id": team.id},
                      hash_password(PASSWORD, "amina"), by="t")  # fmt: skip
    client = TestClient(create_app(store=store), raise_server_exceptions=False)
    login = client.post("/api/v1/auth/session", data={"username": "amina", "password": PASSWORD})
    csrf = login.json()["csrf_token"]
    before = store.version()
    for fields in (
        {},  # no actor
        {"actor": [other.id, team.id, other.id]},  # three
        {"actor": [other.id], "due": "notadate", "what": "visit"},
        {"actor": [other.id]},  # neither what nor when
    ):
        answer = client.post("/meeting/follow-ups", data={**fields, "csrf_token": csrf},
                             follow_redirects=False)  # fmt: skip
        assert answer.status_code == 422, (fields, answer.status_code)
        assert answer.headers["content-type"].startswith("text/html")
        assert re.search(r'class="(error|message)', answer.text) or "<main" in answer.text
    assert store.version() == before
    store.close()


class _FullDisk(SqliteGraphStore):
    """A store whose database cannot grow: SQLite answers 'database or disk is full'."""

    def _conn(self) -> sqlite3.Connection:
        conn = super()._conn()
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn


def test_a_full_disk_answers_503_not_500(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    with_places(SqliteGraphStore(path)).close()
    setup = SqliteGraphStore(path)
    setup.create_user({"name": "boss", "role": "coordinator"}, hash_password(PASSWORD, "boss"),
                      by="t")  # fmt: skip
    setup.close()
    store = _FullDisk(path)
    client = TestClient(create_app(store=store), raise_server_exceptions=False)
    token = client.post("/api/v1/auth/token", data={"username": "boss", "password": PASSWORD})
    if token.status_code == 200:
        headers = bearer(token.json()["access_token"])
    else:  # the login's own write found the disk full: it says so as the store being down
        assert token.status_code == 503, token.text
        return
    statuses = set()
    for i in range(200):
        answer = client.post("/api/v1/actors", headers=headers, json={
            "name": f"Asbl {i} " + "x" * 150, "kind": "association", "neighbourhood": "Midi",
            "description": "y" * 4000})  # fmt: skip
        statuses.add(answer.status_code)
        if answer.status_code != 201:
            break
    assert 503 in statuses and 500 not in statuses, statuses
    store.close()


def test_a_refusal_says_whether_the_schema_or_a_rule_refused(api: Api) -> None:
    """A 422 tells a client which it is: a value its schema refuses (``rule: false``), or a
    request that matches its schema but breaks a rule no schema states (``rule: true``)."""
    headers = api.headers("coordinator")
    actor = {"name": "Club de pétanque", "kind": "resident_group", "neighbourhood": "Cureghem"}
    schema = api.client.post("/api/v1/actors", headers=headers, json={**actor, "strength": 2})
    assert schema.status_code == 422 and schema.json()["rule"] is False
    dates = {**actor, "since": "2024-05-01", "until": "2023-01-01"}
    rule = api.client.post("/api/v1/actors", headers=headers, json=dates)
    assert rule.status_code == 422 and rule.json()["rule"] is True
    assert "is before 'since'" in rule.json()["message"]
    unknown = api.client.post("/api/v1/actors", headers=headers,
                              json={**actor, "neighbourhood": "Nulle part"})  # fmt: skip
    assert unknown.status_code == 422 and unknown.json()["rule"] is True
    # an empty optional query value is no value, as the OpenAPI says
    assert api.client.get("/api/v1/analysis/isolation?as_of=", headers=headers).status_code == 200
    flag = api.client.post("/api/v1/neighbourhoods", headers=headers,
                           json={"name": "Veeweyde", "municipality": "Anderlecht",
                                 "population": True})  # fmt: skip
    assert flag.status_code == 422 and flag.json()["details"][0]["field"] == "population"
