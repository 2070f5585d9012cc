"""How fast the pages answer at 10,000 actors (figures for bench/RESULTS.md; not tests).

    .venv/bin/python bench/bench_pages.py [--actors 10000]

The region of `bench/region.py` in a SQLite store, a BAR worker attached to one of its teams,
the app in-process (``TestClient``): server time of each page (median of 5, after one untimed
request), the bytes the record-a-link page needs (HTML, CSS, JS), and the dashboard's first and
second load (its analyses are kept until the next write).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi.testclient import TestClient

from api.app import create_app
from api.security import hash_password
from bench.bench_store import load
from graph.model import ActorFilter
from graph.sqlite_store import SqliteGraphStore


def median_ms(client: TestClient, path: str, runs: int = 5) -> float:
    client.get(path)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        answer = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert answer.status_code == 200, (path, answer.status_code)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--actors", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = SqliteGraphStore(Path(folder) / "m.db")
        size = load(store, args.actors)
        team = store.list_actors(ActorFilter(neighbourhood="N3"), limit=1).items[0]
        hashed = hash_password("a long bench passphrase", "worker")
        store.create_user({"name": "worker", "role": "bar", "actor_id": team.id}, hashed, by="b")
        client = TestClient(create_app(store=store))
        client.post("/login", data={"username": "worker", "password": "a long bench passphrase"})
        print(f"{size['actors']} actors, {size['links']} links")
        for path in ("/", "/actors", "/actors?q=actor 12&kind=trader", "/actors?page=40",
                     f"/actors/{team.id}", "/record/link", "/record/actor",
                     "/record/referral", "/paths", "/reach?theme=health"):  # fmt: skip
            print(f"  {path}: {median_ms(client, path):.0f} ms")
        page = client.get("/record/link")
        assets = sum(len(client.get(a).content) for a in ("/static/style.css", "/static/app.js"))
        print(f"  record a link: {(len(page.content) + assets) / 1024:.1f} KB (HTML + CSS + JS)")
        for attempt in ("first", "second"):
            start = time.perf_counter()
            answer = client.get("/dashboard")
            print(f"  dashboard, {attempt} load: {(time.perf_counter() - start) * 1000:.0f} ms "
                  f"({answer.status_code})")  # fmt: skip
        store.close()


if __name__ == "__main__":
    main()
