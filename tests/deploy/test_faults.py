"""Faults: the server killed with SIGKILL in the middle of SQLite writes loses nothing it
acknowledged, and the database opens intact (WAL, synchronous=NORMAL survive a process crash)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from graph.model import EventFilter
from graph.sqlite_store import SqliteGraphStore

ROOT = Path(__file__).resolve().parents[2]
WRITER = """
import sys
from graph.sqlite_store import SqliteGraphStore
store = SqliteGraphStore(sys.argv[1])
who = sys.argv[2]
i = 0
while True:
    made = store.create_actor({"name": f"Asbl {who} {i}", "kind": "association",
                               "neighbourhood": "Cureghem", "since": "2024-01-01"}, by=who)
    print(made.id, flush=True)  # acknowledged: the write has committed
    i += 1
"""


def test_sigkill_during_sqlite_writes_loses_no_acknowledged_write(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    SqliteGraphStore(db).close()  # the schema, before the writers race
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db), f"w{k}"],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        for k in range(3)
    ]
    acknowledged: set[str] = set()
    try:
        for writer in writers:
            assert writer.stdout is not None
            for _ in range(40):
                line = writer.stdout.readline()
                assert line, "a writer stopped before being killed"
                acknowledged.add(line.strip())
    finally:
        for writer in writers:
            writer.send_signal(signal.SIGKILL)
        for writer in writers:
            assert writer.stdout is not None
            rest = writer.stdout.read()  # to the end: the pipe closes with the process
            writer.wait(timeout=30)
            # whole lines only: a line cut by the kill was never acknowledged
            acknowledged.update(x for x in rest.split("\n")[:-1] if x)
            assert writer.returncode == -signal.SIGKILL
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    store = SqliteGraphStore(db)
    try:
        kept: set[str] = set()
        while len(kept) < store.counts()["actors"]:
            kept |= {a.id for a in store.list_actors(limit=1000, offset=len(kept)).items}
        lost = sorted(acknowledged - kept)
        assert not lost, f"acknowledged writes lost: {lost}"
        assert store.list_events(EventFilter(), limit=1).total == len(kept), "one event each"
        made = store.create_actor(
            {"name": "Après la panne", "kind": "association", "neighbourhood": "Cureghem"},
            by="t",
        )
        assert store.get_actor(made.id).name == "Après la panne"
    finally:
        store.close()
