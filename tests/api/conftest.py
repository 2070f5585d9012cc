"""An app over each store, and users of each role with their tokens."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.security import hash_password, issue_token
from graph.store import GraphStore
from tests.helpers import bearer

PASSWORD = "correct horse battery"


class Api:
    """A client with one token per role; the bar and viewer users belong to the BAR team of
    Cureghem (``self.team``), recorded by the test set-up."""

    def __init__(self, client: TestClient, store: GraphStore) -> None:
        self.client = client
        self.store = store
        self.tokens: dict[str, str] = {}
        self.team = store.create_actor(
            {"name": "BAR Cureghem (team)", "kind": "bar_team", "neighbourhood": "Cureghem",
             "since": "2020-01-01"},
            by="test",
        ).id  # fmt: skip
        hashed = hash_password(PASSWORD, "tester")
        for role in ("bar", "coordinator", "viewer", "admin"):
            team = self.team if role in ("bar", "viewer") else None
            store.create_user({"name": role + "1", "role": role, "actor_id": team}, hashed, by="t")
            self.tokens[role] = issue_token(store, role + "1", "api")[0]

    def headers(self, role: str = "bar") -> dict[str, str]:
        return bearer(self.tokens[role])


@pytest.fixture
def api(sqlite_store: GraphStore) -> Iterator[Api]:
    """The app over SQLite: HTTP behaviour does not depend on the store."""
    with TestClient(create_app(store=sqlite_store), raise_server_exceptions=False) as client:
        yield Api(client, sqlite_store)


@pytest.fixture
def api_on_each_store(store: GraphStore) -> Iterator[Api]:
    """The app over each store, for the one end-to-end flow run on Neo4j too."""
    with TestClient(create_app(store=store), raise_server_exceptions=False) as client:
        yield Api(client, store)
