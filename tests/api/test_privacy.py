"""Erasure and subject access over HTTP: managers only, and the name is gone everywhere."""

from datetime import date

from tests.api.conftest import Api


def _actor_with_link(api: Api) -> tuple[str, str]:
    h = api.headers("coordinator")
    body = {"name": "Tante Rosalie", "kind": "key_resident", "neighbourhood": "Cureghem",
            "consent_date": "2024-02-01"}  # fmt: skip
    rosalie = api.client.post("/api/v1/actors", json=body, headers=h).json()["id"]
    link = {"source": api.team, "target": rosalie, "type": "KNOWS", "since": "2024-03-01"}
    r = api.client.post("/api/v1/links", json=link, headers=h)
    assert r.status_code == 201, r.text
    return rosalie, r.json()["id"]


def test_subject_access_lists_what_is_held(api: Api) -> None:
    rosalie, link = _actor_with_link(api)
    api.store.end_link(link, date(2025, 1, 1), by="coordinator1")  # ended links are held too
    r = api.client.get(f"/api/v1/actors/{rosalie}/data", headers=api.headers("coordinator"))
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["actor"]["name"] == "Tante Rosalie"
    assert [(x["id"], x["until"]) for x in data["links"]] == [(link, "2025-01-01")]
    assert data["events"], "the recording of the actor is part of what is held"
    denied = api.client.get(f"/api/v1/actors/{rosalie}/data", headers=api.headers("bar"))
    assert denied.status_code == 403


def test_erasure_by_a_coordinator_leaves_no_trace_of_the_name(api: Api) -> None:
    rosalie, _ = _actor_with_link(api)
    why = {"reason": "asked by the person"}
    bar = api.client.request(
        "DELETE", f"/api/v1/actors/{rosalie}", json=why, headers=api.headers("bar")
    )
    assert bar.status_code == 403
    assert api.client.get(f"/api/v1/actors/{rosalie}", headers=api.headers()).status_code == 200
    no_reason = api.client.request(
        "DELETE", f"/api/v1/actors/{rosalie}", json={}, headers=api.headers("coordinator")
    )
    assert no_reason.status_code == 422
    r = api.client.request(
        "DELETE", f"/api/v1/actors/{rosalie}", json=why, headers=api.headers("coordinator")
    )
    assert r.status_code == 204, r.text
    h = api.headers("coordinator")
    assert api.client.get(f"/api/v1/actors/{rosalie}", headers=h).status_code == 404
    for path in ("/api/v1/events?limit=1000", "/api/v1/links?limit=1000", "/api/v1/actors"):
        answer = api.client.get(path, headers=h)
        assert answer.status_code == 200, (path, answer.text)
        assert "Rosalie" not in answer.text, path
    events = api.client.get("/api/v1/events?limit=1000", headers=h).json()["items"]
    assert any("asked by the person" in str(e) for e in events), "the erasure itself is kept"
