"""`inflow today`, `week` and `status` only read the journal: nothing made, nothing changed."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
from datetime import datetime

import pytest
from sqlite_utils import Database

from companion.errors import NotFound, Unavailable
from companion.journal import Journal, ReadOnlyJournal
from companion.journal import captures as store
from companion.journal.migrations import MIGRATIONS
from companion.journal.processing import mark_failed
from tests.support import make_capture


def _inflow(*args: str, data_dir) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "companion.cli", *args, "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _ingest(journal: Journal, **fields) -> dict:
    capture = make_capture(**fields)
    capture["started_at"] = datetime.fromisoformat(capture["started_at"])
    store.ingest(journal, capture, max_queue=1000)
    return capture


@pytest.mark.parametrize("command", [["today"], ["week"], ["today", "--json"], ["week", "--json"]])
def test_a_report_without_a_journal_says_so_and_creates_nothing(tmp_path, command):
    nowhere = tmp_path / "nowhere"
    result = _inflow(*command, data_dir=nowhere)
    assert result.returncode == 1
    assert result.stdout == ""
    assert f"no journal at {nowhere / 'journal.db'}" in result.stderr
    assert "inflow serve" in result.stderr
    assert "Traceback" not in result.stderr
    assert not nowhere.exists()


def test_the_read_only_journal_refuses_every_write(tmp_path):
    Journal(tmp_path / "journal.db").close()
    with ReadOnlyJournal(tmp_path / "journal.db") as journal, journal.reader() as conn:
        with pytest.raises(sqlite3.OperationalError, match="readonly|read-only|query_only"):
            conn.execute("CREATE TABLE intruder (x)")
        assert conn.execute("SELECT count(*) FROM captures").fetchone()[0] == 0


def test_the_read_only_journal_reads_a_journal_being_written(journal):
    _ingest(journal, url="https://docs.example.org/one")
    with ReadOnlyJournal(journal.path) as reader:
        assert store.count_by_status(reader)["queued"] == 1
        _ingest(journal, url="https://docs.example.org/two")  # the WAL holds it, uncheckpointed
        assert store.count_by_status(reader)["queued"] == 2
        assert reader.schema_version == journal.schema_version


def test_a_journal_from_an_older_inflow_asks_for_the_companion_to_update_it(tmp_path):
    db = Database(tmp_path / "journal.db")
    MIGRATIONS.apply(db, stop_before="m002_week")
    db.close()
    with pytest.raises(Unavailable, match="older Inflow.*inflow serve"):
        ReadOnlyJournal(tmp_path / "journal.db")
    assert Database(tmp_path / "journal.db").execute("SELECT count(*) FROM captures").fetchone()


def test_a_missing_journal_is_not_found(tmp_path):
    with pytest.raises(NotFound, match="no journal"):
        ReadOnlyJournal(tmp_path / "journal.db")
    assert list(tmp_path.iterdir()) == []


def test_count_by_status_counts_failed_captures(journal):
    failed = _ingest(journal, url="https://docs.example.org/broken")
    _ingest(journal, url="https://docs.example.org/fine")
    mark_failed(journal, failed["id"], "the page could not be read")
    assert store.count_by_status(journal) == {
        "queued": 1,
        "processing": 0,
        "processed": 0,
        "failed": 1,
    }


def test_status_reports_the_running_companion_the_queue_and_the_journal(companion_server):
    companion = companion_server(extra_args=["--no-worker"])
    with companion.client() as client:
        for n in range(2):
            capture = make_capture(url=f"https://docs.example.org/{n}")
            assert client.post("/api/v1/captures", json=capture).status_code == 202
    result = _inflow("status", "--json", data_dir=companion.data_dir)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["companion"]["answering"] is True
    assert report["companion"]["url"] == companion.base_url
    assert report["journal"]["captures"] == 2
    assert report["journal"]["queued"] == 2
    assert report["journal"]["failed"] == 0
    assert report["journal"]["bytes"] > 0
    text = _inflow("status", data_dir=companion.data_dir).stdout
    assert f"companion: answering at {companion.base_url}" in text
    assert "2 waiting for analysis" in text


def test_status_without_a_companion_or_journal_says_so_and_creates_nothing(tmp_path):
    nowhere = tmp_path / "nowhere"
    result = _inflow("status", "--port", "9", data_dir=nowhere)
    assert result.returncode == 3
    assert "companion: not answering at http://127.0.0.1:9" in result.stdout
    assert "inflow service install" in result.stdout
    assert f"journal:   none yet at {nowhere / 'journal.db'}" in result.stdout
    assert not nowhere.exists()


def test_status_tells_a_companion_of_another_data_folder_apart(companion_server, tmp_path):
    companion = companion_server(extra_args=["--no-worker"])
    other = tmp_path / "other"
    other.mkdir()
    (other / "token").write_text("not-that-companions-token\n")
    result = _inflow("status", "--json", "--port", str(companion.port), data_dir=other)
    assert result.returncode == 3
    assert "another data folder" in json.loads(result.stdout)["companion"]["problem"]


def test_reports_run_beside_a_companion_that_is_writing(companion_server):
    companion = companion_server(extra_args=["--no-worker"])
    stop, sent = threading.Event(), []

    def keep_writing() -> None:
        with companion.client() as client:
            while not stop.is_set():
                capture = make_capture(url=f"https://docs.example.org/w/{len(sent)}")
                assert client.post("/api/v1/captures", json=capture).status_code == 202
                sent.append(capture["id"])

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        reports = [
            _inflow(*command, data_dir=companion.data_dir)
            for command in (["status", "--json"], ["today", "--json"], ["status", "--json"])
        ]
    finally:
        stop.set()
        writer.join()
    assert [r.returncode for r in reports] == [0, 0, 0], [r.stderr for r in reports]
    first, last = (json.loads(r.stdout)["journal"]["captures"] for r in (reports[0], reports[2]))
    assert 0 < first <= last <= len(sent)
