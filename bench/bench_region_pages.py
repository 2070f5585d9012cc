"""The pages of a region shared by several BAR teams (#20; figures for bench/RESULTS.md, not tests).

    .venv/bin/python bench/bench_region_pages.py --actors 1000 10000 50000 [--neo4j URI]
        [--roles bar coordinator] [--pages meeting dashboard ...]

The region of `bench/region.py` (neighbourhoods of 250 actors) in a SQLite store (and Neo4j with
``--neo4j``), the app in-process (``TestClient``), a BAR worker of the neighbourhood N0 and a
coordinator logged in. For each page and role, the server time of:

- **cold**: the page's first load with nothing kept and no record converted yet, as the first
  page after the app starts (each page's, not after another page read the region);
- **warm**: the median of three loads after it;
- **after a write**: the median of three loads, each right after a link recorded in N0 (the
  worker's neighbourhood) — and, for the worker, right after a link recorded in another
  neighbourhood (N1), which should cost nothing.

Every actor has its stored layout position before the timing (a running server has them; the
first layout of a region is `maillage layout`'s, timed in bench_views.py).
"""

from __future__ import annotations

import argparse
import gc
import logging
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi.testclient import TestClient

from analysis.brandes import start_helper
from api.app import create_app
from api.security import hash_password
from api.views import positions_for
from bench.bench_store import load
from graph.model import ActorFilter
from graph.store import GraphStore

PAGES = {
    "meeting": "/meeting",
    "dashboard": "/dashboard",
    "reach": "/reach?theme=health",
    "views/neighbourhood": "/views/neighbourhood",
    "views/bridging": "/views/bridging",
    "diagnosis": "/diagnosis",
    "indicators": "/indicators",
    "map": "/map",
    "crisis": "/crisis",
}
PASSWORD = "a long bench passphrase"  # noqa: S105 - the bench's own users


def ms(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


class Writer:
    """Links recorded between actors of one neighbourhood not yet linked, one per call."""

    def __init__(self, store: GraphStore, place: str) -> None:
        self.store = store
        found = store.list_actors(ActorFilter(neighbourhood=place), limit=300).items
        self.ids = [a.id for a in found]
        self.next = 0

    def __call__(self) -> None:
        while True:
            a, b = self.ids[self.next % 50], self.ids[50 + self.next % 200]
            self.next += 1
            try:
                self.store.create_link({"source": a, "target": b, "type": "KNOWS"}, by="bench")
                return
            except Exception:  # noqa: S112 - already linked: the next pair
                continue


def forget_kept() -> None:
    """Nothing kept from an earlier role (the code before #20 kept analyses in RESULTS), nor
    the records converted once per process (``graph/snapshots.py`` ``_FIELDS``): cold is as
    a server's first page after it starts."""
    try:
        from api.kept import KEPT

        KEPT.forget()
    except ImportError:
        from api import analyses

        analyses.RESULTS.kept.clear()  # type: ignore[attr-defined]
    from graph import snapshots

    getattr(snapshots, "_FIELDS", {}).clear()
    gc.collect()  # what an earlier page left (a restarted server's heap holds none of it)


def measure(store: GraphStore, role: str, pages: list[str]) -> dict[str, list[float]]:
    client = TestClient(create_app(store=store))
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([0-9a-f]{64})"', form)
    assert token is not None
    fields = {"username": role, "password": PASSWORD, "next": "/", "csrf_token": token.group(1)}
    assert client.post("/login", data=fields, follow_redirects=False).status_code == 303
    here, elsewhere = Writer(store, "N0"), Writer(store, "N1")
    out: dict[str, list[float]] = {}
    for name in pages:
        path = PAGES[name]

        def get(path: str = path) -> None:
            answer = client.get(path, follow_redirects=False)
            assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
            assert len(answer.content) > 2000, (path, answer.text)

        forget_kept()  # each page cold on its own, not after another page read the network
        cold = ms(get)
        warm = statistics.median(ms(get) for _ in range(3))
        after = []
        for _ in range(3):
            here()
            after.append(ms(get))
        after_other = []
        for _ in range(3 if elsewhere.ids else 0):  # a store of one neighbourhood has no N1
            elsewhere()
            after_other.append(ms(get))
        after_other = after_other or [float("nan")]
        out[name] = [cold, warm, statistics.median(after), statistics.median(after_other)]
        print(f"    {role:11} {name:20} cold {cold:8.0f} ms  warm {warm:6.1f} ms  "
              f"after a write in N0 {out[name][2]:8.0f} ms  in N1 {out[name][3]:8.0f} ms",
              flush=True)  # fmt: skip
    return out


def prepare(store: GraphStore, actors: int) -> None:
    size = load(store, actors)
    print(f"  {size['actors']} actors, {size['links']} links ({store.backend})", flush=True)
    team = store.list_actors(ActorFilter(neighbourhood="N0"), limit=1).items[0]
    for name, role, actor in (("bar", "bar", team.id), ("coordinator", "coordinator", None)):
        hashed = hash_password(PASSWORD, name)
        store.create_user({"name": name, "role": role, "actor_id": actor}, hashed, by="bench")
    start_helper()  # as a server's start does (api/app.py): its process is up before a page,
    store.warm_up()  # and the store's reads planned
    start = time.perf_counter()
    positions_for(store, store.history())
    print(f"  layout of every actor (untimed below): {time.perf_counter() - start:.1f} s")


def main() -> None:
    logging.getLogger("maillage").setLevel(logging.ERROR)  # links already made, tried again
    parser = argparse.ArgumentParser()
    parser.add_argument("--actors", type=int, nargs="+", default=[10_000])
    parser.add_argument("--neo4j", help="bolt URI of an empty Neo4j (erased first)")
    parser.add_argument("--roles", nargs="+", default=["bar", "coordinator"])
    parser.add_argument("--pages", nargs="+", default=list(PAGES), choices=list(PAGES))
    args = parser.parse_args()
    for actors in args.actors:
        with tempfile.TemporaryDirectory() as folder:
            if args.neo4j:
                from graph.neo4j_store import Neo4jGraphStore

                store: GraphStore = Neo4jGraphStore(args.neo4j)
                store.erase_everything(confirm="erase everything")  # type: ignore[attr-defined]
            else:
                from graph.sqlite_store import SqliteGraphStore

                store = SqliteGraphStore(Path(folder) / "m.db")
            prepare(store, actors)
            for role in args.roles:
                measure(store, role, args.pages)
            store.close()


if __name__ == "__main__":
    main()
