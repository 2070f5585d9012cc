"""The HTTP surface: body cap before parsing, security headers, no cached credentials, minimal
health, and API docs that load nothing from another site."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.store import GraphStore

from .conftest import Api


def test_a_large_body_is_refused_before_it_is_read(api: Api) -> None:
    before = api.store.counts()
    huge = "x" * (2 * 1024 * 1024)
    answer = api.client.post(
        "/api/v1/actors",
        content=f'{{"name": "{huge}", "kind": "trader", "neighbourhood": "Cureghem"}}',
        headers={**api.headers(), "content-type": "application/json"},
    )
    assert answer.status_code == 413 and answer.json()["error"] == "too_large"
    # unauthenticated too: the cap comes before the login check
    anonymous = api.client.post("/api/v1/actors", content=huge.encode())
    assert anonymous.status_code == 413

    # a body that lies about its length is counted as it arrives
    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(100):
            yield b"y" * 10_000

    streamed = api.client.post(
        "/api/v1/actors", content=chunks(), headers={"content-type": "application/json"}
    )
    assert streamed.status_code == 413
    assert api.store.counts() == before


def test_the_cap_is_a_setting(sqlite_store: GraphStore) -> None:
    app = create_app(Settings(max_body=2048), store=sqlite_store)
    client = TestClient(app)
    assert client.post("/api/v1/auth/token", content=b"u" * 3000).status_code == 413
    assert (
        client.post("/api/v1/auth/token", data={"username": "a", "password": "b"}).status_code
        == 401
    )


def test_security_headers_and_no_banner(api: Api) -> None:
    for path in ("/health", "/api/v1/actors", "/api/v1/docs", "/nowhere"):
        answer = api.client.get(path, headers=api.headers())
        headers = answer.headers
        assert headers["x-content-type-options"] == "nosniff", path
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path
        assert headers["referrer-policy"] == "same-origin", path
        assert "server" not in headers, path


def test_health_says_ok_and_counts_only_to_users(api: Api) -> None:
    assert api.client.get("/health").json() == {"status": "ok", "store": "sqlite"}
    bad = api.client.get("/health", headers={"Authorization": "Bearer forged"})
    assert "counts" not in bad.json()
    counted = api.client.get("/health", headers=api.headers("viewer")).json()
    assert counted["counts"]["actors"] >= 1


def test_the_api_docs_work_offline(api: Api) -> None:
    for page in ("/api/v1/docs", "/api/v1/redoc"):
        html = api.client.get(page).text
        assets = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
        assert assets, page
        assert not [a for a in assets if a.startswith(("http://", "https://", "//"))], page
        assert "fonts.googleapis" not in html and "cdn.jsdelivr" not in html
        for asset in assets:
            if asset.startswith("/"):
                assert api.client.get(asset).status_code == 200, asset
    js = api.client.get("/api/v1/docs-assets/swagger-ui-bundle.js")
    assert js.status_code == 200 and len(js.content) > 100_000
