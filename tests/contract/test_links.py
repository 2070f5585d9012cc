"""Links, ego networks and introduction paths — on both stores."""

from __future__ import annotations

import itertools
import random
from datetime import date

import networkx as nx
import pytest

from graph.errors import Conflict, InvalidInput, NotFound
from graph.model import LinkFilter, LinkType, Mission, today
from graph.paths import MAX_HOPS, rank_introduction_paths
from graph.store import GraphStore

from .helpers import actor, state


def test_record_a_link_with_three_fields(store: GraphStore) -> None:
    a = actor(store, "Maison de quartier")
    b = actor(store, "Pharmacie du Midi", kind="trader")
    link = store.create_link({"source": a.id, "target": b.id, "type": "KNOWS"}, by="ana")
    assert link.mission is Mission.networking
    assert link.strength == 1
    assert link.directed is False
    assert link.since == today()
    assert link.recorded_by == "ana"
    assert store.get_link(link.id) == link


def test_directed_types_are_marked(store: GraphStore) -> None:
    a = actor(store, "BAR Cureghem", kind="bar_team")
    b = actor(store, "CPAS", kind="public_service")
    link = store.create_link(
        {"source": a.id, "target": b.id, "type": "REFERS_TO", "mission": "referral", "strength": 3},
        by="ana",
    )
    assert link.directed is True
    assert link.type is LinkType.REFERS_TO
    # the reverse direction is another link
    back = store.create_link({"source": b.id, "target": a.id, "type": "REFERS_TO"}, by="ana")
    assert back.id != link.id


def test_a_second_open_link_of_the_same_type_is_a_conflict(store: GraphStore) -> None:
    a = actor(store, "Comité des locataires", kind="resident_group")
    b = actor(store, "Logement social", kind="public_service")
    first = store.create_link(
        {"source": a.id, "target": b.id, "type": "KNOWS", "since": "2024-03-01"}, by="ana"
    )
    before = state(store)
    with pytest.raises(Conflict) as caught:
        store.create_link({"source": b.id, "target": a.id, "type": "KNOWS"}, by="bo")
    assert caught.value.details["existing_id"] == first.id
    assert state(store) == before
    # another type is another link, and an ended link can be recorded again
    store.create_link({"source": a.id, "target": b.id, "type": "COLLABORATES_WITH"}, by="bo")
    store.end_link(first.id, today(), by="bo")
    again = store.create_link({"source": a.id, "target": b.id, "type": "KNOWS"}, by="bo")
    assert again.id != first.id


def test_links_need_existing_actors_and_two_different_ones(store: GraphStore) -> None:
    a = actor(store, "Club de foot")
    before = state(store)
    with pytest.raises(InvalidInput) as caught:
        store.create_link({"source": a.id, "target": "ghost", "type": "KNOWS"}, by="ana")
    assert caught.value.details[0]["field"] == "target"
    with pytest.raises(InvalidInput) as caught:
        store.create_link({"source": a.id, "target": a.id, "type": "KNOWS"}, by="ana")
    assert "two different actors" in caught.value.message
    with pytest.raises(InvalidInput):
        store.create_link({"source": a.id, "target": "x", "type": "LOVES"}, by="ana")
    with pytest.raises(InvalidInput):
        store.create_link({"source": a.id, "target": "x", "type": "KNOWS", "strength": 4}, by="ana")
    assert state(store) == before


def test_update_link_including_its_type(store: GraphStore) -> None:
    a = actor(store, "Asbl Sésame")
    b = actor(store, "Centre culturel")
    link = store.create_link({"source": a.id, "target": b.id, "type": "KNOWS"}, by="ana")
    updated = store.update_link(
        link.id, {"type": "PARTNER_OF", "strength": 3, "note": "projet été"}, by="bo"
    )
    assert updated.type is LinkType.PARTNER_OF
    assert updated.strength == 3
    assert updated.id == link.id
    assert store.get_link(link.id) == updated
    assert store.list_links(LinkFilter(type=LinkType.KNOWS)).total == 0
    assert store.list_links(LinkFilter(type=LinkType.PARTNER_OF)).total == 1


