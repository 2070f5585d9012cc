"""The pages in a real browser (headless Chromium), phone-sized: a BAR worker logs in, records
an actor (and meets the look-alike warning), records a link by picking names as they are
suggested, finds it on the actor's page and in its network view, finds a path; a viewer sees
no write button; a hostile name stays text; nothing is requested outside the server.
Screenshots of the main pages are saved in docs/screenshots/ (the README shows them)."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page

from .conftest import EVIL, PASSWORD

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "screenshots"
PHONE = {"width": 360, "height": 740}
ACTOR_PAGE = re.compile(r"/actors/[0-9a-f]{32}")


def _open(
    browser: Browser, base: str, size: dict[str, int], locale: str = "fr-BE"
) -> tuple[Page, list[str], list[str]]:
    page = browser.new_page(viewport=size, locale=locale)
    outside: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)

    def dialog(d: object) -> None:
        dialogs.append(d.message)  # type: ignore[attr-defined]
        d.dismiss()  # type: ignore[attr-defined]

    page.on("dialog", dialog)
    return page, outside, dialogs


def _login(page: Page, base: str, user: str) -> None:
    page.goto(f"{base}/")
    page.fill("#username", user)
    page.fill("#password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{base}/")


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1


def test_a_bar_worker_on_a_phone(browser: Browser, server: str) -> None:
    page, outside, dialogs = _open(browser, server, PHONE)
    _login(page, server, "amina")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "page-home-phone.png"), full_page=True)
    _no_sideways_scroll(page)
    # record an actor: first a look-alike warning, then the new one
    page.click("text=Enregistrer un acteur")
    page.fill("#name", "Pharmacy Bara")
    page.select_option("#kind", "trader")
    page.click("button.primary")
    assert page.locator(".warning").is_visible()
    assert "Pharmacie Bara" in page.locator(".warning").inner_text()
    page.screenshot(path=str(SHOTS / "page-record-actor-phone.png"), full_page=True)
    page.fill("#name", "Épicerie du Soleil Levant")
    page.click("button.primary")
    page.wait_for_url(ACTOR_PAGE)
    assert "Épicerie du Soleil Levant" in page.locator("h1").inner_text()
    # record a link, picking both names as they are suggested
    page.click("main a.button.primary[href^='/record/link']")  # from the new actor's page
    assert page.input_value("#source") == "Épicerie du Soleil Levant"
    page.locator("#target").press_sequentially("biblioth", delay=30)
    page.wait_for_function(
        "() => document.querySelectorAll('#target-list option').length > 0", timeout=5000
    )
    options = page.eval_on_selector_all("#target-list option", "els => els.map(e => e.value)")
    choice = next(o for o in options if o.startswith("Bibliotheek Van Lint"))
    page.fill("#target", choice)
    page.select_option("#type", "COLLABORATES_WITH")
    _no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / "page-record-link-phone.png"), full_page=True)
    page.click("button.primary")
    page.wait_for_url(ACTOR_PAGE)
    assert "Bibliotheek Van Lint" in page.locator("#links").inner_text()
    # … and in the actor's network view
    frame = page.frame_locator("iframe.view")
    frame.locator("#graph canvas").wait_for(timeout=15000)
    names = page.frames[1].evaluate("window.maillage.nodes.get().map(n => n.name)")
    assert "Bibliotheek Van Lint" in names and "Épicerie du Soleil Levant" in names
    # a path between two actors
    page.goto(f"{server}/paths?source=Magazin Carpați&target=Mosquée Al-Hidaya")
    assert "Magazin Carpați →" in page.locator("ol.paths").inner_text()
    page.screenshot(path=str(SHOTS / "page-paths-phone.png"), full_page=True)
    # the hostile name is text
    page.goto(f"{server}/actors?q=img")
    assert EVIL in page.locator("table").inner_text()
    assert page.locator("table img").count() == 0
    page.wait_for_timeout(200)
    assert dialogs == [] and outside == []
    page.close()


def test_a_viewer_sees_no_write_button(browser: Browser, server: str) -> None:
    page, outside, _ = _open(browser, server, {"width": 1280, "height": 800})
    _login(page, server, "partner")
    assert page.locator("a[href='/record/link']").count() == 0
    answer = page.goto(f"{server}/record/link")
    assert answer is not None and answer.status == 403
    page.goto(f"{server}/actors?lang=nl")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("h1").inner_text() == "Gids"
    page.screenshot(path=str(SHOTS / "page-directory-desktop.png"))
    assert outside == []
    page.close()


def test_the_team_meeting_walk_by_keyboard(browser: Browser, server: str) -> None:
    page, outside, dialogs = _open(browser, server, {"width": 1600, "height": 900})
    _login(page, server, "amina")
    page.goto(f"{server}/meeting")
    page.wait_for_function("() => window.meeting !== undefined")
    frame = page.frames[1]
    frame.wait_for_function("() => window.maillage && window.maillage.ready")
    agenda = page.evaluate("JSON.parse(document.getElementById('agenda-data').textContent)")
    introductions = [i for i, item in enumerate(agenda) if item["introducer"]]
    assert len(introductions) >= 2
    # step by keyboard to the first two introductions
    steps = []

    def walk_to(target: int) -> None:
        for _ in range(len(agenda) + 1):  # bounded: the walk wraps around the agenda
            if page.evaluate("window.meeting.index") == target:
                return
            page.keyboard.press("n")
        raise AssertionError(f"the walk never reached item {target}")

    for target in introductions[:2]:
        walk_to(target)
        item = agenda[target]
        focused = set(frame.evaluate("window.maillage.focused || []"))
        assert set(item["actors"]) | {item["introducer"]} <= focused
        assert page.locator("#agenda-reason").inner_text() == item["reason"]
        steps.append(item)
    page.keyboard.press("p")
    assert page.evaluate("window.meeting.index") == introductions[1] - 1
    page.screenshot(path=str(SHOTS / "page-meeting-desktop.png"))
    # a click in the graph does not take the keyboard away from the walk
    box = page.locator("#meeting-view").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 10, box["y"] + box["height"] - 10)
    page.keyboard.press("ArrowRight")
    assert page.evaluate("window.meeting.index") == introductions[1]
    # a follow-up saying neither what nor when is refused, with a sentence
    page.select_option("#taken_by", "amina")
    page.click("#follow-up-form button")
    assert "dites ce qu’il faut faire, ou pour quand" in page.locator("main").inner_text()
    page.go_back()
    page.wait_for_function("() => window.meeting !== undefined")
    walk_to(introductions[1])
    # note who takes the second one, by when
    page.select_option("#taken_by", "amina")
    page.fill("#due", "2026-12-20")
    page.fill("#what", "introduce them at the next health session")
    page.click("#follow-up-form button")
    page.wait_for_url(re.compile(r"/meeting"))
    listed = page.locator("#follow-ups").inner_text()
    assert "amina" in listed and "introduce them at the next health session" in listed
    page.goto(f"{server}/")
    assert (
        "introduce them at the next health session" in page.locator("#my-follow-ups").inner_text()
    )
    assert dialogs == [] and outside == []
    page.close()


def test_a_coordinator_reads_the_dashboard_in_dutch_and_downloads_it(
    browser: Browser, server: str
) -> None:
    page, outside, _ = _open(browser, server, {"width": 1280, "height": 900}, locale="fr-BE")
    _login(page, server, "coordinator")
    page.goto(f"{server}/dashboard?start=2025-11-28&end=2026-11-28")
    assert page.locator("h1").inner_text() == "Tableau de bord"
    page.select_option("#lang-switch", "nl")  # the switch submits itself
    page.wait_for_url(re.compile(r"lang=nl"))
    assert page.locator("h1").inner_text() == "Dashboard"
    assert page.locator("html").get_attribute("lang") == "nl"
    assert "Groei" in page.locator("main").inner_text()
    assert "28 nov 2026" in page.locator(".meta").inner_text()  # Dutch dates
    assert page.locator("svg.chart").count() >= 6
    page.screenshot(path=str(SHOTS / "page-dashboard-desktop.png"), full_page=False)
    with page.expect_download() as download:
        page.click("text=De groei downloaden (CSV)")
    saved = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert saved.startswith("Datum;Actoren;Banden")  # in Dutch, as a Belgian Excel opens it
    # the language is remembered, for the user: on another device too
    page.goto(f"{server}/actors")
    assert page.locator("h1").inner_text() == "Gids"
    other, _, _ = _open(browser, server, {"width": 800, "height": 600}, locale="en-GB")
    _login(other, server, "coordinator")
    assert other.locator("html").get_attribute("lang") == "nl"
    other.close()
    assert outside == []
    page.close()


def _fails(page: Page) -> list[str]:
    """Every answer of 400 or more, and every script error, while the page is used."""
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("pageerror", lambda e: failed.append(f"script: {e}"))
    return failed


def test_the_directory_search_form_as_a_browser_submits_it(browser: Browser, server: str) -> None:
    """Type a name in the directory's search box and press Enter, on a phone and on a desktop,
    in French and in Dutch: the browser sends every empty filter too (kind=, status=, as_of=),
    which answered a bare 422 page."""
    for size, lang in ((PHONE, "fr"), ({"width": 1366, "height": 900}, "nl")):
        page, outside, _ = _open(browser, server, size, locale=f"{lang}-BE")
        failed = _fails(page)
        _login(page, server, "amina")
        page.goto(f"{server}/actors?lang={lang}")
        page.fill("#q", "mosquee al hidaya")
        page.press("#q", "Enter")
        page.wait_for_url(re.compile(r"/actors\?.*q=mosquee"))
        assert "kind=" in page.url and "as_of=" in page.url  # the empty filters were sent
        assert page.locator("main table a", has_text="Mosquée Al-Hidaya").count() == 1
        said = page.locator("main").inner_text()
        assert ("\n1 acteur\n" if lang == "fr" else "\n1 actor\n") in f"\n{said}\n"
        # then a kind chosen with the name cleared: the filter alone
        page.fill("#q", "")
        page.select_option("#kind", "place_of_worship")
        page.press("#q", "Enter")
        page.wait_for_url(re.compile(r"kind=place_of_worship"))
        assert page.locator("main table a").count() >= 2
        if size is PHONE:
            _no_sideways_scroll(page)
        assert failed == [] and outside == []
        page.close()


def test_clearing_a_date_on_the_dashboard_is_no_date(browser: Browser, server: str) -> None:
    page, _, _ = _open(browser, server, PHONE)
    failed = _fails(page)
    _login(page, server, "coordinator")
    page.goto(f"{server}/dashboard?start=2025-11-28&end=2026-11-28&lang=fr")
    page.fill("#start", "")
    page.press("#end", "Enter")
    page.wait_for_url(re.compile(r"start=&"))
    assert page.locator("h1").inner_text() == "Tableau de bord"
    assert page.locator("svg.chart").count() >= 6
    assert failed == []
    page.close()


def test_recording_a_link_offers_the_candidates_and_keeps_what_was_chosen(
    browser: Browser, server: str
) -> None:
    """A name that matches one actor is that actor ("carpa": Magazin Carpați); a name that
    matches several shows them to tap; the strength chosen survives the refusal."""
    for pick, (size, lang) in enumerate(((PHONE, "fr"), ({"width": 1366, "height": 900}, "nl"))):
        page, outside, _ = _open(browser, server, size, locale=f"{lang}-BE")
        failed = _fails(page)
        _login(page, server, "joris")
        page.goto(f"{server}/record/link?lang={lang}")
        page.fill("#source", "carpa")
        page.fill("#target", "maison")
        page.click("details summary")
        page.select_option("#strength", "3")
        page.click("button.primary")
        failed.clear()  # the refusal itself is a 422: what follows must not be
        candidates = page.locator("#target-candidates label")
        assert candidates.count() >= 2
        assert page.locator("#source-candidates").count() == 0  # "carpa" was one actor
        assert page.input_value("#strength") == "3"
        if size is PHONE:
            _no_sideways_scroll(page)
        chosen = candidates.nth(pick).inner_text().split(" — ")[0].strip()
        candidates.nth(pick).click()
        page.click("button.primary")
        page.wait_for_url(ACTOR_PAGE)
        assert "Magazin Carpați" in page.locator("h1").inner_text()
        assert chosen in page.locator("#links").inner_text()
        assert failed == [] and outside == []
        page.close()
