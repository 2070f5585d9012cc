"""The graph views as pure functions: layout stability, what each view contains, escaping,
self-containment. The same views are drawn in a real browser in tests/browser."""

from __future__ import annotations

import json
import re
from datetime import date
from itertools import pairwise
from pathlib import Path

import networkx as nx
import pytest

from api.views import ViewName, build_view, growth_dates, positions_for
from graph.sqlite_store import SqliteGraphStore
from ingest.demo import DEMO_END, load
from tests.helpers import EVIL
from viz import (
    bridging_view,
    ego_view,
    growth_view,
    isolation_view,
    layout_positions,
    neighbourhood_view,
    path_view,
    render,
)


def _payload(html: str) -> dict[str, object]:
    block = re.search(r'<script type="application/json" id="view-data">(.*?)</script>', html, re.S)
    assert block is not None
    return dict(json.loads(block.group(1)))


def _graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph(as_of="2026-01-01")
    g.add_node("a", name=EVIL, kind="association", themes=["health"], languages=["fr"],
               description="see href=javascript:alert(2)", since=date(2025, 1, 1))  # fmt: skip
    g.add_node("b", name="Pharmacie du Midi", kind="trader", themes=["health"], languages=["ar"])
    g.add_node("c", name="CPAS", kind="public_service", themes=["housing"], languages=["fr"])
    g.add_edge("a", "b", key="l1", type="KNOWS", strength=2, since=date(2025, 2, 1))
    g.add_edge("b", "c", key="l2", type="REFERS_TO", strength=3, since=date(2025, 3, 1))
    return g


def test_layout_is_repeatable_and_new_actors_move_nobody() -> None:
    g = nx.powerlaw_cluster_graph(400, 3, 0.3, seed=2)
    first = layout_positions(g, seed=5)
    assert first == layout_positions(g, seed=5)
    for i in range(400, 425):
        g.add_edge(i, i - 400)
    g.add_node("lonely")
    again = layout_positions(g, pinned=first)
    assert all(again[v] == first[v] for v in first)
    assert set(again) == set(g)
    # a new actor sits near the actor it is linked to, not across the map
    xs = [p[0] for p in first.values()]
    width = max(xs) - min(xs)
    near = [abs(again[i][0] - first[i - 400][0]) for i in range(400, 425)]
    assert max(near) < width / 4


def test_positions_are_stored_once_and_reused(tmp_path: Path) -> None:
    store = SqliteGraphStore(tmp_path / "m.db")
    load(store)
    graph = store.snapshot(DEMO_END)
    placed = positions_for(store, graph)
    whole = store.history()
    linked = {v for v in graph if whole.degree(v) > 0}
    assert linked <= set(store.positions()) and set(graph) <= set(placed)
    # an actor that never had a link is shown but its place is not kept (it lands beside
    # its first neighbour later: test_a_new_actor_lands_beside_its_first_neighbour)
    never = set(graph) - linked
    assert never and not never & set(store.positions())
    earlier = positions_for(store, store.snapshot(date(2025, 6, 1)))
    assert all(earlier[v] == placed[v] for v in linked if v in earlier)
    # every view and every date uses the same positions
    one = _payload(render(build_view(store, ViewName.neighbourhood, as_of=DEMO_END)))
    two = _payload(render(build_view(store, ViewName.isolation, as_of=DEMO_END)))
    spot = {n["id"]: (n["x"], n["y"]) for n in one["nodes"]}  # type: ignore[index, attr-defined]
    assert spot == {n["id"]: (n["x"], n["y"]) for n in two["nodes"]}  # type: ignore[attr-defined]
    relaid = positions_for(store, graph, relayout=True)
    assert set(relaid) >= set(graph) and store.positions() == relaid


