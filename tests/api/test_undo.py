"""Mistakes can be undone over HTTP: reopening an ended actor or link, retracting a record made
by mistake — by coordinators, or within a day by the user who made what is undone."""

from __future__ import annotations

from api.security import hash_password, issue_token
from tests.helpers import bearer

from .conftest import PASSWORD, Api


def test_reopen_and_retract_by_whom(api: Api) -> None:
    h = api.headers()  # bar1, in Cureghem
    other = "bar2"
    api.store.create_user(
        {"name": other, "role": "bar", "actor_id": api.team}, hash_password(PASSWORD, other), by="t"
    )
    h2 = bearer(issue_token(api.store, other, "api")[0])

    def post(path: str, body: object, headers: dict[str, str]) -> int:
        return api.client.post(f"/api/v1{path}", json=body, headers=headers).status_code

    actor = {"kind": "association", "neighbourhood": "Cureghem", "since": "2024-01-01"}
    a = api.client.post("/api/v1/actors", json={**actor, "name": "Asbl A"}, headers=h).json()
    b = api.client.post("/api/v1/actors", json={**actor, "name": "Asbl B"}, headers=h).json()
    link = api.client.post(
        "/api/v1/links",
        json={"source": a["id"], "target": b["id"], "type": "KNOWS", "since": "2024-02-01"},
        headers=h,
    ).json()
    # ending on the first day is refused, and says how to retract
    first_day = api.client.post(
        f"/api/v1/links/{link['id']}/end", json={"until": "2024-02-01"}, headers=h
    )
    assert first_day.status_code == 422 and "retract" in first_day.json()["message"]
    assert post(f"/links/{link['id']}/end", {"until": "2025-01-01"}, h) == 200
    assert post(f"/links/{link['id']}/reopen", None, h2) == 403  # not who ended it
    assert post(f"/links/{link['id']}/reopen", None, api.headers("viewer")) == 403
    assert post(f"/links/{link['id']}/reopen", None, h) == 200  # who ended it, same day
    assert post(f"/links/{link['id']}/end", {"until": "2025-01-01"}, h2) == 200
    assert post(f"/links/{link['id']}/reopen", None, api.headers("coordinator")) == 200
    # retracting: who recorded it (within a day) or a coordinator, always with a reason
    assert post(f"/actors/{a['id']}/retract", {}, h) == 422
    assert post(f"/actors/{a['id']}/retract", {"reason": "typo"}, h2) == 403
    assert post(f"/actors/{a['id']}/retract", {"reason": "recorded by mistake"}, h) == 200
    gone = api.client.get("/api/v1/actors", params={"q": "Asbl A"}, headers=h).json()
    assert gone["total"] == 0
    events = api.client.get(
        "/api/v1/events", params={"entity_id": a["id"]}, headers=api.headers("coordinator")
    ).json()
    assert [e["action"] for e in events["items"]] == ["create", "retract"]
    # the name is free again
    again = api.client.post("/api/v1/actors", json={**actor, "name": "Asbl A"}, headers=h)
    assert again.status_code == 201
