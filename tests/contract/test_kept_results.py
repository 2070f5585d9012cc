"""Results kept per neighbourhood equal a full recomputation (#20.3, #26.2).

A neighbourhood's analyses read only that neighbourhood from the store (and its one-hop ring)
and are kept until a write touches it (``api/kept.py``). Random stories of actors recorded in
three neighbourhoods, links inside and across them, actors moved to another neighbourhood,
links and actors ended, reopened, retracted and erased: after every step, each neighbourhood's
isolation, bridging report and growth series — read through the kept path — equal the same
analyses computed afresh on the whole region's snapshot and history, on both stores. So does
the region's own result. A second process (another store object on the same database, with its
own kept results) sees a write made by the first at its next read.
"""

from __future__ import annotations

import copy
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analysis import bridging as bridging_module
from analysis import graphs
from analysis import growth as growth_module
from analysis.centrality import betweenness
from analysis.graphs import adjacency, per_actor, simple_graph, sorted_pairs
from analysis.isolation import last_activity
from api.analyses import REGISTRY
from api.kept import Kept
from graph.errors import MaillageError
from graph.model import today
from graph.neo4j_store import Neo4jGraphStore
from graph.snapshots import cut
from graph.sqlite_store import SqliteGraphStore
from graph.store import GraphStore
from tests.conftest import with_places

PLACES = ["Cureghem", "Molenbeek", "Midi"]
THEMES = [["youth"], ["health"], ["youth", "health"]]  # introductions to find
ANALYSES = {"isolation": {}, "bridging": {"opportunities": 10}, "growth": {}}
START = today() - timedelta(days=500)
DAYS = st.integers(min_value=0, max_value=480).map(lambda n: START + timedelta(days=n))
PLACE = st.integers(0, len(PLACES) - 1)
STEP = st.one_of(
    st.tuples(st.just("actor"), PLACE, DAYS, st.sampled_from(["association", "trader"])),
    st.tuples(st.just("link"), st.integers(0, 40), st.integers(0, 40), DAYS),
    st.tuples(st.just("move"), st.integers(0, 40), PLACE),
    st.tuples(st.just("end"), st.integers(0, 80), DAYS),
    st.tuples(st.just("reopen"), st.integers(0, 80)),
    st.tuples(st.just("retract"), st.integers(0, 80)),
    st.tuples(st.just("erase"), st.integers(0, 40)),
)


