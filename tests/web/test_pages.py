"""The web pages over HTTP (the flows in a real browser are in tests/browser/): logging in,
the directory, recording an actor and a link, rights, CSRF, escaping, and the three languages."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.analyses import REGISTRY
from api.app import create_app
from api.policy import access_of
from api.scoped import ScopedStore
from api.security import hash_password
from api.settings import Settings
from api.web import catalogue
from api.web.i18n import LANGS
from api.web.pages.meeting import meeting_agenda
from graph.living import days_of, to_check
from graph.sqlite_store import SqliteGraphStore
from ingest.demo import add_demo_users, load
from tests.helpers import EVIL

PASSWORD = "maillage-demo"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteGraphStore]:
    s = SqliteGraphStore(tmp_path_factory.mktemp("pages") / "m.db")
    load(s)
    add_demo_users(s, hash_password(PASSWORD, "", check=False))
    yield s
    s.close()


def _log_in(client: TestClient, user: str, password: str = PASSWORD, next: str = "/") -> Any:
    """The login form as a browser posts it: with the token of the form it was shown."""
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([0-9a-f]{64})"', form)
    assert token is not None
    fields = {"username": user, "password": password, "next": next, "csrf_token": token.group(1)}
    return client.post("/login", follow_redirects=False, data=fields)


def _client(store: SqliteGraphStore, user: str | None = "amina") -> TestClient:
    client = TestClient(create_app(store=store))
    if user:
        done = _log_in(client, user)
        assert done.status_code == 303 and done.headers["location"] == "/"
    return client


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]{64})"', html)
    assert found is not None
    return found.group(1)


def test_pages_need_a_login_and_send_back_where_one_was(store: SqliteGraphStore) -> None:
    client = _client(store, None)
    first = client.get("/actors?q=x", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/login?next=%2Factors"
    wrong = _log_in(client, "amina", "nope nope nope")
    assert wrong.status_code == 401 and "Nom d" in wrong.text  # French by default
    evil_next = _log_in(client, "amina", next="//evil.example")
    assert evil_next.headers["location"] == "/"  # no open redirect


def test_the_login_form_resists_login_csrf_and_says_when_to_try_again(
    store: SqliteGraphStore,
) -> None:
    """Another site cannot log a browser into an account of its choosing: the form's token is
    bound to a cookie of its own, and a POST from another origin is refused."""
    client = _client(store, None)
    forged = client.post("/login", follow_redirects=False,
                         data={"username": "amina", "password": PASSWORD, "next": "/"})  # fmt: skip
    assert forged.status_code == 403 and "maillage_session" not in forged.headers.get(
        "set-cookie", ""
    )
    form = client.get("/login").text
    token = _csrf(form)
    fields = {"username": "amina", "password": PASSWORD, "csrf_token": token}
    elsewhere = client.post("/login", headers={"Origin": "https://evil.example"},
                            follow_redirects=False, data=fields)  # fmt: skip
    assert elsewhere.status_code == 403
    stranger = TestClient(create_app(store=store))  # the token without the form's cookie
    stolen = stranger.post("/login", follow_redirects=False, data=fields)
    assert stolen.status_code == 403


def test_a_login_flood_is_told_when_to_try_again(tmp_path: Path) -> None:
    """The page's 429 says to wait, in words and with Retry-After (a store of its own: the
    throttle counts per client address, and every test client has the same)."""
    own = SqliteGraphStore(tmp_path / "flood.db")
    flood = TestClient(create_app(store=own))
    statuses = [_log_in(flood, "lucie", "wrong password!").status_code for _ in range(7)]
    assert statuses[:5] == [401] * 5 and statuses[-1] == 429
    last = _log_in(flood, "lucie", "wrong password!")
    assert last.status_code == 429 and int(last.headers["retry-after"]) > 0
    assert "Trop de" in last.text
    own.close()


def test_directory_search_ignores_case_and_accents(store: SqliteGraphStore) -> None:
    client = _client(store)
    page = client.get("/actors", params={"q": "MOSQUEE al hidaya"}).text
    assert "Mosquée Al-Hidaya" in page and "<p>1 acteur</p>" in page  # one: no plural
    traders = client.get("/actors", params={"kind": "trader", "page": 2}).text
    assert "2 / " in traders and "Précédent" in traders
    dutch = client.get("/actors", params={"lang": "nl", "kind": "school"})
    assert '<html lang="nl">' in dutch.text and "Gids" in dutch.text
    assert "maillage_lang=nl" in dutch.headers["set-cookie"]
    # a GET changes this device's cookie only, never the stored account
    assert '<html lang="fr">' in _client(store).get("/").text
    # the switch of a logged-in user posts (with the form's CSRF) and is kept for the account
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', dutch.text)
    assert csrf is not None
    switched = client.post("/language", data={"lang": "nl", "next": "/actors?kind=school",
                                              "csrf_token": csrf.group(1)},
                           follow_redirects=False)  # fmt: skip
    assert switched.status_code == 303
    assert switched.headers["location"] == "/actors?kind=school&lang=nl"
    assert '<html lang="nl">' in _client(store).get("/").text  # on every device
    forged = client.post("/language", data={"lang": "en", "next": "/"}, follow_redirects=False)
    assert forged.status_code == 403
    client.post("/language", data={"lang": "fr", "csrf_token": csrf.group(1)})
    assert '<html lang="fr">' in client.get("/", params={"lang": "fr"}).text


def test_record_an_actor_warns_of_a_look_alike(store: SqliteGraphStore) -> None:
    client = _client(store)
    form = client.get("/record/actor").text
    assert '<option value="Cureghem-Lemmens">' in form  # the recorded neighbourhoods, offered
    boss = _client(store, "coordinator")
    token = _csrf(boss.get("/record/actor").text)
    elsewhere = {"name": "Club", "kind": "association", "neighbourhood": "Atlantide",
                 "confirmed": "yes", "csrf_token": token}  # fmt: skip
    nowhere = boss.post("/record/actor", data=elsewhere)
    assert nowhere.status_code == 422
    assert "« Atlantide » n'est pas un quartier enregistré" in html.unescape(nowhere.text)
    csrf = _csrf(form)
    first = {"name": "Pharmacie Kuregem-Apotheek", "kind": "trader",
             "neighbourhood": "Cureghem-Lemmens", "csrf_token": csrf}  # fmt: skip
    made = client.post("/record/actor", data=first, follow_redirects=False)
    assert made.status_code == 303
    look_alike = client.post("/record/actor", data={**first, "name": "Apotheek Kuregem"})
    assert "Pharmacie Kuregem-Apotheek" in look_alike.text and 'name="confirmed"' in look_alike.text
    anyway = client.post(
        "/record/actor", data={**first, "name": "Apotheek Kuregem", "confirmed": "yes"},
        follow_redirects=False,
    )  # fmt: skip
    assert anyway.status_code == 303
    forged = client.post("/record/actor", data={**first, "name": "Other", "csrf_token": "0" * 64})
    assert forged.status_code == 403


def test_record_a_link_by_names_and_find_it_on_the_actor_page(store: SqliteGraphStore) -> None:
    client = _client(store)
    csrf = _csrf(client.get("/record/link").text)
    body = {
        "source": "Magazin Carpați — Cureghem-Lemmens",
        "target": "bibliotheek van lint",
        "type": "KNOWS",
        "mission": "networking",
        "strength": 2,
        "csrf_token": csrf,
    }
    done = client.post("/record/link", data=body, follow_redirects=False)
    assert done.status_code == 303, done.text
    actor_page = client.get(done.headers["location"]).text
    assert "Bibliotheek Van Lint" in actor_page
    unknown = client.post("/record/link", data={**body, "target": "Nowhere at all"})
    assert unknown.status_code == 422 and "Nowhere at all" in unknown.text


def test_a_viewer_sees_no_write_button_and_cannot_write(store: SqliteGraphStore) -> None:
    client = _client(store, "partner")
    home = client.get("/").text
    assert "/record/link" not in home
    assert client.get("/record/link").status_code == 403
    csrf = _csrf(home)
    refused = client.post("/record/actor", data={"name": "X asbl", "kind": "association",
                                                  "neighbourhood": "Cureghem-Lemmens",
                                                  "csrf_token": csrf})  # fmt: skip
    assert refused.status_code == 403


def test_names_are_text_on_every_page(store: SqliteGraphStore) -> None:
    evil = store.create_actor(
        {"name": EVIL, "kind": "association", "neighbourhood": "Cureghem-Lemmens",
         "themes": ["<script>alert(2)</script>"]}, by="t",
    )  # fmt: skip
    client = _client(store)
    for path in (f"/actors/{evil.id}", "/actors?q=img", "/paths?source=img&target=x"):
        html = client.get(path).text
        assert EVIL not in html and "<script>alert" not in html, path
        if "q=img" in path or "/actors/" in path:
            assert "&lt;img src=x onerror=alert(1)&gt;" in html, path


def test_every_page_string_is_translated_in_the_three_languages() -> None:
    """The pages' own text and every sentence of the engine and the policy (``Say``) that a
    refused form may show; a translation keeps the template's named parts."""
    wanted = catalogue.wanted()
    assert len(wanted) > 200
    assert "'{name}' ended on {until}: nothing new attaches to an ended actor " \
        "(reopen it first if it is back)" in wanted  # fmt: skip
    for lang in LANGS:
        translated = {
            m.id: m.string for m in catalogue.read(lang) if m.id and catalogue.translated(m.string)
        }
        missing = sorted(wanted - set(translated))
        assert not missing, f"{lang}: no translation for {missing[:5]}"
        parts = catalogue.placeholders
        unknown = [m for m in wanted if not parts(translated[m]) <= parts(m)]
        assert not unknown, f"{lang}: a translation names a part its template lacks: {unknown[:3]}"


