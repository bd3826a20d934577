"""What the user may share with a Learning Record Store, and what was shared: the journal side.

`shareable_captures` reads one week's learning captures with everything a statement needs (the
page's canonical URL, description and language, the concepts); `companion.xapi` turns them into
statements. A capture marked private (`mark_private`) is listed as such and never sent; what an
LRS stored (or already held) is recorded per endpoint (`record_sent`) so a re-send skips it.
"""

from __future__ import annotations

import json
import sqlite3

from companion.errors import NotFound
from companion.journal.core import Journal, utc_now
from companion.journal.today import LEARNING_SECONDS_SQL, PAGE_SQL

__all__ = [
    "SENT_STATUSES",
    "clear_private",
    "mark_private",
    "record_sent",
    "shareable_captures",
]

#: How a statement came to be in an LRS: stored by this send, or found already there.
SENT_STATUSES = ("sent", "already_there")
_CONCEPTS_PER_CAPTURE = 10


def shareable_captures(journal: Journal, start: str, end: str) -> list[dict]:
    """The learning captures of the days `start`…`end` (YYYY-MM-DD), first visited first.

    Each is a dict with the capture's facts (`id`, `url`, `canonical_url`, `title`,
    `description`, `language`, `kind`, `day`, `started_at`, `seconds`, `search_query`, `form`,
    `modality`, `four_e`, `source_kind`, `media`, `page`: the key the weekly page groups visits
    by), its `concepts` (labels, best first), whether
    it is `private`, and `shared`: where it went (`[{"endpoint", "statement_id", "status",
    "sent_at"}]`).
    """
    with journal.reader() as conn:
        rows = conn.execute(
            f"""SELECT c.id, c.url, c.title, c.kind, c.day, c.started_at, c.search_query,
                       c.form, c.modality, c.four_e, c.source_kind, c.media_duration,
                       c.media_watched_seconds, c.media_ended, c.media_playback_rate,
                       {LEARNING_SECONDS_SQL} AS seconds, {PAGE_SQL} AS page,
                       d.canonical_url, d.title AS document_title, d.description, d.language,
                       p.capture_id IS NOT NULL AS private
                FROM captures c
                LEFT JOIN documents d ON d.id = c.document_id
                LEFT JOIN xapi_private p ON p.capture_id = c.id
                WHERE c.day BETWEEN ? AND ? AND c.is_learning = 1
                ORDER BY c.started_at, c.id""",
            (start, end),
        ).fetchall()
        ids = json.dumps([row["id"] for row in rows])
        concepts: dict[str, list[str]] = {}
        for capture_id, label in conn.execute(
            """SELECT cc.capture_id, k.label FROM capture_concepts cc
               JOIN concepts k ON k.id = cc.concept_id
               WHERE cc.capture_id IN (SELECT value FROM json_each(?)) AND cc.rank < ?
               ORDER BY cc.capture_id, cc.rank""",
            (ids, _CONCEPTS_PER_CAPTURE),
        ):
            concepts.setdefault(capture_id, []).append(label)
        shared: dict[str, list[dict]] = {}
        for row in conn.execute(
            """SELECT capture_id, endpoint, statement_id, status, sent_at FROM xapi_sent
               WHERE capture_id IN (SELECT value FROM json_each(?)) ORDER BY sent_at""",
            (ids,),
        ):
            shared.setdefault(row["capture_id"], []).append(
                {key: row[key] for key in ("endpoint", "statement_id", "status", "sent_at")}
            )
    return [_shareable(row, concepts.get(row["id"], []), shared.get(row["id"], [])) for row in rows]


def _shareable(row: sqlite3.Row, concepts: list[str], shared: list[dict]) -> dict:
    media = None
    if row["media_duration"] is not None or row["media_watched_seconds"] is not None:
        media = {
            "duration": row["media_duration"],
            "watched_seconds": row["media_watched_seconds"],
            "ended": None if row["media_ended"] is None else bool(row["media_ended"]),
            "playback_rate": row["media_playback_rate"],
        }
    return {
        "id": row["id"],
        "page": row["page"],
        "url": row["url"],
        "canonical_url": row["canonical_url"] or row["url"],
        "title": row["title"] or row["document_title"] or "",
        "description": row["description"],
        "language": row["language"],
        "kind": row["kind"],
        "day": row["day"],
        "started_at": row["started_at"],
        "seconds": row["seconds"] or 0.0,
        "search_query": row["search_query"],
        "form": row["form"],
        "modality": row["modality"],
        "four_e": row["four_e"],
        "source_kind": row["source_kind"],
        "media": media,
        "concepts": concepts,
        "private": bool(row["private"]),
        "shared": shared,
    }


def mark_private(journal: Journal, capture_id: str) -> None:
    """Mark a capture private: it is never sent to an LRS. Raises `NotFound` for an unknown id."""
    with journal.transaction() as conn:
        _require_capture(conn, capture_id)
        conn.execute(
            "INSERT INTO xapi_private (capture_id, created_at) VALUES (?, ?) "
            "ON CONFLICT DO NOTHING",
            (capture_id, utc_now()),
        )


def clear_private(journal: Journal, capture_id: str) -> None:
    """Let a capture be shared again. Raises `NotFound` for an unknown id."""
    with journal.transaction() as conn:
        _require_capture(conn, capture_id)
        conn.execute("DELETE FROM xapi_private WHERE capture_id = ?", (capture_id,))


def _require_capture(conn: sqlite3.Connection, capture_id: str) -> None:
    if conn.execute("SELECT 1 FROM captures WHERE id = ?", (capture_id,)).fetchone() is None:
        raise NotFound(f"no capture with id {capture_id!r}")


def record_sent(journal: Journal, endpoint: str, outcomes: list[tuple[str, str, str]]) -> None:
    """Remember statements an LRS at `endpoint` now holds: `(statement_id, capture_id, status)`
    with a status of `SENT_STATUSES`. A capture forgotten meanwhile is skipped."""
    now = utc_now()
    with journal.transaction() as conn:
        for statement_id, capture_id, status in outcomes:
            if status not in SENT_STATUSES:
                raise ValueError(f"not a sent status: {status!r}")
            conn.execute(
                """INSERT INTO xapi_sent (statement_id, capture_id, endpoint, status, sent_at)
                   SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM captures WHERE id = ?)
                   ON CONFLICT (statement_id, endpoint) DO NOTHING""",
                (statement_id, capture_id, endpoint, status, now, capture_id),
            )
