"""The same fuzz run on the Neo4j store (the server at NEO4J_URI, which `make test` starts).

Without NEO4J_URI the run is skipped, except under CI=true, where it fails.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from fastapi.testclient import TestClient

from graph.neo4j_store import Neo4jGraphStore

from .fuzzing import FUZZ_SETTINGS, call, fuzz_app, prepare

URI = os.environ.get("NEO4J_URI")
if not URI:
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        raise RuntimeError("CI: NEO4J_URI must point at the test Neo4j (make test sets it)")
    pytest.skip(
        "NEO4J_URI is not set (make test starts Neo4j and sets it)", allow_module_level=True
    )

_store = Neo4jGraphStore(
    URI, user=os.environ.get("NEO4J_USER"), password=os.environ.get("NEO4J_PASSWORD")
)
APP, schema = fuzz_app(_store)
TOKEN: dict[str, str] = {}


@pytest.fixture(scope="module", autouse=True)
def demo_data() -> None:
    """Other Neo4j tests empty the database: load the demo just before this module runs."""
    _store.erase_everything(confirm="erase everything")
    TOKEN["value"] = prepare(_store)


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_never_fails_on_neo4j(case: schemathesis.Case) -> None:
    call(case, TOKEN["value"])


def test_the_fuzzer_is_logged_in() -> None:
    """The fuzz run is only worth something if its token is accepted."""
    with TestClient(APP) as client:
        me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {TOKEN['value']}"})
    assert me.status_code == 200 and me.json()["role"] == "coordinator"
    assert _store.counts()["actors"] > 150
