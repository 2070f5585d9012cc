"""Users and tokens live behind the port too — on both stores."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta

import pytest

from graph import users
from graph.errors import Conflict, InvalidInput, NotFound
from graph.model import EntityKind, EventFilter, Role, User
from graph.neo4j_store import Neo4jGraphStore
from graph.sqlite_store import SqliteGraphStore
from graph.store import GraphStore

from .helpers import actor


def test_users_tokens_and_revocation(store: GraphStore) -> None:
    team = actor(store, "BAR Cureghem", kind="bar_team")
    secret = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"
    user = store.create_user(
        {"name": "Amina", "role": "bar", "actor_id": team.id}, secret, by="root"
    )
    assert user.role is Role.bar and user.actor_id == team.id
    found = store.credentials("amina")
    assert found.password_hash.get_secret_value() == secret and found.user == user
    assert secret not in repr(found) and secret not in found.model_dump_json()
    with pytest.raises(Conflict):
        store.create_user({"name": "AMINA", "role": "viewer"}, "h2", by="root")
    with pytest.raises(InvalidInput):
        store.create_user({"name": "bad name!", "role": "bar"}, "h", by="root")
    with pytest.raises(InvalidInput):
        store.create_user({"name": "joris", "role": "bar", "actor_id": "ghost"}, "h", by="root")
    with pytest.raises(NotFound):
        store.get_user("nobody")

    later = datetime.now(UTC) + timedelta(hours=1)
    store.add_token("t1", "amina", "api", later)
    store.add_token("t2", "amina", "api", datetime.now(UTC) - timedelta(seconds=1))
    assert store.user_for_token("t1") == user
    assert store.user_for_token("t2") is None  # expired
    assert store.user_for_token("unknown") is None
    store.revoke_token("t1")
    assert store.user_for_token("t1") is None
    assert [u.name for u in store.list_users()] == ["Amina"]

    created = store.list_events(EventFilter(entity=EntityKind.user)).items
    assert len(created) == 1
    assert created[0].after is not None and "password_hash" not in created[0].after


def test_accounts_can_be_disabled_changed_and_their_tokens_revoked(store: GraphStore) -> None:
    from datetime import UTC, datetime, timedelta

    store.create_user({"name": "lucie", "role": "bar"}, "hash-1", by="root")
    later = datetime.now(UTC) + timedelta(hours=1)
    for token in ("t1", "t2"):
        store.add_token(token * 32, "lucie", "login", later)
    assert store.user_for_token("t1" * 32) is not None
    disabled = store.update_user("lucie", {"disabled": True}, by="boss")
    assert disabled.disabled and disabled.updated_by == "boss"
    assert store.user_for_token("t1" * 32) is None  # its tokens stop at once
    store.update_user("lucie", {"disabled": False, "role": "viewer"}, by="boss")
    # disabling revoked them: enabling again brings none back
    assert store.user_for_token("t1" * 32) is None and store.user_for_token("t2" * 32) is None
    assert store.get_user("lucie").role is Role.viewer
    store.set_password("lucie", "hash-2", by="lucie")
    assert store.credentials("lucie").password_hash.get_secret_value() == "hash-2"
    for token in ("t3", "t4"):
        store.add_token(token * 32, "lucie", "login", later)
    assert {t.id for t in store.list_tokens("lucie") if not t.revoked} >= {
        ("t3" * 32)[:16],
        ("t4" * 32)[:16],
    }
    assert store.revoke_tokens("lucie", ("t3" * 32)[:16]) == 1
    assert store.user_for_token("t3" * 32) is None and store.user_for_token("t4" * 32)
    assert store.revoke_tokens("lucie") == 1 and store.user_for_token("t4" * 32) is None
    events = [e for e in store.list_events(limit=100).items if e.entity_id == "lucie"]
    assert all("hash" not in str(e.before) + str(e.after) for e in events)
    assert events[-1].after is not None and events[-1].after["password"] == "changed"
    with pytest.raises(NotFound):
        store.update_user("ghost", {"role": "bar"}, by="boss")
    with pytest.raises(InvalidInput):
        store.create_user({"name": "System", "role": "bar"}, "h", by="root")  # reserved


def test_failed_logins_are_counted_in_the_store(store: GraphStore) -> None:
    from datetime import UTC, datetime, timedelta

    from graph.model import EntityKind

    assert store.login_failures("user:amina").failures == 0
    now = datetime.now(UTC)
    for _ in range(3):
        counted = store.record_login_failure("user:amina", now)
    assert counted.failures == 3 and store.login_failures("user:amina").failures == 3
    assert store.login_failures("address:127.0.0.1").failures == 0
    store.clear_login_failures("user:amina")
    assert store.login_failures("user:amina").failures == 0
    # counters idle for a day are forgotten when a new one starts: a flood cannot grow the
    # table for ever
    long_ago = now - timedelta(days=2)
    for i in range(30):
        store.record_login_failure(f"address:10.0.0.{i}", long_ago)
    store.record_login_failure("address:192.0.2.1", now)
    kept = {r["id"] for r in store._read(lambda tx: tx.every(EntityKind.throttle))}
    assert kept == {"address:192.0.2.1"}


def _another_process(store: GraphStore, request: pytest.FixtureRequest) -> GraphStore:
    """Another store object on the same database, as the CLI or a second server has."""
    if isinstance(store, SqliteGraphStore):
        return SqliteGraphStore(store.path)
    uri = request.getfixturevalue("neo4j_uri")
    return Neo4jGraphStore(
        uri, user=os.environ.get("NEO4J_USER"), password=os.environ.get("NEO4J_PASSWORD")
    )


def test_a_token_found_is_trusted_for_a_moment_only(
    store: GraphStore, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A request asks for its token's user once, not twice: a token found is remembered
    for TOKEN_MEMORY seconds. A change through this store counts at once (above); one made
    by another process counts within TOKEN_MEMORY; a token's own expiry counts at once."""
    monkeypatch.setattr(users, "TOKEN_MEMORY", 1.0)
    store.create_user({"name": "omar", "role": "bar"}, "hash", by="root")
    token = "t3" * 32
    store.add_token(token, "omar", "api", datetime.now(UTC) + timedelta(hours=1))
    assert store.user_for_token(token) is not None
    other = _another_process(store, request)
    try:
        other.revoke_token(token)
        assert other.user_for_token(token) is None
        assert store.user_for_token(token) is not None  # remembered, for a moment only
        time.sleep(1.1)
        assert store.user_for_token(token) is None
    finally:
        other.close()
    brief = "t4" * 32
    store.add_token(brief, "omar", "api", datetime.now(UTC) + timedelta(seconds=0.5))
    assert store.user_for_token(brief) is not None
    time.sleep(0.6)
    assert store.user_for_token(brief) is None  # expired while remembered


def test_a_lookup_overtaken_by_a_change_is_not_remembered() -> None:
    """A lookup that read the store before a change (a revocation) finishes after it: what
    it found is not remembered, or the revoked token would work for TOKEN_MEMORY more."""
    memory = users._TokenMemory()
    user = User.model_validate(
        {"name": "omar", "role": "bar", "recorded_by": "root", "recorded_at": datetime.now(UTC)}
    )
    later = datetime.now(UTC) + timedelta(hours=1)
    before = memory.generation
    memory.forget()  # the change, while the lookup was reading
    memory.remember(before, "h", users._Seen(time.monotonic() + 60, later, user))
    assert memory.seen == {}
    memory.remember(memory.generation, "h", users._Seen(time.monotonic() + 60, later, user))
    assert memory.seen["h"].user == user
