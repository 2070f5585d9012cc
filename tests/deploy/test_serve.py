"""The real server (``maillage serve``, uvicorn) behind a proxy and in its log: forwarded headers
are believed from the configured proxies only, each client is throttled on its own address,
cookies are Secure and HSTS is sent when the original request was https, and the access log
keeps no query string."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from api.security import hash_password
from graph.sqlite_store import SqliteGraphStore
from tests.helpers import free_port, wait_for_health

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a long proxy password"


@contextmanager
def _server(tmp_path: Path, **env: str) -> Iterator[tuple[str, Path]]:
    db = tmp_path / "m.db"
    if not db.exists():
        store = SqliteGraphStore(db)
        store.create_user({"name": "probe", "role": "coordinator"},
                          hash_password(PASSWORD, "probe"), by="test")  # fmt: skip
        store.close()
    port = free_port()
    log = tmp_path / f"server-{port}.log"
    environment = {**os.environ, "MAILLAGE_DB": str(db), "MAILLAGE_PORT": str(port), **env}
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve"], cwd=ROOT, env=environment,
            stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            wait_for_health(url, 60, server)
            yield url, log
        finally:
            server.terminate()
            server.wait(timeout=30)


def _failed_logins(url: str, forwarded: bool) -> list[int]:
    """Seven wrong logins, each under another user name, each from another forwarded address."""
    statuses = []
    for i in range(7):
        headers = {"X-Forwarded-For": f"198.51.100.{i + 1}"} if forwarded else {}
        wrong = {"username": f"nobody{i}", "password": "wrong password"}
        answer = httpx.post(f"{url}/api/v1/auth/token", headers=headers, timeout=10, data=wrong)
        statuses.append(answer.status_code)
    return statuses


def test_forwarded_headers_are_ignored_unless_the_proxy_is_configured(tmp_path: Path) -> None:
    with _server(tmp_path) as (url, _log):
        # a rotated X-Forwarded-For does not dodge the per-address limit
        statuses = _failed_logins(url, forwarded=True)
        assert statuses[:5] == [401] * 5 and 429 in statuses[5:]
        throttled = httpx.post(f"{url}/api/v1/auth/token", timeout=10,
                               data={"username": "nobody9", "password": "x"})  # fmt: skip
        assert throttled.status_code == 429 and int(throttled.headers["retry-after"]) > 0
        # and a forged X-Forwarded-Proto does not make the cookie look https
        session = httpx.post(f"{url}/api/v1/auth/session", timeout=10,
                             headers={"X-Forwarded-Proto": "https",
                                      "X-Forwarded-For": "198.51.100.200"},
                             data={"username": "probe", "password": PASSWORD})  # fmt: skip
        assert session.status_code == 429  # this address is throttled, whatever it claims


def test_behind_the_configured_proxy_each_client_is_itself_and_https(tmp_path: Path) -> None:
    with _server(tmp_path, MAILLAGE_TRUSTED_PROXIES="127.0.0.1") as (url, _log):
        # seven clients behind one proxy: none blocks the others
        assert _failed_logins(url, forwarded=True) == [401] * 7
        session = httpx.post(f"{url}/api/v1/auth/session", timeout=10,
                             headers={"X-Forwarded-Proto": "https",
                                      "X-Forwarded-For": "198.51.100.50"},
                             data={"username": "probe", "password": PASSWORD})  # fmt: skip
        assert session.status_code == 200, session.text
        cookie = session.headers["set-cookie"].lower()
        assert "secure" in cookie and "httponly" in cookie
        assert session.headers["strict-transport-security"].startswith("max-age=")
        plain = httpx.post(f"{url}/api/v1/auth/session", timeout=10,
                           data={"username": "probe", "password": PASSWORD})  # fmt: skip
        assert "secure" not in plain.headers["set-cookie"].lower()


def test_the_access_log_keeps_no_query_string(tmp_path: Path) -> None:
    with _server(tmp_path) as (url, log):
        for path in ("/actors?q=SearchedWordXyz", "/paths?source=Tante+Secretname&target=x"):
            assert httpx.get(f"{url}{path}", timeout=10).status_code in (200, 303)
        time.sleep(0.5)
        written = log.read_text(encoding="utf-8")
    assert '"GET /actors HTTP/1.1"' in written and '"GET /paths HTTP/1.1"' in written
    assert "SearchedWordXyz" not in written and "Secretname" not in written


def test_a_server_with_the_demo_users_says_so_loudly_at_start(tmp_path: Path) -> None:
    from ingest.demo import DEMO_PASSWORD, add_demo_users

    store = SqliteGraphStore(tmp_path / "m.db")
    add_demo_users(store, hash_password(DEMO_PASSWORD, "", check=False))
    store.close()
    with _server(tmp_path) as (_url, log):
        said = log.read_text(encoding="utf-8")
    assert "WARNING: this store holds the demo users" in said and "amina" in said
    # once they are disabled (or on a store of real users), nothing is said
    store = SqliteGraphStore(tmp_path / "m.db")
    for name in ("amina", "joris", "lucie", "coordinator", "partner"):
        store.update_user(name, {"disabled": True}, by="admin")
    store.close()
    with _server(tmp_path) as (_url, log):
        assert "demo users" not in log.read_text(encoding="utf-8")
