"""Backup and restore: the way a team moves from the laptop (SQLite) to the server (Neo4j) and
back. A backup restored into an empty store gives the same snapshot on every date, the same
events and the same ids, on both stores and across them; bulk imports are all or nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from graph.bulk import Batch
from graph.errors import Conflict, InvalidInput
from graph.model import EventFilter
from graph.neo4j_store import Neo4jGraphStore
from graph.sqlite_store import SqliteGraphStore
from graph.store import GraphStore
from tests.contract.helpers import actor, state

DATES = [date(2024, 6, 1), date(2025, 3, 1), date(2025, 9, 1), None]


def _history(store: GraphStore) -> None:
    """A small neighbourhood with a past: ended, backdated, retracted, referrals, activity."""
    store.create_neighbourhood(
        {"name": "Cureghem-Bara", "municipality": "Anderlecht"}, by="coordinator"
    )
    house = actor(store, "Maison de Quartier Bonnevie", since="2024-01-01", themes=["youth"])
    shop = actor(store, "Épicerie Chez Fatima", "trader", languages=["ar", "fr"])
    clinic = actor(store, "Maison médicale Le Noyer", "health_actor", themes=["health"])
    gone = actor(store, "Asbl Éphémère", since="2024-02-01")
    store.create_link(
        {"source": house.id, "target": shop.id, "type": "KNOWS", "since": "2023-05-01"}, by="amina"
    )  # fmt: skip  (backdated)
    store.create_link({"source": shop.id, "target": clinic.id, "type": "REFERS_TO",
                       "since": "2025-01-10", "strength": 3}, by="joris")  # fmt: skip
    wrong = store.create_link({"source": house.id, "target": clinic.id, "type": "KNOWS"},
                              by="amina")  # fmt: skip
    store.retract_link(wrong.id, by="amina", reason="recorded by mistake")
    store.create_link({"source": gone.id, "target": house.id, "type": "COLLABORATES_WITH",
                       "since": "2024-03-01"}, by="amina")  # fmt: skip
    store.end_actor(gone.id, date(2025, 6, 30), by="amina")
    store.update_actor(shop.id, {"themes": ["food aid"]}, by="joris")
    store.create_referral({"from_actor": house.id, "to_actor": clinic.id, "theme": "health",
                           "date": "2025-02-03", "count": 2}, by="amina")  # fmt: skip
    store.create_activity({"name": "Café santé", "mission": "collective",
                           "neighbourhood": "Cureghem", "since": "2025-04-01",
                           "participants": [house.id, clinic.id]}, by="amina")  # fmt: skip
    store.create_observation({"kind": "need", "neighbourhood": "Cureghem", "theme": "health",
                              "target_groups": ["elderly"], "sources": [clinic.id],
                              "date": "2025-04-02", "text": "Pas de médecin pour les aînés"},
                             by="amina")  # fmt: skip
    store.save_positions({house.id: (0.5, -1.25), shop.id: (2.0, 3.0)})


def _picture(store: GraphStore) -> dict[str, Any]:
    """Everything a restore must give back, as comparable plain data."""
    out: dict[str, Any] = {}
    for day in DATES:
        graph = store.snapshot(day)
        out[f"nodes {day}"] = sorted((n, sorted(d.items())) for n, d in graph.nodes(data=True))
        out[f"edges {day}"] = sorted(
            (u, v, k, sorted(d.items())) for u, v, k, d in graph.edges(keys=True, data=True)
        )
    history = store.history()
    out["history"] = sorted((n, sorted(d.items())) for n, d in history.nodes(data=True))
    events = store.list_events(EventFilter(), limit=1000).items
    out["events"] = [e.model_dump(exclude={"seq"}) for e in events]
    out["event order"] = [e.id for e in events]
    out["positions"] = store.positions()
    out["referrals"] = [r.model_dump() for r in store.list_referrals().items]
    out["activities"] = [a.model_dump() for a in store.list_activities().items]
    out["observations"] = [o.model_dump() for o in store.list_observations().items]
    assert out["observations"] or not out["referrals"]  # the history holds one
    out["counts"] = store.counts()
    return out


@pytest.fixture
def other(
    store: GraphStore, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[tuple[GraphStore, GraphStore]]:
    """The other kind of store, empty, and a fresh one of the same kind, for the way back."""
    if isinstance(store, SqliteGraphStore):
        neo4j: Neo4jGraphStore = request.getfixturevalue("neo4j_store")
        # the store under test is SQLite: the Neo4j server is free for the other side
        neo4j.erase_everything(confirm="erase everything")
        back = SqliteGraphStore(tmp_path / "back.db")
        yield neo4j, back
        back.close()
    else:
        there = SqliteGraphStore(tmp_path / "there.db")
        yield there, store
        there.close()


def test_backup_restore_gives_the_same_network_events_and_ids_across_stores(
    store: GraphStore, other: tuple[GraphStore, GraphStore]
) -> None:
    _history(store)
    before = _picture(store)
    backup = json.loads(json.dumps(store.backup()))  # as written to a file and read again
    there, back = other
    assert there.is_empty()
    restored = there.restore(backup)
    assert restored["actor"] == 4 and restored["events"] == len(before["events"])
    assert _picture(there) == before
    # and back again (on Neo4j, the store under test is emptied first: it is the way back)
    again = json.loads(json.dumps(there.backup()))
    if isinstance(back, Neo4jGraphStore):
        back.erase_everything(confirm="erase everything")
    back.restore(again)
    assert _picture(back) == before
    # a new write after a restore continues the history
    house = back.list_actors().items[0]
    back.update_actor(house.id, {"description": "after the move"}, by="amina")
    assert back.list_events(EventFilter(entity_id=house.id), limit=100).items[-1].user == "amina"


def test_a_restore_refuses_a_store_that_holds_anything(store: GraphStore) -> None:
    _history(store)
    backup = store.backup()
    kept = state(store)
    with pytest.raises(Conflict, match="not empty"):
        store.restore(backup)
    assert state(store) == kept
    store.create_actor({"name": "Nouveau", "kind": "other", "neighbourhood": "Cureghem"},
                       by="amina")  # fmt: skip
    # told to, it replaces everything, in one transaction
    store.restore(backup, replace=True)
    assert state(store) == kept


def test_a_bad_backup_is_refused_and_writes_nothing(store: GraphStore) -> None:
    _history(store)
    backup = json.loads(json.dumps(store.backup()))
    backup["records"]["actor"][1]["kind"] = "dragon"
    store.restore({"records": {}, "events": []}, replace=True)  # empty it
    assert store.is_empty()
    with pytest.raises(InvalidInput, match="actor 2 of the backup"):
        store.restore(backup)
    assert store.is_empty()


def test_an_import_batch_is_all_or_nothing(store: GraphStore) -> None:
    shop = actor(store, "Épicerie Chez Fatima", "trader")
    kept = state(store)
    batch = Batch(
        new_actors=[
            ("a" * 32, {"name": "Club de foot", "kind": "association", "neighbourhood": "Cureghem"})
        ],
        changed_actors=[(shop.id, {"themes": ["food aid"]})],
        # the second link names an actor that exists nowhere: the whole batch is refused
        new_links=[
            ("c" * 32, {"source": "a" * 32, "target": shop.id, "type": "KNOWS"}),
            ("d" * 32, {"source": "a" * 32, "target": "b" * 32, "type": "KNOWS"}),
        ],
    )
    with pytest.raises(InvalidInput, match="no actor has the id"):
        store.import_batch(batch, by="amina (import: carte.xlsx)")
    assert state(store) == kept
    batch.new_links.pop()
    done = store.import_batch(batch, by="amina (import: carte.xlsx)")
    assert done == {"actors_created": 1, "actors_updated": 1, "links_created": 1,
                    "links_updated": 0}  # fmt: skip
    events = store.list_events(EventFilter(user="amina (import: carte.xlsx)")).items
    assert len(events) == 3
    assert store.get_actor("a" * 32).name == "Club de foot"
