"""Activities, anonymous referrals and neighbourhoods — on both stores."""

from __future__ import annotations

from datetime import date

import pytest

from graph.errors import Conflict, InvalidInput, NotFound
from graph.model import (
    ActivityFilter,
    ActivityMission,
    NeighbourhoodFilter,
    ReferralFilter,
    ReferralOutcome,
    today,
)
from graph.store import GraphStore

from .helpers import actor, state


def test_activities_with_participants(store: GraphStore) -> None:
    a = actor(store, "Maison médicale", kind="health_actor")
    b = actor(store, "Mosquée", kind="place_of_worship")
    c = actor(store, "École 3", kind="school")
    act = store.create_activity(
        {
            "name": "Séance d'information diabète",
            "mission": "collective",
            "neighbourhood": "Cureghem",
            "themes": ["diabetes"],
            "participants": [a.id, b.id, a.id],
            "since": "2025-03-10",
        },
        by="ana",
    )
    assert act.participants == [a.id, b.id]
    assert store.get_activity(act.id) == act
    updated = store.update_activity(act.id, {"participants": [a.id, b.id, c.id]}, by="bo")
    assert updated.participants == [a.id, b.id, c.id]
    assert store.list_activities(ActivityFilter(actor=c.id)).total == 1
    assert store.list_activities(ActivityFilter(mission=ActivityMission.community)).total == 0
    ended = store.end_activity(act.id, date(2025, 3, 11), by="bo")
    assert ended.until == date(2025, 3, 11)
    assert store.list_activities().total == 0
    assert store.list_activities(ActivityFilter(as_of=date(2025, 3, 10))).total == 1
    before = state(store)
    with pytest.raises(InvalidInput):
        store.update_activity(act.id, {"participants": ["ghost"]}, by="bo")
    with pytest.raises(InvalidInput):
        store.create_activity(
            {"name": "x", "mission": "networking", "neighbourhood": "Cureghem"}, by="ana"
        )
    assert state(store) == before


def test_referrals_are_anonymous_counts(store: GraphStore) -> None:
    bar = actor(store, "BAR Cureghem", kind="bar_team")
    cpas = actor(store, "CPAS d'Anderlecht", kind="public_service")
    ref = store.create_referral(
        {
            "date": "2025-04-02",
            "from_actor": bar.id,
            "to_actor": cpas.id,
            "theme": "Housing",
            "count": 3,
        },
        by="ana",
    )
    assert ref.theme == "housing"
    assert ref.outcome is ReferralOutcome.pending
    assert store.get_referral(ref.id) == ref
    done = store.update_referral(ref.id, {"outcome": "reached"}, by="ana")
    assert done.outcome is ReferralOutcome.reached
    closed = store.end_referral(ref.id, date(2025, 5, 1), by="ana")
    assert closed.closed_on == date(2025, 5, 1)
    with pytest.raises(Conflict):
        store.end_referral(ref.id, date(2025, 5, 2), by="ana")
    assert store.list_referrals(ReferralFilter(to_actor=cpas.id)).total == 1
    assert store.list_referrals(ReferralFilter(start=date(2025, 5, 1))).total == 0
    assert store.list_referrals(ReferralFilter(theme="housing")).total == 1

    before = state(store)
    for bad in (
        {"note": "Mme X., 3 enfants"},  # free text is refused
        {"person": "Jan Peeters"},
        {"theme": "housing for Mr Dupont, rue X"},  # themes are short codes
        {"to_actor": bar.id},  # from and to are the same
        {"date": "2099-01-01"},
        {"count": 0},
        {"to_actor": "ghost"},
    ):
        data = {
            "date": "2025-04-02",
            "from_actor": bar.id,
            "to_actor": cpas.id,
            "theme": "housing",
            **bad,
        }
        with pytest.raises(InvalidInput):
            store.create_referral(data, by="ana")
    assert state(store) == before
    with pytest.raises(NotFound):
        store.get_referral("ghost")
    # several at once: all or nothing
    month = [
        {"date": f"2025-06-{day:02d}", "from_actor": bar.id, "to_actor": cpas.id, "theme": "debt"}
        for day in (2, 9, 16)
    ]
    with pytest.raises(InvalidInput):
        store.create_referrals([*month, {**month[0], "note": "Mme X."}], by="ana")
    assert state(store) == before
    made = store.create_referrals(month, by="ana")
    assert [r.date.day for r in made] == [2, 9, 16]
    assert store.list_referrals(ReferralFilter(theme="debt")).total == 3