def test_a_refused_form_says_why_in_the_readers_language(store: SqliteGraphStore) -> None:
    client = _client(store)
    body = {"source": "Magazin Carpați", "target": "bibliotheek van lint",
            "type": "COLLABORATES_WITH", "mission": "networking",
            "since": "2025-09-01"}  # fmt: skip
    form = client.get("/record/link").text
    assert client.post("/record/link", data={**body, "csrf_token": _csrf(form)},
                       follow_redirects=False).status_code == 303  # fmt: skip
    for lang, said in (
        ("fr", "un lien COLLABORATES_WITH ouvert relie déjà ces acteurs"),
        ("nl", "een open band COLLABORATES_WITH verbindt deze actoren al"),
        ("en", "an open COLLABORATES_WITH link already joins these actors"),
    ):
        form = client.get(f"/record/link?lang={lang}").text
        refused = client.post("/record/link", data={**body, "csrf_token": _csrf(form)})
        assert refused.status_code == 422
        assert said in html.unescape(refused.text), lang
    # a field's own problem, named as the form names it, its date written the reader's way
    form = client.get("/record/link?lang=nl").text
    later = {**body, "since": "2999-01-01", "csrf_token": _csrf(form)}
    future = client.post("/record/link", data=later)
    assert future.status_code == 422
    assert "Sinds: de datum 1 jan 2999 ligt in de toekomst" in html.unescape(future.text)
    # a value no form offers (a hand-made request) is refused by a page too, not by JSON
    odd = client.post("/record/link", data={**later, "type": "WORKS_WITH", "since": ""})
    assert odd.status_code == 422 and odd.headers["content-type"].startswith("text/html")
    said = html.unescape(odd.text)
    assert "Soort band: kies uit de lijst" in said and "'KNOWS'" not in said  # no raw codes
    assert 'id="source"' in odd.text and 'value="Magazin Carpați"' in said  # the form, kept
    many = {"service": "CPAS", "theme": "housing", "date": "2026-01-05", "count": "many"}
    count = client.post("/record/referral", data={**many, "csrf_token": _csrf(form)})
    assert count.status_code == 422 and 'id="service"' in count.text
    client.get("/?lang=fr")  # the language is remembered for the user: back to theirs


