"""Test helpers shared by every suite: capture factories, free ports, a real companion process.

Import as `from tests.support import ...` (the repository root is on pytest's `pythonpath`).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from companion.credentials import load_or_create_token

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
#: Chromium flags for tests here (DESIGN.md): no sandbox as root, no calls out of the machine.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
DATA = Path(__file__).resolve().parent / "data"  # fixtures the project carries itself


def corpus_dir() -> Path:
    """The shared evaluation corpus, or skip the test (with the reason) where it is absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS} (a clone outside the workplace)")
    return CORPUS


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_capture(**fields) -> dict:
    """A valid capture (the DESIGN.md contract) with a fresh id; `fields` override any key."""
    capture = {
        "id": str(uuid.uuid4()),
        "url": "https://docs.example.org/guide/sqlite-wal",
        "title": "Write-ahead logging in SQLite",
        "kind": "page",
        "started_at": "2026-11-24T10:15:00+01:00",
        "ended_at": None,
        "engaged_seconds": 95.0,
        "scroll_depth": 0.6,
        "html": "<html><body><article><h1>WAL</h1><p>Readers do not block writers.</p>"
        "</article></body></html>",
        "search_query": None,
    }
    capture.update(fields)
    return capture


@dataclass
class CompanionProcess:
    """A real `inflow serve` on a loopback port: start, stop, kill -9, restart."""

    data_dir: Path
    port: int
    log_path: Path
    extra_args: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def token(self) -> str:
        return load_or_create_token(self.data_dir)

    def client(self, **kwargs) -> httpx.Client:
        """An httpx client with the token, for this companion."""
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=30, **kwargs)

    def start(self, *, wait_for_model: bool = False, timeout: float = 90) -> CompanionProcess:
        env = {**os.environ, **self.env}
        with self.log_path.open("ab") as log:  # the child keeps its own copy of the handle
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "companion.cli",
                    "serve",
                    "--port",
                    str(self.port),
                    "--data-dir",
                    str(self.data_dir),
                    *self.extra_args,
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"companion exited early:\n{self.log_path.read_text()[-3000:]}")
            try:
                status = httpx.get(
                    f"{self.base_url}/api/v1/status",
                    headers={"Authorization": f"Bearer {self.token}"},
                    timeout=2,
                ).json()
                if not wait_for_model or status["nlp_model_loaded"]:
                    return self
            except (httpx.HTTPError, json.JSONDecodeError, KeyError):
                pass
            time.sleep(0.2)
        raise TimeoutError(f"companion did not start:\n{self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        """Stop it as a user would (SIGTERM), waiting for a clean exit."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None

    def kill(self) -> None:
        """`kill -9` the whole service (API and worker), with no chance to clean up."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        self.process = None

    def wait_processed(self, ids, timeout: float = 120) -> list[dict]:
        """Wait until every capture id is processed or failed; return them (in order)."""
        deadline = time.monotonic() + timeout
        with self.client() as client:
            while True:
                captures = [client.get(f"/api/v1/captures/{i}").json() for i in ids]
                if all(c.get("status") in ("processed", "failed") for c in captures):
                    return captures
                if time.monotonic() > deadline:
                    states = [c.get("status") for c in captures]
                    raise TimeoutError(f"captures not processed in time: {states}")
                time.sleep(0.25)
