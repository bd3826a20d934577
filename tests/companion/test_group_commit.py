"""Captures arriving together are committed together, and each still gets its own answer."""

from __future__ import annotations

import asyncio
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest

from companion.errors import TooManyRequests, Unavailable
from companion.journal import captures as store
from tests.support import make_capture


def _capture(**fields):
    capture = make_capture(**fields)
    capture["started_at"] = datetime.now(UTC)
    return capture


def _run(coroutine):
    # On a thread of its own: the browser tests' Playwright keeps an event loop running on
    # the main thread for the whole session, and asyncio.run refuses to nest in it.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _count_transactions(journal, monkeypatch) -> list[int]:
    opened = [0]
    real = journal.transaction

    @contextmanager
    def counted():
        opened[0] += 1
        with real() as conn:
            yield conn

    monkeypatch.setattr(journal, "transaction", counted)
    return opened


async def _ingest_one(journal, capture, max_queue):
    (status,) = await store.ingest_together(journal, [capture], max_queue=max_queue)
    return status


async def _ingest_all(journal, captures, max_queue=1000):
    """Each capture in a request of its own, all at once; the statuses or errors, in order."""
    return await asyncio.gather(
        *(_ingest_one(journal, c, max_queue) for c in captures), return_exceptions=True
    )


def test_concurrent_captures_share_commits_and_are_all_stored(journal, monkeypatch):
    opened = _count_transactions(journal, monkeypatch)
    captures = [_capture() for _ in range(64)]
    statuses = _run(_ingest_all(journal, captures))
    assert statuses == ["queued"] * 64
    assert opened[0] < 64 / 4, f"{opened[0]} transactions for 64 captures sent at once"
    with journal.reader() as conn:
        stored = {row[0] for row in conn.execute("SELECT id FROM captures")}
        queued = conn.execute("SELECT count(*) FROM inbox").fetchone()[0]
    assert stored == {c["id"] for c in captures} and queued == 64


def test_one_refused_capture_does_not_undo_the_others_in_its_group(journal):
    captures = [_capture() for _ in range(5)]
    results = _run(_ingest_all(journal, captures, max_queue=3))
    assert results[:3] == ["queued"] * 3
    assert all(isinstance(r, TooManyRequests) for r in results[3:]), results
    with journal.reader() as conn:
        stored = [row[0] for row in conn.execute("SELECT id FROM captures ORDER BY rowid")]
    assert stored == [c["id"] for c in captures[:3]]


def test_the_same_capture_twice_in_one_group_is_stored_once_and_merged(journal):
    capture = _capture(engaged_seconds=10.0)
    later = {**capture, "engaged_seconds": 70.0}
    assert _run(_ingest_all(journal, [capture, later])) == ["queued", "merged"]
    assert store.get_capture(journal, capture["id"])["engaged_seconds"] == 70.0


def test_a_journal_that_cannot_be_written_answers_every_waiting_capture(journal, monkeypatch):
    real = journal.transaction

    @contextmanager
    def failing():
        with real() as conn:
            yield conn
            raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(journal, "transaction", failing)
    captures = [_capture() for _ in range(8)]
    results = _run(_ingest_all(journal, captures))
    assert all(isinstance(r, Unavailable) for r in results), results
    monkeypatch.setattr(journal, "transaction", real)
    with journal.reader() as conn:
        assert conn.execute("SELECT count(*) FROM captures").fetchone()[0] == 0
    assert _run(_ingest_all(journal, captures[:1])) == ["queued"]


def test_a_batch_over_the_queue_bound_stores_none_of_its_captures(journal):
    captures = [_capture() for _ in range(5)]
    with pytest.raises(TooManyRequests):
        _run(store.ingest_together(journal, captures, max_queue=3))
    with journal.reader() as conn:
        assert conn.execute("SELECT count(*) FROM captures").fetchone()[0] == 0
    assert _run(store.ingest_together(journal, captures[:3], max_queue=3)) == ["queued"] * 3
