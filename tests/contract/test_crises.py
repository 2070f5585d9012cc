"""Crisis lists on both stores: opened for a public, calls recorded one at a time (two at once
both count), closed and kept with their history, refused when wrong, erased with an actor."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from graph.errors import Conflict, InvalidInput, NotFound
from graph.model import CrisisFilter, EventFilter
from graph.store import GraphStore

from .helpers import actor, state


def test_a_crisis_list_records_who_called_whom_and_closes(store: GraphStore) -> None:
    seniors = actor(store, "Amicale des aînés", target_groups=["elderly"])
    pharmacy = actor(store, "Pharmacie Bara", "trader", target_groups=["elderly"])
    crisis = store.create_crisis(
        {"name": "Canicule", "neighbourhood": "Cureghem", "target_group": "personnes âgées",
         "language": "arabe", "since": "2025-07-14"},
        by="amina",
    )  # fmt: skip
    assert crisis.target_group == "elderly" and crisis.language == "ar" and crisis.calls == []
    store.record_call(crisis.id, {"actor": seniors.id, "state": "no_answer"}, by="amina")
    store.record_call(crisis.id, {"actor": pharmacy.id, "state": "done"}, by="joris")
    again = store.record_call(crisis.id, {"actor": seniors.id, "state": "done"}, by="lucie")
    assert [(c.actor, c.state.value, c.by) for c in again.calls] == [
        (pharmacy.id, "done", "joris"),
        (seniors.id, "done", "lucie"),
    ]
    history = store.list_events(EventFilter(entity_id=crisis.id)).items
    assert [e.action.value for e in history] == ["create", "update", "update", "update"]
    assert seniors.id in history[-1].actors
    assert store.list_crises(CrisisFilter(open=True)).total == 1
    closed = store.end_crisis(crisis.id, date(2025, 7, 24), by="amina")
    assert closed.until == date(2025, 7, 24) and len(closed.calls) == 2  # kept
    assert store.list_crises(CrisisFilter(open=False)).items[0].id == crisis.id
    assert store.get_crisis(crisis.id).calls == closed.calls
    before = state(store)
    with pytest.raises(Conflict):  # a closed list takes no more calls
        store.record_call(crisis.id, {"actor": seniors.id, "state": "not_yet"}, by="amina")
    assert state(store) == before


def test_bad_crisis_lists_and_calls_change_nothing(store: GraphStore) -> None:
    crisis = store.create_crisis(
        {"name": "Inondation", "neighbourhood": "Cureghem", "theme": "housing"}, by="amina"
    )
    before = state(store)
    for bad in (
        {"name": "Sans public", "neighbourhood": "Cureghem"},
        {"name": "x", "neighbourhood": "Cureghem", "target_group": "elderly",
         "since": "2025-07-14", "until": "2025-07-01"},
        {"name": "x", "target_group": "elderly"},
    ):  # fmt: skip
        with pytest.raises(InvalidInput):
            store.create_crisis(bad, by="amina")
    for call in ({"actor": "ghost", "state": "done"}, {"actor": "x", "state": "maybe"}):
        with pytest.raises(InvalidInput):
            store.record_call(crisis.id, call, by="amina")
    with pytest.raises(NotFound):
        store.record_call("nope", {"actor": "x", "state": "done"}, by="amina")
    assert state(store) == before


def test_two_phones_marking_two_calls_at_once_both_count(store: GraphStore) -> None:
    actors = [actor(store, f"Association {n}", target_groups=["elderly"]) for n in range(6)]
    crisis = store.create_crisis(
        {"name": "Canicule", "neighbourhood": "Cureghem", "target_group": "elderly"}, by="amina"
    )
    errors: list[Exception] = []

    def call(actor_id: str) -> None:
        try:
            store.record_call(crisis.id, {"actor": actor_id, "state": "done"}, by="amina")
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=call, args=(a.id,)) for a in actors]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert {c.actor for c in store.get_crisis(crisis.id).calls} == {a.id for a in actors}


def test_erasing_an_actor_takes_it_off_the_crisis_lists(store: GraphStore) -> None:
    shop = actor(store, "Épicerie du coin", "trader")
    crisis = store.create_crisis(
        {"name": "Canicule", "neighbourhood": "Cureghem", "target_group": "elderly"}, by="amina"
    )
    store.record_call(crisis.id, {"actor": shop.id, "state": "done"}, by="amina")
    store.erase_actor(shop.id, by="coordinator", reason="asked")
    assert store.get_crisis(crisis.id).calls == []


def test_an_actor_placed_on_the_map_keeps_its_sector(store: GraphStore) -> None:
    """The sector its point falls in is kept with the actor; an actor without a point gets the
    one picked; a sector of another neighbourhood is refused."""
    ring = [[4.320, 50.835], [4.330, 50.835], [4.330, 50.845], [4.320, 50.845], [4.320, 50.835]]
    place = next(n for n in store.list_neighbourhoods().items if n.name == "Cureghem")
    store.update_neighbourhood(
        place.id,
        {"sector_codes": ["21001A01-", "21001B00-"],
         "sector_shapes": [{"code": "21001A01-", "geometry": {"type": "Polygon",
                                                               "coordinates": [ring]}}]},
        by="setup",
    )  # fmt: skip
    shop = actor(store, "Épicerie Clemenceau", "trader", latitude=50.84, longitude=4.325)
    assert shop.sector == "21001A01-"
    moved = store.update_actor(shop.id, {"latitude": 50.9, "longitude": 4.4}, by="amina")
    assert moved.sector is None  # outside the drawn sectors now
    lost = actor(store, "Asbl sans adresse")
    assert store.update_actor(lost.id, {"sector": "21001b00-"}, by="amina").sector == "21001B00-"
    before = state(store)
    with pytest.raises(InvalidInput):
        store.update_actor(lost.id, {"sector": "21004A00-"}, by="amina")
    assert state(store) == before
