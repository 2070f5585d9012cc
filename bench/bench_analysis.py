"""Benchmarks of the analysis (not tests: figures to write down in bench/RESULTS.md).

    .venv/bin/python bench/bench_analysis.py [--sizes 1000 10000 50000] [--networkx]

Prints a Markdown table per benchmark. ``--networkx`` also times networkx's own measures where
they finish in reasonable time, for comparison.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.bridging import bridging
from analysis.brokerage import brokerage_census
from analysis.centrality import betweenness
from analysis.graphs import simple_graph
from analysis.growth import growth
from analysis.isolation import isolated_actors
from analysis.structural_holes import constraint, effective_size
from bench.region import cut, region

END = date(2026, 11, 1)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def structural_holes(with_networkx: bool) -> None:
    print("\n### Constraint and effective size (powerlaw_cluster_graph(n, 5, 0.3))\n")
    print("| actors | links | constraint (ours) | effective size (ours) | networkx constraint |")
    print("|---|---|---|---|---|")
    for n in (5_000, 50_000):
        g = nx.powerlaw_cluster_graph(n, 5, 0.3, seed=1)
        tc, _ = timed(lambda g=g: constraint(g))
        te, _ = timed(lambda g=g: effective_size(g))
        theirs = "–"
        if with_networkx and n <= 5_000:
            sample = random.Random(1).sample(list(g), 250)
            ts, _ = timed(lambda g=g, s=sample: nx.constraint(g, nodes=s))
            tn, _ = timed(lambda g=g: nx.constraint(g))
            theirs = (
                f"{tn:.2f} s (networkx 3.6 sparse path); {ts * n / len(sample):.0f} s "
                "(per-node definition, extrapolated from 250 random nodes)"
            )
        print(f"| {n:,} | {g.number_of_edges():,} | {tc:.3f} s | {te:.3f} s | {theirs} |")


def betweenness_bench() -> None:
    print("\n### Betweenness (gnm_random_graph)\n")
    print("| actors | links | method | time | stated error (max / mean) |")
    print("|---|---|---|---|---|")
    for n, m, kwargs in (
        (10_000, 50_000, {}),
        (50_000, 250_000, {"samples": 1000}),
    ):
        g = nx.gnm_random_graph(n, m, seed=1)
        t, result = timed(lambda g=g, kw=kwargs: betweenness(g, **kw))
        error = result.get("standard_error")
        stated = f"{error['max']:.2e} / {error['mean']:.2e}" if error else "exact"
        method = result["method"] + (f" ({result['samples']} sources)" if result["samples"] else "")
        print(f"| {n:,} | {m:,} | {method} | {t:.1f} s | {stated} |")


def brokerage_bench() -> None:
    print("\n### Brokerage census (powerlaw_cluster_graph(n, 5, 0.3), 11 groups)\n")
    print("| actors | links | time |")
    print("|---|---|---|")
    for n in (5_000, 50_000):
        g = nx.powerlaw_cluster_graph(n, 5, 0.3, seed=1)
        groups = {v: v % 11 for v in g}
        t, _ = timed(lambda g=g, gr=groups: brokerage_census(g, gr))
        print(f"| {n:,} | {g.number_of_edges():,} | {t:.2f} s |")


def whole(sizes: list[int]) -> None:
    print("\n### The whole analysis of a region (neighbourhoods of 250 actors, 24 months)\n")
    print("| actors | links | isolation | bridging (betweenness, constraint, communities, "
          "brokerage, opportunities) | growth, 24 monthly points | total |")  # fmt: skip
    print("|---|---|---|---|---|---|")
    for n in sizes:
        history = region(n)
        snapshot = cut(history, END)
        ti, _ = timed(lambda s=snapshot: isolated_actors(s, as_of=END))
        tb, report = timed(lambda s=snapshot: bridging(s, as_of=END))
        tg, _ = timed(lambda h=history: growth(h, start=date(2024, 11, 1), end=END))
        links = simple_graph(snapshot).number_of_edges()
        method = report["parameters"]["betweenness"]["method"]
        print(
            f"| {n:,} | {links:,} | {ti:.2f} s | {tb:.2f} s ({method} betweenness) "
            f"| {tg:.2f} s | {ti + tb + tg:.2f} s |"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 50_000])
    parser.add_argument("--networkx", action="store_true")
    parser.add_argument("--only", choices=["holes", "betweenness", "brokerage", "whole"])
    args = parser.parse_args()
    print(f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"networkx {nx.__version__}")  # fmt: skip
    if args.only in (None, "holes"):
        structural_holes(args.networkx)
    if args.only in (None, "betweenness"):
        betweenness_bench()
    if args.only in (None, "brokerage"):
        brokerage_bench()
    if args.only in (None, "whole"):
        whole(args.sizes)


if __name__ == "__main__":
    main()
