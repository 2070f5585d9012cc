"""Eight threads recording the same actor at once leave exactly one — on both stores."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from graph.errors import Conflict
from graph.model import Actor, ActorFilter, EntityKind, EventFilter
from graph.store import GraphStore

THREADS = 8


def test_eight_threads_same_actor_leave_one(store: GraphStore) -> None:
    barrier = threading.Barrier(THREADS)

    def record(i: int) -> Actor | Conflict:
        barrier.wait()
        try:
            return store.create_actor(
                {
                    # the same actor, written a little differently by each worker
                    "name": ["Maison Médicale Le Gué", "maison medicale le gue"][i % 2],
                    "kind": "health_actor",
                    "neighbourhood": "Cureghem",
                },
                by=f"worker{i}",
            )
        except Conflict as exc:
            return exc

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(record, range(THREADS)))

    created = [r for r in results if isinstance(r, Actor)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(created) == 1
    assert len(refused) == THREADS - 1
    winner = created[0]
    assert all(c.details["existing_id"] == winner.id for c in refused)
    listed = store.list_actors(ActorFilter(q="gue"))
    assert [a.id for a in listed.items] == [winner.id]
    assert store.counts()["actors"] == 1
    assert store.list_events(EventFilter(entity=EntityKind.actor)).total == 1


def test_eight_threads_distinct_actors_all_land(store: GraphStore) -> None:
    barrier = threading.Barrier(THREADS)

    def record(i: int) -> Actor:
        barrier.wait()
        return store.create_actor(
            {"name": f"Commerce {i}", "kind": "trader", "neighbourhood": "Cureghem"},
            by=f"worker{i}",
        )

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(record, range(THREADS)))
    assert len({a.id for a in results}) == THREADS
    assert store.counts()["actors"] == THREADS
    seqs = [e.seq for e in store.list_events(EventFilter(entity=EntityKind.actor)).items]
    assert len(set(seqs)) == THREADS
