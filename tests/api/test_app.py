"""The app: health, OpenAPI, errors in one shape — through the real app on both stores."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app, warm_up
from api.settings import Settings
from graph.store import GraphStore
from tests.helpers import bearer, free_port, wait_for_health

ROOT = Path(__file__).resolve().parents[2]


def test_health_and_openapi(sqlite_store: GraphStore) -> None:
    with TestClient(create_app(store=sqlite_store)) as client:
        health = client.get("/health")
        assert health.status_code == 200
        assert health.json() == {"status": "ok", "store": sqlite_store.backend}
        spec = client.get("/api/v1/openapi.json").json()
        assert spec["info"]["title"] == "Maillage"
        assert client.get("/api/v1/docs").status_code == 200
        missing = client.get("/api/v1/nowhere")
        assert missing.status_code == 404
        assert set(missing.json()) == {"error", "message", "details", "rule"}
        page = client.get("/nowhere", headers={"accept-language": "nl"})
        assert page.status_code == 404 and "Deze pagina bestaat niet." in page.text


def test_settings_from_the_environment(monkeypatch: object) -> None:
    env = {
        "MAILLAGE_STORE": "neo4j",
        "NEO4J_URI": "bolt://example:7687",
        "NEO4J_USER": "u",
        "NEO4J_PASSWORD": "s3cret-neo4j",
        "MAILLAGE_DB": "/tmp/x.db",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)  # type: ignore[attr-defined]
    settings = Settings()
    assert settings.store == "neo4j"
    assert settings.neo4j_uri == "bolt://example:7687"
    assert settings.neo4j_user == "u"
    assert str(settings.db) == "/tmp/x.db"
    # the password is kept, and never shown
    assert settings.neo4j_password is not None
    assert settings.neo4j_password.get_secret_value() == "s3cret-neo4j"
    assert "s3cret" not in repr(settings) and "s3cret" not in str(settings.model_dump())


def test_demo_then_serve_like_make_run(tmp_path: Path) -> None:
    """What `make run` does: load the demo if empty, then serve /health and the API docs."""
    env = {**os.environ, "MAILLAGE_DB": str(tmp_path / "m.db"), "MAILLAGE_STORE": "sqlite"}
    cli = [sys.executable, "-m", "api.cli"]
    first = subprocess.run(
        [*cli, "demo", "--if-empty"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert first.returncode == 0, first.stderr
    again = subprocess.run(
        [*cli, "demo", "--if-empty"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert again.returncode == 0 and "already holds data" in again.stderr
    refused = subprocess.run([*cli, "demo"], env=env, cwd=ROOT, capture_output=True, text=True)
    assert refused.returncode == 1 and "not empty" in refused.stderr

    port = free_port()
    server = subprocess.Popen(  # two processes, as a server on Neo4j runs (MAILLAGE_WORKERS)
        [*cli, "serve", "--port", str(port), "--workers", "2"], env=env, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        health = wait_for_health(f"http://127.0.0.1:{port}", 60, server)
        assert health.json() == {"status": "ok", "store": "sqlite"}  # no counts for strangers
        assert "server" not in health.headers  # no banner
        login = httpx.post(
            f"http://127.0.0.1:{port}/api/v1/auth/token",
            data={"username": "amina", "password": "maillage-demo"},
            timeout=10,
        )
        assert login.status_code == 200 and login.headers["cache-control"] == "no-store"
        token = login.json()["access_token"]
        known = httpx.get(f"http://127.0.0.1:{port}/health", headers=bearer(token))
        assert known.json()["counts"]["actors"] > 150
        docs = httpx.get(f"http://127.0.0.1:{port}/api/v1/docs", timeout=5)
        assert docs.status_code == 200 and "swagger" in docs.text.lower()
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_demo_never_goes_into_a_store_that_holds_someone_s_data(tmp_path: Path) -> None:
    """A store with users but no actor yet (a real deployment on its first day) is not empty."""
    from api.security import hash_password
    from graph.sqlite_store import SqliteGraphStore

    store = SqliteGraphStore(tmp_path / "m.db")
    store.create_user({"name": "nadia", "role": "admin"}, hash_password("x", "", check=False),
                      by="admin")  # fmt: skip
    store.close()
    env = {**os.environ, "MAILLAGE_DB": str(tmp_path / "m.db"), "MAILLAGE_STORE": "sqlite"}
    cli = [sys.executable, "-m", "api.cli"]
    refused = subprocess.run([*cli, "demo"], env=env, cwd=ROOT, capture_output=True, text=True)
    assert refused.returncode == 1 and "not empty" in refused.stderr
    kept = subprocess.run([*cli, "demo", "--if-empty"], env=env, cwd=ROOT, capture_output=True,
                          text=True)  # fmt: skip
    assert kept.returncode == 0 and "already holds data" in kept.stderr
    store = SqliteGraphStore(tmp_path / "m.db")
    assert store.counts()["actors"] == 0 and [u.name for u in store.list_users()] == ["nadia"]
    store.close()


def test_a_failed_warm_up_is_noted_and_does_not_stop_the_server(
    caplog: pytest.LogCaptureFixture,
) -> None:
    class Asleep:
        def warm_up(self) -> None:
            raise ConnectionError("the store does not answer yet")

    with caplog.at_level(logging.WARNING, logger="maillage"):
        warm_up(Asleep())  # type: ignore[arg-type]
    assert "warm-up failed" in caplog.text and "does not answer yet" in caplog.text


def test_the_warm_up_keeps_the_region_s_history_for_the_first_region_page(
    sqlite_store: GraphStore,
) -> None:
    """A server's start reads the region's history and keeps it: the first region page's
    snapshot is cut from it, the store not read again, the same graph as a read."""
    from api.kept import KEPT

    store = sqlite_store
    made = [store.create_actor({"name": f"Asbl {n}", "kind": "association",
                                "neighbourhood": "Midi"}, by="t").id for n in range(3)]  # fmt: skip
    store.create_link({"source": made[0], "target": made[1], "type": "KNOWS"}, by="t")
    KEPT.forget()
    warm_up(store)
    read = store.snapshot
    store.snapshot = None  # type: ignore[assignment,method-assign]
    try:
        first = KEPT.graph(store, None, None)
    finally:
        store.snapshot = read  # type: ignore[method-assign]
    again = read()
    assert list(first.nodes(data=True)) == list(again.nodes(data=True))
    assert list(first.edges(keys=True, data=True)) == list(again.edges(keys=True, data=True))
    KEPT.forget()
