"""Concurrent writes through the HTTP API (figures for bench/RESULTS.md; not tests).

    .venv/bin/python bench/bench_writes.py [--clients 50] [--seconds 60] [--neo4j URI]

The real server (``maillage serve``, ``MAILLAGE_WORKERS`` processes) on SQLite, then on Neo4j;
``--clients`` clients, each with its own keep-alive connection, post new actors as fast as they
are answered for ``--seconds``, from this process (the server runs in others), on the same
machine as the server.

Two load generators: ``--generator asyncio`` (the default) is one event loop writing each
request's bytes and reading each answer on plain sockets, about a tenth of a millisecond of CPU a
write; ``--generator threads`` is a thread and an ``httpx`` client per client, about a
millisecond a write, and its 50 threads share one interpreter lock, so a thread whose answer has
come can wait for it (up to the 5 ms switch interval each time). On this 2-core machine, the
generator's CPU is taken from the server and Neo4j; a server in use has its clients elsewhere.

Prints writes per second, p50 and p99, the answers other than 201, the generator's CPU per
write, and checks that every acknowledged write is in the store exactly once (its id listed
once, one creation event).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api.security import issue_token
from api.settings import Settings, open_store
from graph.model import EventFilter

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = int(probe.getsockname()[1])
    probe.close()
    return port


def serve(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    """``maillage serve`` on a free port, once it answers: the process and its address."""
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own command
        [str(ROOT / ".venv" / "bin" / "maillage"), "serve", "--port", str(port)],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    return server, base


Record = Callable[[float, int, bytes], None]


def _body(k: int, i: int) -> dict[str, str]:
    return {"name": f"Asbl {k}-{i}", "kind": "association", "neighbourhood": "Cureghem"}


def threaded(base: str, token: str, clients: int, end: float, record: Record) -> None:
    """A thread and an httpx client per client."""

    def client(k: int) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
            i = 0
            while time.monotonic() < end:
                start = time.perf_counter()
                answer = b""
                try:
                    r = http.post("/api/v1/actors", json=_body(k, i))
                    status, answer = r.status_code, r.content
                except httpx.HTTPError:
                    status = 0
                record(time.perf_counter() - start, status, answer)
                i += 1

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


async def evented(base: str, token: str, clients: int, end: float, record: Record) -> None:
    """Every client on one event loop: each request's bytes written on a keep-alive socket and
    its answer read back (status line, headers, a body of Content-Length bytes)."""
    host, port = base.removeprefix("http://").split(":")

    async def client(k: int) -> None:
        reader, writer = await asyncio.open_connection(host, int(port))
        i = 0
        while time.monotonic() < end:
            body = json.dumps(_body(k, i)).encode()
            request = (
                f"POST /api/v1/actors HTTP/1.1\r\nHost: {host}:{port}\r\n"
                f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode() + body
            start = time.perf_counter()
            answer = b""
            try:
                writer.write(request)
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
                lines = head.decode("latin-1").split("\r\n")
                status = int(lines[0].split(" ", 2)[1])
                fields = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
                answer = await reader.readexactly(int(fields.get("content-length", "0")))
                if fields.get("connection") == "close":
                    raise ConnectionError("closed by the server")
            except (OSError, ValueError, asyncio.IncompleteReadError, TimeoutError):
                status = 0
                writer.close()
                reader, writer = await asyncio.open_connection(host, int(port))
            record(time.perf_counter() - start, status, answer)
            i += 1
        writer.close()

    await asyncio.gather(*(client(k) for k in range(clients)))


def run(env: dict[str, str], clients: int, seconds: float, generator: str = "asyncio") -> None:
    os.environ.update(env)
    store = open_store(Settings())
    store.create_neighbourhood({"name": "Cureghem", "municipality": "Anderlecht"}, by="setup")
    store.create_user({"name": "bench", "role": "coordinator"}, "x", by="bench")
    token = issue_token(store, "bench", "api")[0]
    server, base = serve(env)
    try:
        times: list[float] = []
        statuses: dict[int, int] = {}
        acknowledged: list[str] = []
        lock = threading.Lock()
        end = time.monotonic() + seconds

        def record(took: float, status: int, answer: bytes) -> None:
            with lock:
                times.append(took)
                statuses[status] = statuses.get(status, 0) + 1
                if status == 201:
                    acknowledged.append(json.loads(answer)["id"])

        began, cpu = time.monotonic(), time.process_time()
        if generator == "threads":
            threaded(base, token, clients, end, record)
        else:
            asyncio.run(evented(base, token, clients, end, record))
        elapsed, cpu = time.monotonic() - began, time.process_time() - cpu
    finally:
        server.terminate()
        server.wait(timeout=60)
    q = statistics.quantiles(times, n=100)
    print(f"  {len(acknowledged) / elapsed:.0f} writes/s acknowledged; p50 "
          f"{statistics.median(times) * 1000:.0f} ms, p99 {q[98] * 1000:.0f} ms; "
          f"answers {dict(sorted(statuses.items()))}; the generator's CPU "
          f"{cpu / max(len(times), 1) * 1000:.2f} ms a write")  # fmt: skip
    listed: list[str] = []
    offset = 0
    while True:
        page = store.list_actors(limit=1000, offset=offset).items
        listed += [a.id for a in page]
        if len(page) < 1000:
            break
        offset += 1000
    missing = set(acknowledged) - set(listed)
    twice = len(listed) - len(set(listed))
    events = store.list_events(EventFilter(user="bench"), limit=1).total
    print(f"  acknowledged {len(acknowledged)}, missing {len(missing)}, listed twice {twice}, "
          f"creation events {events - 1} (one per actor)")  # fmt: skip
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--neo4j", default=None)
    parser.add_argument("--generator", choices=["asyncio", "threads"], default="asyncio")
    parser.add_argument("--no-sqlite", action="store_true", help="Neo4j only")
    args = parser.parse_args()
    print(f"generator: {args.generator}, {os.environ.get('MAILLAGE_WORKERS', '1')} processes")
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            print(f"SQLite, {args.clients} clients, {args.seconds:.0f} s")
            run({"MAILLAGE_STORE": "sqlite", "MAILLAGE_DB": f"{folder}/m.db"}, args.clients,
                args.seconds, args.generator)  # fmt: skip
    if args.neo4j:
        from graph.neo4j_store import Neo4jGraphStore

        Neo4jGraphStore(args.neo4j).erase_everything(confirm="erase everything")
        print(f"Neo4j, {args.clients} clients, {args.seconds:.0f} s")
        run({"MAILLAGE_STORE": "neo4j", "NEO4J_URI": args.neo4j}, args.clients, args.seconds,
            args.generator)  # fmt: skip


if __name__ == "__main__":
    main()
