"""Shared fixtures: fresh journals, an in-process API client, real companion processes, and a
real LRS (Ralph, `tests/lrs.py`) for the xAPI tests and the weekly page's Share step.

Everything is hermetic: each fixture uses its own temporary data directory and loopback port.
Plain helpers (capture factories, the `CompanionProcess` handle) live in `tests/support.py`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from companion.app import create_app
from companion.credentials import load_or_create_token
from companion.journal import Journal
from companion.settings import Settings
from tests.lrs import (  # noqa: F401 - a real LRS for tests/xapi and the weekly page's Share step
    lrs,
    lrs_factory,
    lrs_python,
    validate_statements,
)
from tests.support import CompanionProcess, free_port


@pytest.fixture
def settings_factory(tmp_path: Path):
    """Build `Settings` for a temporary data directory (loopback, test port 8765)."""

    def build(**changes) -> Settings:
        changes.setdefault("data_dir", tmp_path / "data")
        changes.setdefault("extension_ids", ("abcdefghijklmnopabcdefghijklmnop",))
        return Settings(**changes)

    return build


@pytest.fixture
def journal_factory(tmp_path: Path) -> Iterator:
    """Open fresh journals in temporary folders; all are closed after the test."""
    opened: list[Journal] = []

    def open_journal(path: Path | None = None) -> Journal:
        journal = Journal(path or tmp_path / f"journal-{len(opened)}" / "journal.db")
        opened.append(journal)
        return journal

    yield open_journal
    for journal in opened:
        journal.close()


@pytest.fixture
def journal(journal_factory) -> Journal:
    """A fresh, migrated journal."""
    return journal_factory()


@pytest.fixture
def app_client(settings_factory):
    """An in-process client of the API (no worker), addressed as 127.0.0.1:8765, with the token.

    Yields `(client, settings)`; the client sends the token on every request.
    """
    from fastapi.testclient import TestClient

    settings = settings_factory()
    token = load_or_create_token(settings.data_dir)
    app = create_app(settings)
    with TestClient(
        app,
        base_url=f"http://127.0.0.1:{settings.port}",
        headers={"Authorization": f"Bearer {token}"},
    ) as client:
        yield client, settings


@pytest.fixture
def companion_server(tmp_path: Path) -> Iterator:
    """Factory of real companions (`inflow serve`) on free loopback ports; all stopped after.

    `companion_server(data_dir=None, extra_args=(), wait_for_model=False, env=None)` returns a
    started `CompanionProcess`.
    """
    started: list[CompanionProcess] = []

    def start(*, data_dir=None, extra_args=(), wait_for_model=False, env=None):
        index = len(started)
        companion = CompanionProcess(
            data_dir=Path(data_dir or tmp_path / f"companion-{index}"),
            port=free_port(),
            log_path=tmp_path / f"companion-{index}.log",
            extra_args=list(extra_args),
            env=dict(env or {}),
        )
        started.append(companion)
        return companion.start(wait_for_model=wait_for_model)

    yield start
    for companion in started:
        companion.stop()


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator:
    """One Playwright driver for the whole run (a second one cannot start beside it)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright
