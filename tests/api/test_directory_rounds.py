"""The directory's rounds the indicators read (``ScopedStore.directory_rounds``): the events of
many actors are asked for a thousand actors at a time; a confirmation is found in any of them."""

from __future__ import annotations

from api.policy import access_of
from api.scoped import ScopedStore
from graph.model import MOST_EVENTS_OF, today
from graph.store import GraphStore


def test_confirmations_are_found_past_the_first_thousand_actors(sqlite_store: GraphStore) -> None:
    store = sqlite_store
    fields = {"kind": "association", "neighbourhood": "Midi"}
    ids = [
        store.create_actor({"name": f"Asbl {n}", **fields}, by="t").id
        for n in range(MOST_EVENTS_OF + 20)
    ]
    first, last = sorted(ids)[0], sorted(ids)[-1]  # asked in the first and the second thousand
    for actor_id in (first, last):
        store.confirm_actor(actor_id, by="amina")
    user = store.create_user({"name": "coord", "role": "coordinator", "actor_id": None}, "x",
                             by="t")  # fmt: skip
    confirmed, noted = ScopedStore(store, access_of(user, store)).directory_rounds(ids)
    assert confirmed == {first: [today()], last: [today()]}
    assert noted == {}