def test_a_refused_page_is_a_page_in_the_readers_language(store: SqliteGraphStore) -> None:
    client = _client(store, "partner")
    refused = client.get("/record/link?lang=nl")
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("text/html")
    assert "de rol ‘lezer’ kan lezen maar niet schrijven" in html.unescape(refused.text)
    # the API keeps answering JSON, in English
    api = client.get("/api/v1/actors/nope")
    assert api.status_code == 404 and api.headers["content-type"].startswith("application/json")
    assert api.json()["error"] == "not_found" and "nope" in api.json()["message"]
    client.get("/?lang=fr")


def test_record_an_anonymous_referral_and_an_activity(store: SqliteGraphStore) -> None:
    client = _client(store)
    form = client.get("/record/referral").text
    assert "anonyme" in form and 'name="note"' not in form and 'name="person"' not in form
    csrf = _csrf(form)
    before = store.counts()
    done = client.post(
        "/record/referral",
        data={"service": "CPAS-OCMW d'Anderlecht, antenne Cureghem", "theme": "housing",
              "date": "2026-11-20", "count": 2, "outcome": "reached", "csrf_token": csrf},
        follow_redirects=False,
    )  # fmt: skip
    assert done.status_code == 303, done.text
    assert store.counts()["referrals"] == before["referrals"] + 1
    # an extra field about the person is not even read
    extra = client.post(
        "/record/referral",
        data={"service": "nowhere", "theme": "housing", "date": "2026-11-20", "note": "Mme X",
              "csrf_token": csrf},
    )  # fmt: skip
    assert extra.status_code == 422 and "Mme X" not in extra.text
    activity = client.post(
        "/record/activity",
        data={"name": "Séance d'info santé", "mission": "collective", "date": "2026-11-21",
              "neighbourhood": "Cureghem-Lemmens", "csrf_token": csrf,
              "participant": ["Mosquée Al-Hidaya", "Pharmacie Bara", ""]},
        follow_redirects=False,
    )  # fmt: skip
    assert activity.status_code == 303, activity.text
    assert store.counts()["activities"] == before["activities"] + 1


def test_reach_lists_the_chain_from_the_team(store: SqliteGraphStore) -> None:
    client = _client(store)
    page = client.get("/reach", params={"language": "tr"}).text
    assert "Atteints par l" in page and "Amina (BAR)" in page and "→" in page


