"""The full-text index's upkeep: its segments merged into one at quiet moments.

FTS5 writes the words of each transaction as a new segment of the index and merges segments
only a few at a time as they pile up, so a journal written over many transactions keeps many:
19 after the 100,000 captures of the scale benchmark, each of which every search reads (merged
into one, a common word's search takes half the CPU: bench/README.md, run S3). `merge_segments`
merges them all into one in steps of `_MERGE_PAGES` pages, each its own transaction, so the
API's writes wait for one step at most (there: 120 steps in 4.3 s, 33 ms each, 0.2 s at most),
not for the whole merge (FTS5's `optimize` holds the write lock throughout: 3.9 s). When:

- after a backfill: the worker, when it falls idle, merges at once if `BACKFILL_DOCUMENTS` new
  documents came since the last merge (the outbox's flush after days offline, a first import;
  `bench.synth` merges its synthetic journal likewise);
- otherwise at most once a day (`MERGE_EVERY`), when the worker falls idle (`merge_when_due`).

Deleting pages rewrites the whole index at once instead (`rewrite_index`, see `forget`): only a
rewrite takes the deleted words out of the file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from companion.journal.core import Journal
from companion.journal.processing import get_state, set_state

__all__ = [
    "BACKFILL_DOCUMENTS",
    "MERGE_EVERY",
    "merge_segments",
    "merge_when_due",
    "rewrite_index",
    "segment_count",
]

#: New documents since the last merge that make the worker's next idle moment merge at once.
BACKFILL_DOCUMENTS = 2_000
#: Otherwise the worker merges at most this often.
MERGE_EVERY = timedelta(days=1)
# Pages (~4 KB each) one merge step writes: 33 ms a step at 100k captures (bench/README.md).
_MERGE_PAGES = 500
_STATE_KEY = "search_index"
_INDEX = "documents_fts"
# The index's structure record (row 10 of FTS5's `%_data`); the mark a version 2 one starts with.
_STRUCTURE_ROWID = 10
_STRUCTURE_V2 = b"\xff\x00\x00\x01"


def segment_count(conn: sqlite3.Connection) -> int:
    """How many segments the full-text index holds (1 once merged; 0 when empty).

    Read from FTS5's structure record: a 4-byte cookie, FTS5's version 2 mark if present, then
    the number of levels and of segments as varints.
    """
    row = conn.execute(
        f"SELECT block FROM {_INDEX}_data WHERE id = ?", (_STRUCTURE_ROWID,)
    ).fetchone()
    if row is None:
        return 0
    record = row[0]
    start = 8 if record[4:8] == _STRUCTURE_V2 else 4
    _levels, after = _varint(record, start)
    segments, _ = _varint(record, after)
    return segments


def _varint(data: bytes, at: int) -> tuple[int, int]:
    """The SQLite varint at `data[at:]` (big-endian, 7 bits a byte, a 9th of 8): (value, end)."""
    value = 0
    for index in range(at, at + 9):
        byte = data[index]
        if index == at + 8:
            return (value << 8) | byte, index + 1
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value, index + 1
    raise AssertionError("unreachable: a varint is at most 9 bytes")


def merge_segments(journal: Journal, keep_going: Callable[[], bool] = lambda: True) -> bool:
    """Merge the full-text index's segments into one, in short transactions; return whether it
    finished.

    The first step puts every segment on one level; the next ones finish that merge even if new
    segments arrive meanwhile (FTS5's `merge` command), until a step changes nothing. Records
    when it finished and the newest document then (`merge_when_due` reads both). Stops early,
    recording nothing, when `keep_going()` turns false (the worker asked to stop): every step
    is whole, and the next merge carries on from there.
    """
    command = f"INSERT INTO {_INDEX} ({_INDEX}, rank) VALUES ('merge', ?)"
    pages = -_MERGE_PAGES  # negative: every level at once, as few as two segments
    while True:
        if not keep_going():
            return False
        with journal.transaction() as conn:
            before = conn.total_changes
            conn.execute(command, (pages,))
            changed = conn.total_changes - before
        pages = _MERGE_PAGES
        if changed < 2:  # FTS5's word for "nothing left to merge"
            break
    set_state(journal, _STATE_KEY, {"newest_document": _newest_document(journal)})
    return True


def merge_when_due(
    journal: Journal, now: datetime | None = None, keep_going: Callable[[], bool] = lambda: True
) -> bool:
    """Merge the index's segments if it has several and a backfill or a day came since the last
    merge (see the module); return whether it merged them into one. For the worker's idle
    moments; `keep_going` as for `merge_segments`."""
    now = now or datetime.now(UTC)
    last = get_state(journal, _STATE_KEY)
    with journal.reader() as conn:
        if segment_count(conn) < 2:
            return False
    if last is not None:
        backfill = _newest_document(journal) - last["newest_document"] >= BACKFILL_DOCUMENTS
        if not backfill and now - datetime.fromisoformat(last["updated_at"]) < MERGE_EVERY:
            return False
    return merge_segments(journal, keep_going)


def _newest_document(journal: Journal) -> int:
    with journal.reader() as conn:
        return conn.execute("SELECT coalesce(max(id), 0) FROM documents").fetchone()[0]


def rewrite_index(conn: sqlite3.Connection) -> None:
    """Rewrite the whole index in the caller's transaction (FTS5's `optimize`): the words of
    deleted documents leave the file, and the index is one segment."""
    conn.execute(f"INSERT INTO {_INDEX} ({_INDEX}) VALUES ('optimize')")
