"""Observations — what actors say about the neighbourhood — on both stores: recorded with their
theme, publics, sectors and sources, filtered, changed with history, retracted, refused when
they point at a person, and erased with the actor who said them."""

from __future__ import annotations

from datetime import date

import pytest

from graph.errors import Conflict, InvalidInput, NotFound
from graph.model import EntityKind, EventFilter, ObservationFilter, ObservationKind
from graph.store import GraphStore

from .helpers import actor, state


def _observation(store: GraphStore, **extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": "need",
        "neighbourhood": "Cureghem",
        "theme": "santé",
        "target_groups": ["personnes âgées"],
        "date": "2025-05-12",
        "text": "Les aînés ne trouvent plus de médecin qui prend de nouveaux patients",
    }
    data.update(extra)
    return data


def _sectors(store: GraphStore) -> None:
    found = store.list_neighbourhoods().items
    place = next(n for n in found if n.name == "Cureghem")
    store.update_neighbourhood(place.id, {"sector_codes": ["21001A01-", "21001A02-"]}, by="setup")


def test_recorded_filtered_changed_and_retracted(store: GraphStore) -> None:
    _sectors(store)
    pharmacy = actor(store, "Pharmacie Bara", kind="trader")
    mosque = actor(store, "Mosquée Al Khalil", kind="place_of_worship")
    said = store.create_observation(
        _observation(store, sources=[pharmacy.id, mosque.id, pharmacy.id], sectors=["21001a01-"]),
        by="ana",
    )
    assert said.theme == "health" and said.target_groups == ["elderly"]  # the vocabulary's codes
    assert said.sources == [pharmacy.id, mosque.id] and said.sectors == ["21001A01-"]
    own = store.create_observation(
        _observation(
            store,
            kind="resource",
            theme="housing",
            target_groups=[],
            date="2024-11-02",
            text="Un nouveau CPAS",
        ),
        by="ana",
    )
    assert own.sources == []  # the BAR team's own observation
    assert store.get_observation(said.id) == said

    def ids(**f: object) -> set[str]:
        return {o.id for o in store.list_observations(ObservationFilter(**f)).items}

    assert ids() == {said.id, own.id}
    assert ids(theme="gezondheid") == {said.id}
    assert ids(kind=ObservationKind.resource) == {own.id}
    assert ids(target_group="ouderen") == {said.id}
    assert ids(sector="21001A01-") == {said.id}
    assert ids(actor=mosque.id) == {said.id}
    assert ids(start=date(2025, 1, 1)) == {said.id}
    assert ids(end=date(2024, 12, 31)) == {own.id}
    assert ids(neighbourhood="Molenbeek") == set()
    assert [o.id for o in store.list_observations().items] == [said.id, own.id]  # newest first

    changed = store.update_observation(said.id, {"kind": "problem"}, by="bo")
    assert changed.kind is ObservationKind.problem and changed.updated_by == "bo"
    history = store.list_events(EventFilter(entity_id=said.id)).items
    assert [e.action.value for e in history] == ["create", "update"]
    assert {e.entity for e in history} == {EntityKind.observation}
    assert set(history[0].actors) == {pharmacy.id, mosque.id}

    store.retract_observation(own.id, by="ana", reason="recorded twice")
    assert ids() == {said.id}
    with pytest.raises(Conflict):
        store.retract_observation(own.id, by="ana", reason="again")


def test_bad_observations_change_nothing(store: GraphStore) -> None:
    _sectors(store)
    before = state(store)
    bad = [
        _observation(store, kind="rumour"),
        _observation(store, sources=["ghost"]),
        _observation(store, neighbourhood="Atlantis"),
        _observation(store, sectors=["21004C33-"]),  # not one of Cureghem's sectors
        _observation(store, date="2999-01-01"),
        _observation(store, text="  "),
    ]
    for data in bad:
        with pytest.raises(InvalidInput):
            store.create_observation(data, by="ana")
    with pytest.raises(InvalidInput) as refused:  # one bad row refuses the whole batch
        store.create_observations([_observation(store), _observation(store, kind="x")], by="ana")
    assert refused.value.details[0]["row"] == 1
    with pytest.raises(NotFound):
        store.update_observation("nope", {"kind": "wish"}, by="ana")
    assert state(store) == before


def test_a_text_about_a_person_is_refused_with_what_was_found(store: GraphStore) -> None:
    actor(store, "Zohra A.", kind="key_resident", consent_date="2024-01-01")
    actor(
        store,
        "Maison médicale Santé Plus",
        kind="health_actor",
        contacts=[{"name": "Dr Karim Ouali"}],
    )
    before = state(store)
    cases = {
        "Zohra A. cherche un médecin": "names 'Zohra A.'",
        "Selon le dr karim OUALI, la salle d'attente déborde": "names 'Dr Karim Ouali'",
        "Appeler le 02/520 12 34 pour les colis": "phone number (02/520 12 34)",
        "Écrire à voisins@exemple.be pour la fête": "e-mail address (voisins@exemple.be)",
    }
    for text, found in cases.items():
        with pytest.raises(InvalidInput) as refused:
            store.create_observation(_observation(store, text=text), by="ana")
        assert found in str(refused.value)
        assert refused.value.details[0]["field"] == "text"
    assert state(store) == before
    kept = store.create_observation(_observation(store), by="ana")
    with pytest.raises(InvalidInput):
        store.update_observation(kept.id, {"text": "Zohra A. a déménagé"}, by="ana")
    assert store.get_observation(kept.id) == kept


def test_erasing_an_actor_erases_what_it_said(store: GraphStore) -> None:
    pharmacy = actor(store, "Pharmacie Bara", kind="trader")
    school = actor(store, "École 3", kind="school")
    alone = store.create_observation(
        _observation(store, sources=[pharmacy.id], text="La Pharmacie Bara voit des aînés seuls"),
        by="ana",
    )
    shared = store.create_observation(
        _observation(
            store,
            sources=[pharmacy.id, school.id],
            text="Selon la pharmacie bara et l'école, les familles manquent d'aide aux devoirs",
        ),
        by="ana",
    )
    store.erase_actor(pharmacy.id, by="coordinator", reason="asked to be forgotten")
    with pytest.raises(NotFound):
        store.get_observation(alone.id)
    kept = store.get_observation(shared.id)
    assert kept.sources == [school.id]
    assert "bara" not in kept.text.casefold() and "[…]" in kept.text
    for event in store.list_events(limit=1000).items:
        assert "Bara" not in str(event.before) + str(event.after)
