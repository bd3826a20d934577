"""The visit clock in a real Chromium: every way a visit ends keeps its full engaged time.

Each visit is read for a few seconds in a visible, focused tab, then ended one way: a link,
an address typed in the same tab, back and forward (through the back/forward cache), closing
the tab, closing the window, a service-worker restart in the middle, quitting the browser.
The test times each visit from outside: `lower` runs from the page having loaded to the user
leaving (surely engaged), `upper` from asking for the page to having left (the most it could
have been engaged). The journal must hold at least 90% of `lower` and never more than `upper`
(a quit may lose up to 5 s), with `ended_at` set.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.browser.harness import (
    Browser,
    Companion,
    launch_chromium,
    record_figure,
    wait_for,
)

pytestmark = pytest.mark.browser

#: Seconds each visit is read. Long enough that a lost end shows, short enough for CI.
READ_SECONDS = 6.0
#: The least share of the surely-engaged time the journal must hold.
MIN_SHARE = 0.9
#: What quitting the browser may lose at most.
QUIT_LOSS_SECONDS = 5.0
#: The extension's defaults for how often it reports, as a real user has them: a snapshot
#: early, engagement updates every 30 engaged seconds (longer than any visit here).
CLOCK_SETTINGS = {"snapshotSeconds": 2, "updateEverySeconds": 30}


@dataclass
class Visit:
    """One visit as the test timed it (seconds) and how it ended."""

    tag: str
    ended_by: str
    lower: float
    upper: float


class Tab:
    """One tab reading pages in turn, timing each visit from outside the browser."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.asked: float | None = None
        self.loaded: float | None = None

    def go(self, action: Callable[[], Any]) -> tuple[float, float]:
        """Run `action` (it opens the next page, or closes this one); return the timing
        (lower, upper) of the visit it ended."""
        before = time.monotonic()
        action()
        after = time.monotonic()
        timing = (before - self.loaded, after - self.asked) if self.loaded else (0.0, 0.0)
        self.asked, self.loaded = before, after
        return timing

    def read(self, seconds: float = READ_SECONDS) -> None:
        """Read the page: scroll a little, then stay."""
        self.page.mouse.move(300, 300)
        self.page.mouse.wheel(0, 400)
        self.page.wait_for_timeout(seconds * 1000)


def url_of(site: str, tag: str) -> str:
    return f"{site}/reading.html?v={tag}"


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
    context = launch_chromium(tmp_path / "profile", playwright_driver, bfcache=True)
    try:
        workers = context.service_workers
        worker = workers[0] if workers else context.wait_for_event("serviceworker", timeout=60_000)
        yield Browser(context, worker)
    finally:
        context.close()


def _ended_captures(companion: Companion, tag: str, count: int) -> list[dict] | None:
    """The `count` captures of `tag`, oldest first, once every one has ended."""
    found = [c for c in companion.captures() if c["url"].endswith(f"?v={tag}")]
    if len(found) < count:
        return None
    full = sorted((companion.capture(c["id"]) for c in found), key=lambda c: c["started_at"])
    return full if all(c["ended_at"] for c in full) else None


def _outcomes(companion: Companion, visits: list[Visit], *, timeout: float = 30) -> list[dict]:
    """What the journal recorded for each visit (waiting up to `timeout` for them to end)."""
    counts: dict[str, int] = {}
    for visit in visits:
        counts[visit.tag] = counts.get(visit.tag, 0) + 1
    deadline = time.monotonic() + timeout
    by_tag: dict[str, list[dict]] = {}
    for tag, count in counts.items():
        try:
            by_tag[tag] = wait_for(
                lambda tag=tag, count=count: _ended_captures(companion, tag, count),
                timeout=max(1.0, deadline - time.monotonic()),
                what=f"{count} ended capture(s) of {tag}",
            )
        except AssertionError:
            by_tag[tag] = sorted(
                (companion.capture(c["id"]) for c in companion.captures_of(f"?v={tag}")),
                key=lambda c: c["started_at"],
            )
    seen: dict[str, int] = {}
    rows = []
    for visit in visits:
        index = seen.get(visit.tag, 0)
        seen[visit.tag] = index + 1
        captures = by_tag.get(visit.tag, [])
        capture = captures[index] if index < len(captures) else None
        rows.append(
            {
                "ended_by": visit.ended_by,
                "lower": round(visit.lower, 2),
                "upper": round(visit.upper, 2),
                "engaged": capture["engaged_seconds"] if capture else None,
                "ended_at": capture["ended_at"] if capture else None,
            }
        )
    return rows


def _assert_full_time(rows: list[dict], *, loss: float = 0.0) -> None:
    short = [
        r
        for r in rows
        if r["engaged"] is None
        or not r["ended_at"]
        or not (min(MIN_SHARE * r["lower"], r["lower"] - loss) <= r["engaged"] <= r["upper"])
    ]
    assert not short, f"visits without their full engaged time or end: {short} (all: {rows})"


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

    rows = _outcomes(shared_companion, visits)
    record_figure("visit_clock_ends", rows)
    assert back_from_cache and forward_from_cache, "back/forward did not use the bfcache"
    _assert_full_time(rows)


def test_quitting_the_browser_loses_at_most_five_seconds_of_a_visit(
    tmp_path: Path, playwright_driver: Any, shared_companion: Companion, site: str
) -> None:
    profile = tmp_path / "profile"
    context = launch_chromium(profile, playwright_driver)
    try:
        worker = context.service_workers or [context.wait_for_event("serviceworker")]
        browser = Browser(context, worker[0])
        browser.pair_with(shared_companion, **CLOCK_SETTINGS)
        tab = Tab(context.new_page())
        tab.go(lambda: tab.page.goto(url_of(site, "clock-quit")))
        tab.read(READ_SECONDS + QUIT_LOSS_SECONDS)
    finally:
        lower, upper = tab.go(context.close)
    # The next start of the browser delivers what the last session left behind.
    context = launch_chromium(profile, playwright_driver)
    try:
        rows = _outcomes(shared_companion, [Visit("clock-quit", "browser quit", lower, upper)])
    finally:
        context.close()
    record_figure("visit_clock_quit", rows)
    _assert_full_time(rows, loss=QUIT_LOSS_SECONDS)
