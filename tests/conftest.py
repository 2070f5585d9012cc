"""Shared fixtures: a store of each kind, for the contract suite and the API tests.

The Neo4j store talks to a real Neo4j 5.26 server: the one at ``NEO4J_URI`` when set (``make
test`` starts one with ``scripts/neo4j.sh``; docker compose gives another), otherwise this file
starts one with the same script and stops it at the end. Under ``CI=true`` a Neo4j that cannot be
reached fails the run; it is never skipped there.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.errors import StoreUnavailable
from graph.neo4j_store import Neo4jGraphStore
from graph.sqlite_store import SqliteGraphStore
from graph.store import GraphStore

ROOT = Path(__file__).resolve().parents[1]
BACKENDS = ["sqlite", "neo4j"]


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _unavailable(reason: str) -> None:
    if _in_ci():
        pytest.fail(f"Neo4j is required in CI and is not available: {reason}")
    pytest.skip(f"Neo4j not available: {reason}")


@pytest.fixture(scope="session")
def neo4j_uri() -> Iterator[str]:
    uri = os.environ.get("NEO4J_URI")
    if uri:
        yield uri
        return
    script = ROOT / "scripts" / "neo4j.sh"
    running = subprocess.run(
        ["bash", str(script), "status"], capture_output=True, text=True, timeout=60, check=False
    )
    if running.returncode == 0:  # one already runs (started by hand): used, and left running
        yield running.stdout.strip().splitlines()[-1]
        return
    started = subprocess.run(
        ["bash", str(script), "start"], capture_output=True, text=True, timeout=600, check=False
    )
    if started.returncode != 0:
        _unavailable(started.stderr.strip()[-2000:])
    try:
        yield started.stdout.strip().splitlines()[-1]
    finally:  # only the one this session started
        subprocess.run(["bash", str(script), "stop"], capture_output=True, timeout=120, check=False)


@pytest.fixture(scope="session")
def neo4j_store(neo4j_uri: str) -> Iterator[Neo4jGraphStore]:
    try:
        store = Neo4jGraphStore(
            neo4j_uri,
            user=os.environ.get("NEO4J_USER"),
            password=os.environ.get("NEO4J_PASSWORD"),
        )
    except StoreUnavailable as exc:
        _unavailable(exc.message)
    yield store
    store.close()


#: the neighbourhoods the tests place actors in (an actor's neighbourhood must be recorded)
PLACES = [("Cureghem", "Anderlecht"), ("Molenbeek", "Molenbeek-Saint-Jean"),
          ("Molenbeek Historique", "Molenbeek-Saint-Jean"), ("Midi", "Saint-Gilles"),
          ("Nord", "Schaerbeek")]  # fmt: skip


def with_places(store: GraphStore) -> GraphStore:
    """A store with the tests' neighbourhoods recorded, and nothing else."""
    for name, municipality in PLACES:
        store.create_neighbourhood({"name": name, "municipality": municipality}, by="setup")
    return store


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """A store of each kind with the tests' neighbourhoods recorded, and nothing else; the
    test id shows which ([sqlite], [neo4j])."""
    if request.param == "sqlite":
        sqlite = SqliteGraphStore(tmp_path / "maillage.db")
        yield with_places(sqlite)
        sqlite.close()
    else:
        neo4j: Neo4jGraphStore = request.getfixturevalue("neo4j_store")
        neo4j.erase_everything(confirm="erase everything")
        yield with_places(neo4j)


#: the demo as loaded once per session and store: (store, its version right after the load)
_DEMO: dict[str, tuple[GraphStore, int]] = {}


@pytest.fixture(params=BACKENDS)
def demo_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[GraphStore]:
    """The demo neighbourhood, loaded once per session on each store, for tests that only read
    it. It is loaded again only when another test changed the store meanwhile (Neo4j is one
    server: a writing test erases it); a test given it that writes fails, as its store's
    version says."""
    from ingest.demo import load

    if request.param == "sqlite":
        if "sqlite" not in _DEMO:
            sqlite = SqliteGraphStore(tmp_path_factory.mktemp("demo") / "maillage.db")
            load(sqlite)
            _DEMO["sqlite"] = (sqlite, sqlite.version())
        store, version = _DEMO["sqlite"]
    else:
        neo4j: Neo4jGraphStore = request.getfixturevalue("neo4j_store")
        known = _DEMO.get("neo4j")
        if known is None or neo4j.version() != known[1]:
            neo4j.erase_everything(confirm="erase everything")
            load(neo4j)
            _DEMO["neo4j"] = (neo4j, neo4j.version())
        store, version = _DEMO["neo4j"]
    yield store
    assert store.version() == version, "a test given the shared demo wrote to it"


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[GraphStore]:
    """A SQLite store with the tests' neighbourhoods, for tests whose behaviour does not
    depend on the store (HTTP, pages, analysis glue): the contract suite proves both stores
    behave the same."""
    sqlite = SqliteGraphStore(tmp_path / "maillage.db")
    yield with_places(sqlite)
    sqlite.close()


def pytest_report_header() -> str:
    from tests.helpers import SEED

    return f"fuzz seed: MAILLAGE_FUZZ_SEED={SEED} (replays the fuzz runs that are not derandomized)"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Iterator[None]:
    """A failing fuzz test says how to replay it."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.failed and "fuzz" in item.nodeid:
        from tests.helpers import SEED

        report.sections.append(("fuzz seed", f"replay with MAILLAGE_FUZZ_SEED={SEED} make test"))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many store tests ran on each backend, so a skipped Neo4j cannot go unseen."""
    counts: dict[str, dict[str, int]] = {b: {} for b in BACKENDS}
    for outcome in ("passed", "failed", "skipped", "error"):
        for report in terminalreporter.stats.get(outcome, []):
            nodeid = getattr(report, "nodeid", "")
            for backend in BACKENDS:
                if f"[{backend}" in nodeid or f"-{backend}]" in nodeid:
                    counts[backend][outcome] = counts[backend].get(outcome, 0) + 1
    terminalreporter.section("store backends")
    for backend, by_outcome in counts.items():
        shown = ", ".join(f"{n} {o}" for o, n in sorted(by_outcome.items())) or "none"
        terminalreporter.write_line(f"{backend}: {shown}")