class Whole:
    """The store read as before results were kept per neighbourhood: the whole region's
    snapshot and history every time, the neighbourhood cut from it."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.backend = store.backend

    def snapshot(self, as_of: Any = None, *, neighbourhood: str | None = None) -> nx.MultiDiGraph:
        return self.store.snapshot(as_of)

    def history(self, *, neighbourhood: str | None = None) -> nx.MultiDiGraph:
        return self.store.history()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def _full(store: GraphStore, name: str, place: str | None) -> dict[str, Any]:
    analysis = REGISTRY[name]
    checked = analysis.parameters.model_validate(ANALYSES[name])
    return analysis._make(Whole(store), checked, place).model_dump()


def _apply(store: GraphStore, n: int, step: tuple[Any, ...], made: dict[str, list[str]]) -> None:
    actors, records = made["actors"], made["records"]
    if step[0] == "actor":
        actor = store.create_actor(
            {"name": f"Asbl {n}", "kind": step[3], "neighbourhood": PLACES[step[1]],
             "since": step[2].isoformat(), "themes": THEMES[n % len(THEMES)]}, by="t",
        )  # fmt: skip
        actors.append(actor.id)
        records.append(actor.id)
    elif step[0] == "link" and actors:
        a, b = actors[step[1] % len(actors)], actors[step[2] % len(actors)]
        link = store.create_link(
            {"source": a, "target": b, "type": "KNOWS", "since": step[3].isoformat()}, by="t"
        )
        records.append(link.id)
    elif step[0] == "erase" and actors:  # the events name no one any more: all move on
        gone = actors.pop(step[1] % len(actors))
        records.remove(gone)
        store.erase_actor(gone, by="t", reason="asked by the association")
    elif step[0] == "move" and actors:
        store.update_actor(
            actors[step[1] % len(actors)], {"neighbourhood": PLACES[step[2]]}, by="t"
        )
    elif step[0] in ("end", "reopen", "retract") and records:
        target = records[step[1] % len(records)]
        is_actor = target in actors
        if step[0] == "end":
            (store.end_actor if is_actor else store.end_link)(target, step[2], by="t")
        elif step[0] == "reopen":
            (store.reopen_actor if is_actor else store.reopen_link)(target, by="t")
        else:
            retract = store.retract_actor if is_actor else store.retract_link
            retract(target, by="t", reason="by mistake")


def _fresh(store: GraphStore) -> GraphStore:
    if isinstance(store, Neo4jGraphStore):  # one server: a fresh story each example
        store.erase_everything(confirm="erase everything")
        return with_places(store)
    return with_places(SqliteGraphStore(Path(tempfile.mkdtemp()) / "m.db"))


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(STEP, min_size=4, max_size=22))
@example(  # a story that takes every path: links inside and across, a move, an end, a retraction
    [("actor", 0, START, "association"), ("actor", 0, START, "trader"),
     ("actor", 1, START, "association"), ("link", 0, 1, START), ("link", 1, 2, START),
     ("move", 2, 2), ("end", 3, today()), ("retract", 4), ("reopen", 3), ("link", 2, 0, START)]
)  # fmt: skip
def test_kept_results_equal_a_full_recomputation(
    store: GraphStore, steps: list[tuple[Any, ...]]
) -> None:
    store = _fresh(store)
    kept = Kept()
    made: dict[str, list[str]] = {"actors": [], "records": []}

    def ask(name: str, place: str | None) -> Any:  # as the pages ask: kept, or brought up to date
        return REGISTRY[name](store, ANALYSES[name], place, kept=kept)

    for n, step in enumerate(steps):
        try:
            _apply(store, n, step, made)
        except MaillageError:
            continue  # a refused step (a link to itself, an end before its start…)
        for name in ANALYSES:
            for place in [*PLACES, None]:
                got = ask(name, place)  # kept where the write did not touch it, else made again
                # (the region's growth: brought up to date from the neighbourhoods it touched)
                assert got.model_dump() == _full(store, name, place), (name, place, step)
    for name in ANALYSES:  # asked again with no write since: served as kept, not made again
        for place in [*PLACES, None]:
            before = len(kept.kept)
            assert ask(name, place) is ask(name, place)
            assert len(kept.kept) == before


@pytest.fixture
def two_processes(
    store: GraphStore, tmp_path: Path, request: pytest.FixtureRequest
) -> tuple[GraphStore, GraphStore]:
    """Two store objects on one database, as two server processes hold them."""
    if isinstance(store, Neo4jGraphStore):
        other: GraphStore = Neo4jGraphStore(request.getfixturevalue("neo4j_uri"))
    else:
        other = SqliteGraphStore(tmp_path / "maillage.db")
    request.addfinalizer(other.close)
    return store, other


def test_a_write_in_one_process_is_seen_by_the_next_read_of_another(
    two_processes: tuple[GraphStore, GraphStore],
) -> None:
    first, second = two_processes
    here, there = Kept(), Kept()
    a = first.create_actor({"name": "Asbl A", "kind": "association", "neighbourhood": "Midi"},
                           by="t")  # fmt: skip
    b = first.create_actor({"name": "Asbl B", "kind": "association", "neighbourhood": "Midi"},
                           by="t")  # fmt: skip
    c = first.create_actor({"name": "Asbl C", "kind": "association", "neighbourhood": "Nord"},
                           by="t")  # fmt: skip

    def isolated(kept: Kept, store: GraphStore, place: str) -> set[str]:
        checked = REGISTRY["isolation"].parameters.model_validate({})
        result = kept.get_or_make(
            store, place, ("isolation",), lambda: REGISTRY["isolation"]._make(store, checked, place)
        )
        return {x.id for x in result.isolated}  # type: ignore[attr-defined]

    assert isolated(here, first, "Midi") == {a.id, b.id}
    nord = isolated(here, first, "Nord")
    assert isolated(there, second, "Midi") == {a.id, b.id}
    second.create_link({"source": a.id, "target": b.id, "type": "KNOWS"}, by="t")
    assert isolated(here, first, "Midi") == set()  # the other process's write, seen
    assert isolated(there, second, "Midi") == set()
    clock = here.clock(first)
    nord_version = clock.version("Nord")
    first.update_actor(c.id, {"name": "Asbl C bis"}, by="t")
    assert clock.version("Nord") > nord_version  # a write in Nord moves Nord on…
    midi_version = clock.version("Midi")
    assert isolated(here, first, "Nord") == nord
    second.update_actor(a.id, {"name": "Asbl A bis"}, by="t")
    assert clock.version("Midi") > midi_version
    version = clock.version("Nord")
    second.update_actor(b.id, {"description": "Cours du soir"}, by="t")
    assert clock.version("Nord") == version  # …and a write elsewhere leaves it be


def _same_derived(kept: nx.MultiDiGraph, full: nx.MultiDiGraph) -> None:
    """What the analyses derive from the kept snapshot — patched after a write from the earlier
    one's (``analysis.graphs.derived``) — equals what they derive from a full read."""
    simple, fresh = simple_graph(kept), simple_graph(full)
    assert list(simple.nodes(data=True)) == list(fresh.nodes(data=True))  # fields and order
    pairs = {frozenset((u, v)): d for u, v, d in simple.edges(data=True)}
    assert pairs == {frozenset((u, v)): d for u, v, d in fresh.edges(data=True)}
    assert simple.number_of_edges() == fresh.number_of_edges()
    assert last_activity(kept, kept) == last_activity(full, full)
    assert per_actor(kept, ("last activity",), last_activity) == last_activity(full, full)
    kept_nodes, kept_matrix = adjacency(simple_graph(kept), "weight")
    full_nodes, full_matrix = adjacency(simple_graph(full), "weight")
    assert kept_nodes == full_nodes
    assert (kept_matrix != full_matrix).nnz == 0
    assert sorted_pairs(simple_graph(kept)) == sorted_pairs(simple_graph(full))
    assert _introductions(simple_graph(kept)) == _introductions(simple_graph(full))


