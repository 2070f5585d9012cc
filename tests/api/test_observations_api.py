"""Observations and the diagnosis through the API, the pages' exports and the command line: the
policy, the personal-data check, the sheet import (all or nothing, row by row refusals), and the
demo's diagnosis telling its story back."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from api.app import create_app
from api.security import hash_password, issue_token
from graph.model import ActorFilter, ObservationFilter
from graph.sqlite_store import SqliteGraphStore
from graph.store import GraphStore
from ingest.demo import add_demo_users, load

from .conftest import Api

ROOT = Path(__file__).resolve().parents[2]


def _body(**extra: object) -> dict[str, object]:
    body: dict[str, object] = {
        "kind": "need",
        "neighbourhood": "Cureghem",
        "theme": "santé",
        "target_groups": ["ouderen"],
        "date": "2025-05-12",
        "text": "Les aînés ne trouvent plus de médecin",
    }
    body.update(extra)
    return body


def test_observations_over_http_with_the_policy(api: Api) -> None:
    made = api.client.post("/api/v1/observations", json=_body(), headers=api.headers())
    assert made.status_code == 201, made.text
    said = made.json()
    assert said["theme"] == "health" and said["target_groups"] == ["elderly"]
    assert said["recorded_by"] == "bar1"
    listed = api.client.get("/api/v1/observations?theme=gezondheid", headers=api.headers())
    assert [o["id"] for o in listed.json()["items"]] == [said["id"]]
    # a viewer of the team reads it, writes nothing; a BAR worker writes only in their team's
    assert api.client.get(f"/api/v1/observations/{said['id']}", headers=api.headers("viewer"))
    refused = api.client.post("/api/v1/observations", json=_body(), headers=api.headers("viewer"))
    assert refused.status_code == 403
    elsewhere = api.client.post(
        "/api/v1/observations", json=_body(neighbourhood="Molenbeek"), headers=api.headers()
    )
    assert elsewhere.status_code == 403
    changed = api.client.patch(
        f"/api/v1/observations/{said['id']}", json={"kind": "problem"}, headers=api.headers()
    )
    assert changed.json()["kind"] == "problem"
    gone = api.client.post(
        f"/api/v1/observations/{said['id']}/retract",
        json={"reason": "recorded twice"},
        headers=api.headers(),
    )
    assert gone.status_code == 200
    again = api.client.get(f"/api/v1/observations/{said['id']}", headers=api.headers())
    assert again.status_code == 404
    assert api.client.post(f"/api/v1/observations/{said['id']}/end", json={}).status_code in (
        401,
        404,
        405,
    )


def test_a_text_about_a_person_is_refused_and_nothing_is_written(api: Api) -> None:
    before = api.store.counts()
    refused = api.client.post(
        "/api/v1/observations",
        json=_body(text="Mme Z. au 0470 12 34 56 ou z@exemple.be"),
        headers=api.headers(),
    )
    assert refused.status_code == 422
    said = refused.json()
    assert said["rule"] is True
    assert [d["field"] for d in said["details"]] == ["text", "text"]
    assert "0470 12 34 56" in said["message"] and "z@exemple.be" in said["message"]
    assert api.store.counts() == before


def _sheet(api: Api, data: bytes, name: str, role: str = "bar") -> object:
    return api.client.post(
        "/api/v1/observations/import",
        files={"file": (name, data)},
        headers=api.headers(role),
    )


def test_a_sheet_of_observations_is_imported_all_or_nothing(api: Api) -> None:
    api.store.create_actor(
        {"name": "Pharmacie Bara", "kind": "trader", "neighbourhood": "Cureghem"}, by="t"
    )
    good = (
        "Date;Sorte;Thème;Public;Dit par;Texte\r\n"
        "12/03/2025;besoin;santé;personnes âgées;pharmacie bara;Les aînés attendent un médecin\r\n"
        "13/03/2025;souhait;espace public;;;Des bancs sur la place\r\n"
    ).encode("cp1252")  # as Belgian Excel saves a CSV
    bad = (
        "Date;Sorte;Thème;Dit par;Texte\r\n"
        "12/03/2025;besoin;santé;Pharmacie Bara;Bon texte\r\n"
        "13/03/2025;rumeur;santé;Nobody Known;Appeler le 02/520 12 34\r\n"
    ).encode()
    before = api.store.counts()
    refused = _sheet(api, bad, "notes.csv")
    assert refused.status_code == 422  # type: ignore[attr-defined]
    message = refused.json()["message"]  # type: ignore[attr-defined]
    assert "row 3" in message and "Nobody Known" in message
    assert api.store.counts() == before
    made = _sheet(api, good, "notes.csv")
    assert made.status_code == 201, made.text  # type: ignore[attr-defined]
    rows = made.json()  # type: ignore[attr-defined]
    assert [(r["kind"], r["theme"], r["date"]) for r in rows] == [
        ("need", "health", "2025-03-12"),
        ("wish", "public space", "2025-03-13"),
    ]
    assert rows[0]["sources"] and rows[0]["target_groups"] == ["elderly"]
    # the personal-data check names the sheet's row
    phone = "Date;Texte;Thème\r\n01/04/2025;Appeler le 02/520 12 34;santé\r\n".encode()
    refused = _sheet(api, phone, "x.csv")
    assert refused.status_code == 422 and "row 2" in refused.json()["message"]  # type: ignore[attr-defined]
    assert _sheet(api, b"a;b\r\n1;2\r\n", "x.csv").status_code == 422  # type: ignore[attr-defined]
    assert _sheet(api, good, "notes.csv", role="viewer").status_code == 403  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> SqliteGraphStore:
    store = SqliteGraphStore(tmp_path_factory.mktemp("diagnosis") / "m.db")
    load(store)
    add_demo_users(store, hash_password("maillage-demo", "", check=False))
    return store


def _logged_in(store: SqliteGraphStore, user: str) -> TestClient:
    client = TestClient(create_app(store=store))
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([0-9a-f]{64})"', form)
    assert token is not None
    fields = {"username": user, "password": "maillage-demo", "next": "/",
              "csrf_token": token.group(1)}  # fmt: skip
    assert client.post("/login", data=fields, follow_redirects=False).status_code == 303
    return client


def test_the_demo_diagnosis_tells_its_story(demo: SqliteGraphStore) -> None:
    """24 months of observations: energy bills of the elderly rise in the last six months and
    no actor working on energy reaches the elderly; no sport reaches women."""
    said = demo.list_observations(ObservationFilter(), limit=1000).items
    months = {(o.date.year, o.date.month) for o in said}
    assert len(said) >= 40 and len(months) >= 20
    client = _logged_in(demo, "coordinator")
    end = date(2026, 11, 30)
    answer = client.get(
        "/api/v1/diagnosis",
        params={"neighbourhood": "Cureghem-Lemmens", "start": "2026-06-01", "end": end},
    )
    assert answer.status_code == 200, answer.text
    d = answer.json()
    assert d["previous_start"] == "2025-12-01" and d["previous_end"] == "2026-05-31"
    needs = {n["theme"]: n for n in d["needs"]}
    energy = needs["energy"]
    assert energy["count"] > energy["previous"] >= 1
    assert energy["gaps"] == ["elderly"] and energy["can_act"]
    assert needs["sport"]["gaps"] == ["women"]
    assert all(q["sources"] or q["text"] for q in energy["quotes"])
    assert client.get("/api/v1/diagnosis", params={"start": "2026-06-01", "end": "2026-01-01"}
                      ).status_code == 422  # fmt: skip


def test_the_diagnosis_exports_its_tables(demo: SqliteGraphStore) -> None:
    client = _logged_in(demo, "amina")
    period = {"start": "2026-06-01", "end": "2026-11-30"}
    page = client.get("/diagnosis", params=period)
    assert page.status_code == 200 and "Diagnostic de Cureghem-Lemmens" in page.text
    text = client.get("/diagnosis.csv", params={**period, "table": "needs"})
    assert text.headers["content-type"].startswith("text/csv")
    lines = text.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Thème;") and any(line.startswith("énergie;") for line in lines)
    book = client.get("/diagnosis.xlsx", params=period)
    sheets = load_workbook(io.BytesIO(book.content)).sheetnames
    assert sheets == ["Par thème", "Par secteur", "Thème × secteur", "Par mois", "Besoins",
                      "Observations"]  # fmt: skip
    crossed = client.get("/diagnosis.csv", params={**period, "table": "crossed"})
    rows = crossed.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("Thème;") and "21001A01-" in rows[0]
    energy = next(r for r in rows if r.startswith("énergie;"))
    assert sum(int(n) for n in energy.split(";")[1:]) >= 5  # each of its sectors counted
    dutch = client.get("/diagnosis.csv", params={**period, "table": "themes", "lang": "nl"})
    assert dutch.content.decode("utf-8-sig").startswith("Thema;behoefte;")


def test_observations_and_diagnosis_from_the_command_line(tmp_path: Path) -> None:
    env = {**os.environ, "MAILLAGE_DB": str(tmp_path / "m.db"), "MAILLAGE_STORE": "sqlite",
           "COLUMNS": "200"}  # tables unwrapped  # fmt: skip

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "api.cli", *args], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=120)  # fmt: skip

    assert cli("demo").returncode == 0
    added = cli("observations", "add", "--as", "amina", "--theme", "logement", "--public",
                "familles", "Des familles cherchent un logement plus grand")  # fmt: skip
    assert added.returncode == 0 and "recorded" in added.stdout, added.stderr
    refused = cli("observations", "add", "--as", "amina", "--theme", "santé",
                  "Écrire à voisin@exemple.be")  # fmt: skip
    assert refused.returncode == 1 and "e-mail address" in refused.stderr
    viewer = cli("observations", "add", "--as", "partner", "--theme", "santé", "Un besoin")
    assert viewer.returncode == 1
    sheet = tmp_path / "notes.csv"
    sheet.write_text("Datum;Soort;Thema;Tekst\n01/10/2026;wens;sport;Een turnzaal voor meisjes\n",
                     encoding="utf-8")  # fmt: skip
    imported = cli("observations", "import", str(sheet), "--as", "lucie")
    assert imported.returncode == 0 and "1 observations recorded" in imported.stdout
    listed = cli("observations", "list", "--as", "amina", "--theme", "sport")
    assert "turnzaal" in listed.stdout
    xlsx = tmp_path / "d.xlsx"
    report = cli("diagnosis", "--as", "amina", "--start", "2026-06-01", "--end", "2026-11-30",
                 "--xlsx", str(xlsx), "--lang", "nl")  # fmt: skip
    assert report.returncode == 0, report.stderr
    assert "energy" in report.stdout and "elderly" in report.stdout
    assert load_workbook(xlsx).sheetnames[0] == "Per thema"
    figures = cli("indicators", "--as", "amina", "--json")
    assert figures.returncode == 0, figures.stderr
    assert {f["key"] for f in json.loads(figures.stdout)["figures"]} >= {"team_network"}
    assert "directory confirmed" in cli("indicators", "--as", "amina").stdout


def test_the_demo_indicators_tell_what_the_work_changed(demo: SqliteGraphStore) -> None:
    """The missions' figures from what was recorded: introductions taken up at meetings that
    became links and one a joint action; the directory kept more alive in the second year;
    community actions carried by residents' groups; each figure with the records behind it."""
    client = _logged_in(demo, "amina")
    year = client.get("/api/v1/indicators").json()  # the last twelve months
    figures = {f["key"]: f for f in year["figures"]}
    taken, linked, joint = (figures[f"introductions_{k}"]["value"]
                            for k in ("taken_up", "linked", "joint_activity"))  # fmt: skip
    assert taken >= linked >= joint >= 1 and taken > joint
    assert "Consultation ONE" in figures["introductions_joint_activity"]["items"][0]["label"]
    assert figures["introductions_suggested"]["value"] >= 5
    before = client.get(
        "/api/v1/indicators",
        params={"start": year["start"][:4] + "-01-01", "end": year["start"]},
    )
    assert before.status_code == 200
    earlier = {f["key"]: f for f in before.json()["figures"]}
    alive = figures["directory_confirmed"]
    assert earlier["directory_confirmed"]["value"] < alive["value"]  # more rounds in year two
    assert 0.2 < alive["value"] < 0.9 and alive["count"] + len(alive["items"]) == alive["total"]
    for key in ("referrals", "collective_actions", "community_actions", "team_network_new"):
        assert figures[key]["value"] == len(figures[key]["items"]) or key == "referrals", key
        assert figures[key]["value"] > 0, key
    assert 0 < figures["referrals_reached"]["value"] < figures["referrals_followed_up"]["value"]
    residents = figures["community_by_residents"]
    assert 0 < residents["count"] <= residents["total"] == figures["community_actions"]["value"]
    assert {t["key"] for t in year["referrals_by_theme"]} >= {"housing", "health"}
    assert client.get("/api/v1/indicators", params={"start": "2020-01-01"}).status_code == 422
    for early in ({"end": "0002-01-01"}, {"start": "0001-01-01", "end": "0001-12-31"}):
        refused = client.get("/api/v1/indicators", params=early)  # the fuzzer's find: a 500
        assert refused.status_code == 422 and "1900-01-01" in refused.text, early
        assert client.get("/api/v1/diagnosis", params=early).status_code == 422, early


