"""The graphs kept for pages (``Kept.graph``): the whole store's and those of one neighbourhood
are counted apart, so the teams' pages never push out the region's history that every
coordinator page is cut from; each kind forgets its least recently used beyond its number."""

from __future__ import annotations

import pytest

from api import kept as kept_module
from api.kept import Kept
from graph.store import GraphStore
from tests.conftest import PLACES


def test_the_teams_graphs_never_push_out_the_region_s(
    sqlite_store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = sqlite_store
    for place, _ in PLACES:
        store.create_actor({"name": f"Asbl de {place}", "kind": "association",
                            "neighbourhood": place}, by="t")  # fmt: skip
    monkeypatch.setattr(kept_module, "NEIGHBOURHOOD_GRAPHS", 4)
    kept = Kept()
    region = kept.graph(store, None, None, history=True)
    for place, _ in PLACES:  # ten graphs of one neighbourhood, more than either number
        kept.graph(store, place, None)
        kept.graph(store, place, None, history=True)

    read_history, read_snapshot = store.history, store.snapshot
    store.history = store.snapshot = None  # type: ignore[assignment,method-assign]
    try:
        assert kept.graph(store, None, None, history=True) is region  # kept, not read
        kept.graph(store, None, None)  # cut from it, not read
        last = PLACES[-1][0]
        kept.graph(store, last, None, history=True)  # the most recent ones stay
        with pytest.raises(TypeError):  # the first neighbourhood's were forgotten
            kept.graph(store, PLACES[0][0], None)
    finally:
        store.history, store.snapshot = read_history, read_snapshot  # type: ignore[method-assign]
    places = [key[2] for key in kept.graphs if key[2] is not None]
    assert len(places) == 4
    assert kept_module.GRAPHS >= 2 and sum(1 for key in kept.graphs if key[2] is None) == 2