def test_the_dashboard_in_dutch_with_its_data_and_csv(store: SqliteGraphStore) -> None:
    client = _client(store, "coordinator")
    page = client.get("/dashboard", params={"lang": "nl", "start": "2025-11-28",
                                            "end": "2026-11-28"})  # fmt: skip
    html = page.text
    assert page.status_code == 200 and '<html lang="nl">' in html
    assert "Groei" in html and "28 nov 2026" in html
    assert html.count("<svg") >= 6 + 3  # the six measures, and the new links of each worker
    assert "Nieuwe banden: amina" in html
    # missions by their Dutch names, never the English codes
    assert not re.search(r"Nieuwe banden: (networking|referral|collective|community)\b", html)
    assert not re.search(r'<th scope="row">(networking|referral|collective|community)<', html)
    # each chart's axis fits its data: density moves within a narrow band, not on a 0-1 axis;
    # its dates and numbers are written the Dutch way
    charts = dict(re.findall(r'<svg[^>]*aria-label="([^"]+)".*?</svg>', html, re.S) and
                  re.findall(r'<svg[^>]*aria-label="([^"]+)"(.*?)</svg>', html, re.S))  # fmt: skip
    density = re.findall(r'text-anchor="end" font-size="11">([^<]+)</text>', charts["Dichtheid"])
    top, bottom = density[0], density[1]
    assert bottom != "0" and top != "1" and "," in top  # a decimal comma
    assert "28 nov 2026" in charts["Dichtheid"] and "2026-11-28" not in charts["Dichtheid"]
    assert "CPAS-OCMW" in html and 'class="warning"' in html  # the saturation warning
    assert "is misschien verzadigd" in html and "may be saturated" not in html
    growth = client.get("/dashboard.csv", params={"section": "growth", "start": "2025-11-28",
                                                  "end": "2026-11-28"})  # fmt: skip
    lines = growth.text.strip().splitlines()  # in Dutch, as a Belgian Excel opens it
    assert lines[0].startswith("\ufeffDatum;Actoren;Banden") and len(lines) == 14  # 13 months
    assert "attachment" in growth.headers["content-disposition"]
    flows = client.get("/dashboard.csv", params={"section": "referrals"}).text
    assert flows.startswith("\ufeffDienst;Van;Naar") and "CPAS-OCMW" in flows
    assert ";0,5\r\n" in flows and ";0.5" not in flows  # a decimal comma, as Excel reads it
    # the network to download, for Gephi, Kumu or a spreadsheet, with the session
    links = re.findall(r'href="(/api/v1/exports\?[^"]+)"', html)
    assert len(links) == 7 and "Back-up van alles (JSON)" in html
    gexf = client.get(links[0].replace("&amp;", "&"))
    assert gexf.status_code == 200 and gexf.content.startswith(b"<?xml")
    client.get("/?lang=fr")
    # a BAR worker sees their own neighbourhood only
    bar = _client(store, "amina").get("/dashboard", params={"neighbourhood": "Elsewhere"})
    assert bar.status_code == 200 and "Cureghem-Lemmens" in bar.text


def test_csv_cells_never_run_as_formulas() -> None:
    from ingest.export import safe_cell

    assert [safe_cell(v) for v in ("=1+1", "+x", "-2", "@A1", "ok", 3, -0.5, None)] == [
        "'=1+1", "'+x", "'-2", "'@A1", "ok", 3, -0.5, None
    ]  # fmt: skip


def test_end_reopen_and_retract_from_the_actor_page(store: SqliteGraphStore) -> None:
    client = _client(store)
    made = store.create_actor(
        {"name": "Asbl Éphémère", "kind": "association", "neighbourhood": "Cureghem-Lemmens",
         "since": "2025-01-01"}, by="amina",
    )  # fmt: skip
    page = client.get(f"/actors/{made.id}").text
    csrf = _csrf(page)
    assert f"/actors/{made.id}/end" in page
    ended = client.post(f"/actors/{made.id}/end", data={"until": "2026-01-01", "csrf_token": csrf},
                        follow_redirects=False)  # fmt: skip
    assert ended.status_code == 303 and store.get_actor(made.id).until is not None
    assert f"/actors/{made.id}/reopen" in client.get(f"/actors/{made.id}").text
    reopened = client.post(f"/actors/{made.id}/reopen", data={"csrf_token": csrf},
                           follow_redirects=False)  # fmt: skip
    assert reopened.status_code == 303 and store.get_actor(made.id).until is None
    retracted = client.post(
        f"/actors/{made.id}/retract", data={"reason": "a test record", "csrf_token": csrf},
        follow_redirects=False,
    )  # fmt: skip
    assert retracted.status_code == 303
    partner = _client(store, "partner")
    refused = partner.post(
        f"/actors/{made.id}/reopen", data={"csrf_token": _csrf(partner.get("/").text)}
    )
    assert refused.status_code == 403


