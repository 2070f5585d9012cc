"""A store written by the previous release opens with today's code without loss: its schema
migrates (the import journal of 2026-11-30), every record reads as it was (the new fields of
the living directory empty), the history is whole, its users log in, and the new fields can be
written. ``data/release-2026-11-29.db`` was made by that release (``data/make_release_store.py``
says how)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path

from api.security import authenticate
from graph.bulk import Batch
from graph.model import ActorFilter, EventFilter, LinkFilter
from graph.neo4j_store import Neo4jGraphStore
from graph.sqlite_store import MIGRATIONS, SqliteGraphStore
from tests.conftest import with_places

RELEASE = Path(__file__).parent / "data" / "release-2026-11-29.db"


def test_a_store_of_the_previous_release_migrates_without_loss(tmp_path: Path) -> None:
    copy = tmp_path / "m.db"
    shutil.copy(RELEASE, copy)  # opening migrates it: never the file kept in the repository
    with sqlite3.connect(copy) as conn:  # as an import of a French sheet left its words
        conn.execute(
            "UPDATE actors SET data = json_set(data, '$.themes', json('[\"jeunesse\", "
            '"santé"]\'), \'$.languages\', json(\'["français", "arabe"]\')) '
            "WHERE name_norm = 'maison de quartier bonnevie'"
        )
    store = SqliteGraphStore(copy)
    try:
        assert store.schema_version == len(MIGRATIONS)
        counts = store.counts()
        assert (counts["actors"], counts["links"], counts["events"]) == (5, 3, 15)
        assert (counts["referrals"], counts["activities"]) == (1, 1)
        actors = {a.name: a for a in store.list_actors(ActorFilter(), limit=100).items}
        assert set(actors) == {"Maison de quartier Bonnevie", "Fırın Anadolu",
                               "Maison médicale Le Noyer", "Madame R."}  # fmt: skip
        house = actors["Maison de quartier Bonnevie"]
        # the words of any of the three languages became the vocabulary's codes
        assert house.themes == ["youth", "health"] and house.languages == ["fr", "ar"]
        by_theme = store.list_actors(ActorFilter(theme="jeugd", language="Arabisch"), limit=9)
        assert [a.name for a in by_theme.items] == [house.name]  # stored as codes: found
        assert house.address == "Rue Bonnevie 40, 1080 Molenbeek"
        assert (house.phones, house.hours, house.access, house.confirmed_on) == ([], [], None, None)
        shop = actors["Fırın Anadolu"]
        assert (shop.subtype, shop.latitude) == ("bakery", 50.84)
        ended = store.list_actors(ActorFilter(as_of=date(2024, 6, 1)), limit=100).items
        assert "Asbl Éphémère" in {a.name for a in ended}
        links = store.list_links(LinkFilter(as_of=date(2025, 1, 1)), limit=100).items
        assert {link.type.value for link in links} == {"KNOWS", "REFERS_TO"}  # not the retracted
        assert store.list_events(EventFilter(user="amina"), limit=100).total == 11
        assert authenticate(store, "amina", "an old release password") is not None
        # names compare as they do now: the keys kept from them were computed again
        assert [a.name for a in store.list_actors(ActorFilter(q="firin"), limit=5).items] == [
            "Fırın Anadolu"
        ]

        # and what the new release adds is written on it
        hours = [{"day": "monday", "opens": "07:00", "closes": "19:00"}]
        phoned = store.update_actor(
            shop.id, {"phones": [{"number": "02 520 12 34"}], "hours": hours}, by="joris"
        )
        assert phoned.phones[0].number == "+3225201234"
        assert store.confirm_actor(house.id, by="amina").confirmed_by == "amina"
        made = store.import_batch(Batch(new_actors=[("e" * 32, {
            "name": "Repair café Clemenceau", "kind": "association",
            "neighbourhood": "Cureghem"})]), by="amina (import: carte.csv)")  # fmt: skip
        assert made["actors_created"] == 1
    finally:
        store.close()


def test_an_older_actors_first_change_can_be_undone(tmp_path: Path) -> None:
    """Undoing gives the fields their values before the change: an older record had no
    phones at all (null), which clears the list again."""
    copy = tmp_path / "m.db"
    shutil.copy(RELEASE, copy)
    store = SqliteGraphStore(copy)
    try:
        shop = (
            store.list_actors(ActorFilter(q="firin"), limit=5).items
            or store.list_actors(ActorFilter(q="anadolu"), limit=5).items
        )
        changed = store.update_actor(shop[0].id, {"phones": [{"number": "0470 12 34 56"}]},
                                     by="joris")  # fmt: skip
        assert len(changed.phones) == 1
        back = store.update_actor(shop[0].id, {"phones": None, "contacts": None}, by="joris")
        assert (back.phones, back.contacts) == ([], [])
    finally:
        store.close()


def test_neo4j_computes_the_name_keys_again_when_names_compare_otherwise(
    neo4j_store: Neo4jGraphStore,
) -> None:
    """A Neo4j store written before names folded "ı" keeps "fırın" as the key: opened again,
    it computes its keys again, once (SQLite does it in its migration 7)."""
    neo4j_store.erase_everything(confirm="erase everything")
    store = with_places(neo4j_store)
    shop = store.create_actor({"name": "Fırın Anadolu", "kind": "trader",
                               "neighbourhood": "Cureghem"}, by="joris")  # fmt: skip
    key = "fırın anadolu|cureghem"
    data = json.dumps({**shop.model_dump(mode="json"), "natural_key": key})
    old = {"id": shop.id, "norm": "fırın anadolu", "key": key, "data": data}
    store._write(lambda tx: tx.tx.run(  # as the previous release wrote it
        "MATCH (a:Actor {id: $id}) SET a.name_norm = $norm, a.natural_key = $key, "
        "a.data = $data WITH a MATCH (m:Meta {key: 'names'}) DELETE m", old).consume())  # fmt: skip
    assert store.list_actors(ActorFilter(q="firin"), limit=5).total == 0
    store.ensure_schema()  # what opening the store does
    found = store.list_actors(ActorFilter(q="firin"), limit=5).items
    assert [a.id for a in found] == [shop.id]
    assert found[0].natural_key == "firin anadolu|cureghem"
