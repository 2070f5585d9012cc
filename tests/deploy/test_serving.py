"""``maillage serve --workers 2``: each server process listens on the port with a socket of its
own (api/serving.py), so keep-alive clients are spread over the processes (uvicorn's shared
socket gave 8 of 50 to one and 42 to the other); a process that dies is replaced, and SIGTERM
stops them all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest

from api import serving
from tests.helpers import free_port, wait_for_health

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not serving.balanced(), reason="needs SO_REUSEPORT (Linux)")


@contextmanager
def _served(tmp_path: Path, port: int) -> Iterator[subprocess.Popen[bytes]]:
    env = {**os.environ, "MAILLAGE_DB": str(tmp_path / "m.db"), "MAILLAGE_STORE": "sqlite"}
    server = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        wait_for_health(f"http://127.0.0.1:{port}", 60, server)
        yield server
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=60)


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False)
    return [int(p) for p in found.stdout.split()]


def _servers(pid: int) -> list[int]:
    """The server processes (not multiprocessing's resource tracker): they hold a socket
    listening on the port."""
    return [p for p in _children(pid) if _sockets(p)]


def _sockets(pid: int) -> set[str]:
    out = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            out.add(target[len("socket:[") : -1])
    return out


def _connections(port: int) -> dict[str, str]:
    """Sockets on ``port`` (IPv4) by inode: ``listen`` or ``established``."""
    found = {}
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port = int(fields[1].split(":")[1], 16)
        if local_port == port and fields[3] in ("0A", "01"):
            found[fields[9]] = "listen" if fields[3] == "0A" else "established"
    return found


def test_keep_alive_clients_are_spread_over_the_processes(tmp_path: Path) -> None:
    port = free_port()
    with _served(tmp_path, port) as server, ExitStack() as open_clients:
        processes = _servers(server.pid)
        assert len(processes) == 2
        # forty clients connect at the same moment (as a load generator's, or a meeting's
        # browsers after a restart) and keep their connections open
        clients = [
            open_clients.enter_context(httpx.Client(base_url=f"http://127.0.0.1:{port}"))
            for _ in range(40)
        ]
        together = threading.Barrier(len(clients))

        def ask(client: httpx.Client) -> int:
            together.wait()
            return client.get("/health").status_code

        with ThreadPoolExecutor(len(clients)) as pool:
            assert list(pool.map(ask, clients)) == [200] * len(clients)
        on_port = _connections(port)
        per_process = []
        for pid in processes:
            mine = [on_port[i] for i in _sockets(pid) if i in on_port]
            assert mine.count("listen") == 1  # a listening socket of its own
            per_process.append(mine.count("established"))
        assert sum(per_process) == 40
        # spread by a hash of each connection's addresses: fewer than 8 of 40 on one process
        # has a chance of about 1 in 100,000
        assert min(per_process) >= 8, per_process


def test_a_process_that_dies_is_replaced_and_sigterm_stops_them_all(tmp_path: Path) -> None:
    port = free_port()
    with _served(tmp_path, port) as server:
        time.sleep(serving.BROKEN_START)  # past its start: a later death is not a broken start
        first, second = _servers(server.pid)
        os.kill(first, signal.SIGKILL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            now = _servers(server.pid)
            if len(now) == 2 and first not in now:
                break
            time.sleep(0.2)
        assert second in now and len(now) == 2 and first not in now
        wait_for_health(f"http://127.0.0.1:{port}", 60, server)
        for _ in range(10):  # whichever process a connection reaches answers
            assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=10).status_code == 200
        server.terminate()
        assert server.wait(timeout=60) == 0
        assert not [p for p in now if Path(f"/proc/{p}").exists()]


def test_a_port_in_use_is_refused_at_once_even_by_a_second_server(tmp_path: Path) -> None:
    """Sockets that share a port would let a second server, started by mistake, take half the
    connections: it is refused, as uvicorn's single socket refused it."""
    port = free_port()
    with _served(tmp_path, port):
        env = {**os.environ, "MAILLAGE_DB": str(tmp_path / "other.db"), "MAILLAGE_STORE": "sqlite"}
        other = subprocess.run(
            [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", "2"],
            env=env, cwd=ROOT, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert other.returncode == 1
        assert f"cannot listen on 127.0.0.1:{port}" in other.stderr, other.stderr[-2000:]
        assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=10).status_code == 200
