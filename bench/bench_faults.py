"""Neo4j stopped under load, the longer run (figures for bench/RESULTS.md; not tests).

    .venv/bin/python bench/bench_faults.py [--writers 20] [--up 20] [--down 15] [--after 20]

A Neo4j of its own (``MAILLAGE_NEO4J_HOME`` in a temporary folder, the jars of .cache/neo4j),
the app in-process, ``--writers`` threads posting actors: ``--up`` seconds of load, Neo4j
stopped for ``--down`` seconds, started again on the same port, ``--after`` seconds more. It
prints how long requests took while Neo4j was down (every one must answer), how long the
service took to write again once Neo4j answered, and whether every acknowledged write is there.
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi.testclient import TestClient

from api.app import create_app
from api.security import issue_token
from graph.neo4j_store import Neo4jGraphStore

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "neo4j.sh"


def neo4j(command: str, env: dict[str, str]) -> str:
    done = subprocess.run(  # noqa: S603 - our own script
        ["bash", str(SCRIPT), command],  # noqa: S607 - bash from the PATH, as make does
        env=env, capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--up", type=float, default=20)
    parser.add_argument("--down", type=float, default=15)
    parser.add_argument("--after", type=float, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        (home / "lib").symlink_to(ROOT / ".cache" / "neo4j" / "lib")
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        env = {**os.environ, "MAILLAGE_NEO4J_HOME": str(home), "MAILLAGE_NEO4J_PORT": str(port)}
        uri = neo4j("start", env)
        try:
            run(uri, env, args)
        finally:
            subprocess.run(  # noqa: S603 - our own script
                ["bash", str(SCRIPT), "stop"],  # noqa: S607 - bash from the PATH
                env=env, capture_output=True, timeout=120, check=False,
            )  # fmt: skip


def run(uri: str, env: dict[str, str], args: argparse.Namespace) -> None:
    store = Neo4jGraphStore(uri)
    store.create_neighbourhood({"name": "Cureghem", "municipality": "Anderlecht"}, by="setup")
    store.create_user({"name": "coord", "role": "coordinator"}, "x", by="bench")
    token = issue_token(store, "coord", "api")[0]
    client = TestClient(create_app(store=store), raise_server_exceptions=False)
    headers = {"Authorization": f"Bearer {token}"}
    log: list[tuple[float, float, int, str | None]] = []  # start, seconds, status, id
    stop = threading.Event()

    def write(k: int) -> None:
        i = 0
        while not stop.is_set():
            start = time.monotonic()
            r = client.post("/api/v1/actors", headers=headers,
                            json={"name": f"Asbl {k}-{i}", "kind": "association",
                                  "neighbourhood": "Cureghem"})  # fmt: skip
            made = r.json()["id"] if r.status_code == 201 else None
            log.append((start, time.monotonic() - start, r.status_code, made))
            i += 1

    threads = [threading.Thread(target=write, args=(k,)) for k in range(args.writers)]
    for t in threads:
        t.start()
    time.sleep(args.up)
    stopping = time.monotonic()
    neo4j("stop", env)
    stopped = time.monotonic()  # the server is gone (its shutdown took stopped - stopping)
    time.sleep(args.down)
    neo4j("start", env)
    back = time.monotonic()
    time.sleep(args.after)
    stop.set()
    for t in threads:
        t.join()
    during = [s for start, s, status, _ in log if stopped < start < back and status == 503]
    others = {status for start, _, status, _ in log if stopped < start < back} - {503}
    shutdown = [s for start, s, _, _ in log if stopping <= start < stopped]
    first_ok = min((start + s for start, s, status, _ in log if start > back and status == 201),
                   default=float("nan"))  # fmt: skip
    acknowledged = [made for *_, made in log if made]
    held = set()
    offset = 0
    while True:
        page = store.list_actors(limit=1000, offset=offset).items
        held |= {a.id for a in page}
        if len(page) < 1000:
            break
        offset += 1000
    before = [s for start, s, status, _ in log if start < stopping and status == 201]
    print(f"{args.writers} writers; {len(log)} requests, {len(acknowledged)} acknowledged")
    print(f"before the stop: {len(before) / args.up:.0f} writes/s, "
          f"p50 {statistics.median(before) * 1000:.0f} ms")  # fmt: skip
    if during:
        q = statistics.quantiles(during, n=100)
        print(
            f"while down: {len(during)} answers 503, p50 {statistics.median(during):.2f} s, "
            f"p99 {q[98]:.2f} s, max {max(during):.2f} s; other answers: {sorted(others)}"
        )
    print(f"Neo4j's own shutdown took {stopped - stopping:.1f} s; requests begun during it: "
          f"{len(shutdown)}, max {max(shutdown, default=0):.2f} s")  # fmt: skip
    print(f"serving again {first_ok - back:.1f} s after Neo4j answered (no restart)")
    lost = set(acknowledged) - held
    print(f"acknowledged and missing: {len(lost)}; duplicates: "
          f"{len(acknowledged) - len(set(acknowledged))}")  # fmt: skip
    store.close()


if __name__ == "__main__":
    main()
