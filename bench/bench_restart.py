"""The first region page after the server restarts — and Neo4j with it (#20.3; RESULTS.md).

    .venv/bin/python bench/bench_restart.py [--store neo4j|sqlite] [--actors 10000]
        [--rounds 3] [--pages meeting dashboard ...]

The bench region of `bench/region.py`, loaded the first time (and again if its size differs):
on Neo4j, in a Neo4j of its own (``scripts/neo4j.sh`` with
``MAILLAGE_NEO4J_HOME=.cache/neo4j-bench``: the tests' Neo4j is left alone); on SQLite, in
``.cache/bench-region.db``. A first server life opens every page once, as the servers before a
restart did. Then, for each round and each page, in turn:

1. on Neo4j, Neo4j is stopped and started again: its page cache and its plans are gone;
2. the server starts: nothing kept, no record converted (a new process has none), the
   region betweenness helper up, and its warm-up done (``api.app.warm_up``, which a server
   runs in a thread as it starts): the reads planned (on Neo4j, those the earlier servers ran
   planned again from the graph's note, ``graph/neo4j_plans.py``), the region's history read
   and kept;
3. the coordinator logs in and opens the page: its server time is printed.

This is the "cold" of a server in service: `bench_region_pages.py`'s cold is harsher (nothing
kept at all, no record converted), a state a server is in only before its warm-up is done.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi.testclient import TestClient

from analysis.brandes import start_helper
from api.app import create_app, warm_up
from api.kept import KEPT
from bench.bench_region_pages import PAGES, PASSWORD, ms, prepare
from graph import snapshots
from graph.neo4j_store import Neo4jGraphStore
from graph.sqlite_store import SqliteGraphStore
from graph.store import GraphStore

ROOT = Path(__file__).resolve().parents[1]
SQLITE = ROOT / ".cache" / "bench-region.db"
COORDINATOR_PAGES = ["meeting", "dashboard", "reach", "views/neighbourhood", "views/bridging",
                     "indicators"]  # fmt: skip


def neo4j(command: str) -> str:
    """``scripts/neo4j.sh`` on the bench's own folder; the bolt URI it prints."""
    home = os.environ.get("MAILLAGE_NEO4J_HOME") or str(ROOT / ".cache" / "neo4j-bench")
    done = subprocess.run(  # noqa: S603 - the project's own script
        ["bash", str(ROOT / "scripts" / "neo4j.sh"), command],  # noqa: S607
        env={**os.environ, "MAILLAGE_NEO4J_HOME": home},
        capture_output=True, text=True, timeout=600, check=command != "status",
    )  # fmt: skip
    lines = done.stdout.strip().splitlines()
    return lines[-1] if done.returncode == 0 and lines else ""


def restarted(kind: str) -> tuple[GraphStore, float]:
    """The store opened as a server's start opens it (on Neo4j, after Neo4j stopped and started
    again), nothing in the process's memory, then its warm-up, waited for (how long, ms)."""
    store: GraphStore
    if kind == "neo4j":
        neo4j("stop")
        store = Neo4jGraphStore(neo4j("start"))
    else:
        store = SqliteGraphStore(SQLITE)
    KEPT.forget()
    snapshots._FIELDS.clear()
    gc.collect()
    return store, ms(lambda: warm_up(store))


def first_page(store: GraphStore, page: str) -> float:
    client = TestClient(create_app(store=store))
    token = re.search(r'name="csrf_token" value="([0-9a-f]{64})"', client.get("/login").text)
    assert token is not None
    fields = {"username": "coordinator", "password": PASSWORD, "next": "/",
              "csrf_token": token.group(1)}  # fmt: skip
    assert client.post("/login", data=fields, follow_redirects=False).status_code == 303
    answer: list[int] = []
    took = ms(lambda: answer.append(client.get(PAGES[page]).status_code))
    assert answer == [200], (page, answer)
    return took


def main() -> None:
    logging.getLogger("maillage").setLevel(logging.ERROR)
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", choices=["neo4j", "sqlite"], default="neo4j")
    parser.add_argument("--actors", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pages", nargs="+", default=COORDINATOR_PAGES, choices=list(PAGES))
    args = parser.parse_args()

    start_helper()  # as a server's start does; it outlives Neo4j's restarts
    store: GraphStore
    if args.store == "neo4j":
        store = Neo4jGraphStore(neo4j("status") or neo4j("start"))
        if store.counts()["actors"] != args.actors:
            store.erase_everything(confirm="erase everything")  # type: ignore[attr-defined]
            prepare(store, args.actors)
    else:
        SQLITE.parent.mkdir(exist_ok=True)
        store = SqliteGraphStore(SQLITE)
        if store.counts()["actors"] != args.actors:
            store.close()
            SQLITE.unlink()
            store = SqliteGraphStore(SQLITE)
            prepare(store, args.actors)
    for page in args.pages:  # the servers before the restart opened each page
        first_page(store, page)
    store.close()  # and their reads' note is written

    times: dict[str, list[float]] = {page: [] for page in args.pages}
    for round_ in range(args.rounds):
        for page in args.pages:
            store, warming = restarted(args.store)
            times[page].append(first_page(store, page))
            store.close()
            print(f"  round {round_ + 1}  {page:20} {times[page][-1]:6.0f} ms"
                  f"   (the warm-up before it: {warming:.0f} ms)", flush=True)  # fmt: skip
    if args.store == "neo4j":
        neo4j("stop")
    restart = "Neo4j and the server" if args.store == "neo4j" else "the server"
    print(f"\n{args.actors} actors ({args.store}), the coordinator's first page after {restart} "
          f"restarted ({args.rounds} rounds):")  # fmt: skip
    for page, took in times.items():
        print(f"  {page:20} median {statistics.median(took):6.0f} ms   "
              f"{' '.join(f'{t:.0f}' for t in took)}")  # fmt: skip


if __name__ == "__main__":
    main()
