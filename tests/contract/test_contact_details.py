"""What a referral needs, on both stores: phones, e-mail, website, contact persons, opening
hours, conditions and saturation kept as given (phones checked and kept in E.164), never on a
key resident; "still true" confirms an actor with one event."""

from __future__ import annotations

from datetime import datetime

import pytest

from graph.errors import InvalidInput
from graph.hours import BRUSSELS, next_open, open_now
from graph.living import phone_text
from graph.model import EventAction, EventFilter, today
from graph.store import GraphStore

from .helpers import actor, state

DETAILS = {
    "phones": [
        {"label": "reception", "number": "02/520 12 34"},
        {"label": "whatsapp", "number": "0470 12 34 56"},
    ],
    "email": "Accueil@MMClemenceau.be",
    "website": "www.mmclemenceau.be",
    "contacts": [
        {
            "name": "Sophie Lambert",
            "role": "assistante sociale",
            "phone": "+32 2 520 12 35",
            "confirmed": "2026-10-01",
        }
    ],
    "hours": [
        {"day": "monday", "opens": "09:00", "closes": "12:30"},
        {
            "day": "wednesday",
            "opens": "14:00",
            "closes": "17:00",
            "walk_in": False,
            "note": "permanence sociale",
        },
    ],
    "access": {
        "cost": "free",
        "appointment": False,
        "documents": "carte d'identité",
        "desk_languages": ["fr", "ar"],
        "wheelchair": True,
    },
    "saturation": {"state": "waiting_list", "weeks": 6, "noted": "2026-11-15"},
}


def test_contact_details_are_kept_checked_and_dialable(store: GraphStore) -> None:
    made = actor(store, "Maison médicale Clemenceau", "health_actor", **DETAILS)
    got = store.get_actor(made.id)
    assert got == made
    assert [p.number for p in got.phones] == ["+3225201234", "+32470123456"]
    assert [phone_text(p.number) for p in got.phones] == ["02 520 12 34", "0470 12 34 56"]
    assert got.email == "Accueil@mmclemenceau.be"  # the domain lower-cased, as mail does
    assert got.website == "https://www.mmclemenceau.be"
    assert got.contacts[0].phone == "+3225201235"
    assert got.hours[1].walk_in is False and got.hours[1].note == "permanence sociale"
    assert got.access is not None and got.access.desk_languages == ["fr", "ar"]
    assert got.saturation is not None and got.saturation.weeks == 6

    monday_ten = datetime(2026, 11, 30, 10, 0, tzinfo=BRUSSELS)
    assert open_now(got.hours, monday_ten) is got.hours[0]
    coming = next_open(got.hours, datetime(2026, 11, 30, 13, 0, tzinfo=BRUSSELS))
    assert coming is not None and coming.on == datetime(2026, 12, 2, 14, 0, tzinfo=BRUSSELS)

    changed = store.update_actor(made.id, {"phones": [{"number": "02 520 99 99"}]}, by="joris")
    assert [p.number for p in changed.phones] == ["+3225209999"]
    assert changed.hours == got.hours  # what the change does not name stays


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("phones", [{"number": "12"}], "is not a phone number"),
        ("email", "accueil@", "is not an e-mail address"),
        ("website", "javascript:alert(1)", "is not a web address"),
        ("hours", [{"day": "monday", "opens": "12:00", "closes": "09:00"}], "not after it opens"),
        ("saturation", {"state": "accepting", "weeks": 3, "noted": "2026-11-15"}, "waiting list"),
    ],
)
def test_wrong_details_are_refused_and_change_nothing(
    store: GraphStore, field: str, value: object, says: str
) -> None:
    made = actor(store, "Maison médicale Clemenceau", "health_actor")
    kept = state(store)
    with pytest.raises(InvalidInput, match=says):
        store.update_actor(made.id, {field: value}, by="joris")
    assert state(store) == kept


def test_a_key_resident_has_no_contact_details(store: GraphStore) -> None:
    with pytest.raises(InvalidInput, match="a key resident is a person"):
        actor(store, "Madame R.", "key_resident", consent_date="2026-01-10",
              phones=[{"number": "0470 12 34 56"}])  # fmt: skip
    resident = actor(store, "Madame R.", "key_resident", consent_date="2026-01-10")
    with pytest.raises(InvalidInput, match="a key resident is a person"):
        store.update_actor(resident.id, {"email": "r@example.org"}, by="joris")


def test_still_true_confirms_with_one_event(store: GraphStore) -> None:
    made = actor(store, "Pharmacie Clemenceau", "trader", **DETAILS)
    assert made.confirmed_on is None
    confirmed = store.confirm_actor(made.id, by="amina")
    assert (confirmed.confirmed_on, confirmed.confirmed_by) == (today(), "amina")
    assert confirmed.phones == made.phones
    events = store.list_events(EventFilter(entity_id=made.id)).items
    assert [e.action for e in events] == [EventAction.create, EventAction.confirm]
    assert events[-1].user == "amina"


def test_hours_over_the_week_turn() -> None:
    from graph.model import Opening

    monday = Opening(day="monday", opens="9:00", closes="12:00")
    assert (monday.opens, monday.closes) == ("09:00", "12:00")
    sunday_night = datetime(2026, 12, 6, 23, 0, tzinfo=BRUSSELS)
    assert open_now([monday], sunday_night) is None
    coming = next_open([monday], sunday_night)
    assert coming is not None and coming.on == datetime(2026, 12, 7, 9, 0, tzinfo=BRUSSELS)
    assert next_open([], sunday_night) is None
