"""The HTML briefing in a real browser: Debian's chromium, driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from reporter.model import Briefing

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VISIBLE = "els => els.filter(e => e.checkVisibility()).map(e => e.id)"
IDS = "els => els.map(e => e.id)"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("no /usr/bin/chromium: `make test` installs it (Debian package chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


class Opened:
    """A page showing the briefing, with every request and console error it made."""

    def __init__(self, browser: Browser, html: Path, width: int, height: int) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page: Page = browser.new_page(viewport={"width": width, "height": height})
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.goto(html.as_uri())

    def visible_entries(self) -> set[str]:
        return set(self.page.eval_on_selector_all("[data-entry]", VISIBLE))

    def wait_until(self, expression: str, timeout: float = 5.0) -> None:
        """Poll a JavaScript expression from here until it is true.

        page.wait_for_function evaluates its predicate with eval() inside the page,
        which the briefing's content security policy rightly refuses.
        """
        deadline = time.monotonic() + timeout
        while not self.page.evaluate(expression):
            if time.monotonic() > deadline:
                raise AssertionError(f"still false after {timeout} s: {expression}")
            self.page.wait_for_timeout(50)

    def choose(self, name: str, value: str) -> None:
        self.page.select_option(f"#filter select[name={name}]", value)


def test_filter_hides_and_shows_entries(browser: Browser, seed_outputs: Path, seed_briefing: Briefing) -> None:
    html = seed_outputs / "briefing.html"
    view = Opened(browser, html, 1366, 900)
    assert view.page.is_visible("#filter")  # the script ran (CSP allowed it) and showed the filter
    everything = view.visible_entries()
    flags = {d.id for d in seed_briefing.discrepancies}
    assert flags <= everything

    view.choose("kind", "name")
    names = {d.id for d in seed_briefing.discrepancies if d.kind == "name"}
    assert names and view.visible_entries() == names
    assert view.page.inner_text("#filter output") == f"Showing {len(names)} of {len(everything)} flags and quotes"

    view.choose("kind", "")
    view.choose("severity", "conflict")
    conflicts = {d.id for d in seed_briefing.discrepancies if d.severity == "conflict"}
    quoted = set(view.page.eval_on_selector_all("[data-kind=quote][data-severity=conflict]", IDS))
    assert conflicts and view.visible_entries() == conflicts | quoted  # a contradicting quote shows under both
    assert not view.page.is_visible("table.variants")  # a section left with nothing to show is hidden too

    view.choose("severity", "")
    event = seed_briefing.events[1]
    view.choose("event", event.id)
    assert view.page.is_visible(f"section#{event.id}")
    assert not any(view.page.is_visible(f"section#{e.id}") for e in seed_briefing.events if e != event)
    assert view.visible_entries() == {
        i for i in everything if view.page.get_attribute(f"#{i}", "data-event") == event.id
    }

    view.page.click("#filter button[type=reset]")
    view.wait_until(f"document.querySelectorAll('[data-entry]:not([hidden])').length == {len(everything)}")
    assert view.visible_entries() == everything

    # following a link to an entry the filter hides shows everything again
    view.choose("severity", "variant")
    top = view.page.get_attribute("a.pref", "href")
    assert top and top[1:] not in view.visible_entries()
    view.page.click("a.pref")
    view.wait_until(f"document.getElementById('{top[1:]}').checkVisibility()")
    assert view.visible_entries() == everything
    assert view.requests == [html.as_uri()]  # the file itself, and nothing else
    assert view.errors == []


def test_phone_width_has_no_sideways_scroll(browser: Browser, seed_outputs: Path) -> None:
    view = Opened(browser, seed_outputs / "briefing.html", 390, 844)
    assert view.page.evaluate("document.documentElement.scrollWidth") <= 390
    # the two sides of a flag stack instead of sitting side by side
    left = view.page.eval_on_selector_all(".pair .side", "els => els.slice(0, 2).map(e => e.getBoundingClientRect().x)")
    assert len(left) == 2 and left[0] == left[1]
    assert view.errors == []
