"""The journal file: WAL, migrations, one copy of text per document, readable by other tools."""

from __future__ import annotations

import json
import sqlite3
import struct
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from companion.errors import Unavailable
from companion.journal import Journal, core
from companion.journal import captures as store
from companion.journal import search as finder
from companion.journal.processing import (
    claim_pending,
    mark_failed,
    requeue_interrupted,
    save_analysis,
)
from companion.journal.week import _HISTORY_SQL
from tests.companion.week_seed import analysis
from tests.support import make_capture


def _ingest(journal, **fields):
    capture = make_capture(**fields)
    capture["started_at"] = datetime.fromisoformat(capture["started_at"])
    store.ingest(journal, capture, max_queue=1000)
    return capture


def _analysis(url, text="Readers do not block writers."):
    return analysis(url, ["WAL mode"], text=text, title="WAL")


def test_journal_is_in_wal_mode_and_fully_migrated(journal):
    with journal.reader() as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert journal.schema_version >= 1


def test_commits_leave_checkpoints_to_the_checkpointer_which_follows_within_seconds(journal):
    with journal.transaction() as conn:
        assert conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
    _ingest(journal)
    with journal.reader() as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        size = pages * conn.execute("PRAGMA page_size").fetchone()[0]
    deadline = time.monotonic() + 10
    while journal.path.stat().st_size < size and time.monotonic() < deadline:
        time.sleep(0.05)
    assert journal.path.stat().st_size >= size, "the WAL was never copied into the file"


def test_reopening_applies_no_migration_twice(tmp_path):
    first = Journal(tmp_path / "j.db")
    version = first.schema_version
    first.close()
    again = Journal(tmp_path / "j.db")
    assert again.schema_version == version
    with again.reader() as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")]
    assert len(names) == len(set(names)) == version
    again.close()


def test_same_page_captured_twice_is_one_document_with_two_captures(journal):
    first = _ingest(journal, url="https://example.org/wal?utm_source=x")
    second = _ingest(journal, url="https://www.example.org/wal#readers")
    for pending in claim_pending(journal, 10):
        save_analysis(journal, pending.id, _analysis("https://example.org/wal"))
    with journal.reader() as conn:
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
        rows = conn.execute("SELECT DISTINCT document_id FROM captures").fetchall()
    assert len(rows) == 1
    assert {first["id"], second["id"]} == {c["id"] for c in finder.list_captures(journal)["items"]}


def test_text_most_pages_have_lists_the_newest_matches_like_any_search(journal, monkeypatch):
    ids = []
    for n in range(8):
        capture = _ingest(
            journal,
            url=f"https://example.org/page-{n}",
            started_at=f"2026-11-{10 + n:02d}T10:00:00+01:00",
        )
        ids.append(capture["id"])
    for pending in claim_pending(journal, 10):
        n = ids.index(pending.id)
        text = "a rare zebra" if n in (2, 5) else "a common word"
        save_analysis(journal, pending.id, _analysis(f"https://example.org/page-{n}", text))
    expected = [ids[n] for n in (7, 6, 4, 3, 1, 0)]
    plain = finder.list_captures(journal, q="common", limit=4, offset=1)
    assert ([c["id"] for c in plain["items"]], plain["total_capped"]) == (expected[1:5], False)
    monkeypatch.setattr(finder, "_MAX_COUNT", 5)  # 6 pages have "common": it is common text now
    common = finder.list_captures(journal, q="common", limit=4, offset=1)
    assert ([c["id"] for c in common["items"]], common["total_capped"]) == (expected[1:5], True)
    rare = finder.list_captures(journal, q="zebra")
    assert ([c["id"] for c in rare["items"]], rare["total"]) == ([ids[5], ids[2]], 2)
    filtered = finder.list_captures(journal, q="common", site="elsewhere.org")
    assert (filtered["items"], filtered["total"]) == ([], 0)


def test_processed_capture_leaves_the_inbox_and_keeps_its_text_once(journal):
    _ingest(journal)
    (pending,) = claim_pending(journal, 10)
    save_analysis(journal, pending.id, _analysis("https://example.org/wal"))
    with journal.reader() as conn:
        assert conn.execute("SELECT count(*) FROM inbox").fetchone()[0] == 0
        assert conn.execute("SELECT text FROM documents").fetchone()[0].startswith("Readers")


def test_interrupted_processing_is_requeued_then_failed_after_max_attempts(journal):
    capture = _ingest(journal)
    for _ in range(3):
        assert [p.id for p in claim_pending(journal, 10)] == [capture["id"]]
        requeue_interrupted(journal, max_attempts=3)  # the worker "died" mid-processing
    stored = store.get_capture(journal, capture["id"])
    assert stored["status"] == "failed"
    assert "stopped the worker 3 times" in stored["error"]
    assert store.retry_capture(journal, capture["id"])["status"] == "queued"


def test_failed_capture_keeps_its_reason_and_can_be_retried(journal):
    capture = _ingest(journal)
    (pending,) = claim_pending(journal, 10)
    mark_failed(journal, pending.id, "analysis failed: ValueError")
    assert store.get_capture(journal, capture["id"])["error"] == "analysis failed: ValueError"
    store.retry_capture(journal, capture["id"])
    assert [p.id for p in claim_pending(journal, 10)] == [capture["id"]]


