"""Concurrent writes through the HTTP API (figures for bench/RESULTS.md; not tests).

    .venv/bin/python bench/bench_writes.py [--clients 50] [--seconds 60] [--neo4j URI]

The real server (``maillage serve``, one uvicorn process) on SQLite, then on Neo4j; ``--clients``
threads, each with its own keep-alive connection, post new actors as fast as they are answered
for ``--seconds``, on the same machine as the server. Prints writes per second, p50 and p99,
the answers other than 201, and checks that every acknowledged write is in the store exactly
once (its id listed once, one creation event).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
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


def run(env: dict[str, str], clients: int, seconds: float) -> None:
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

        def client(k: int) -> None:
            headers = {"Authorization": f"Bearer {token}"}
            with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
                i = 0
                while time.monotonic() < end:
                    body = {"name": f"Asbl {k}-{i}", "kind": "association",
                            "neighbourhood": "Cureghem"}  # fmt: skip
                    start = time.perf_counter()
                    try:
                        r = http.post("/api/v1/actors", json=body)
                        status = r.status_code
                    except httpx.HTTPError:
                        status = 0
                    took = time.perf_counter() - start
                    with lock:
                        times.append(took)
                        statuses[status] = statuses.get(status, 0) + 1
                        if status == 201:
                            acknowledged.append(r.json()["id"])
                    i += 1

        threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
        began = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - began
    finally:
        server.terminate()
        server.wait(timeout=60)
    q = statistics.quantiles(times, n=100)
    print(f"  {len(acknowledged) / elapsed:.0f} writes/s acknowledged; p50 "
          f"{statistics.median(times) * 1000:.0f} ms, p99 {q[98] * 1000:.0f} ms; "
          f"answers {dict(sorted(statuses.items()))}")  # fmt: skip
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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        print(f"SQLite, {args.clients} clients, {args.seconds:.0f} s")
        run({"MAILLAGE_STORE": "sqlite", "MAILLAGE_DB": f"{folder}/m.db"}, args.clients,
            args.seconds)  # fmt: skip
    if args.neo4j:
        from graph.neo4j_store import Neo4jGraphStore

        Neo4jGraphStore(args.neo4j).erase_everything(confirm="erase everything")
        print(f"Neo4j, {args.clients} clients, {args.seconds:.0f} s")
        run({"MAILLAGE_STORE": "neo4j", "NEO4J_URI": args.neo4j}, args.clients, args.seconds)


if __name__ == "__main__":
    main()