def _introductions(simple: nx.Graph) -> dict[tuple[str, str], tuple[float, ...]]:
    """The candidate introductions (patched for a kept snapshot, found afresh for a full read),
    by the two actors, with the tags they share."""
    pairs = bridging_module._introduction_pairs(simple)
    nodes = list(simple.nodes)
    found = {
        (nodes[u], nodes[v]): tuple(float(pairs.shared[f][k]) for f in bridging_module.FIELDS)
        for k, (u, v) in enumerate(zip(pairs.u.tolist(), pairs.v.tolist(), strict=True))
    }
    assert len(found) == len(pairs.u)  # each pair once
    return found


def _copy(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A deep copy: shares no dict with ``graph``."""
    return copy.deepcopy(graph)


def _same_graph(kept: nx.MultiDiGraph, full: nx.MultiDiGraph) -> None:
    assert kept.graph == full.graph
    assert list(kept.nodes(data=True)) == list(full.nodes(data=True))  # fields and order
    edges = {(u, v, k): d for u, v, k, d in kept.edges(keys=True, data=True)}
    assert edges == {(u, v, k): d for u, v, k, d in full.edges(keys=True, data=True)}
    assert kept.number_of_edges() == full.number_of_edges()


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(STEP, min_size=4, max_size=25))
@example(  # an actor ended then reopened: its links come back with it; an erasure between
    [("actor", 0, START, "association"), ("actor", 1, START, "trader"),
     ("actor", 2, START, "association"), ("link", 0, 1, START), ("link", 1, 2, START),
     ("end", 0, today()), ("reopen", 0), ("move", 1, 0), ("erase", 2), ("link", 0, 1, START),
     ("retract", 3)]
)  # fmt: skip
@example(  # the end of a link's target: the graph a reader holds keeps the link
    [("actor", 0, START, "association"), ("actor", 1, START, "trader"),
     ("link", 0, 1, START), ("end", 1, today()), ("link", 1, 0, START)]
)  # fmt: skip
def test_the_whole_store_graph_kept_and_refreshed_equals_a_full_read(
    store: GraphStore, steps: list[tuple[Any, ...]]
) -> None:
    """The region's snapshot and history are read whole once, then brought up to date from the
    actors each write names (``Snapshots.refreshed``): after every step they equal a full
    read, fields, nodes' order and edges, through writes, ends, reopenings, moves, retractions
    and erasures (which make a full read again)."""
    store = _fresh(store)
    kept = Kept()
    refreshed = 0
    refresh = store.refreshed

    new_snapshots = 0  # refreshed into another graph (not the same: nothing it shows changed)

    def counted(*args: Any, **kwargs: Any) -> nx.MultiDiGraph:
        nonlocal refreshed, new_snapshots
        refreshed += 1
        found = refresh(*args, **kwargs)
        new_snapshots += found is not args[0] and not found.graph.get("history")
        return found

    store.refreshed = counted  # type: ignore[method-assign]
    patched = 0
    patch = graphs._patched_simple

    def counted_patch(*args: Any) -> nx.Graph:
        nonlocal patched
        patched += 1
        return patch(*args)

    graphs._patched_simple = counted_patch  # type: ignore[assignment]
    pairs_patched = 0
    patch_pairs = bridging_module._pairs_patched

    def counted_pairs(*args: Any) -> Any:
        nonlocal pairs_patched
        pairs_patched += 1
        return patch_pairs(*args)

    bridging_module._pairs_patched = counted_pairs  # type: ignore[assignment]
    try:
        expected = _refreshed_story(store, kept, steps)
    finally:
        graphs._patched_simple = patch  # type: ignore[assignment]
        bridging_module._pairs_patched = patch_pairs  # type: ignore[assignment]
    assert refreshed == expected  # brought up to date after each write, not read again
    assert patched == new_snapshots  # and so the snapshot's simple graph, not made again
    assert pairs_patched == new_snapshots  # and the candidate introductions


def _refreshed_story(store: GraphStore, kept: Kept, steps: list[tuple[Any, ...]]) -> int:
    """Each step, and the kept graphs compared with a full read: how many refreshes it took."""
    made: dict[str, list[str]] = {"actors": [], "records": []}
    expected, read = 0, False
    before: list[tuple[nx.MultiDiGraph, nx.MultiDiGraph]] = []
    for n, step in enumerate(steps):
        marks = store.event_marks()
        try:
            _apply(store, n, step, made)
        except MaillageError:
            continue
        if store.event_marks() == marks:
            continue  # nothing to do (a link asked before any actor)
        expected += 2 * (read and step[0] != "erase")  # an erasure: both read again whole
        read = True
        _same_graph(kept.graph(store, None, None), store.snapshot())
        _same_graph(kept.graph(store, None, None, history=True), store.history())
        _same_derived(kept.graph(store, None, None), store.snapshot())
        for old, as_it_was in before:  # what a reader still holds is left as it was
            _same_graph(old, as_it_was)
        before = [(g, _copy(g)) for g in (kept.graph(store, None, None),
                                          kept.graph(store, None, None, history=True))]  # fmt: skip
    return expected


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(STEP, min_size=4, max_size=22))
@example(  # an actor and a link ended, one reopened, a move, a retraction: days on each edge
    [("actor", 0, START, "association"), ("actor", 1, START + timedelta(days=9), "trader"),
     ("actor", 2, START, "association"), ("link", 0, 1, START + timedelta(days=20)),
     ("link", 1, 2, START), ("end", 0, START + timedelta(days=30)), ("end", 4, today()),
     ("move", 1, 2), ("retract", 3), ("link", 2, 0, START)]
)  # fmt: skip
@example(  # a link ended, then another to a second actor, then a new one to the first again:
    # the read takes them in id order, not the order the history first met each pair in
    [("actor", 0, START, "association"), ("actor", 0, START, "trader"),
     ("actor", 0, START, "association"), ("link", 0, 1, START),
     ("end", 3, START + timedelta(days=30)), ("link", 0, 2, START), ("link", 0, 1, START)]
)  # fmt: skip
def test_a_snapshot_cut_from_the_kept_history_equals_a_read(
    store: GraphStore, steps: list[tuple[Any, ...]]
) -> None:
    """The region's snapshot on any day, cut from its kept history (``graph.snapshots.cut``),
    equals the snapshot read on that day: the same actors and links in the same order, the
    same fields, on the days where records begin and end (and the day before), and today."""
    store = _fresh(store)
    made: dict[str, list[str]] = {"actors": [], "records": []}
    for n, step in enumerate(steps):
        try:
            _apply(store, n, step, made)
        except MaillageError:
            continue
    history = store.history()
    edges = [d for *_, d in history.edges(data=True)]
    bounds = {d[key] for d in [*history._node.values(), *edges] for key in ("since", "until")}
    days = {today(), START} | {day + timedelta(days=k) for day in bounds - {None} for k in (-1, 0)}
    for day in sorted(d for d in days if d <= today()):
        made_cut, read = cut(history, day), store.snapshot(day)
        assert made_cut.graph == read.graph
        assert list(made_cut.nodes(data=True)) == list(read.nodes(data=True)), day
        assert list(made_cut.edges(keys=True, data=True)) == list(
            read.edges(keys=True, data=True)
        ), day
    kept = Kept()  # a page that read the history first is given the cut, the store not read
    kept.graph(store, None, None, history=True)
    read_again = store.snapshot
    store.snapshot = None  # type: ignore[assignment,method-assign]
    try:
        _same_graph(kept.graph(store, None, START), read_again(START))
    finally:
        store.snapshot = read_again  # type: ignore[method-assign]
    with pytest.raises(ValueError, match="whole store"):
        cut(store.history(neighbourhood="Midi"), today())


def test_a_past_day_unchanged_by_a_write_keeps_its_snapshot_and_what_was_derived(
    store: GraphStore,
) -> None:
    """A write today does not change a year-old snapshot (the indicators' start, a comparison's
    first day): the kept graph stays the same object, and the measures derived from it hold; a
    write that does change it (a link dated back) makes another, equal to a full read."""
    kept = Kept()
    past = today() - timedelta(days=300)
    since = (today() - timedelta(days=400)).isoformat()
    fields = {"kind": "association", "neighbourhood": "Midi", "since": since}
    a, b, c = (store.create_actor({"name": f"Asbl {x}", **fields}, by="t") for x in "ABC")
    store.create_link({"source": a.id, "target": b.id, "type": "KNOWS", "since": since}, by="t")
    before = kept.graph(store, None, past)
    measured = betweenness(simple_graph(before))
    store.create_link({"source": b.id, "target": c.id, "type": "KNOWS"}, by="t")  # today
    after = kept.graph(store, None, past)
    assert after is before
    assert betweenness(simple_graph(after)) is measured  # kept, not measured again
    _same_graph(after, store.snapshot(past))
    store.create_link({"source": a.id, "target": c.id, "type": "KNOWS", "since": since}, by="t")
    dated_back = kept.graph(store, None, past)
    assert dated_back is not before
    _same_graph(dated_back, store.snapshot(past))
    assert dated_back.has_edge(a.id, c.id)


def test_the_region_growth_after_a_write_measures_again_only_the_neighbourhoods_it_touched(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A link recorded in Midi: the region's growth measures Midi's series again and takes
    Cureghem's and Molenbeek's from the result it kept; equal to a full recomputation. A link
    across two neighbourhoods measures both again; an erasure (the events cannot say where)
    measures every one."""
    store = _fresh(store)
    kept = Kept()
    since = (today() - timedelta(days=200)).isoformat()
    ids = {
        place: [store.create_actor({"name": f"Asbl {place} {n}", "kind": "association",
                                    "neighbourhood": place, "since": since}, by="t").id
                for n in range(3)]
        for place in PLACES
    }  # fmt: skip
    measured: list[list[str]] = []
    grouped = growth_module._grouped_series

    def counted(h: Any, days: Any, codes: list[str]) -> Any:
        measured.append(codes)
        return grouped(h, days, codes)

    monkeypatch.setattr(growth_module, "_grouped_series", counted)

    def region_growth() -> list[str]:
        """The region's growth (compared with a full recomputation): the neighbourhoods it
        measured."""
        measured.clear()
        got = REGISTRY["growth"](store, {}, None, kept=kept).model_dump()
        (asked,) = measured
        assert got == _full(store, "growth", None)
        return asked

    def link(a: str, b: str) -> None:
        store.create_link({"source": a, "target": b, "type": "KNOWS", "since": since}, by="t")

    assert region_growth() == ["cureghem", "midi", "molenbeek"]
    link(ids["Midi"][0], ids["Midi"][1])
    assert region_growth() == ["midi"]
    link(ids["Cureghem"][0], ids["Molenbeek"][0])
    assert region_growth() == ["cureghem", "molenbeek"]
    store.erase_actor(ids["Midi"][2], by="t", reason="asked by the association")
    assert region_growth() == ["cureghem", "midi", "molenbeek"]
