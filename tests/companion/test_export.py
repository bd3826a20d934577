"""`journal.export` and its formats: every capture with its tags, concepts, search and its week's
reflections, streamed (memory does not follow the journal's size)."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from datetime import date

from companion.export_formats import FORMATS, write_csv, write_jsonl, write_markdown
from companion.journal import Journal
from companion.journal.export import count_captures, export_records
from tests.companion.week_seed import seed, small_journal

PAGE_TEXT = "SQLite in WAL mode lets readers run while a writer commits. " * 40


def test_records_come_oldest_first_with_each_weeks_reflections_before_its_captures(journal):
    ids = small_journal(journal)
    records = list(export_records(journal, with_text=True))
    assert [(r["type"], r.get("title") or r["prompt"]) for r in records] == [
        ("reflection", "What stuck?"),
        ("capture", "WAL mode"),
        ("capture", "Cat videos"),
        ("capture", "Borrowing [2]"),
    ]  # the draft of 2026-W49 is not exported
    wal = records[1]
    assert wal["id"] == ids["WAL mode"]
    assert (wal["week"], wal["day"]) == ("2026-W48", "2026-11-24")
    assert wal["search_query"] == "sqlite wal readers"
    assert wal["concepts"] == ["SQLite WAL", "Checkpoints"]
    assert (wal["is_learning"], wal["form"], wal["source_kind"]) == (True, "deep-dive", "tutorial")
    assert wal["text"] == "Readers run while a writer commits."
    assert records[2]["is_learning"] is False
    assert records[0]["answer"] == "WAL *readers*"


def test_filters_keep_a_range_of_days_and_learning_only(journal):
    small_journal(journal)
    learning = list(export_records(journal, learning_only=True))
    assert [r.get("title") for r in learning] == [None, "WAL mode", "Borrowing [2]"]
    later = list(export_records(journal, since=date(2026, 11, 25), until=date(2026, 12, 1)))
    assert [r.get("title") for r in later] == [None, "Cat videos", "Borrowing [2]"]
    december = list(export_records(journal, since=date(2026, 11, 30)))
    assert [r.get("title") for r in december] == ["Borrowing [2]"]  # W48's reflection left out
    assert count_captures(journal, since=date(2026, 11, 25), learning_only=True) == 1
    assert "text" not in december[0]


def test_the_three_formats_hold_tags_concepts_search_and_reflections(journal):
    small_journal(journal)
    lines = _written(write_jsonl, journal).splitlines()
    assert [json.loads(line)["type"] for line in lines] == ["reflection"] + ["capture"] * 3
    assert json.loads(lines[1])["concepts"] == ["SQLite WAL", "Checkpoints"]

    rows = list(csv.DictReader(io.StringIO(_written(write_csv, journal))))
    assert [row["type"] for row in rows] == ["reflection", "capture", "capture", "capture"]
    reflection = (rows[0]["prompt"], rows[0]["answer"], rows[0]["week"])
    assert reflection == ("What stuck?", "WAL *readers*", "2026-W48")
    assert rows[1]["concepts"] == "SQLite WAL; Checkpoints"
    assert (rows[1]["search_query"], rows[1]["form"], rows[1]["is_learning"]) == (
        "sqlite wal readers",
        "deep-dive",
        "True",
    )
    assert "text" not in rows[1]

    markdown = _written(write_markdown, journal, with_text=True)
    assert markdown.startswith("# Inflow journal\n\n## 2026-W48\n\n### Reflections\n")
    assert "**What stuck?**\n\n> WAL *readers*\n" in markdown
    assert "\n### 2026-11-24\n\n- [WAL mode](<https://docs.example.org/" in markdown
    assert "10 minutes · learning (deep-dive, reading, tutorial, education)" in markdown
    assert "concepts: SQLite WAL, Checkpoints · searched “sqlite wal readers”" in markdown
    assert "  > Readers run while a writer commits." in markdown
    assert "[Borrowing \\[2\\]](<" in markdown  # page titles never become Markdown
    assert "\n## 2026-W49\n" in markdown
    assert "a draft, never out" not in markdown


def _written(writer, journal: Journal, *, with_text: bool = False) -> str:
    out = io.StringIO()
    writer(export_records(journal, with_text=with_text), out, with_text=with_text)
    return out.getvalue()


def _journal_of(path, captures: int) -> Journal:
    """A journal with `captures` processed captures, each with a page text and four concepts.

    Twenty go through the journal's own write path; the rest are their copies, made in SQL
    (the write path would take minutes for thousands).
    """
    journal = Journal(path)
    for n in range(20):
        seed(
            journal,
            f"2026-11-{1 + n:02d}",
            ["SQLite WAL", "Readers", "Writers", f"Topic {n}"],
            url=f"https://docs.example.org/{n}",
            text=PAGE_TEXT,
            search_query=f"question {n}",
        )
    with journal.transaction() as conn:
        conn.execute(
            """WITH RECURSIVE copy(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM copy WHERE n < ?)
               INSERT INTO captures (id, url, site, title, kind, started_at, day, engaged_seconds,
                   search_query, status, received_at, updated_at, document_id, is_learning,
                   learning_score, reasons, form, modality, source_kind, four_e)
               SELECT id || '-' || n, url, site, title, kind, started_at, day, engaged_seconds,
                   search_query, status, received_at, updated_at, document_id, is_learning,
                   learning_score, reasons, form, modality, source_kind, four_e
               FROM captures, copy""",
            (captures // 20 - 1,),
        )
        conn.execute(
            """INSERT INTO capture_concepts (capture_id, concept_id, score, rank)
               SELECT c.id, cc.concept_id, cc.score, cc.rank FROM captures c
               JOIN capture_concepts cc ON cc.capture_id = substr(c.id, 1, 36)
               WHERE length(c.id) > 36"""
        )
    return journal


def _export_peak(journal: Journal, name: str) -> tuple[int, int]:
    """Export in format `name` with the text to a sink; return (bytes written, peak memory)."""

    class Sink:
        written = 0

        def write(self, text: str) -> int:
            self.written += len(text)
            return len(text)

    sink = Sink()
    tracemalloc.start()
    try:
        FORMATS[name](export_records(journal, with_text=True), sink, with_text=True)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return sink.written, peak


def test_an_export_streams_four_times_the_journal_in_the_same_memory(tmp_path):
    small = _journal_of(tmp_path / "small.db", 2_000)
    large = _journal_of(tmp_path / "large.db", 8_000)
    try:
        assert count_captures(large) == 8_000
        for name in FORMATS:
            small_bytes, small_peak = _export_peak(small, name)
            large_bytes, large_peak = _export_peak(large, name)
            assert large_bytes > 3.9 * small_bytes  # four times the text went out…
            assert large_peak < 1.5 * small_peak + 64_000, name  # …through the same memory
    finally:
        small.close()
        large.close()
