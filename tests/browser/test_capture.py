"""Passive capture in a real Chromium: what the extension records, and what it must not."""

from __future__ import annotations

import time

import pytest

from tests.browser.harness import ARTIFACTS, SERVED, Browser, Companion, record_figure, wait_for

pytestmark = pytest.mark.browser


def _one_capture(companion: Companion, url_part: str, **kw) -> dict:
    found = wait_for(lambda: companion.captures_of(url_part), what=f"a capture of {url_part}", **kw)
    assert len(found) == 1, found
    return found[0]


def test_article_read_past_the_threshold_is_captured_with_engaged_time_and_concepts(
    browser: Browser, shared_companion: Companion, site: str
) -> None:
    page = browser.open_paired(shared_companion, f"{site}/article.html?t=article")
    page.mouse.wheel(0, 1500)

    summary = _one_capture(shared_companion, "t=article")
    processed = wait_for(
        lambda: (
            (c := shared_companion.capture(summary["id"]))["status"] == "processed"
            and (c.get("document") or {}).get("word_count", 0) > 0
            and c["engaged_seconds"] >= 2
            and c
        ),
        interval=0.1,
        what="the snapshot to be stored and analysed",
    )
    analysed_at = time.time() * 1000
    assert processed["title"] == "Understanding the asyncio event loop in Python"
    assert processed["kind"] == "page"
    assert processed["scroll_depth"] > 0.3
    texts = [c["text"].lower() for c in processed["concepts"]]
    assert any("event loop" in t for t in texts), texts
    assert processed["document"]["word_count"] > 300  # the DOM snapshot reached the companion

    diagnostics = wait_for(
        lambda: next(iter(browser.diagnostics().get("visits", {}).values()), None),
        what="content-script cost figures",
    )
    threshold_to_analysed = analysed_at - diagnostics["snapshotQueuedAt"]
    record_figure(
        "content_script_ms_on_load",
        {"init_ms": round(diagnostics["initMs"], 2), "total_ms": round(diagnostics["totalMs"], 2)},
    )
    record_figure("threshold_to_stored_and_analysed_ms", round(threshold_to_analysed))


def test_short_visit_is_noted_without_a_snapshot(
    browser: Browser, shared_companion: Companion, site: str
) -> None:
    page = browser.open_paired(
        shared_companion, f"{site}/sqlite-wal.html?t=short", snapshotSeconds=60
    )
    wait_for(lambda: browser.outbox_urls() or shared_companion.captures_of("t=short"), timeout=30)
    page.goto(f"{site}/article.html?t=short-next")  # leaving ends the visit

    summary = _one_capture(shared_companion, "t=short")
    capture = wait_for(
        lambda: (c := shared_companion.capture(summary["id"]))["ended_at"] and c,
        what="the final update of the short visit",
    )
    assert capture["engaged_seconds"] < 60
    assert not (capture.get("document") or {}).get("word_count")
    assert not any(v.get("snapshotQueuedAt") for v in browser.diagnostics()["visits"].values())


def test_time_while_the_user_is_idle_is_not_engaged_time(
    browser: Browser, shared_companion: Companion, site: str
) -> None:
    # Headless Chromium is never idle by itself: the test delivers the message the service
    # worker sends every open page when `chrome.idle` reports a change.
    browser.pair_with(shared_companion, snapshotSeconds=60)
    page = browser.context.new_page()
    tell = """async (state) => {
        const tabs = await chrome.tabs.query({url: '*://127.0.0.1/*'});
        const tab = tabs.find((t) => t.url.includes('t=idle'));
        await chrome.tabs.sendMessage(tab.id, {type: 'idle', state});
    }"""
    started = time.monotonic()
    page.goto(f"{site}/sqlite-wal.html?t=idle")
    page.wait_for_timeout(2_000)
    browser.evaluate(tell, "idle")
    page.wait_for_timeout(5_000)
    browser.evaluate(tell, "active")
    page.wait_for_timeout(1_500)
    page.goto(f"{site}/article.html?t=idle-next")  # leaving ends the visit
    wall = time.monotonic() - started

    summary = _one_capture(shared_companion, "t=idle")
    capture = wait_for(
        lambda: (c := shared_companion.capture(summary["id"]))["ended_at"] and c,
        what="the final update of the visit",
    )
    # About 3.5 s engaged out of ~8.5 s on the page: the 5 idle seconds did not count.
    assert 2.5 <= capture["engaged_seconds"] <= wall - 4, (capture["engaged_seconds"], wall)


def _play_the_lecture_for_five_seconds(frame) -> None:
    """Play `video.html`'s lecture in `frame` (a page or a sub-frame) until 5 s, then pause."""
    frame.wait_for_function("document.getElementById('lecture').readyState >= 2", timeout=30_000)
    frame.evaluate("document.getElementById('lecture').play()")
    frame.wait_for_function(
        "document.getElementById('lecture').currentTime >= 5", timeout=60_000, polling=200
    )
    frame.evaluate("document.getElementById('lecture').pause()")


