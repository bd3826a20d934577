"""Helpers for the real-browser tests: a real companion process, a local web server for the
test pages, and Debian's Chromium with the unpacked extension, driven by Playwright.

Everything waits on conditions with generous timeouts (CI is a loaded 2-core machine).
"""

from __future__ import annotations

import contextlib
import http.server
import json
import math
import os
import socket
import subprocess
import time
import wave
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

from tests.support import CHROMIUM_ARGS

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "data" / "browser"
ARTIFACTS = REPO / "test-artifacts"
INFLOW = REPO / ".venv" / "bin" / "inflow"
CHROMIUM = "/usr/bin/chromium"
EXTENSION_ID = (REPO / "companion" / "EXTENSION_ID").read_text().strip()

#: Settings that make the extension fast enough to test (the defaults are for people).
FAST_SETTINGS = {
    "snapshotSeconds": 2,
    "minVisitSeconds": 1,
    "updateEverySeconds": 2,
    "retryBaseSeconds": 1,
    "retryMaxSeconds": 2,
}


def wait_for(
    condition: Callable[[], Any], *, timeout: float = 60.0, interval: float = 0.25, what: str = ""
) -> Any:
    """Poll `condition` until it returns something truthy; return it, or fail after `timeout`."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            value = condition()
        except Exception as err:  # noqa: BLE001 - the condition may fail while things start
            last_error = err
            value = None
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what or condition}") from (
        last_error
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Companion:
    """A real `inflow serve` process on a loopback port, with a journal in a temp dir.

    `inflow` and `cwd` run another install of it (the wheel test: a venv outside the repo).
    """

    def __init__(
        self, data_dir: Path, port: int, *, inflow: Path = INFLOW, cwd: Path | None = None
    ) -> None:
        self.data_dir = data_dir
        self.port = port
        self.inflow = inflow
        self.cwd = cwd
        self.base = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None
        self.log = data_dir / "serve.log"
        self._token: str | None = None

    def cli(self, *args: str) -> str:
        out = subprocess.run(
            [str(self.inflow), *args, "--data-dir", str(self.data_dir)],
            check=True,
            cwd=self.cwd,
            capture_output=True,
            text=True,
            timeout=120,
        )
        return out.stdout.strip()

    @property
    def token(self) -> str:
        if self._token is None:
            self._token = self.cli("token")
        return self._token

    def start(self) -> Companion:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    str(self.inflow),
                    "serve",
                    "--port",
                    str(self.port),
                    "--data-dir",
                    str(self.data_dir),
                ],
                cwd=self.cwd,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(self._ready, timeout=120, what="the companion to answer /api/v1/status")
        return self

    def _ready(self) -> bool:
        if self.process and self.process.poll() is not None:
            raise RuntimeError(f"companion exited: {self.log.read_text()[-2000:]}")
        return self.get("/api/v1/status").status_code == 200

    def stop(self) -> None:
        if not self.process or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, 15)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, 9)
            self.process.wait(timeout=30)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}", "X-Inflow-Client": "tests"}
        return httpx.get(f"{self.base}{path}", headers=headers, timeout=30, **kwargs)

    def captures(self) -> list[dict]:
        """Every capture in the journal, newest first."""
        reply = self.get("/api/v1/captures", params={"limit": 500})
        reply.raise_for_status()
        return reply.json()["items"]

    def total(self) -> int:
        reply = self.get("/api/v1/captures", params={"limit": 1})
        reply.raise_for_status()
        return reply.json()["total"]

    def captures_of(self, url_part: str) -> list[dict]:
        return [c for c in self.captures() if url_part in c["url"]]

    def capture(self, capture_id: str) -> dict:
        reply = self.get(f"/api/v1/captures/{capture_id}")
        reply.raise_for_status()
        return reply.json()


def write_lecture_wav(path: Path, seconds: int = 30, rate: int = 8000) -> None:
    """A quiet sine tone: the 'lecture' the video test plays (a <video> can play PCM audio)."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(rate)
        frames = bytes(
            128 + int(40 * math.sin(2 * math.pi * 220 * i / rate)) for i in range(seconds * rate)
        )
        out.writeframes(frames)


