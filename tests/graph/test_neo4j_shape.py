"""The Neo4j store as a Neo4j user reads it (docs/NEO4J.md), checked with the plain driver on the
real server: every field a typed property (never only in the JSON ``data``), kinds as labels,
the neighbourhood, participants and referral ends as relationships; a store written by the
previous release migrated whole; the recipes of docs/NEO4J.md answering what the app answers;
the Browser style kept equal to the views' palette."""

from __future__ import annotations

import gzip
import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import neo4j
import orjson
import pytest

from graph.cypher import kind_label
from graph.model import Actor, ActorFilter, EventFilter
from graph.neo4j_store import Neo4jGraphStore
from ingest.demo import load
from tests.conftest import with_places
from tests.helpers import cli
from viz.grass import grass

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parents[2]
RELEASE = Path(__file__).parent / "data" / "neo4j-release-2026-11-30.json.gz"
#: every field an actor can hold, all given
FULL_ACTOR: dict[str, Any] = {
    "name": "Maison médicale Le Noyer", "kind": "health_actor", "neighbourhood": "Cureghem",
    "subtype": "medical house", "address": "Rue du Noyer 12, 1070 Anderlecht",
    "latitude": 50.8412, "longitude": 4.3087, "themes": ["health", "mental health"],
    "languages": ["fr", "ar"], "target_groups": ["elderly"],
    "description": "Soins de première ligne",
    "status": "active", "since": "2023-03-01",
    "phones": [{"label": "reception", "number": "02 520 12 34"},
               {"label": "mobile", "number": "0470 12 34 56"}],
    "email": "accueil@lenoyer.be", "website": "www.lenoyer.be",
    "contacts": [{"name": "Dr Aïcha B.", "role": "coordinatrice", "phone": "02 520 12 35",
                  "email": "aicha@lenoyer.be", "confirmed": "2026-10-01"}],
    "hours": [{"day": "monday", "opens": "08:30", "closes": "12:00"},
              {"day": "wednesday", "opens": "14:00", "closes": "18:00", "walk_in": False,
               "note": "permanence diabète"}],
    "access": {"cost": "free", "appointment": False, "documents": "carte d'identité",
               "desk_languages": ["fr", "ar"], "wheelchair": True},
    "saturation": {"state": "waiting_list", "weeks": 3, "noted": "2026-11-02"},
}  # fmt: skip


@pytest.fixture
def store(neo4j_store: Neo4jGraphStore) -> Iterator[Neo4jGraphStore]:
    neo4j_store.erase_everything(confirm="erase everything")
    yield with_places(neo4j_store)  # type: ignore[misc]


@pytest.fixture
def driver(neo4j_uri: str) -> Iterator[neo4j.Driver]:
    with neo4j.GraphDatabase.driver(neo4j_uri, auth=None) as plain:
        yield plain


def _one(driver: neo4j.Driver, query: str, **params: Any) -> Any:
    records, _, _ = driver.execute_query(query, params)
    assert records, query
    return records[0]


def test_an_actor_reads_as_a_neo4j_user_expects(
    store: Neo4jGraphStore, driver: neo4j.Driver
) -> None:
    made = store.create_actor(FULL_ACTOR, by="amina")
    found = _one(
        driver,
        "MATCH (a:Actor {name: 'Maison médicale Le Noyer'})-[:IN]->(h:Neighbourhood) "
        "RETURN a, labels(a) AS labels, h.name AS place",
    )
    actor = found["a"]
    assert sorted(found["labels"]) == ["Actor", "HealthActor"] and found["place"] == "Cureghem"
    assert actor["address"] == "Rue du Noyer 12, 1070 Anderlecht"
    assert actor["since"] == neo4j.time.Date(2023, 3, 1)
    assert actor["recorded_at"] == made.recorded_at.isoformat()  # a moment: ISO 8601 text
    assert actor["location"] == neo4j.spatial.WGS84Point((4.3087, 50.8412))
    assert actor["phones"] == ["+3225201234", "+32470123456"]
    assert actor["hours"] == ["monday 08:30-12:00",
                              "wednesday 14:00-18:00 (appointment) permanence diabète"]  # fmt: skip
    assert actor["saturation_noted"] == neo4j.time.Date(2026, 11, 2)
    # a date compares as a date: Cypher finds it by a range
    assert _one(driver, "MATCH (a:Actor) WHERE a.since < date('2023-04-01') RETURN a.id AS id")[
        "id"] == made.id  # fmt: skip
    # every field the record holds is a property too (the JSON is never the only place)
    record = orjson.loads(actor["data"])
    _every_field_is_a_property(record, dict(actor))
    # a new kind moves the label; the neighbourhood relationship follows the record
    store.update_actor(made.id, {"kind": "association", "neighbourhood": "Midi"}, by="amina")
    moved = _one(driver, "MATCH (a:Actor {id: $id})-[:IN]->(h) RETURN labels(a) AS labels, "
                 "collect(h.name) AS places", id=made.id)  # fmt: skip
    assert sorted(moved["labels"]) == ["Actor", "Association"] and moved["places"] == ["Midi"]