def test_end_link_and_read_as_of_dates(store: GraphStore) -> None:
    a = actor(store, "Maison des jeunes", since="2023-01-01")
    b = actor(store, "Service de prévention", since="2023-01-01")
    link = store.create_link(
        {"source": a.id, "target": b.id, "type": "COLLABORATES_WITH", "since": "2024-03-01"},
        by="ana",
    )
    ended = store.end_link(link.id, date(2025, 6, 1), by="bo")
    assert ended.until == date(2025, 6, 1)
    assert store.list_links(LinkFilter(as_of=date(2024, 2, 1))).total == 0
    assert store.list_links(LinkFilter(as_of=date(2024, 3, 1))).total == 1
    assert store.list_links(LinkFilter(as_of=date(2025, 5, 31))).total == 1
    assert store.list_links(LinkFilter(as_of=date(2025, 6, 1))).total == 0
    assert store.list_links().total == 0
    assert store.get_link(link.id, as_of=date(2024, 6, 1)).id == link.id
    with pytest.raises(NotFound):
        store.get_link(link.id, as_of=date(2025, 7, 1))
    with pytest.raises(Conflict):
        store.end_link(link.id, today(), by="bo")


def test_ending_an_actor_ends_its_open_links(store: GraphStore) -> None:
    a = actor(store, "Snack Le Palmier", kind="trader")
    b = actor(store, "Marché du dimanche")
    c = actor(store, "Asbl Partage")
    store.create_link({"source": a.id, "target": b.id, "type": "KNOWS"}, by="ana")
    store.create_link({"source": c.id, "target": a.id, "type": "INFORMS"}, by="ana")
    keep = store.create_link({"source": b.id, "target": c.id, "type": "KNOWS"}, by="ana")
    store.end_actor(a.id, today(), by="bo")
    assert [link.id for link in store.list_links().items] == [keep.id]
    ended = store.list_events(filters=None).items[-3:]
    assert [e.action.value for e in ended] == ["end", "end", "end"]


def test_list_links_filters(store: GraphStore) -> None:
    a = actor(store, "A")
    b = actor(store, "B")
    c = actor(store, "C")
    store.create_link({"source": a.id, "target": b.id, "type": "KNOWS"}, by="ana")
    store.create_link(
        {"source": b.id, "target": c.id, "type": "REFERS_TO", "mission": "referral"}, by="bo"
    )
    assert store.list_links(LinkFilter(actor=b.id)).total == 2
    assert store.list_links(LinkFilter(actor=a.id)).total == 1
    assert store.list_links(LinkFilter(mission=Mission.referral)).total == 1
    assert store.list_links(LinkFilter(recorded_by="bo")).total == 1


def _chain(store: GraphStore) -> dict[str, str]:
    """a - b - c - d, and a - e - d (stronger), and f alone."""
    ids = {n: actor(store, n.upper() + " asbl", since="2023-01-01").id for n in "abcdef"}

    def link(s: str, t: str, strength: int = 1, since: str = "2024-01-01") -> None:
        store.create_link(
            {
                "source": ids[s],
                "target": ids[t],
                "type": "KNOWS",
                "strength": strength,
                "since": since,
            },
            by="ana",
        )

    link("a", "b")
    link("b", "c")
    link("c", "d", since="2025-01-01")
    link("a", "e", 2)
    link("e", "d", 3, since="2025-02-01")
    return ids


def test_ego_network_by_depth_and_date(store: GraphStore) -> None:
    ids = _chain(store)
    one = store.ego_network(ids["a"], depth=1)
    assert {n.actor.id: n.distance for n in one.nodes} == {ids["a"]: 0, ids["b"]: 1, ids["e"]: 1}
    assert len(one.links) == 2
    two = store.ego_network(ids["a"], depth=2)
    assert {n.actor.id for n in two.nodes if n.distance == 2} == {ids["c"], ids["d"]}
    assert len(two.links) == 5
    three = store.ego_network(ids["a"], depth=3)
    assert ids["f"] not in {n.actor.id for n in three.nodes}
    past = store.ego_network(ids["a"], depth=3, as_of=date(2024, 6, 1))
    assert {n.actor.id for n in past.nodes} == {ids["a"], ids["b"], ids["c"], ids["e"]}
    with pytest.raises(InvalidInput):
        store.ego_network(ids["a"], depth=4)
    with pytest.raises(NotFound):
        store.ego_network("ghost")


def test_introduction_paths_shortest_first_then_strongest(store: GraphStore) -> None:
    ids = _chain(store)
    paths = store.introduction_paths(ids["a"], ids["d"], k=3)
    assert [p.actors for p in paths] == [
        [ids["a"], ids["e"], ids["d"]],
        [ids["a"], ids["b"], ids["c"], ids["d"]],
    ]
    first = paths[0]
    assert first.length == 2
    assert first.weakest_strength == 2
    assert [h.type for h in first.hops] == [LinkType.KNOWS, LinkType.KNOWS]
    assert first.hops[0].recorded_by == "ana"
    assert first.names == ["A asbl", "E asbl", "D asbl"]
    assert store.introduction_paths(ids["a"], ids["d"], k=1) == paths[:1]
    # before 2025 no chain reached d
    assert store.introduction_paths(ids["a"], ids["c"], as_of=date(2024, 6, 1))[0].length == 2
    with pytest.raises(NotFound):
        store.introduction_paths(ids["a"], ids["d"], as_of=date(2022, 1, 1))
    assert store.introduction_paths(ids["a"], ids["f"]) == []
    with pytest.raises(InvalidInput):
        store.introduction_paths(ids["a"], ids["a"])


