"""Captures in the journal: accept (idempotently), merge engagement, read, retry.

Listing and searching them is `search`'s job.

Functions take the `Journal` and plain dicts (as the API validated them) and return plain dicts
shaped like the API's public view of a capture.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import datetime

from companion.errors import NotFound, TooManyRequests
from companion.journal.core import Journal, utc_now
from companion.journal.sites import reversed_site
from nlp.urls import site_of

__all__ = [
    "count_by_status",
    "get_capture",
    "ingest",
    "ingest_together",
    "queue_depth",
    "retry_capture",
    "update_engagement",
]

# A processed capture is tagged again when its engagement grows this much (the tags depend on it).
_RETAG_GROWTH = 1.5
_RETAG_MIN_SECONDS = 30.0

# An O(log n) upper bound of the inbox's size (rowids only grow), not an O(n) count. Each end
# in its own subquery: `max(rowid) - min(rowid)` in one SELECT scans every row (SQLite seeks
# only a lone min or max), which cost ~3 ms per capture with 50,000 waiting.
_INBOX_BOUND = """SELECT coalesce((SELECT max(rowid) FROM inbox) - (SELECT min(rowid) FROM inbox)
                                  + 1, 0)"""


def _local_day(moment: datetime) -> str:
    """The user's calendar day of `moment`, in the offset the browser stamped it with."""
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.date().isoformat()


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.isoformat()


