"""Fixtures for the real-browser tests: a real companion process, a local web server for the
test pages, and Debian's Chromium with the unpacked extension, driven by Playwright.
Plain helpers live in harness.py.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.harness import (
    FIXTURES,
    Browser,
    Companion,
    QuietHandler,
    free_port,
    running_browser,
    write_lecture_wav,
)


@pytest.fixture
def make_companion(tmp_path: Path) -> Iterator[Callable[..., Companion]]:
    """Factory: a companion (not yet started) with its own journal; stopped at teardown."""
    made: list[Companion] = []

    def make(port: int | None = None) -> Companion:
        companion = Companion(tmp_path / f"companion-{len(made)}", port or free_port())
        made.append(companion)
        return companion

    yield make
    for companion in made:
        companion.stop()


@pytest.fixture(scope="session")
def shared_companion(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Companion]:
    """One running companion for the tests that only add captures with their own URLs."""
    companion = Companion(tmp_path_factory.mktemp("companion"), free_port()).start()
    yield companion
    companion.stop()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The test pages, served on 127.0.0.1 (a different port from the companion)."""
    root = tmp_path_factory.mktemp("site")
    shutil.copytree(FIXTURES, root, dirs_exist_ok=True)
    write_lecture_wav(root / "lecture.wav")
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def browser(tmp_path: Path, playwright_driver: Any) -> Iterator[Browser]:
    """A fresh Chromium profile with the extension loaded (not yet paired)."""
    with running_browser(tmp_path / "profile", playwright_driver) as opened:
        yield opened
