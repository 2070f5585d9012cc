"""Small builders for the contract tests."""

from __future__ import annotations

from typing import Any

from graph.model import Actor
from graph.store import GraphStore


def actor(store: GraphStore, name: str, kind: str = "association", **extra: Any) -> Actor:
    data = {"name": name, "kind": kind, "neighbourhood": "Cureghem", "since": "2024-01-01"}
    data.update(extra)
    return store.create_actor(data, by="ana")


def state(store: GraphStore) -> tuple[dict[str, int], list[str]]:
    """Everything a refused write must leave unchanged: counts and the event log."""
    events = store.list_events(limit=1000).items
    return store.counts(), [e.id for e in events]
