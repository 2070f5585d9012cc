"""What only the SQLite store does: file, WAL, foreign keys, versioned migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from graph.errors import InvalidInput, StoreUnavailable
from graph.sqlite_store import MIGRATIONS, SqliteGraphStore


def test_file_wal_foreign_keys_and_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "maillage.db"
    store = SqliteGraphStore(path)
    assert path.exists()
    assert store.schema_version == len(MIGRATIONS)
    conn = store._conn()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO links (id, source, target, type, mission, recorded_by, data)"
            " VALUES ('l', 'ghost', 'ghost2', 'KNOWS', 'networking', 'x', '{}')"
        )
    store.close()


def test_data_survives_reopening_and_migrations_run_once(tmp_path: Path) -> None:
    path = tmp_path / "maillage.db"
    store = SqliteGraphStore(path)
    store.create_neighbourhood({"name": "Cureghem", "municipality": "Anderlecht"}, by="ana")
    a = store.create_actor({"name": "Asbl", "kind": "other", "neighbourhood": "Cureghem"}, by="ana")
    store.close()
    again = SqliteGraphStore(path)
    assert again.get_actor(a.id) == a
    assert again.schema_version == len(MIGRATIONS)
    again.close()


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "maillage.db"
    SqliteGraphStore(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    with pytest.raises(StoreUnavailable, match="newer than this Maillage"):
        SqliteGraphStore(path)


def test_memory_is_refused_with_a_reason() -> None:
    with pytest.raises(InvalidInput, match="file path"):
        SqliteGraphStore(":memory:")


def test_an_unreadable_file_is_store_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "not-a-db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreUnavailable):
        SqliteGraphStore(path)


def test_an_erased_actor_leaves_no_copy_in_the_files(tmp_path: Path) -> None:
    """After an erasure, neither the database nor its WAL holds the actor's text: deleted
    content is zeroed (secure_delete) and the WAL is emptied (checkpoint TRUNCATE)."""
    store = SqliteGraphStore(tmp_path / "m.db")
    store.create_neighbourhood({"name": "Midi", "municipality": "Saint-Gilles"}, by="t")
    secret = {"name": "Zyxwvut Quellenhof", "address": "Rue Secrètissime 42",
              "description": "Unmistakablewordforerasure"}  # fmt: skip
    kept = store.create_actor({"name": "Asbl Kept", "kind": "association", "neighbourhood": "Midi"},
                              by="t")  # fmt: skip
    gone = store.create_actor({**secret, "kind": "key_resident", "neighbourhood": "Midi",
                               "consent_date": "2024-01-01"}, by="t")  # fmt: skip
    store.update_actor(gone.id, {"description": "Unmistakablewordforerasure again"}, by="t")
    store.create_link({"source": kept.id, "target": gone.id, "type": "KNOWS"}, by="t")
    files = [tmp_path / "m.db", tmp_path / "m.db-wal"]
    before = b"".join(f.read_bytes() for f in files if f.exists())
    assert secret["name"].encode() in before  # the test can see the text where it is
    store.erase_actor(gone.id, by="coordinator", reason="asked by the person")
    after = b"".join(f.read_bytes() for f in files if f.exists())
    for text in secret.values():
        assert text.encode() not in after, text
    assert b"Asbl Kept" in after
    store.close()
