"""The pages' forms, fuzzed as a browser fills them.

The pages are hidden from the OpenAPI, so schemathesis cannot see them: this generator reads
each page's own forms (lxml) and submits them with what a browser would send — a field left
empty, a default kept, any option of a select, a box ticked or not, a date or a number in the
field's bounds, any text typed (quotes, angle brackets, every script) — as a coordinator, as
the demo's partner (a viewer) and as a BAR worker no coordinator has attached to a team. Every
answer must be a page: never a 5xx, never the framework refusing what the form itself offered
(a 422 without the form given back: the directory's search once did that), and for the viewer
and the user without a team never a key resident's name or id. From the fuzz run's random seed
(``MAILLAGE_FUZZ_SEED``), printed with any failure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

import lxml.html
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, note, seed, settings
from hypothesis import strategies as st

from api.app import create_app
from api.security import hash_password
from graph.model import ActorFilter, ActorKind, today
from graph.sqlite_store import SqliteGraphStore
from ingest.demo import add_demo_users, load
from tests.helpers import SEED

PASSWORD = "maillage-demo"
#: the pages whose forms are filled (an actor's page and its edit page are added)
PAGES = ["/", "/actors", "/record/actor", "/record/link", "/record/referral", "/record/activity",
         "/referrals", "/to-check", "/meeting", "/dashboard", "/views/neighbourhood",
         "/views/bridging", "/paths", "/reach", "/vocabulary", "/leaflet"]  # fmt: skip
#: forms about the session itself (logging out, the language, the password), the import (a
#: file: tests/web/test_pages.py and tests/browser/test_tasks.py), and erasing or retracting
#: the one actor whose forms are filled (tests/contract/test_erasure.py, test_pages.py)
LEFT_OUT = re.compile(r"^/(logout|login|language|account)|^/import$|^/actors/\w+/(erase|retract)$")
USERS = {"coordinator": "coordinator", "viewer": "partner", "noteam": "sans-equipe"}
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn"))
    | st.sampled_from(list("'\"<>&;|=")),
    max_size=30,
)


@dataclass
class Form:
    page: str
    method: str
    action: str
    fields: list[dict[str, Any]] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str, tuple[str, ...]]:
        """One form per kind: a hundred "still true" buttons are one form to fill."""
        shape = re.sub(r"[0-9a-f]{32}", "{id}", self.action)
        return self.method, shape, tuple(f["name"] for f in self.fields)


@dataclass
class Visitor:
    client: TestClient
    forms: list[Form]


def _log_in(client: TestClient, user: str) -> None:
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([0-9a-f]{64})"', form)
    assert token is not None
    fields = {"username": user, "password": PASSWORD, "next": "/", "csrf_token": token.group(1)}
    assert client.post("/login", follow_redirects=False, data=fields).status_code == 303


def _forms(page: str, html: str) -> Iterator[Form]:
    document = lxml.html.fromstring(html)
    for form in document.forms:
        action = form.get("action") or page.split("?")[0]
        if LEFT_OUT.search(action) or form.get("enctype") == "multipart/form-data":
            continue
        found = Form(page, (form.get("method") or "get").lower(), action)
        for element in form.inputs:
            name = element.get("name")
            if not name or element.tag == "button":
                continue
            kind = (element.get("type") or element.tag).lower()
            if kind in ("submit", "button", "reset", "image", "file"):
                continue
            options = [o.get("value", o.text_content()) for o in element.iter("option")]
            found.fields.append(
                {"name": name, "kind": kind, "value": element.get("value") or "",
                 "options": options, "required": element.get("required") is not None,
                 "min": element.get("min"), "max": element.get("max"),
                 "multiple": element.get("multiple") is not None}
            )  # fmt: skip
        yield found


@pytest.fixture(scope="module")
def visitors(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Visitor]]:
    store = SqliteGraphStore(tmp_path_factory.mktemp("forms") / "m.db")
    load(store)
    hashed = hash_password(PASSWORD, "", check=False)
    add_demo_users(store, hashed)
    store.create_user({"name": "sans-equipe", "role": "bar"}, hashed, by="t")
    some = store.list_actors(ActorFilter(kind=ActorKind.association), limit=1).items[0].id
    pages = [*PAGES, f"/actors/{some}", f"/actors/{some}/edit"]
    out = {}
    for who, user in USERS.items():
        client = TestClient(create_app(store=store))
        _log_in(client, user)
        forms: dict[Any, Form] = {}
        for page in pages:
            answer = client.get(page)
            if answer.status_code == 200 and "text/html" in answer.headers["content-type"]:
                for form in _forms(page, answer.text):
                    forms.setdefault(form.key, form)
        out[who] = Visitor(client, list(forms.values()))
    residents = store.list_actors(ActorFilter(kind=ActorKind.key_resident), limit=100).items
    SECRETS[:] = [text for a in residents for text in (a.name, a.id)]
    yield out
    store.close()


SECRETS: list[str] = []


def _value(draw: Any, f: dict[str, Any]) -> str | list[str] | None:
    """What a browser sends for a field (None: nothing, as for a box not ticked)."""
    kind, required = f["kind"], f["required"]
    if kind == "hidden":
        return str(f["value"])
    if kind in ("select", "select-one", "select-multiple") or f["options"]:
        if f["multiple"]:
            return (
                draw(st.lists(st.sampled_from(f["options"]), unique=True)) if f["options"] else []
            )
        return draw(st.sampled_from(f["options"])) if f["options"] else ""
    if kind in ("checkbox", "radio"):
        return str(f["value"] or "on") if draw(st.booleans()) else None
    empty = st.nothing() if required else st.just("")
    if kind == "number":
        low = int(float(f["min"])) if f["min"] else 0
        high = int(float(f["max"])) if f["max"] else low + 1000
        return draw(empty | st.integers(low, high).map(str))
    if kind == "date":
        days = st.dates(date(2000, 1, 1), today()).map(date.isoformat)
        return draw(empty | days)
    if kind == "time":
        return draw(empty | st.times(time(0, 0), time(23, 59)).map(lambda t: t.strftime("%H:%M")))
    # (a browser sends no form whose required field is empty)
    typed = TEXT.filter(lambda t: t.strip() != "") if required else TEXT
    kept = st.just(str(f["value"])) if f["value"] or not required else st.nothing()
    return draw(empty | kept | typed)


def _check(who: str, form: Form, answer: Any) -> None:
    where = f"{form.method.upper()} {form.action} (a form of {form.page})"
    assert answer.status_code < 500, f"{where}: {answer.status_code}"
    if answer.status_code == 422:
        main = re.search(r'<main id="main">(.*)</main>', answer.text, re.S)
        assert main is not None and "<form" in main.group(1), (
            f"{where}: a bare 422, the form not given back: {answer.text[:300]}"
        )
    if who != "coordinator":
        leaked = [s for s in SECRETS if s in answer.text]
        assert not leaked, f"{where} names a key resident to the {who}: {leaked[0]!r}"


@pytest.mark.parametrize("who", list(USERS))
@seed(SEED)
@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_form_answers_a_page_with_what_it_offers(
    who: str, data: st.DataObject, visitors: dict[str, Visitor]
) -> None:
    visitor = visitors[who]
    assert len(visitor.forms) >= (8 if who == "coordinator" else 2)
    form = data.draw(st.sampled_from(visitor.forms), label="form")
    fields: list[tuple[str, str]] = []
    for f in form.fields:
        value = _value(data.draw, f)
        for one in value if isinstance(value, list) else [value]:
            if one is not None:
                fields.append((f["name"], one))
    note(f"replay with MAILLAGE_FUZZ_SEED={SEED}; {form.method.upper()} {form.action} {fields}")
    if form.method == "get":
        answer = visitor.client.get(form.action, params=fields)
    else:
        answer = visitor.client.post(form.action, data=dict(_merged(fields)),
                                     follow_redirects=False)  # fmt: skip
    _check(who, form, answer)


def _merged(fields: list[tuple[str, str]]) -> dict[str, str | list[str]]:
    out: dict[str, str | list[str]] = {}
    for name, value in fields:
        if name in out:
            before = out[name]
            out[name] = [*before, value] if isinstance(before, list) else [before, value]
        else:
            out[name] = value
    return out


def test_the_generator_sees_the_forms_a_user_uses(visitors: dict[str, Visitor]) -> None:
    """The fuzz run is only worth something if it fills the forms people fill."""
    actions = {(f.method, f.action) for f in visitors["coordinator"].forms}
    for expected in [("get", "/actors"), ("post", "/record/actor"), ("post", "/record/link"),
                     ("get", "/reach"), ("get", "/paths")]:  # fmt: skip
        assert expected in actions, expected
    assert SECRETS  # the key residents looked for exist
