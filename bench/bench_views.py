"""Graph views: layout time and stability, file size, and how fast headless Chromium draws them
(figures for bench/RESULTS.md; not tests).

    .venv/bin/python bench/bench_views.py [--actors 5000] [--chromium /usr/bin/chromium]

The region is `bench/region.py`'s (neighbourhoods of 250 actors, ~5 links each). The first frame
is read in the page: `performance.now()` at vis-network's first `afterDrawing`, which counts from
the start of the navigation. A zoom or drag frame is the time from the input to the next
`afterDrawing`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.region import region
from tests.browser.conftest import wait_until_drawn
from viz import layout_positions, neighbourhood_view, save


def timed_layout(graph: nx.Graph) -> tuple[float, dict]:  # type: ignore[type-arg]
    start = time.perf_counter()
    positions = layout_positions(graph)
    return time.perf_counter() - start, positions


def stability(graph: nx.MultiDiGraph, positions: dict) -> tuple[float, float]:  # type: ignore[type-arg]
    grown = graph.copy()
    base = max(grown.nodes) + 1
    for k in range(25):
        grown.add_node(base + k, name=f"new {k}", kind="trader")
        grown.add_edge(base + k, k * 37 % base, key=f"n{k}", type="KNOWS", strength=1)
    start = time.perf_counter()
    again = layout_positions(grown, pinned=positions)
    took = time.perf_counter() - start
    moved = max(abs(again[v][0] - p[0]) + abs(again[v][1] - p[1]) for v, p in positions.items())
    return took, moved


def draw(path: Path, chromium: str, phone: bool = False) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium)
        size = {"width": 360, "height": 740} if phone else {"width": 1600, "height": 900}
        page = browser.new_page(viewport=size)
        page.goto(path.as_uri())
        wait_until_drawn(page, 120_000)
        first = page.evaluate("window.maillage.firstFrame")
        box = page.locator("#graph canvas").bounding_box()
        assert box is not None
        cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        arm = (
            "() => { window.__frame = null; const m = window.maillage; let t0 = null;"
            " const start = () => { if (t0 === null) t0 = performance.now(); };"
            " window.addEventListener('wheel', start, {capture: true, once: true});"
            " window.addEventListener('pointermove', start, {capture: true, once: true});"
            " m.network.once('afterDrawing', () => { window.__frame = performance.now() - t0; });"
            " }"
        )
        frames: dict[str, list[float]] = {"zoom": [], "drag": []}
        page.mouse.move(cx, cy)
        for k in range(6):
            page.evaluate(arm)
            page.mouse.wheel(0, -120 if k % 2 == 0 else 120)  # a wheel zoom, as a person does
            page.wait_for_timeout(150)
            frames["zoom"].append(page.evaluate("window.__frame"))
        page.mouse.down()
        for k in range(6):
            page.evaluate(arm)
            page.mouse.move(cx + 10 * (k + 1), cy + 5 * (k + 1))  # dragging the view
            page.wait_for_timeout(150)
            frames["drag"].append(page.evaluate("window.__frame"))
        page.mouse.up()
        median = {k: statistics.median(x for x in v if x is not None) for k, v in frames.items()}
        browser.close()
    return {"first_frame_ms": float(first), "zoom_ms": median["zoom"], "drag_ms": median["drag"]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--actors", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--phone", action="store_true", help="a 360 x 740 screen")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for n in args.actors:
            graph = region(n)
            links = graph.number_of_edges()
            took, positions = timed_layout(graph)
            grow, moved = stability(graph, positions)
            print(f"{n} actors / {links} links: layout {took:.2f} s; +25 actors {grow:.3f} s, "
                  f"old actors moved by {moved}")  # fmt: skip
            for collapse in (False, True):
                start = time.perf_counter()
                view = neighbourhood_view(
                    graph, positions, collapse_above=(2000 if collapse else 10**9)
                )
                path = save(view, Path(folder) / f"view-{n}-{collapse}.html")
                built = time.perf_counter() - start
                size = path.stat().st_size
                label = "collapsed" if collapse and view.extra.get("collapse") else "every actor"
                if collapse and not view.extra.get("collapse"):
                    continue
                print(f"  view ({label}): built in {built:.2f} s, {size / 1e6:.2f} MB "
                      f"({(size - 700_000) / n * 1000 / 1e6:.2f} MB per 1,000 actors "
                      "beyond the 0.7 MB of scripts)")  # fmt: skip
                figures = draw(path, args.chromium, args.phone)
                print(f"  Chromium: first frame {figures['first_frame_ms']:.0f} ms after "
                      f"navigation start; zoom frame {figures['zoom_ms']:.1f} ms, "
                      f"drag frame {figures['drag_ms']:.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