def test_a_coordinator_erases_an_actor_from_its_page(store: SqliteGraphStore) -> None:
    made = store.create_actor(
        {"name": "Madame <i>K.</i>", "kind": "key_resident", "neighbourhood": "Cureghem-Lemmens",
         "consent_date": "2025-01-01", "since": "2025-01-01"}, by="amina",
    )  # fmt: skip
    bar = _client(store)
    page = bar.get(f"/actors/{made.id}").text
    assert f"/actors/{made.id}/erase" not in page
    refused = bar.post(f"/actors/{made.id}/erase", data={"reason": "x", "csrf_token": _csrf(page)})
    assert refused.status_code == 403 and store.get_actor(made.id).name == "Madame <i>K.</i>"
    boss = _client(store, "coordinator")
    page = boss.get(f"/actors/{made.id}?lang=fr").text
    assert f"/actors/{made.id}/erase" in page and "Effacer définitivement" in page
    csrf = _csrf(page)
    no_reason = boss.post(f"/actors/{made.id}/erase", data={"reason": " ", "csrf_token": csrf})
    assert no_reason.status_code == 422 and store.get_actor(made.id)
    erased = boss.post(f"/actors/{made.id}/erase", data={"reason": "asked", "csrf_token": csrf},
                       follow_redirects=False)  # fmt: skip
    assert erased.status_code == 303
    assert boss.get(f"/actors/{made.id}").status_code == 404
    assert "Madame" not in boss.get("/actors?q=madame").text


def test_the_meeting_agenda_speaks_the_teams_language(store: SqliteGraphStore) -> None:
    client = _client(store, "amina")
    dutch = client.get("/meeting", params={"lang": "nl"}).text
    assert "kent beide en kan hen voorstellen" in dutch
    assert "can introduce" not in dutch and "are not linked" not in dutch
    french = client.get("/meeting", params={"lang": "fr"}).text
    data = re.search(r'id="agenda-data"[^>]*>(.*?)</script>', french, re.S)
    assert data is not None  # the page's data, read as its script reads it
    agenda = json.dumps(json.loads(data.group(1)), ensure_ascii=False)
    assert "connaît les deux et peut les présenter" in agenda


@pytest.mark.parametrize("user", ["amina", "coordinator", "partner"])
def test_the_meeting_agenda_is_what_the_reports_list(store: SqliteGraphStore, user: str) -> None:
    """The meeting computes its agenda alone (the isolated actors and ten introductions): the
    same actors, reasons and introducers as the isolation and bridging reports, for a team's
    neighbourhood, the whole region and a partner who sees less."""
    reader = ScopedStore(store, access_of(store.get_user(user), store))
    scopes = [reader.figures_scope()]  # a team's own, or the region's for a coordinator
    if user == "coordinator":
        scopes.append(reader.figures_scope("Cureghem-Lemmens"))
    for scope in scopes:
        isolated, opportunities = meeting_agenda(reader, scope)
        report = REGISTRY["isolation"](reader, {}, scope)
        bridges = REGISTRY["bridging"](reader, {"opportunities": 10}, scope)
        assert isolated == report.isolated  # type: ignore[attr-defined]
        assert opportunities == bridges.opportunities  # type: ignore[attr-defined]
        assert opportunities, scope  # the demo has introductions to make
    assert meeting_agenda(reader, scope) is meeting_agenda(reader, scope)  # kept


def test_a_coordinator_checks_a_file_then_imports_it(store: SqliteGraphStore) -> None:
    client = _client(store, "coordinator")
    form = client.get("/import").text
    csrf = _csrf(form)
    rows = ("nom;type;quartier\nClub de foot Lemmens;association;Cureghem-Lemmens\n"
            "Dragon;dragon;Cureghem-Lemmens\n")  # fmt: skip
    refused = client.post("/import", data={"csrf_token": csrf},
                          files={"file": ("carte.csv", rows.encode(), "text/csv")})  # fmt: skip
    assert refused.status_code == 422
    text = html.unescape(refused.text)
    assert "Refusé : rien n'a été écrit" in text and "type inconnu « dragon »" in text
    assert 'id="refused"' in text and "<td>3</td>" in text  # the row, as the spreadsheet counts
    before = store.counts()
    good = rows.replace("Dragon;dragon;Cureghem-Lemmens\n", "")
    checked = client.post("/import", data={"csrf_token": csrf},
                          files={"file": ("carte.csv", good.encode(), "text/csv")})  # fmt: skip
    assert checked.status_code == 200 and "Ce que l'import ferait" in html.unescape(checked.text)
    assert store.counts() == before  # a check writes nothing
    token = re.search(r'name="upload" value="([0-9a-f]{32})"', checked.text)
    assert token is not None
    done = client.post("/import", data={"csrf_token": csrf, "upload": token.group(1)})
    assert done.status_code == 200 and "Importé" in done.text
    assert store.counts()["actors"] == before["actors"] + 1
    again = client.post("/import", data={"csrf_token": csrf, "upload": token.group(1)})
    assert again.status_code == 422 and "expiré" in html.unescape(again.text)
    assert _client(store, "amina").get("/import").status_code == 403