def _every_field_is_a_property(record: dict[str, Any], props: dict[str, Any]) -> None:
    flattened = {"phones": "phones", "hours": "hours", "contacts": "contacts"}
    for name, value in record.items():
        if value in (None, [], ""):
            continue
        if name in flattened:
            assert len(props[flattened[name]]) == len(value), name
        elif isinstance(value, dict):
            for key, inner in value.items():
                if inner not in (None, []):
                    got = props[f"{name}_{key}"]
                    assert _plain(got) == inner, (name, key)
        else:
            assert _plain(props[name]) == value, name


def _plain(value: Any) -> Any:
    """A property as the JSON record writes it (dates and moments as ISO text)."""
    if isinstance(value, neo4j.time.Date):
        return value.iso_format()
    if isinstance(value, neo4j.time.DateTime):
        return value.to_native().isoformat()
    return value


def test_links_activities_and_referrals_are_relationships(
    store: Neo4jGraphStore, driver: neo4j.Driver
) -> None:
    a = store.create_actor({"name": "AMO Rossini", "kind": "association",
                            "neighbourhood": "Cureghem"}, by="t")  # fmt: skip
    b = store.create_actor({"name": "CPAS antenne Cureghem", "kind": "public_service",
                            "neighbourhood": "Cureghem"}, by="t")  # fmt: skip
    store.create_link({"source": a.id, "target": b.id, "type": "REFERS_TO",
                       "since": "2025-01-10", "strength": 2}, by="t")  # fmt: skip
    store.create_activity({"name": "Info diabète", "mission": "collective",
                           "neighbourhood": "Cureghem", "participants": [a.id, b.id],
                           "since": "2025-03-10"}, by="t")  # fmt: skip
    store.create_referral({"date": "2025-04-01", "from_actor": a.id, "to_actor": b.id,
                           "theme": "housing"}, by="t")  # fmt: skip
    link = _one(driver, "MATCH (:Actor {name: 'AMO Rossini'})-[r:REFERS_TO]->"
                "(:Actor {name: 'CPAS antenne Cureghem'}) RETURN r")["r"]  # fmt: skip
    assert link["since"] == neo4j.time.Date(2025, 1, 10) and link["strength"] == 2
    with_ = _one(driver, "MATCH (n:Activity {name: 'Info diabète'})-[:WITH]->(p:Actor) "
                 "RETURN collect(p.name) AS who, n.since AS since")  # fmt: skip
    assert sorted(with_["who"]) == ["AMO Rossini", "CPAS antenne Cureghem"]
    assert with_["since"] == neo4j.time.Date(2025, 3, 10)
    ends = _one(driver, "MATCH (a)<-[:FROM]-(f:Referral)-[:TO]->(b) "
                "RETURN a.name AS a, b.name AS b, f.date AS day")  # fmt: skip
    assert (ends["a"], ends["b"], ends["day"]) == ("AMO Rossini", "CPAS antenne Cureghem",
                                                   neo4j.time.Date(2025, 4, 1))  # fmt: skip
    # accounts stay apart from the network: no relationship, their own labels
    store.create_user({"name": "joris", "role": "bar", "actor_id": a.id}, "x" * 60, by="t")
    apart = _one(driver, "MATCH (u:User) RETURN count { (u)--() } AS related")
    assert apart["related"] == 0


def _load_release(driver: neo4j.Driver) -> dict[str, Any]:
    with gzip.open(RELEASE, "rt", encoding="utf-8") as file:
        dump = json.load(file)
    with driver.session() as session:
        for node in dump["nodes"]:
            labels = ":".join(node["labels"])
            session.run(f"CREATE (n:{labels}) SET n = $props", props=node["props"]).consume()
        for rel in dump["rels"]:
            session.run(
                f"MATCH (s:Actor {{id: $start}}), (e:Actor {{id: $end}}) "
                f"CREATE (s)-[r:{rel['type']}]->(e) SET r = $props",
                start=rel["start"], end=rel["end"], props=rel["props"],
            ).consume()  # fmt: skip
    return dict(dump)


