"""Analyses answer on every graph: an empty store, an unknown neighbourhood, one actor, actors
without links (a new team's first day) — with empty results and a sentence saying why — and the
pure functions take what direct callers give them."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from analysis.bridging import bridging_opportunities
from analysis.brokerage import brokerage_census
from analysis.centrality import betweenness
from api.analyses import REGISTRY
from graph.sqlite_store import SqliteGraphStore
from tests.helpers import bearer


def _ask(store: SqliteGraphStore, name: str, neighbourhood: str | None = None):  # type: ignore[no-untyped-def]
    params = {"first": "2026-01-01"} if name == "compare" else {}
    return REGISTRY[name](store, params, neighbourhood)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_analysis_answers_on_a_new_teams_first_days(tmp_path: Path, name: str) -> None:
    store = SqliteGraphStore(tmp_path / "m.db")
    empty = _ask(store, name).note  # type: ignore[attr-defined]
    assert empty and ("nothing to analyse" in empty or "No referral" in empty), empty
    assert _ask(store, name, "Nowhere").note  # type: ignore[attr-defined]
    store.create_neighbourhood({"name": "C", "municipality": "Anderlecht"}, by="t")
    store.create_actor({"name": "Asbl Seule", "kind": "association", "neighbourhood": "C",
                        "since": "2025-01-01"}, by="t")  # fmt: skip
    assert _ask(store, name).note  # type: ignore[attr-defined]
    for other in ("Épicerie Une", "Épicerie Deux"):
        store.create_actor({"name": other, "kind": "trader", "neighbourhood": "C",
                            "since": "2025-01-01", "themes": ["food"]}, by="t")  # fmt: skip
    no_links = _ask(store, name)
    note = no_links.note  # type: ignore[attr-defined]
    assert note is not None and ("No link" in note or "No referral" in note), note


def test_the_pure_functions_take_what_callers_give() -> None:
    multi = nx.MultiGraph([("a", "b"), ("a", "b"), ("b", "c")])
    assert betweenness(multi)["values"]["b"] == 1.0
    two = nx.Graph([("a", "b")])
    assert betweenness(two, exact_limit=0, samples=1)["values"] == {"a": 0.0, "b": 0.0}
    census = brokerage_census(nx.Graph([("a", "b"), ("b", "c")]), {"a": "x", "c": "x"})
    assert census["b"]["itinerant"] == 2  # b, in no group, stands between two of group x
    unweighted = nx.Graph([("a", "b"), ("b", "c")])
    for n, kind in (("a", "trader"), ("b", "association"), ("c", "school")):
        unweighted.nodes[n].update(name=n, kind=kind, themes=["youth"])
    found = bridging_opportunities(unweighted, {"a": 0, "b": 0, "c": 1})
    assert [{x["id"] for x in f["actors"]} for f in found] == [{"a", "c"}]


def test_a_bug_in_an_analysis_is_a_server_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only BadParameter is the user's to fix (422); any other error is a bug: 500, logged."""
    from fastapi.testclient import TestClient

    import api.analyses as glue
    from api.app import create_app
    from api.security import hash_password, issue_token

    store = SqliteGraphStore(tmp_path / "m.db")
    hashed = hash_password("a long coordinating passphrase", "boss")
    store.create_user({"name": "boss", "role": "coordinator"}, hashed, by="t")
    token = issue_token(store, "boss", "api")[0]

    def broken(*_: object, **__: object) -> dict[str, object]:
        raise ValueError("a bug")

    monkeypatch.setattr(glue, "isolated_actors", broken)
    client = TestClient(create_app(store=store), raise_server_exceptions=False)
    answer = client.get("/api/v1/analysis/isolation", headers=bearer(token))
    assert answer.status_code == 500 and "a bug" not in answer.text
    period = {"start": "2026-01-01", "end": "2025-01-01"}
    bad = client.get("/api/v1/analysis/growth", params=period, headers=bearer(token))
    assert bad.status_code == 422 and "before start" in bad.json()["message"]
