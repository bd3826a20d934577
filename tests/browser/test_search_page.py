"""The search page as a person uses it in Chromium: the box has the focus, Enter searches, the
matched words are highlighted, the arrows go through the results, Enter opens one, and a page's
own markup is only ever shown as text.

One companion (`inflow serve`) on a journal seeded with a few pages, one plain Chromium.
"""

from __future__ import annotations

from typing import Any

import pytest

from companion.journal import Journal
from tests.browser.harness import ARTIFACTS, CHROMIUM, Companion
from tests.companion.week_seed import seed
from tests.support import CHROMIUM_ARGS

pytestmark = pytest.mark.browser

MARKUP = (
    "Readers of <script>window.injected = 1</script> and <img src=x onerror=alert(1)> see text."
)


def _seed(companion: Companion) -> None:
    companion.data_dir.mkdir(parents=True, exist_ok=True)
    journal = Journal(companion.data_dir / "journal.db")
    pages = [
        ("2026-11-24", "WAL mode", "SQLite in WAL mode lets readers run while a writer commits."),
        ("2026-11-26", "Borrowing", "The borrow checker keeps readers and writers apart."),
        ("2026-12-02", "Markup <b>page</b>", MARKUP),
        ("2026-12-03", "Unrelated", "Nothing to see here."),
    ]
    try:
        for n, (day, title, text) in enumerate(pages):
            url = f"{companion.base}/static/week.svg?page={n}"  # opens without the network
            seed(journal, day, ["Reading"], title=title, text=text, url=url)
    finally:
        journal.close()


def _focused(page: Any) -> str:
    return page.evaluate("() => document.activeElement.id || document.activeElement.textContent")


def test_search_by_keyboard_shows_highlighted_snippets_and_page_markup_as_text(
    make_companion: Any, playwright_driver: Any
) -> None:
    companion = make_companion()
    _seed(companion)
    companion.start()
    browser = playwright_driver.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    errors: list[str] = []
    try:
        context = browser.new_context(viewport={"width": 1100, "height": 800})
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{companion.base}/search#token={companion.token}")
        page.wait_for_selector("body[data-ready='true']")
        assert "token" not in page.url  # taken out of the address bar
        assert _focused(page) == "q"  # the box has the focus on load

        page.keyboard.type("readers")
        page.keyboard.press("Enter")
        page.wait_for_selector("body[data-searched='readers']")
        results = page.locator("#results .result")
        assert results.count() == 3
        titles = results.locator("h3 a").all_inner_texts()
        assert titles == ["Markup <b>page</b>", "Borrowing", "WAL mode"]  # newest first, as text
        marks = page.locator("#results mark").all_inner_texts()
        assert [m.lower() for m in marks] == ["readers"] * 3
        assert "readers" in page.url  # the search is in the address, for a reload

        # Page text with markup is shown as text: no element made, no script run.
        markup = results.nth(0).locator(".snippet")
        assert "<script>window.injected = 1</script>" in markup.inner_text()
        assert "<img src=x onerror=alert(1)>" in markup.inner_text()
        assert markup.locator("script, img, b").count() == 0
        assert results.nth(0).locator("h3 b").count() == 0
        assert page.evaluate("() => window.injected") is None

        # Each result links to its page and its week.
        week_links = results.locator("a.week-link").all_inner_texts()
        assert week_links == ["2026-W49", "2026-W48", "2026-W48"]
        assert results.nth(1).locator("a.week-link").get_attribute("href") == "/week/2026-W48"

        # Arrows go through the results and back to the box.
        page.keyboard.press("ArrowDown")
        assert _focused(page) == "Markup <b>page</b>"
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")  # stays on the last
        assert _focused(page) == "WAL mode"
        page.keyboard.press("ArrowUp")
        assert _focused(page) == "Borrowing"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "search.png"), full_page=True)

        # Enter opens the focused result (in a new tab).
        with context.expect_page() as opened:
            page.keyboard.press("Enter")
        assert opened.value.url.endswith("/static/week.svg?page=1")
        opened.value.close()
        page.keyboard.press("ArrowUp")
        page.keyboard.press("ArrowUp")
        assert _focused(page) == "q"

        # A filter narrows the search; a reload keeps it.
        page.get_by_label("Week").fill("2026-W48")
        page.get_by_label("Learning only").check()
        page.locator("#q").press("Enter")
        page.wait_for_function("() => document.querySelectorAll('#results .result').length === 2")
        page.reload()
        page.wait_for_selector("body[data-searched='readers']")
        assert page.locator("#results h3 a").all_inner_texts() == ["Borrowing", "WAL mode"]
        assert page.get_by_label("Week").input_value() == "2026-W48"

        # The week link opens the weekly page in the same tab, which still has the token.
        page.locator("#results a.week-link").first.click()
        page.wait_for_selector("body[data-loaded='2026-W48']", timeout=30_000)
        page.locator("#search-link").click()
        page.wait_for_selector("body[data-ready='true']")
        assert _focused(page) == "q"
    finally:
        browser.close()
    assert errors == []
