"""The weekly page as a person uses it in Chromium: a reflection being typed survives every action
on the page (and a closed tab), focus stays where the user was, and only the status line speaks.

One companion (`inflow serve`) on a journal seeded with a small week, one plain Chromium.
"""

from __future__ import annotations

from typing import Any

import pytest

from companion.journal import Journal
from tests.browser.harness import ARTIFACTS, CHROMIUM, Companion
from tests.companion.week_seed import seed
from tests.support import CHROMIUM_ARGS

pytestmark = pytest.mark.browser

WEEK = "2026-W48"  # Monday 2026-11-23 … Sunday 2026-11-29
TYPED = "Try a NetworkPolicy on the staging cluster"


def _seed_week(companion: Companion) -> dict[str, str]:
    """A week of six pages, two threads; returns capture ids by title."""
    companion.data_dir.mkdir(parents=True, exist_ok=True)
    journal = Journal(companion.data_dir / "journal.db")
    pages = [
        ("2026-11-24", ["Kubernetes networking", "k8s"], 600, "Pods and their IPs"),
        ("2026-11-24", ["SQLite WAL"], 400, "WAL mode"),
        ("2026-11-25", ["Kubernetes networking", "k8s"], 300, "Services"),
        ("2026-11-26", ["SQLite WAL"], 200, "Checkpoints"),
        ("2026-11-27", ["eBPF"], 100, "eBPF intro"),
        ("2026-11-27", ["Rust"], 90, "The Rust book"),
    ]
    try:
        return {
            title: seed(journal, day, concepts, seconds=seconds, title=title)
            for day, concepts, seconds, title in pages
        }
    finally:
        journal.close()


def _focused(page: Any) -> str | None:
    return page.evaluate("() => document.activeElement?.dataset?.focus ?? null")


def _answer_box(page: Any, key: str) -> Any:
    """The reflection box of the prompt `key` (wherever it is on the page)."""
    return page.locator(f"#reflect textarea[data-key='{key}']")


def _week(companion: Companion) -> dict:
    reply = companion.get(f"/api/v1/weeks/{WEEK}")
    reply.raise_for_status()
    return reply.json()


def _open(context: Any, companion: Companion) -> Any:
    page = context.new_page()
    page.goto(f"{companion.base}/week/{WEEK}#token={companion.token}")
    page.wait_for_selector(f"body[data-loaded='{WEEK}']", timeout=30_000)
    return page


def _after(page: Any, says: str) -> None:
    """Wait until the status line says what the action did (the page is redrawn by then)."""
    page.wait_for_function(
        "says => document.getElementById('status').textContent.includes(says)", arg=says
    )


