"""What many tests share, written once: a free port, waiting for a server with a deadline, the
command line, a bearer header, and the hostile text every page and view must show as text."""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
#: the fuzz runs that are not derandomized (tests/api/test_fuzz.py, tests/web/test_form_fuzz.py)
#: draw from this seed: the run's header and any failing fuzz test print it, and
#: MAILLAGE_FUZZ_SEED=… replays it
SEED = int(os.environ.get("MAILLAGE_FUZZ_SEED") or random.randrange(2**32))
#: a name that runs script wherever a page or a view forgets to escape it
EVIL = "<img src=x onerror=alert(1)>"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_health(
    url: str, seconds: float = 60, process: subprocess.Popen | None = None
) -> httpx.Response:  # type: ignore[type-arg]
    """Poll ``url/health`` until it answers 200, with a deadline (and fail at once if the
    server's process has died)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            answer = httpx.get(f"{url}/health", timeout=2)
            if answer.status_code == 200:
                return answer
        except httpx.HTTPError:
            pass
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the server stopped (exit {process.returncode})")
        if time.monotonic() > deadline:
            raise AssertionError(f"{url} did not answer within {seconds} s")
        time.sleep(0.2)


def cli(
    *args: str, env: Mapping[str, str], timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """``maillage ARGS`` as a user types it, in this project's folder."""
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args], env=dict(env), cwd=ROOT,
        capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
