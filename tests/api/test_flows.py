"""The API's main flows through the real app, on both stores."""

from __future__ import annotations

from datetime import date, timedelta

from graph.model import today
from tests.helpers import bearer

from .conftest import PASSWORD, Api


def _actor(api: Api, name: str, **extra: object) -> str:
    body = {"name": name, "kind": "association", "neighbourhood": "Cureghem", **extra}
    answer = api.client.post("/api/v1/actors", json=body, headers=api.headers())
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


def test_login_with_password_and_me(api: Api) -> None:
    answer = api.client.post("/api/v1/auth/token", data={"username": "bar1", "password": PASSWORD})
    assert answer.status_code == 200
    token = answer.json()["access_token"]
    me = api.client.get("/api/v1/auth/me", headers=bearer(token))
    assert me.json()["name"] == "bar1" and me.json()["role"] == "bar"
    wrong = api.client.post("/api/v1/auth/token", data={"username": "bar1", "password": "nope"})
    assert wrong.status_code == 401 and wrong.json()["error"] == "unauthorized"
    nobody = api.client.post("/api/v1/auth/token", data={"username": "x", "password": "nope"})
    assert nobody.status_code == 401


def test_refused_requests_write_nothing(api: Api) -> None:
    before = api.store.counts()
    body = {"name": "Asbl", "kind": "association", "neighbourhood": "Cureghem"}
    no_token = api.client.post("/api/v1/actors", json=body)
    assert no_token.status_code == 401
    assert set(no_token.json()) == {"error", "message", "details", "rule"}
    bad_token = api.client.post(
        "/api/v1/actors", json=body, headers={"Authorization": "Bearer forged"}
    )
    assert bad_token.status_code == 401
    viewer = api.client.post("/api/v1/actors", json=body, headers=api.headers("viewer"))
    assert viewer.status_code == 403 and "viewer" in viewer.json()["message"]
    bad = api.client.post("/api/v1/actors", json={**body, "kind": "bakery"}, headers=api.headers())
    assert bad.status_code == 422
    assert bad.json()["details"][0]["field"] == "kind"
    empty = api.client.post("/api/v1/actors", json={**body, "name": ""}, headers=api.headers())
    assert empty.status_code == 422 and empty.json()["details"][0]["field"] == "name"
    long = api.client.post(
        "/api/v1/actors", json={**body, "name": "x" * 201}, headers=api.headers()
    )
    assert long.status_code == 422 and long.json()["details"][0]["field"] == "name"
    huge = api.client.post(
        "/api/v1/actors", json={**body, "name": "x" * 1_000_000}, headers=api.headers()
    )
    assert huge.status_code == 413  # refused before it is read
    assert api.store.counts() == before
    assert api.client.get("/api/v1/actors").status_code == 401


def test_record_and_ask_who_knows_whom(api_on_each_store: Api) -> None:
    """The end-to-end flow, on both stores."""
    api = api_on_each_store
    h = api.headers()
    team = api.team  # the bar user's own team: reach starts from it
    mosque = _actor(
        api, "Mosquée Al-Nour", kind="place_of_worship", languages=["ar"], since="2024-01-01"
    )
    shop = _actor(api, "Épicerie Atlas", kind="trader", languages=["ar", "fr"], since="2024-01-01")
    lonely = _actor(api, "Club des mamans", languages=["ar"], target_groups=["women"])

    first = api.client.post(
        "/api/v1/links",
        json={"source": team, "target": shop, "type": "KNOWS", "since": "2024-02-01"},
        headers=h,
    )
    assert first.status_code == 201
    assert first.json()["recorded_by"] == "bar1"
    second = api.client.post(
        "/api/v1/links",
        json={
            "source": shop,
            "target": mosque,
            "type": "COLLABORATES_WITH",
            "mission": "community",
            "strength": 3,
            "since": "2024-03-01",
            "note": "Iftar commun",
        },
        headers=h,
    )
    assert second.status_code == 201
    dup = api.client.post(
        "/api/v1/links", json={"source": shop, "target": team, "type": "KNOWS"}, headers=h
    )
    assert dup.status_code == 409 and dup.json()["details"]["existing_id"] == first.json()["id"]

    paths = api.client.get(
        "/api/v1/paths", params={"source": team, "target": mosque, "k": 2}, headers=h
    ).json()
    assert [p["actors"] for p in paths] == [[team, shop, mosque]]
    assert paths[0]["hops"][1]["type"] == "COLLABORATES_WITH"
    assert paths[0]["hops"][0]["recorded_by"] == "bar1"

    reach = api.client.get("/api/v1/reach", params={"language": "ar"}, headers=h).json()
    assert [(r["id"], r["distance"]) for r in reach["reached"]] == [(shop, 1), (mosque, 2)]
    assert [u["id"] for u in reach["unreached"]] == [lonely]
    assert reach["team"] == [team]

    network = api.client.get(
        f"/api/v1/actors/{team}/network", params={"depth": 2}, headers=h
    ).json()
    assert {n["actor"]["id"]: n["distance"] for n in network["nodes"]} == {
        team: 0,
        shop: 1,
        mosque: 2,
    }

    ended = api.client.post(
        f"/api/v1/links/{first.json()['id']}/end", json={"until": "2025-01-01"}, headers=h
    )
    assert ended.status_code == 200 and ended.json()["until"] == "2025-01-01"
    now_net = api.client.get(f"/api/v1/actors/{team}/network", params={"depth": 2}, headers=h)
    assert [n["actor"]["id"] for n in now_net.json()["nodes"]] == [team]
    then = api.client.get(
        f"/api/v1/actors/{team}/network",
        params={"depth": 2, "as_of": "2024-06-01"},
        headers=h,
    ).json()
    assert {n["actor"]["id"] for n in then["nodes"]} == {team, shop, mosque}
    early = api.client.get(
        f"/api/v1/actors/{team}/network",
        params={"depth": 2, "as_of": "2024-02-15"},
        headers=h,
    ).json()
    assert {n["actor"]["id"] for n in early["nodes"]} == {team, shop}

    events = api.client.get("/api/v1/events", params={"actor": shop}, headers=h).json()
    assert [e["action"] for e in events["items"]] == ["create", "create", "create", "end"]
    assert api.client.get("/api/v1/events", params={"user": "bar1"}, headers=h).json()["total"] == 6