def test_the_indicators_page_compares_and_exports(demo: SqliteGraphStore) -> None:
    client = _logged_in(demo, "coordinator")
    query = {"start": "2025-12-01", "end": "2026-11-30", "other_start": "2024-12-01",
             "other_end": "2025-11-30", "neighbourhood": "Cureghem-Lemmens"}  # fmt: skip
    page = client.get("/indicators", params=query)
    assert page.status_code == 200
    assert "Répertoire vivant" in page.text and "Mission 4 : actions communautaires" in page.text
    assert page.text.count("Cureghem-Lemmens · 202") >= 2  # two columns side by side
    table = client.get("/indicators.csv", params={**query, "lang": "nl"})
    lines = table.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Opdracht;Indicator;Definitie;Cureghem-Lemmens")
    assert len(lines) == 23 and all(line.count(";") >= 4 for line in lines)
    book = load_workbook(io.BytesIO(client.get("/indicators.xlsx", params=query).content))
    assert book.sheetnames == ["Indicateurs", "Données 1", "Données 2"]
    assert book["Données 1"].max_row > 100  # every record behind the figures
    early = client.get("/indicators", params={"start": "1899-01-01"})
    assert early.status_code == 422  # the field named as the form shows it, not "start"
    assert "De : les dates avant le 1 janv. 1900 ne sont pas analysées" in early.text