def test_the_import_page_takes_a_file_larger_than_a_form(store: SqliteGraphStore) -> None:
    """A team's spreadsheet is larger than a form's 256 KiB: the import page takes files up to
    the import's own cap (it answered a bare JSON 413 to a 1 MB file), and a file over that
    cap gets a page a person can read, in the three languages."""
    client = _client(store, "coordinator")
    csrf = _csrf(client.get("/import").text)
    rows = "".join(f"Association n°{i:05d};association;Cureghem-Lemmens\n" for i in range(12_000))
    data = ("nom;type;quartier\n" + rows).encode()
    assert len(data) > 256 * 1024
    checked = client.post("/import", data={"csrf_token": csrf},
                          files={"file": ("carte.csv", data, "text/csv")})  # fmt: skip
    assert checked.status_code == 200 and "Ce que l'import ferait" in html.unescape(checked.text)
    assert "12000" in checked.text.replace("\u202f", "").replace(" ", "").replace(",", "")
    # the checked file waits beside the data, readable by this user only
    waiting = list((store.path.parent / "uploads").glob("*.bin"))
    assert waiting and all(f.stat().st_mode & 0o777 == 0o600 for f in waiting)
    assert (store.path.parent / "uploads").stat().st_mode & 0o777 == 0o700
    small = TestClient(create_app(Settings(max_import_body=200 * 1024), store=store))
    _log_in(small, "coordinator")
    over = small.post("/import", data={"csrf_token": csrf},
                      files={"file": ("carte.csv", data, "text/csv")})  # fmt: skip
    assert over.status_code == 413 and over.headers["content-type"].startswith("text/html")
    assert "200 KiB" in over.text and "Te groot" in over.text and "<script" not in over.text
    api = small.post("/api/v1/actors", content=b"x" * 300_000)
    assert api.status_code == 413 and api.json()["error"] == "too_large"


def test_what_a_logged_in_user_reads_is_never_cached(store: SqliteGraphStore) -> None:
    client = _client(store)
    for path in ("/", "/actors?q=mosq", "/dashboard.csv", "/views/neighbourhood",
                 "/api/v1/auth/me"):  # fmt: skip
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert answer.headers["cache-control"] == "no-store", path
    assert "no-store" not in _client(store).get("/static/style.css").headers.get(
        "cache-control", ""
    )


def test_the_demo_partner_sees_no_key_resident_anywhere(store: SqliteGraphStore) -> None:
    """External partners (viewers) never see a key resident: not in the directory, the views,
    the dashboard or its CSV (the demo's partner saw three, one with a home address)."""
    from graph.model import ActorFilter

    residents = store.list_actors(ActorFilter(kind="key_resident"), limit=100).items
    assert residents  # the demo has key residents, in the partner's own neighbourhood
    partner = _client(store, "partner")
    pages = ["/actors?kind=key_resident", "/actors?limit=500", "/views/neighbourhood",
             "/views/isolation", "/views/bridging", "/dashboard",
             "/dashboard.csv?section=referrals", "/api/v1/actors?kind=key_resident",
             "/api/v1/exports?format=kumu"]  # fmt: skip
    for path in pages:
        answer = partner.get(path)
        assert answer.status_code == 200, path
        shown = [r.name for r in residents if r.name in answer.text or r.id in answer.text]
        assert shown == [], (path, shown)
    assert partner.get("/api/v1/actors?kind=key_resident").json()["total"] == 0


def test_a_retracted_actor_says_so_and_offers_no_dead_end(store: SqliteGraphStore) -> None:
    client = _client(store)
    form = client.get("/record/actor").text
    fields = {"name": "Asbl Faite Par Erreur", "kind": "association",
              "neighbourhood": "Cureghem-Lemmens", "confirmed": "1"}  # fmt: skip
    made = client.post("/record/actor", follow_redirects=False,
                       data={**fields, "csrf_token": _csrf(form)})  # fmt: skip
    page = made.headers["location"].split("?")[0]
    csrf = _csrf(client.get(page).text)
    gone = client.post(f"{page}/retract", data={"reason": "saisi deux fois", "csrf_token": csrf},
                       follow_redirects=False)  # fmt: skip
    assert gone.status_code == 303
    shown = html.unescape(client.get(page).text)
    assert "Retiré le" in shown and "saisi deux fois" in shown and "amina" in shown
    assert f'action="{page}/reopen"' not in shown and f'action="{page}/end"' not in shown


def test_every_page_has_an_icon(store: SqliteGraphStore) -> None:
    client = _client(store)
    assert '<link rel="icon" href="/static/favicon.svg"' in client.get("/").text
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")