def test_user_text_is_data_never_markup() -> None:
    g = _graph()
    html = render(neighbourhood_view(g, layout_positions(g), lang="en"))
    assert EVIL not in html and "<img" not in html  # < is \\u003c inside the JSON block
    data = _payload(html)
    node = next(n for n in data["nodes"] if n["id"] == "a")  # type: ignore[attr-defined]
    assert node["label"] == EVIL and node["details"][0] == ["name", EVIL]
    # no pyvis popup path, no CDN, nothing fetched: a strict CSP and inline assets only
    assert "tooltip_link" not in html and "cdnjs" not in html and "jsdelivr" not in html
    assert "default-src 'none'" in html
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", html)


def test_each_view_shows_what_it_is_about() -> None:
    g = _graph()
    pos = layout_positions(g)
    ego = ego_view(g, pos, "a", depth=1, lang="fr")
    assert {n["id"]: n["hop"] for n in ego.nodes} == {"a": 0, "b": 1, "c": 2}
    path = path_view(g, pos, [["a", "b", "c"]], lang="nl")
    assert {e["id"] for e in path.edges} == {"l1", "l2"}
    report = {
        "brokers": {"betweenness": [{"id": "b", "name": "Pharmacie du Midi", "value": 1.0}]},
        "opportunities": [
            {
                "actors": [{"id": "a"}, {"id": "c"}],
                "introducer": {"id": "b"},
                "shared": {"themes": ["<b>work</b>"], "languages": ["ar"]},
                "reason": "the analysis' English sentence",
            }
        ],
    }
    bridge = bridging_view(g, pos, report, lang="nl")
    dashed = [e for e in bridge.edges if e.get("suggested")]
    assert len(dashed) == 1
    told = dashed[0]["title"]  # plain text: the page escapes it
    # the vocabulary's codes in the reader's language; free text as typed (escaped by the page)
    assert "delen <b>work</b>, Arabisch maar zijn niet verbonden" in told
    assert "Pharmacie du Midi kent beide" in told
    intro = next(n for n in bridge.nodes if n["id"] == "b")
    assert intro["borderWidth"] == 5
    single = {"single_link": [{"id": "a", "through": "b", "reason": "English"}]}
    iso = isolation_view(g, pos, single, lang="en")
    flagged = next(n for n in iso.nodes if n["id"] == "a")
    why = [d[1] for d in flagged["details"] if d[0] == "why"]
    assert why and why[0].endswith("has a single link, with Pharmacie du Midi.")
    growth = growth_view(g, pos, [date(2025, 1, 15), date(2025, 2, 15)], lang="en")
    assert [d["label"] for d in growth.extra["dates"]] == ["2025-01-15", "2025-02-15"]
    assert next(e for e in growth.edges if e["id"] == "l2")["since_day"] == 739311
    with pytest.raises(ValueError):
        ego_view(g, pos, "ghost")
    with pytest.raises(ValueError):
        neighbourhood_view(g, pos, measure="popularity")  # type: ignore[arg-type]


def test_sizes_follow_the_measure() -> None:
    g = nx.MultiDiGraph()
    for n in "hxyz":
        g.add_node(n, name=n, kind="association")
    for n in "xyz":
        g.add_edge("h", n, key=n, type="KNOWS", strength=1)
    pos = layout_positions(g)
    for measure in ("degree", "betweenness", "constraint"):
        view = neighbourhood_view(g, pos, measure=measure)  # type: ignore[arg-type]
        size = {n["id"]: n["value"] for n in view.nodes}
        assert size["h"] > size["x"] == size["y"], measure


def test_large_views_collapse_into_communities() -> None:
    g = nx.MultiDiGraph(nx.relabel_nodes(nx.connected_caveman_graph(12, 25), str))
    for v in g:
        g.nodes[v].update(name=f"actor {v}", kind="association")
    assert neighbourhood_view(g, layout_positions(g)).extra.get("collapse") is None  # 300
    view = neighbourhood_view(g, layout_positions(g), collapse_above=200)
    assert view.extra["collapse"] is True
    groups = [n for n in view.nodes if "group_of" in n]
    assert len(groups) == view.extra["communities"] and 8 <= len(groups) <= 16
    assert all("community" in n for n in view.nodes if "group_of" not in n)
    assert any(e.get("group_edge") for e in view.edges)


