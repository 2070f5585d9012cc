"""An import is written a chunk per transaction, so that other users' writes do not wait for
it, and stays all or nothing: a chunk refused, or an import stopped half way, is undone from
its events (records made deleted, records changed as they were, the events forgotten)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest

import graph.bulk
from graph.bulk import Batch
from graph.errors import InvalidInput
from graph.model import EventFilter
from graph.store import GraphStore
from tests.contract.helpers import actor, state

BY = "amina (import: carte.xlsx)"


def _actors(names: list[str]) -> Batch:
    return Batch(
        new_actors=[
            (f"{i:032x}", {"name": name, "kind": "association", "neighbourhood": "Cureghem"})
            for i, name in enumerate(names, start=1)
        ]
    )


@pytest.fixture
def small_chunks(store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(type(store), "import_chunk", 2)


def test_a_chunk_refused_undoes_the_chunks_written_before(
    store: GraphStore, small_chunks: None
) -> None:
    shop = actor(store, "Épicerie Chez Fatima", "trader", themes=["food aid"])
    house = actor(store, "Maison de Quartier Bonnevie")
    before, shop_before = state(store), store.get_actor(shop.id)
    batch = _actors(["Club de foot", "Atelier vélo", "Repair café", "Potager Clemenceau"])
    batch.changed_actors = [(shop.id, {"themes": ["health"]}), (house.id, {"status": "dormant"})]
    batch.new_links = [
        ("e" * 32, {"source": f"{1:032x}", "target": shop.id, "type": "KNOWS"}),
        ("f" * 32, {"source": f"{2:032x}", "target": "b" * 32, "type": "KNOWS"}),  # no such
    ]
    with pytest.raises(InvalidInput, match="no actor has the id"):
        store.import_batch(batch, by=BY)
    # four chunks were written (actors, changes, the first link) before the last was refused
    assert state(store) == before
    assert store.get_actor(shop.id) == shop_before
    assert store.get_actor(house.id).status.value == "active"
    assert store.list_events(EventFilter(user=BY)).total == 0
    assert store.recover_imports() == 0  # nothing left to undo

    batch.new_links.pop()
    done = store.import_batch(batch, by=BY)
    assert done == {"actors_created": 4, "actors_updated": 2, "links_created": 1,
                    "links_updated": 0}  # fmt: skip
    assert store.get_actor(shop.id).themes == ["health"]
    assert store.list_events(EventFilter(user=BY)).total == 7


def test_an_import_stopped_half_way_is_undone_by_the_next_one(
    store: GraphStore, small_chunks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    actor(store, "Maison de Quartier Bonnevie")
    before = state(store)

    def stopped() -> Iterator[Batch]:
        yield _actors(["Club de foot", "Atelier vélo", "Repair café"])
        raise KeyboardInterrupt  # the process is stopped here, before it can undo anything

    # a process killed does not undo: its journal stays, untouched from then on
    monkeypatch.setattr(type(store), "_undo_import", lambda self, job: None)
    with pytest.raises(KeyboardInterrupt):
        store.import_batches(stopped(), by=BY)
    assert store.counts()["actors"] == 4
    monkeypatch.undo()
    monkeypatch.setattr(type(store), "import_chunk", 2)

    assert store.recover_imports() == 0  # touched a moment ago: it may still be writing
    monkeypatch.setattr(graph.bulk, "STALE_IMPORT", timedelta(0))
    done = store.import_batch(_actors(["Potager Clemenceau"]), by="joris (import: potager.csv)")
    assert done["actors_created"] == 1  # and the stopped import was undone first
    names = {a.name for a in store.list_actors(limit=100).items}
    assert names == {"Maison de Quartier Bonnevie", "Potager Clemenceau"}
    assert store.list_events(EventFilter(user=BY)).total == 0
    assert store.counts()["events"] == before[0]["events"] + 1


def test_other_writes_go_between_an_imports_chunks(store: GraphStore, small_chunks: None) -> None:
    actor(store, "Maison de Quartier Bonnevie")
    halfway, resume = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def batches() -> Iterator[Batch]:
        yield _actors(["Club de foot", "Atelier vélo", "Repair café"])
        halfway.set()
        resume.wait(timeout=60)
        yield Batch(new_actors=[("9" * 32, {"name": "Potager Clemenceau", "kind": "association",
                                            "neighbourhood": "Cureghem"})])  # fmt: skip

    def run() -> None:
        try:
            outcome["done"] = store.import_batches(batches(), by=BY)
        except Exception as exc:  # reported below
            outcome["error"] = exc

    importer = threading.Thread(target=run)
    importer.start()
    try:
        assert halfway.wait(timeout=60)
        # the import is half written: another user's write is not held behind it
        shop = actor(store, "Épicerie Chez Fatima", "trader")
        assert store.get_actor(shop.id).name == "Épicerie Chez Fatima"
    finally:
        resume.set()
        importer.join(timeout=60)
    assert "error" not in outcome, outcome
    assert outcome["done"] == {"actors_created": 4, "actors_updated": 0, "links_created": 0,
                               "links_updated": 0}  # fmt: skip
    assert store.counts()["actors"] == 6
