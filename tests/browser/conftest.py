"""Real headless Chromium (Debian's package) driven by Playwright: `.ci/run` installs it."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = os.environ.get("MAILLAGE_CHROMIUM", "/usr/bin/chromium")


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
