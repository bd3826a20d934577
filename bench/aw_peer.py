"""The peer: ActivityWatch's aw-server, installed by name in its own venv (`bench/.aw-venv`).

`ensure_installed()` creates the venv and installs `aw-server==0.12.0` (with `peewee<4` and
`flask==2.2.5`, without which 0.12.0 does not start) the first time; `start_aw_server()` runs it
on a free loopback port with every XDG folder in a temporary directory, so it never touches the
user's own ActivityWatch data. The equivalent of a capture is a heartbeat to a bucket.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench import REPO, Service, free_port, http_json

__all__ = [
    "AW_VENV",
    "BUCKET",
    "create_bucket",
    "ensure_installed",
    "heartbeat_path",
    "insert_events",
    "query_seconds",
    "start_aw_server",
]

AW_VENV = REPO / "bench" / ".aw-venv"
AW_REQUIREMENTS = ("aw-server==0.12.0", "peewee<4", "flask==2.2.5")
BUCKET = "aw-watcher-web-bench"


def ensure_installed() -> Path:
    """Return the `aw-server` executable, creating `bench/.aw-venv` first if it is absent."""
    exe = AW_VENV / "bin" / "aw-server"
    if exe.exists():
        return exe
    print("bench: installing aw-server 0.12.0 into bench/.aw-venv (once)", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(AW_VENV)], check=True)
    pip = [str(AW_VENV / "bin" / "python"), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, "-U", "pip"], check=True)
    subprocess.run([*pip, *AW_REQUIREMENTS], check=True)
    return exe


def start_aw_server(workdir: Path) -> Service:
    """Start aw-server (peewee/SQLite storage, its default) with its data under `workdir`."""
    exe = ensure_installed()
    port = free_port()
    xdg = {
        name: str(workdir / name.lower())
        for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")
    }
    service = Service(
        name="aw-server",
        command=[str(exe), "--host", "127.0.0.1", "--port", str(port)],
        port=port,
        log_path=workdir / "aw-server.log",
        env={**xdg, "HOME": str(workdir)},
    )
    return service.start("/api/0/info", timeout=120)


def create_bucket(service: Service, bucket: str = BUCKET) -> None:
    """Create the bucket the web watcher would use (idempotent)."""
    body = {"client": "bench", "type": "web.tab.current", "hostname": "bench"}
    try:
        http_json(f"{service.base_url}/api/0/buckets/{bucket}", body=body)
    except OSError as err:  # 304 when it already exists
        if "304" not in str(err):
            raise


def heartbeat_path(bucket: str = BUCKET, pulsetime: float = 60) -> str:
    """The heartbeat route aw-watcher-web posts to."""
    return f"/api/0/buckets/{bucket}/heartbeat?pulsetime={pulsetime:g}"


def insert_events(service: Service, events: list[dict], bucket: str = BUCKET) -> None:
    """Insert events in bulk (`POST /api/0/buckets/{id}/events`)."""
    for start in range(0, len(events), 5000):
        http_json(
            f"{service.base_url}/api/0/buckets/{bucket}/events",
            body=events[start : start + 5000],
            timeout=600,
        )


def query_seconds(service: Service, day_start: datetime, days: int, bucket: str = BUCKET) -> float:
    """Time aw-server's own query API summarising `days` days from `day_start` by URL."""
    import time

    end = day_start + timedelta(days=days)
    body = {
        "query": [
            f'events = query_bucket("{bucket}");',
            'events = merge_events_by_keys(events, ["url", "title"]);',
            "events = sort_by_duration(events);",
            "RETURN = events;",
        ],
        "timeperiods": [f"{day_start.isoformat()}/{end.isoformat()}"],
    }
    started = time.perf_counter()
    http_json(f"{service.base_url}/api/0/query/", body=body, timeout=600)
    return time.perf_counter() - started


def utc_midnight(day: datetime) -> datetime:
    """Midnight UTC of `day`'s date."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