def test_a_store_written_by_the_previous_release_is_migrated_whole(
    neo4j_store: Neo4jGraphStore, neo4j_uri: str, driver: neo4j.Driver
) -> None:
    neo4j_store.erase_everything(confirm="erase everything")
    dump = _load_release(driver)
    before = {
        n["props"]["id"]: orjson.loads(n["props"]["data"])
        for n in dump["nodes"] if "data" in n["props"]
    }  # fmt: skip
    before |= {r["props"]["id"]: orjson.loads(r["props"]["data"]) for r in dump["rels"]}
    positions = {n["props"]["id"]: (n["props"]["layout_x"], n["props"]["layout_y"])
                 for n in dump["nodes"] if "layout_x" in n["props"]}  # fmt: skip
    events = sum(1 for n in dump["nodes"] if n["labels"] == ["Event"])
    opened = Neo4jGraphStore(neo4j_uri, migrate=False)
    try:
        moved = opened.migrate_shape()
        assert moved == len(before) - sum(1 for n in dump["nodes"] if n["labels"] == ["User"])
        assert opened.migrate_shape() == 0  # done once
        # every record, event and position found again, as it was
        after = {a.id: a for a in opened.list_actors(limit=1000).items}
        for actor_id, actor in after.items():
            assert Actor.model_validate(before[actor_id]) == actor
        links = opened.history().edges(data=True)
        assert len(links) == sum(1 for r in dump["rels"])
        assert opened.counts()["events"] == events
        assert opened.positions() == positions
    finally:
        opened.close()
    # and it reads as the property graph
    actors = sum(1 for n in dump["nodes"] if n["labels"] == ["Actor"])  # ended ones too
    labelled = _one(driver, "MATCH (a:Actor) WHERE size(labels(a)) = 2 RETURN count(a) AS n")
    assert labelled["n"] == actors
    placed = _one(driver, "MATCH (a:Actor)-[:IN]->(:Neighbourhood) RETURN count(a) AS n")["n"]
    assert placed == actors
    shape = _one(driver, "MATCH (m:Meta {key: 'shape'}) RETURN m.version AS v")["v"]
    assert shape == 2


def _recipes() -> list[str]:
    text = (ROOT / "docs" / "NEO4J.md").read_text(encoding="utf-8")
    return re.findall(r"```cypher\n(.*?)```", text, re.S)


def test_the_recipes_of_the_docs_answer_what_the_app_answers(
    store: Neo4jGraphStore, driver: neo4j.Driver
) -> None:
    store.erase_everything(confirm="erase everything")
    load(store)
    paths, isolated, reach, as_of, history, growth = (
        driver.execute_query(q).records for q in _recipes()
    )  # (the recipes, in the order of the docs)
    names = {a.id: a.name for a in store.list_actors(limit=1000).items}
    by_name = {v: k for k, v in names.items()}
    # who knows whom: the app's own paths of introduction, shortest first
    app_paths = store.introduction_paths(by_name["Pharmacie Bara"],
                                         by_name["Maison médicale de la Rosée"], k=10)  # fmt: skip
    shortest = min(len(p.actors) for p in app_paths)
    assert paths and all(len(r["introduction"]) == shortest for r in paths)
    app_shortest = {
        tuple(names[i] for i in p.actors) for p in app_paths if len(p.actors) == shortest
    }
    assert {tuple(r["introduction"]) for r in paths} <= app_shortest
    # isolated: no open link in the snapshot
    graph = store.snapshot()
    alone = sorted(names[n] for n, d in graph.nodes(data=True)
                   if graph.degree(n) == 0 and d["status"] == "active")  # fmt: skip
    assert [r["actor"] for r in isolated] == alone and alone
    # reach: the app's filter
    wanted = store.list_actors(ActorFilter(target_group="elderly", language="ar"), limit=100)
    assert [r["actor"] for r in reach] == sorted(a.name for a in wanted.items) and reach
    # the network on a date: the app's snapshot of that day
    then = store.snapshot(date(2025, 6, 1))
    assert len(as_of) == then.number_of_edges() > 0
    # an actor's history: the app's events about it, in order
    bara = by_name["Pharmacie Bara"]
    told = store.list_events(EventFilter(actor=bara), limit=1000).items
    assert [(r["user"], r["action"]) for r in history] == [(e.user, e.action.value) for e in told]
    assert history
    # growth per month: the links by the month they began
    edges = store.history().edges(data=True)
    months = Counter(str(d["since"])[:7] for *_, d in edges if d.get("since"))
    assert {r["month"].iso_format()[:7]: r["new_links"] for r in growth} == months
    assert all(isinstance(r["month"], neo4j.time.Date) for r in growth)
    for r in isolated:
        assert r["kind"] in {kind_label(a.kind.value) for a in store.list_actors(limit=1000).items}


def test_the_browser_style_is_the_views_palette() -> None:
    assert (ROOT / "docs" / "neo4j" / "maillage.grass").read_text(encoding="utf-8") == grass()


def test_maillage_migrate_moves_an_old_store_in_one_command(
    neo4j_store: Neo4jGraphStore, neo4j_uri: str, driver: neo4j.Driver
) -> None:
    neo4j_store.erase_everything(confirm="erase everything")
    _load_release(driver)
    env = {**os.environ, "MAILLAGE_STORE": "neo4j", "NEO4J_URI": neo4j_uri}
    done = cli("migrate", env=env)
    assert done.returncode == 0, done.stderr
    assert "records moved to the property graph" in done.stdout
    again = cli("migrate", env=env)
    assert again.returncode == 0 and "up to date" in again.stdout
    unplaced = _one(driver, "MATCH (a:Actor) WHERE NOT (a)-[:IN]->() RETURN count(a) AS n")
    assert unplaced["n"] == 0
    # the history too: every event about actors related to them
    loose = _one(driver, "MATCH (e:Event) WHERE size(e.actors) > 0 AND e.entity <> 'link' "
                 "AND NOT (e)-[:ABOUT]->() RETURN count(e) AS n")  # fmt: skip
    assert loose["n"] == 0
