"""`kill -9` of the companion mid-burst and mid-processing: nothing it acknowledged is lost.

After a restart every capture that got a 2xx is in the journal exactly once and ends processed.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import httpx
import psutil
import pytest

from tests.faults.conftest import journal_rows
from tests.support import make_capture

pytestmark = pytest.mark.model  # the worker loads the spaCy model


def _burst(companion, captures: list[dict], clients: int, kill_after: int) -> set[str]:
    """Send `captures` from `clients` threads; `kill -9` the service after `kill_after` acks."""
    acked: set[str] = set()
    lock = threading.Lock()
    killed = threading.Event()
    shares = [captures[i::clients] for i in range(clients)]

    def client(share: list[dict]) -> None:
        with companion.client() as http:
            for capture in share:
                if killed.is_set():
                    return
                try:
                    reply = http.post("/api/v1/captures", json=capture)
                except httpx.HTTPError:
                    return  # the service is gone: this capture was never acknowledged
                if 200 <= reply.status_code < 300:
                    with lock:
                        acked.add(capture["id"])
                        if len(acked) >= kill_after and not killed.is_set():
                            killed.set()
                            os.killpg(companion.process.pid, signal.SIGKILL)

    threads = [threading.Thread(target=client, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert killed.is_set(), "the burst ended before the kill: nothing was tested"
    companion.process.wait(10)
    companion.process = None
    return acked


def _wait_until_settled(companion, ids: set[str], timeout: float = 300) -> dict[str, str]:
    """Wait until none of `ids` is queued or processing; return their statuses."""
    marks = ",".join("?" * len(ids))
    deadline = time.monotonic() + timeout
    while True:
        rows = journal_rows(
            companion.data_dir, f"SELECT id, status FROM captures WHERE id IN ({marks})", list(ids)
        )
        statuses = dict(rows)
        pending = [i for i, s in statuses.items() if s in ("queued", "processing")]
        if not pending:
            return statuses
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(pending)} captures still pending after {timeout}s")
        time.sleep(0.5)


def test_kill_9_during_a_burst_of_1000_captures_loses_no_acknowledged_capture(companion_server):
    companion = companion_server()
    captures = [
        make_capture(url=f"https://docs.example.org/kill/{n}", title=f"Kill test {n}")
        for n in range(1000)
    ]
    acked = _burst(companion, captures, clients=8, kill_after=400)
    assert len(acked) >= 400

    companion.start(wait_for_model=True)
    sent_ids = [c["id"] for c in captures]
    marks = ",".join("?" * len(sent_ids))
    counts = dict(
        journal_rows(
            companion.data_dir,
            f"SELECT id, count(*) FROM captures WHERE id IN ({marks}) GROUP BY id",
            sent_ids,
        )
    )
    missing = acked - counts.keys()
    assert not missing, f"{len(missing)} acknowledged captures were lost"
    assert all(n == 1 for n in counts.values())
    statuses = _wait_until_settled(companion, set(counts))
    assert {statuses[i] for i in acked} == {"processed"}
    assert journal_rows(companion.data_dir, "PRAGMA integrity_check") == [("ok",)]


@pytest.mark.corpus
def test_kill_9_during_processing_resumes_and_processes_everything(companion_server, corpus_root):
    pages = sorted((corpus_root / "pages").glob("*.html"))[:40]
    captures = [
        make_capture(
            url=f"https://site.example.com/{page.stem}",
            title="",
            html=page.read_bytes().decode("utf-8", "replace"),
        )
        for page in pages
    ]
    companion = companion_server(wait_for_model=True)
    with companion.client() as http:
        for start in range(0, len(captures), 10):
            reply = http.post("/api/v1/captures/batch", json={"captures": captures[start:][:10]})
            assert reply.status_code == 200
            assert all(r["accepted"] for r in reply.json()["results"])
    ids = {c["id"] for c in captures}
    marks = ",".join("?" * len(ids))
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:  # kill once the worker is mid-way through the backlog
        rows = dict(
            journal_rows(
                companion.data_dir,
                f"SELECT status, count(*) FROM captures WHERE id IN ({marks}) GROUP BY status",
                list(ids),
            )
        )
        if rows.get("processed", 0) >= 3 and rows.get("processing", 0) >= 1:
            break
        time.sleep(0.05)
    else:
        pytest.fail(f"the worker never got mid-way through the backlog: {rows}")
    companion.kill()

    companion.start(wait_for_model=True)
    statuses = _wait_until_settled(companion, ids, timeout=400)
    assert len(statuses) == len(ids)
    assert set(statuses.values()) == {"processed"}, statuses
    assert journal_rows(companion.data_dir, "SELECT count(*) FROM inbox") == [(0,)]


def test_a_killed_worker_is_restarted_and_the_api_keeps_answering(companion_server):
    companion = companion_server(wait_for_model=True)
    api = psutil.Process(companion.process.pid)
    (worker,) = [
        child
        for child in api.children(recursive=True)
        if "resource_tracker" not in " ".join(child.cmdline())
    ]
    worker.send_signal(signal.SIGKILL)
    capture = make_capture()
    with companion.client() as http:
        assert http.post("/api/v1/captures", json=capture).status_code == 202
    (done,) = companion.wait_processed([capture["id"]], timeout=180)
    assert done["status"] == "processed"
    assert Path(f"/proc/{worker.pid}").exists() is False
