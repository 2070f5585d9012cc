"""Accounts: disable and enable, roles, passwords (rules, change, reset), logging out, tokens,
and logins that resist guessing and floods."""

from __future__ import annotations

import concurrent.futures
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.security import hash_password
from graph.sqlite_store import SqliteGraphStore
from tests.helpers import bearer, free_port, wait_for_health

from .conftest import PASSWORD, Api

ROOT = Path(__file__).resolve().parents[2]


def _login(client: TestClient, name: str, password: str) -> httpx.Response:
    return client.post("/api/v1/auth/token", data={"username": name, "password": password})


def _bearer(token: str) -> dict[str, str]:
    return bearer(token)


def test_disable_enable_and_roles(api: Api) -> None:
    boss = api.headers("coordinator")
    assert api.client.get("/api/v1/auth/me", headers=api.headers("bar")).status_code == 200
    off = api.client.patch("/api/v1/users/bar1", json={"disabled": True}, headers=boss)
    assert off.status_code == 200 and off.json()["disabled"] is True
    # their tokens stop at once, and they cannot log in
    assert api.client.get("/api/v1/auth/me", headers=api.headers("bar")).status_code == 401
    assert _login(api.client, "bar1", PASSWORD).status_code == 401
    on = api.client.patch("/api/v1/users/bar1", json={"disabled": False}, headers=boss)
    assert on.status_code == 200
    # disabling revoked their sessions and tokens: enabling again brings none back
    assert api.client.get("/api/v1/auth/me", headers=api.headers("bar")).status_code == 401
    fresh = _login(api.client, "bar1", PASSWORD)
    assert fresh.status_code == 200
    api.tokens["bar"] = fresh.json()["access_token"]
    assert api.client.get("/api/v1/auth/me", headers=api.headers("bar")).status_code == 200
    # roles: a coordinator changes users but not admins, and makes no admin
    role = api.client.patch("/api/v1/users/viewer1", json={"role": "bar"}, headers=boss)
    assert role.status_code == 200 and role.json()["role"] == "bar"
    assert (
        api.client.patch("/api/v1/users/viewer1", json={"role": "admin"}, headers=boss).status_code
        == 403
    )
    assert (
        api.client.patch("/api/v1/users/admin1", json={"disabled": True}, headers=boss).status_code
        == 403
    )
    assert (
        api.client.patch(
            "/api/v1/users/coordinator1", json={"disabled": True}, headers=boss
        ).status_code
        == 403
    )  # not oneself
    assert (
        api.client.patch(
            "/api/v1/users/bar1", json={"role": "viewer"}, headers=api.headers("bar")
        ).status_code
        == 403
    )
    admin = api.client.patch(
        "/api/v1/users/viewer1", json={"role": "admin"}, headers=api.headers("admin")
    )
    assert admin.status_code == 200


def test_password_rules_and_kept_as_typed(api: Api) -> None:
    boss = api.headers("coordinator")

    def add(name: str, password: str) -> httpx.Response:
        body = {"name": name, "role": "bar", "password": password}
        return api.client.post("/api/v1/users", json=body, headers=boss)

    for name, password, rule in (
        ("joris", "short pass", "12 characters"),
        ("joris", "aaaaaaaaaaaaaaa", "easy to guess"),
        ("joris", "joris-joris-2026!", "user name"),
        ("joris", "password123456", "common"),
    ):
        answer = add(name, password)
        assert answer.status_code == 422, (password, answer.text)
        assert rule in answer.json()["message"], (password, answer.json())
    reserved = add("system", "a long good passphrase")
    assert reserved.status_code == 422 and "reserved" in reserved.json()["message"]
    # long passphrases are welcome (the strength estimator reads the first 72 characters)
    assert add("lucie", "correct horse battery staple and more words " * 3).status_code == 201
    spaced = "  spaces around this passphrase  "
    assert add("joris", spaced).status_code == 201
    assert _login(api.client, "joris", spaced).status_code == 200
    assert _login(api.client, "joris", spaced.strip()).status_code == 401


