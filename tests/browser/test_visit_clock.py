"""The visit clock in a real Chromium: every way a visit ends keeps its full engaged time.

Each visit is read for a few seconds in a visible, focused tab, then ended one way: a link,
an address typed in the same tab, back and forward (through the back/forward cache), closing
the tab, closing the window, a service-worker restart in the middle, quitting the browser (which
may lose up to 5 s). How visits are timed and checked: visits.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.harness import Browser, Companion, record_figure, running_browser, wait_for
from tests.browser.visits import (
    CLOCK_SETTINGS,
    QUIT_LOSS_SECONDS,
    READ_SECONDS,
    Timer,
    Visit,
    assert_full_time,
    recorded_visits,
    url_of,
)

pytestmark = pytest.mark.browser


class Tab(Timer):
    """One tab reading pages in turn, timing each visit from outside the browser."""

    def __init__(self, page: Any) -> None:
        super().__init__()
        self.page = page

    def read(self, seconds: float = READ_SECONDS) -> None:
        """Read the page: scroll a little, then stay."""
        self.page.mouse.move(300, 300)
        self.page.mouse.wheel(0, 400)
        self.page.wait_for_timeout(seconds * 1000)


def follow_link(page: Any, url: str) -> None:
    """Click the page's link to `url` and wait for the next page to load."""
    page.evaluate("(href) => { document.getElementById('next').href = href; }", url)
    with page.expect_navigation():
        page.click("#next")


def came_from_bfcache(page: Any) -> bool:
    return page.evaluate("() => window.inflowTestMark === true")


def mark_for_bfcache(page: Any) -> None:
    page.evaluate("() => { window.inflowTestMark = true; }")


@pytest.fixture
def clock_browser(tmp_path: Path, playwright_driver: Any) -> Iterator[Browser]:
    """Chromium with the extension and the back/forward cache on (as for a real user)."""
    with running_browser(tmp_path / "profile", playwright_driver, bfcache=True) as opened:
        yield opened


def test_every_way_a_visit_ends_in_a_tab_keeps_its_full_engaged_time(
    clock_browser: Browser, shared_companion: Companion, site: str
) -> None:
    browser = clock_browser
    browser.pair_with(shared_companion, **CLOCK_SETTINGS)
    tab = Tab(browser.context.new_page())
    visits: list[Visit] = []

    def ended(tag: str, by: str, action: Callable[[], Any]) -> None:
        visits.append(Visit(tag, by, *tab.go(action)))

    tab.go(lambda: tab.page.goto(url_of(site, "clock-link")))
    tab.read()
    ended("clock-link", "link", lambda: follow_link(tab.page, url_of(site, "clock-typed")))
    tab.read()
    mark_for_bfcache(tab.page)
    ended("clock-typed", "typed address", lambda: tab.page.goto(url_of(site, "clock-back")))
    tab.read()
    mark_for_bfcache(tab.page)
    ended("clock-back", "back", lambda: tab.page.go_back(wait_until="commit"))
    back_from_cache = came_from_bfcache(tab.page)
    tab.read()
    ended("clock-typed", "forward", lambda: tab.page.go_forward(wait_until="commit"))
    forward_from_cache = came_from_bfcache(tab.page)
    tab.read(READ_SECONDS / 2)
    browser.stop_service_worker()
    tab.read(READ_SECONDS / 2)
    ended(
        "clock-back",
        "link after a worker restart",
        lambda: follow_link(tab.page, url_of(site, "clock-tab")),
    )
    tab.read()
    ended("clock-tab", "tab closed", tab.page.close)

    with browser.context.expect_page() as opened:
        asked = time.monotonic()
        window_id = browser.evaluate(
            "async (url) => (await chrome.windows.create({url})).id", url_of(site, "clock-window")
        )
    window = Tab(opened.value)
    window.page.wait_for_load_state()
    window.asked, window.loaded = asked, time.monotonic()
    window.read()
    visits.append(
        Visit(
            "clock-window",
            "window closed",
            *window.go(lambda: browser.evaluate("(id) => chrome.windows.remove(id)", window_id)),
        )
    )

    rows = recorded_visits(shared_companion, visits)
    record_figure("visit_clock_ends", rows)
    assert back_from_cache and forward_from_cache, "back/forward did not use the bfcache"
    assert_full_time(rows)


def test_quitting_the_browser_loses_at_most_five_seconds_of_a_visit(
    browser: Browser, tmp_path: Path, playwright_driver: Any, shared_companion: Companion, site: str
) -> None:
    browser.pair_with(shared_companion, **CLOCK_SETTINGS)
    tab = Tab(browser.context.new_page())
    tab.go(lambda: tab.page.goto(url_of(site, "clock-quit")))
    tab.read(READ_SECONDS + QUIT_LOSS_SECONDS)
    lower, upper = tab.go(browser.context.close)  # the fixture's profile: tmp_path / "profile"

    # The next start of the browser delivers what the last session left behind.
    with running_browser(tmp_path / "profile", playwright_driver):
        rows = recorded_visits(
            shared_companion, [Visit("clock-quit", "browser quit", lower, upper)]
        )
    record_figure("visit_clock_quit", rows)
    assert_full_time(rows, loss=QUIT_LOSS_SECONDS)


def test_a_visit_ended_while_the_companion_is_stopped_arrives_later_with_its_full_time(
    browser: Browser, make_companion: Callable[..., Companion], site: str
) -> None:
    companion = make_companion()
    browser.pair_with(companion, **CLOCK_SETTINGS)  # paired, but the companion is not running
    tab = Tab(browser.context.new_page())
    tab.go(lambda: tab.page.goto(url_of(site, "clock-outage")))
    tab.read()
    visit = Visit(
        "clock-outage",
        "link, companion stopped",
        *tab.go(lambda: follow_link(tab.page, url_of(site, "clock-outage-next"))),
    )
    waiting = wait_for(
        lambda: next(
            (
                e
                for e in browser.outbox()["entries"].values()
                if e["capture"]["url"].endswith("?v=clock-outage") and e["capture"]["ended_at"]
            ),
            None,
        ),
        what="the ended visit in the outbox",
    )
    assert waiting["mode"] == "create" and waiting["htmlBytes"] > 0  # its snapshot waits too

    companion.start()
    browser.flush_now()
    rows = recorded_visits(companion, [visit], timeout=60)
    assert_full_time(rows)
    (capture,) = [c for c in companion.captures() if c["url"].endswith("?v=clock-outage")]
    wait_for(
        lambda: (companion.capture(capture["id"]).get("document") or {}).get("word_count", 0) > 0,
        what="the snapshot that waited with the visit to be stored",
    )