def _capture_with_watched_seconds(companion: Companion, url_part: str) -> dict:
    """The one capture of `url_part`, once its watched seconds reached the companion."""
    summary = _one_capture(companion, url_part)
    capture = wait_for(
        lambda: (
            (c := companion.capture(summary["id"]))
            and (c.get("media") or {}).get("watched_seconds", 0) >= 4
            and c
        ),
        what=f"watched seconds of {url_part} to reach the companion",
    )
    assert 4 <= capture["media"]["watched_seconds"] <= 12, capture["media"]
    assert capture["media"]["duration"] == pytest.approx(30, abs=0.5)
    return capture


def test_local_video_played_for_a_few_seconds_records_watched_seconds(
    browser: Browser, shared_companion: Companion, site: str
) -> None:
    page = browser.open_paired(shared_companion, f"{site}/video.html?t=video")
    _play_the_lecture_for_five_seconds(page)
    assert _capture_with_watched_seconds(shared_companion, "t=video")["kind"] == "video"


def test_a_video_played_in_an_embedded_player_counts_for_the_page_around_it(
    browser: Browser, shared_companion: Companion, site: str
) -> None:
    page = browser.open_paired(shared_companion, f"{site}/embed.html?t=embed")
    player = wait_for(
        lambda: next((f for f in page.frames if "t=embedded-frame" in f.url), None),
        what="the embedded player's frame",
    )
    assert player.url.startswith("http://localhost:")  # another origin than the page
    _play_the_lecture_for_five_seconds(player)
    _capture_with_watched_seconds(shared_companion, "t=embed")
    assert shared_companion.captures_of("t=embedded-frame") == []  # a frame is not a visit


def test_deny_listed_pages_record_nothing(
    browser: Browser, shared_companion: Companion, site: str
) -> None:
    page = browser.open_paired(
        shared_companion, f"{site}/private/notes.html?t=deny", denyList=["127.0.0.1/private"]
    )
    page.wait_for_timeout(4000)  # twice the snapshot threshold
    page.goto(f"{site}/account/login.html?t=deny")  # built-in list: sign-in pages
    page.wait_for_timeout(4000)
    # Control: an allowed page in the same tab afterwards is captured, so the wait was enough.
    page.goto(f"{site}/sqlite-wal.html?t=deny-control")
    _one_capture(shared_companion, "t=deny-control")

    # "t=deny" also matches the control's URL: the control must be the only capture.
    ids = [c["id"] for c in shared_companion.captures_of("t=deny")]
    assert ids == [c["id"] for c in shared_companion.captures_of("t=deny-control")]
    assert len(ids) == 1
    assert not [u for u in browser.outbox_urls() if "t=deny" in u and "control" not in u]


def test_incognito_window_records_nothing(
    browser: Browser, shared_companion: Companion, site: str
) -> None:
    browser.pair_with(shared_companion)
    browser.evaluate(
        "async (url) => { await chrome.windows.create({url, incognito: true}); }",
        f"{site}/article.html?t=incognito",
    )
    wait_for(lambda: "/article.html?t=incognito" in SERVED, what="the private window to load")
    time.sleep(5)  # more than twice the snapshot threshold, with the page open
    page = browser.context.new_page()
    page.goto(f"{site}/article.html?t=incognito-control")
    _one_capture(shared_companion, "t=incognito-control")
    assert [c["url"] for c in shared_companion.captures_of("t=incognito")] == [
        c["url"] for c in shared_companion.captures_of("t=incognito-control")
    ]
    assert not [u for u in browser.outbox_urls() if u.endswith("t=incognito")]


def test_search_query_is_attached_to_the_results_opened_from_it(
    browser: Browser, shared_companion: Companion, site: str
) -> None:
    browser.pair_with(shared_companion)
    serp = (
        (ARTIFACTS.parent / "tests" / "data" / "browser" / "serp.html")
        .read_text()
        .replace("{{RESULT_URL}}", f"{site}/article.html?t=search")
    )
    browser.context.route(
        "https://www.google.com/search*",
        lambda route: route.fulfill(status=200, content_type="text/html", body=serp),
    )
    page = browser.context.new_page()
    page.goto("https://www.google.com/search?q=python+asyncio+event+loop&hl=en")
    page.wait_for_timeout(1500)  # the search is noted when its page starts
    with browser.context.expect_page() as new_tab:
        page.click("#new-tab")
    new_tab.value.wait_for_load_state()
    page.click("#same-tab")

    for via in ("via=same-tab", "via=new-tab"):
        capture = _one_capture(shared_companion, via)
        assert capture["search_query"] == "python asyncio event loop", capture


def test_single_page_navigation_starts_a_new_visit(
    browser: Browser, shared_companion: Companion, site: str
) -> None:
    page = browser.open_paired(shared_companion, f"{site}/article.html?t=spa-1")
    _one_capture(shared_companion, "t=spa-1")
    page.evaluate(
        """() => {
            history.pushState({}, '', '/article.html?t=spa-2');
            document.title = 'Second view of the single-page app';
            document.querySelector('h1').textContent = 'Second view';
        }"""
    )
    second = _one_capture(shared_companion, "t=spa-2")
    first = shared_companion.captures_of("t=spa-1")[0]
    assert second["id"] != first["id"]
    assert second["title"] == "Second view of the single-page app"
    ended = wait_for(lambda: shared_companion.capture(first["id"])["ended_at"], what="visit end")
    assert ended