def test_a_crisis_list_over_http_and_from_the_command_line(tmp_path: Path) -> None:
    """Opened for the elderly during a heatwave; the actors to call with their phones and the
    chain from the team; calls recorded by the team, refused to a partner; closed, kept."""
    env = {**os.environ, "MAILLAGE_DB": str(tmp_path / "m.db"), "MAILLAGE_STORE": "sqlite",
           "COLUMNS": "200"}  # tables unwrapped  # fmt: skip

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "api.cli", *args], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=120)  # fmt: skip

    assert cli("demo").returncode == 0
    opened = cli("crises", "open", "Canicule", "--public", "personnes âgées", "--as", "amina")
    assert opened.returncode == 0, opened.stderr
    crisis_id = opened.stdout.split()[-1]
    shown = cli("crises", "show", crisis_id, "--as", "amina")
    assert "Amicale des aînés" in shown.stdout and "not_yet" in shown.stdout
    called = cli("crises", "call", crisis_id, "Amicale des aînés du Conseil", "--as", "joris")
    assert called.returncode == 0, called.stderr
    assert "done (joris)" in cli("crises", "show", crisis_id, "--as", "amina").stdout
    refused = cli("crises", "call", crisis_id, "Amicale des aînés du Conseil", "--state",
                  "no_answer", "--as", "partner")  # fmt: skip
    assert refused.returncode == 1
    assert cli("crises", "close", crisis_id, "--as", "amina").returncode == 0
    listed = cli("crises", "list", "--as", "amina").stdout
    assert "Canicule" in listed
    store = SqliteGraphStore(tmp_path / "m.db")
    amicale = store.list_actors(ActorFilter(q="Amicale des aînés du Conseil")).items[0]
    store.update_actor(amicale.id, {"phones": [{"number": "02 520 12 34"}]}, by="amina")
    client = TestClient(create_app(store=store))
    token = issue_token(store, "amina", "api")[0]
    headers = {"Authorization": f"Bearer {token}"}
    closed = client.get(f"/api/v1/crises/{crisis_id}/list", headers=headers).json()
    assert closed["crisis"]["until"] and closed["done"] == 1
    assert any(r["chain"] and r["actor"]["name"] for r in closed["rows"])
    assert any(r["actor"]["phones"] for r in closed["rows"])  # the directory's phone on the list
    assert client.post(f"/api/v1/crises/{crisis_id}/calls", headers=headers,
                       json={"actor": closed["rows"][0]["actor"]["id"], "state": "done"}
                       ).status_code == 409  # closed: no more calls  # fmt: skip
    made = client.post("/api/v1/crises", headers=headers,
                       json={"name": "Inondation", "neighbourhood": "Cureghem-Lemmens",
                             "theme": "logement"}).json()  # fmt: skip
    assert made["theme"] == "housing"
    partner = {"Authorization": f"Bearer {issue_token(store, 'partner', 'api')[0]}"}
    assert client.get(f"/api/v1/crises/{made['id']}/list", headers=partner).status_code == 200
    assert client.post(f"/api/v1/crises/{made['id']}/end", headers=partner,
                       json={}).status_code == 403  # fmt: skip
    store.close()