def test_a_bad_search_keeps_the_form_and_marks_the_field(store: SqliteGraphStore) -> None:
    """A value the form cannot take: the same page, the form kept, the field marked, a
    sentence in the reader's language — never raw codes, field names or lists of values."""
    client = _client(store)
    for lang, said in (("fr", "écrivez la date sous la forme AAAA-MM-JJ"), ("nl", "JJJJ-MM-DD")):
        page = client.get("/actors", params={"q": "mosq", "as_of": "30/02/2026", "lang": lang})
        errors = re.findall(r'class="error"[^>]*>([^<]*)<', html.unescape(page.text))
        assert page.status_code == 422 and len(errors) == 1 and said in errors[0], errors
        assert 'id="as_of" name="as_of" aria-invalid="true"' in page.text
        assert 'value="mosq"' in page.text  # what was typed is kept
        assert "as_of" not in errors[0] and "YYYY" not in errors[0]
    asked = {"kind": "dragon", "lang": "fr"}
    wrong_kind = html.unescape(client.get("/actors", params=asked).text)
    errors = re.findall(r'class="error"[^>]*>([^<]*)<', wrong_kind)
    assert [e.replace("\u202f", " ") for e in errors] == ["Type : choisissez dans la liste"]


def test_a_bad_date_on_the_dashboard_keeps_the_dashboard(store: SqliteGraphStore) -> None:
    client = _client(store, "coordinator")
    for asked, field in (({"start": "31/12/2025"}, "start"), ({"end": "2999-01-01"}, "end")):
        page = client.get("/dashboard", params={**asked, "lang": "fr"})
        errors = re.findall(r'class="error"[^>]*>([^<]*)<', html.unescape(page.text))
        assert page.status_code == 422 and len(errors) == 1, errors
        assert f'id="{field}"' in page.text and 'aria-invalid="true"' in page.text
        assert page.text.count("<svg") >= 6  # the last year's figures, still there
        assert "start:" not in errors[0] and "end:" not in errors[0]


def test_a_refused_follow_up_keeps_the_meeting_and_what_was_typed(
    store: SqliteGraphStore,
) -> None:
    client = _client(store)
    csrf = _csrf(client.get("/meeting", params={"lang": "fr"}).text)
    actor = store.list_actors(limit=1).items[0].id
    answer = client.post("/meeting/follow-ups", data={
        "actor": [actor], "due": "demain", "what": "appeler la maison médicale",
        "item": "2", "csrf_token": csrf})  # fmt: skip
    said = html.unescape(answer.text)
    assert answer.status_code == 422 and 'id="follow-up-form"' in answer.text
    assert 'value="appeler la maison médicale"' in said and 'data-start="2"' in answer.text
    assert len(re.findall(r'class="error"', answer.text)) == 1


def test_a_refused_change_keeps_the_actor_page(store: SqliteGraphStore) -> None:
    """Ending an actor on a date in the future, or asking its page on a date that is not one:
    the actor's page again, one sentence saying why — not a bare message page."""
    client = _client(store)
    team = store.get_user("amina").actor_id
    assert team is not None
    page = f"/actors/{team}"
    csrf = _csrf(client.get(page, params={"lang": "fr"}).text)
    refused = client.post(f"{page}/end", data={"until": "2999-01-01", "csrf_token": csrf})
    errors = re.findall(r'class="error"[^>]*>([^<]*)<', html.unescape(refused.text))
    assert refused.status_code == 422 and len(errors) == 1 and "2999" in errors[0]
    assert "<h1>BAR" in refused.text or ("<h1>" in refused.text and 'id="links"' in refused.text)
    odd = client.get(page, params={"as_of": "hier"})
    assert odd.status_code == 422 and 'id="links"' in odd.text
    assert len(re.findall(r'class="error"', odd.text)) == 1


