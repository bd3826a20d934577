"""`inflow search` and `inflow export`: read-only, clear without a journal, a bar only on a
terminal."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys

import pytest

from companion.journal import Journal
from tests.companion.week_seed import small_journal


def _inflow(*args: str, data_dir, **run) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "companion.cli", *args, "--data-dir", str(data_dir)],
        capture_output="stderr" not in run,
        text=True,
        timeout=120,
        **run,
    )


@pytest.fixture
def data_dir(tmp_path):
    journal = Journal(tmp_path / "journal.db")
    try:
        small_journal(journal)
    finally:
        journal.close()
    return tmp_path


@pytest.mark.parametrize("command", [["search", "wal"], ["export", "--format", "csv"]])
def test_search_and_export_without_a_journal_say_so_and_create_nothing(tmp_path, command):
    nowhere = tmp_path / "nowhere"
    result = _inflow(*command, data_dir=nowhere)
    assert result.returncode == 1
    assert (result.stdout, "Traceback" in result.stderr) == ("", False)
    assert f"no journal at {nowhere / 'journal.db'}" in result.stderr
    assert not nowhere.exists()


def test_search_prints_the_pages_that_match_with_their_week_and_snippet(data_dir):
    result = _inflow("search", "writer", "commits", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "WAL mode",
        f"  {_url_of(data_dir, 'WAL mode')}",
        "  2026-11-24 (2026-W48) · docs.example.org · learning",
        "  Readers run while a writer commits.",
    ]
    assert result.stderr.strip() == "1 capture matches"
    as_json = json.loads(_inflow("search", "borrow", "--json", data_dir=data_dir).stdout)
    assert [(i["title"], i["week"]) for i in as_json["items"]] == [("Borrowing [2]", "2026-W49")]
    assert {"text": "borrow", "hit": True} in as_json["items"][0]["snippet"]
    filtered = _inflow("search", "borrow", "--week", "2026-W48", "--json", data_dir=data_dir)
    assert json.loads(filtered.stdout)["items"] == []
    bad = _inflow("search", "borrow", "--week", "soon", data_dir=data_dir)
    assert (bad.returncode, "not an ISO week" in bad.stderr) == (1, True)


def _url_of(data_dir, title: str) -> str:
    exported = _inflow("export", data_dir=data_dir).stdout.splitlines()
    (url,) = [json.loads(line)["url"] for line in exported if title in line]
    return url


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "markdown"])
def test_export_writes_each_format_to_a_file_and_leaves_the_journal_as_it_was(data_dir, fmt):
    before = (data_dir / "journal.db").read_bytes()
    out = data_dir / f"journal.{fmt}"
    args = ("export", "--format", fmt, "--learning-only", "-o", str(out))
    result = _inflow(*args, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    assert ("WAL mode" in text, "Cat videos" in text, "What stuck?" in text) == (True, False, True)
    assert "[####" not in result.stderr  # not a terminal: no progress bar
    assert (data_dir / "journal.db").read_bytes() == before


def test_export_draws_a_progress_bar_on_a_terminal_only(data_dir):
    main, terminal = pty.openpty()
    try:
        result = _inflow("export", data_dir=data_dir, stdout=subprocess.PIPE, stderr=terminal)
        drawn = os.read(main, 65536).decode()
    finally:
        os.close(main)
        os.close(terminal)
    assert result.returncode == 0
    assert "[" + "#" * 30 + "] 3/3 captures" in drawn
    assert len(result.stdout.splitlines()) == 4  # the records went to stdout, the bar did not
