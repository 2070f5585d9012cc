"""Events: every write appends who, when, what, before and after — on both stores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from graph.model import EntityKind, EventAction, EventFilter, EventsOf
from graph.store import GraphStore
from tests.conftest import PLACES

from .helpers import actor


def test_every_write_appends_an_event(store: GraphStore) -> None:
    a = actor(store, "Maison de la participation")
    b = actor(store, "Wijkgezondheidscentrum", kind="health_actor")
    link = store.create_link({"source": a.id, "target": b.id, "type": "KNOWS"}, by="bo")
    store.update_link(link.id, {"strength": 2}, by="chris")
    store.update_actor(a.id, {"description": "lieu ouvert"}, by="chris")
    events = [e for e in store.list_events().items if e.user != "setup"]  # not the fixture's
    assert [(e.user, e.action, e.entity) for e in events] == [
        ("ana", EventAction.create, EntityKind.actor),
        ("ana", EventAction.create, EntityKind.actor),
        ("bo", EventAction.create, EntityKind.link),
        ("chris", EventAction.update, EntityKind.link),
        ("chris", EventAction.update, EntityKind.actor),
    ]
    assert [e.seq for e in events] == sorted(e.seq for e in events)
    update = events[3]
    assert update.before is not None and update.after is not None
    assert update.before["strength"] == 1 and update.after["strength"] == 2
    assert events[0].before is None and events[0].after is not None
    assert sorted(update.actors) == sorted([a.id, b.id])


def test_events_filter_by_actor_user_entity_and_time(store: GraphStore) -> None:
    a = actor(store, "Asbl Diversité")
    b = actor(store, "Café Brussels", kind="trader")
    c = actor(store, "Bibliothèque")
    store.create_link({"source": a.id, "target": b.id, "type": "KNOWS"}, by="bo")
    assert store.list_events(EventFilter(actor=a.id)).total == 2
    assert store.list_events(EventFilter(actor=c.id)).total == 1
    assert store.list_events(EventFilter(user="bo")).total == 1
    assert store.list_events(EventFilter(entity=EntityKind.link)).total == 1
    assert store.list_events(EventFilter(entity_id=b.id)).total == 1
    now = datetime.now(UTC)
    setup = len(PLACES)  # the fixture records the tests' neighbourhoods, one event each
    assert store.list_events(EventFilter(start=now - timedelta(minutes=5))).total == 4 + setup
    assert store.list_events(EventFilter(end=now - timedelta(minutes=5))).total == 0
    page = store.list_events(limit=3, offset=3 + setup)
    assert page.total == 4 + setup and len(page.items) == 1


def test_events_keep_the_record_at_the_time(store: GraphStore) -> None:
    a = actor(store, "Ancien nom")
    store.update_actor(a.id, {"name": "Nouveau nom"}, by="bo")
    history = store.list_events(EventFilter(entity_id=a.id)).items
    assert history[0].after is not None and history[0].after["name"] == "Ancien nom"
    assert history[1].before is not None and history[1].before["name"] == "Ancien nom"
    assert history[1].after is not None and history[1].after["name"] == "Nouveau nom"


def test_the_version_changes_with_every_write(store: GraphStore) -> None:
    start = store.version()
    a = actor(store, "Asbl Version")
    after_one = store.version()
    assert after_one > start
    store.update_actor(a.id, {"description": "changed"}, by="ana")
    assert store.version() > after_one
    store.counts()
    assert store.version() == store.version()  # reading changes nothing


def test_the_warm_up_reads_nothing_and_changes_nothing(store: GraphStore) -> None:
    """A server's start plans the region's reads (``warm_up``): no event, no version, the
    same network after it."""
    a = actor(store, "Asbl Warm")
    before = (store.version(), store.counts(), store.event_marks())
    store.warm_up()
    assert (store.version(), store.counts(), store.event_marks()) == before
    assert list(store.snapshot()) == [a.id]


def test_the_directory_marks_are_the_confirmations_and_the_saturations(store: GraphStore) -> None:
    """``EventsOf(marks_only=True)``, what the indicators' directory rounds read: every
    confirmation and every record holding a saturation, and not the other events — nor a text
    that spells a saturation in its words."""
    full = {"state": "waiting_list", "weeks": 4, "noted": "2026-10-01"}
    plain = actor(store, "Asbl Plain")
    born_full = actor(store, "Maison Pleine", kind="public_service", saturation=full)
    later = actor(store, "Centre Tardif", kind="public_service")
    store.update_actor(later.id, {"saturation": {**full, "noted": "2026-11-02"}}, by="ana")
    checked = actor(store, "Asbl Vérifiée")
    store.confirm_actor(checked.id, by="ana")
    words = actor(store, 'Asbl "saturation":{ des mots', description='{"saturation":{"state"}')
    ids = [a.id for a in (plain, born_full, later, checked, words)]

    every = store.list_events(EventsOf(entity=EntityKind.actor, entity_ids=ids)).items
    marks = store.list_events(
        EventsOf(entity=EntityKind.actor, entity_ids=ids, marks_only=True)
    ).items
    assert len(every) == 7
    assert [(e.entity_id, e.action.value) for e in marks] == [
        (born_full.id, "create"), (later.id, "update"), (checked.id, "confirm")
    ]  # fmt: skip
    assert [e.seq for e in marks] == sorted(e.seq for e in marks)