def test_a_reflection_being_typed_survives_every_action_and_a_closed_tab(
    make_companion: Any, playwright_driver: Any
) -> None:
    companion = make_companion()
    ids = _seed_week(companion)
    companion.start()
    browser = playwright_driver.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    errors: list[str] = []
    try:
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        page = _open(context, companion)
        page.on("pageerror", lambda exc: errors.append(str(exc)))

        # Accessible: every box and select has its label; only the status line is live.
        unlabelled = page.evaluate(
            "() => [...document.querySelectorAll('textarea, select, input')]"
            ".filter(f => f.labels.length === 0).map(f => f.outerHTML)"
        )
        assert unlabelled == []
        live = page.evaluate(
            "() => [...document.querySelectorAll('[aria-live], [role=status], [role=alert]')]"
            ".map(n => n.id)"
        )
        assert live == ["status"]
        # Tag selects speak in words, not keys.
        row = page.locator("#items li", has_text="eBPF intro")
        row.locator("summary", has_text="tags").click()
        assert row.get_by_label("The 4 E's").is_visible()
        assert "Deep dive" in row.get_by_label("Form").inner_text()
        assert "deep-dive" not in row.get_by_label("Form").inner_text()

        prompt = page.locator("#reflect textarea").first.get_attribute("data-key")
        assert prompt.startswith("apply:")  # its thread is undone below: the box must stay
        box = _answer_box(page, prompt)
        box.click()
        box.press_sequentially(TYPED)

        row.get_by_label("Modality").select_option(label="Watching")  # chosen, not yet saved

        # 1. Not learning: the row leaves the list; focus goes to the next row's button.
        page.locator(f"#items button.not-learning[data-id='{ids['WAL mode']}']").click()
        _after(page, "no longer counted as learning")
        assert _answer_box(page, prompt).input_value() == TYPED
        assert _focused(page) == f"items:not-learning:{ids['Services']}"
        assert row.get_by_label("Modality").input_value() == "watching"  # open and as chosen

        # 2. Correct a tag: the tags stay open, focus stays on their Save button.
        row.get_by_label("Form").select_option(label="Reference")
        row.get_by_role("button", name="Save tags").click()
        _after(page, "Tags of “eBPF intro” corrected")
        assert _answer_box(page, prompt).input_value() == TYPED
        assert _focused(page) == f"items:tag-save:{ids['eBPF intro']}"
        (ebpf,) = [i for i in _week(companion)["items"]["items"] if i["title"] == "eBPF intro"]
        assert (ebpf["form"], ebpf["modality"]) == ("reference", "watching")

        # 3. Merge a concept: focus goes to the concept merged into.
        thread = page.locator("#threads article", has_text="Pods and their IPs")
        thread.locator("button.chip", has_text="k8s").click()
        thread.get_by_label("Merge into").select_option(label="Kubernetes networking")
        thread.get_by_role("button", name="Merge").click()
        _after(page, "Merged “k8s” into “Kubernetes networking”")
        assert _answer_box(page, prompt).input_value() == TYPED
        assert page.locator("#threads button.chip", has_text="k8s").count() == 0
        assert (_focused(page) or "").startswith("threads:chip:")

        # 4. Delete the last page (after a confirmation): focus goes to the row above.
        page.once("dialog", lambda dialog: dialog.accept())
        page.locator(f"#items button.delete[data-id='{ids['The Rust book']}']").click()
        _after(page, "Deleted “The Rust book”")
        assert _answer_box(page, prompt).input_value() == TYPED
        assert _focused(page) == f"items:delete:{ids['eBPF intro']}"
        assert companion.get(f"/api/v1/captures/{ids['The Rust book']}").status_code == 404

        # Focus in the box is never taken away by a redraw.
        box.click()
        page.locator(f"#items button.not-learning[data-id='{ids['Services']}']").dispatch_event(
            "click"
        )
        _after(page, "“Services” is no longer counted as learning")
        assert _focused(page) == box.get_attribute("data-focus")
        assert _answer_box(page, prompt).input_value() == TYPED
        assert companion.get(f"/api/v1/weeks/{WEEK}").json()["reflections"] == []  # not saved

        # Autosaved as a draft a second after typing stops: a closed tab keeps it.
        page.wait_for_function(
            "() => document.getElementById('draft-state').textContent.startsWith('Draft kept')"
        )
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "week-drafts.png"), full_page=True)
        page.close()
        drafts = _week(companion)["drafts"]
        assert [d["text"] for d in drafts] == [TYPED]
        page = _open(context, companion)
        assert _answer_box(page, prompt).input_value() == TYPED
        assert "draft" in page.locator("#draft-state").inner_text()

        # Closing the tab right after typing, before the autosave's second: kept on pagehide.
        _answer_box(page, prompt).press_sequentially(" next week")
        page.close()
        page = _open(context, companion)
        assert _answer_box(page, prompt).input_value() == f"{TYPED} next week"
        assert _week(companion)["reflections"] == []

        # Saving makes it the week's answer and clears the draft.
        page.get_by_role("button", name="Save reflections").click()
        _after(page, "Reflections saved")
        week = _week(companion)
        assert [r["answer"] for r in week["reflections"]] == [f"{TYPED} next week"]
        assert week["drafts"] == []
    finally:
        browser.close()
    assert errors == []
