"""The Neo4j store keeps one driver session per thread and uses it again for each transaction
(a session per transaction cost a write a fifth of its CPU, bench/RESULTS.md): a thread's
writes share one session, a session that failed is replaced by a new one that works, the
sessions of ended threads are closed, and closing the store closes every session it opened."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from graph.errors import StoreUnavailable
from graph.neo4j_store import Neo4jGraphStore
from tests.conftest import with_places

pytestmark = pytest.mark.neo4j


def _actor(store: Neo4jGraphStore, name: str) -> str:
    made = store.create_actor({"name": name, "kind": "association", "neighbourhood": "Cureghem"},
                              by="ana")  # fmt: skip
    return made.id


def test_each_thread_uses_its_session_again_and_closing_the_store_closes_them(
    neo4j_uri: str,
) -> None:
    store = Neo4jGraphStore(neo4j_uri)
    try:
        store.erase_everything(confirm="erase everything")
        with_places(store)
        made = [_actor(store, f"Asbl {i}") for i in range(5)]
        mine = store._session()
        assert list(store._opened.values()).count(mine) == 1

        seen: dict[int, set[int]] = {}

        def write(k: int) -> str:
            found = _actor(store, f"Asbl du fil {k}")
            seen.setdefault(threading.get_ident(), set()).add(id(store._session()))
            return found

        with ThreadPoolExecutor(3) as pool:
            made += list(pool.map(write, range(12)))
        assert all(len(sessions) == 1 for sessions in seen.values())  # one per thread
        assert len(store._opened) == 1 + len(seen)
        pooled = [s for t, s in store._opened.items() if t is not threading.current_thread()]

        # the pool's threads have ended: a new thread's session closes theirs
        late = threading.Thread(target=lambda: made.append(write(99)))
        late.start()
        late.join()
        assert len(made) == 18
        assert pooled and all(session.closed() for session in pooled)
        assert not any(s in store._opened.values() for s in pooled)
        assert {a.id for a in store.get_actors(made)} == set(made)  # every write seen

        # a failed transaction drops its session; the thread's next one works
        with pytest.raises(StoreUnavailable):
            store._write(lambda tx: tx.tx.run("THIS IS NOT CYPHER").consume())
        assert mine.closed() and mine not in store._opened.values()
        again = _actor(store, "Asbl d'après l'erreur")
        assert store._session() is not mine and store.get_actor(again).name.startswith("Asbl")
        opened = list(store._opened.values())
    finally:
        store.close()
    assert opened and all(session.closed() for session in opened)
    assert store._opened == {}
