"""Pairing by opening the `inflow pair` URL, and a hostile local page that must get nothing."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.browser.harness import Browser, Companion, wait_for

pytestmark = pytest.mark.browser


def _stored_settings(browser: Browser) -> dict:
    return browser.evaluate(
        "async () => (await chrome.storage.local.get('settings')).settings || {}"
    )


def test_opening_the_inflow_pair_url_pairs_the_extension_without_exposing_the_token(
    browser: Browser, make_companion: Any, site: str
) -> None:
    companion = make_companion().start()
    assert not _stored_settings(browser).get("token")
    url = companion.cli("pair", "--port", str(companion.port)).split()[0]
    assert url.startswith(f"{companion.base}/pair?code=")

    page = browser.context.new_page()
    page.goto(url)
    page.wait_for_selector("html[data-paired='true']", state="attached", timeout=60_000)

    settings = _stored_settings(browser)
    assert settings["token"] == companion.token
    assert settings["companionUrl"] == companion.base
    assert companion.token not in page.content()
    assert companion.token not in json.dumps(page.evaluate("() => ({...localStorage})"))

    # Paired means capturing: a page read afterwards reaches this companion.
    reader = browser.context.new_page()
    browser.settings(snapshotSeconds=2, updateEverySeconds=2)
    reader.goto(f"{site}/sqlite-wal.html?t=after-pairing")
    wait_for(lambda: companion.captures_of("t=after-pairing"), what="a capture after pairing")

    # The code was single-use: opening the same URL again does not pair.
    again = browser.context.new_page()
    again.goto(url)
    again.wait_for_selector("html[data-paired='false']", state="attached", timeout=60_000)


def test_hostile_page_on_another_local_origin_is_refused_and_writes_nothing(
    browser: Browser, shared_companion: Companion, site: str
) -> None:
    browser.pair_with(shared_companion, captureMode="paused")  # the extension itself stays out
    # A capture the hostile page will try to delete (its "forget" targets docs.example.com).
    kept = httpx.post(
        f"{shared_companion.base}/api/v1/captures",
        headers={"Authorization": f"Bearer {shared_companion.token}"},
        json={
            "id": "77777777-7777-4777-8777-777777777777",
            "url": "https://docs.example.com/kept",
            "title": "Kept",
            "started_at": "2025-01-01T10:00:00+00:00",
            "engaged_seconds": 5,
        },
        timeout=30,
    )
    assert kept.status_code == 202, kept.text
    before = shared_companion.total()
    page = browser.context.new_page()
    page.goto(f"{site}/hostile.html?port={shared_companion.port}&token={shared_companion.token}")
    page.wait_for_selector("body[data-done='true']", state="attached", timeout=60_000)
    results = json.loads(page.get_attribute("body", "data-results"))

    by_name = {r["name"]: r for r in results}
    assert set(by_name) >= {"get-with-token", "post-with-token", "post-with-credentials"}
    for result in results:
        # Either CORS blocked it outright, or the answer is opaque (no-cors) / a refusal.
        assert (
            result["outcome"] == "blocked"
            or result["type"] == "opaque"
            or (result["status"] in (401, 403))
        ), result
        assert shared_companion.token not in result.get("body", "")
    page.wait_for_timeout(1000)
    assert shared_companion.total() == before
    assert not [c for c in shared_companion.captures() if "evil.example" in c["url"]]
    assert shared_companion.captures_of("docs.example.com/kept")
