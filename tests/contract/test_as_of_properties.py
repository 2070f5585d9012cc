"""A law of the history (#26.2): the network a store gives on a date (``snapshot(as_of)``,
filtered in SQL or Cypher) is the one a replay of its events gives — every record as its last
event left it, kept when its interval holds the date. Random stories of actors and links
recorded, backdated, ended, reopened and retracted, on both stores."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.entities import record_valid_on
from graph.errors import MaillageError
from graph.model import EventFilter
from graph.sqlite_store import SqliteGraphStore
from graph.store import GraphStore
from tests.conftest import with_places

START = date(2024, 1, 1)
DAYS = st.integers(min_value=0, max_value=700).map(lambda n: START + timedelta(days=n))
STEP = st.one_of(
    st.tuples(st.just("actor"), DAYS),
    st.tuples(st.just("link"), st.integers(0, 30), st.integers(0, 30), DAYS),
    st.tuples(st.just("end"), st.integers(0, 60), DAYS),
    st.tuples(st.just("reopen"), st.integers(0, 60)),
    st.tuples(st.just("retract"), st.integers(0, 60)),
)


def _replay(store: GraphStore) -> dict[str, dict[str, object]]:
    """Every record as its last event left it (erased ones aside: none here)."""
    records: dict[str, dict[str, object]] = {}
    offset = 0
    while True:
        page = store.list_events(EventFilter(), limit=1000, offset=offset).items
        for event in page:
            if event.after is not None:
                records[event.entity_id] = event.after
        offset += len(page)
        if len(page) < 1000:
            return records


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(STEP, min_size=3, max_size=25), st.lists(DAYS, min_size=1, max_size=4))
def test_a_snapshot_is_the_replay_of_the_events(
    store: GraphStore, steps: list[tuple[object, ...]], days: list[date]
) -> None:
    if store.backend == "neo4j":  # a fresh story each example
        store.erase_everything(confirm="erase everything")  # type: ignore[attr-defined]
        with_places(store)
    else:
        store = with_places(SqliteGraphStore(Path(tempfile.mkdtemp()) / "m.db"))
    actors: list[str] = []
    records: list[str] = []
    for n, step in enumerate(steps):
        try:
            if step[0] == "actor":
                made = store.create_actor({"name": f"Asbl {n}", "kind": "association",
                                           "neighbourhood": "Cureghem",
                                           "since": step[1].isoformat()}, by="t")  # type: ignore[union-attr]  # fmt: skip
                actors.append(made.id)
                records.append(made.id)
            elif step[0] == "link" and actors:
                a, b = actors[int(step[1]) % len(actors)], actors[int(step[2]) % len(actors)]
                link = store.create_link({"source": a, "target": b, "type": "KNOWS",
                                          "since": step[3].isoformat()}, by="t")  # type: ignore[union-attr]  # fmt: skip
                records.append(link.id)
            elif step[0] in ("end", "reopen", "retract") and records:
                target = records[int(step[1]) % len(records)]
                is_actor = target in actors
                if step[0] == "end":
                    (store.end_actor if is_actor else store.end_link)(target, step[2], by="t")  # type: ignore[arg-type]
                elif step[0] == "reopen":
                    (store.reopen_actor if is_actor else store.reopen_link)(target, by="t")
                else:
                    (store.retract_actor if is_actor else store.retract_link)(
                        target, by="t", reason="by mistake"
                    )
        except MaillageError:
            continue  # a refused step (a link to itself, an end before its start…) changes nothing
    replayed = _replay(store)
    for day in days:
        graph = store.snapshot(day)
        expected_actors = {
            i for i, r in replayed.items()
            if "kind" in r and "natural_key" in r and "municipality" not in r
            and record_valid_on(r, day)
        }  # fmt: skip
        expected_links = {
            i for i, r in replayed.items()
            if "source" in r and record_valid_on(r, day)
            and r["source"] in expected_actors and r["target"] in expected_actors
        }  # fmt: skip
        assert set(graph.nodes) == expected_actors, day
        assert {k for *_, k in graph.edges(keys=True)} == expected_links, day
