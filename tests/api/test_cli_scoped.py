"""The command line's user-facing verbs (analyse, view, export) work as a user with ``--as``:
what that user may see, never more."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from graph.living import stale_actors
from graph.model import ActorFilter, today
from graph.sqlite_store import SqliteGraphStore
from tests.helpers import cli

ROOT = Path(__file__).resolve().parents[2]


def test_analyse_view_and_export_as_a_user(tmp_path: Path) -> None:
    env = {**os.environ, "MAILLAGE_DB": str(tmp_path / "m.db"), "MAILLAGE_STORE": "sqlite"}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "api.cli", *args], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=120)  # fmt: skip

    assert cli("demo").returncode == 0
    store = SqliteGraphStore(tmp_path / "m.db")
    residents = [a.name for a in store.list_actors(ActorFilter(kind="key_resident")).items]
    store.create_user({"name": "nadia", "role": "bar"}, "unused-hash", by="admin")  # no team
    store.close()
    assert residents
    # the operator (no --as) reads everything; the partner (a viewer) no key resident
    everything = tmp_path / "all.json"
    assert cli("export", "--format", "kumu", "--output", str(everything)).returncode == 0
    assert all(name in everything.read_text(encoding="utf-8") for name in residents)
    partner = tmp_path / "partner.json"
    made = cli("export", "--format", "kumu", "--output", str(partner), "--as", "partner")
    assert made.returncode == 0, made.stderr
    shown = partner.read_text(encoding="utf-8")
    assert json.loads(shown)["elements"] and not any(name in shown for name in residents)
    # a user without a team is refused, with the reason
    for args in (("analyse", "isolation"), ("view", "neighbourhood", "--output",
                 str(tmp_path / "v.html")), ("export", "--format", "csv", "--output",
                 str(tmp_path / "x.zip"))):  # fmt: skip
        refused = cli(*args, "--as", "nadia")
        assert refused.returncode == 1 and "not attached to a BAR team" in refused.stderr, args
    # an unknown user is an error, not the operator's view
    assert cli("analyse", "isolation", "--as", "ghost").returncode == 1
    view = cli("view", "isolation", "--output", str(tmp_path / "p.html"), "--as", "partner")
    assert view.returncode == 0, view.stderr
    page = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert not any(name in page for name in residents)


def test_the_living_directory_on_the_command_line(tmp_path: Path) -> None:
    """``maillage actors show`` gives what a referral needs (phones as dialled, hours,
    whether it takes new people); ``actors to-check`` the round; both as a user sees."""
    env = {**os.environ, "MAILLAGE_DB": str(tmp_path / "m.db"), "MAILLAGE_STORE": "sqlite",
           "COLUMNS": "200"}  # a table's names unwrapped  # fmt: skip
    assert cli("demo", env=env).returncode == 0
    store = SqliteGraphStore(tmp_path / "m.db")
    clinic = store.list_actors(ActorFilter(q="maison medicale clemenceau")).items[0]
    store.update_actor(clinic.id, {"phones": [{"number": "02/520 12 34"}]}, by="amina")
    store.confirm_actor(clinic.id, by="amina")
    resident = store.list_actors(ActorFilter(kind="key_resident")).items[0].name
    oldest = stale_actors(store.list_actors(ActorFilter(), limit=1000).items, today())[0].name
    store.close()
    shown = cli("actors", "show", "maison médicale clemenceau", "--as", "amina", env=env)
    assert shown.returncode == 0, shown.stderr
    assert "reception: 02 520 12 34" in shown.stdout and "monday: 08:30–18:30" in shown.stdout
    assert "new people: closed" in shown.stdout
    hidden = cli("actors", "show", resident, "--as", "partner", env=env)  # a viewer
    assert hidden.returncode == 1 and hidden.stdout == ""  # as if there were none
    round_ = cli("actors", "to-check", "--as", "amina", env=env)
    assert round_.returncode == 0, round_.stderr
    count = int(round_.stdout.strip().splitlines()[-1].split()[0])
    assert count > 0 and oldest in round_.stdout  # the demo's longest unconfirmed
    assert clinic.name not in round_.stdout  # confirmed today: not to check