def test_new_snapshot_of_a_processed_capture_queues_it_again(journal):
    capture = _ingest(journal)
    (pending,) = claim_pending(journal, 10)
    save_analysis(journal, pending.id, _analysis("https://example.org/wal"))
    resend = {**capture, "html": "<p>changed a lot</p>"}
    assert store.ingest(journal, resend, max_queue=10) == "merged"
    assert store.get_capture(journal, capture["id"])["status"] == "queued"
    same_again = {**resend}
    store.ingest(journal, same_again, max_queue=10)
    (pending,) = claim_pending(journal, 10)
    assert pending.html == "<p>changed a lot</p>"


def test_queue_over_its_bound_refuses_new_captures_with_429(journal):
    _ingest(journal)
    capture = make_capture()
    capture["started_at"] = datetime.now(UTC)
    with pytest.raises(Exception) as caught:
        store.ingest(journal, capture, max_queue=1)
    assert caught.value.status == 429


def test_queue_bound_seeks_the_ends_of_the_inbox_instead_of_scanning_it(journal):
    with journal.reader() as conn:
        plan = [row["detail"] for row in conn.execute(f"EXPLAIN QUERY PLAN {store._INBOX_BOUND}")]
    assert plan.count("SEARCH inbox") == 2, plan
    assert not any(step.startswith("SCAN inbox") for step in plan), plan


def test_read_only_journal_reports_unavailable_not_a_crash(tmp_path):
    path = tmp_path / "ro" / "journal.db"
    Journal(path).close()
    uri_journal = Journal(path)
    uri_journal._writer.execute("PRAGMA query_only = ON")
    with pytest.raises(Unavailable) as caught:
        _ingest(uri_journal)
    assert caught.value.status == 503
    assert "read-only" in caught.value.message
    uri_journal.close()


def test_journal_opens_in_the_stock_sqlite3_shell(journal):
    _ingest(journal)
    result = subprocess.run(
        ["sqlite3", str(journal.path), "SELECT count(*) FROM captures; PRAGMA integrity_check;"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["1", "ok"]


def test_journal_opens_in_datasette(journal):
    capture = _ingest(journal)
    datasette = str(Path(sys.executable).parent / "datasette")
    result = subprocess.run(
        [datasette, str(journal.path), "--get", "/journal/captures.json?_shape=array"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert [row["id"] for row in json.loads(result.stdout)] == [capture["id"]]


def test_datasette_hides_the_full_text_index_and_its_terms_view(journal):
    # Datasette hides virtual tables `USING FTS…` (fts5vocab included) and the tables named
    # after them: the journal's own tables are what the user sees.
    datasette = str(Path(sys.executable).parent / "datasette")
    result = subprocess.run(
        [datasette, str(journal.path), "--get", "/journal.json"],
        capture_output=True,
        text=True,
        check=True,
    )
    tables = {table["name"]: table["hidden"] for table in json.loads(result.stdout)["tables"]}
    hidden = sorted(name for name, is_hidden in tables.items() if is_hidden)
    assert hidden == [
        "documents_fts",
        "documents_fts_config",
        "documents_fts_data",
        "documents_fts_docsize",
        "documents_fts_idx",
        "documents_terms",
    ]
    assert tables["captures"] is False and tables["documents"] is False


def test_concurrent_connection_sees_committed_captures(journal):
    _ingest(journal)
    other = sqlite3.connect(journal.path)
    assert other.execute("SELECT count(*) FROM captures").fetchone()[0] == 1
    other.close()


def _wal_restarts(wal: Path) -> int:
    """The WAL header's checkpoint sequence number: it grows by one each time the WAL restarts."""
    with wal.open("rb") as fh:
        return struct.unpack(">I", fh.read(16)[12:16])[0]


def test_steady_writes_do_not_grow_the_wal_without_bound(tmp_path, monkeypatch):
    # A checkpoint beside steady writes never reaches the WAL's end, so SQLite never restarts
    # it: without the writer's catch-up this loop restarts it 0 times and grows it to ~500 MB
    # (every page written). With it, the WAL restarts dozens of times and stays a small part of
    # what was written. (Sizes at fixed times were load-sensitive: a busy machine delays the
    # checkpointer, and the WAL file keeps its largest size.)
    monkeypatch.setattr(core, "_WAL_REWIND_PAGES", 200)
    monkeypatch.setattr(core, "_CHECKPOINT_INTERVAL_S", 0.05)
    journal = Journal(tmp_path / "j.db")
    with journal.transaction() as conn:
        conn.execute("CREATE TABLE filler (blob BLOB)")
    wal = Path(f"{journal.path}-wal")
    restarts_before, writes, started = _wal_restarts(wal), 0, time.monotonic()
    # At least 3 s and 2,000 writes (~10 WAL rewinds' worth): on a loaded machine 3 s alone held
    # too few writes to restart the WAL three times
    while (writes < 2000 or time.monotonic() - started < 3) and time.monotonic() - started < 60:
        with journal.transaction() as conn:
            conn.execute("INSERT INTO filler VALUES (randomblob(3000))")
        writes += 1
    restarts, size = _wal_restarts(wal) - restarts_before, wal.stat().st_size
    journal.close()
    assert restarts >= 3, restarts
    assert size < 0.25 * writes * 4096, (size, writes)


def test_a_threads_history_reads_the_learning_index_not_the_capture_rows(journal):
    with journal.reader() as conn:
        plan = [
            row["detail"]
            for row in conn.execute(f"EXPLAIN QUERY PLAN {_HISTORY_SQL}", ("[1, 2]", "2026-06-01"))
        ]
    assert any("COVERING INDEX capture_concepts_by_concept" in step for step in plan), plan
    assert any("INDEX captures_learning_by_id" in step for step in plan), plan