def test_neighbourhoods(store: GraphStore) -> None:
    nb = store.create_neighbourhood(
        {
            "name": "Cureghem-Bara",
            "municipality": "Anderlecht",
            "sector_codes": ["21001a01-", "21001A02-"],
            "population": 26000,
            "since": "2020-01-01",
        },
        by="coord",
    )
    assert nb.sector_codes == ["21001A01-", "21001A02-"]
    assert store.get_neighbourhood(nb.id) == nb
    with pytest.raises(Conflict):
        store.create_neighbourhood(
            {"name": "CUREGHEM-bara", "municipality": "anderlecht"}, by="coord"
        )
    updated = store.update_neighbourhood(nb.id, {"population": 27500}, by="coord")
    assert updated.population == 27500
    # (the fixture records Cureghem in Anderlecht too, and the tests' other neighbourhoods)
    assert store.list_neighbourhoods(NeighbourhoodFilter(municipality="Anderlecht")).total == 2
    before = store.list_neighbourhoods().total
    store.end_neighbourhood(nb.id, today(), by="coord")
    assert store.list_neighbourhoods().total == before - 1
    with pytest.raises(InvalidInput):
        store.create_neighbourhood(
            {"name": "X", "municipality": "Y", "sector_codes": ["not a code!"]}, by="coord"
        )


def test_follow_ups_decided_at_a_meeting(store: GraphStore) -> None:
    from graph.model import EntityKind, EventFilter, FollowUpFilter

    a = actor(store, "Consultation ONE")
    b = actor(store, "Groupe des mamans", kind="resident_group")
    c = actor(store, "Espace femmes")
    made = store.create_follow_up(
        {"actors": [a.id, b.id], "introducer": c.id, "taken_by": "Amina", "due": "2026-12-15",
         "neighbourhood": "Cureghem", "what": "introduce them"}, by="lucie",
    )  # fmt: skip
    assert made.done is False and made.recorded_by == "lucie"
    store.create_follow_up(
        {"actors": [c.id], "taken_by": "joris", "neighbourhood": "Cureghem"}, by="lucie"
    )
    mine = store.list_follow_ups(FollowUpFilter(taken_by="amina"))
    assert [f.id for f in mine.items] == [made.id]
    done = store.update_follow_up(made.id, {"done": True}, by="amina")
    assert done.done and store.list_follow_ups(FollowUpFilter(done=False)).total == 1
    before = state(store)
    with pytest.raises(InvalidInput):
        store.create_follow_up(
            {"actors": ["ghost"], "taken_by": "amina", "neighbourhood": "Cureghem"}, by="lucie"
        )
    assert state(store) == before
    events = store.list_events(EventFilter(actor=b.id)).items
    assert [e.entity for e in events][-2:] == [EntityKind.follow_up, EntityKind.follow_up]


def test_an_activity_recorded_by_mistake_is_retracted(store: GraphStore) -> None:
    made = store.create_activity(
        {"name": "Séance santé", "mission": "collective", "neighbourhood": "Cureghem",
         "since": "2025-05-01"}, by="ana",
    )  # fmt: skip
    gone = store.retract_activity(made.id, by="ana", reason="recorded twice")
    assert gone.retracted is not None and gone.retracted.reason == "recorded twice"
    assert store.list_activities(limit=50).total == 0  # on no date any more
    with pytest.raises(Conflict, match="already retracted"):
        store.retract_activity(made.id, by="ana", reason="again")


def test_activities_say_who_carried_them_and_are_found_by_period(store: GraphStore) -> None:
    """What the missions' indicators read: the people (a count), the publics and languages,
    who started or carries the action; the actions held in a period, whatever day it is."""
    group = actor(store, "Comité du quai", kind="resident_group")
    school = actor(store, "École 3", kind="school")
    held = store.create_activity(
        {"name": "Fête du quai", "mission": "community", "neighbourhood": "Cureghem",
         "participants": [school.id], "initiators": [group.id, group.id], "attendance": 120,
         "target_groups": ["habitants"], "languages": ["arabe", "fr"],
         "since": "2025-06-14", "until": "2025-06-15"},
        by="ana",
    )  # fmt: skip
    assert held.initiators == [group.id] and held.attendance == 120
    assert held.target_groups == ["residents"] and held.languages == ["ar", "fr"]
    wrong = store.create_activity(
        {"name": "Doublon", "mission": "community", "neighbourhood": "Cureghem",
         "since": "2025-06-20"}, by="ana",
    )  # fmt: skip
    store.retract_activity(wrong.id, by="ana", reason="twice")
    in_june = ActivityFilter(start=date(2025, 6, 1), end=date(2025, 6, 30))
    assert [a.id for a in store.list_activities(in_june).items] == [held.id]
    assert store.list_activities(ActivityFilter()).total == 0  # ended: not true today
    assert store.list_activities(ActivityFilter(start=date(2025, 7, 1))).total == 0
    before = state(store)
    for bad in ({"attendance": 0}, {"initiators": ["ghost"]}, {"attendance": True}):
        with pytest.raises(InvalidInput):
            store.create_activity({"name": "x", "mission": "community",
                                   "neighbourhood": "Cureghem", **bad}, by="ana")  # fmt: skip
    assert state(store) == before
    store.erase_actor(group.id, by="coordinator", reason="asked")
    assert store.get_activity(held.id, as_of=date(2025, 6, 14)).initiators == []
