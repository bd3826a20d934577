"""The full-text index's upkeep: its segments merged into one after a backfill, or once a day,
when the worker falls idle; searches find the same captures after as before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from companion.journal import captures as store
from companion.journal import search_index
from companion.journal.processing import get_state
from companion.journal.search import search
from companion.journal.search_index import merge_segments, merge_when_due, segment_count
from companion.worker import IDLE_OR_STOPPED, run_worker
from tests.companion.week_seed import analysis, seed
from tests.support import make_capture

_WORDS = ("checkpoint", "readers", "writer", "segment", "merge", "vacuum", "journal", "index")


def _text(n: int) -> str:
    return " ".join(_WORDS[(n + i) % len(_WORDS)] for i in range(12)) + f" page{n}"


def _seed_pages(journal, count: int, start: int = 0) -> None:
    """`count` processed pages, each written in transactions of its own (as the worker does)."""
    for n in range(start, start + count):
        seed(journal, "2026-11-24", ["WAL"], url=f"https://docs.example.org/{n}", text=_text(n))


def _stored_segments(journal) -> int:
    """The segments whose pages the index's table holds (FTS5 keeps a segment's id in its rows'
    ids, from bit 37): what `segment_count` reads from the structure record, counted apart."""
    with journal.reader() as conn:
        return conn.execute(
            "SELECT count(DISTINCT id >> 37) FROM documents_fts_data WHERE id >= (1 << 37)"
        ).fetchone()[0]


def _segments(journal) -> int:
    with journal.reader() as conn:
        return segment_count(conn)


class _Analyzer:
    """Stands in for `nlp.Analyzer`: each page's analysis, its words drawn from its URL."""

    def analyze_many(self, pages, corrections):
        return [
            SimpleNamespace(to_dict=lambda url=page.url: analysis(url, ["WAL"], text=_text(7)))
            for page in pages
        ]


def _backlog(journal, count: int) -> None:
    for n in range(count):
        capture = make_capture(url=f"https://docs.example.org/backlog/{n}")
        capture["started_at"] = datetime.fromisoformat(capture["started_at"])
        store.ingest(journal, capture, max_queue=10_000)


def _run_worker_until_idle(settings) -> None:
    code = run_worker(settings, analyzer_factory=lambda model: _Analyzer())
    assert code == IDLE_OR_STOPPED


def test_an_empty_index_has_no_segment(journal):
    assert _segments(journal) == 0


def test_the_segment_count_is_the_number_of_segments_the_index_stores(journal):
    _seed_pages(journal, 30)
    assert _segments(journal) == _stored_segments(journal) > 1


def test_merging_leaves_one_segment_and_every_search_finds_the_same(journal):
    _seed_pages(journal, 40)
    queries = ["checkpoint", "page17", "readers writer", "segm"]
    before = {q: search(journal, q, limit=100) for q in queries}
    assert _segments(journal) > 1

    assert merge_segments(journal) is True
    assert _segments(journal) == _stored_segments(journal) == 1
    assert {q: search(journal, q, limit=100) for q in queries} == before
    assert before["page17"]["total"] == 1 and before["checkpoint"]["total"] == 40


@pytest.fixture
def worker_settings(settings_factory):
    return settings_factory(worker_idle_seconds=0.3, worker_poll_seconds=0.05)


def test_the_worker_merges_the_index_when_it_falls_idle_after_a_backfill(
    monkeypatch, worker_settings, journal_factory
):
    monkeypatch.setattr(search_index, "BACKFILL_DOCUMENTS", 30)
    journal = journal_factory(worker_settings.db_path)
    _seed_pages(journal, 5)
    merge_segments(journal)  # merged today already: only a backfill merges again before tomorrow
    _backlog(journal, 40)

    _run_worker_until_idle(worker_settings)
    assert store.count_by_status(journal)["processed"] == 45
    assert _segments(journal) == _stored_segments(journal) == 1


def test_a_merge_asked_to_stop_stops_between_two_steps_and_records_nothing(journal):
    _seed_pages(journal, 40)
    asked = []

    def keep_going() -> bool:
        asked.append(1)
        return len(asked) < 2  # one step, then stop

    assert merge_segments(journal, keep_going) is False
    assert len(asked) == 2  # asked before each step: it stopped before the second
    assert get_state(journal, "search_index") is None  # no finished merge recorded
    assert merge_segments(journal) is True  # the next one carries on and finishes
    assert get_state(journal, "search_index") is not None
    assert _segments(journal) == 1


def test_without_a_backfill_the_worker_merges_at_most_once_a_day(
    monkeypatch, worker_settings, journal_factory
):
    monkeypatch.setattr(search_index, "BACKFILL_DOCUMENTS", 30)
    journal = journal_factory(worker_settings.db_path)
    _backlog(journal, 10)
    _run_worker_until_idle(worker_settings)  # the first merge of this journal: due at once
    assert _segments(journal) == 1

    _backlog(journal, 10)  # fewer new documents than a backfill, the same day
    _run_worker_until_idle(worker_settings)
    assert _segments(journal) > 1
    assert merge_when_due(journal) is False
    assert merge_when_due(journal, now=datetime.now(UTC) + timedelta(days=1)) is True
    assert _segments(journal) == 1
    # one segment: nothing to merge, whatever the day
    assert merge_when_due(journal, now=datetime.now(UTC) + timedelta(days=2)) is False
