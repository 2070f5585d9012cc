"""Isolation, bridging opportunities, communities, growth and referral flows on crafted
neighbourhoods whose answers are known."""

from __future__ import annotations

from datetime import date

import networkx as nx

from analysis.bridging import bridging, bridging_opportunities, communities, membership
from analysis.growth import compare, dates_between, growth
from analysis.isolation import isolated_actors
from analysis.referrals import referral_flows


def _actor(g: nx.MultiDiGraph, node: str, kind: str = "association", **extra: object) -> None:
    fields = {
        "name": node.capitalize(),
        "kind": kind,
        "neighbourhood": "Cureghem",
        "themes": [],
        "languages": [],
        "target_groups": [],
        "since": date(2024, 1, 1),
        "until": None,
    }
    fields.update(extra)
    g.add_node(node, **fields)


def _link(g: nx.MultiDiGraph, u: str, v: str, **extra: object) -> None:
    fields = {
        "strength": 2,
        "since": date(2025, 1, 1),
        "until": None,
        "recorded_by": "amina",
        "mission": "networking",
        "recorded_at": date(2025, 1, 1),
        "updated_at": None,
    }
    fields.update(extra)
    g.add_edge(u, v, key=f"{u}-{v}", **fields)


def neighbourhood() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    _actor(g, "worker", "bar_team")
    for n in ("a", "b", "c", "d"):
        _actor(g, n)
    _actor(g, "shop", "trader")  # only known through the BAR worker
    _actor(g, "alone")
    _actor(g, "x")
    _actor(g, "y")  # x and y: a pair cut off from the rest
    _actor(g, "old", since=date(2023, 1, 1))
    for u, v in [("worker", "a"), ("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "worker")]:
        _link(g, u, v)
    _link(g, "worker", "shop")
    _link(g, "x", "y")
    _link(g, "old", "d", since=date(2024, 2, 1), recorded_at=date(2024, 2, 1))
    return g


def test_isolation_flags_and_reasons() -> None:
    result = isolated_actors(neighbourhood(), as_of=date(2025, 6, 1), dormant_months=6)
    assert [x["id"] for x in result["isolated"]] == ["alone"]
    assert {x["id"] for x in result["single_link"]} == {"shop", "x", "y", "old"}
    spof = {x["id"]: x for x in result["single_point_of_failure"]}
    assert set(spof) == {"shop"}
    assert "only through Worker" in spof["shop"]["reason"]
    assert [sorted(m["id"] for m in c["members"]) for c in result["cut_off_components"]] == [
        ["x", "y"]
    ]
    dormant = {x["id"] for x in result["dormant"]}
    assert "old" in dormant and "a" not in dormant
    assert result["summary"]["isolated"] == 1
    assert result["parameters"] == {"dormant_months": 6}
    assert result["graph"] == {"actors": 10, "links": 9}


def _two_clusters() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    _actor(g, "bar", "bar_team")
    left = ["l1", "l2", "l3", "l4"]
    right = ["r1", "r2", "r3", "r4"]
    for n in left:
        _actor(g, n, "association", themes=["youth"])
    for n in right:
        _actor(g, n, "place_of_worship", themes=["religion"])
    g.nodes["l1"]["themes"] = ["health", "youth"]
    g.nodes["r1"]["themes"] = ["health", "religion"]
    g.nodes["l1"]["languages"] = g.nodes["r1"]["languages"] = ["ar"]
    for group in (left, right):
        for i, u in enumerate(group):
            for v in group[i + 1 :]:
                _link(g, u, v, strength=3)
    _link(g, "bar", "l1", strength=3)
    _link(g, "bar", "r1", strength=2)
    return g


def test_bridging_opportunity_names_the_introducer_and_why() -> None:
    g = _two_clusters()
    found = communities(nx.Graph(g.to_undirected()), seed=1)
    suggestions = bridging_opportunities(g, membership(found), limit=5)
    best = suggestions[0]
    assert {a["id"] for a in best["actors"]} == {"l1", "r1"}
    assert best["introducer"]["id"] == "bar"
    assert best["shared"]["themes"] == ["health"] and best["shared"]["languages"] == ["ar"]
    assert "Bar knows both" in best["reason"] and "health" in best["reason"]
    # linked pairs and pairs with nothing in common are never suggested
    pairs = [{a["id"] for a in s["actors"]} for s in suggestions]
    assert {"l1", "l2"} not in pairs
    assert all(s["shared"]["themes"] or s["shared"]["target_groups"] for s in suggestions)


def test_the_bar_team_is_never_one_end_of_an_introduction() -> None:
    """The team meets whom it wants: it introduces, it is not introduced."""
    g = nx.MultiDiGraph()
    _actor(g, "team", kind="bar_team", themes=["health"], languages=["fr"])
    _actor(g, "hub", kind="association", themes=["health"])
    _actor(g, "clinic", kind="health_actor", themes=["health"], languages=["fr"])
    _link(g, "team", "hub")
    _link(g, "hub", "clinic")
    found = bridging_opportunities(g, {"team": 0, "hub": 0, "clinic": 1}, limit=5)
    assert found == []
    g.nodes["team"]["kind"] = "association"  # the same shape without the team: proposed
    found = bridging_opportunities(g, {"team": 0, "hub": 0, "clinic": 1}, limit=5)
    assert [{a["id"] for a in f["actors"]} for f in found] == [{"team", "clinic"}]


def test_communities_repeat_with_the_seed_and_report_is_labelled() -> None:
    g = _two_clusters()
    one = bridging(g, as_of=date(2025, 6, 1), seed=3)
    two = bridging(g, as_of=date(2025, 6, 1), seed=3)
    assert one == two
    assert one["as_of"] == "2025-06-01" and one["graph"] == {"actors": 9, "links": 14}
    assert one["parameters"]["betweenness"]["method"] == "exact"
    assert one["brokers"]["betweenness"][0]["id"] == "bar"
    karate = communities(nx.karate_club_graph(), seed=1)
    assert karate["modularity"] > 0.4


def test_growth_series_and_changes() -> None:
    g = nx.MultiDiGraph()
    for n in ("a", "b", "c", "d"):
        _actor(g, n, "association" if n in "ab" else "trader")
    _actor(g, "e", since=date(2025, 3, 10))
    _link(g, "a", "b", since=date(2025, 1, 5), recorded_by="amina")
    _link(g, "c", "d", since=date(2025, 2, 5), recorded_by="joris", mission="community")
    _link(g, "b", "c", since=date(2025, 3, 5), recorded_by="joris")  # joins two parts
    _link(g, "a", "c", since=date(2025, 1, 20), until=date(2025, 2, 20), recorded_by="lucie")
    result = growth(g, start=date(2025, 1, 1), end=date(2025, 4, 1), by_neighbourhood=True)
    points = {p["date"]: p for p in result["overall"]}
    assert list(points) == ["2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01"]
    assert points["2025-01-01"]["links"] == 0 and points["2025-01-01"]["isolated"] == 4
    assert points["2025-02-01"]["links"] == 2 and points["2025-02-01"]["components"] == 2
    assert points["2025-02-01"]["new_links_by_worker"] == {"amina": 1, "lucie": 1}
    assert points["2025-03-01"]["new_links_by_mission"] == {"community": 1}
    assert points["2025-03-01"]["isolated_reconnected"] == 1  # d, linked to c
    assert points["2025-03-01"]["links"] == 2  # a–c ended on 20 February
    april = points["2025-04-01"]
    assert april["actors"] == 5 and april["links"] == 3
    assert april["bridges_created"] == 1
    assert april["components"] == 2 and april["largest_component_share"] == 0.8
    assert april["ei_index_kinds"] == round((1 - 2) / 3, 4)
    assert april["density"] == round(2 * 3 / (5 * 4), 6)
    assert result["neighbourhoods"]["Cureghem"] == result["overall"]
    diff = compare(g, date(2025, 1, 1), date(2025, 4, 1))
    assert [p["id"] for p in diff["joined"]] == ["e"]
    assert len(diff["links_appeared"]) == 3 and diff["links_ended"] == []
    assert {p["id"] for p in diff["isolated_reached"]} == {"a", "b", "c", "d"}


def test_dates_between_handles_month_ends() -> None:
    days = dates_between(date(2024, 1, 31), date(2024, 3, 31), "month")
    assert [d.isoformat() for d in days] == ["2024-01-31", "2024-02-29", "2024-03-31"]
    assert len(dates_between(date(2024, 1, 1), date(2024, 12, 31), "quarter")) == 4


def test_referral_flows_and_saturation() -> None:
    def refs(service: str, plan: list[tuple[int, int, str]]) -> list[dict[str, object]]:
        return [
            {"date": date(2025, m, 3), "to_actor": service, "count": c, "outcome": o}
            for m, c, o in plan
        ]

    steady = refs("ocmw", [(m, 2, "reached") for m in range(1, 7)])
    rising = refs(
        "cpas",
        [(1, 2, "reached"), (2, 2, "reached"), (3, 2, "not_reached"),
         (4, 5, "not_reached"), (5, 5, "not_reached"), (6, 5, "reached")],
    )  # fmt: skip
    result = referral_flows(
        steady + rising,
        {"cpas": "CPAS", "ocmw": "OCMW"},
        start=date(2025, 1, 1),
        end=date(2025, 7, 1),
    )
    services = {s["service"]["id"]: s for s in result["services"]}
    assert services["cpas"]["referred"] == 21 and services["ocmw"]["referred"] == 12
    assert services["ocmw"]["follow_up_rate"] == 1.0
    assert services["cpas"]["series"][0]["follow_up_rate"] == 1.0
    assert [w["service"]["id"] for w in result["saturation_warnings"]] == ["cpas"]
    warning = result["saturation_warnings"][0]
    assert warning["load_before"] == 6 and warning["load_recent"] == 15
    assert "saturated" in warning["reason"]
