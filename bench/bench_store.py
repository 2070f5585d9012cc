"""Benchmarks of the two stores (figures for bench/RESULTS.md; not tests).

    .venv/bin/python bench/bench_store.py [--actors 10000] [--neo4j bolt://127.0.0.1:PORT]

Loads a synthetic region through the port (bulk writes), then times the reads a BAR worker and a
team meeting make: one actor, a filtered list, an ego network, introduction paths, reach's
snapshot, and the full history.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.region import region
from graph.model import ActorFilter
from graph.store import GraphStore


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def warm(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Time a read after one untimed run (Neo4j plans and caches a query on its first run)."""
    fn()
    return timed(fn)


LINKS_AT_ONCE = 50_000


def load(store: GraphStore, actors: int) -> dict[str, float]:
    history = region(actors)
    rows = []
    for _, d in history.nodes(data=True):
        rows.append({
            "name": d["name"], "kind": d["kind"], "neighbourhood": d["neighbourhood"],
            "themes": d["themes"], "languages": d["languages"],
            "target_groups": d["target_groups"], "since": d["since"].isoformat(),
        })  # fmt: skip
    for place in sorted({r["neighbourhood"] for r in rows}):
        store.create_neighbourhood({"name": place, "municipality": "Bench"}, by="bench")
    t_actors, created = timed(lambda: store.create_actors(rows, by="bench"))
    ids = [a.id for a in created]
    seen = set()
    links = []
    for u, v, d in history.edges(data=True):
        key = (min(u, v), max(u, v))
        if key in seen or d["until"] is not None:
            continue
        seen.add(key)
        links.append({
            "source": ids[u], "target": ids[v], "type": "KNOWS", "mission": d["mission"],
            "strength": d["strength"], "since": d["since"].isoformat(),
        })  # fmt: skip
    # in parts: 236,000 links at once are more than a Neo4j transaction's 3 GB (scripts/neo4j.sh)
    parts = [links[i : i + LINKS_AT_ONCE] for i in range(0, len(links), LINKS_AT_ONCE)]
    t_links, _ = timed(lambda: [store.create_links(part, by="bench") for part in parts])
    return {"actors": len(rows), "links": len(links), "t_actors": t_actors, "t_links": t_links}


def reads(store: GraphStore) -> dict[str, float]:
    some = store.list_actors(limit=2, offset=100).items
    a, b = some[0].id, some[1].id
    out = {}
    out["get actor"] = warm(lambda: store.get_actor(a))[0]
    out["list (theme, 50)"] = warm(lambda: store.list_actors(ActorFilter(theme="health")))[0]
    out["ego network, depth 2"] = warm(lambda: store.ego_network(a, depth=2))[0]
    out["3 introduction paths"] = warm(lambda: store.introduction_paths(a, b, k=3))[0]
    out["snapshot"] = warm(lambda: store.snapshot())[0]
    out["snapshot as of 2025-06-01"] = warm(lambda: store.snapshot(date(2025, 6, 1)))[0]
    out["history"] = warm(lambda: store.history())[0]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--actors", type=int, default=10_000)
    parser.add_argument("--neo4j", help="bolt URI of an EMPTY test Neo4j (it is wiped)")
    args = parser.parse_args()
    stores: list[tuple[str, Callable[[], GraphStore]]] = []
    from graph.sqlite_store import SqliteGraphStore

    folder = tempfile.mkdtemp()
    stores.append(("sqlite", lambda: SqliteGraphStore(Path(folder) / "bench.db")))
    if args.neo4j:
        from graph.neo4j_store import Neo4jGraphStore

        def neo4j() -> GraphStore:
            store = Neo4jGraphStore(args.neo4j)
            store.erase_everything(confirm="erase everything")
            return store

        stores.append(("neo4j", neo4j))
    for name, make in stores:
        store = make()
        loaded = load(store, args.actors)
        print(f"\n### {name}: {loaded['actors']:,} actors, {loaded['links']:,} links\n")
        print("| operation | time |")
        print("|---|---|")
        print(f"| bulk create actors (one transaction) | {loaded['t_actors']:.2f} s |")
        print(f"| bulk create links (one transaction) | {loaded['t_links']:.2f} s |")
        for op, seconds in reads(store).items():
            print(f"| {op} | {seconds * 1000:.0f} ms |")
        store.close()


if __name__ == "__main__":
    main()
