"""An OpenAPI-driven fuzz run (schemathesis) over every route of /api/v1.

Hypothesis generates valid and invalid requests from the app's own OpenAPI description; every
answer must be documented, match its schema (the analysis routes' typed results included), and
never be a server error; a valid request must be accepted, an invalid one refused, and a route
that needs credentials must refuse a request without them. The app runs over the demo
neighbourhood on the SQLite store (HTTP behaviour does not depend on the store; the contract
suite covers both), as a coordinator, who may call every route (derandomized: the same run
each time), and as a viewer and as a BAR user without a team (from a random seed, printed with
any failure), whose answers must never name a key resident. Nothing happens at import time:
the store and the app come from fixtures.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import seed

from api.app import create_app
from graph.sqlite_store import SqliteGraphStore
from graph.store import GraphStore
from tests.helpers import bearer

from .fuzzing import FUZZ_SETTINGS, RANDOM_SETTINGS, SEED, Fuzzers, call, never_naming, prepare


class _Deferred:
    """The store the fixture below opens, handed to the app before any request is made."""

    target: GraphStore | None = None

    def __getattr__(self, name: str) -> Any:
        if self.target is None:  # (pytest looks at module attributes while collecting)
            raise AttributeError(f"{name}: the fuzz store is opened by the 'tokens' fixture")
        return getattr(self.target, name)


STORE = _Deferred()
# The app and its OpenAPI need no data: building them at import opens nothing.
APP = create_app(store=STORE)  # type: ignore[arg-type]
# Routes that end the fuzzer's own session or account (logging out, changing or resetting a
# password, revoking tokens, disabling a user) would leave the rest of the run logged out:
# test_accounts.py covers them.
schema = (
    schemathesis.openapi.from_asgi("/api/v1/openapi.json", APP)
    .exclude(path_regex=r"/auth/(logout|password)$|/users/[^/]+/(password|tokens/[^/]+)$")
    .exclude(method="PATCH", path_regex=r"/users/[^/]+$")
)


@pytest.fixture(scope="module")
def fuzzers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzzers]:
    """The demo in a fresh SQLite store, given to the app; a token per fuzzing user."""
    store = SqliteGraphStore(tmp_path_factory.mktemp("fuzz") / "maillage.db")
    STORE.target = store
    yield prepare(store)
    STORE.target = None
    store.close()


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_never_fails_and_keeps_its_schema_as_coordinator(
    case: schemathesis.Case, fuzzers: Fuzzers
) -> None:
    call(case, fuzzers.tokens["coordinator"])


@schema.parametrize()
@seed(SEED)
@RANDOM_SETTINGS
def test_a_viewer_never_reads_a_key_resident(case: schemathesis.Case, fuzzers: Fuzzers) -> None:
    call(case, fuzzers.tokens["viewer"], never_naming(fuzzers.secrets))


@schema.parametrize()
@seed(SEED)
@RANDOM_SETTINGS
def test_a_user_without_a_team_never_reads_a_key_resident(
    case: schemathesis.Case, fuzzers: Fuzzers
) -> None:
    call(case, fuzzers.tokens["noteam"], never_naming(fuzzers.secrets))


def test_the_fuzzer_is_logged_in(fuzzers: Fuzzers) -> None:
    """The fuzz run is only worth something if its tokens are accepted, and its leak check
    if a coordinator does read the key residents it looks for."""
    client = TestClient(APP)
    roles = {"coordinator": "coordinator", "viewer": "viewer", "noteam": "bar"}
    for who, token in fuzzers.tokens.items():
        me = client.get("/api/v1/auth/me", headers=bearer(token))
        assert me.status_code == 200 and me.json()["role"] == roles[who]
    assert APP.state.store.counts()["actors"] > 150
    seen = client.get("/api/v1/actors?kind=key_resident&limit=50",
                      headers=bearer(fuzzers.tokens["coordinator"])).text  # fmt: skip
    assert all(secret in seen for secret in fuzzers.secrets)
