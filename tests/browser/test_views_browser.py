"""The six graph views drawn by real headless Chromium: nodes on the canvas, legend, tooltips,
showcase, search, focus steps, the date slider, no request leaving the page, and a hostile name
shown as text without running."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from api.views import ViewName, build_view
from graph.sqlite_store import SqliteGraphStore
from ingest.demo import DEMO_END, load
from tests.helpers import EVIL
from viz import View, save

from .conftest import wait_until_drawn


@dataclass
class Saved:
    views: dict[str, tuple[View, Path]]
    ids: dict[str, str]


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Saved:
    folder = tmp_path_factory.mktemp("views")
    store = SqliteGraphStore(folder / "demo.db")
    load(store)
    ids = {a.name: a.id for a in store.list_actors(limit=1000).items}
    evil = store.create_actor(
        {
            "name": EVIL,
            "kind": "association",
            "neighbourhood": "Cureghem-Lemmens",
            "description": '<a href="javascript:alert(2)">href</a>',
            "themes": ["<script>alert(3)</script>"],
            "since": "2025-01-01",
        },
        by="amina",
    )
    store.create_link(
        {"source": ids["Joris (BAR)"], "target": evil.id, "type": "KNOWS", "since": "2025-02-01"},
        by="joris",
    )
    ids[EVIL] = evil.id
    asks = {
        "neighbourhood": {"measure": "betweenness"},
        "ego": {"actor": evil.id, "depth": 1},
        "path": {"actor": evil.id, "target": ids["Mosquée Al-Hidaya"]},
        "bridging": {},
        "isolation": {},
        "growth": {},
    }
    views = {}
    for name, options in asks.items():
        view = build_view(store, ViewName(name), as_of=DEMO_END, lang="fr", **options)
        views[name] = (view, save(view, folder / f"{name}.html"))
    store.close()
    return Saved(views, ids)


@dataclass
class Opened:
    page: Page
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def open_view(browser: Browser) -> Iterator[object]:
    pages: list[Page] = []

    def opener(path: Path, width: int = 1280, height: int = 800) -> Opened:
        # a phone-sized screen is a touch screen: taps and pinches, not a mouse
        page = browser.new_page(viewport={"width": width, "height": height}, has_touch=width < 500)
        pages.append(page)
        opened = Opened(page)
        page.on("request", lambda r: opened.requests.append(r.url))
        page.on("pageerror", lambda e: opened.errors.append(str(e)))

        def dialog(d: object) -> None:
            opened.dialogs.append(d.message)  # type: ignore[attr-defined]
            d.dismiss()  # type: ignore[attr-defined]

        page.on("dialog", dialog)
        page.goto(path.as_uri())
        wait_until_drawn(page, 30_000)
        return opened

    yield opener
    for page in pages:
        page.close()


def _hover(page: Page, node_id: str) -> None:
    """Move the mouse onto a node, where the canvas draws it."""
    point = page.evaluate(
        """id => { const m = window.maillage;
                   const p = m.network.canvasToDOM(m.network.getPositions([id])[id]);
                   const box = document.querySelector('#graph canvas').getBoundingClientRect();
                   return {x: box.left + p.x, y: box.top + p.y}; }""",
        node_id,
    )
    page.mouse.move(point["x"] + 1, point["y"] + 1)
    page.mouse.move(point["x"], point["y"])


def _alive(n: dict[str, object], day: int) -> bool:
    since, until = n.get("since_day"), n.get("until_day")
    return (since is None or since <= day) and (until is None or until > day)  # type: ignore[operator]


def _visible(view: View) -> int:
    """How many actors a view shows when it opens (ego: its first depth; growth: the last date)."""
    depth = view.extra.get("depth")
    if "dates" in view.extra:
        day = view.extra["dates"][-1]["day"]
        return sum(1 for n in view.nodes if _alive(n, day))
    return sum(1 for n in view.nodes if depth is None or n.get("hop", 0) <= depth)


@pytest.mark.parametrize("name", [v.value for v in ViewName])
def test_each_view_draws_offline_and_runs_no_name(saved: Saved, open_view, name: str) -> None:  # type: ignore[no-untyped-def]
    view, path = saved.views[name]
    opened = open_view(path)
    page = opened.page
    assert page.locator("#graph canvas").count() == 1
    drawn = page.evaluate("window.maillage.nodeView.length")
    assert drawn == _visible(view) > 0
    assert page.evaluate("window.maillage.frames") >= 1
    assert opened.errors == []
    # the legend names every kind shown, with its symbol
    legend = page.locator("#legend-items li").all_inner_texts()
    assert any("association" in item and "●" in item for item in legend)
    # the hostile actor: shown as text in the tooltip and the details, never run
    evil = saved.ids[EVIL]  # linked to Joris: in every view of the neighbourhood, shown
    assert page.evaluate("id => window.maillage.nodeView.get(id) !== null", evil)
    _hover(page, evil)
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5000)
    assert EVIL in tooltip.inner_text()
    page.evaluate("id => window.maillage.network.selectNodes([id])", evil)
    page.fill("#search", EVIL)
    page.press("#search", "Enter")
    assert EVIL in page.locator("#info-items").inner_text()
    assert page.locator("img").count() == 0 and page.locator("script:not([id])").count() == 2
    page.wait_for_timeout(300)
    assert opened.dialogs == []
    # nothing but the file itself was requested: the saved view works without network
    assert opened.requests == [path.as_uri()]


def test_search_and_showcase(saved: Saved, open_view) -> None:  # type: ignore[no-untyped-def]
    view, path = saved.views["neighbourhood"]
    page = open_view(path).page
    page.fill("#search", "mosquee al-hidaya")  # accents and case do not matter
    page.press("#search", "Enter")
    wanted = saved.ids["Mosquée Al-Hidaya"]
    assert page.evaluate("window.maillage.found") == wanted
    assert page.evaluate("window.maillage.network.getSelectedNodes()") == [wanted]
    assert "Mosquée Al-Hidaya" in page.locator("#info-items").inner_text()
    page.select_option("#showcase-field", "languages")
    # the values in the view's language (French), their codes behind
    assert page.locator("#showcase-value option[value='tr']").inner_text() == "turc"
    page.select_option("#showcase-value", "tr")
    speakers = sum(1 for n in view.nodes if "tr" in n["languages"])
    assert page.evaluate("window.maillage.showcased") == speakers > 0
    dimmed = page.evaluate("window.maillage.nodes.get().filter(n => n.color === '#E6E6E6').length")
    assert dimmed == len(view.nodes) - speakers
    page.click("#showcase-clear")
    assert page.evaluate("window.maillage.showcased") is None


def test_ego_focus_grows_and_shrinks(saved: Saved, open_view) -> None:  # type: ignore[no-untyped-def]
    view, path = saved.views["ego"]
    page = open_view(path).page
    counts = [page.evaluate("window.maillage.nodeView.length")]
    page.click("#depth-more")
    counts.append(page.evaluate("window.maillage.nodeView.length"))
    page.keyboard.press("-")
    counts.append(page.evaluate("window.maillage.nodeView.length"))
    by_hop = [sum(1 for n in view.nodes if n["hop"] <= d) for d in (1, 2, 1)]
    assert counts == by_hop and counts[1] > counts[0]
    assert page.locator("#depth").inner_text() == "1"
    # the subtitle counts what is shown (not the actor's whole component), and the actor is
    # in the middle of the drawing, whatever the frame's size
    assert f"{by_hop[0]} acteurs" in page.locator("#subtitle").inner_text()
    page.click("#depth-more")
    assert f"{by_hop[1]} acteurs" in page.locator("#subtitle").inner_text()
    for width, height in ((1280, 800), (360, 740), (600, 300)):
        page.set_viewport_size({"width": width, "height": height})
        page.click("#depth-less")
        where = page.evaluate(
            """id => { const m = window.maillage;
                       return m.network.canvasToDOM(m.network.getPositions([id])[id]); }""",
            view.extra["centre"],
        )
        box = page.locator("#graph").bounding_box()
        assert box is not None
        assert abs(where["x"] - box["width"] / 2) < box["width"] * 0.1, (width, where)
        assert abs(where["y"] - box["height"] / 2) < box["height"] * 0.1, (width, where)


def test_growth_slider_replays_the_months(saved: Saved, open_view) -> None:  # type: ignore[no-untyped-def]
    view, path = saved.views["growth"]
    page = open_view(path).page
    last = page.evaluate("window.maillage.nodeView.length")
    slider = page.locator("#date-slider")
    slider.fill("0")
    first = page.evaluate("window.maillage.nodeView.length")
    first_day = view.extra["dates"][0]["day"]
    expected = sum(1 for n in view.nodes if _alive(n, first_day))
    assert first == expected < last
    assert page.locator("#date-label").inner_text() == view.extra["dates"][0]["label"]


def test_bridging_draws_suggested_introductions(saved: Saved, open_view) -> None:  # type: ignore[no-untyped-def]
    view, path = saved.views["bridging"]
    page = open_view(path).page
    dashed = page.evaluate("window.maillage.edgeView.get().filter(e => e.suggested).length")
    assert dashed == view.extra["suggestions"] > 0
    legend = " ".join(page.locator("#legend-items li").all_inner_texts())
    assert "introduction suggérée" in legend and "peut présenter" in legend


PAINTED = """() => { const c = document.querySelector('#graph canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0; for (let i = 3; i < d.length; i += 4 * 31) if (d[i] > 0) n++; return n; }"""


@pytest.mark.parametrize("name", [v.value for v in ViewName])
def test_every_view_draws_on_a_phone_and_answers_a_tap(saved: Saved, open_view, name: str) -> None:  # type: ignore[no-untyped-def]
    """At 360 px the view paints, its drawing area keeps its height (it grew for ever, blank),
    a drag moves the map, and a tap on an actor opens its details."""
    _, path = saved.views[name]
    page = open_view(path, width=360, height=740).page
    graph = page.locator("#graph")
    first = graph.bounding_box()
    assert first is not None and first["height"] >= 300
    assert page.evaluate(PAINTED) > 50
    time.sleep(1.0)
    assert graph.bounding_box() == first  # no resize loop
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # a drag on the map moves it
    before = page.evaluate("JSON.stringify(window.maillage.network.getViewPosition())")
    x, y = first["x"] + 20, first["y"] + first["height"] - 20
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 60, y - 40, steps=8)
    page.mouse.up()
    assert page.evaluate("JSON.stringify(window.maillage.network.getViewPosition())") != before
    # a tap on a shown actor opens its details
    shown = page.evaluate(
        "window.maillage.nodeView.getIds().filter(i => !window.maillage.nodeView.get(i).hidden)"
    )
    assert shown
    page.evaluate("id => window.maillage.network.focus(id, {scale: 1.5})", shown[0])
    time.sleep(0.3)
    point = page.evaluate(
        """id => { const m = window.maillage;
                   const p = m.network.canvasToDOM(m.network.getPositions([id])[id]);
                   const box = document.querySelector('#graph canvas').getBoundingClientRect();
                   return {x: box.left + p.x, y: box.top + p.y}; }""",
        shown[0],
    )
    page.touchscreen.tap(point["x"], point["y"])
    assert page.locator("#info-items").inner_text().strip() != ""
    # two fingers apart: the map zooms in
    scale = page.evaluate("window.maillage.network.getScale()")
    cdp = page.context.new_cdp_session(page)
    cx, cy = first["x"] + first["width"] / 2, first["y"] + first["height"] / 2

    def fingers(kind: str, gap: float) -> None:
        points = [] if kind == "touchEnd" else [
            {"x": cx - gap, "y": cy, "id": 1}, {"x": cx + gap, "y": cy, "id": 2}]  # fmt: skip
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    fingers("touchStart", 20)
    for gap in range(30, 130, 10):
        fingers("touchMove", gap)
        time.sleep(0.02)
    fingers("touchEnd", 0)
    assert page.evaluate("window.maillage.network.getScale()") > scale * 1.5


def test_a_phone_sized_screen_keeps_everything_reachable(saved: Saved, open_view) -> None:  # type: ignore[no-untyped-def]
    _, path = saved.views["isolation"]
    page = open_view(path, width=360, height=740).page
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    assert page.locator("#legend-items li").count() > 3


def test_a_large_view_opens_with_communities_collapsed(tmp_path: Path, open_view) -> None:  # type: ignore[no-untyped-def]
    import networkx as nx

    from viz import layout_positions, neighbourhood_view

    g = nx.MultiDiGraph(nx.relabel_nodes(nx.connected_caveman_graph(12, 25), str))
    for v in g:
        g.nodes[v].update(name=f"actor {v}", kind="association")
    view = neighbourhood_view(g, layout_positions(g), collapse_above=200)  # as above 2,000
    page = open_view(save(view, tmp_path / "large.html")).page
    groups = view.extra["communities"]
    assert page.evaluate("window.maillage.nodeView.length") == groups
    page.evaluate("window.maillage.openGroup(0)")
    members = sum(1 for n in view.nodes if n.get("community") == 0)
    assert page.evaluate("window.maillage.nodeView.length") == groups - 1 + members
    page.fill("#search", "actor 299")  # searching opens the actor's community
    page.press("#search", "Enter")
    assert page.evaluate("window.maillage.found") == "299"
    assert page.evaluate("window.maillage.opened") == 2
