"""Bulk import speed (figures for bench/RESULTS.md; not tests).

    .venv/bin/python bench/bench_import.py [--actors 10000] [--links 100000] [--neo4j URI]

Writes a CSV zip of ``--actors`` actors and ``--links`` links (the layout of ``maillage export
--format csv``), imports it into an empty SQLite store and an empty Neo4j store (one
transaction each: batched ``UNWIND`` in Neo4j, ``executemany`` in SQLite), and, in the same
run, writes a sample of the same links one by one through ``create_link`` for comparison.
Peak memory is measured for the file and for half of it (the rows are streamed from the file;
what grows is the planned batch written in one transaction).
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.errors import Conflict
from graph.neo4j_store import Neo4jGraphStore
from graph.sqlite_store import SqliteGraphStore
from graph.store import GraphStore
from ingest.plan import run_import
from ingest.readers import read

KINDS = ["association", "trader", "public_service", "health_actor", "school", "resident_group"]


def make_file(actors: int, links: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    ids = [f"{i:032x}" for i in range(1, actors + 1)]
    actor_rows = io.StringIO()
    writer = csv.writer(actor_rows, lineterminator="\n")
    writer.writerow(["id", "name", "kind", "neighbourhood", "themes", "since"])
    for i, actor_id in enumerate(ids):
        writer.writerow([actor_id, f"Actor {i:05d}", KINDS[i % len(KINDS)], f"N{i % 40}",
                         "health|youth" if i % 3 == 0 else "", "2024-01-01"])  # fmt: skip
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < links:
        a, b = rng.randrange(actors), rng.randrange(actors)
        if a != b:
            pairs.add((min(a, b), max(a, b)))
    link_rows = io.StringIO()
    writer = csv.writer(link_rows, lineterminator="\n")
    writer.writerow(["from", "to", "type", "strength", "since"])
    for a, b in sorted(pairs):
        writer.writerow([ids[a], ids[b], "KNOWS", 1 + (a + b) % 3, "2025-01-01"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("actors.csv", actor_rows.getvalue())
        archive.writestr("links.csv", link_rows.getvalue())
    return buffer.getvalue()


def timed_import(store: GraphStore, data: bytes) -> tuple[float, dict[str, int]]:
    for k in range(40):  # the file's neighbourhoods, recorded first as a team would
        store.create_neighbourhood({"name": f"N{k}", "municipality": "Bench"}, by="bench")
    start = time.perf_counter()
    report = run_import(store, read(data, "region.zip"), by="bench")
    return time.perf_counter() - start, report["written"]


def per_row(store: GraphStore, sample: int) -> float:
    """Seconds per link written one by one (``create_link``), on actors already there."""
    actors = store.list_actors(limit=1000).items
    rng = random.Random(3)
    start = time.perf_counter()
    done = 0
    while done < sample:
        a, b = rng.sample(actors, 2)
        try:
            store.create_link({"source": a.id, "target": b.id, "type": "COLLABORATES_WITH"},
                              by="bench")  # fmt: skip
        except Conflict:  # a pair drawn twice: draw again
            pass
        else:
            done += 1
    return (time.perf_counter() - start) / sample


def compare(store: str, row: float, bulk: float, links: int) -> None:
    whole = row * links
    print(f"{store} per-row create_link: {row * 1000:.1f} ms/link, so {whole:.0f} s for "
          f"{links} links; the bulk import is {whole / bulk:.0f}x faster")  # fmt: skip


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory(actors: int, links: int) -> None:
    """Peak memory of a SQLite import at a quarter, half, once and twice the file, each in a
    process of its own: what the import itself adds is the peak less the process before it
    (the file made in memory included)."""
    for share in (0.25, 0.5, 1, 2):
        a, n = int(actors * share), int(links * share)
        done = subprocess.run(  # noqa: S603 - this very script
            [sys.executable, __file__, "--child", "--actors", str(a), "--links", str(n)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        before, peak = (float(x) for x in done.stdout.split())
        print(f"{a} actors + {n} links: peak {peak:.0f} MB, the import's {peak - before:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--actors", type=int, default=10_000)
    parser.add_argument("--links", type=int, default=100_000)
    parser.add_argument("--neo4j", default=None)
    parser.add_argument("--sample", type=int, default=500)
    parser.add_argument("--memory", action="store_true", help="peak memory at 4 file sizes")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory:
        return memory(args.actors, args.links)
    data = make_file(args.actors, args.links)
    if args.child:  # one SQLite import, then the peak memory of this process
        with tempfile.TemporaryDirectory() as folder:
            before = peak_mb()
            timed_import(SqliteGraphStore(Path(folder) / "m.db"), data)
            print(f"{before:.0f} {peak_mb():.0f}")
        return
    print(f"file: {args.actors} actors, {args.links} links, {len(data) / 2**20:.1f} MB (zip)")
    with tempfile.TemporaryDirectory() as folder:
        store = SqliteGraphStore(Path(folder) / "m.db")
        seconds, written = timed_import(store, data)
        print(f"SQLite import: {seconds:.1f} s  {written}  peak RSS {peak_mb():.0f} MB")
        compare("SQLite", per_row(store, args.sample), seconds, args.links)
        store.close()
    if args.neo4j:
        neo = Neo4jGraphStore(args.neo4j)
        neo.erase_everything(confirm="erase everything")
        seconds, written = timed_import(neo, data)
        print(f"Neo4j import: {seconds:.1f} s  {written}")
        compare("Neo4j", per_row(neo, args.sample), seconds, args.links)
        neo.erase_everything(confirm="erase everything")
        neo.close()


if __name__ == "__main__":
    main()
