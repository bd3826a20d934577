"""The worker's side of the journal: claim pending captures, store what `nlp` found, or why not.

A claimed capture is marked `processing` and its `attempts` counted before any work starts, so a
crash (even `kill -9`) mid-processing is noticed at the next start: `requeue_interrupted` puts it
back in the queue, or marks it failed once it has crashed the worker `max_attempts` times.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from companion.journal.aliases import learn_alias, named_by
from companion.journal.captures import media_of
from companion.journal.core import Journal, utc_now
from nlp.urls import document_url, site_of

__all__ = [
    "PendingCapture",
    "claim_pending",
    "get_state",
    "mark_failed",
    "requeue_interrupted",
    "save_analysis",
    "set_state",
    "site_corrections",
]


@dataclass(frozen=True)
class PendingCapture:
    """What the worker needs to analyse one capture."""

    id: str
    url: str
    title: str
    kind: str
    engaged_seconds: float
    scroll_depth: float | None
    search_query: str | None
    media: dict | None
    html: str | None
    text: str | None
    site: str


def requeue_interrupted(journal: Journal, *, max_attempts: int) -> int:
    """Put captures left `processing` by a dead worker back in the queue; return how many.

    Those that already crashed the worker `max_attempts` times are marked failed instead.
    """
    with journal.transaction() as conn:
        conn.execute(
            """UPDATE captures SET status = 'failed',
                   error = 'processing this capture stopped the worker ' || attempts || ' times'
               WHERE status = 'processing' AND attempts >= ?""",
            (max_attempts,),
        )
        return conn.execute(
            "UPDATE captures SET status = 'queued' WHERE status = 'processing'"
        ).rowcount


def claim_pending(journal: Journal, limit: int) -> list[PendingCapture]:
    """Mark up to `limit` queued captures (oldest first) as processing and return them."""
    with journal.transaction() as conn:
        rows = conn.execute(
            """SELECT c.*, i.html AS inbox_html, i.text AS inbox_text,
                      i.transcript AS inbox_transcript, d.text AS document_text
               FROM captures c
               LEFT JOIN inbox i ON i.capture_id = c.id
               LEFT JOIN documents d ON d.id = c.document_id
               WHERE c.status = 'queued' ORDER BY c.received_at LIMIT ?""",
            (limit,),
        ).fetchall()
        conn.executemany(
            "UPDATE captures SET status = 'processing', attempts = attempts + 1 WHERE id = ?",
            [(row["id"],) for row in rows],
        )
    return [_pending(row) for row in rows]


def _pending(row: sqlite3.Row) -> PendingCapture:
    media = media_of(row)
    if media is not None:
        media["transcript"] = row["inbox_transcript"]
    has_snapshot = row["inbox_html"] is not None or row["inbox_text"] is not None
    return PendingCapture(
        id=row["id"],
        url=row["url"],
        title=row["title"],
        kind=row["kind"],
        engaged_seconds=row["engaged_seconds"],
        scroll_depth=row["scroll_depth"],
        search_query=row["search_query"],
        media=media,
        html=row["inbox_html"],
        # Re-tagging a capture whose snapshot was already turned into a document.
        text=row["inbox_text"] if has_snapshot else row["document_text"],
        site=row["site"],
    )


def save_analysis(journal: Journal, capture_id: str, analysis: dict) -> None:
    """Store what `nlp` found for a capture (document, concepts, tags) and mark it processed.

    `analysis` is `nlp.Analysis.to_dict()`. Tags the user corrected by hand are kept. Each
    concept lands on the concept its key names (`aliases.named_by`: the user's merges, a
    version or an acronym learned before, or this page's own `aliases`), and the page's aliases
    of its concepts are learned for later captures.
    """
    tags = analysis["learning"]
    now = utc_now()
    with journal.transaction() as conn:
        row = conn.execute(
            "SELECT tags_corrected, status, url, document_id FROM captures WHERE id = ?",
            (capture_id,),
        ).fetchone()
        if row is None:  # deleted (forgotten) while it was being processed
            return
        document_id = _upsert_document(conn, analysis, row["url"], now)
        conn.execute("DELETE FROM capture_concepts WHERE capture_id = ?", (capture_id,))
        page_aliases = {alias["alias"]: alias for alias in analysis.get("aliases", ())}
        links, linked = [], {}
        for rank, concept in enumerate(analysis["concepts"]):
            concept_id = _concept_id(conn, concept, page_aliases.get(concept["key"]), now)
            links.append((capture_id, concept_id, concept["score"], rank))
            linked[concept["key"]] = concept_id
        conn.executemany(
            """INSERT INTO capture_concepts (capture_id, concept_id, score, rank)
               VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING""",
            links,
        )
        again = row["document_id"] is not None  # analysed before: its aliases were counted
        for alias in page_aliases.values():  # only aliases of a concept this capture links
            concept_id = linked.get(alias["key"], linked.get(alias["alias"]))
            if concept_id is not None:
                learn_alias(conn, alias["alias"], concept_id, alias["kind"], now, again=again)
        if not row["tags_corrected"]:
            conn.execute(
                """UPDATE captures SET is_learning = ?, learning_score = ?, reasons = ?,
                       form = ?, modality = ?, source_kind = ?, four_e = ? WHERE id = ?""",
                (
                    int(tags["is_learning"]),
                    tags["learning_score"],
                    json.dumps(tags["reasons"]),
                    tags["form"],
                    tags["modality"],
                    tags["source_kind"],
                    tags["four_e"],
                    capture_id,
                ),
            )
        # A capture queued again (new snapshot or engagement) while it was being processed
        # stays queued, so the newer state gets processed too.
        conn.execute(
            """UPDATE captures SET status = CASE WHEN status = 'processing' THEN 'processed'
                   ELSE status END, error = NULL, processed_at = ?, document_id = ?,
                   title = CASE WHEN title = '' THEN ? ELSE title END
               WHERE id = ?""",
            (now, document_id, analysis["title"], capture_id),
        )
        conn.execute(
            """DELETE FROM inbox WHERE capture_id = ?
               AND (SELECT status FROM captures WHERE id = ?) = 'processed'""",
            (capture_id, capture_id),
        )


def _upsert_document(conn: sqlite3.Connection, analysis: dict, page_url: str, now: str) -> int:
    """Store the document of a capture of `page_url`; return its id.

    The key is the journal's own reading of the page's claim (`document_url`), whatever the
    analysis says: a page files its text only under its own site's record.
    """
    meta = analysis["metadata"]
    key = document_url(page_url, meta.get("canonical_url"))
    values = (
        key,
        site_of(key),
        analysis["title"],
        analysis["text"],
        meta.get("language"),
        meta.get("author"),
        meta.get("published"),
        meta.get("description"),
        meta.get("word_count", 0),
        meta.get("reading_minutes", 0.0),
        json.dumps(list(meta.get("page_types", ()))),
        now,
    )
    row = conn.execute(
        """INSERT INTO documents (canonical_url, site, title, text, language, author, published,
               description, word_count, reading_minutes, page_types, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (canonical_url) DO UPDATE SET
               title = excluded.title,
               text = CASE WHEN length(excluded.text) > 0 THEN excluded.text ELSE text END,
               language = coalesce(excluded.language, language),
               author = coalesce(excluded.author, author),
               published = coalesce(excluded.published, published),
               description = coalesce(excluded.description, description),
               word_count = max(excluded.word_count, word_count),
               reading_minutes = max(excluded.reading_minutes, reading_minutes),
               page_types = excluded.page_types, updated_at = excluded.updated_at
           RETURNING id""",
        values,
    ).fetchone()
    return row[0]


def _concept_id(conn: sqlite3.Connection, concept: dict, alias: dict | None, now: str) -> int:
    """The concept `concept` names; else the one this page says it is a version of (`alias`);
    else a new one."""
    found = named_by(conn, concept["key"])
    if found is not None:
        return found
    if alias is not None and alias["kind"] == "version":
        found = named_by(conn, alias["key"])
        if found is not None:
            return found
        return _new_concept(conn, alias["key"], alias["label"], now)
    return _new_concept(conn, concept["key"], concept["text"], now)


def _new_concept(conn: sqlite3.Connection, key: str, label: str, now: str) -> int:
    return conn.execute(
        "INSERT INTO concepts (key, label, created_at) VALUES (?, ?, ?) RETURNING id",
        (key, label, now),
    ).fetchone()[0]


def mark_failed(journal: Journal, capture_id: str, reason: str) -> None:
    """Mark a capture failed with a reason a person can read; it stays, and can be retried."""
    with journal.transaction() as conn:
        conn.execute(
            "UPDATE captures SET status = 'failed', error = ?, processed_at = ? WHERE id = ?",
            (reason[:500], utc_now(), capture_id),
        )


def site_corrections(journal: Journal, sites: set[str]) -> dict[str, list[dict]]:
    """The user's tag corrections for these sites, oldest first: `{site: [facets…]}`."""
    if not sites:
        return {}
    marks = ",".join("?" * len(sites))
    with journal.reader() as conn:
        rows = conn.execute(
            f"""SELECT site, is_learning, form, modality, source_kind, four_e
                FROM tag_corrections WHERE site IN ({marks}) ORDER BY id""",
            sorted(sites),
        ).fetchall()
    by_site: dict[str, list[dict]] = {}
    for row in rows:
        facets = dict(row)
        site = facets.pop("site")
        if facets["is_learning"] is not None:
            facets["is_learning"] = bool(facets["is_learning"])
        by_site.setdefault(site, []).append(facets)
    return by_site


def set_state(journal: Journal, key: str, value: dict) -> None:
    """Record a small shared fact (e.g. the worker's model and heartbeat)."""
    with journal.transaction() as conn:
        conn.execute(
            """INSERT INTO service_state (key, value, updated_at) VALUES (?, ?, ?)
               ON CONFLICT (key) DO UPDATE SET value = excluded.value,
                   updated_at = excluded.updated_at""",
            (key, json.dumps(value), utc_now()),
        )


def get_state(journal: Journal, key: str) -> dict | None:
    """Read a shared fact recorded with `set_state` (with its `updated_at`), or None."""
    with journal.reader() as conn:
        row = conn.execute(
            "SELECT value, updated_at FROM service_state WHERE key = ?", (key,)
        ).fetchone()
    if row is None:
        return None
    return {**json.loads(row[0]), "updated_at": row[1]}