def test_change_reset_logout_and_tokens(api: Api) -> None:
    first = _login(api.client, "bar1", PASSWORD).json()["access_token"]
    second = _login(api.client, "bar1", PASSWORD).json()["access_token"]
    listed = api.client.get("/api/v1/users/bar1/tokens", headers=_bearer(first)).json()
    assert len(listed["items"]) >= 3 and all(len(t["id"]) == 16 for t in listed["items"])
    assert "token" not in str(listed).replace("tokens", "")  # no token is ever shown
    # someone else's tokens: managers only
    other = api.client.get("/api/v1/users/bar1/tokens", headers=api.headers("viewer"))
    assert other.status_code == 403
    # changing one's password needs the current one, and revokes the other tokens
    wrong = api.client.post(
        "/api/v1/auth/password",
        json={"current": "not it at all", "password": "a brand new passphrase"},
        headers=_bearer(first),
    )
    assert wrong.status_code == 403
    changed = api.client.post(
        "/api/v1/auth/password",
        json={"current": PASSWORD, "password": "a brand new passphrase"},
        headers=_bearer(first),
    )
    assert changed.status_code == 204
    assert api.client.get("/api/v1/auth/me", headers=_bearer(first)).status_code == 200
    assert api.client.get("/api/v1/auth/me", headers=_bearer(second)).status_code == 401
    assert _login(api.client, "bar1", "a brand new passphrase").status_code == 200
    # logging out revokes the token it was made with
    assert api.client.post("/api/v1/auth/logout", headers=_bearer(first)).status_code == 204
    assert api.client.get("/api/v1/auth/me", headers=_bearer(first)).status_code == 401
    # a coordinator resets a lost password; the user's tokens are revoked
    token = _login(api.client, "bar1", "a brand new passphrase").json()["access_token"]
    reset = api.client.post(
        "/api/v1/users/bar1/password",
        json={"password": "reset by the coordinator"},
        headers=api.headers("coordinator"),
    )
    assert reset.status_code == 204
    assert api.client.get("/api/v1/auth/me", headers=_bearer(token)).status_code == 401
    assert _login(api.client, "bar1", "reset by the coordinator").status_code == 200
    # revoking one token by its short id
    token = _login(api.client, "viewer1", PASSWORD).json()["access_token"]
    ids = [t["id"] for t in api.client.get(
        "/api/v1/users/viewer1/tokens", headers=_bearer(token)).json()["items"]]  # fmt: skip
    for short in ids:
        api.client.delete(f"/api/v1/users/viewer1/tokens/{short}", headers=_bearer(token))
    assert api.client.get("/api/v1/auth/me", headers=_bearer(token)).status_code == 401


def test_failed_logins_are_throttled_per_user_and_per_address(api: Api) -> None:
    app = api.client.app
    attacker = TestClient(app, client=("203.0.113.7", 40000))
    for _ in range(5):
        assert _login(attacker, "bar1", "guessing wrongly").status_code == 401
    blocked = _login(attacker, "bar1", PASSWORD)  # even the right password waits
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) >= 1
    assert "try again" in blocked.json()["message"]
    # the real user, elsewhere, waits at most a minute however long the attack goes on
    store = api.store
    for _ in range(30):
        store.record_login_failure("user:bar1", _now())
    elsewhere = TestClient(app, client=("198.51.100.20", 40001))
    waiting = _login(elsewhere, "bar1", PASSWORD)
    assert waiting.status_code == 429 and int(waiting.headers["retry-after"]) <= 60
    # the attacking address waits much longer
    for _ in range(10):
        store.record_login_failure("address:203.0.113.7", _now())
    assert int(_login(attacker, "coordinator1", PASSWORD).headers["retry-after"]) > 60
    # another user from another address is not slowed down
    assert _login(elsewhere, "viewer1", PASSWORD).status_code == 200


