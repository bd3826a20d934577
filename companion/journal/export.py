"""The journal taken out: every capture with its tags, concepts, search and its week's reflections.

`export_records(journal, ...)` is a generator over one read cursor: a 100k-capture journal is
exported one row at a time, never held in memory (the formats that write it are in
`companion.export_formats`). Records come oldest first, two kinds in one stream:

    {"type": "reflection", "week", "prompt", "answer", ...}
        a week's saved answer, placed before the first capture of its week;
    {"type": "capture", "id", "week", "day", "url", ..., "concepts": [...]}
        one visit with its learning tags, its concepts (best first), `text` on demand.

Drafts (unsaved answers) are never exported. `count_captures` says how many captures the same
filters give, for a progress bar.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import date

from companion.journal.core import Journal
from companion.journal.week_history import iso_week_of

__all__ = ["CAPTURE_FIELDS", "REFLECTION_FIELDS", "count_captures", "export_records"]

#: A capture record's fields, in order (`text` only when asked for).
CAPTURE_FIELDS = (
    "type",
    "id",
    "week",
    "day",
    "started_at",
    "ended_at",
    "url",
    "site",
    "title",
    "kind",
    "engaged_seconds",
    "scroll_depth",
    "search_query",
    "status",
    "is_learning",
    "learning_score",
    "form",
    "modality",
    "source_kind",
    "four_e",
    "tags_corrected",
    "concepts",
    "text",
)
#: A reflection record's fields, in order.
REFLECTION_FIELDS = ("type", "week", "prompt", "answer", "created_at", "updated_at")

# The columns a capture record copies as they are.
_PLAIN = (
    "day",
    "started_at",
    "ended_at",
    "url",
    "site",
    "title",
    "kind",
    "engaged_seconds",
    "scroll_depth",
    "search_query",
    "status",
)
_TAGS = ("learning_score", "form", "modality", "source_kind", "four_e")
# Concepts of a capture as a JSON list of labels, best first (a merge moves the links).
_CONCEPTS_SQL = """(SELECT json_group_array(label) FROM (
        SELECT k.label FROM capture_concepts cc JOIN concepts k ON k.id = cc.concept_id
        WHERE cc.capture_id = c.id ORDER BY cc.rank))"""


def _where(since: date | None, until: date | None, learning_only: bool) -> tuple[str, list]:
    where, params = [], []
    if since:
        where.append("c.day >= ?")
        params.append(since.isoformat())
    if until:
        where.append("c.day <= ?")
        params.append(until.isoformat())
    if learning_only:
        where.append("c.is_learning = 1")
    return (f"WHERE {' AND '.join(where)}" if where else ""), params


def count_captures(
    journal: Journal,
    *,
    since: date | None = None,
    until: date | None = None,
    learning_only: bool = False,
) -> int:
    """How many captures `export_records` gives with the same filters."""
    clause, params = _where(since, until, learning_only)
    with journal.reader() as conn:
        return conn.execute(f"SELECT count(*) FROM captures c {clause}", params).fetchone()[0]


def export_records(
    journal: Journal,
    *,
    since: date | None = None,
    until: date | None = None,
    learning_only: bool = False,
    with_text: bool = False,
) -> Iterator[dict]:
    """Yield every capture between `since` and `until` (days, both included), oldest first,
    and the saved reflections of their weeks, each week's before its first capture.

    `learning_only` keeps learning captures only; `with_text` adds each page's main text.
    Reflections of a week in the range without captures still come, in their place.
    """
    clause, params = _where(since, until, learning_only)
    text = "d.text" if with_text else "NULL"
    with journal.reader() as conn:
        pending = _reflections(conn, since, until)  # small: a few answers a week
        # Walking the time index needs no sort: nothing is gathered, whatever the range.
        rows = conn.execute(
            f"""SELECT c.*, {_CONCEPTS_SQL} AS concept_labels, {text} AS page_text
                FROM captures c INDEXED BY captures_by_started
                LEFT JOIN documents d ON d.id = c.document_id
                {clause} ORDER BY c.started_at, c.id""",
            params,
        )
        for row in rows:
            record = _capture(row, with_text)
            while pending and pending[0]["week"] <= record["week"]:
                yield pending.pop(0)
            yield record
        yield from pending


def _reflections(conn: sqlite3.Connection, since: date | None, until: date | None) -> list[dict]:
    first = iso_week_of(since) if since else ""
    last = iso_week_of(until) if until else "9999"
    rows = conn.execute(
        """SELECT week, prompt, answer, created_at, updated_at FROM reflections
           WHERE answer != '' AND week BETWEEN ? AND ? ORDER BY week, created_at, id""",
        (first, last),
    )
    return [{"type": "reflection", **dict(row)} for row in rows]


def _capture(row: sqlite3.Row, with_text: bool) -> dict:
    record = {
        "type": "capture",
        "id": row["id"],
        "week": iso_week_of(date.fromisoformat(row["day"])),
        **{key: row[key] for key in _PLAIN},
        "is_learning": None if row["is_learning"] is None else bool(row["is_learning"]),
        **{key: row[key] for key in _TAGS},
        "tags_corrected": bool(row["tags_corrected"]),
        "concepts": json.loads(row["concept_labels"]),
    }
    if with_text:
        record["text"] = row["page_text"]
    return record
