"""Faults: the server killed with SIGKILL in the middle of SQLite writes loses nothing it
acknowledged, and the database opens intact (WAL, synchronous=NORMAL survive a process crash);
Neo4j stopped in the middle of a load: requests answer 503, and the service serves again
without a restart once Neo4j is back, with every acknowledged write there."""

from __future__ import annotations

import io
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.security import issue_token
from graph.model import EntityKind, EventFilter
from graph.neo4j_store import Neo4jGraphStore
from graph.sqlite_store import SqliteGraphStore
from ingest.plan import run_import
from ingest.readers import read
from tests.conftest import with_places
from tests.contract.helpers import state
from tests.helpers import bearer

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
    with_places(SqliteGraphStore(db)).close()  # the schema, before the writers race
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
        actor_events = EventFilter(entity=EntityKind.actor)
        assert store.list_events(actor_events, limit=1).total == len(kept), "one event each"
        made = store.create_actor(
            {"name": "Après la panne", "kind": "association", "neighbourhood": "Cureghem"},
            by="t",
        )
        assert store.get_actor(made.id).name == "Après la panne"
    finally:
        store.close()


IMPORTER = """
import sys, time
from graph.bulk import Batch
from graph.sqlite_store import SqliteGraphStore
SqliteGraphStore.import_chunk = 100
store = SqliteGraphStore(sys.argv[1])

def batches():
    yield Batch(new_actors=[(f"{i:032x}", {"name": f"Asbl importée {i}", "kind": "association",
                                          "neighbourhood": "Cureghem"}) for i in range(1, 301)])
    print("half", flush=True)  # three chunks asked for (written ahead); the import goes on...
    time.sleep(600)
    yield Batch()

store.import_batches(batches(), by="amina (import: carte.csv)")
"""


def test_sigkill_during_an_import_leaves_it_undone_at_the_next_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "m.db"
    store = with_places(SqliteGraphStore(db))
    store.create_actor({"name": "Maison de Quartier Bonnevie", "kind": "association",
                        "neighbourhood": "Cureghem"}, by="joris")  # fmt: skip
    before = state(store)
    store.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    importer = subprocess.Popen([sys.executable, "-c", IMPORTER, str(db)], stdout=subprocess.PIPE,
                                text=True, env=env, cwd=ROOT)  # fmt: skip
    try:
        assert importer.stdout is not None
        assert importer.stdout.readline().strip() == "half"
        # the chunks are made ahead of their writing: wait for the three to be committed
        watcher, deadline = SqliteGraphStore(db), time.monotonic() + 60
        try:
            while watcher.counts()["actors"] < 301 and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            watcher.close()
    finally:
        importer.send_signal(signal.SIGKILL)
        importer.wait(timeout=30)
    store = SqliteGraphStore(db)
    try:
        assert store.counts()["actors"] == 301  # the chunks written before the kill
        assert store.recover_imports() == 0  # two minutes not gone: it might still be writing
        monkeypatch.setattr("graph.bulk.STALE_IMPORT", timedelta(0))
        assert store.recover_imports() == 1
        assert state(store) == before
        assert store.recover_imports() == 0
    finally:
        store.close()


NEO4J_SCRIPT = ROOT / "scripts" / "neo4j.sh"