def test_the_throttle_holds_across_server_processes(tmp_path: Path) -> None:
    """Two apps over the same database (as two uvicorn workers would be) share the counters."""
    one, two = SqliteGraphStore(tmp_path / "m.db"), SqliteGraphStore(tmp_path / "m.db")
    one.create_user({"name": "amina", "role": "bar"}, hash_password(PASSWORD, "amina"), by="t")
    first = TestClient(create_app(store=one), client=("192.0.2.1", 1))
    second = TestClient(create_app(store=two), client=("192.0.2.1", 1))
    for _ in range(5):
        assert _login(first, "amina", "wrong wrong wrong").status_code == 401
    assert _login(second, "amina", PASSWORD).status_code == 429


def _now():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime.now(UTC)


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc (Linux)")
def test_a_login_flood_cannot_take_the_memory(tmp_path: Path) -> None:
    """40 wrong logins at once (no account needed): argon2 needs 19 MiB per check and at most
    two run at a time, so the server's peak memory grows by tens of MB, not by gigabytes."""
    env = {**os.environ, "MAILLAGE_STORE": "sqlite", "MAILLAGE_DB": str(tmp_path / "m.db")}
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port)], env=env, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(base, 60, server)  # a loaded machine takes longer than 30 s at times
        # one login to warm the hasher up, then the baseline
        httpx.post(f"{base}/api/v1/auth/token", data={"username": "w", "password": "w"})
        before = _peak_rss_mb(server.pid)

        def attempt(k: int) -> int:
            body = {"username": f"nobody{k}", "password": f"guess number {k}"}
            return httpx.post(f"{base}/api/v1/auth/token", data=body, timeout=60).status_code

        with concurrent.futures.ThreadPoolExecutor(max_workers=40) as pool:
            codes = list(pool.map(attempt, range(40)))
        after = _peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert set(codes) <= {401, 429} and 401 in codes
    print(f"peak RSS {before:.0f} MB -> {after:.0f} MB under 40 parallel wrong logins")
    assert after - before < 120, (before, after)


def test_old_hashes_still_work_and_are_rehashed(api: Api) -> None:
    from argon2 import PasswordHasher

    old = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4).hash("an older passphrase")
    api.store.create_user({"name": "veteran", "role": "bar"}, old, by="t")
    assert _login(api.client, "veteran", "an older passphrase").status_code == 200
    fresh = api.store.credentials("veteran").password_hash.get_secret_value()
    assert fresh != old and "m=19456,t=2,p=1" in fresh
    assert _login(api.client, "veteran", "an older passphrase").status_code == 200


def test_names_the_system_writes_under_and_unreadable_names_are_refused(api: Api) -> None:
    boss = api.headers("coordinator")
    user = {"role": "bar", "password": "a long and unusual passphrase"}
    for reserved in ("purge", "cli", "system", "demo-coordinator", "Demo-Lucie"):
        answer = api.client.post("/api/v1/users", json={**user, "name": reserved}, headers=boss)
        assert answer.status_code == 422 and "reserved" in answer.text, reserved
    for unreadable in ("\u200b\u200b", "ami\u202ena", "\u2066bob"):
        answer = api.client.post("/api/v1/users", json={**user, "name": unreadable}, headers=boss)
        assert answer.status_code == 422, unreadable
    actor = {"kind": "association", "neighbourhood": "Cureghem"}
    for unreadable in ("\u200b\u200b\u200b", "\u2060\ufeff", "Asbl \u202eedoc", "x\u2067y"):
        answer = api.client.post("/api/v1/actors", json={**actor, "name": unreadable},
                                 headers=boss)  # fmt: skip
        assert answer.status_code == 422, unreadable
    readable = {**actor, "name": "مسجد الهداية"}  # another script is readable
    assert api.client.post("/api/v1/actors", json=readable, headers=boss).status_code == 201
