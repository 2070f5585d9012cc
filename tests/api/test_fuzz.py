"""An OpenAPI-driven fuzz run (schemathesis) over every route of /api/v1.

Hypothesis generates valid and invalid requests from the app's own OpenAPI description; every
answer must be documented, match its schema, and never be a server error. The app runs over the
demo neighbourhood in the embedded store, logged in as a coordinator (who may call every route).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from api.security import hash_password, issue_token
from graph.sqlite_store import SqliteGraphStore
from ingest.demo import load


def _app() -> tuple[FastAPI, str]:
    """The app over the demo data; built when the module loads, as schemathesis needs it."""
    folder = tempfile.mkdtemp(prefix="maillage-fuzz-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    store = SqliteGraphStore(Path(folder) / "maillage.db")
    load(store)
    store.create_user({"name": "fuzzer", "role": "coordinator"}, hash_password("x" * 12), by="t")
    return create_app(store=store), issue_token(store, "fuzzer", "api")[0]


APP, TOKEN = _app()
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", APP)


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_never_fails_and_keeps_its_schema(case: schemathesis.Case) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {TOKEN}"},
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