def _content_hash(capture: dict) -> str | None:
    media = capture.get("media") or {}
    parts = [capture.get("html"), capture.get("text"), media.get("transcript")]
    if not any(parts):
        return None
    digest = hashlib.sha1(usedforsecurity=False)
    for part in parts:
        digest.update((part or "").encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def _is_denied(conn: sqlite3.Connection, url: str, site: str) -> bool:
    row = conn.execute(
        """SELECT 1 FROM deny_list
           WHERE pattern = ? OR ? LIKE '%.' || pattern
              OR (pattern LIKE 'http%' AND substr(?, 1, length(pattern)) = pattern)
           LIMIT 1""",
        (site, site, url),
    ).fetchone()
    return row is not None


def queue_depth(journal: Journal) -> int:
    """How many captures wait for (or are in) processing."""
    with journal.reader() as conn:
        return conn.execute(
            "SELECT count(*) FROM captures WHERE status IN ('queued', 'processing')"
        ).fetchone()[0]


def count_by_status(journal: Journal) -> dict[str, int]:
    """How many captures are queued, processing, processed and failed (every status, 0 too)."""
    counts = dict.fromkeys(("queued", "processing", "processed", "failed"), 0)
    with journal.reader() as conn:
        rows = conn.execute("SELECT status, count(*) FROM captures GROUP BY status").fetchall()
    counts.update({status: n for status, n in rows})
    return counts


def _grew(old: float | None, new: float | None) -> bool:
    old, new = old or 0.0, new or 0.0
    return new >= _RETAG_MIN_SECONDS and new >= old * _RETAG_GROWTH


def _merge_engagement(conn: sqlite3.Connection, row: sqlite3.Row, update: dict, now: str) -> None:
    media = update.get("media") or {}
    engaged = max(row["engaged_seconds"], update.get("engaged_seconds") or 0.0)
    watched = max(row["media_watched_seconds"] or 0.0, media.get("watched_seconds") or 0.0)
    scroll = update.get("scroll_depth")
    scroll = max(row["scroll_depth"] or 0.0, scroll) if scroll is not None else row["scroll_depth"]
    ended_at = _iso(update.get("ended_at")) or row["ended_at"]
    kind = update.get("kind") or row["kind"]  # the latest view of the visit wins
    retag = (
        row["status"] == "processed"
        and not row["tags_corrected"]
        and (
            _grew(row["engaged_seconds"], engaged)
            or _grew(row["media_watched_seconds"], watched)
            or (bool(media.get("ended")) and not row["media_ended"])
            or kind != row["kind"]
        )
    )
    conn.execute(
        """UPDATE captures SET kind = ?, engaged_seconds = ?, scroll_depth = ?, ended_at = ?,
               media_watched_seconds = ?, media_duration = coalesce(?, media_duration),
               media_channel = coalesce(?, media_channel),
               media_ended = max(coalesce(media_ended, 0), coalesce(?, 0)),
               media_playback_rate = coalesce(?, media_playback_rate),
               status = CASE WHEN ? THEN 'queued' ELSE status END,
               updated_at = ?
           WHERE id = ?""",
        (
            kind,
            engaged,
            scroll,
            ended_at,
            watched or None,
            media.get("duration"),
            media.get("channel"),
            media.get("ended"),
            media.get("playback_rate"),
            retag,
            now,
            row["id"],
        ),
    )


def ingest(journal: Journal, capture: dict, *, max_queue: int) -> str:
    """Store a validated capture durably; return its status: "queued", "merged" or "denied".

    A capture whose `id` is already known is not stored twice: its engagement is merged (by
    maximum) and, if it brings a new page snapshot, it is queued for processing again.
    Raises `TooManyRequests` when the processing queue is full, `Unavailable` when the journal
    cannot be written.
    """
    with journal.transaction() as conn:
        return _ingest(conn, capture, max_queue)


async def ingest_together(journal: Journal, captures: list[dict], *, max_queue: int) -> list:
    """`ingest` each of `captures` in one transaction, shared with the captures that arrive at
    the same moment (`Journal.write_together`); returns their statuses in order.

    For the API's event loop: nothing waits on a thread of its own. Raises as `ingest` does;
    if one of `captures` raises (`TooManyRequests`), none of them is stored.
    """
    return await journal.write_together(
        lambda conn: [_ingest(conn, capture, max_queue) for capture in captures]
    )


def _ingest(conn: sqlite3.Connection, capture: dict, max_queue: int) -> str:
    url = capture["url"]
    site = site_of(url)
    media = capture.get("media") or {}
    content_hash = _content_hash(capture)
    now = utc_now()
    if _is_denied(conn, url, site):
        return "denied"
    row = conn.execute("SELECT * FROM captures WHERE id = ?", (capture["id"],)).fetchone()
    if row is not None:
        _merge_engagement(conn, row, capture, now)
        if capture.get("title") and capture["title"] != row["title"]:
            conn.execute(
                "UPDATE captures SET title = ? WHERE id = ?", (capture["title"], row["id"])
            )
        if content_hash and content_hash != row["content_hash"]:
            _put_inbox(conn, capture)
            conn.execute(
                """UPDATE captures SET content_hash = ?, status = 'queued', attempts = 0,
                   error = NULL WHERE id = ?""",
                (content_hash, row["id"]),
            )
        return "merged"
    pending = conn.execute(_INBOX_BOUND).fetchone()[0]
    if pending >= max_queue:
        raise TooManyRequests(
            f"{pending} captures are waiting to be processed; retry later",
            headers={"Retry-After": "30"},
        )
    conn.execute(
        """INSERT INTO captures (id, url, site, reversed_site, title, kind, started_at,
               ended_at, day, engaged_seconds, scroll_depth, search_query, media_duration,
               media_watched_seconds, media_channel, media_ended, media_playback_rate,
               status, received_at, updated_at, content_hash)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)""",
        (
            capture["id"],
            url,
            site,
            reversed_site(site),
            capture.get("title") or "",
            capture.get("kind", "page"),
            _iso(capture["started_at"]),
            _iso(capture.get("ended_at")),
            _local_day(capture["started_at"]),
            capture.get("engaged_seconds") or 0.0,
            capture.get("scroll_depth"),
            (capture.get("search_query") or "").strip() or None,
            media.get("duration"),
            media.get("watched_seconds"),
            media.get("channel"),
            media.get("ended"),
            media.get("playback_rate"),
            now,
            now,
            content_hash,
        ),
    )
    _put_inbox(conn, capture)
    return "queued"


def _put_inbox(conn: sqlite3.Connection, capture: dict) -> None:
    media = capture.get("media") or {}
    conn.execute(
        """INSERT INTO inbox (capture_id, html, text, transcript) VALUES (?, ?, ?, ?)
           ON CONFLICT (capture_id) DO UPDATE SET html = excluded.html, text = excluded.text,
               transcript = excluded.transcript""",
        (capture["id"], capture.get("html"), capture.get("text"), media.get("transcript")),
    )


def update_engagement(journal: Journal, capture_id: str, update: dict) -> dict:
    """Merge later engagement into a capture; return the capture. Raises `NotFound`."""
    with journal.transaction() as conn:
        row = conn.execute("SELECT * FROM captures WHERE id = ?", (capture_id,)).fetchone()
        if row is None:
            raise NotFound(f"no capture with id {capture_id!r}; send the whole capture instead")
        _merge_engagement(conn, row, update, utc_now())
    return get_capture(journal, capture_id)


def _learning(row: sqlite3.Row) -> dict | None:
    if row["is_learning"] is None:
        return None
    return {
        "is_learning": bool(row["is_learning"]),
        "learning_score": row["learning_score"],
        "reasons": json.loads(row["reasons"]),
        "form": row["form"],
        "modality": row["modality"],
        "source_kind": row["source_kind"],
        "four_e": row["four_e"],
        "corrected": bool(row["tags_corrected"]),
    }


def media_of(row: sqlite3.Row) -> dict | None:
    """The media facts of a `captures` row, or None for a capture without media."""
    if row["media_duration"] is None and row["media_watched_seconds"] is None:
        return None
    return {
        "duration": row["media_duration"],
        "watched_seconds": row["media_watched_seconds"],
        "channel": row["media_channel"],
        "ended": bool(row["media_ended"]) if row["media_ended"] is not None else None,
        "playback_rate": row["media_playback_rate"],
    }


def public_capture(row: sqlite3.Row, concepts: list[dict] | None = None) -> dict:
    """Shape a `captures` row as the API shows it."""
    capture = {
        key: row[key]
        for key in (
            "id",
            "url",
            "site",
            "title",
            "kind",
            "started_at",
            "ended_at",
            "day",
            "engaged_seconds",
            "scroll_depth",
            "search_query",
            "status",
            "error",
            "attempts",
            "received_at",
            "processed_at",
        )
    }
    capture["media"] = media_of(row)
    capture["learning"] = _learning(row)
    if concepts is not None:
        capture["concepts"] = concepts
    return capture


def _concepts_of(conn: sqlite3.Connection, capture_id: str) -> list[dict]:
    rows = conn.execute(
        """SELECT c.label, cc.score FROM capture_concepts cc JOIN concepts c ON c.id = cc.concept_id
           WHERE cc.capture_id = ? ORDER BY cc.rank""",
        (capture_id,),
    )
    return [{"text": label, "score": score} for label, score in rows]


def get_capture(journal: Journal, capture_id: str) -> dict:
    """Return one capture with its concepts, tags and document facts. Raises `NotFound`."""
    with journal.reader() as conn:
        row = conn.execute("SELECT * FROM captures WHERE id = ?", (capture_id,)).fetchone()
        if row is None:
            raise NotFound(f"no capture with id {capture_id!r}")
        capture = public_capture(row, _concepts_of(conn, capture_id))
        doc = None
        if row["document_id"] is not None:
            doc = conn.execute(
                """SELECT canonical_url, language, author, published, description, word_count,
                          reading_minutes FROM documents WHERE id = ?""",
                (row["document_id"],),
            ).fetchone()
        capture["document"] = dict(doc) if doc else None
        return capture


def retry_capture(journal: Journal, capture_id: str) -> dict:
    """Queue a failed (or any) capture for processing again; return it. Raises `NotFound`."""
    with journal.transaction() as conn:
        cur = conn.execute(
            """UPDATE captures SET status = 'queued', attempts = 0, error = NULL
               WHERE id = ? AND status != 'processing'""",
            (capture_id,),
        )
        if (
            cur.rowcount == 0
            and conn.execute("SELECT 1 FROM captures WHERE id = ?", (capture_id,)).fetchone()
            is None
        ):
            raise NotFound(f"no capture with id {capture_id!r}")
    return get_capture(journal, capture_id)
