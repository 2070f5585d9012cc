"""Users and tokens live behind the port too — on both stores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from graph.errors import Conflict, InvalidInput, NotFound
from graph.model import EntityKind, EventFilter, Role
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
