"""The privacy erasure, on both stores: the actor and its links leave the store, snapshots and
history; the events keep only that something was erased, by whom and why."""

from __future__ import annotations

import json
from datetime import date

import pytest

from graph.errors import InvalidInput, NotFound
from graph.model import ActorFilter, EventAction, LinkFilter
from graph.retention import purge
from graph.store import GraphStore

from .helpers import actor


def test_an_erased_actor_leaves_no_trace_but_the_erasure(store: GraphStore) -> None:
    secret = "Tante Rachida (pseudonyme)"
    kr = actor(store, secret, kind="key_resident", consent_date="2024-01-01",
               description="lives above the bakery")  # fmt: skip
    friend = actor(store, "Boulangerie du Coin", kind="trader")
    other = actor(store, "Asbl Voisine")
    note = f"{secret} knows the baker"
    link = {"source": kr.id, "target": friend.id, "type": "KNOWS", "since": "2024-02-01"}
    store.create_link({**link, "note": note}, by="ana")
    kept = store.create_link(
        {"source": friend.id, "target": other.id, "type": "KNOWS", "since": "2024-02-01"}, by="ana"
    )
    activity = store.create_activity(
        {"name": "Fête", "mission": "community", "neighbourhood": "Cureghem",
         "since": "2024-03-01", "participants": [kr.id, friend.id]}, by="ana",
    )  # fmt: skip
    store.save_positions({kr.id: (1.0, 2.0)})
    with pytest.raises(InvalidInput, match="why"):
        store.erase_actor(kr.id, by="coordinator", reason="")
    store.erase_actor(kr.id, by="coordinator", reason="asked by the person (GDPR art. 17)")
    with pytest.raises(NotFound):
        store.get_actor(kr.id)
    assert store.list_actors(ActorFilter(q="rachida")).total == 0
    assert [x.id for x in store.list_links(LinkFilter(as_of=None)).items] == [kept.id]
    assert kr.id not in store.snapshot() and kr.id not in store.history()
    assert kr.id not in store.positions()
    assert store.get_activity(activity.id).participants == [friend.id]
    everything = json.dumps(
        [e.model_dump(mode="json") for e in store.list_events(limit=1000).items]
    )
    assert "Rachida" not in everything and "bakery" not in everything
    last = store.list_events(limit=1000).items[-1]
    assert last.action is EventAction.delete and last.after is not None
    assert last.after["reason"] == "asked by the person (GDPR art. 17)"
    assert last.after["by"] == "coordinator" and last.after["links_erased"] == 1
    with pytest.raises(NotFound):
        store.erase_actor(kr.id, by="coordinator", reason="again")


def test_retention_erases_key_residents_ended_long_ago_and_only_them(store: GraphStore) -> None:
    old = actor(store, "Madame Z.", kind="key_resident", consent_date="2019-01-01",
                since="2019-01-01", until="2021-03-01")  # fmt: skip
    recent = actor(store, "Monsieur Y.", kind="key_resident", consent_date="2019-01-01",
                   since="2019-01-01", until="2025-06-01")  # fmt: skip
    active = actor(store, "Madame X.", kind="key_resident", consent_date="2019-01-01")
    shop = actor(store, "Épicerie fermée", kind="trader", since="2010-01-01", until="2015-01-01")
    on = date(2026, 1, 1)  # 24 months back: 2024-01-01
    before = store.counts()
    listed = purge(store, 24, on, by="purge", dry_run=True)
    assert [a.id for a in listed] == [old.id]
    assert store.counts() == before, "a dry run changes nothing"
    erased = purge(store, 24, on, by="purge", dry_run=False)
    assert [a.id for a in erased] == [old.id]
    with pytest.raises(NotFound):
        store.get_actor(old.id)
    for kept in (recent, active, shop):
        assert store.get_actor(kept.id).name == kept.name
    last = store.list_events(limit=1000).items[-1]
    assert last.after is not None and last.after["by"] == "purge"
    assert "retention" in last.after["reason"]
    assert purge(store, 24, on, by="purge", dry_run=False) == []
