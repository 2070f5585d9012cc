"""Other users during an import (figures for bench/RESULTS.md; not tests).

    .venv/bin/python bench/bench_import_load.py [--rows 100000] [--readers 4]

The real server (``maillage serve``, SQLite, the demo loaded). A coordinator posts a CSV of
``--rows`` new actors to ``/api/v1/imports`` (a real import, then a 1,000,001-row file that must be
refused); meanwhile ``--readers`` BAR workers read pages and the API in a loop (the directory with
a search, an actor list, an actor's page) and one writes a link now and then. Prints the import's
time and the p50/p99/max of the other users' requests during it, reads and writes apart.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api.security import hash_password, issue_token
from api.settings import Settings, open_store
from bench.bench_writes import serve
from ingest.demo import add_demo_users, load

ROOT = Path(__file__).resolve().parents[1]


def _csv(rows: int, short: bool = False) -> bytes:
    if short:  # a million rows under the 50 MB cap: the row cap must refuse it
        return ("nom;type\n" + "".join(f"A{i};association\n" for i in range(rows))).encode()
    lines = "".join(
        f"Association bench {i:07d};association;Cureghem-Lemmens\n" for i in range(rows)
    )
    return ("nom;type;quartier\n" + lines).encode()


def _percentiles(times: list[float]) -> str:
    if not times:
        return "no request"
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (
        f"{len(times)} requests, p50 {statistics.median(ordered) * 1000:.0f} ms, "
        f"p99 {p99 * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms"
    )


def run(rows: int, readers: int) -> None:
    folder = Path(tempfile.mkdtemp())
    env = {"MAILLAGE_DB": str(folder / "m.db"), "MAILLAGE_STORE": "sqlite"}
    os.environ.update(env)
    store = open_store(Settings())
    load(store)
    add_demo_users(store, hash_password("bench", "", check=False))
    boss = issue_token(store, "coordinator", "api")[0]
    workers = [issue_token(store, "amina", "api")[0] for _ in range(readers)]
    ids = [a.id for a in store.list_actors(limit=50).items]
    store.close()
    server, base = serve(env)
    try:
        for label, data in (
            (f"import of {rows:,} actors", _csv(rows)),
            ("1,000,001-row file (refused)", _csv(1_000_001, short=True)),
        ):
            reads: list[float] = []
            writes: list[float] = []
            slow: list[tuple[float, float, str]] = []  # every request: when, how long, what
            stop = threading.Event()

            def read(
                token: str,
                reads: list[float] = reads,
                stop: threading.Event = stop,
                slow: list[tuple[float, float, str]] = slow,
            ) -> None:
                headers = {"Authorization": f"Bearer {token}"}
                with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
                    k = 0
                    while not stop.is_set():
                        path = ("/api/v1/actors?q=maison&limit=25", "/api/v1/actors?limit=50",
                                f"/api/v1/actors/{ids[k % len(ids)]}")[k % 3]  # fmt: skip
                        began = time.perf_counter()
                        client.get(path)
                        reads.append(time.perf_counter() - began)
                        slow.append((began, reads[-1], "read"))
                        k += 1

            def write(
                writes: list[float] = writes,
                stop: threading.Event = stop,
                slow: list[tuple[float, float, str]] = slow,
            ) -> None:
                headers = {"Authorization": f"Bearer {workers[0]}"}
                with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
                    k = 0
                    while not stop.is_set():
                        began = time.perf_counter()
                        client.patch(f"/api/v1/actors/{ids[k % len(ids)]}",
                                     json={"description": f"bench {k}"})  # fmt: skip
                        writes.append(time.perf_counter() - began)
                        slow.append((began, writes[-1], "write"))
                        k += 1
                        time.sleep(0.2)

            threads = [threading.Thread(target=read, args=(t,)) for t in workers]
            threads.append(threading.Thread(target=write))
            for t in threads:
                t.start()
            time.sleep(1)
            began = time.perf_counter()
            answer = httpx.post(
                f"{base}/api/v1/imports",
                headers={"Authorization": f"Bearer {boss}"},
                files={"file": ("bench.csv", data, "text/csv")},
                timeout=900,
            )
            took = time.perf_counter() - began
            stop.set()
            for t in threads:
                t.join()
            print(f"{label}: {answer.status_code} in {took:.1f} s ({len(data) / 2**20:.0f} MB)")
            print(f"  others' reads during it: {_percentiles(reads)}")
            print(f"  others' writes during it: {_percentiles(writes)}")
            for when, long, what in sorted(slow):
                if long > 0.5:  # where in the import the slow ones began
                    print(f"    {what} at {when - began:+.1f} s took {long:.1f} s")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--readers", type=int, default=4)
    options = parser.parse_args()
    run(options.rows, options.readers)
