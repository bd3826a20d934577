"""The popup's tags for one item: each word once (a course is a "course" by form and by source)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from companion.journal import Journal
from tests.browser.harness import Browser
from tests.companion.week_seed import seed

pytestmark = pytest.mark.browser


def test_the_popup_shows_each_distinct_tag_once(browser: Browser, make_companion: Any) -> None:
    companion = make_companion()
    companion.data_dir.mkdir(parents=True)
    journal = Journal(companion.data_dir / "journal.db")
    try:  # today, by this machine's calendar (the browser's too)
        seed(
            journal,
            date.today().isoformat(),
            ["Rust ownership"],
            title="Rust course, lesson 4",
            form="course",
            source_kind="course",
            modality="reading",
        )
    finally:
        journal.close()
    companion.start()
    browser.pair_with(companion)
    popup = browser.context.new_page()
    popup.goto(f"{browser.origin}/extension/popup/popup.html")
    popup.wait_for_selector("#items li", timeout=30_000)
    chips = popup.locator("#items ul.chips li").all_inner_texts()
    assert chips == ["learning", "course", "reading"]
