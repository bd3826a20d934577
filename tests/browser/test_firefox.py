"""The same extension in a real Firefox: Debian's firefox-esr, headless, driven over Marionette.

Firefox loads the repository's `manifest.json` as it is (`background.scripts`, the gecko id) as
a temporary add-on. Its internal UUID is pinned by a preference so the test can open the
extension's own pages. The flow is a new user's: the first-run consent page opens by itself,
nothing is captured before the user agrees, pairing works by opening the `inflow pair` URL, and
an article read past the threshold reaches the companion with its snapshot analysed.
"""

from __future__ import annotations

import json
import time
import warnings
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.harness import ARTIFACTS, REPO, Companion, free_port, record_figure, wait_for
from tests.browser.visits import (
    READ_SECONDS,
    Timer,
    Visit,
    assert_full_time,
    recorded_visits,
    url_of,
)

pytestmark = [
    pytest.mark.browser,
    # marionette-driver leaves the sockets it polls Firefox's port with to the garbage collector
    pytest.mark.filterwarnings(
        r"ignore:Exception ignored in. <socket\.socket:pytest.PytestUnraisableExceptionWarning"
    ),
]

FIREFOX = "/usr/bin/firefox-esr"
GECKO_ID = json.loads((REPO / "manifest.json").read_text())["browser_specific_settings"]["gecko"][
    "id"
]
UUID = "6f1d2c3b-0a4e-4f5a-9b8c-7d6e5f4a3b2c"  # the add-on's moz-extension:// host, pinned
PAGES = f"moz-extension://{UUID}/extension"


@pytest.fixture
def firefox(tmp_path) -> Iterator[Any]:
    """A headless Firefox with the extension installed as a temporary add-on (fresh profile)."""
    with warnings.catch_warnings():  # mozrunner imports telnetlib, mozinfo old distro APIs
        warnings.simplefilter("ignore", DeprecationWarning)
        from marionette_driver.addons import Addons
        from marionette_driver.marionette import Marionette

    marionette = Marionette(
        bin=FIREFOX,
        port=free_port(),
        headless=True,
        startup_timeout=90,
        gecko_log=str(tmp_path / "gecko.log"),
        prefs={"extensions.webextensions.uuids": json.dumps({GECKO_ID: UUID})},
    )
    try:
        marionette.start_session()
        assert Addons(marionette).install(str(REPO), temp=True) == GECKO_ID
        yield marionette
    finally:
        marionette.cleanup()  # quits Firefox and removes its profile


def _tab_urls(firefox: Any) -> list[str]:
    urls = []
    for handle in firefox.window_handles:
        firefox.switch_to_window(handle)
        urls.append(firefox.get_url())
    return urls


def _settle_on_new_tab(firefox: Any) -> None:
    """Close every tab but one, then use it (the consent page opened its own)."""
    handles = firefox.window_handles
    for handle in handles[1:]:
        firefox.switch_to_window(handle)
        firefox.close()
    firefox.switch_to_window(handles[0])


