"""Actors: create, read, update, end, list — on both stores."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from graph.errors import Conflict, InvalidInput, NotFound
from graph.model import ActorFilter, ActorKind, ActorStatus, today
from graph.store import GraphStore

from .helpers import actor


def test_create_and_get_keep_every_field(store: GraphStore) -> None:
    created = store.create_actor(
        {
            "name": "  Maison médicale du Midi ",
            "kind": "health_actor",
            "subtype": "medical house",
            "neighbourhood": "Cureghem",
            "address": "Rue de la Clinique 12, 1070 Anderlecht",
            "latitude": 50.8387,
            "longitude": 4.3165,
            "themes": ["Health", "mental health", "health"],
            "languages": ["fr", "nl", "ar"],
            "target_groups": ["families"],
            "description": "Consultations without appointment on Tuesdays.",
            "since": "2023-03-01",
        },
        by="ana",
    )
    assert created.name == "Maison médicale du Midi"
    assert created.themes == ["health", "mental health"]
    assert created.recorded_by == "ana"
    assert created.natural_key == "maison medicale du midi|cureghem"
    fetched = store.get_actor(created.id)
    assert fetched == created
    assert fetched.latitude == pytest.approx(50.8387)
    assert fetched.since == date(2023, 3, 1)


def test_several_actors_read_at_once_by_id_unknown_ids_left_out(store: GraphStore) -> None:
    made = [actor(store, f"Asbl {n}") for n in ("Un", "Deux", "Trois")]
    ended = store.end_actor(made[2].id, today() - timedelta(days=1), by="ana")
    asked = [made[2].id, "no-such-actor", made[0].id, made[0].id]
    found = store.get_actors(asked)
    assert found == sorted([made[0], ended], key=lambda a: a.id)  # ended ones too, once each
    assert store.get_actors([]) == []


def test_since_defaults_to_the_day_of_recording(store: GraphStore) -> None:
    created = store.create_actor(
        {"name": "Pharmacie Clemenceau", "kind": "trader", "neighbourhood": "Cureghem"}, by="ana"
    )
    assert created.since == today()
    assert created.status is ActorStatus.active


@pytest.mark.parametrize(
    "name",
    [
        "Église Saint-François",
        "Vereniging Brüsselse Buurt",
        "Café Ça Va",
        "مسجد الخليل",
        "Русская община Брюсселя",
        "Repair café 🔧🌍",
    ],
)
def test_unicode_names_round_trip_and_are_searchable(store: GraphStore, name: str) -> None:
    created = actor(store, name)
    assert store.get_actor(created.id).name == name
    word = name.split()[0]
    found = store.list_actors(ActorFilter(q=word))
    assert [a.id for a in found.items] == [created.id]


@pytest.mark.parametrize(
    "look_alike",
    [
        "Mai\u200bson du Peuple",  # a zero-width space
        "M\u0430ison du Peuple",  # a Cyrillic а
        "Mais\u03bfn du Peuple",  # a Greek omicron
        "Ｍａｉｓｏｎ du Peuple",  # full-width letters
        "Maison\u2060 du\u00a0Peuple",  # a word joiner and a no-break space
    ],
)
def test_a_look_alike_name_is_the_same_actor(store: GraphStore, look_alike: str) -> None:
    first = actor(store, "Maison du Peuple")
    with pytest.raises(Conflict) as caught:
        actor(store, look_alike)
    assert caught.value.details["existing_id"] == first.id
    assert [a.id for a in store.list_actors(ActorFilter(q=look_alike)).items] == [first.id]


def test_a_name_in_one_other_script_keeps_its_letters(store: GraphStore) -> None:
    cyrillic = actor(store, "Дом культуры")
    arabic = actor(store, "مسجد الخليل")
    assert store.get_actor(cyrillic.id).name == "Дом культуры"
    assert [a.id for a in store.list_actors(ActorFilter(q="культуры")).items] == [cyrillic.id]
    assert [a.id for a in store.list_actors(ActorFilter(q="الخليل")).items] == [arabic.id]


def test_same_actor_twice_is_a_conflict_naming_the_first(store: GraphStore) -> None:
    first = actor(store, "Maison de Quartier Bonnevie")
    with pytest.raises(Conflict) as caught:
        store.create_actor(
            {
                "name": "MAISON  de quartier  bonnevie!",
                "kind": "other",
                "neighbourhood": "cureghem",
            },
            by="bo",
        )
    assert caught.value.details["existing_id"] == first.id
    assert "Maison de Quartier Bonnevie" in caught.value.message
    assert store.list_actors().total == 1


def test_same_name_in_another_neighbourhood_is_another_actor(store: GraphStore) -> None:
    actor(store, "Pharmacie Centrale")
    actor(store, "Pharmacie Centrale", neighbourhood="Molenbeek Historique")
    assert store.list_actors().total == 2


def test_update_changes_fields_and_records_who(store: GraphStore) -> None:
    a = actor(store, "AMO Alhambra", kind="association")
    updated = store.update_actor(
        a.id, {"subtype": "youth service (AMO)", "themes": ["youth"]}, by="bo"
    )
    assert updated.subtype == "youth service (AMO)"
    assert updated.themes == ["youth"]
    assert updated.updated_by == "bo"
    assert updated.recorded_by == "ana"
    assert store.get_actor(a.id) == updated


def test_update_into_an_existing_name_is_a_conflict(store: GraphStore) -> None:
    first = actor(store, "Épicerie Sociale")
    second = actor(store, "Épicerie du Coin")
    with pytest.raises(Conflict) as caught:
        store.update_actor(second.id, {"name": "epicerie sociale"}, by="bo")
    assert caught.value.details["existing_id"] == first.id
    assert store.get_actor(second.id).name == "Épicerie du Coin"


def test_update_is_validated_as_a_whole(store: GraphStore) -> None:
    a = actor(store, "Conseil de quartier")
    with pytest.raises(InvalidInput):
        store.update_actor(a.id, {"latitude": 50.8}, by="bo")  # longitude missing
    with pytest.raises(InvalidInput):
        store.update_actor(a.id, {"since": "2099-01-01"}, by="bo")
    assert store.get_actor(a.id) == a


def test_end_actor_keeps_it_readable_and_hides_it_from_today(store: GraphStore) -> None:
    a = actor(store, "Boulangerie Wayez")
    ended = store.end_actor(a.id, today(), by="bo")
    assert ended.until == today()
    assert ended.status is ActorStatus.closed
    assert store.get_actor(a.id).until == today()
    assert store.list_actors().total == 0
    assert store.list_actors(ActorFilter(as_of=today() - timedelta(days=1))).total == 1
    with pytest.raises(NotFound):
        store.get_actor(a.id, as_of=today())
    with pytest.raises(Conflict):
        store.end_actor(a.id, today(), by="bo")


def test_end_before_since_or_in_the_future_is_refused(store: GraphStore) -> None:
    a = actor(store, "Salle de sport", since="2024-05-01")
    with pytest.raises(InvalidInput):
        store.end_actor(a.id, date(2024, 4, 30), by="bo")
    with pytest.raises(InvalidInput):
        store.end_actor(a.id, today() + timedelta(days=1), by="bo")
    assert store.get_actor(a.id).until is None


def test_unknown_ids_are_not_found(store: GraphStore) -> None:
    with pytest.raises(NotFound):
        store.get_actor("no-such-actor")
    with pytest.raises(NotFound):
        store.update_actor("no-such-actor", {"name": "x"}, by="bo")
    with pytest.raises(NotFound):
        store.end_actor("no-such-actor", today(), by="bo")


def test_list_filters_and_pages(store: GraphStore) -> None:
    actor(store, "Mosquée Al Khalil", kind="place_of_worship", languages=["ar", "fr"])
    actor(store, "Kerk Sint-Guido", kind="place_of_worship", languages=["nl"])
    actor(store, "Asbl Le Pont", themes=["housing"], target_groups=["newcomers"])
    actor(store, "CPAS Anderlecht", kind="public_service", themes=["Housing", "income"])
    actor(store, "École n°8", kind="school", neighbourhood="Molenbeek Historique")

    assert store.list_actors().total == 5
    worship = store.list_actors(ActorFilter(kind=ActorKind.place_of_worship))
    assert {a.name for a in worship.items} == {"Mosquée Al Khalil", "Kerk Sint-Guido"}
    assert [a.name for a in store.list_actors(ActorFilter(language="AR")).items] == [
        "Mosquée Al Khalil"
    ]
    housing = store.list_actors(ActorFilter(theme="housing"))
    assert {a.name for a in housing.items} == {"Asbl Le Pont", "CPAS Anderlecht"}
    assert store.list_actors(ActorFilter(target_group="newcomers")).total == 1
    assert store.list_actors(ActorFilter(neighbourhood="molenbeek historique")).total == 1
    assert store.list_actors(ActorFilter(q="ecole")).items[0].name == "École n°8"
    assert store.list_actors(ActorFilter(status=ActorStatus.closed)).total == 0

    page1 = store.list_actors(limit=2, offset=0)
    page2 = store.list_actors(limit=2, offset=2)
    page3 = store.list_actors(limit=2, offset=4)
    names = [a.name for p in (page1, page2, page3) for a in p.items]
    assert len(names) == 5 and len(set(names)) == 5
    assert page1.total == 5 and len(page3.items) == 1
    with pytest.raises(InvalidInput):
        store.list_actors(limit=0)
    with pytest.raises(InvalidInput):
        store.list_actors(offset=-1)


def test_key_residents_need_consent(store: GraphStore) -> None:
    with pytest.raises(InvalidInput) as caught:
        store.create_actor(
            {"name": "Tante M.", "kind": "key_resident", "neighbourhood": "Cureghem"}, by="ana"
        )
    assert "consent" in caught.value.message
    resident = store.create_actor(
        {
            "name": "Tante M.",
            "kind": "key_resident",
            "neighbourhood": "Cureghem",
            "consent_date": "2025-02-01",
        },
        by="ana",
    )
    assert resident.consent_date == date(2025, 2, 1)


def test_mistakes_are_undone_with_events(store: GraphStore) -> None:
    from datetime import date as day

    from graph.model import EventAction, EventFilter, LinkFilter

    a = store.create_actor(
        {"name": "Asbl Erreur", "kind": "association", "neighbourhood": "Cureghem",
         "since": "2024-01-01"}, by="ana",
    )  # fmt: skip
    b = store.create_actor(
        {"name": "Asbl Vraie", "kind": "association", "neighbourhood": "Cureghem",
         "since": "2024-01-01"}, by="ana",
    )  # fmt: skip
    link = store.create_link(
        {"source": a.id, "target": b.id, "type": "KNOWS", "since": "2024-02-01"}, by="ana"
    )
    # ending on the first day would erase it from every date: refused, with the way to retract
    with pytest.raises(InvalidInput, match="retract"):
        store.end_link(link.id, day(2024, 2, 1), by="ana")
    # an ended actor is reopened (an event says so); recording it again names it
    store.end_actor(b.id, day(2025, 1, 1), by="ana")
    with pytest.raises(Conflict, match=r"closed on 2025-01-01.*reopen") as caught:
        store.create_actor(
            {"name": "asbl vraie", "kind": "association", "neighbourhood": "Cureghem"}, by="bo"
        )
    assert caught.value.details["existing_id"] == b.id
    with pytest.raises(Conflict, match="one end of this link is ended"):
        store.reopen_link(link.id, by="ana")
    reopened = store.reopen_actor(b.id, by="coord")
    assert reopened.until is None and reopened.status.value == "active"
    assert store.reopen_link(link.id, by="coord").until is None
    with pytest.raises(Conflict, match="not ended"):
        store.reopen_actor(b.id, by="coord")
    # a record made by mistake is retracted: absent on every date, its name free again
    with pytest.raises(InvalidInput, match="reason"):
        store.retract_actor(a.id, by="ana", reason=" ")
    store.retract_actor(a.id, by="ana", reason="recorded twice by mistake")
    for when in (day(2024, 6, 1), None):
        assert a.id not in store.snapshot(when)
    assert store.list_links(LinkFilter(as_of=day(2024, 6, 1))).total == 0
    again = store.create_actor(
        {"name": "Asbl Erreur", "kind": "association", "neighbourhood": "Cureghem"}, by="ana"
    )
    assert again.id != a.id
    actions = [e.action for e in store.list_events(EventFilter(entity_id=a.id)).items]
    assert actions == [EventAction.create, EventAction.retract]
    retracted = store.list_events(EventFilter(entity_id=a.id)).items[-1].after
    assert retracted is not None and retracted["retracted"]["reason"] == "recorded twice by mistake"
