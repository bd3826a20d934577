"""Delivery that loses nothing: the outbox across a stopped companion and a killed worker."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.browser.harness import Browser, record_figure, wait_for

pytestmark = pytest.mark.browser


def _queue_synthetic_captures(browser: Browser, count: int, tag: str, html_chars: int) -> None:
    """Fill the outbox directly (as many visits would) in the extension's storage format."""
    browser.evaluate(
        """async ({count, tag, htmlChars}) => {
            const {outbox} = await chrome.storage.local.get('outbox');
            const state = outbox || {entries: {}, recent: {}, seq: 0, droppedSnapshots: 0,
                                     droppedEntries: 0};
            const body = 'The event loop schedules coroutines and tasks. '.repeat(
                Math.ceil(htmlChars / 48)).slice(0, htmlChars);
            const writes = {};
            const now = Date.now();
            for (let i = 0; i < count; i += 1) {
                const id = crypto.randomUUID();
                const html = `<html><head><title>Note ${i}</title></head><body><article>` +
                    `<h1>Note ${i}</h1><p>${body}</p></article></body></html>`;
                state.seq += 1;
                state.entries[id] = {
                    capture: {id, url: `https://notes.example.com/${tag}/${i}`, title: `Note ${i}`,
                              kind: 'page', started_at: new Date(now).toISOString(),
                              ended_at: null, engaged_seconds: 30, scroll_depth: 0.5,
                              search_query: null},
                    mode: 'create', rev: state.seq, htmlRev: state.seq, htmlBytes: html.length,
                    enqueuedAt: now + i, attempts: 0,
                };
                writes[`outbox.html.${id}`] = html;
            }
            await chrome.storage.local.set({...writes, outbox: state});
        }""",
        {"count": count, "tag": tag, "htmlChars": html_chars},
    )


def _urls(companion: Any, tag: str) -> list[str]:
    return [c["url"] for c in companion.captures() if f"/{tag}/" in c["url"]]


def test_captures_wait_while_the_companion_is_stopped_and_arrive_once_after_it_starts(
    browser: Browser, make_companion: Any, site: str
) -> None:
    companion = make_companion()
    browser.pair_with(companion)  # paired, but the companion is not running
    page = browser.context.new_page()
    for name in ("article.html", "sqlite-wal.html", "video.html"):
        page.goto(f"{site}/{name}?t=outage")
        wait_for(
            lambda name=name: any(f"{name}?t=outage" in u for u in browser.outbox_urls()),
            what=f"{name} in the outbox",
        )
        page.wait_for_timeout(2500)  # past the snapshot threshold
    page.goto("about:blank")
    outbox = browser.outbox()
    assert len(outbox["entries"]) == 3
    assert all(e["htmlBytes"] > 0 for e in outbox["entries"].values())
    health = browser.evaluate("async () => (await chrome.storage.local.get('delivery')).delivery")
    assert health["state"] == "offline"

    companion.start()
    arrived = wait_for(
        lambda: len(found := companion.captures_of("t=outage")) >= 3 and found,
        timeout=90,
        what="the waiting captures to arrive by themselves",
    )
    wait_for(lambda: not browser.outbox()["entries"], what="the outbox to empty")
    time.sleep(2)
    arrived = companion.captures_of("t=outage")
    assert sorted(c["url"].split("/")[-1] for c in arrived) == [
        "article.html?t=outage",
        "sqlite-wal.html?t=outage",
        "video.html?t=outage",
    ]
    assert len({c["id"] for c in arrived}) == 3


def test_killing_the_service_worker_mid_queue_loses_nothing(
    browser: Browser, make_companion: Any
) -> None:
    companion = make_companion()
    browser.pair_with(companion, batchSize=10)
    _queue_synthetic_captures(browser, 300, "kill", html_chars=3000)
    companion.start()
    browser.evaluate("() => { chrome.runtime.sendMessage({type: 'flush'}); }")  # not awaited
    wait_for(lambda: 0 < companion.total() < 300, timeout=60, interval=0.02, what="mid-queue")
    browser.stop_service_worker()
    # Entries leave the outbox only once their batch is acknowledged, so the batch in flight
    # when the worker died is still there: between 1 and all 300 remain.
    left = len(browser.outbox()["entries"])
    assert 0 < left <= 300

    # The next event (here: "Send now" in the options page) starts a fresh worker.
    wait_for(lambda: browser.flush_now(), timeout=60, what="a restarted worker")
    wait_for(lambda: not browser.outbox()["entries"], timeout=120, what="the outbox to empty")
    urls = _urls(companion, "kill")
    assert len(urls) == 300
    assert len(set(urls)) == 300


def test_outbox_throughput_after_an_outage_of_1000_captures(
    browser: Browser, make_companion: Any
) -> None:
    companion = make_companion()
    browser.pair_with(companion)
    _queue_synthetic_captures(browser, 1000, "outage1000", html_chars=6000)
    companion.start()
    started = time.monotonic()
    browser.flush_now()
    wait_for(lambda: not browser.outbox()["entries"], timeout=240, what="the outbox to empty")
    seconds = time.monotonic() - started
    assert companion.total() == 1000  # a fresh journal: every capture once, none twice
    record_figure(
        "outbox_flush_1000",
        {"seconds": round(seconds, 2), "captures_per_second": round(1000 / seconds, 1)},
    )