def test_crud_and_lists_for_every_resource(api: Api) -> None:
    h = api.headers()
    a = _actor(api, "Maison médicale", kind="health_actor", themes=["health"], since="2024-01-01")
    b = _actor(api, "CPAS", kind="public_service")
    listed = api.client.get("/api/v1/actors", params={"theme": "health"}, headers=h).json()
    assert [x["id"] for x in listed["items"]] == [a] and listed["total"] == 1
    assert api.client.get("/api/v1/actors", params={"q": "cpas"}, headers=h).json()["total"] == 1
    patched = api.client.patch(f"/api/v1/actors/{a}", json={"subtype": "medical house"}, headers=h)
    assert patched.json()["subtype"] == "medical house"
    assert api.client.get(f"/api/v1/actors/{a}", headers=api.headers("viewer")).status_code == 200
    assert api.client.get("/api/v1/actors/ghost", headers=h).status_code == 404

    activity = api.client.post(
        "/api/v1/activities",
        json={
            "name": "Info diabète",
            "mission": "collective",
            "neighbourhood": "Cureghem",
            "participants": [a, b],
        },
        headers=h,
    )
    assert activity.status_code == 201
    referral = api.client.post(
        "/api/v1/referrals",
        json={"date": str(today()), "from_actor": a, "to_actor": b, "theme": "income"},
        headers=h,
    )
    assert referral.status_code == 201
    free_text = api.client.post(
        "/api/v1/referrals",
        json={"date": str(today()), "from_actor": a, "to_actor": b, "theme": "x", "note": "Mr X"},
        headers=h,
    )
    assert free_text.status_code == 422 and free_text.json()["details"][0]["field"] == "note"
    closed = api.client.post(f"/api/v1/referrals/{referral.json()['id']}/end", json={}, headers=h)
    assert closed.json()["closed_on"] == str(today())
    neighbourhood = {"name": "Cureghem-Bara", "municipality": "Anderlecht", "population": 25000}
    refused = api.client.post("/api/v1/neighbourhoods", json=neighbourhood, headers=h)
    assert refused.status_code == 403  # a BAR worker does not create neighbourhoods
    nb = api.client.post(
        "/api/v1/neighbourhoods", json=neighbourhood, headers=api.headers("coordinator")
    )
    assert nb.status_code == 201
    for resource, total in (("activities", 1), ("referrals", 1), ("neighbourhoods", 6)):
        page = api.client.get(f"/api/v1/{resource}", headers=h).json()
        assert page["total"] == total  # (five neighbourhoods recorded by the test set-up)
    future = api.client.post(
        f"/api/v1/actors/{a}/end", json={"until": str(today() + timedelta(days=3))}, headers=h
    )
    assert future.status_code == 422
    assert api.client.post(f"/api/v1/actors/{a}/end", json={}, headers=h).status_code == 200
    assert (
        api.client.get(
            f"/api/v1/actors/{a}", params={"as_of": str(date.today())}, headers=h
        ).status_code
        == 404
    )


def test_user_management_by_role(api: Api) -> None:
    body = {"name": "newbar", "role": "bar", "password": "long enough pass"}
    assert (
        api.client.post("/api/v1/users", json=body, headers=api.headers("bar")).status_code == 403
    )
    created = api.client.post("/api/v1/users", json=body, headers=api.headers("coordinator"))
    assert created.status_code == 201 and "password" not in created.text
    admin = {**body, "name": "boss", "role": "admin"}
    refused = api.client.post("/api/v1/users", json=admin, headers=api.headers("coordinator"))
    assert refused.status_code == 403
    assert (
        api.client.post("/api/v1/users", json=admin, headers=api.headers("admin")).status_code
        == 201
    )
    short = {**body, "name": "shorty", "password": "short"}
    assert (
        api.client.post("/api/v1/users", json=short, headers=api.headers("admin")).status_code
        == 422
    )
    names = [
        u["name"]
        for u in api.client.get("/api/v1/users", headers=api.headers("admin")).json()["items"]
    ]
    assert "newbar" in names and "boss" in names
