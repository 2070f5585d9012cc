"""How long the demo neighbourhood takes to generate and load (figures for bench/RESULTS.md).

.venv/bin/python bench/bench_demo.py [--neo4j bolt://127.0.0.1:PORT]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.sqlite_store import SqliteGraphStore
from graph.store import GraphStore
from ingest.demo import generate, load


def run(name: str, store: GraphStore) -> None:
    start = time.perf_counter()
    counts = load(store)
    print(f"{name}: demo loaded in {time.perf_counter() - start:.2f} s: {counts}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--neo4j", help="bolt URI of an empty Neo4j (it is wiped first)")
    args = parser.parse_args()
    start = time.perf_counter()
    generate()
    print(f"generate: {time.perf_counter() - start:.3f} s")
    with tempfile.TemporaryDirectory() as folder:
        sqlite = SqliteGraphStore(Path(folder) / "demo.db")
        run("sqlite", sqlite)
        sqlite.close()
    if args.neo4j:
        from graph.neo4j_store import Neo4jGraphStore

        neo4j = Neo4jGraphStore(args.neo4j)
        neo4j.erase_everything(confirm="erase everything")
        run("neo4j", neo4j)
        neo4j.close()


if __name__ == "__main__":
    main()
