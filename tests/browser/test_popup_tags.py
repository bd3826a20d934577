"""The popup's tags for one item: the words a person reads ("Just in time", "Q&A"), never the
tagger's keys, and each word once (a course is a "Course" by form and by source)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from companion.journal import Journal
from tests.browser.harness import Browser
from tests.companion.week_seed import seed

pytestmark = pytest.mark.browser


def _popup_chips(browser: Browser, make_companion: Any, **tags: str) -> list[str]:
    """The chips the popup shows for one learning page seeded today with `tags`."""
    companion = make_companion()
    companion.data_dir.mkdir(parents=True)
    journal = Journal(companion.data_dir / "journal.db")
    try:  # today, by this machine's calendar (the browser's too)
        seed(journal, date.today().isoformat(), ["Rust ownership"], title="Rust, lesson 4", **tags)
    finally:
        journal.close()
    companion.start()
    browser.pair_with(companion)
    popup = browser.context.new_page()
    popup.goto(f"{browser.origin}/extension/popup/popup.html")
    popup.wait_for_selector("#items li", timeout=30_000)
    return popup.locator("#items ul.chips li").all_inner_texts()


def test_the_popup_shows_each_distinct_tag_once(browser: Browser, make_companion: Any) -> None:
    chips = _popup_chips(
        browser, make_companion, form="course", source_kind="course", modality="reading"
    )
    assert chips == ["Learning", "Course", "Reading"]


def test_the_popup_names_tags_in_words_not_keys(browser: Browser, make_companion: Any) -> None:
    chips = _popup_chips(
        browser, make_companion, form="just-in-time", source_kind="q&a", modality="doing"
    )
    assert chips == ["Learning", "Just in time", "Q&A", "Doing"]
