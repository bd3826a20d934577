"""The same extension in a real Firefox: Debian's firefox-esr, headless, driven over Marionette.

Firefox loads the repository's `manifest.json` as it is (`background.scripts`, the gecko id) as
a temporary add-on, or, for a test that restarts the browser, installs it for good from a
package as a user does (temporary add-ons go at a quit; Firefox ESR installs an unsigned one
when told to). Its internal UUID is pinned by a preference so the test can open the
extension's own pages. The flow is a new user's: the first-run consent page opens by itself,
nothing is captured before the user agrees, pairing works by opening the `inflow pair` URL, and
an article read past the threshold reaches the companion with its snapshot analysed. Visits
keep their full engaged time however they end (visits.py): a link, an address typed, back and
forward through the back/forward cache, the background page stopped in the middle, a tab or a
window closed, the browser quit (at most 5 s lost).
"""

from __future__ import annotations

import contextlib
import json
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.harness import ARTIFACTS, REPO, Companion, free_port, record_figure, wait_for
from tests.browser.visits import (
    QUIT_LOSS_SECONDS,
    READ_SECONDS,
    Timer,
    Visit,
    assert_full_time,
    recorded_visits,
    url_of,
)
from tests.extension.package_extension import chrome_zip, stage

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
BFCACHE_TRIES = 3  # back + forward pairs until Firefox restores both from its back/forward cache
PAGES = f"moz-extension://{UUID}/extension"


@contextlib.contextmanager
def _running_firefox(tmp_path: Path, *, package: Path | None = None) -> Iterator[Any]:
    """A headless Firefox (fresh profile) with the extension: the repository as a temporary
    add-on, or `package` installed for good (it stays through a restart)."""
    with warnings.catch_warnings():  # mozrunner imports telnetlib, mozinfo old distro APIs
        warnings.simplefilter("ignore", DeprecationWarning)
        from marionette_driver.addons import Addons
        from marionette_driver.marionette import Marionette

    prefs: dict[str, Any] = {"extensions.webextensions.uuids": json.dumps({GECKO_ID: UUID})}
    if package:
        prefs["xpinstall.signatures.required"] = False  # honoured by ESR: the package is unsigned
    marionette = Marionette(
        bin=FIREFOX,
        port=free_port(),
        headless=True,
        startup_timeout=90,
        gecko_log=str(tmp_path / "gecko.log"),
        prefs=prefs,
    )
    try:
        marionette.start_session()
        installed = Addons(marionette).install(str(package or REPO), temp=package is None)
        assert installed == GECKO_ID
        yield marionette
    finally:
        marionette.cleanup()  # quits Firefox and removes its profile


@pytest.fixture
def firefox(tmp_path: Path) -> Iterator[Any]:
    """A headless Firefox with the extension installed as a temporary add-on (fresh profile)."""
    with _running_firefox(tmp_path) as marionette:
        yield marionette


@pytest.fixture
def installed_firefox(tmp_path: Path) -> Iterator[Any]:
    """A headless Firefox with the extension installed for good from its package, as a user
    installs it (it survives a quit and a new start of the browser)."""
    staged = tmp_path / "package"
    staged.mkdir()
    stage(staged)
    package = tmp_path / "inflow.xpi"
    chrome_zip(staged, package)  # the same zip of the same files as `web-ext build` makes
    with _running_firefox(tmp_path, package=package) as marionette:
        yield marionette


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


#: Marionette scripts for the chrome context (`WebExtensionPolicy` is Firefox's own handle on an
#: add-on). The background page's context id, or null while it is stopped:
_BACKGROUND_CONTEXT = """
const context = WebExtensionPolicy.getByID(arguments[0]).extension.backgroundContext;
return context ? String(context.contextId) : null;
"""
#: Stop the background page as Firefox stops an idle event page; resolves when it is stopped.
_STOP_BACKGROUND = """
const [id, resolve] = arguments;
WebExtensionPolicy.getByID(id).extension.terminateBackground().then(() => resolve(true));
"""


def _background_context(firefox: Any) -> str | None:
    with firefox.using_context("chrome"):
        return firefox.execute_script(_BACKGROUND_CONTEXT, [GECKO_ID])


def _stop_background(firefox: Any) -> str:
    """Stop the extension's background page in the middle of whatever it does; return the id
    of the context that was stopped (the next event starts a new one)."""
    stopped = wait_for(lambda: _background_context(firefox), what="a running background page")
    with firefox.using_context("chrome"):
        firefox.execute_async_script(_STOP_BACKGROUND, [GECKO_ID])
    assert _background_context(firefox) != stopped, "the background page did not stop"
    return stopped


