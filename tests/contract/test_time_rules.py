"""Dates that agree everywhere, on both stores: a link dated before its actors were recorded
moves their ``since`` back (with an event) so every read counts it on the same dates; nothing
new attaches to an ended actor; status and end agree; an empty change writes nothing."""

from __future__ import annotations

from datetime import date

import pytest

from analysis.growth import growth
from graph.errors import InvalidInput
from graph.model import EventAction, EventFilter, LinkFilter
from graph.store import GraphStore

from .helpers import actor, state


def test_a_backdated_link_counts_on_the_same_dates_everywhere(store: GraphStore) -> None:
    a = store.create_actor({"name": "Asbl Neuve", "kind": "association",
                            "neighbourhood": "Cureghem"}, by="ana")  # fmt: skip
    b = store.create_actor({"name": "Club Neuf", "kind": "association",
                            "neighbourhood": "Cureghem"}, by="ana")  # fmt: skip
    link = store.create_link(
        {"source": a.id, "target": b.id, "type": "KNOWS", "since": "2025-03-01"}, by="ana"
    )
    day = date(2025, 6, 1)
    assert store.get_actor(a.id).since == date(2025, 3, 1)  # moved back: the link proves it
    assert [x.id for x in store.list_links(LinkFilter(as_of=day)).items] == [link.id]
    assert {n.actor.id for n in store.ego_network(a.id, as_of=day).nodes} == {a.id, b.id}
    assert [p.actors for p in store.introduction_paths(a.id, b.id, as_of=day)] == [[a.id, b.id]]
    assert store.snapshot(day).has_edge(a.id, b.id)
    series = growth(store.history(), start=date(2025, 2, 1), end=date(2025, 7, 1))["overall"]
    assert [p["links"] for p in series][:3] == [0, 1, 1]
    assert sum(p.get("new_links") or 0 for p in series) == 1  # counted once, in March
    moved = store.list_events(EventFilter(entity_id=a.id)).items[-1]
    assert moved.action is EventAction.update and moved.after is not None
    assert moved.after["since"] == "2025-03-01"


def test_nothing_new_attaches_to_an_ended_actor(store: GraphStore) -> None:
    a = actor(store, "Asbl Fermée")
    b = actor(store, "Asbl Ouverte")
    store.end_actor(a.id, date(2025, 1, 1), by="ana")
    before = state(store)
    for make in (
        lambda: store.create_link(
            {"source": a.id, "target": b.id, "type": "KNOWS", "since": "2025-02-01"}, by="ana"
        ),
        lambda: store.create_referral(
            {"date": "2025-02-01", "from_actor": b.id, "to_actor": a.id, "theme": "housing"},
            by="ana",
        ),
        lambda: store.create_activity(
            {
                "name": "Fête",
                "mission": "community",
                "neighbourhood": "Cureghem",
                "since": "2025-02-01",
                "participants": [a.id, b.id],
            },
            by="ana",
        ),
    ):
        with pytest.raises(InvalidInput, match="ended on 2025-01-01"):
            make()
    assert state(store) == before
    # before its end, a record may still be added (recorded late)
    store.create_link(
        {"source": a.id, "target": b.id, "type": "KNOWS", "since": "2024-06-01"}, by="ana"
    )
    # status and end cannot contradict each other
    with pytest.raises(InvalidInput, match="reopen"):
        store.update_actor(a.id, {"status": "active"}, by="ana")


def test_an_empty_change_writes_nothing(store: GraphStore) -> None:
    a = actor(store, "Asbl Stable")
    before = state(store)
    assert store.update_actor(a.id, {}, by="ana") == store.get_actor(a.id)
    store.update_actor(a.id, {"name": "Asbl Stable"}, by="ana")  # the same value again
    assert state(store) == before
