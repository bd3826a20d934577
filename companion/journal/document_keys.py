"""Repair a journal whose documents were keyed by what pages claimed, raw (before m004).

Until then a document's key was the page's `<link rel=canonical>` as written, so relative keys
("/") filed several sites under one document, a page on one site could file itself under another
site's address, and `?utm_…` variants of a page were separate documents. The repair gives every
capture the document `nlp.urls.document_url` gives it today, and loses no capture:

- a document whose captures all belong under one key is re-keyed (its text stays);
- a document shared by captures that belong under different keys is split: the text stays with
  the captures of the page that wrote it last (the capture processed when the document was last
  updated); the others get a document of their own, with their title, and are queued for
  processing again if they still hold their own snapshot (the inbox), which rebuilds its text.
  Text an earlier capture lost to a later one before this repair cannot be brought back;
- documents that now share a key are merged: the most recently updated one's text is kept, as
  a new capture of the page would have done.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import groupby

from nlp.urls import document_url, site_of

__all__ = ["repair_document_keys"]

# Re-keying changes neither title nor text: the full-text index need not be rewritten for it.
_FTS_UPDATE_TRIGGER = "documents_au"


@dataclass
class _Part:
    """The captures of one old document that belong under one key."""

    key: str
    document_id: int
    updated_at: str
    holds_text: bool  # these captures' page wrote the old document's text
    capture_ids: list[str] = field(default_factory=list)
    title: str = ""
    requeue: list[str] = field(default_factory=list)  # captures with their own snapshot


def repair_document_keys(conn: sqlite3.Connection, now: str) -> int:
    """Give every capture the document its URL and its page's claim give it today.

    Runs inside the caller's transaction. Returns how many documents changed (re-keyed, split
    or merged).
    """
    current = {
        key: doc_id for doc_id, key in conn.execute("SELECT id, canonical_url FROM documents")
    }
    parts = _changed_parts(conn)
    if not parts:
        return 0
    by_key: dict[str, list[_Part]] = defaultdict(list)
    for part in parts:
        by_key[part.key].append(part)
    changed = {part.document_id for part in parts}
    survivor_of: dict[str, int | None] = {}
    merged: list[tuple[str, int]] = []  # unchanged documents that now share a newer one's key
    for key, group in by_key.items():
        candidates = [(p.updated_at, p.document_id) for p in group if p.holds_text]
        unchanged = current.get(key)
        if unchanged is not None and unchanged not in changed:
            candidates.append((_updated_at(conn, unchanged), unchanged))
        survivor_of[key] = max(candidates)[1] if candidates else None
        merged += [(key, doc_id) for _, doc_id in candidates if doc_id == unchanged]
    survivors = {doc_id: key for key, doc_id in survivor_of.items() if doc_id is not None}
    merged = [(key, doc_id) for key, doc_id in merged if doc_id not in survivors]
    losers = (changed - set(survivors)) | {doc_id for _, doc_id in merged}
    rekeyed = [(key, doc_id) for doc_id, key in survivors.items() if doc_id in changed]

    trigger = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
        (_FTS_UPDATE_TRIGGER,),
    ).fetchone()[0]
    conn.execute(f"DROP TRIGGER {_FTS_UPDATE_TRIGGER}")
    # Every key changing hands is let go of first: one document may take the key another
    # gives up (or keeps until it is merged away).
    conn.executemany(
        "UPDATE documents SET canonical_url = 'inflow:rekey:' || id WHERE id = ?",
        [(doc_id,) for doc_id in changed | losers],
    )
    conn.executemany(
        "UPDATE documents SET canonical_url = ?, site = ? WHERE id = ?",
        [(key, site_of(key), doc_id) for key, doc_id in rekeyed],
    )
    conn.execute(trigger)
    for key, group in by_key.items():
        if survivor_of[key] is None:
            newest = max(group, key=lambda p: p.updated_at)
            survivor_of[key] = conn.execute(
                """INSERT INTO documents (canonical_url, site, title, updated_at)
                   VALUES (?, ?, ?, ?) RETURNING id""",
                (key, site_of(key), newest.title, now),
            ).fetchone()[0]
        conn.executemany(
            "UPDATE captures SET document_id = ? WHERE id = ?",
            [(survivor_of[key], capture_id) for p in group for capture_id in p.capture_ids],
        )
        conn.executemany(
            """UPDATE captures SET status = 'queued', attempts = 0, error = NULL
               WHERE id = ? AND status IN ('processed', 'failed')""",
            [(capture_id,) for p in group for capture_id in p.requeue],
        )
    conn.executemany(
        "UPDATE captures SET document_id = ? WHERE document_id = ?",
        [(survivor_of[key], doc_id) for key, doc_id in merged],
    )
    conn.executemany("DELETE FROM documents WHERE id = ?", [(doc_id,) for doc_id in losers])
    return len(changed | losers)


def _changed_parts(conn: sqlite3.Connection) -> list[_Part]:
    """The parts of every document whose captures no longer all belong under its key."""
    rows = conn.execute(
        """SELECT d.id, d.canonical_url, d.updated_at, c.id, c.url, c.title, c.processed_at,
                  (i.html IS NOT NULL OR i.text IS NOT NULL OR i.transcript IS NOT NULL)
           FROM captures c JOIN documents d ON d.id = c.document_id
           LEFT JOIN inbox i ON i.capture_id = c.id
           ORDER BY d.id, c.processed_at, c.id"""
    ).fetchall()
    parts: list[_Part] = []
    for (doc_id, old_key, updated_at), group in groupby(rows, key=lambda r: tuple(r[:3])):
        captures = list(group)
        known: dict[str, str] = {}  # a page visited again: one key, reckoned once
        for url in {row[4] for row in captures}:
            known[url] = document_url(url, old_key)
        keys = [known[row[4]] for row in captures]
        if set(keys) == {old_key}:
            continue
        writer = next(
            (i for i, row in enumerate(captures) if row[6] == updated_at), len(captures) - 1
        )
        doc_parts: dict[str, _Part] = {}
        for key, (*_, capture_id, _url, title, _processed, snapshot) in zip(
            keys, captures, strict=True
        ):
            part = doc_parts.setdefault(
                key, _Part(key, doc_id, updated_at, holds_text=key == keys[writer])
            )
            part.capture_ids.append(capture_id)
            part.title = title or part.title  # the newest capture's title
            if snapshot and not part.holds_text:
                part.requeue.append(capture_id)
        parts.extend(doc_parts.values())
    return parts


def _updated_at(conn: sqlite3.Connection, doc_id: int) -> str:
    return conn.execute("SELECT updated_at FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]
