"""Every link a page shows leads somewhere: a crawler follows the links of the pages as each
demo role (a BAR worker, a coordinator, a partner, and a BAR worker attached to no team yet)
and fails on any answer of 400 or more. A link to a page one may not open is a dead end."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.security import hash_password
from graph.sqlite_store import SqliteGraphStore
from graph.vocabulary import SUBTYPES, TARGET_GROUPS, THEMES
from ingest.demo import add_demo_users, load

PASSWORD = "a long crawl password"
MOST = 250  # pages per role: enough to reach every kind of page, a bound on the time
LINK = re.compile(r'(?:href|src)="([^"#]+)"')


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteGraphStore]:
    s = SqliteGraphStore(Path(tmp_path_factory.mktemp("crawl")) / "m.db")
    load(s)
    add_demo_users(s, hash_password(PASSWORD, "", check=False))
    s.create_user({"name": "newcomer", "role": "bar"}, hash_password(PASSWORD, "", check=False),
                  by="admin")  # fmt: skip
    yield s
    s.close()


def _kind(path: str) -> str:
    """One shape of address (ids, numbers and queries aside): a few of each are enough."""
    shape = re.sub(r"[0-9a-f]{32}", "ID", urlsplit(path).path)
    return shape + "?" + ",".join(sorted(re.findall(r"[?&]([^=&]+)=", path)))


@pytest.mark.parametrize("user", ["amina", "coordinator", "partner", "newcomer"])
def test_every_link_leads_somewhere(store: SqliteGraphStore, user: str) -> None:
    client = TestClient(create_app(store=store), raise_server_exceptions=False)
    session = client.post("/api/v1/auth/session", data={"username": user, "password": PASSWORD})
    assert session.status_code == 200
    seen: set[str] = set()
    shapes: dict[str, int] = {}
    queue = deque(["/"])
    broken = []
    while queue and len(seen) < MOST:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        answer = client.get(path, follow_redirects=True)
        if answer.status_code >= 400:
            broken.append((answer.status_code, path))
            continue
        if not answer.headers.get("content-type", "").startswith("text/html"):
            continue
        for found in LINK.findall(answer.text):
            if found.startswith("data:"):
                continue
            target = urljoin(path, unescape(found))
            parts = urlsplit(target)
            if parts.netloc and parts.netloc != "testserver":
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if local.startswith(("/logout", "/static/", "/api/v1/docs")) or "lang=" in local:
                continue
            shape = _kind(local)
            if local not in seen and shapes.get(shape, 0) < 4:
                shapes[shape] = shapes.get(shape, 0) + 1
                queue.append(local)
    assert broken == [], broken
    if user == "newcomer":  # no team: home says why there is nothing, and links nowhere
        assert 'id="no-team"' in client.get("/").text and seen == {"/"}
    else:
        assert len(seen) > 20


#: the vocabulary's English codes that neither French nor Dutch writes the same way
ENGLISH_ONLY = sorted(
    {
        code
        for table in (THEMES, TARGET_GROUPS, SUBTYPES)
        for code, (fr, nl) in table.items()
        if code.casefold() not in (fr.casefold(), nl.casefold()) and len(code) > 4
    }
)


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_no_english_vocabulary_word_in_a_french_or_dutch_page(
    store: SqliteGraphStore, lang: str
) -> None:
    """Crawling as a coordinator in French, then in Dutch: no page's text holds a theme,
    public or subtype in English ("health", "medical house", "elderly")."""
    client = TestClient(create_app(store=store), raise_server_exceptions=False)
    assert (
        client.post(
            "/api/v1/auth/session", data={"username": "coordinator", "password": PASSWORD}
        ).status_code
        == 200
    )
    client.get(f"/?lang={lang}")
    seen: set[str] = set()
    shapes: dict[str, int] = {}
    queue = deque(
        ["/", "/actors?q=maison", "/leaflet?theme=health", "/dashboard", "/reach?theme=youth"]
    )
    found: list[tuple[str, str, str]] = []
    names = sorted((a.name for a in store.list_actors(limit=1000).items), key=len, reverse=True)
    while queue and len(seen) < 120:
        path = queue.popleft()
        if path in seen or path.startswith(("/api/", "/static", "/views/", "/logout")):
            continue
        seen.add(path)
        answer = client.get(path)
        if answer.status_code != 200 or "text/html" not in answer.headers.get("content-type", ""):
            continue
        html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", answer.text, flags=re.S)
        text = unescape(re.sub(r"<[^>]+>", " ", html))  # what the reader sees
        for name in names:  # names are the actors' own ("Bosfor Market"), not vocabulary
            text = text.replace(name, " ")
        for word in ENGLISH_ONLY:
            hit = re.search(rf"(?<![\w'-]){re.escape(word)}(?![\w'-])", text, re.I)
            if hit:
                found.append((word, path, text[max(0, hit.start() - 60) : hit.end() + 20]))
        for link in LINK.findall(answer.text):
            target = unescape(urljoin(path, link))
            if urlsplit(target).netloc or target in seen:
                continue
            shape = _kind(target)
            if shapes.get(shape, 0) < 3:
                shapes[shape] = shapes.get(shape, 0) + 1
                queue.append(target)
    assert found == [], found[:20]