def test_the_four_through_the_api_on_each_store(api_on_each_store: Api) -> None:
    """An observation, the diagnosis, the indicators and a crisis list with a call, end to end
    over HTTP on SQLite and on the Neo4j server."""
    api = api_on_each_store
    shop = api.store.create_actor(
        {"name": "Pharmacie Bara", "kind": "trader", "neighbourhood": "Cureghem",
         "themes": ["health"], "target_groups": ["elderly"], "languages": ["ar"],
         "since": "2024-01-01"},
        by="test",
    )  # fmt: skip
    api.store.create_link(
        {"source": api.team, "target": shop.id, "type": "KNOWS", "since": "2024-02-01"}, by="t"
    )
    said = api.client.post(
        "/api/v1/observations",
        json=_body(sources=[shop.id], date=date.today().isoformat()),
        headers=api.headers(),
    )
    assert said.status_code == 201, said.text
    found = api.client.get(
        "/api/v1/diagnosis", params={"neighbourhood": "Cureghem"}, headers=api.headers()
    ).json()
    need = found["needs"][0]
    assert need["theme"] == "health" and need["quotes"][0]["sources"][0]["name"] == shop.name
    assert [a["name"] for a in need["can_act"]] == [shop.name] and need["gaps"] == []
    figures = api.client.get("/api/v1/indicators", headers=api.headers()).json()["figures"]
    assert {f["key"]: f["value"] for f in figures}["team_network"] == 1
    crisis = api.client.post(
        "/api/v1/crises",
        json={"name": "Canicule", "neighbourhood": "Cureghem", "target_group": "elderly",
              "language": "ar"},
        headers=api.headers(),
    ).json()  # fmt: skip
    listed = api.client.get(f"/api/v1/crises/{crisis['id']}/list", headers=api.headers()).json()
    assert [r["actor"]["name"] for r in listed["rows"]] == [shop.name]
    assert listed["rows"][0]["distance"] == 1
    call = {"actor": shop.id, "state": "done"}
    made = api.client.post(f"/api/v1/crises/{crisis['id']}/calls", json=call,
                           headers=api.headers())  # fmt: skip
    assert made.status_code == 200 and made.json()["calls"][0]["by"] == "bar1"
    assert api.client.post(f"/api/v1/crises/{crisis['id']}/calls", json=call,
                           headers=api.headers("viewer")).status_code == 403  # fmt: skip