def test_a_change_is_undone_only_by_its_author_and_only_the_latest(
    store: SqliteGraphStore,
) -> None:
    amina, joris = _client(store), _client(store, "joris")
    made = store.create_actor({"name": "Repair café Clemenceau", "kind": "association",
                               "neighbourhood": "Cureghem-Lemmens"}, by="amina")  # fmt: skip
    form = amina.get(f"/actors/{made.id}/edit").text
    saved = amina.post(
        f"/actors/{made.id}/edit",
        data={
            "csrf_token": _csrf(form),
            "name": made.name,
            "phone_number": "0470 12 34 56",
            "phone_label": "mobile",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303 and saved.headers["location"].endswith("?saved=1")
    page = amina.get(saved.headers["location"]).text
    event = re.search(r'name="event" value="([0-9a-f]{32})"', page)
    assert event is not None and "tel:+32470123456" in page
    kept = store.version()
    other = joris.post(
        f"/actors/{made.id}/undo",
        data={"csrf_token": _csrf(joris.get(f"/actors/{made.id}").text), "event": event.group(1)},
    )
    assert other.status_code == 422 and "peut être annulée" in html.unescape(other.text)
    assert store.version() == kept  # another user's change stays
    undone = amina.post(f"/actors/{made.id}/undo", data={"csrf_token": _csrf(page),
                        "event": event.group(1)}, follow_redirects=False)  # fmt: skip
    assert undone.status_code == 303
    assert store.get_actor(made.id).phones == []
    again = amina.post(f"/actors/{made.id}/undo", data={"csrf_token": _csrf(page),
                       "event": event.group(1)})  # fmt: skip
    assert again.status_code == 422  # the undo is now the latest change: nothing twice


def test_the_same_place_in_the_other_language_or_letters_is_caught_and_found(
    store: SqliteGraphStore,
) -> None:
    """ "Apotheek Clemenceau" beside "Pharmacie Clemenceau" is the same pharmacy: the form
    warns; "firin" finds "Fırın Anadolu" in the directory."""
    client = _client(store)
    csrf = _csrf(client.get("/record/actor").text)
    base = {"kind": "trader", "neighbourhood": "Cureghem-Lemmens", "csrf_token": csrf}
    for name in ("Pharmacie Sainte-Lutgarde", "Fırın Karadeniz"):
        made = client.post("/record/actor", data={**base, "name": name, "confirmed": "yes"},
                           follow_redirects=False)  # fmt: skip
        assert made.status_code == 303
    warned = client.post("/record/actor", data={**base, "name": "Apotheek Sainte-Lutgarde"})
    assert "Pharmacie Sainte-Lutgarde" in warned.text and 'name="confirmed"' in warned.text
    school = client.post("/record/actor", data={**base, "name": "Bakkerij Sainte-Lutgarde"})
    assert 'name="confirmed"' not in school.text  # a bakery is not the pharmacy
    found = client.get("/actors?q=firin").text
    assert "Fırın Karadeniz" in found
    # the same place word in the other language finds it too
    assert "Pharmacie Sainte-Lutgarde" in client.get("/actors?q=apotheek+sainte").text


def test_a_contact_person_is_kept_with_the_day_it_was_checked(store: SqliteGraphStore) -> None:
    """A professional at the service, with the day the BAR checked it (ticking "still true"
    dates it today; saving without keeps the day it had)."""
    client = _client(store)
    made = store.create_actor({"name": "Service social Clemenceau", "kind": "public_service",
                               "neighbourhood": "Cureghem-Lemmens"}, by="amina")  # fmt: skip
    form = {"csrf_token": _csrf(client.get(f"/actors/{made.id}/edit").text), "name": made.name,
            "contact_name": "Sophie Lambert", "contact_role": "assistante sociale",
            "contact_phone": "02 520 12 35", "contact_email": "", "checked": "yes"}  # fmt: skip
    saved = client.post(f"/actors/{made.id}/edit", data=form, follow_redirects=False)
    assert saved.status_code == 303
    person = store.get_actor(made.id).contacts[0]
    assert (person.name, person.phone, person.confirmed) == (
        "Sophie Lambert",
        "+3225201235",
        date.today(),
    )
    page = client.get(f"/actors/{made.id}").text
    assert "Sophie Lambert" in page and "tel:+3225201235" in page and "vérifié le" in page
    unchecked = {k: v for k, v in form.items() if k != "checked"} | {"contact_role": "AS"}
    client.post(f"/actors/{made.id}/edit", data=unchecked, follow_redirects=False)
    assert store.get_actor(made.id).contacts[0].confirmed == date.today()  # kept, not cleared


def test_home_and_dashboard_count_the_actors_the_round_lists(tmp_path: Path) -> None:
    """The number of actors to check on home and on the dashboard (counted on the kept history)
    is the number of rows of the round (read from the store), for a BAR worker and for the
    coordinator, with an ended actor and a retracted one among the unconfirmed."""
    s = SqliteGraphStore(tmp_path / "m.db")
    load(s)
    add_demo_users(s, hash_password(PASSWORD, "", check=False))
    try:
        listed = s.list_actors(limit=200).items
        unconfirmed = [a for a in listed if to_check(a, date.today(), days_of(6))]
        s.end_actor(unconfirmed[0].id, date.today(), by="amina")
        s.retract_actor(unconfirmed[1].id, by="amina", reason="recorded twice")
        for user in ("amina", "coordinator"):
            client = _client(s, user)
            rows = client.get("/to-check").text.count("<tr") - 1  # the head's row
            assert rows > 0
            home = re.search(r'id="stale"><a href="/to-check">(\d+)', client.get("/").text)
            board = re.search(r'id="stale">(\d+)', client.get("/dashboard").text)
            assert home is not None and board is not None
            assert int(home.group(1)) == int(board.group(1)) == rows, user
    finally:
        s.close()
