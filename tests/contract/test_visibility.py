"""What a reader may see, as the access policy asks the store (both stores): lists limited to
neighbourhoods, key residents seen only in their own neighbourhood, links only between actors
the reader sees, referrals with one end in a neighbourhood seen."""

from __future__ import annotations

from graph.model import ActivityFilter, ActorFilter, LinkFilter, ReferralFilter
from graph.store import GraphStore

from .helpers import actor


def test_lists_show_only_what_the_reader_may_see(store: GraphStore) -> None:
    midi = actor(store, "Asbl Midi", neighbourhood="Midi")
    nord = actor(store, "Asbl Nord", neighbourhood="Nord")
    tante = actor(
        store, "Tante R.", kind="key_resident", neighbourhood="Nord", consent_date="2024-01-01"
    )
    for a, b in ((midi, nord), (nord, tante)):
        store.create_link({"source": a.id, "target": b.id, "type": "KNOWS"}, by="ana")
    store.create_activity(
        {"name": "Fête", "mission": "community", "neighbourhood": "Nord", "participants": []},
        by="ana",
    )
    store.create_referral(
        {"date": "2025-01-02", "from_actor": midi.id, "to_actor": nord.id, "theme": "housing"},
        by="ana",
    )

    def names(**scope: object) -> set[str]:
        return {a.name for a in store.list_actors(ActorFilter(**scope), limit=100).items}

    assert names() == {"Asbl Midi", "Asbl Nord", "Tante R."}
    assert names(in_neighbourhoods=["nord"]) == {"Asbl Nord", "Tante R."}
    assert names(key_residents_in=["midi"]) == {"Asbl Midi", "Asbl Nord"}
    assert names(key_residents_in=[]) == {"Asbl Midi", "Asbl Nord"}
    assert names(in_neighbourhoods=[]) == set()
    assert store.list_actors(ActorFilter(key_residents_in=["midi"])).total == 2

    def links(**scope: object) -> int:
        return store.list_links(LinkFilter(**scope)).total

    assert links() == 2
    assert links(in_neighbourhoods=["nord"]) == 1  # Midi–Nord has an end outside
    assert links(key_residents_in=["midi"]) == 1  # Nord–Tante R. shows a hidden resident
    assert store.list_activities(ActivityFilter(in_neighbourhoods=["midi"])).total == 0
    assert store.list_activities(ActivityFilter(in_neighbourhoods=["nord"])).total == 1
    assert store.list_referrals(ReferralFilter(in_neighbourhoods=["nord"])).total == 1
    assert store.list_referrals(ReferralFilter(in_neighbourhoods=["sud"])).total == 0
