"""The access policy, tested as a role × route × neighbourhood matrix on both stores.

Two neighbourhoods, Midi and Nord, each with its BAR team, an association, a key resident, a
link, an activity and a referral. Each row: who asks, what, and the status the policy gives.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from api.policy import POLICY_TABLE
from api.security import hash_password, issue_token
from graph.store import GraphStore
from tests.helpers import bearer

from .conftest import Api

ROOT = Path(__file__).resolve().parents[2]


def _setup(store: GraphStore) -> tuple[dict[str, str], dict[str, str]]:
    ids: dict[str, str] = {}

    def actor(key: str, name: str, where: str, kind: str = "association", **extra: Any) -> None:
        data = {"name": name, "kind": kind, "neighbourhood": where, "since": "2024-01-01"}
        ids[key] = store.create_actor({**data, **extra}, by="setup").id

    for where in ("Midi", "Nord"):
        w = where.lower()
        actor(f"team_{w}", f"BAR {where}", where, "bar_team")
        actor(f"asbl_{w}", f"Asbl {where}", where)
        actor(f"asbl2_{w}", f"Maison {where}", where)
        actor(f"kr_{w}", f"Tante {where}", where, "key_resident", consent_date="2024-01-01")
        link = {"source": ids[f"asbl_{w}"], "target": ids[f"asbl2_{w}"], "type": "KNOWS"}
        ids[f"link_{w}"] = store.create_link({**link, "since": "2024-02-01"}, by="setup").id
        ids[f"activity_{w}"] = store.create_activity(
            {"name": f"Fête {where}", "mission": "community", "neighbourhood": where,
             "participants": [ids[f"asbl_{w}"]], "since": "2024-03-01"},
            by="setup",
        ).id  # fmt: skip
        ids[f"referral_{w}"] = store.create_referral(
            {"date": "2024-04-01", "from_actor": ids[f"team_{w}"], "to_actor": ids[f"asbl_{w}"],
             "theme": "housing"},
            by="setup",
        ).id  # fmt: skip
    hashed = hash_password("a long matrix password", "m-user")
    users = {
        "admin": ("admin", None),
        "coordinator": ("coordinator", None),
        "bar": ("bar", ids["team_midi"]),
        "viewer": ("viewer", ids["team_midi"]),
        "loose": ("bar", None),  # a BAR worker not attached to a team yet
    }
    tokens = {}
    for name, (role, team) in users.items():
        store.create_user({"name": f"m-{name}", "role": role, "actor_id": team}, hashed, by="t")
        tokens[name] = issue_token(store, f"m-{name}", "api")[0]
    return ids, tokens


def test_the_matrix(api_on_each_store: Api) -> None:
    api = api_on_each_store
    ids, tokens = _setup(api.store)
    new_actor = {"kind": "association", "since": "2024-01-01"}

    kinds = {"admin": "PARTNER_OF", "coordinator": "COLLABORATES_WITH", "bar": "INFORMS",
             "viewer": "REFERS_TO", "loose": "KNOWS"}  # fmt: skip

    def link(a: str, b: str, who: str) -> dict[str, Any]:
        return {"source": ids[a], "target": ids[b], "type": kinds[who], "since": "2024-05-01"}

    # (role, method, path, body, expected status) — M: Midi (the bar/viewer team), N: Nord
    rows: list[tuple[str, str, str, Any, int]] = []
    everyone = ("admin", "coordinator", "bar", "viewer", "loose")
    for who in everyone:
        manager = who in ("admin", "coordinator")
        writes_m = manager or who == "bar"

        def sees(
            where: str, key_resident: bool = False, who: str = who, manager: bool = manager
        ) -> int:
            """A record the reader may not see answers as an unknown id does: 404."""
            if manager:
                return 200
            if who == "loose":
                return 404
            if who == "viewer":
                return 200 if where == "midi" and not key_resident else 404
            return 200 if where == "midi" or not key_resident else 404

        rows += [
            # the directory
            (who, "GET", f"/actors/{ids['asbl_midi']}", None, sees("midi")),
            (who, "GET", f"/actors/{ids['asbl_nord']}", None, sees("nord")),
            (who, "GET", f"/actors/{ids['asbl_nord']}?as_of=2024-01-15", None, sees("nord")),
            (who, "GET", f"/actors/{ids['kr_midi']}", None, sees("midi", True)),
            (who, "GET", f"/actors/{ids['kr_nord']}", None, sees("nord", True)),
            (who, "GET", f"/actors/{ids['kr_nord']}?as_of=2023-01-01", None,
             404),  # before it existed: 404 for everyone
            (who, "GET", f"/links/{ids['link_nord']}", None, sees("nord")),
            (who, "GET", f"/activities/{ids['activity_nord']}", None, sees("nord")),
            (who, "GET", f"/referrals/{ids['referral_nord']}", None, sees("nord")),
            (who, "GET", f"/actors/{ids['asbl_nord']}/network", None, sees("nord")),
            (who, "GET", "/reach?neighbourhood=Nord", None, 200 if writes_m else 403),
            # writing in one's own neighbourhood, and in another
            (
                who,
                "POST",
                "/actors",
                {**new_actor, "name": f"New M {who}", "neighbourhood": "Midi"},
                201 if writes_m else 403,
            ),
            (
                who,
                "POST",
                "/actors",
                {**new_actor, "name": f"New N {who}", "neighbourhood": "Nord"},
                201 if manager else 403,
            ),
            (
                who,
                "PATCH",
                f"/actors/{ids['asbl2_midi']}",
                {"description": who},
                200 if writes_m else 403,
            ),
            (
                who,
                "PATCH",
                f"/actors/{ids['asbl2_nord']}",
                {"description": who},
                200 if manager else 403,
            ),
            # moving an actor needs rights on both neighbourhoods
            (
                who,
                "PATCH",
                f"/actors/{ids['asbl_midi']}",
                {"neighbourhood": "Nord"},
                200 if manager else 403,
            ),
            # (and back, for the rows that follow)
            (
                who,
                "PATCH",
                f"/actors/{ids['asbl_midi']}",
                {"neighbourhood": "Midi"},
                200 if writes_m else 403,
            ),
            (
                who,
                "POST",
                "/links",
                link("asbl2_midi", "asbl2_nord", who),
                201 if writes_m else 403,
            ),
            (
                who,
                "POST",
                "/links",
                link("asbl_nord", "kr_nord", who),
                201 if manager else 404 if who == "bar" else 403,
            ),
            # a key resident is reachable only from its own neighbourhood, whoever asks
            (who, "POST", "/links", link("asbl_midi", "kr_nord", who),
             403 if manager or who != "bar" else 404),
            (who, "POST", "/links", link("asbl_nord", "kr_midi", who), 403),
            (
                who,
                "POST",
                "/activities",
                {"name": f"Act {who}", "mission": "collective", "neighbourhood": "Nord"},
                201 if manager else 403,
            ),
            (
                who,
                "POST",
                "/activities",
                {"name": f"Act KR {who}", "mission": "collective", "neighbourhood": "Midi",
                 "participants": [ids["kr_nord"]]},
                403 if manager or who != "bar" else 404,
            ),
            (
                who,
                "POST",
                "/referrals",
                {
                    "date": "2024-06-01",
                    "from_actor": ids["team_nord"],
                    "to_actor": ids["asbl2_nord"],
                    "theme": "debt",
                },
                201 if manager else 403,
            ),
            (
                who,
                "POST",
                "/referrals",
                {"date": "2024-06-01", "from_actor": ids["team_midi"],
                 "to_actor": ids["kr_nord"], "theme": "debt"},
                403 if manager or who != "bar" else 404,
            ),
            (
                who,
                "POST",
                "/neighbourhoods",
                {"name": f"Sud {who}", "municipality": "Anderlecht"},
                201 if manager else 403,
            ),
            # the audit log: managers read all; others only their own writes
            (who, "GET", "/events?user=setup", None, 200 if manager else 403),
            (who, "GET", "/events", None, 200),
            # figures: one's own neighbourhood, or every one for managers
            (who, "GET", "/analysis/isolation?neighbourhood=Nord", None, 200 if manager else 403),
            (who, "GET", "/analysis/isolation", None, 403 if who == "loose" else 200),
        ]  # fmt: skip
    mismatches = []
    # moves and cross writes change the data: run the rows in order, reporting every miss
    for who, method, path, body, expected in rows:
        answer = api.client.request(
            method, f"/api/v1{path}", json=body,
            headers=bearer(tokens[who]),
        )  # fmt: skip
        if answer.status_code != expected:
            named = next((k for k, v in ids.items() if v in path), path)
            mismatches.append((who, method, named, expected, answer.status_code, answer.text[:80]))
    assert mismatches == []


def test_lists_show_each_role_what_it_may_see(api_on_each_store: Api) -> None:
    api = api_on_each_store
    ids, tokens = _setup(api.store)

    def names(who: str, path: str) -> set[str]:
        answer = api.client.get(f"/api/v1{path}", headers=bearer(tokens[who]))
        assert answer.status_code == 200, answer.text
        return {i.get("name") or i["id"] for i in answer.json()["items"]}

    everything = {"BAR Midi", "Asbl Midi", "Maison Midi", "Tante Midi",
                  "BAR Nord", "Asbl Nord", "Maison Nord", "Tante Nord"}  # fmt: skip
    fixture_team = "BAR Cureghem (team)"
    assert names("coordinator", "/actors?limit=100") == everything | {fixture_team}
    assert names("bar", "/actors?limit=100") == everything - {"Tante Nord"} | {fixture_team}
    # viewers (external partners) never see a key resident; a user without a team sees nothing
    assert names("viewer", "/actors?limit=100") == {"BAR Midi", "Asbl Midi", "Maison Midi"}
    assert names("loose", "/actors?limit=100") == set()
    assert names("loose", "/links") == set()
    assert names("loose", "/activities") == set()
    assert names("loose", "/referrals") == set()
    assert names("viewer", "/links") == {ids["link_midi"]}
    assert names("viewer", "/activities") == {"Fête Midi"}
    assert names("viewer", "/referrals") == {ids["referral_midi"]}
    # nobody but managers lists other users' writes, nor the users themselves
    for who in ("bar", "viewer", "loose"):
        page = api.client.get(
            "/api/v1/events", params={"entity": "user"},
            headers=bearer(tokens[who]),
        ).json()  # fmt: skip
        assert page["items"] == []


def test_the_readme_states_the_policy_the_tests_check() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert POLICY_TABLE.strip() in readme


def test_a_hidden_record_answers_exactly_as_an_unknown_id(api_on_each_store: Api) -> None:
    """No existence oracle: another neighbourhood's key resident, asked by id on any date,
    answers what an id nobody ever recorded answers (with that id)."""
    api = api_on_each_store
    ids, tokens = _setup(api.store)
    unknown = "0" * 32
    bar = bearer(tokens["bar"])
    for suffix in ("", "?as_of=2026-01-01", "?as_of=2023-01-01", "/network"):
        hidden = api.client.get(f"/api/v1/actors/{ids['kr_nord']}{suffix}", headers=bar)
        nobody = api.client.get(f"/api/v1/actors/{unknown}{suffix}", headers=bar)
        assert hidden.status_code == nobody.status_code == 404, suffix
        assert hidden.text.replace(ids["kr_nord"], unknown) == nobody.text, suffix


def test_follow_ups_stay_within_their_team(api_on_each_store: Api) -> None:
    """A BAR worker of Midi neither marks done Nord's follow-ups, nor names Nord's key resident
    in one, nor gives one to a user of another team."""
    api = api_on_each_store
    ids, _tokens = _setup(api.store)
    hashed = hash_password("a long matrix password", "m-user")
    api.store.create_user({"name": "m-bar-nord", "role": "bar", "actor_id": ids["team_nord"]},
                          hashed, by="t")  # fmt: skip
    nord = api.store.create_follow_up(
        {"actors": [ids["asbl_nord"]], "taken_by": "m-bar-nord", "neighbourhood": "Nord"}, by="t"
    )
    client = TestClient(api.client.app, raise_server_exceptions=False)
    login = {"username": "m-bar", "password": "a long matrix password"}
    session = client.post("/api/v1/auth/session", data=login)
    csrf = session.json()["csrf_token"]
    before = api.store.version()
    done = client.post(f"/follow-ups/{nord.id}/done", data={"csrf_token": csrf},
                       follow_redirects=False)  # fmt: skip
    assert done.status_code == 404  # another team's follow-up is not there for her
    naming = client.post("/meeting/follow-ups", follow_redirects=False, data={
        "csrf_token": csrf, "actor": [ids["asbl_midi"], ids["kr_nord"]],
        "what": "visit"})  # fmt: skip
    assert naming.status_code in (403, 404, 422)
    given = client.post("/meeting/follow-ups", follow_redirects=False, data={
        "csrf_token": csrf, "actor": [ids["asbl_midi"]], "taken_by": "m-bar-nord",
        "what": "visit"})  # fmt: skip
    assert given.status_code in (403, 422)
    assert api.store.version() == before
    mine = client.post("/meeting/follow-ups", follow_redirects=False, data={
        "csrf_token": csrf, "actor": [ids["asbl_midi"]], "taken_by": "m-coordinator",
        "what": "visit"})  # fmt: skip
    assert mine.status_code == 303 and api.store.version() > before  # a coordinator may take it
    assert "m-bar-nord" not in client.get("/meeting").text  # nor is offered as a taker