def test_ties_are_broken_by_recency(store: GraphStore) -> None:
    ids = {n: actor(store, n, since="2020-01-01").id for n in ["s", "old", "new", "t"]}
    for mid, since in (("old", "2021-01-01"), ("new", "2025-01-01")):
        for end in ("s", "t"):
            store.create_link(
                {"source": ids[end], "target": ids[mid], "type": "KNOWS", "since": since},
                by="ana",
            )
    paths = store.introduction_paths(ids["s"], ids["t"], k=2)
    assert [p.actors[1] for p in paths] == [ids["new"], ids["old"]]


def test_snapshot_carries_domain_fields(store: GraphStore) -> None:
    ids = _chain(store)
    graph = store.snapshot()
    assert graph.number_of_nodes() == 6
    assert graph.number_of_edges() == 5
    assert graph.nodes[ids["a"]]["name"] == "A asbl"
    assert graph.nodes[ids["a"]]["kind"].value == "association"
    edge = next(iter(graph.get_edge_data(ids["e"], ids["d"]).values()))
    assert edge["strength"] == 3
    assert edge["recorded_by"] == "ana"
    past = store.snapshot(as_of=date(2024, 6, 1))
    assert past.number_of_edges() == 3
    assert past.graph["as_of"] == "2024-06-01"
    assert store.snapshot(as_of=date(2022, 6, 1)).number_of_nodes() == 0
    # without a date, the snapshot is today's
    now = store.snapshot(as_of=today())
    assert sorted(now.edges(keys=True)) == sorted(graph.edges(keys=True))


def test_history_holds_ended_links_and_actors(store: GraphStore) -> None:
    ids = _chain(store)
    link = store.list_links(LinkFilter(actor=ids["f"])).items
    assert link == []
    first = store.list_links(LinkFilter(actor=ids["a"])).items[0]
    store.end_link(first.id, today(), by="bo")
    store.end_actor(ids["f"], today(), by="bo")
    history = store.history()
    assert history.number_of_nodes() == 6 and history.number_of_edges() == 5
    ended = [d for _, _, d in history.edges(data=True) if d["until"] is not None]
    assert [d["id"] for d in ended] == [first.id]
    assert history.nodes[ids["f"]]["until"] == today()
    assert store.snapshot().number_of_edges() == 4


def test_local_path_search_equals_ranking_the_whole_snapshot(store: GraphStore) -> None:
    """Paths are searched around the two ends only; the answer must be the global one."""
    rng = random.Random(7)
    shape = nx.powerlaw_cluster_graph(120, 2, 0.3, seed=7)
    actors = store.create_actors(
        [
            {
                "name": f"Actor {i}",
                "kind": "other",
                "neighbourhood": "Cureghem",
                "since": "2024-01-01",
            }
            for i in shape
        ],
        by="ana",
    )
    store.create_links(
        [
            {
                "source": actors[u].id,
                "target": actors[v].id,
                "type": rng.choice(["KNOWS", "INFORMS"]),
                "strength": rng.randint(1, 3),
                "since": f"2024-0{rng.randint(1, 9)}-01",
            }
            for u, v in shape.edges
        ],
        by="ana",
    )
    snapshot = store.snapshot()
    for _ in range(6):
        s, t = rng.sample(range(120), 2)
        for k in (1, 3, 8):
            local = store.introduction_paths(actors[s].id, actors[t].id, k=k)
            expected = rank_introduction_paths(
                snapshot, actors[s].id, actors[t].id, k, max_hops=MAX_HOPS
            )
            assert local == expected


def test_chains_longer_than_the_limit_are_not_proposed(store: GraphStore) -> None:
    chain = [actor(store, f"Link {i}").id for i in range(MAX_HOPS + 2)]
    for a, b in itertools.pairwise(chain):
        store.create_link({"source": a, "target": b, "type": "KNOWS"}, by="ana")
    assert store.introduction_paths(chain[0], chain[MAX_HOPS])[0].length == MAX_HOPS
    assert store.introduction_paths(chain[0], chain[MAX_HOPS + 1]) == []