def test_growth_dates_start_with_the_first_link() -> None:
    g = nx.MultiDiGraph()
    g.add_node("partner", since=date(2020, 1, 1))  # recorded long before the network began
    g.add_node("team", since=date(2024, 12, 1))
    g.add_edge("partner", "team", since=date(2024, 12, 3))
    dates = growth_dates(g, DEMO_END)
    assert dates[0] == date(2025, 1, 1) and dates[-1] == DEMO_END
    assert all(d.day == 1 for d in dates[:-1]) and len(dates) == 23  # Jan 2025 … Oct 2026, end
    assert len(growth_dates(nx.MultiDiGraph(), DEMO_END)) == 1


def test_maillage_view_saves_every_view_for_a_meeting(tmp_path: Path) -> None:
    """`maillage view WHAT --output FILE` writes one page per view (the browser tests open
    the same pages)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "MAILLAGE_STORE": "sqlite", "MAILLAGE_DB": str(tmp_path / "m.db")}
    root = Path(__file__).resolve().parents[2]

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "api.cli", *args],
            env=env, cwd=root, capture_output=True, text=True, check=False, timeout=300,
        )  # fmt: skip

    assert cli("demo").returncode == 0
    store = SqliteGraphStore(tmp_path / "m.db")
    ids = {a.name: a.id for a in store.list_actors(limit=1000).items}
    store.close()
    asks = {
        "neighbourhood": ["--measure", "constraint", "--lang", "nl"],
        "ego": ["--actor", ids["Éducateurs de rue Odon"], "--depth", "2"],
        "path": ["--actor", ids["Magazin Carpați"], "--target", ids["Mosquée Al-Hidaya"]],
        "bridging": ["--neighbourhood", "Cureghem-Lemmens"],
        "isolation": ["--as-of", "2026-06-01"],
        "growth": ["--lang", "en"],
    }
    for what, extra in asks.items():
        out = tmp_path / f"{what}.html"
        done = cli("view", what, "--output", str(out), *extra)
        assert done.returncode == 0, done.stderr
        data = _payload(out.read_text(encoding="utf-8"))
        assert data["view"] == what and data["nodes"], what
    nl = _payload((tmp_path / "neighbourhood.html").read_text(encoding="utf-8"))
    assert nl["text"]["legend"] == "Legende"  # type: ignore[index]
    refused = cli("view", "ego", "--output", str(tmp_path / "x.html"))
    assert refused.returncode == 1 and "--actor" in refused.stderr
    unknown = cli("view", "hairball", "--output", str(tmp_path / "x.html"))
    assert unknown.returncode == 2 and "neighbourhood" in unknown.stderr


def test_a_new_actor_lands_beside_its_first_neighbour(tmp_path: Path) -> None:
    """An actor recorded without a link waits beside the map without a stored place; once it
    has a link, it is placed next to that neighbour (it stayed at the far edge before)."""
    import math

    from tests.conftest import with_places

    store = with_places(SqliteGraphStore(tmp_path / "m.db"))
    first = [store.create_actor({"name": f"Asbl {i}", "kind": "association",
                                 "neighbourhood": "Midi"}, by="t") for i in range(12)]  # fmt: skip
    for a, b in pairwise(first):
        store.create_link({"source": a.id, "target": b.id, "type": "KNOWS"}, by="t")
    build_view(store, ViewName.neighbourhood)
    placed = store.positions()
    late = store.create_actor({"name": "Épicerie Tardive", "kind": "trader",
                               "neighbourhood": "Midi"}, by="t")  # fmt: skip
    build_view(store, ViewName.neighbourhood)
    assert late.id not in store.positions()  # no link yet: no place of its own
    store.create_link({"source": late.id, "target": first[5].id, "type": "KNOWS"}, by="t")
    build_view(store, ViewName.neighbourhood)
    now = store.positions()
    assert all(now[a.id] == placed[a.id] for a in first)  # nobody else moved
    steps = [math.dist(placed[a.id], placed[b.id]) for a, b in pairwise(first)]
    assert math.dist(now[late.id], now[first[5].id]) < 3 * max(steps)
    store.close()
