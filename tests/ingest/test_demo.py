"""The demo neighbourhood: coherent actors, believable names and places, and a story that the
analyses tell back."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import networkx as nx
import pytest

from api import analyses
from graph.model import ActorKind, EventFilter, LinkFilter, normalise_name
from graph.sqlite_store import SqliteGraphStore
from graph.store import GraphStore
from ingest.demo import DEMO_END, WORKERS, DemoData, generate, load, spec


@pytest.fixture(scope="module")
def data() -> DemoData:
    return generate()


def test_same_seed_same_neighbourhood() -> None:
    assert generate(7) == generate(7)
    assert generate(7).links != generate(8).links


def test_every_actor_fits_its_kind_and_subtype(data: DemoData) -> None:
    vocabulary = spec().subtypes
    assert set(vocabulary) == {k.value for k in ActorKind}
    templates = spec().templates
    for actor, role in zip(data.actors, data.roles, strict=True):
        kind, subtype = actor["kind"], actor["subtype"]
        assert subtype in vocabulary[kind], f"{actor['name']}: {subtype} is not a {kind}"
        fitting = [
            t
            for t in templates
            if (t.role, t.kind, t.subtype) == (role, kind, subtype)
            and all(set(actor[f]) <= t.allows(f) for f in ("themes", "target_groups", "languages"))
            and set(t.languages) <= set(actor["languages"])
        ]
        if role not in ("team", "worker", "host"):
            assert fitting, f"{actor['name']} does not fit any {subtype} template"
            assert all(t.lang in actor["languages"] for t in fitting), actor["name"]


def test_rules_a_neighbourhood_worker_would_check(data: DemoData) -> None:
    """Contradictions the old random demo had: none may come back."""
    for a in data.actors:
        name, kind, subtype = a["name"], a["kind"], a["subtype"]
        themes, languages = set(a["themes"]), set(a["languages"])
        if subtype.startswith("Dutch-language") or re.match(r"(Basisschool|Atheneum)\b", name):
            assert "nl" in languages, name
        if subtype.startswith("French-language"):
            assert "fr" in languages, name
        if re.match(r"(Market|Fırın|Kahvehane)\b", name):
            assert {"tr", "fr"} <= languages, name
        if kind == "trader":
            assert subtype not in spec().subtypes["health_actor"], name
            assert "trade" in themes or subtype == "pharmacy", name
        if kind == "health_actor":
            assert themes & {"health", "mental health"}, name
        if kind == "place_of_worship":
            assert "religion" in themes, name
        if kind == "school":
            assert themes & {"education", "training", "parenting"}, name
        if subtype == "pharmacy":
            assert "health" in themes and "religion" not in themes, name


def test_names_are_different_names_never_numbered(data: DemoData) -> None:
    names = [a["name"] for a in data.actors]
    assert len({normalise_name(n) for n in names}) == len(names)
    numbered = re.compile(r"(\s(I{1,3}|IV|V|VI{0,3}|IX|X)|\s\d+|n°\s*\d+)$")
    assert not [n for n in names if numbered.search(n)]
    # a name made of a place word sits in that place
    for a in data.actors:
        for place in spec().places:
            if a["name"].endswith(f" {place.fr}") and place.fr != place.nl:
                assert a["address"].startswith(place.street_fr), a["name"]


def test_addresses_in_french_or_dutch_inside_the_area(data: DemoData) -> None:
    streets = {p.street_fr for p in spec().places} | {p.street_nl for p in spec().places}
    dutch_streets = {p.street_nl for p in spec().places} - {p.street_fr for p in spec().places}
    for a in data.actors:
        if a["kind"] == "bar_team" and a["subtype"] == "BAR worker":
            assert "address" not in a  # a worker is a person: no address
            continue
        street, _, rest = a["address"].rpartition(",")[0].rpartition(" ")
        assert street in streets and rest.isdigit(), a["address"]
        assert a["address"].endswith(", 1070 Anderlecht")
        if street in dutch_streets:
            assert "nl" in a["languages"], a["name"]
        assert 50.832 < a["latitude"] < 50.850 and 4.314 < a["longitude"] < 4.336, a["name"]


def test_shape_of_the_neighbourhood(data: DemoData) -> None:
    assert 150 <= len(data.actors) <= 260
    kinds = Counter(a["kind"] for a in data.actors)
    assert set(kinds) == {k.value for k in ActorKind}
    assert {worker for _, worker, _ in data.links} == set(WORKERS)
    assert {month for month, _, _ in data.links} == set(range(24))
    per_year = Counter(month // 12 for month, _, _ in data.links)
    assert per_year[1] > per_year[0] / 2  # the team keeps recording in its second year
    linked = {row["source"] for _, _, row in data.links} | {
        row["target"] for _, _, row in data.links
    }
    assert not linked & set(data.isolated)
    assert len(data.isolated) == 3
    assert data.activities and data.referrals
    # no link before either of its actors exists
    for _, _, row in data.links:
        since = date.fromisoformat(row["since"])
        assert since >= data.since(row["source"]) and since >= data.since(row["target"])


def test_loads_into_the_store_with_clusters_and_isolates(store: GraphStore) -> None:
    counts = load(store)
    data = generate()
    assert counts["actors"] == len(data.actors)
    assert counts["links"] == len(data.links)
    assert counts["activities"] == len(data.activities)
    assert counts["referrals"] == len(data.referrals)
    graph = store.snapshot(as_of=DEMO_END)
    simple = nx.Graph(graph.to_undirected())
    names = {d["name"] for n, d in simple.nodes(data=True) if simple.degree(n) == 0}
    assert names == {data.actors[i]["name"] for i in data.isolated}
    clusters = nx.community.louvain_communities(simple, seed=1)
    assert len([c for c in clusters if len(c) > 15]) >= 3
    early = store.list_links(LinkFilter(as_of=date(DEMO_END.year - 1, DEMO_END.month, 1)), limit=1)
    late = store.list_links(LinkFilter(as_of=DEMO_END), limit=1)
    assert early.total < late.total
    assert store.list_events(EventFilter(user="joris"), limit=1).total > 0


def test_the_analyses_tell_the_story_back(tmp_path: Path, data: DemoData) -> None:
    store = SqliteGraphStore(tmp_path / "demo.db")
    load(store)
    names = [a["name"] for a in data.actors]
    story = data.story

    def rank(day: date, pair: tuple[int, int, int]) -> int | None:
        found = analyses.run_bridging(store, day)["opportunities"]
        want = {names[pair[0]], names[pair[1]]}
        for k, o in enumerate(found):
            if {a["name"] for a in o["actors"]} == want:
                assert o["introducer"]["name"] == names[pair[2]]
                return k
        return None

    # the team arrives hosted by its partner and tops betweenness through its workers
    bridging = analyses.run_bridging(store, DEMO_END)
    assert all("(BAR)" in b["name"] for b in bridging["brokers"]["betweenness"][:3])
    # the ONE consultation and the mothers' group: an opportunity before month 15, then a link
    before = data.first_day(story.realised_month) - timedelta(days=1)
    assert (k := rank(before, story.realised)) is not None and k < 3
    assert rank(DEMO_END, story.realised) is None
    # ... and then a health-information action gathering six actors, both of them among them
    action = data.activities[story.health_action]
    assert len(action["participants"]) == 6 and action["mission"] == "collective"
    assert set(story.realised) <= set(action["participants"])
    assert date.fromisoformat(action["since"]) > before
    # today's open opportunity ranks in the top three
    assert (k := rank(DEMO_END, story.open)) is not None and k < 3
    # two groups isolated at the start of the second year are reached
    diff = analyses.run_compare(store, data.first_day(12), DEMO_END)
    reached = {a["name"] for a in diff["isolated_reached"]}
    assert {names[i] for i in story.reached} <= reached
    # three actors are still isolated: a new shop, a prayer room, an unmet youth collective
    isolation = analyses.run_isolation(store, DEMO_END)
    assert {a["name"] for a in isolation["isolated"]} == {names[i] for i in story.isolated}
    # the CPAS antenna, and only it, looks saturated
    year = analyses.run_referrals(store, DEMO_END - timedelta(days=365), DEMO_END)
    warned = [w["service"]["name"] for w in year["saturation_warnings"]]
    assert warned == [names[story.saturated]]
    # a phone shop closed in month 18
    closed = data.actors[story.closed]["name"]
    assert closed not in {d["name"] for _, d in store.snapshot(DEMO_END).nodes(data=True)}