def _document_origin(firefox: Any) -> float:
    """When the document shown was created (the same again when back/forward restores it from
    the back/forward cache; Firefox calls either a `back_forward` navigation)."""
    return firefox.execute_script("return performance.timeOrigin")


def _close_window(firefox: Any) -> None:
    """Close the browser window of the current tab (as its close button does)."""
    window = firefox.current_chrome_window_handle
    with firefox.using_context("chrome"):
        firefox.switch_to_window(window)
        firefox.close_chrome_window()


def test_firefox_keeps_the_full_engaged_time_of_visits_however_they_end(
    firefox: Any, shared_companion: Companion, site: str
) -> None:
    _agree_and_pair(firefox, shared_companion)  # the defaults: updates every 30 engaged s
    first_tab = firefox.current_window_handle
    spare_tab = firefox.open(type="tab", focus=False)["handle"]
    firefox.switch_to_window(first_tab)
    timer = Timer()
    visits: list[Visit] = []

    def read_then(tag: str, by: str, action: Any, timer: Timer = timer) -> None:
        time.sleep(READ_SECONDS)
        visits.append(Visit(tag, by, *timer.go(action)))

    timer.go(lambda: firefox.navigate(url_of(site, "ff-link")))
    read_then("ff-link", "link", lambda: _follow_link(firefox, url_of(site, "ff-typed")))
    shown = {"ff-typed": _document_origin(firefox)}
    read_then("ff-typed", "typed address", lambda: firefox.navigate(url_of(site, "ff-back")))
    shown["ff-back"] = _document_origin(firefox)
    # Back then forward, both from the back/forward cache: Firefox may load a page again instead
    # (it decides; a busy machine sees it now and then), and then goes once more. Every visit
    # counts, cached or not.
    steps = (  # (the page left, how, the page shown then)
        ("ff-back", "back", firefox.go_back, "ff-typed"),
        ("ff-typed", "forward", firefox.go_forward, "ff-back"),
    )
    from_cache = []
    for _ in range(BFCACHE_TRIES):
        cached = []
        for left, by, action, arrived in steps:
            read_then(left, by, action)
            origin = _document_origin(firefox)
            cached.append(origin == shown[arrived])
            shown[arrived] = origin
        from_cache.append(cached)
        if all(cached):
            break

    time.sleep(READ_SECONDS / 2)
    stopped = _stop_background(firefox)
    time.sleep(READ_SECONDS / 2)
    restarted = _background_context(firefox)  # started again by the page's next clock
    visits.append(
        Visit(
            "ff-back",
            "link after a background restart",
            *timer.go(lambda: _follow_link(firefox, url_of(site, "ff-tab"))),
        )
    )
    read_then("ff-tab", "tab closed", firefox.close)

    firefox.switch_to_window(spare_tab)
    firefox.switch_to_window(firefox.open(type="window", focus=True)["handle"])
    window = Timer()
    window.go(lambda: firefox.navigate(url_of(site, "ff-window")))
    read_then("ff-window", "window closed", lambda: _close_window(firefox), window)
    firefox.switch_to_window(spare_tab)

    rows = recorded_visits(shared_companion, visits)
    record_figure("visit_clock_ends_firefox", rows)
    assert [True, True] in from_cache, f"back/forward never used the bfcache: {from_cache}"
    assert restarted not in (None, stopped), "the background page did not start again"
    assert_full_time(rows)


def test_quitting_firefox_loses_at_most_five_seconds_of_a_visit(
    installed_firefox: Any, shared_companion: Companion, site: str
) -> None:
    firefox = installed_firefox
    _agree_and_pair(firefox, shared_companion)
    timer = Timer()
    timer.go(lambda: firefox.navigate(url_of(site, "ff-quit")))
    time.sleep(READ_SECONDS + QUIT_LOSS_SECONDS)
    lower, upper = timer.go(lambda: firefox.quit(in_app=True))  # as a user quits: File > Quit

    # The next start of the browser (the same profile) delivers what the last session left.
    firefox.start_session()
    rows = recorded_visits(shared_companion, [Visit("ff-quit", "browser quit", lower, upper)])
    record_figure("visit_clock_quit_firefox", rows)
    assert_full_time(rows, loss=QUIT_LOSS_SECONDS)
