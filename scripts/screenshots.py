"""Screenshots of the graph views over the demo neighbourhood, for the README.

.venv/bin/python scripts/screenshots.py [--chromium /usr/bin/chromium] [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright

from api.views import ViewName, build_view
from graph.sqlite_store import SqliteGraphStore
from ingest.demo import DEMO_END, load
from viz import save


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--out", default="docs/screenshots")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        store = SqliteGraphStore(Path(folder) / "demo.db")
        load(store)
        ids = {a.name: a.id for a in store.list_actors(limit=1000).items}
        shots = {
            "neighbourhood": ({"measure": "betweenness"}, (1400, 900), None),
            "bridging": ({}, (1400, 900), None),
            "isolation": ({}, (1400, 900), None),
            "ego": ({"actor": ids["Éducateurs de rue Odon"], "depth": 2}, (1400, 900), None),
            "growth": ({"lang": "nl"}, (1400, 900), 9),
            "isolation-phone": ({}, (360, 740), None),
        }
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium)
            for name, (options, (width, height), step) in shots.items():
                what = ViewName(name.split("-")[0])
                view = build_view(store, what, as_of=DEMO_END, **options)  # type: ignore[arg-type]
                page_file = save(view, Path(folder) / f"{name}.html")
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(page_file.as_uri())
                while not page.evaluate("!!(window.maillage && window.maillage.ready)"):
                    time.sleep(0.05)
                if step is not None:
                    page.locator("#date-slider").fill(str(step))
                page.wait_for_timeout(300)
                page.screenshot(path=str(out / f"{name}.png"))
                page.close()
                print(out / f"{name}.png")
            browser.close()
        store.close()


if __name__ == "__main__":
    main()