def _neo4j(command: str, env: dict[str, str]) -> str:
    done = subprocess.run(["bash", str(NEO4J_SCRIPT), command], env=env, capture_output=True,
                          text=True, timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def _own_neo4j_env(tmp_path: Path, **settings: str) -> dict[str, str]:
    """The environment of a Neo4j of its own (the shared one serves the other tests): its
    folder, a free port, a small heap, and ``settings``; the jars are the shared ones."""
    jars = ROOT / ".cache" / "neo4j" / "lib"
    assert (jars / ".complete").exists(), "scripts/neo4j.sh start fetches the jars first"
    home = tmp_path / "neo4j"
    home.mkdir()
    (home / "lib").symlink_to(jars)
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return {**os.environ, "MAILLAGE_NEO4J_HOME": str(home), "MAILLAGE_NEO4J_PORT": str(port),
            "MAILLAGE_NEO4J_HEAP": "512m", **settings}  # fmt: skip


def _wait_for(done: Callable[[], bool], what: str, seconds: float = 120) -> None:
    """Wait for a condition, failing (never hanging) when it does not come."""
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, f"waited {seconds:.0f} s for {what}"
        time.sleep(0.1)


@pytest.mark.neo4j
def test_neo4j_stopped_mid_load_answers_503_and_serves_again_once_back(
    neo4j_uri: str, tmp_path: Path
) -> None:
    """A Neo4j of its own (the shared one serves the other tests): writers post actors, the
    server is stopped under them, every request answers (503, none hangs), and once it is
    started again the same app serves without a restart and every acknowledged write is there."""
    env = _own_neo4j_env(tmp_path)
    uri = _neo4j("start", env)
    try:
        store = with_places(Neo4jGraphStore(uri))
        store.create_user({"name": "coord", "role": "coordinator"}, "x", by="test")
        token = issue_token(store, "coord", "api")[0]
        client = TestClient(create_app(store=store), raise_server_exceptions=False)
        headers = bearer(token)
        acknowledged: list[str] = []
        answers: list[int] = []
        stop = threading.Event()

        def write(k: int) -> None:
            i = 0
            while not stop.is_set():
                body = {"name": f"Asbl {k}-{i}", "kind": "association",
                        "neighbourhood": "Cureghem"}  # fmt: skip
                r = client.post("/api/v1/actors", json=body, headers=headers)
                answers.append(r.status_code)
                if r.status_code == 201:
                    acknowledged.append(r.json()["id"])
                i += 1

        with ThreadPoolExecutor(4) as pool:
            writers = [pool.submit(write, k) for k in range(4)]
            _wait_for(lambda: len(acknowledged) >= 20, "the first writes")
            _neo4j("stop", env)
            down = len(answers)
            # while it is down, every request answers, with 503 and a clear message
            with ThreadPoolExecutor(1) as asker:
                refused = asker.submit(client.get, "/api/v1/actors", headers=headers)
                answer = refused.result(timeout=30)  # a hung request fails here
            assert answer.status_code == 503
            assert "Neo4j cannot be reached" in answer.json()["message"]
            _wait_for(lambda: len(answers) >= down + 8, "answers while Neo4j is down")
            assert 503 in answers[down:]
            _neo4j("start", env)  # the same port: the app was not restarted
            before = len(acknowledged)
            deadline = time.monotonic() + 120
            while len(acknowledged) < before + 10 and time.monotonic() < deadline:
                time.sleep(0.2)
            stop.set()
            for writer in writers:
                writer.result(timeout=60)
        assert len(acknowledged) >= before + 10, "the app did not serve again"
        assert set(answers) <= {201, 503}, sorted(set(answers))
        held = {a.id for a in store.list_actors(limit=1000).items}
        assert set(acknowledged) <= held and len(acknowledged) == len(set(acknowledged))
        store.close()
    finally:
        subprocess.run(["bash", str(NEO4J_SCRIPT), "stop"], env=env, capture_output=True,
                       timeout=120, check=False)  # fmt: skip


@pytest.mark.neo4j
def test_an_import_larger_than_one_neo4j_transaction_is_written_in_chunks(
    neo4j_uri: str, tmp_path: Path
) -> None:
    """A file larger than what the server's transactions may hold (MAILLAGE_NEO4J_TX_MEMORY,
    here a small one: it refused this file whole when an import was one transaction) is
    written a chunk per transaction, every record and event of it."""
    env = _own_neo4j_env(tmp_path, MAILLAGE_NEO4J_TX_MEMORY="30m")
    uri = _neo4j("start", env)
    try:
        store = with_places(Neo4jGraphStore(uri))
        actors = "".join(f"Asbl {i};association;Cureghem\n" for i in range(3000))
        links = "".join(f"Asbl {i},Asbl {i + 1},KNOWS,{1 + i % 3}\n" for i in range(2999))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("acteurs.csv", "Nom;Type;Quartier\n" + actors)
            archive.writestr("liens.csv", "De,Vers,Type de lien,Force\n" + links)
        done = run_import(store, read(buffer.getvalue(), "carte.zip"), by="coord")
        assert done["written"] == {"actors_created": 3000, "actors_updated": 0,
                                   "links_created": 2999, "links_updated": 0}  # fmt: skip
        counts = store.counts()
        assert (counts["actors"], counts["links"]) == (3000, 2999)
        assert store.list_events(EventFilter(user="coord (import: carte.zip)")).total == 5999
        store.close()
    finally:
        _neo4j("stop", env)
