"""The weekly page's Share step in Chromium, against a real LRS (Ralph): the user marks a visit
private, unticks another, sees the statements, sends with the button (and only then), and the
LRS holds exactly the ticked visits that are not private; sending them again adds nothing.
Without an actor or an endpoint the step says which `inflow xapi config` to run, and offers no
button.

One companion (`inflow serve`) on a seeded week, configured with the real `inflow xapi config`.
"""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from companion.journal import Journal
from companion.xapi.statements import statement_id
from tests.browser.harness import ARTIFACTS, CHROMIUM, Companion
from tests.companion.week_seed import seed
from tests.support import CHROMIUM_ARGS

pytestmark = pytest.mark.browser

WEEK = "2026-W48"  # Monday 2026-11-23 … Sunday 2026-11-29
PAGES = [  # (day, concepts, seconds, title)
    ("2026-11-24", ["Kubernetes networking"], 600, "Pods and their IPs"),
    ("2026-11-24", ["SQLite WAL"], 400, "WAL mode"),
    ("2026-11-25", ["Kubernetes networking"], 300, "Services"),
    ("2026-11-26", ["SQLite WAL"], 200, "Checkpoints"),
    ("2026-11-27", ["eBPF"], 100, "eBPF intro"),
]


def _seed_week(companion: Companion) -> dict[str, str]:
    """Five learning visits and one that was not learning; returns capture ids by title."""
    companion.data_dir.mkdir(parents=True, exist_ok=True)
    journal = Journal(companion.data_dir / "journal.db")
    try:
        seed(journal, "2026-11-24", ["football"], title="Match report", is_learning=False)
        return {  # an hour apart: the list is in the order they were visited
            title: seed(journal, day, concepts, seconds=seconds, title=title, hour=9 + n)
            for n, (day, concepts, seconds, title) in enumerate(PAGES)
        }
    finally:
        journal.close()


def _configure(companion: Companion, *args: str, password: str | None = None) -> None:
    """`inflow xapi config …` as the user runs it (the password on stdin)."""
    command = [
        str(companion.inflow),
        "xapi",
        "config",
        *args,
        "--data-dir",
        str(companion.data_dir),
    ]
    if password is not None:
        command.append("--password-stdin")
    subprocess.run(command, input=password, check=True, capture_output=True, text=True, timeout=120)


def _open(context: Any, companion: Companion) -> Any:
    page = context.new_page()
    page.goto(f"{companion.base}/week/{WEEK}#token={companion.token}")
    page.wait_for_selector(f"body[data-loaded='{WEEK}']", timeout=30_000)
    return _drawn(page)


def _drawn(page: Any) -> Any:
    """`page` once the Share step's list is drawn (it is fetched after the week)."""
    page.wait_for_selector("#share .share-body[data-drawn]")
    return page


def _after(page: Any, says: str) -> None:
    page.wait_for_function(
        "says => document.getElementById('status').textContent.includes(says)", arg=says
    )


def _focused(page: Any) -> str | None:
    return page.evaluate("() => document.activeElement?.dataset?.focus ?? null")


def _row(page: Any, capture_id: str) -> Any:
    return page.locator(f"#share li[data-id='{capture_id}']")


def _ticked(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        "#share input.tick", "ticks => ticks.filter(t => t.checked).map(t => t.dataset.id)"
    )


def _share_list(companion: Companion) -> dict:
    reply = companion.get(f"/api/v1/xapi/weeks/{WEEK}")
    reply.raise_for_status()
    return reply.json()


@pytest.fixture
def chromium(playwright_driver: Any) -> Any:
    browser = playwright_driver.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser.new_context(viewport={"width": 1200, "height": 900})
    browser.close()


