"""Ingest: captures accepted per second and p50/p95 latency, against a ceiling and a peer.

The same closed-loop load (1 and 8 keep-alive clients; small captures and 100 KB pages) goes to
- the real companion (`inflow serve`, worker running, as a user runs it),
- the same companion with `--no-worker` (the API path alone: the worker's share of 2 cores),
- the bare ceiling (`bench.bare_server`: FastAPI + one SQLite insert),
- ActivityWatch's aw-server (heartbeats carrying the same data).
The load generator is a lean keep-alive client (`closed_loop`: one thread and one blocking
socket per client, pre-built HTTP/1.1 requests, replies read only as far as their length), so
its own cost is small and identical for every server. The machine's speed drifts (other work,
heat), so the targets are interleaved: each round measures every scenario on every target, one
after the other, on a fresh server; a cell is the median of its `runs` rounds, and a ratio is
the median of the ratios measured within each round.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import socket
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench import Service, aw_peer, free_port, latency_summary, median, start_companion

__all__ = ["LoadResult", "build_requests", "closed_loop", "run"]

_WORDS = [
    "the",
    "a",
    "of",
    "to",
    "and",
    "in",
    "is",
    "for",
    "that",
    "with",
    "on",
    "as",
    "by",
    "this",
    "from",
    "it",
    "be",
    "are",
    "an",
    "or",
    "at",
    "which",
    "can",
    "write",
    "ahead",
    "log",
    "reader",
    "writer",
    "transaction",
    "checkpoint",
    "index",
    "query",
    "planner",
    "page",
    "cache",
    "python",
    "async",
    "await",
    "event",
    "loop",
    "coroutine",
    "thread",
    "process",
    "lock",
    "queue",
    "worker",
    "latency",
    "throughput",
    "request",
    "response",
    "header",
    "body",
    "token",
    "origin",
    "browser",
    "extension",
    "journal",
    "concept",
    "learning",
    "tutorial",
    "documentation",
    "example",
    "function",
    "class",
    "module",
    "package",
    "test",
]


def article_html(target_bytes: int, seed: int) -> str:
    """A plausible article page (nav, headings, paragraphs, footer) of about `target_bytes`."""
    rng = random.Random(seed)
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Guide {seed}: {' '.join(rng.choices(_WORDS, k=6))}</title></head><body>",
        "<nav><a href='/'>Home</a> <a href='/docs'>Docs</a> <a href='/blog'>Blog</a></nav>",
        "<article><h1>" + " ".join(rng.choices(_WORDS, k=8)) + "</h1>",
    ]
    size = sum(map(len, parts))
    while size < target_bytes - 200:
        if rng.random() < 0.1:
            chunk = "<h2>" + " ".join(rng.choices(_WORDS, k=5)) + "</h2>"
        else:
            chunk = "<p>" + " ".join(rng.choices(_WORDS, k=rng.randint(40, 120))) + ".</p>"
        parts.append(chunk)
        size += len(chunk)
    parts.append("</article><footer>© example.org</footer></body></html>")
    return "".join(parts)


def capture_body(index: int, page_bytes: int) -> dict:
    """A capture as the extension sends it; `page_bytes` of HTML (small: ~1 KB)."""
    started = datetime.now(UTC) - timedelta(seconds=index)
    return {
        "id": str(uuid.uuid4()),
        "url": f"https://docs.example.org/guide/{index % 997}/page-{index}?utm_source=x",
        "title": f"Guide {index}: write-ahead logging in SQLite",
        "kind": "page",
        "started_at": started.isoformat(),
        "ended_at": None,
        "engaged_seconds": 30.0 + index % 300,
        "scroll_depth": 0.5,
        "html": article_html(page_bytes, index % 50),
        "search_query": "sqlite wal mode" if index % 5 == 0 else None,
    }


def heartbeat_body(capture: dict, index: int) -> dict:
    """The aw-watcher-web heartbeat carrying the same data (distinct, so none merge)."""
    data = {
        "url": capture["url"],
        "title": capture["title"],
        "audible": False,
        "incognito": False,
        "tabCount": 7,
        "html": capture["html"],
    }
    moment = datetime.now(UTC) + timedelta(seconds=index)
    return {"timestamp": moment.isoformat(), "duration": 0, "data": data}


def _request(path: str, port: int, body: dict, token: str | None) -> bytes:
    payload = json.dumps(body).encode()
    head = [
        f"POST {path} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "Content-Type: application/json",
        f"Content-Length: {len(payload)}",
    ]
    if token:
        head.append(f"Authorization: Bearer {token}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + payload


def build_requests(target: str, port: int, token: str | None, count: int, page_bytes: int):
    """`count` ready-to-send HTTP requests for `target` ("inflow", "bare" or "aw")."""
    requests = []
    for index in range(count):
        capture = capture_body(index, page_bytes)
        if target == "aw":
            body = heartbeat_body(capture, index)
            requests.append(_request(aw_peer.heartbeat_path(), port, body, None))
        else:
            requests.append(_request("/api/v1/captures", port, capture, token))
    return requests


@dataclass
class LoadResult:
    """One closed-loop run: how many, how long, each latency, each status."""

    seconds: float
    latencies: list[float]
    statuses: list[int]

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return sum(1 for status in self.statuses if not 200 <= status < 300)


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """Read one reply from an asyncio stream (for `bench.backlog`'s paced client)."""
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("the server closed the connection")
    status = int(status_line.split()[1])
    length, close = 0, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "connection" and "close" in value.lower():
            close = True
    body = await reader.readexactly(length) if length else b""
    return status, body, close or status_line.startswith(b"HTTP/1.0")


_HEAD_END = b"\r\n\r\n"
_LENGTH = re.compile(rb"\r\ncontent-length: *(\d+)", re.IGNORECASE)


class _LeanConnection:
    """One keep-alive connection that sends ready-made request bytes and reads just enough of
    each reply (status, Content-Length, body) to know it is complete: no header objects, no
    JSON, no allocation per request beyond the bytes received."""

    def __init__(self, port: int):
        self.port = port
        self._open()

    def _open(self) -> None:
        self.sock = socket.create_connection(("127.0.0.1", self.port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.pending = b""

    def exchange(self, request: bytes) -> int:
        """Send `request`, wait for the whole reply; returns its status."""
        self.sock.sendall(request)
        buffer = self.pending
        while (head_end := buffer.find(_HEAD_END)) < 0:
            buffer += self._receive()
        head = buffer[:head_end]
        match = _LENGTH.search(head)
        end = head_end + 4 + (int(match[1]) if match else 0)
        while len(buffer) < end:
            buffer += self._receive()
        self.pending = buffer[end:]
        if b"\r\nconnection: close" in head.lower():
            self.close()
            self._open()
        return int(head[9:12])

    def _receive(self) -> bytes:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        return chunk

    def close(self) -> None:
        self.sock.close()


def closed_loop(port: int, requests: list[bytes], clients: int) -> LoadResult:
    """Send `requests` over `clients` keep-alive connections (one thread each, blocking
    sockets), each waiting for its reply before sending the next: the same lean client for
    every target, so what differs between targets is the server."""
    latencies: list[float] = []
    statuses: list[int] = []
    shared = iter(requests)
    take = threading.Lock()
    connections = [_LeanConnection(port) for _ in range(clients)]
    clock = time.perf_counter

    def client(connection: _LeanConnection) -> None:
        timed, seen = latencies.append, statuses.append
        while True:
            with take:
                request = next(shared, None)
            if request is None:
                return
            started = clock()
            status = connection.exchange(request)
            timed(clock() - started)
            seen(status)

    threads = [threading.Thread(target=client, args=(c,)) for c in connections]
    started = clock()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = clock() - started
    for connection in connections:
        connection.close()
    return LoadResult(seconds, latencies, statuses)


SCENARIOS = (
    # (name, clients, page bytes, requests per run)
    ("small x1", 1, 1_000, 1500),
    ("small x8", 8, 1_000, 3000),
    ("100KB x1", 1, 100_000, 300),
    ("100KB x8", 8, 100_000, 500),
)
TARGETS = ("inflow", "inflow-no-worker", "bare", "aw")


def _start_target(target: str, workdir: Path) -> Service:
    data_dir = workdir / f"{target}-{uuid.uuid4().hex[:6]}"
    if target == "inflow":
        return start_companion(data_dir, worker=True, wait_for_model=True)
    if target == "inflow-no-worker":
        return start_companion(data_dir, worker=False)
    if target == "bare":
        data_dir.mkdir(parents=True)
        port = free_port()
        command = [sys.executable, "-m", "bench.bare_server", "--port", str(port)]
        service = Service(
            name="bare",
            command=[*command, "--db", str(data_dir / "bare.db")],
            port=port,
            log_path=data_dir / "bare.log",
        )
        return service.start("/api/v1/status")
    service = aw_peer.start_aw_server(data_dir)
    aw_peer.create_bucket(service)
    return service


def _requests_per_run(scenario: tuple, scale: float) -> int:
    return max(50, int(scenario[3] * scale))


def _measure_once(target: str, service: Service, scenario: tuple, scale: float) -> dict:
    """Warm `service` up, then run `scenario` once: rate, p50, p95, errors, and the CPU time
    the server's own process (the API, not the companion's worker) spent per request, which
    the other work on a shared machine bends much less than the rate."""
    import psutil

    _, clients, page_bytes, _ = scenario
    count = _requests_per_run(scenario, scale)
    kind = "aw" if target == "aw" else target
    closed_loop(
        service.port, build_requests(kind, service.port, service.token, 50, page_bytes), clients
    )
    requests = build_requests(kind, service.port, service.token, count, page_bytes)
    server = psutil.Process(service.process.pid)
    before = server.cpu_times()
    result = closed_loop(service.port, requests, clients)
    after = server.cpu_times()
    cpu_s = after.user + after.system - before.user - before.system
    return {
        "rate": result.rate,
        **latency_summary(result.latencies),
        "errors": result.errors,
        "cpu_us": cpu_s / count * 1e6,
    }


def _row(target: str, scenario: tuple, runs: list[dict], scale: float) -> dict:
    name, clients, page_bytes, _ = scenario
    return {
        "target": target,
        "scenario": name,
        "clients": clients,
        "page_bytes": page_bytes,
        "requests_per_run": _requests_per_run(scenario, scale),
        "runs": len(runs),
        "rate_per_s": round(median([r["rate"] for r in runs]), 1),
        "rates": [round(r["rate"], 1) for r in runs],
        "p50_ms": median([r["p50_ms"] for r in runs]),
        "p95_ms": median([r["p95_ms"] for r in runs]),
        "errors": sum(r["errors"] for r in runs),
        "server_cpu_us": round(median([r["cpu_us"] for r in runs])),
    }


def _paired_ratio(rows: list[dict], row: dict, baseline: str) -> float | None:
    base = next(
        (r for r in rows if r["target"] == baseline and r["scenario"] == row["scenario"]), None
    )
    if base is None:
        return None
    return round(median([a / b for a, b in zip(row["rates"], base["rates"], strict=True)]), 2)


def run(options) -> dict:
    """Measure every scenario against every target; returns rows with ratios to the ceiling."""
    runs = options.runs
    scale = 0.3 if options.quick else 1.0
    targets = [t for t in TARGETS if t != "aw" or not options.no_aw]
    measured: dict[tuple[str, str], list[dict]] = {}
    with tempfile.TemporaryDirectory(prefix="inflow-bench-ingest-") as tmp:
        workdir = Path(tmp)
        for round_ in range(runs):
            for scenario in SCENARIOS:
                for target in targets:
                    # A fresh server each time: the companion's worker starts idle each time.
                    service = _start_target(target, workdir)
                    try:
                        once = _measure_once(target, service, scenario, scale)
                    finally:
                        service.stop()
                    measured.setdefault((target, scenario[0]), []).append(once)
                    print(
                        f"  ingest round {round_ + 1} {target:17} {scenario[0]:9} "
                        f"{once['rate']:8.1f}/s p50 {once['p50_ms']:6.2f} ms "
                        f"p95 {once['p95_ms']:7.2f} ms cpu {once['cpu_us']:5.0f} µs "
                        f"errors {once['errors']}",
                        file=sys.stderr,
                    )
    rows = [
        _row(target, scenario, measured[(target, scenario[0])], scale)
        for target in targets
        for scenario in SCENARIOS
    ]
    for row in rows:
        row["x_ceiling"] = _paired_ratio(rows, row, "bare")
        row["x_aw"] = _paired_ratio(rows, row, "aw")
    return {"rows": rows, "goals": {"x_ceiling": 0.7, "x_aw": 4.0}}
