"""An automated accessibility check (axe-core, vendored) on every page, phone and desktop:
no serious or critical violation."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from .conftest import PASSWORD

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
PAGES = [
    "/",
    "/actors",
    "/actors?q=mosq&kind=place_of_worship",
    "/record/link",
    "/record/actor",
    "/record/referral",
    "/record/activity",
    "/paths?source=Magazin Carpați&target=Mosquée Al-Hidaya",
    "/reach?language=tr",
    "/meeting",
    "/dashboard",
    "/to-check",
    "/referrals",
    "/leaflet?theme=health",
    "/actors?lang=nl",
    "/actors?lang=fr",
]  # (and back: the language is remembered for the user)


@pytest.mark.parametrize("size", [{"width": 360, "height": 740}, {"width": 1280, "height": 800}])
def test_no_serious_violation_on_any_page(
    browser: Browser, server: str, size: dict[str, int]
) -> None:
    # axe is injected as a script: this context lets it past the pages' CSP (which forbids any
    # script not served by the site); the check is about the pages' markup, not their CSP
    context = browser.new_context(viewport=size, locale="fr-BE", bypass_csp=True)
    page = context.new_page()
    page.goto(f"{server}/login")
    pages = [*PAGES]
    problems = _check(page)  # the login page, logged out
    page.fill("#username", "amina")
    page.fill("#password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{server}/")
    # logged in: the home page greets the user, with a way out
    assert page.locator("h1").inner_text().endswith("amina")
    assert page.locator("form[action='/logout'] button").count() == 1
    page.goto(f"{server}/actors?q=mosquee al-hidaya")
    actor = page.locator("table a").first.get_attribute("href")
    pages.append(str(actor))
    for path in pages:
        page.goto(f"{server}{path}")
        problems += [f"{path}: {p}" for p in _check(page)]
        # on a phone, no page scrolls sideways (a wide table scrolls in its own box)
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide > size["width"] + 1:
            problems.append(f"{path}: {wide} px wide on a {size['width']} px screen")
    # a coordinator's import page, with a file refused (its table of rows) and a plan
    context.clear_cookies()
    page.goto(f"{server}/login")
    page.fill("#username", "coordinator")
    page.fill("#password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{server}/")
    for body in ("nom;type;quartier\nDragon;dragon;Cureghem-Lemmens\n",
                 "nom;type;quartier\nClub de foot;association;Cureghem-Lemmens\n"):  # fmt: skip
        page.goto(f"{server}/import")
        page.set_input_files("#file", files=[{"name": "carte.csv", "mimeType": "text/csv",
                                              "buffer": body.encode()}])  # fmt: skip
        page.click("form:last-of-type button.primary")
        page.wait_for_load_state()
        problems += [f"/import: {p}" for p in _check(page)]
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide > size["width"] + 1:
            problems.append(f"/import: {wide} px wide on a {size['width']} px screen")
    context.close()
    assert problems == []


def _check(page) -> list[str]:  # type: ignore[no-untyped-def]
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ['violations']});
            return result.violations
              .filter(v => v.impact === 'serious' || v.impact === 'critical')
              .map(v => v.id + ' (' + v.impact + '): '
                        + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
        }"""
    )
    return list(found)
