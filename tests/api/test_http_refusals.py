"""Refusals over HTTP that a user meets: a duplicate actor and ending what is ended answer 409
(with the existing record named), logging out needs the form's token, and an import
confirmation with a token that is not one the page gave confirms nothing."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from .conftest import PASSWORD, Api


def test_duplicates_and_ending_twice_answer_409(api: Api) -> None:
    boss = api.headers("coordinator")
    actor = {"name": "Maison médicale Le Noyer", "kind": "health_actor",
             "neighbourhood": "Cureghem", "since": "2024-01-01"}  # fmt: skip
    made = api.client.post("/api/v1/actors", json=actor, headers=boss)
    assert made.status_code == 201
    again = api.client.post("/api/v1/actors", json={**actor, "name": "MAISON MEDICALE le noyer"},
                            headers=boss)  # fmt: skip
    assert again.status_code == 409 and again.json()["error"] == "conflict"
    assert again.json()["details"]["existing_id"] == made.json()["id"]
    first = api.client.post(f"/api/v1/actors/{made.json()['id']}/end",
                            json={"until": "2025-01-01"}, headers=boss)  # fmt: skip
    assert first.status_code == 200
    twice = api.client.post(f"/api/v1/actors/{made.json()['id']}/end",
                            json={"until": "2025-02-01"}, headers=boss)  # fmt: skip
    assert twice.status_code == 409 and twice.json()["error"] == "conflict"


def _session(api: Api, user: str) -> tuple[TestClient, str]:
    client = TestClient(api.client.app, raise_server_exceptions=False)
    answer = client.post("/api/v1/auth/session", data={"username": user, "password": PASSWORD})
    assert answer.status_code == 200
    return client, answer.json()["csrf_token"]


def test_logging_out_needs_the_forms_token(api: Api) -> None:
    client, csrf = _session(api, "bar1")
    forged = client.post("/logout", data={}, follow_redirects=False)
    assert forged.status_code == 403
    assert client.get("/api/v1/auth/me").status_code == 200  # still logged in
    done = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/login"
    assert client.get("/api/v1/auth/me").status_code == 401


def test_a_tampered_import_token_confirms_nothing(api: Api) -> None:
    client, csrf = _session(api, "coordinator1")
    sheet = b"nom;type;quartier\nJardin partage Veeweyde;resident_group;Cureghem\n"
    checked = client.post("/import", data={"csrf_token": csrf},
                          files={"file": ("carte.csv", sheet, "text/csv")})  # fmt: skip
    token = re.search(r'name="upload" value="([0-9a-f]{32})"', checked.text)
    assert checked.status_code == 200 and token is not None
    before = api.store.version()
    for tampered in ("0" * 32, token.group(1)[:-1] + "x", "../../etc/passwd", token.group(1) + "0"):
        answer = client.post("/import", data={"csrf_token": csrf, "upload": tampered})
        assert answer.status_code == 422, tampered
        assert api.store.version() == before
    confirmed = client.post("/import", data={"csrf_token": csrf, "upload": token.group(1)})
    assert confirmed.status_code == 200 and api.store.version() > before
    # a token is used once
    reused = client.post("/import", data={"csrf_token": csrf, "upload": token.group(1)})
    assert reused.status_code == 422
