"""How ``release-2026-11-29.db`` was made: a small store written by the release before the
living directory (commit 82ebcba, schema version 5), every kind of record and a history.

    git worktree add /tmp/prev 82ebcba
    PYTHONPATH=/tmp/prev .venv/bin/python tests/graph/data/make_release_store.py OUT.db

Kept as a file: ``tests/graph/test_migration.py`` opens it with today's code.
"""

import sys

from api.security import hash_password
from graph.sqlite_store import SqliteGraphStore


def main(path: str) -> None:
    store = SqliteGraphStore(path)
    store.create_neighbourhood(
        {"name": "Cureghem", "municipality": "Anderlecht", "sector_codes": ["21001A01-"]},
        by="coordinator",
    )
    house = store.create_actor(
        {
            "name": "Maison de quartier Bonnevie",
            "kind": "association",
            "neighbourhood": "Cureghem",
            "since": "2024-01-01",
            "themes": ["youth", "health"],
            "languages": ["fr", "ar"],
            "address": "Rue Bonnevie 40, 1080 Molenbeek",
        },
        by="amina",
    )
    shop = store.create_actor(
        {
            "name": "Fırın Anadolu",
            "kind": "trader",
            "subtype": "bakery",
            "neighbourhood": "Cureghem",
            "since": "2024-02-01",
            "languages": ["tr"],
            "latitude": 50.84,
            "longitude": 4.32,
        },
        by="joris",
    )
    clinic = store.create_actor(
        {
            "name": "Maison médicale Le Noyer",
            "kind": "health_actor",
            "neighbourhood": "Cureghem",
            "since": "2023-05-01",
        },
        by="amina",
    )
    resident = store.create_actor(
        {
            "name": "Madame R.",
            "kind": "key_resident",
            "neighbourhood": "Cureghem",
            "since": "2024-03-01",
            "consent_date": "2024-03-01",
        },
        by="amina",
    )
    gone = store.create_actor(
        {
            "name": "Asbl Éphémère",
            "kind": "association",
            "neighbourhood": "Cureghem",
            "since": "2024-01-10",
        },
        by="amina",
    )
    store.end_actor(gone.id, __import__("datetime").date(2025, 1, 31), by="amina")
    store.create_link(
        {
            "source": house.id,
            "target": shop.id,
            "type": "KNOWS",
            "since": "2024-03-01",
            "strength": 2,
        },
        by="amina",
    )
    store.create_link(
        {"source": shop.id, "target": clinic.id, "type": "REFERS_TO", "since": "2024-04-01"},
        by="joris",
    )
    wrong = store.create_link(
        {"source": resident.id, "target": house.id, "type": "KNOWS"}, by="amina"
    )
    store.retract_link(wrong.id, by="amina", reason="recorded twice")
    store.create_referral(
        {
            "date": "2025-06-01",
            "from_actor": house.id,
            "to_actor": clinic.id,
            "theme": "health",
            "count": 2,
        },
        by="amina",
    )
    store.create_activity(
        {
            "name": "Séance d'information santé",
            "mission": "collective",
            "neighbourhood": "Cureghem",
            "participants": [house.id, clinic.id],
            "since": "2025-05-01",
        },
        by="amina",
    )
    store.create_follow_up(
        {
            "actors": [shop.id, clinic.id],
            "taken_by": "amina",
            "neighbourhood": "Cureghem",
            "what": "introduce",
        },
        by="amina",
    )
    store.create_user(
        {"name": "amina", "role": "bar", "actor_id": None},
        hash_password("an old release password", "amina"),
        by="setup",
    )
    store.close()


if __name__ == "__main__":
    main(sys.argv[1])
