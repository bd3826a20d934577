"""`make extension`: store packages that the stores accept and that load in the browser."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.browser.harness import CHROMIUM, EXTENSION_ID
from tests.support import CHROMIUM_ARGS, REPO


def _manifest_files(manifest: dict) -> set[str]:
    return {
        manifest["background"]["service_worker"],
        *manifest["background"]["scripts"],
        manifest["action"]["default_popup"],
        manifest["options_ui"]["page"],
        *manifest["icons"].values(),
        *(js for script in manifest["content_scripts"] for js in script["js"]),
    }


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, REPO / "tests" / "extension" / "package_extension.py", "--out", out],
        check=True,
        capture_output=True,
        timeout=300,
    )
    version = json.loads((REPO / "manifest.json").read_text())["version"]
    return {
        "chrome": out / f"inflow-chrome-{version}.zip",
        "firefox": out / f"inflow-firefox-{version}.zip",
    }


@pytest.mark.parametrize("store", ["chrome", "firefox"])
def test_a_store_package_holds_the_add_on_without_the_key_and_nothing_else(packages, store):
    with zipfile.ZipFile(packages[store]) as archive:
        names = {n for n in archive.namelist() if not n.endswith("/")}
        manifest = json.loads(archive.read("manifest.json"))
    assert "key" not in manifest  # the Chrome Web Store refuses a package with one
    assert manifest["minimum_chrome_version"] == "121"
    assert "gecko_android" not in manifest["browser_specific_settings"]
    assert manifest["browser_specific_settings"]["gecko"]["id"]
    assert _manifest_files(manifest) <= names
    assert all(n == "manifest.json" or n.startswith("extension/") for n in names), names
    assert "extension/PERMISSIONS.md" not in names


@pytest.mark.browser
def test_the_chrome_package_loads_in_chromium_with_a_store_assigned_id(
    packages, tmp_path, playwright_driver: Any
):
    unpacked = tmp_path / "unpacked"
    zipfile.ZipFile(packages["chrome"]).extractall(unpacked)
    context = playwright_driver.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        headless=True,
        args=[
            f"--disable-extensions-except={unpacked}",
            f"--load-extension={unpacked}",
            *CHROMIUM_ARGS,
        ],
    )
    try:
        workers = context.service_workers
        worker = workers[0] if workers else context.wait_for_event("serviceworker", timeout=60_000)
        extension_id = worker.url.split("/")[2]
        assert worker.url.endswith("/extension/background/service-worker.js")
        assert extension_id != EXTENSION_ID  # no key: the store (here, the path) gives the id
        page = context.new_page()
        page.goto(f"chrome-extension://{extension_id}/extension/popup/popup.html")
        assert page.title()
    finally:
        context.close()
