"""A Neo4j store notes the read statements it runs, with their parameters' types and never
their values, on one node every server process shares; a store started later asks Neo4j to
plan each of them (``EXPLAIN``) before its first page, leaves out one Neo4j refuses, and an
unreadable note costs nothing but the warm-up's head start (graph/neo4j_plans.py)."""

from __future__ import annotations

import json
import logging

import pytest

from graph import cypher, neo4j_plans
from graph.model import ActorFilter
from graph.neo4j_store import Neo4jGraphStore
from tests.conftest import with_places

pytestmark = pytest.mark.neo4j

SECRET = "Maison Zébulon 7731"


def _stored(store: Neo4jGraphStore) -> str | None:
    rows, _, _ = store.driver.execute_query(cypher.PLANS, database_=store.database)
    return rows[0]["statements"] if rows else None


def _cached(store: Neo4jGraphStore) -> int:
    """How many plans Neo4j held, read from the message of the procedure that empties them."""
    rows, _, _ = store.driver.execute_query("CALL db.clearQueryCaches()", database_=store.database)
    words = [w for w in str(rows[0][0]).split() if w.isdigit()]
    return int(words[0]) if words else 0


def test_the_reads_a_store_ran_are_planned_at_the_next_start(neo4j_uri: str) -> None:
    first = Neo4jGraphStore(neo4j_uri)
    try:
        first.erase_everything(confirm="erase everything")
        with_places(first)
        made = first.create_actor(
            {"name": SECRET, "kind": "association", "neighbourhood": "Cureghem"}, by="ana"
        )
        found = first.list_actors(ActorFilter(q="zébulon 7731", neighbourhood="Cureghem"))
        assert [a.id for a in found.items] == [made.id]
        first.snapshot(neighbourhood="Cureghem")
    finally:
        first.close()  # writes what waited for the next write

    second = Neo4jGraphStore(neo4j_uri)
    try:
        stored = _stored(second)
        assert stored is not None
        rows = json.loads(stored)
        texts = [query for query, _ in rows]
        assert len(texts) == len(set(texts)) >= 4
        search = [kind for query, kind in rows if "$q" in query]
        assert search and all(set(kind["m"].values()) <= {"s", "i", "d", "n"} for kind in search)
        # what a reader typed or saw stays out of the graph: only the statements and their types
        for value in (SECRET, "7731", "zébulon", made.id):
            assert value.lower() not in stored.lower()

        _cached(second)
        planned = second.plan_remembered()
        assert planned == len(rows)
        assert _cached(second) >= planned  # each one's plan waits in Neo4j's cache
        # what the first store ran, the second runs with its plan made: same answers
        again = second.list_actors(ActorFilter(q="zébulon 7731", neighbourhood="Cureghem"))
        assert [a.id for a in again.items] == [made.id]
    finally:
        second.close()


def test_stores_add_to_one_note_and_a_refused_or_unreadable_note_costs_nothing(
    neo4j_uri: str, caplog: pytest.LogCaptureFixture
) -> None:
    a, b = Neo4jGraphStore(neo4j_uri), Neo4jGraphStore(neo4j_uri)
    try:
        a.erase_everything(confirm="erase everything")
        with_places(a)
        a.list_actors(ActorFilter(kind="association"))
        b.list_actors(ActorFilter(neighbourhood="Midi"))
        a._remember_plans()
        b._remember_plans()
        texts = [query for query, _ in json.loads(_stored(a) or "[]")]
        assert any("$kind" in q for q in texts) and any("$nb" in q for q in texts)

        good = [q for q in texts if "$kind" in q]
        broken = [["MATCH (n:Actor) RETURN n.nope AS ((", {"m": {}}]]
        note = json.dumps(
            broken
            + [[q, {"m": {"kind": "s", "limit": "i", "offset": "i", "day": "d"}}] for q in good]
        )
        a.driver.execute_query(cypher.SET_PLANS, statements=note, database_=a.database)
        with caplog.at_level(logging.WARNING, logger="maillage.neo4j"):
            assert a.plan_remembered() == len(good)  # the refused one is left out
        assert "Neo4j" in caplog.text

        a.driver.execute_query(cypher.SET_PLANS, statements="{not json", database_=a.database)
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="maillage.neo4j"):
            assert a.plan_remembered() == 0
            a.warm_up()  # a server's start goes on
        assert "could not be read" in caplog.text
    finally:
        a.close()
        b.close()


def test_the_note_keeps_the_latest_statements_only() -> None:
    many = {f"MATCH (n:Actor) WHERE n.id = $id{k} RETURN n": {"m": {f"id{k}": "s"}}
            for k in range(neo4j_plans.MOST + 20)}  # fmt: skip
    kept = json.loads(neo4j_plans.merged(None, many))
    assert len(kept) == neo4j_plans.MOST
    assert kept[0][0] == list(many)[20] and kept[-1][0] == list(many)[-1]
    plans = neo4j_plans.Plans()
    plans.note("MATCH (n) RETURN n LIMIT $limit", {"limit": 5})
    plans.note("MATCH (n) RETURN n LIMIT $limit", {"limit": 6})
    assert plans.due() and plans.take() == {
        "MATCH (n) RETURN n LIMIT $limit": {"m": {"limit": "i"}}
    }
    assert not plans.waiting() and not plans.due()
    plans.note("MATCH (n) RETURN n SKIP $skip", {"skip": 1})
    taken = plans.take()
    plans.give_back(taken)  # its write failed (a Neo4j user without write rights)
    assert plans.waiting() and not plans.due()  # tried again minutes later, not at every read
    plans._written -= neo4j_plans.AFTER_A_FAILURE
    assert plans.due() and plans.take() == taken
