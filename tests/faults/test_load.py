"""Sustained load: 8 clients as fast as they can for 60 s against the real companion, worker
running. No errors, no loss, and the journal passes `PRAGMA integrity_check`.

A fast machine fills the queue (50,000 captures waiting for the worker) within the minute; the
companion then answers 429 "queue_full", which is back-pressure, not an error: a client stops
and keeps its captures, as the extension's outbox does. A batch refused that way stores none of
its captures, so the journal holds exactly the acknowledged ones.
"""

from __future__ import annotations

import os
import threading
import time

import httpx
import pytest

from tests.faults.conftest import journal_rows
from tests.support import make_capture

pytestmark = pytest.mark.model  # the worker runs (and loads the model) beside the load

SECONDS = float(os.environ.get("INFLOW_LOAD_SECONDS", "60"))
CLIENTS = 8
MAX_PER_CLIENT = 20_000  # a bound, in case the machine is far faster than expected


def test_eight_clients_for_a_minute_lose_nothing_and_leave_a_sound_journal(companion_server):
    companion = companion_server(wait_for_model=True)
    acked: list[list[str]] = [[] for _ in range(CLIENTS)]
    failures: list[str] = []
    full: list[int] = []  # clients told the queue is full
    deadline = time.monotonic() + SECONDS

    def client(index: int) -> None:
        with companion.client() as http:
            for n in range(MAX_PER_CLIENT):
                if time.monotonic() > deadline:
                    return
                capture = make_capture(
                    url=f"https://docs.example.org/load/{index}/{n % 50}",
                    engaged_seconds=float(n % 600),
                )
                if n % 10 == 9:  # the outbox's flush, now and then
                    more = [
                        make_capture(url=f"https://q.example.com/{index}/{n}/{k}") for k in range(5)
                    ]
                    reply = http.post("/api/v1/captures/batch", json={"captures": more})
                    ok = reply.status_code == 200 and all(
                        r["accepted"] for r in reply.json()["results"]
                    )
                    ids = [c["id"] for c in more]
                else:
                    try:
                        reply = http.post("/api/v1/captures", json=capture)
                    except httpx.HTTPError as exc:
                        failures.append(f"{type(exc).__name__}")
                        return
                    ok = reply.status_code == 202
                    ids = [capture["id"]]
                if reply.status_code == 429 and "queue_full" in reply.text:
                    full.append(index)
                    return
                if not ok:
                    failures.append(f"{reply.status_code}: {reply.text[:200]}")
                    return
                acked[index].extend(ids)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(SECONDS + 120)
    assert not failures, failures[:5]
    all_ids = [i for ids in acked for i in ids]
    rate = len(all_ids) / SECONDS
    assert rate > 20, f"only {rate:.0f} captures/s were accepted"
    if full:  # the queue was really full: 50,000 waiting, so at least that many acknowledged
        assert len(all_ids) >= 50_000, (len(all_ids), len(full))
    with companion.client() as http:  # the API still answers reads at once
        assert http.get("/api/v1/today").status_code == 200
    companion.stop()

    stored = journal_rows(companion.data_dir, "SELECT id FROM captures")
    stored_ids = {row[0] for row in stored}
    assert len(all_ids) == len(set(all_ids))
    assert stored_ids == set(all_ids)
    assert journal_rows(companion.data_dir, "PRAGMA integrity_check") == [("ok",)]
    assert journal_rows(companion.data_dir, "PRAGMA foreign_key_check") == []
