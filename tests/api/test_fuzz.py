"""An OpenAPI-driven fuzz run (schemathesis) over every route of /api/v1, on the SQLite store.

Hypothesis generates valid and invalid requests from the app's own OpenAPI description; every
answer must be documented, match its schema, and never be a server error. The app runs over the
demo neighbourhood, logged in as a coordinator (who may call every route).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import schemathesis
from fastapi.testclient import TestClient

from graph.sqlite_store import SqliteGraphStore

from .fuzzing import FUZZ_SETTINGS, call, fuzz_app, prepare

_folder = tempfile.mkdtemp(prefix="maillage-fuzz-")
atexit.register(shutil.rmtree, _folder, ignore_errors=True)
_store = SqliteGraphStore(Path(_folder) / "maillage.db")
TOKEN = prepare(_store)
APP, schema = fuzz_app(_store)


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_never_fails_and_keeps_its_schema(case: schemathesis.Case) -> None:
    call(case, TOKEN)


def test_the_fuzzer_is_logged_in() -> None:
    """The fuzz run is only worth something if its token is accepted."""
    with TestClient(APP) as client:
        me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {TOKEN}"})
    assert me.status_code == 200 and me.json()["role"] == "coordinator"