def test_sectors_imported_over_http_and_from_the_command_line(api: Api, tmp_path: Path) -> None:
    excerpt = ROOT / "tests" / "ingest" / "data" / "statbel-sectors-excerpt.geojson"
    place = next(n for n in api.store.list_neighbourhoods().items if n.name == "Cureghem")
    api.store.update_neighbourhood(place.id, {"sector_codes": ["21001A01-", "21001B00-"]},
                                   by="setup")  # fmt: skip
    files = {"file": ("sectors.geojson", excerpt.read_bytes()),
             "figures": ("figures.csv", b"secteur;population\n21001B00-;7200\n")}  # fmt: skip
    refused = api.client.post("/api/v1/neighbourhoods/sectors", files=files,
                              headers=api.headers("bar"))  # fmt: skip
    assert refused.status_code == 403
    done = api.client.post("/api/v1/neighbourhoods/sectors", files=files,
                           headers=api.headers("coordinator"))  # fmt: skip
    assert done.status_code == 200, done.text
    assert done.json() == {"written": {"Cureghem": 2}, "missing": []}
    shapes = api.store.get_neighbourhood(place.id).sector_shapes
    assert [(s.code, s.figures) for s in shapes] == [
        ("21001A01-", {}),
        ("21001B00-", {"population": 7200.0}),
    ]
    bad = api.client.post("/api/v1/neighbourhoods/sectors", headers=api.headers("coordinator"),
                          files={"file": ("x.geojson", b"{}")})  # fmt: skip
    assert bad.status_code == 422 and "FeatureCollection" in bad.json()["message"]
    env = {**os.environ, "MAILLAGE_DB": str(tmp_path / "m.db"), "MAILLAGE_STORE": "sqlite"}
    run = [sys.executable, "-m", "api.cli"]
    assert subprocess.run([*run, "demo"], env=env, cwd=ROOT, capture_output=True,
                          timeout=120).returncode == 0  # fmt: skip
    made = subprocess.run([*run, "neighbourhoods", "sectors", str(excerpt)], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert made.returncode == 0 and "Cureghem-Lemmens: 4 sectors" in made.stdout, made.stderr


def test_a_tile_server_is_a_setting_and_the_only_other_origin(sqlite_store: GraphStore) -> None:
    from api.settings import Settings

    plain = TestClient(create_app(store=sqlite_store)).get("/health")
    assert "img-src 'self' data:;" in plain.headers["content-security-policy"]
    tiles = Settings(tiles="https://tiles.example.be/{z}/{x}/{y}.png")
    tiled = create_app(store=sqlite_store, settings=tiles)
    policy = TestClient(tiled).get("/health").headers["content-security-policy"]
    assert "img-src 'self' data: https://tiles.example.be;" in policy
    assert "script-src 'self';" in policy  # nothing else opens
