"""Layout positions: stored with the data, shared by every view, never part of the history."""

from __future__ import annotations

import math

import pytest

from graph.errors import InvalidInput
from graph.store import GraphStore

from .helpers import actor, state


def test_positions_are_kept_merged_and_replaced(store: GraphStore) -> None:
    a, b, c = (actor(store, n) for n in ("Asbl Un", "Asbl Deux", "Asbl Trois"))
    assert store.positions() == {}
    before = state(store)
    store.save_positions({a.id: (1.5, -2.0), b.id: (0.0, 3.25)})
    assert store.positions() == {a.id: (1.5, -2.0), b.id: (0.0, 3.25)}
    assert state(store) == before  # presentation only: no event
    store.save_positions({b.id: (9.0, 9.0), c.id: (4.0, 4.0)})
    assert store.positions() == {a.id: (1.5, -2.0), b.id: (9.0, 9.0), c.id: (4.0, 4.0)}
    # a view reads its own actors' places only (an unknown id, or one without a place: none)
    assert store.positions([a.id, c.id, "no-such-actor"]) == {a.id: (1.5, -2.0), c.id: (4.0, 4.0)}
    # editing an actor keeps its place
    store.update_actor(a.id, {"description": "moved desk, not position"}, by="ana")
    assert store.positions()[a.id] == (1.5, -2.0)
    store.save_positions({c.id: (5.0, 5.0)}, replace=True)
    assert store.positions() == {c.id: (5.0, 5.0)}


def test_bad_positions_change_nothing(store: GraphStore) -> None:
    a = actor(store, "Asbl Seule")
    store.save_positions({a.id: (1.0, 1.0)})
    for bad in ({a.id: (math.nan, 0.0)}, {a.id: (2.0, 2.0), "ghost": (0.0, 0.0)}):
        with pytest.raises(InvalidInput):
            store.save_positions(bad)
        assert store.positions() == {a.id: (1.0, 1.0)}
