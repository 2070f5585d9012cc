"""Web sessions for the pages: a cookie that scripts cannot read, sent to this site only, Secure
over HTTPS, expiring; and every change made with it carries the session's CSRF token."""

from __future__ import annotations

from fastapi.testclient import TestClient

from .conftest import PASSWORD, Api


def test_the_session_cookie_and_its_csrf_token(api: Api) -> None:
    client = TestClient(api.client.app, base_url="https://maillage.example")
    answer = client.post("/api/v1/auth/session", data={"username": "bar1", "password": PASSWORD})
    assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"
    cookie = answer.headers["set-cookie"]
    for flag in ("HttpOnly", "SameSite=lax", "Secure", "Max-Age=", "expires=", "Path=/"):
        assert flag.lower() in cookie.lower(), flag
    csrf = answer.json()["csrf_token"]
    assert client.get("/api/v1/auth/me").json()["name"] == "bar1"  # the cookie logs in
    body = {"name": "Asbl Session", "kind": "association", "neighbourhood": "Cureghem"}
    assert client.post("/api/v1/actors", json=body).status_code == 403  # no CSRF token
    forged = client.post("/api/v1/actors", json=body, headers={"X-CSRF-Token": "0" * 64})
    assert forged.status_code == 403
    made = client.post("/api/v1/actors", json=body, headers={"X-CSRF-Token": csrf})
    assert made.status_code == 201
    # a form post carries it as a field
    form = client.post("/api/v1/auth/logout", data={"csrf_token": "wrong"})
    assert form.status_code == 403
    out = client.post("/api/v1/auth/logout", data={"csrf_token": csrf})
    assert out.status_code == 204 and "maillage_session=" in out.headers["set-cookie"]
    assert client.get("/api/v1/auth/me").status_code == 401


def test_plain_http_sessions_are_not_secure_only_and_bearers_need_no_csrf(api: Api) -> None:
    answer = api.client.post(
        "/api/v1/auth/session", data={"username": "bar1", "password": PASSWORD}
    )
    assert "secure" not in answer.headers["set-cookie"].lower()
    body = {"name": "Asbl Bearer", "kind": "association", "neighbourhood": "Cureghem"}
    assert api.client.post("/api/v1/actors", json=body, headers=api.headers()).status_code == 201