#: Paths the test web server has served, in order (to prove a page really loaded).
SERVED: list[str] = []


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - the http.server name
        SERVED.append(self.path)
        super().do_GET()


class Browser:
    """Chromium with the extension loaded, and helpers to reach its storage and pages."""

    def __init__(self, context: Any, service_worker: Any) -> None:
        self.context = context
        self.extension_id = service_worker.url.split("/")[2]
        self.origin = f"chrome-extension://{self.extension_id}"
        self._page: Any = None

    def extension_page(self) -> Any:
        """A page on the extension's origin (the options page) to read and write its storage."""
        if self._page is None or self._page.is_closed():
            self._page = self.context.new_page()
            self._page.goto(f"{self.origin}/extension/options/options.html")
        return self._page

    def evaluate(self, script: str, arg: Any = None) -> Any:
        return self.extension_page().evaluate(script, arg)

    def settings(self, **patch: Any) -> dict:
        """Merge `patch` into the stored settings; return them."""
        return self.evaluate(
            """async (patch) => {
                const {settings} = await chrome.storage.local.get('settings');
                const next = {...(settings || {}), ...patch};
                await chrome.storage.local.set({settings: next});
                return next;
            }""",
            patch,
        )

    def pair_with(self, companion: Companion, **extra: Any) -> None:
        self.settings(
            **{**FAST_SETTINGS, "companionUrl": companion.base, "token": companion.token, **extra}
        )

    def open_paired(self, companion: Companion, url: str, **extra: Any):
        """Pair with `companion` (`extra` settings as in `pair_with`), then open `url` in a tab."""
        self.pair_with(companion, **extra)
        page = self.context.new_page()
        page.goto(url)
        return page

    def outbox(self) -> dict:
        return self.evaluate(
            "async () => (await chrome.storage.local.get('outbox')).outbox || {entries: {}}"
        )

    def outbox_urls(self) -> list[str]:
        return [e["capture"]["url"] for e in self.outbox().get("entries", {}).values()]

    def diagnostics(self) -> dict:
        return self.evaluate(
            "async () => (await chrome.storage.session.get('diagnostics')).diagnostics || {}"
        )

    def flush_now(self) -> dict:
        return self.evaluate("async () => chrome.runtime.sendMessage({type: 'flush'})")

    def stop_service_worker(self) -> None:
        """Stop the extension's service worker the way the browser does when it is idle."""
        cdp = self.context.new_cdp_session(self.extension_page())
        cdp.send("ServiceWorker.enable")
        cdp.send("ServiceWorker.stopAllWorkers")
        cdp.detach()


def launch_chromium(user_data_dir: Path, playwright: Any, *, bfcache: bool = False) -> Any:
    """Chromium with the extension; `bfcache` keeps the back/forward cache Playwright turns off."""
    args = [
        f"--disable-extensions-except={REPO}",
        f"--load-extension={REPO}",
        *CHROMIUM_ARGS,
        "--autoplay-policy=no-user-gesture-required",
    ]
    return playwright.chromium.launch_persistent_context(
        str(user_data_dir),
        executable_path=CHROMIUM,
        headless=True,
        args=args,
        viewport={"width": 1200, "height": 800},
        ignore_default_args=["--disable-back-forward-cache"] if bfcache else None,
    )


@contextlib.contextmanager
def running_browser(
    user_data_dir: Path, playwright: Any, *, bfcache: bool = False
) -> Iterator[Browser]:
    """Chromium with the extension loaded (see `launch_chromium`), closed on the way out."""
    context = launch_chromium(user_data_dir, playwright, bfcache=bfcache)
    try:
        workers = context.service_workers
        worker = workers[0] if workers else context.wait_for_event("serviceworker", timeout=60_000)
        yield Browser(context, worker)
    finally:
        context.close()


def read_json_attr(page: Any, selector: str, attr: str) -> Any:
    return json.loads(page.get_attribute(selector, attr) or "null")


def write_artifact(name: str, data: bytes) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    path.write_bytes(data)
    return path


def record_figure(name: str, value: object) -> None:
    """Keep a measured figure in test-artifacts/figures.json (for the report)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "figures.json"
    figures = json.loads(path.read_text()) if path.exists() else {}
    figures[name] = value
    path.write_text(json.dumps(figures, indent=2))
