"""The access policy, generated from the app's own route table.

Every route the app serves (the API, the pages, the graph views, the CSV downloads, the
follow-ups) is called as every role — admin, coordinator, a BAR worker and a viewer of Midi,
a BAR worker and a viewer attached to no team — about records of their own neighbourhood and
of another, on both stores. A new route is tested by being added:

- no route reaches the raw store: only through :class:`api.scoped.ScopedStore`;
- no answer holds the name or the id of an actor the reader may not see (other neighbourhoods'
  key residents; for viewers every key resident and every other neighbourhood; for users
  without a team, every actor), zip files (XLSX, CSV bundles) included;
- no write made by a role the policy refuses changes anything (the store's version stays), and
  the same request made by an admin does write (so the refusal is the policy's, not a body the
  test got wrong);
- nothing answers 5xx.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from fastapi import routing
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_store
from api.security import hash_password, issue_token
from api.views import ViewName
from graph.model import ActorFilter
from graph.store import GraphStore
from tests.helpers import bearer

PASSWORD = "a long matrix password"
#: routes about the caller's own account (logging in and out, their password): no network data
OWN_ACCOUNT = {
    "/login",
    "/logout",
    "/language",
    "/api/v1/auth/token",
    "/api/v1/auth/session",
    "/api/v1/auth/logout",
    "/api/v1/auth/password",
}
#: the dependencies that may take the raw store; everything else gets the scoped one
RAW_STORE_DEPENDENCIES = {"current_user", "access", "scoped_store", "page"}
#: routes that manage accounts (users and tokens): the user store, guarded by their own checks
ACCOUNT_ROUTES = OWN_ACCOUNT | {
    "/api/v1/users",
    "/api/v1/users/{name}",
    "/api/v1/users/{name}/password",
    "/api/v1/users/{name}/tokens",
    "/api/v1/users/{name}/tokens/{token_id}",
}
#: what looks like a write about another neighbourhood and is allowed, and why
ALLOWED = {
    ("bar", "nord", "asbl", "/record/referral"): "a referral goes from one's own team to a "
    "service of any neighbourhood",
}
#: writes an admin's generated request does not carry out, and why
NOT_WRITTEN_BY_THE_PROBE = {
    "/api/v1/actors/{record_id}/reopen": "the probe's actor is not ended",
    "/api/v1/links/{record_id}/reopen": "the probe's link is not ended",
    "/api/v1/imports": "an import needs a file: tests/api/test_import_export_api.py",
    "/api/v1/observations/import": "an import needs a file: tests/api/test_observations_api.py",
    "/api/v1/neighbourhoods/sectors": "an import needs a file: tests/api/test_observations_api.py",
    "/record/observations-sheet": "an import needs a file: tests/browser/test_tasks.py",
    "/import": "an import needs a file: tests/web/test_pages.py",
    "/api/v1/users/{name}/tokens/{token_id}": "a token is no event: tests/api/test_accounts.py",
    "/actors/{actor_id}/undo": "undoes the user's own latest change, named by its event: "
    "tests/web/test_pages.py, tests/browser/test_tasks.py",
    "/vocabulary": "maps a free word some actor uses: tests/browser/test_tasks.py",
}


def _routes() -> list[tuple[str, str, APIRoute]]:
    app = create_app(store=None)
    found = []
    for ctx in routing.iter_route_contexts(app.routes):
        route = getattr(ctx, "route", None)
        if isinstance(route, APIRoute):
            for method in sorted(route.methods - {"HEAD"}):
                found.append((method, str(ctx.path), route))
    return found


def _calls(dependant: Any, parents: tuple[str, ...] = ()) -> Iterator[tuple[str, tuple[str, ...]]]:
    for dep in dependant.dependencies:
        name = getattr(dep.call, "__name__", "")
        yield name, parents
        yield from _calls(dep, (*parents, name))


def test_no_route_reaches_the_raw_store() -> None:
    """The raw store is a dependency of the session and the policy only; a route that takes it
    (or a page that reads ``app.state.store``) fails here."""
    wrong = []
    for method, path, route in _routes():
        for name, parents in _calls(route.dependant):
            if name != get_store.__name__ or path in ACCOUNT_ROUTES or path == "/health":
                continue
            if not parents or parents[-1] not in RAW_STORE_DEPENDENCIES:
                wrong.append((method, path, parents))
    assert wrong == []


def test_pages_and_routes_never_read_the_raw_store_by_hand() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "api"
    # the dependencies, the app's health check, and the error pages (which build the session's
    # Page, whose store is the scoped one)
    allowed = {root / "deps.py", root / "app.py", root / "web" / "__init__.py"}
    readers = [
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if p not in allowed and "state.store" in p.read_text(encoding="utf-8")
    ]
    assert readers == []
    # nor reach behind the facade
    behind = [
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if p.name != "scoped.py" and "._raw" in p.read_text(encoding="utf-8")
    ]
    assert behind == []


# --------------------------------------------------------------------------- the world


@dataclass
class World:
    ids: dict[str, str]
    names: dict[str, str]
    follow_ups: dict[str, str]
    tokens: dict[str, str]


ROLES = {
    "admin": ("admin", None),
    "coordinator": ("coordinator", None),
    "bar": ("bar", "team_midi"),
    "viewer": ("viewer", "team_midi"),
    "loose_bar": ("bar", None),
    "loose_viewer": ("viewer", None),
}


def _world(store: GraphStore) -> World:
    ids: dict[str, str] = {}
    names: dict[str, str] = {}

    def actor(key: str, name: str, where: str, kind: str = "association", **extra: Any) -> None:
        data = {"name": name, "kind": kind, "neighbourhood": where, "since": "2024-01-01",
                "themes": ["housing"], "languages": ["ar"],
                "target_groups": ["elderly"]}  # fmt: skip
        ids[key] = store.create_actor({**data, **extra}, by="setup").id
        names[key] = name

    follow_ups = {}
    for where in ("Midi", "Nord"):
        w = where.lower()
        actor(f"team_{w}", f"Équipe BAR {where}", where, "bar_team")
        actor(f"asbl_{w}", f"Asbl Zéphyr {where}", where)
        actor(f"asbl2_{w}", f"Maison Quetzal {where}", where)
        actor(f"kr_{w}", f"Tante Xylophone {where}", where, "key_resident",
              consent_date="2024-01-01")  # fmt: skip
        for a, b in (
            (f"asbl_{w}", f"asbl2_{w}"),
            (f"team_{w}", f"kr_{w}"),
            (f"kr_{w}", f"asbl_{w}"),
        ):
            link = {"source": ids[a], "target": ids[b], "type": "KNOWS", "since": "2024-02-01"}
            ids[f"link_{a}_{b}"] = store.create_link(link, by="setup").id
        ids[f"activity_{w}"] = store.create_activity(
            {"name": f"Fête {where}", "mission": "community", "neighbourhood": where,
             "participants": [ids[f"asbl_{w}"], ids[f"kr_{w}"]], "since": "2024-03-01"},
            by="setup",
        ).id  # fmt: skip
        ids[f"referral_{w}"] = store.create_referral(
            {"date": "2024-04-01", "from_actor": ids[f"team_{w}"], "to_actor": ids[f"kr_{w}"],
             "theme": "housing"},
            by="setup",
        ).id  # fmt: skip
        ids[f"observation_{w}"] = store.create_observation(
            {"kind": "need", "neighbourhood": where, "theme": "housing",
             "target_groups": ["elderly"], "sources": [ids[f"asbl_{w}"], ids[f"kr_{w}"]],
             "date": "2024-05-01", "text": "Les aînés cherchent des logements adaptés"},
            by="setup",
        ).id  # fmt: skip
        ids[f"crisis_{w}"] = store.create_crisis(
            {"name": f"Canicule {where}", "neighbourhood": where, "target_group": "elderly",
             "since": "2024-06-01"},
            by="setup",
        ).id  # fmt: skip
        store.record_call(ids[f"crisis_{w}"], {"actor": ids[f"kr_{w}"], "state": "done"},
                          by="setup")  # fmt: skip
        follow_ups[w] = store.create_follow_up(
            {"actors": [ids[f"kr_{w}"], ids[f"asbl2_{w}"]], "taken_by": "setup",
             "neighbourhood": where, "what": "visit"},
            by="setup",
        ).id  # fmt: skip
    hashed = hash_password(PASSWORD, "m-user")
    tokens = {}
    for name, (role, team) in ROLES.items():
        actor_id = ids[team] if team else None
        store.create_user({"name": f"m-{name}", "role": role, "actor_id": actor_id}, hashed, by="t")
        tokens[name] = issue_token(store, f"m-{name}", "api")[0]
    return World(ids, names, follow_ups, tokens)


def _hidden(role: str, world: World) -> set[str]:
    """The names and ids this role may not read anywhere."""
    if role in ("admin", "coordinator"):
        keys: list[str] = []
    elif role == "bar":
        keys = ["kr_nord"]
    elif role == "viewer":
        keys = ["kr_midi", "team_nord", "asbl_nord", "asbl2_nord", "kr_nord"]
    else:
        keys = list(world.names)
    return {world.names[k] for k in keys} | {world.ids[k] for k in keys}


# --------------------------------------------------------------------------- requests


def _records(world: World, where: str, subject: str) -> dict[str, str]:
    """The records a path names: those of ``where`` (``subject``: the actor asked about)."""
    ids = world.ids
    return {
        "actors": ids[f"{subject}_{where}"],
        "links": ids[f"link_kr_{where}_asbl_{where}"],
        "activities": ids[f"activity_{where}"],
        "referrals": ids[f"referral_{where}"],
        "observations": ids[f"observation_{where}"],
        "crises": ids[f"crisis_{where}"],
        "crisis": ids[f"crisis_{where}"],
        "neighbourhoods": "unknown-neighbourhood-id",
        "follow-ups": world.follow_ups[where],
        "users": "m-bar",
        "tokens": "0" * 32,
    }


def _fill_path(path: str, records: dict[str, str]) -> list[str]:
    """The path with its parameters filled with ``records``; views and page actions, each."""
    filled = [path]
    if "{what}" in path:
        filled = [p.replace("{what}", v.value) for p in filled for v in ViewName]
    if "{action}" in path:
        filled = [p.replace("{action}", a) for p in filled for a in ("end", "retract", "erase")]
    out = []
    for p in filled:
        parts = p.split("/")
        for i, part in enumerate(parts):
            if part.startswith("{") and part.endswith("}"):
                parts[i] = records.get(parts[i - 1], records["actors"])
        out.append("/".join(parts))
    return out


def _query(path: str, world: World, where: str, subject: str) -> dict[str, str]:
    api = path.startswith("/api/")
    a, b = f"{subject}_{where}", f"asbl2_{where}"
    return {
        "actor": world.ids[a],
        "source": world.ids[a] if api else world.names[a],
        "target": world.ids[b] if api else world.names[b],
        "neighbourhood": where.capitalize(),
        "theme": "housing",
        "language": "ar",
        "target_group": "elderly",
        "q": world.names[a],
        "user": "setup",
        "section": "referrals",
    }


def _text(content: bytes, asked: dict[str, str], *echoes: str) -> str:
    """What an answer says, unpacking zips (XLSX, CSV bundles), without the echoes of what the
    reader typed (a form field's value, a quoted “typed name”): only what the store told."""
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as bundle:
            return "\n".join(bundle.read(n).decode("utf-8", "replace") for n in bundle.namelist())
    said = content.decode("utf-8", "replace")
    for echo in echoes:
        said = said.replace(f'action="{echo}"', "")
    said = re.sub(r'name="next" value="[^"]*"', "", said)  # where the language switch returns
    typed = [*asked.values(), *(part for echo in echoes for part in echo.split("/") if part)]
    for text in typed:
        quoted = re.escape(text)
        said = re.sub(rf'value="{quoted}"|[«“\']\s?{quoted}\s?[»”\']', "", said)
        said = said.replace(f'"details":{{"id":"{text}"}}', "")
    return said


def _example_body(openapi: dict[str, Any], method: str, path: str, ids: list[str]) -> Any:
    operation = openapi["paths"].get(path, {}).get(method.lower(), {})
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    schema = content["application/json"]["schema"]
    if "$ref" in schema:
        schema = openapi["components"]["schemas"][schema["$ref"].split("/")[-1]]
    examples = schema.get("examples") or [{}]
    text = json.dumps(examples[0])
    queue = iter(ids * 4)
    return json.loads(re.sub(r"[0-9a-f]{32}", lambda _m: next(queue), text))


@pytest.fixture
def matrix(store: GraphStore) -> Iterator[tuple[TestClient, World, dict[str, TestClient]]]:
    world = _world(store)
    with TestClient(create_app(store=store), raise_server_exceptions=False) as client:
        pages = {}
        for role in ROLES:
            page = TestClient(client.app, raise_server_exceptions=False)
            answer = page.post(
                "/api/v1/auth/session", data={"username": f"m-{role}", "password": PASSWORD}
            )
            assert answer.status_code == 200, answer.text
            page.headers["x-csrf-token"] = answer.json()["csrf_token"]
            pages[role] = page
        yield client, world, pages


def _call(
    client: TestClient,
    pages: dict[str, TestClient],
    world: World,
    role: str,
    method: str,
    path: str,
    query: dict[str, str],
    body: Any,
    form: dict[str, Any],
) -> Any:
    if path.startswith("/api/"):
        headers = bearer(world.tokens[role])
        return client.request(method, path, params=query if method == "GET" else None,
                               json=body, headers=headers)  # fmt: skip
    page = pages[role]
    if method == "GET":
        return page.get(path, params=query, follow_redirects=False)
    data = {**form, "csrf_token": page.headers["x-csrf-token"]}
    return page.request(method, path, data=data, follow_redirects=False)


def _form(world: World, where: str, subject: str) -> dict[str, Any]:
    a, b = f"{subject}_{where}", f"asbl2_{where}"
    return {
        "name": f"Probe {where} {subject}",
        "kind": "association",
        "neighbourhood": where.capitalize(),
        "source": world.names[a],
        "target": world.names[b],
        "type": "KNOWS",
        "service": world.names[a],
        "theme": "housing",
        "date": date.today().isoformat(),
        "mission": "community",
        "participant": world.names[a],
        "actor": [world.ids[a], world.ids[b]],
        "what": "probe",
        "reason": "probe",
        "confirmed": "1",
        "outcome": "reached",
    }


def test_every_route_shows_each_role_only_what_it_may_see(
    matrix: tuple[TestClient, World, dict[str, TestClient]],
) -> None:
    client, world, pages = matrix
    leaks, errors = [], []
    for method, path, _route in _routes():
        if method != "GET" or path.startswith(("/api/v1/docs", "/api/v1/redoc")):
            continue
        for role in ROLES:
            hidden = _hidden(role, world)
            for where in ("midi", "nord"):
                for subject in ("kr", "asbl"):
                    query = _query(path, world, where, subject)
                    for url in _fill_path(path, _records(world, where, subject)):
                        answer = _call(client, pages, world, role, "GET", url, query, None, {})
                        if answer.status_code >= 500:
                            errors.append((role, url, answer.status_code))
                        said = _text(answer.content, query, url)
                        shown = sorted(h for h in hidden if h in said)
                        if shown:
                            leaks.append((role, url, answer.status_code, shown))
    assert errors == []
    assert leaks == [], "\n".join(map(str, leaks[:60]))


def _fresh(store: GraphStore, n: int) -> tuple[dict[str, str], dict[str, str]]:
    """New records of Midi for one write probe: the path's records and the form's names."""
    since = {"since": "2024-01-01"}
    a = store.create_actor(
        {"name": f"Probe A{n}", "kind": "association", "neighbourhood": "Midi", **since},
        by="setup",
    )
    b = store.create_actor(
        {"name": f"Probe B{n}", "kind": "association", "neighbourhood": "Midi", **since},
        by="setup",
    )
    link = store.create_link(
        {"source": a.id, "target": b.id, "type": "PARTNER_OF", **since}, by="setup"
    )
    activity = store.create_activity(
        {"name": f"Probe {n}", "mission": "community", "neighbourhood": "Midi",
         "participants": [a.id], **since}, by="setup",
    )  # fmt: skip
    place = store.create_neighbourhood(
        {"name": f"Probe place {n}", "municipality": "Saint-Gilles", **since}, by="setup"
    )
    team = store.list_actors(ActorFilter(q="Équipe BAR Midi")).items[0].id
    referral = store.create_referral(
        {"date": "2024-05-01", "from_actor": team, "to_actor": a.id, "theme": "housing"},
        by="setup",
    )
    follow_up = store.create_follow_up(
        {"actors": [a.id], "taken_by": "m-bar", "neighbourhood": "Midi"}, by="setup"
    )
    observation = store.create_observation(
        {"kind": "wish", "neighbourhood": "Midi", "theme": "public space", "sources": [a.id],
         "date": "2024-05-02", "text": "Des bancs sur la place"},
        by="setup",
    )  # fmt: skip
    crisis = store.create_crisis(
        {"name": f"Probe crisis {n}", "neighbourhood": "Midi", "target_group": "elderly",
         "since": "2024-06-02"},
        by="setup",
    )  # fmt: skip
    records = {
        "crises": crisis.id,
        "crisis": crisis.id,
        "actors": a.id,
        "links": link.id,
        "activities": activity.id,
        "referrals": referral.id,
        "neighbourhoods": place.id,
        "follow-ups": follow_up.id,
        "observations": observation.id,
        "users": "m-viewer",
        "tokens": "0" * 32,
    }
    form = {
        "name": f"Probe C{n}",
        "kind": "association",
        "neighbourhood": "Midi",
        "source": a.name,
        "target": b.name,
        "type": "KNOWS",
        "service": a.name,
        "theme": "housing",
        "date": date.today().isoformat(),
        "mission": "community",
        "participant": a.name,
        "actor": [a.id, b.id],
        "what": "probe",
        "reason": "probe",
        "confirmed": "1",
        "outcome": "reached",
        "text": "Les jeunes voudraient une salle de sport",
        "state": "done",
        "target_group": "youth",
        "latitude": "50.8401",
        "longitude": "4.3302",
        "sector": "21001A01-",
        "public": "youth",
    }
    return records, {**form, "ids": json.dumps([a.id, b.id])}


def _unsafe() -> list[tuple[str, str]]:
    return [
        (method, path)
        for method, path, _route in _routes()
        if method in ("POST", "PATCH", "DELETE") and path not in OWN_ACCOUNT
    ]


def test_no_refused_role_changes_anything_and_an_admin_can(
    matrix: tuple[TestClient, World, dict[str, TestClient]], store: GraphStore
) -> None:
    client, world, pages = matrix
    openapi = client.get("/api/v1/openapi.json").json()
    # who is refused what: (role, neighbourhood, subject)
    refused = [
        *((r, w, s) for r in ("viewer", "loose_bar", "loose_viewer")
          for w in ("midi", "nord") for s in ("kr", "asbl")),
        ("bar", "nord", "kr"),   # another neighbourhood's key resident: hidden
        ("bar", "nord", "asbl"),  # another neighbourhood's association: seen, not written
    ]  # fmt: skip
    changed, errors = [], []
    for method, path in _unsafe():
        for role, where, subject in refused:
            if (role, where, subject, path) in ALLOWED:
                continue
            ids = [world.ids[f"{subject}_{where}"], world.ids[f"asbl2_{where}"]]
            body = _example_body(openapi, method, path, ids)
            if isinstance(body, dict) and "neighbourhood" in body:
                body["neighbourhood"] = where.capitalize()
            for url in _fill_path(path, _records(world, where, subject)):
                before = store.version()
                answer = _call(client, pages, world, role, method, url, {}, body,
                               _form(world, where, subject))  # fmt: skip
                if answer.status_code >= 500:
                    errors.append((role, method, url, answer.status_code))
                if store.version() != before:
                    changed.append((role, method, url, answer.status_code))
    assert errors == []
    assert changed == [], "\n".join(map(str, changed[:60]))
    # the same requests, by a BAR worker of Midi or an admin, on new records of Midi, do
    # write: the refusals above were the policy's, not a request the test got wrong
    not_written = {}
    for n, (method, path) in enumerate(_unsafe()):
        records, form = _fresh(store, n)
        ids = json.loads(form.pop("ids"))[::-1]  # b first: a is already everywhere
        body = _example_body(openapi, method, path, ids)
        if isinstance(body, dict) and "neighbourhood" in body:
            body["neighbourhood"] = "Midi"
        if isinstance(body, dict) and "name" in body and not path.startswith("/api/v1/users"):
            body["name"] = f"Probe D{n}"
        url = _fill_path(path, records)[0]
        statuses = []
        for role in ("bar", "admin"):
            before = store.version()
            answer = _call(client, pages, world, role, method, url, {}, body, form)
            statuses.append((role, answer.status_code, answer.text[:120]))
            if store.version() != before:
                break
        else:
            not_written[path] = statuses
    unexpected = {p: v for p, v in not_written.items() if p not in NOT_WRITTEN_BY_THE_PROBE}
    assert unexpected == {}, "\n".join(f"{p}: {v}" for p, v in unexpected.items())


#: what answers without credentials: the service's health, logging in, the API's description,
#: and the language of a page not yet logged into
PUBLIC = {
    "/health",
    "/login",
    "/favicon.ico",
    "/api/v1/auth/token",
    "/api/v1/auth/session",
    "/api/v1/openapi.json",
    "/api/v1/docs",
    "/api/v1/docs/oauth2-redirect",
    "/api/v1/redoc",
}


def test_every_route_refuses_who_is_not_logged_in(sqlite_store: GraphStore) -> None:
    """Each route of the app, called without credentials (by calling it, not by reading the
    documentation): the API answers 401, a page sends to the login page, nothing is written."""
    client = TestClient(create_app(store=sqlite_store), raise_server_exceptions=False)
    before = sqlite_store.version()
    wrong = []
    for method, path, _route in _routes():
        if path in PUBLIC:
            continue
        url = re.sub(r"\{[^}]+\}", "x0", path)
        answer = client.request(method, url, follow_redirects=False)
        if path.startswith("/api/"):
            ok = answer.status_code == 401 and answer.json()["error"] == "unauthorized"
        elif method == "GET":
            ok = answer.status_code == 303 and answer.headers["location"].startswith("/login")
        else:  # a form posted without a session: refused, never written
            ok = answer.status_code in (303, 401, 403)
        if not ok:
            wrong.append((method, path, answer.status_code, answer.text[:80]))
    assert wrong == [], "\n".join(map(str, wrong))
    assert sqlite_store.version() == before
