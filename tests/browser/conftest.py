"""Real headless Chromium (Debian's package) driven by Playwright: `.ci/run` installs it."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

from api.app import create_app
from api.security import hash_password
from graph.sqlite_store import SqliteGraphStore
from ingest.demo import add_demo_users, load
from tests.helpers import EVIL, free_port

CHROMIUM = os.environ.get("MAILLAGE_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "maillage-demo"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not shutil.which(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM)
        yield chromium
        chromium.close()


def wait_until_drawn(page: Page, timeout_ms: int = 30_000) -> None:
    """Wait for the view's first frame. Polled from here: the page's CSP forbids the `eval` that
    Playwright's in-page polling would need (``page.evaluate`` itself is not subject to it)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not page.evaluate("!!(window.maillage && window.maillage.ready)"):
        if time.monotonic() > deadline:
            raise TimeoutError(f"the view did not draw within {timeout_ms} ms")
        time.sleep(0.05)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = SqliteGraphStore(tmp_path_factory.mktemp("site") / "m.db")
    load(store)
    add_demo_users(store, hash_password(PASSWORD, "", check=False))
    store.create_actor({"name": EVIL, "kind": "association", "neighbourhood": "Cureghem-Lemmens"},
                       by="t")  # fmt: skip
    port = free_port()
    config = uvicorn.Config(create_app(store=store), host="127.0.0.1", port=port, log_level="error")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    for _ in range(200):
        if running.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)
    store.close()
