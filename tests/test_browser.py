"""The HTML briefing in a real browser: Debian's chromium, driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from reporter.facts import build_facts
from reporter.model import Briefing, Fact
from reporter.pipeline import BuildOptions, build_briefing
from reporter.render import write_outputs
from reporter.view import rank_events

from .test_digest import large_briefing

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


def _facts(briefing: Briefing) -> dict[str, Fact]:
    return {f.id: f for f in build_facts(briefing)}


def test_events_start_collapsed_and_open_on_click(
    browser: Browser, seed_outputs: Path, seed_briefing: Briefing
) -> None:
    html = seed_outputs / "briefing.html"
    view = Opened(browser, html, 1366, 900)
    assert view.page.is_visible("#filter")  # the script ran (CSP allowed it) and showed the filter
    assert view.visible_entries() == set()  # every event shows its headline and counts only
    event = rank_events(seed_briefing)[0]
    assert "1 disputed fact" in view.page.inner_text(f"section#{event.id} summary")
    view.page.click(f"section#{event.id} summary")
    shown = view.visible_entries()
    assert shown and all(view.page.get_attribute(f"#{i}", "data-event") == event.id for i in shown)
    assert view.requests == [html.as_uri()]  # the file itself, and nothing else
    assert view.errors == []


def test_filters_by_kind_confidence_and_text(browser: Browser, seed_outputs: Path, seed_briefing: Briefing) -> None:
    view = Opened(browser, seed_outputs / "briefing.html", 1366, 900)
    facts = _facts(seed_briefing)
    total = view.page.eval_on_selector_all("[data-entry]", "els => els.length")
    unlikely = {i for i, f in facts.items() if f.severity == "conflict" and f.score < 0.2}
    collapsed = f"{len(unlikely)} unlikely disagreement{'s' if len(unlikely) != 1 else ''} collapsed"
    assert view.page.inner_text("#filter output").startswith(f"{total} entries; {collapsed}")

    view.choose("kind", "name")
    names = {i for i, f in facts.items() if f.kind == "name"}
    assert names and view.visible_entries() == names  # the events holding them open by themselves
    assert view.page.inner_text("#filter output").startswith(
        f"Showing {len(names)} of {total} entries; {total - len(names)} hidden by the filter"
    )

    view.choose("kind", "")
    view.choose("level", "likely")
    likely = {i for i, f in facts.items() if f.severity == "conflict" and f.score >= 0.5}
    assert likely and view.visible_entries() == likely
    assert not view.page.is_visible("ul.variants")  # a section left with nothing to show is hidden too

    view.choose("level", "unlikely")
    assert view.visible_entries() == unlikely  # shown from its collapsed group (the seeds may have none)

    view.choose("level", "")
    view.page.fill("#filter input[name=q]", "khaybar")
    assert view.visible_entries() == {i for i, f in facts.items() if any(v.value == "Khaybar" for v in f.values)}

    view.page.click("#filter button[type=reset]")
    view.wait_until("document.querySelector('#filter input[name=q]').value === ''")
    assert view.errors == []


def test_keys_step_through_disputed_facts(browser: Browser, seed_outputs: Path, seed_briefing: Briefing) -> None:
    view = Opened(browser, seed_outputs / "briefing.html", 1366, 900)
    facts = _facts(seed_briefing)
    view.choose("level", "possible")
    view.page.locator("body").click(position={"x": 5, "y": 5})  # away from the filter's fields
    view.page.keyboard.press("j")
    current = view.page.eval_on_selector_all("[data-fact].current", IDS)
    assert len(current) == 1 and facts[current[0]].score >= 0.2
    assert view.page.is_visible(f"#{current[0]}")  # its event opened to show it
    view.page.keyboard.press("j")
    second = view.page.eval_on_selector_all("[data-fact].current", IDS)
    assert len(second) == 1 and second != current and facts[second[0]].score >= 0.2
    view.page.keyboard.press("k")
    assert view.page.eval_on_selector_all("[data-fact].current", IDS) == current  # back to the first
    view.page.click("#filter button[name=next]")
    assert view.page.eval_on_selector_all("[data-fact].current", IDS) == second
    assert view.errors == []


def test_a_link_to_a_hidden_entry_shows_it(browser: Browser, seed_outputs: Path) -> None:
    view = Opened(browser, seed_outputs / "briefing.html", 1366, 900)
    view.choose("kind", "name")
    top = view.page.get_attribute("a.pref", "href")
    assert top and top[1:] not in view.visible_entries()
    view.page.click("a.pref")
    view.wait_until(f"document.getElementById('{top[1:]}').checkVisibility()")
    assert view.errors == []


def test_phone_width_has_no_sideways_scroll(browser: Browser, seed_outputs: Path) -> None:
    view = Opened(browser, seed_outputs / "briefing.html", 390, 844)
    view.page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    assert view.page.evaluate("document.documentElement.scrollWidth") <= 390
    # the two sides of a quotation stack instead of sitting side by side
    left = view.page.eval_on_selector_all(".pair .side", "els => els.slice(0, 2).map(e => e.getBoundingClientRect().x)")
    assert len(left) == 2 and left[0] == left[1]
    assert view.errors == []


def test_a_large_briefing_stays_usable(browser: Browser, tmp_path: Path) -> None:
    write_outputs(large_briefing(200), tmp_path, ("html",))
    view = Opened(browser, tmp_path / "briefing.html", 1280, 900)
    assert view.visible_entries() == set()  # 200 events, each collapsed to its headline
    assert view.page.inner_text("#filter output").startswith("200 entries; 0 unlikely disagreements collapsed")
    view.page.fill("#filter input[name=q]", "district 137.")
    shown = view.visible_entries()
    assert len(shown) == 1 and view.page.get_attribute(f"#{shown.pop()}", "data-event") == "e137"
    assert view.page.inner_text("#filter output").startswith("Showing 1 of 200 entries; 199 hidden by the filter")
    view.page.click("#filter button[type=reset]")
    view.wait_until("document.querySelector('#filter output').value.startsWith('200 entries')")
    view.page.locator("body").click(position={"x": 5, "y": 5})
    for _ in range(3):
        view.page.keyboard.press("j")
    current = view.page.eval_on_selector_all("[data-fact].current", IDS)
    assert len(current) == 1 and view.page.is_visible(f"#{current[0]}")
    assert view.page.get_attribute(f"#{current[0]}", "data-event") == "e2"  # the third, its event opened
    assert view.errors == []


ECB = Path(__file__).resolve().parents[2] / "shared" / "bench" / "ecbplus-dev"
REAL_ARTICLES = 200  # about this many articles of real news, whole gold events from the first


@pytest.mark.skipif(not (ECB / "gold.json").exists(), reason="ECB+ dev corpus not beside the repository")
def test_a_real_200_article_briefing_reads_collapsed_and_filters(browser: Browser, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    copied = 0
    for event in json.loads((ECB / "gold.json").read_text(encoding="utf-8"))["events"]:
        if copied >= REAL_ARTICLES:
            break
        for name in event["articles"]:
            shutil.copy(ECB / name, folder)
            copied += 1
    briefing = build_briefing(BuildOptions(sources=[str(folder)]), warn=lambda _: None)
    write_outputs(briefing, tmp_path / "out", ("html",))
    view = Opened(browser, tmp_path / "out" / "briefing.html", 390, 844)
    assert view.page.evaluate("document.documentElement.scrollWidth") <= 390
    # every event collapsed to its headline: the page is a list, not 420,000 pixels of flags
    assert view.page.evaluate("document.querySelector('main').scrollHeight") < 200 * len(briefing.events)
    view.choose("level", "possible")
    shown = view.visible_entries()
    facts = _facts(briefing)
    assert shown and all(facts[i].score >= 0.2 for i in shown)
    status = view.page.inner_text("#filter output")
    assert status.startswith(f"Showing {len(shown)} of ") and "hidden by the filter" in status
    view.page.locator("body").click(position={"x": 2, "y": 2})
    view.page.keyboard.press("j")
    assert view.page.eval_on_selector_all("[data-fact].current", VISIBLE)
    assert view.errors == []