def test_only_the_ticked_visits_not_private_reach_the_lrs_and_only_on_the_button(
    make_companion: Any, chromium: Any, lrs_factory: Any
) -> None:
    lrs = lrs_factory()  # its own LRS: it must end up holding exactly what was ticked
    companion = make_companion()
    ids = _seed_week(companion)
    pods, wal, services, checkpoints, ebpf = ids.values()
    _configure(companion, "--name", "Ada", "--mbox", "mailto:ada@example.org")
    _configure(companion, "--endpoint", lrs.endpoint, "--username", lrs.username, password="wrong")
    companion.start()
    page = _open(chromium, companion)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    # Every learning visit is listed, ticked, with a labelled tick and Private toggle.
    assert page.eval_on_selector_all("#share li", "rows => rows.map(r => r.dataset.id)") == list(
        ids.values()
    )
    assert page.locator("#share", has_text="Match report").count() == 0
    assert _ticked(page) == list(ids.values())
    send = page.locator("#share button.send")
    assert send.inner_text() == f"Send 5 to {lrs.endpoint}"
    assert page.get_by_label("Send “WAL mode”").is_checked()
    unlabelled = page.evaluate(
        "() => [...document.querySelectorAll('#share input')]"
        ".filter(f => f.labels.length === 0).map(f => f.outerHTML)"
    )
    assert unlabelled == []
    live = page.evaluate(
        "() => [...document.querySelectorAll('[aria-live], [role=status], [role=alert]')]"
        ".map(n => n.id)"
    )
    assert live == ["status"]

    # Mark "WAL mode" private from the keyboard: focus stays on its toggle, it cannot be ticked.
    toggle = _row(page, wal).locator("input.private")
    toggle.focus()
    page.keyboard.press("Space")
    _after(page, "“WAL mode” is private: it will never be sent")
    assert _focused(page) == f"share:private:{wal}"
    assert "private: never sent" in _row(page, wal).inner_text()
    tick = _row(page, wal).locator("input.tick")
    assert tick.is_disabled() and not tick.is_checked()
    assert [i["private"] for i in _share_list(companion)["items"]] == [
        False,
        True,
        False,
        False,
        False,
    ]

    # Untick "Services" (Space on its box); then an action elsewhere on the page redraws the
    # list ("eBPF intro" is not learning after all): the untick survives, eBPF leaves.
    _row(page, services).locator("input.tick").focus()
    page.keyboard.press("Space")
    assert send.inner_text() == f"Send 3 to {lrs.endpoint}"
    page.locator(f"#items button.not-learning[data-id='{ebpf}']").click()
    _after(page, "“eBPF intro” is no longer counted as learning")
    page.wait_for_function(f"() => !document.querySelector(\"#share li[data-id='{ebpf}']\")")
    assert _ticked(page) == [pods, checkpoints]
    send = page.locator("#share button.send")
    assert send.inner_text() == f"Send 2 to {lrs.endpoint}"

    # "Show what would be sent": the ticked statements, exactly as the companion would send them.
    page.locator("#share summary", has_text="Show what would be sent").click()
    shown = json.loads(page.locator("#share pre.statements").inner_text())
    listed = {i["capture_id"]: i["statement"] for i in _share_list(companion)["items"]}
    assert shown == [listed[pods], listed[checkpoints]]
    assert lrs.statements() == []  # nothing leaves before the button

    # The LRS refuses the password: the status says so, nothing is marked shared, ticks stay.
    send.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('status').classList.contains('error')")
    assert lrs.endpoint in page.locator("#status").inner_text()
    assert _share_list(companion)["totals"]["shared_here"] == 0
    assert _ticked(page) == [pods, checkpoints]

    # With the right password: exactly the two ticked visits arrive; the rows say shared.
    _configure(companion, password=lrs.password)
    send.focus()
    page.keyboard.press("Enter")
    _after(page, "2 sent")
    assert page.locator("#status").inner_text() == "2 sent"
    assert sorted(s["id"] for s in lrs.statements()) == sorted(
        statement_id(i) for i in (pods, checkpoints)
    )
    for capture_id in (pods, checkpoints):
        assert "shared 20" in _row(page, capture_id).inner_text()
    assert "shared" not in _row(page, services).inner_text()
    assert _ticked(page) == []  # the sent ones are no longer ticked, "Services" stays unticked
    assert _focused(page) == "share:send"
    assert page.locator("#share details.preview").get_attribute("open") is not None
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#share").screenshot(path=str(ARTIFACTS / "week-share.png"))

    # A fresh page ticks what is not shared yet; sending the shared ones again adds nothing.
    page.close()
    page = _open(chromium, companion)
    assert _ticked(page) == [services]
    assert "shared 20" in _row(page, pods).inner_text()
    _row(page, services).locator("input.tick").uncheck()
    for capture_id in (pods, checkpoints):
        _row(page, capture_id).locator("input.tick").check()
    page.locator("#share button.send").click()
    _after(page, "0 sent, 2 already there")
    assert len(lrs.statements()) == 2
    assert errors == []


def test_without_an_actor_or_endpoint_the_step_says_what_to_run_and_offers_no_button(
    make_companion: Any, chromium: Any
) -> None:
    companion = make_companion()
    ids = _seed_week(companion)
    companion.start()
    page = _open(chromium, companion)
    setup = page.locator("#share .share-setup")
    assert "inflow xapi config --name" in setup.inner_text()
    assert "--mbox mailto:" in setup.inner_text()
    assert page.locator("#share button.send").count() == 0
    assert page.locator("#share input.tick").count() == 0
    # Visits can be kept private before anything is configured.
    assert page.locator("#share input.private").count() == len(ids)

    _configure(companion, "--name", "Ada", "--mbox", "mailto:ada@example.org")
    page.reload()
    _drawn(page)
    command = page.locator("#share .share-setup code").inner_text()
    assert command.startswith("inflow xapi config --endpoint ")
    assert "--name" not in command
    assert page.locator("#share button.send").count() == 0
