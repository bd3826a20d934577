"""Inflow's benchmarks: `make bench` (= `python -m bench`) runs them and writes bench/results/.

Each module measures one claim (see bench/README.md) and exposes `run(options) -> dict`. This
package holds what they share: where things are, percentiles, free ports, and `Service`, a
server subprocess (the real companion, the bare ceiling, the aw-server peer) that starts,
waits until it answers, reports its processes and stops.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "CORPUS",
    "REPO",
    "RESULTS",
    "Service",
    "corpus_pages",
    "free_port",
    "http_json",
    "latency_summary",
    "median",
    "percentile",
    "start_companion",
]

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
RESULTS = REPO / "bench" / "results"


def percentile(values: Sequence[float], p: float) -> float:
    """The `p`-th percentile (0–100) of `values`, linearly interpolated; NaN when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Sequence[float]) -> float:
    """The median of `values` (NaN when empty)."""
    return statistics.median(values) if values else float("nan")


def latency_summary(seconds: Sequence[float]) -> dict:
    """p50/p95/p99/max of latencies given in seconds, reported in milliseconds."""
    return {f"p{p}_ms": round(percentile(seconds, p) * 1000, 2) for p in (50, 95, 99)} | {
        "max_ms": round(max(seconds) * 1000, 2) if seconds else float("nan")
    }


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_json(url: str, *, token: str | None = None, body=None, timeout: float = 30) -> dict:
    """GET (or POST `body` as JSON) `url` and return the decoded JSON reply; raises on non-2xx."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as reply:
        return json.loads(reply.read() or b"null")


def corpus_pages(folder: str) -> list[Path]:
    """The `.html` pages of one corpus folder, sorted; raises `SystemExit` if it is missing."""
    where = CORPUS / folder
    if not where.is_dir():
        raise SystemExit(f"bench: the corpus folder {where} is missing (see bench/README.md)")
    return sorted(where.glob("*.html"))


@dataclass
class Service:
    """A server subprocess on 127.0.0.1:`port`, in its own session (so it can be killed whole)."""

    name: str
    command: list[str]
    port: int
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)
    token: str | None = None
    process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, probe: str, *, timeout: float = 120) -> Service:
        """Start the command and wait until `GET probe` answers 2xx; raises `RuntimeError`."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **self.env},
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited early; see {self.log_path}")
            try:
                http_json(self.base_url + probe, token=self.token, timeout=2)
                return self
            except (OSError, urllib.error.URLError, ValueError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer in {timeout}s; see {self.log_path}")

    def pids(self) -> list[int]:
        """The server's process and its children (the companion's worker)."""
        import psutil

        if not self.process or self.process.poll() is not None:
            return []
        parent = psutil.Process(self.process.pid)
        return [parent.pid, *(child.pid for child in parent.children(recursive=True))]

    def stop(self, timeout: float = 30) -> None:
        """SIGTERM, then SIGKILL of the whole session if it does not exit in `timeout`."""
        if not self.process:
            return
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        self.process = None


def start_companion(
    data_dir: Path,
    *,
    worker: bool = True,
    wait_for_model: bool = True,
    timeout: float = 180,
    env: dict[str, str] | None = None,
) -> Service:
    """Run the real companion (`inflow serve`) on a free port; wait for the model if asked.

    `env` adds environment variables (e.g. `INFLOW_WORKER_IDLE_SECONDS`).
    """
    from companion.credentials import load_or_create_token

    port = free_port()
    command = [sys.executable, "-m", "companion.cli", "serve", "--port", str(port)]
    command += ["--data-dir", str(data_dir), "--log-level", "WARNING"]
    if not worker:
        command.append("--no-worker")
    service = Service(
        name="companion",
        command=command,
        port=port,
        log_path=data_dir.parent / f"{data_dir.name}.log",
        token=load_or_create_token(data_dir),
        env=dict(env or {}),
    )
    service.start("/api/v1/status", timeout=timeout)
    deadline = time.monotonic() + timeout
    while worker and wait_for_model:
        if http_json(service.base_url + "/api/v1/status", token=service.token)["nlp_model_loaded"]:
            break
        if time.monotonic() > deadline:
            service.stop()
            raise RuntimeError("the companion's worker did not load its model in time")
        time.sleep(0.2)
    return service
