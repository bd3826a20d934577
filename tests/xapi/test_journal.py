"""The journal's side of sharing (migration m006): private marks and sent records."""

from __future__ import annotations

import pytest

from companion.journal.forget import delete_capture, forget
from companion.journal.xapi import mark_private, record_sent, shareable_captures
from tests.companion.week_seed import seed

ENDPOINT = "https://lrs.example.org/xapi/"


def test_forgetting_a_shared_private_capture_removes_its_marks_too(journal):
    kept = seed(journal, "2026-11-24", ["SQLite WAL"], url="https://docs.example.org/wal")
    gone = seed(journal, "2026-11-24", ["SQLite WAL"], url="https://blog.example.net/wal")
    other = seed(journal, "2026-11-25", ["SQLite WAL"], url="https://docs.example.org/fts")
    for capture_id in (kept, gone, other):
        mark_private(journal, capture_id)
    record_sent(journal, ENDPOINT, [("s-1", gone, "sent"), ("s-2", other, "already_there")])
    assert forget(journal, site="blog.example.net", url_prefix=None, deny=False) == 1
    delete_capture(journal, other)
    [left] = shareable_captures(journal, "2026-11-23", "2026-11-29")
    assert (left["id"], left["private"], left["shared"]) == (kept, True, [])


def test_a_record_for_a_capture_forgotten_meanwhile_is_dropped_and_a_repeat_is_kept_once(
    journal,
):
    capture_id = seed(journal, "2026-11-24", ["SQLite WAL"])
    record_sent(journal, ENDPOINT, [("s-1", capture_id, "sent"), ("s-9", "gone", "sent")])
    record_sent(journal, ENDPOINT, [("s-1", capture_id, "already_there")])
    [item] = shareable_captures(journal, "2026-11-23", "2026-11-29")
    assert [(s["statement_id"], s["status"]) for s in item["shared"]] == [("s-1", "sent")]
    with pytest.raises(ValueError):
        record_sent(journal, ENDPOINT, [("s-2", capture_id, "failed")])
