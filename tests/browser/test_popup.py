"""The popup as a person sees it: today's items, and the states when something is missing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.harness import ARTIFACTS, Browser, wait_for

pytestmark = pytest.mark.browser


def _open_popup(browser: Browser) -> Any:
    page = browser.context.new_page()
    page.set_viewport_size({"width": 380, "height": 600})
    page.goto(f"{browser.origin}/extension/popup/popup.html")
    return page


def test_popup_renders_todays_items(browser: Browser, make_companion: Any, site: str) -> None:
    companion = make_companion().start()
    browser.pair_with(companion)
    reader = browser.context.new_page()
    for name in ("article.html", "sqlite-wal.html"):
        reader.goto(f"{site}/{name}?t=popup")
        wait_for(
            lambda name=name: any(
                c["status"] == "processed" and c["engaged_seconds"] >= 2
                for c in companion.captures_of(f"{name}?t=popup")
            ),
            what=f"{name} to be processed",
        )
    reader.goto("about:blank")
    wait_for(lambda: len(companion.get("/api/v1/today").json()["items"]) >= 2, what="today")

    popup = _open_popup(browser)
    popup.wait_for_selector("#items li", timeout=30_000)
    text = popup.inner_text("body")
    assert "Understanding the asyncio event loop in Python" in text
    assert "SQLite write-ahead logging explained" in text
    assert popup.is_visible("#week")
    assert popup.get_attribute("#week", "href").startswith(f"{companion.base}/week#token=")
    assert popup.get_attribute("#search", "href").startswith(f"{companion.base}/search#token=")
    assert popup.is_checked("input[name='mode'][value='on']")
    ARTIFACTS.mkdir(exist_ok=True)
    popup.screenshot(path=str(ARTIFACTS / "popup-today.png"), full_page=True)

    # Keyboard: the capture switch is reachable and works without a mouse.
    popup.focus("input[name='mode'][value='on']")
    popup.keyboard.press("ArrowRight")
    wait_for(
        lambda: (
            browser.evaluate(
                "async () => (await chrome.storage.local.get('settings')).settings.captureMode"
            )
            == "paused-until"
        ),
        what="pause for an hour",
    )


def test_popup_says_not_paired_then_companion_not_running(
    browser: Browser, make_companion: Any
) -> None:
    popup = _open_popup(browser)
    popup.wait_for_selector("#banner:not([hidden])")
    assert "Not paired" in popup.inner_text("#banner")
    popup.screenshot(path=str(ARTIFACTS / "popup-not-paired.png"))

    companion = make_companion()  # never started
    browser.pair_with(companion)
    browser.evaluate(
        """async () => {
            const entries = {};
            for (const i of [1, 2]) {
                const id = crypto.randomUUID();
                entries[id] = {capture: {id, url: `https://e.com/${i}`}, mode: 'create',
                               rev: i, htmlRev: 0, htmlBytes: 0, enqueuedAt: i, attempts: 0};
            }
            await chrome.storage.local.set({outbox: {entries, recent: {}, seq: 2,
                                                     droppedSnapshots: 0, droppedEntries: 0}});
        }"""
    )
    popup.reload()
    popup.wait_for_selector("#banner:not([hidden])")
    assert "Companion not running (2 captures waiting)" in popup.inner_text("#banner")
    popup.screenshot(path=str(ARTIFACTS / "popup-companion-down.png"))