def test_firefox_asks_consent_then_pairs_and_captures_an_article(
    firefox: Any, shared_companion: Companion, site: str
) -> None:
    consent_page = f"{PAGES}/options/consent.html"
    wait_for(lambda: consent_page in _tab_urls(firefox), timeout=30, what="the consent page")
    _settle_on_new_tab(firefox)

    firefox.navigate(shared_companion.cli("pair", "--port", str(shared_companion.port)).split()[0])
    paired = wait_for(
        lambda: (
            firefox.execute_script("return document.documentElement.dataset.paired")
            in ("true", "false")
            and firefox.execute_script("return document.documentElement.dataset.paired")
        ),
        timeout=30,
        what="the pairing page to report",
    )
    assert paired == "true"

    firefox.navigate(f"{PAGES}/options/options.html")
    firefox.execute_script(
        """const input = document.getElementById('snapshot-seconds');
           input.value = '2';
           input.dispatchEvent(new Event('change'));"""
    )
    time.sleep(0.5)  # the options page saves on change

    firefox.navigate(f"{site}/article.html?t=firefox-before-consent")
    time.sleep(4)  # past the threshold, but the user has not agreed yet

    firefox.navigate(consent_page)
    firefox.find_element("id", "agree").click()
    wait_for(
        lambda: "You agreed" in firefox.find_element("id", "consent-note").text,
        timeout=10,
        what="the consent to be saved",
    )

    firefox.navigate(f"{site}/article.html?t=firefox-after-consent")
    found = wait_for(
        lambda: shared_companion.captures_of("t=firefox-after-consent"),
        timeout=60,
        what="the Firefox capture to reach the companion",
    )
    assert len(found) == 1
    capture = wait_for(
        lambda: (
            (c := shared_companion.capture(found[0]["id"]))["status"] == "processed"
            and (c.get("document") or {}).get("word_count", 0) > 300
            and c
        ),
        timeout=90,
        what="the snapshot to be stored and analysed",
    )
    assert capture["title"] == "Understanding the asyncio event loop in Python"
    assert capture["engaged_seconds"] >= 2
    assert any("event loop" in c["text"].lower() for c in capture["concepts"])
    # Delivered in the same outbox flush as anything older: had the visit before consent been
    # captured, it would be there by now.
    assert shared_companion.captures_of("t=firefox-before-consent") == []

    # The popup, as Firefox renders it, shows the day with what was just read.
    firefox.navigate(f"{PAGES}/popup/popup.html")
    wait_for(
        lambda: firefox.execute_script("return document.querySelectorAll('#items li').length"),
        timeout=30,
        what="the popup to list today's items",
    )
    assert capture["title"] in firefox.find_element("id", "items").text
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "firefox-popup.png").write_bytes(firefox.screenshot(format="binary"))


def _agree_and_pair(firefox: Any, companion: Companion) -> None:
    """The first-run steps of a new user: agree on the consent page, open the pairing link."""
    consent_page = f"{PAGES}/options/consent.html"
    wait_for(lambda: consent_page in _tab_urls(firefox), timeout=30, what="the consent page")
    _settle_on_new_tab(firefox)
    firefox.navigate(consent_page)
    firefox.find_element("id", "agree").click()
    wait_for(
        lambda: "You agreed" in firefox.find_element("id", "consent-note").text,
        timeout=10,
        what="the consent to be saved",
    )
    firefox.navigate(companion.cli("pair", "--port", str(companion.port)).split()[0])
    wait_for(
        lambda: firefox.execute_script("return document.documentElement.dataset.paired") == "true",
        timeout=30,
        what="the pairing page to report success",
    )


def _follow_link(firefox: Any, url: str) -> None:
    """Click the page's link to `url`; wait until the next page has loaded."""
    firefox.execute_script("document.getElementById('next').href = arguments[0]", [url])
    firefox.find_element("id", "next").click()
    wait_for(
        lambda: (
            firefox.get_url() == url
            and firefox.execute_script("return document.readyState") == "complete"
        ),
        timeout=30,
        interval=0.05,
        what="the linked page to load",
    )


def test_firefox_keeps_the_full_engaged_time_of_visits_however_they_end(
    firefox: Any, shared_companion: Companion, site: str
) -> None:
    _agree_and_pair(firefox, shared_companion)  # the defaults: updates every 30 engaged s
    first_tab = firefox.current_window_handle
    spare_tab = firefox.open(type="tab", focus=False)["handle"]
    firefox.switch_to_window(first_tab)
    timer = Timer()
    visits: list[Visit] = []

    def read_then(tag: str, by: str, action: Any) -> None:
        time.sleep(READ_SECONDS)
        visits.append(Visit(tag, by, *timer.go(action)))

    timer.go(lambda: firefox.navigate(url_of(site, "ff-link")))
    read_then("ff-link", "link", lambda: _follow_link(firefox, url_of(site, "ff-typed")))
    read_then("ff-typed", "typed address", lambda: firefox.navigate(url_of(site, "ff-back")))
    read_then("ff-back", "back", firefox.go_back)
    read_then("ff-typed", "tab closed", firefox.close)
    firefox.switch_to_window(spare_tab)

    rows = recorded_visits(shared_companion, visits)
    record_figure("visit_clock_ends_firefox", rows)
    assert_full_time(rows)
