"""Bad input gets a clear error from the project's errors and leaves the store unchanged."""

from __future__ import annotations

from typing import Any

import pytest

from graph.errors import Conflict, InvalidInput
from graph.store import GraphStore

from .helpers import actor, state

BASE = {"name": "Asbl Lien", "kind": "association", "neighbourhood": "Cureghem"}

BAD_ACTORS: list[tuple[str, dict[str, Any], str]] = [
    ("empty name", {"name": ""}, "name"),
    ("blank name", {"name": "   "}, "name"),
    ("unknown kind", {"kind": "bakery"}, "kind"),
    ("until before since", {"since": "2025-01-10", "until": "2025-01-01"}, "before 'since'"),
    ("future date", {"since": "2999-01-01"}, "in the future"),
    ("10 MB name", {"name": "x" * 10_000_000}, "at most 200 characters"),
    ("201 characters", {"name": "é" * 201}, "at most 200 characters"),
    ("unknown field", {"beneficiary": "Jan"}, "beneficiary"),
    ("one coordinate", {"latitude": 50.8}, "latitude and longitude"),
    ("latitude out of range", {"latitude": 123.0, "longitude": 4.3}, "latitude"),
]


@pytest.mark.parametrize(("case", "change", "says"), BAD_ACTORS, ids=[c[0] for c in BAD_ACTORS])
def test_bad_actor_is_refused_and_nothing_is_written(
    store: GraphStore, case: str, change: dict[str, Any], says: str
) -> None:
    actor(store, "Déjà là")
    before = state(store)
    with pytest.raises(InvalidInput) as caught:
        store.create_actor({**BASE, **change}, by="ana")
    assert says in caught.value.message, caught.value.message
    assert len(caught.value.message) < 1000
    assert state(store) == before


def test_a_bad_row_in_a_batch_writes_nothing(store: GraphStore) -> None:
    rows = [{**BASE, "name": f"Asbl {i}"} for i in range(30)]
    rows[17] = {**BASE, "name": ""}
    before = state(store)
    with pytest.raises(InvalidInput) as caught:
        store.create_actors(rows, by="ana")
    assert caught.value.message.startswith("row 17")
    assert state(store) == before


def test_an_actor_in_a_neighbourhood_not_recorded_is_refused_and_nothing_is_written(
    store: GraphStore,
) -> None:
    """On Neo4j the check is part of the write itself (no read before it): refused, the write
    then reads the neighbourhoods to say which one is missing."""
    actor(store, "Déjà là")
    before = state(store)
    with pytest.raises(InvalidInput) as caught:
        store.create_actor({**BASE, "neighbourhood": "Cureghemm"}, by="ana")
    assert "'Cureghemm' is not a recorded neighbourhood" in caught.value.message
    rows = [{**BASE, "name": f"Asbl {i}"} for i in range(5)]
    rows[3] = {**rows[3], "neighbourhood": "Molenbeek-Centre"}
    with pytest.raises(InvalidInput) as caught:
        store.create_actors(rows, by="ana")
    assert caught.value.message.startswith("row 3"), caught.value.message
    assert "'Molenbeek-Centre' is not a recorded neighbourhood" in caught.value.message
    assert state(store) == before
    placed = store.create_actors([{**BASE, "neighbourhood": " cureghem "}], by="ana")
    assert store.get_actor(placed[0].id).neighbourhood == "cureghem"  # compared as names are


def test_a_duplicate_in_a_batch_writes_nothing(store: GraphStore) -> None:
    existing = actor(store, "Asbl 3")
    rows = [{**BASE, "name": f"Asbl {i}"} for i in range(10)]
    before = state(store)
    with pytest.raises(Conflict) as caught:
        store.create_actors(rows, by="ana")
    assert caught.value.details["existing_id"] == existing.id
    with pytest.raises(Conflict):
        store.create_actors([{**BASE, "name": "Zeta"}, {**BASE, "name": "ZETA"}], by="ana")
    assert state(store) == before


def test_a_batch_of_links_is_written_whole(store: GraphStore) -> None:
    actors = store.create_actors([{**BASE, "name": f"Asbl {i}"} for i in range(60)], by="ana")
    rows = [
        {"source": actors[i].id, "target": actors[i + 1].id, "type": "KNOWS"} for i in range(59)
    ]
    links = store.create_links(rows, by="bo")
    assert len(links) == 59
    assert store.list_links(limit=1000).total == 59
    before = state(store)
    bad = [{"source": actors[0].id, "target": actors[5].id, "type": "KNOWS"}] * 2
    with pytest.raises(Conflict):
        store.create_links(bad, by="bo")
    with pytest.raises(InvalidInput):
        store.create_links(
            [
                {"source": actors[0].id, "target": actors[7].id, "type": "KNOWS"},
                {"source": actors[0].id, "target": "ghost", "type": "KNOWS"},
            ],
            by="bo",
        )
    assert state(store) == before


def test_writes_need_a_user(store: GraphStore) -> None:
    before = state(store)
    with pytest.raises(InvalidInput):
        store.create_actor(BASE, by="  ")
    assert state(store) == before
