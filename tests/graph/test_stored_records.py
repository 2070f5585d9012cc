"""Records read back from the store are converted by :func:`graph.snapshots.stored`'s models
(the same fields without the checks made at writing): on both stores, every record of the demo
and a record with every optional field (phones, hours, contact persons, access, saturation,
coordinates, a retraction, an end) reads exactly as the full model reads it."""

from __future__ import annotations

from datetime import date
from typing import Any

from graph.model import Actor, EntityKind, Link
from graph.snapshots import stored
from graph.store import GraphStore
from tests.contract.test_contact_details import DETAILS


def _records(store: GraphStore) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return store._read(  # type: ignore[attr-defined,no-any-return]
        lambda tx: (tx.every(EntityKind.actor), tx.every(EntityKind.link))
    )


def _same(model: type[Actor] | type[Link], records: list[dict[str, Any]]) -> None:
    assert records
    fast = stored(model)
    for record in records:
        assert fast.model_validate(record).model_dump() == model.model_validate(record).model_dump()


def test_every_demo_record_reads_as_the_full_model_reads_it(demo_store: GraphStore) -> None:
    actors, links = _records(demo_store)
    _same(Actor, actors)
    _same(Link, links)


def test_a_record_with_every_field_reads_as_the_full_model_reads_it(store: GraphStore) -> None:
    service = store.create_actor(
        {"name": "Maison médicale Clemenceau", "kind": "health_actor", "neighbourhood": "Midi",
         "latitude": 50.836, "longitude": 4.333, "since": "2024-03-01",
         "themes": ["health"], "languages": ["fr", "ar"], "target_groups": ["elderly"],
         "description": "Soins de première ligne", **DETAILS}, by="amina",
    )  # fmt: skip
    other = store.create_actor({"name": "Asbl Lire", "kind": "association",
                                "neighbourhood": "Midi"}, by="amina")  # fmt: skip
    link = store.create_link({"source": service.id, "target": other.id, "type": "REFERS_TO",
                              "since": "2025-01-01", "strength": 3, "note": "chaque mardi"},
                             by="amina")  # fmt: skip
    store.end_link(link.id, date(2026, 1, 15), by="amina")
    again = store.create_link(
        {"source": other.id, "target": service.id, "type": "KNOWS"}, by="amina"
    )
    store.retract_link(again.id, by="amina", reason="recorded twice")
    store.end_actor(other.id, date(2026, 2, 1), by="amina")
    actors, links = _records(store)
    _same(Actor, actors)
    _same(Link, links)
    assert any(r.get("retracted") for r in links) and any(r.get("until") for r in links)
    assert any(r.get("hours") and r.get("saturation") for r in actors)
