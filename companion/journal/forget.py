"""Taking things out of the journal: delete a capture, forget a site, the deny list.

What is deleted must be gone from the file, not only from the tables:
- every connection runs with `PRAGMA secure_delete` (`core`), so SQLite overwrites deleted rows
  and freed pages with zeros instead of leaving them in free space;
- concepts only the deleted captures had (their labels are words of those pages) go too, and
  so do the aliases pages taught of a concept no capture links any more (`aliases`);
- the full-text index keeps the words of a deleted document in its segments until they are
  merged (FTS5's own `secure-delete` option needs SQLite 3.42; Debian 12 ships 3.40, and a file
  with it set cannot be searched by older ones), so an FTS5 `optimize` rewrites the index
  without them (`search_index.rewrite_index`). It took 3.9 s, in one transaction, on a
  synthetic journal of 100k captures (948 MB, 65k documents; bench/README.md, run S3), so it
  runs just after the deletion, off the request (`Journal.write_soon`), once for a burst of
  deletions;
- the write-ahead log still holds the pages as they were before: after that, it is copied into
  the file and emptied. (Were the companion killed before then, the next deletion's
  `optimize` takes the words out too: it rewrites the whole index.)
"""

from __future__ import annotations

import sqlite3

from companion.errors import BadRequest, NotFound
from companion.journal.aliases import forget_learned_aliases
from companion.journal.core import Journal, utc_now
from companion.journal.search_index import rewrite_index
from companion.journal.sites import normal_site, site_or_subdomain, within_site

__all__ = ["add_to_deny_list", "delete_capture", "deny_list", "forget"]


def delete_capture(journal: Journal, capture_id: str) -> None:
    """Delete one capture (its links, its concepts and document when no other capture has
    them), leaving none of it in the journal's file. Raises `NotFound`."""
    with journal.transaction() as conn:
        if conn.execute("SELECT 1 FROM captures WHERE id = ?", (capture_id,)).fetchone() is None:
            raise NotFound(f"no capture with id {capture_id!r}")
        erased_documents = _erase(conn, [capture_id])
    _scrub_soon(journal, erased_documents)


def forget(journal: Journal, *, site: str | None, url_prefix: str | None, deny: bool) -> int:
    """Delete every capture of a site (and its subdomains) or under a URL prefix; return how many.

    A forgotten site's tag corrections go too. Nothing of it is left in the journal's file.
    With `deny`, the site or prefix also joins the deny list, so it is never stored again.
    Raises `BadRequest` for a site that names no host ("www.", " ").
    """
    if site is not None and not normal_site(site):
        raise BadRequest(f"{site!r} is not a site: give a host name such as example.org")
    with journal.transaction() as conn:
        if site:
            site = normal_site(site)
            clause, params = site_or_subdomain(site, "reversed_site")
            ids = conn.execute(f"SELECT id FROM captures WHERE {clause}", params).fetchall()
            _forget_corrections(conn, site)
        else:
            ids = conn.execute(
                "SELECT id FROM captures WHERE substr(url, 1, ?) = ?", (len(url_prefix), url_prefix)
            ).fetchall()
        erased_documents = _erase(conn, [capture_id for (capture_id,) in ids])
        if deny:
            _deny(conn, site or url_prefix)
    _scrub_soon(journal, erased_documents)
    return len(ids)


def _forget_corrections(conn: sqlite3.Connection, site: str) -> None:
    """Delete the user's tag corrections of `site` and its subdomains (a few rows per site)."""
    hosts = [host for (host,) in conn.execute("SELECT DISTINCT site FROM tag_corrections")]
    conn.executemany(
        "DELETE FROM tag_corrections WHERE site = ?",
        [(host,) for host in hosts if within_site(host, site)],
    )


def _erase(conn: sqlite3.Connection, capture_ids: list[str]) -> bool:
    """Delete captures, then what only they used (documents, concepts); return whether a
    document went (its words are still in the full-text index)."""
    if not capture_ids:
        return False
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS erased (id TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM temp.erased")
    conn.executemany("INSERT OR IGNORE INTO temp.erased VALUES (?)", [(i,) for i in capture_ids])
    documents = [
        row[0]
        for row in conn.execute(
            """SELECT DISTINCT document_id FROM captures
               WHERE id IN temp.erased AND document_id IS NOT NULL"""
        )
    ]
    concepts = [
        row[0]
        for row in conn.execute(
            "SELECT DISTINCT concept_id FROM capture_concepts WHERE capture_id IN temp.erased"
        )
    ]
    conn.execute("DELETE FROM captures WHERE id IN temp.erased")  # links and inbox cascade
    conn.execute("DELETE FROM temp.erased")
    erased_documents = conn.executemany(
        """DELETE FROM documents WHERE id = ?
           AND NOT EXISTS (SELECT 1 FROM captures WHERE document_id = ?)""",
        [(doc_id, doc_id) for doc_id in documents],
    ).rowcount
    # A concept merged into another, or that others were merged into, records the user's
    # decision: it stays.
    conn.executemany(
        """DELETE FROM concepts WHERE id = ? AND merged_into IS NULL
           AND NOT EXISTS (SELECT 1 FROM capture_concepts WHERE concept_id = ?)
           AND NOT EXISTS (SELECT 1 FROM concepts WHERE merged_into = ?)""",
        [(concept_id, concept_id, concept_id) for concept_id in concepts],
    )
    forget_learned_aliases(conn, concepts)  # those of deleted concepts went with them
    return erased_documents > 0


def _scrub_soon(journal: Journal, erased_documents: bool) -> None:
    """Have the deleted pages' words leave the full-text index, and their pages the WAL."""
    journal.write_soon(rewrite_index if erased_documents else _nothing)


def _nothing(conn: sqlite3.Connection) -> None:
    """No change: `write_soon` then only empties the WAL."""


def _deny(conn: sqlite3.Connection, pattern: str) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO deny_list (pattern, created_at) VALUES (?, ?)",
        (pattern, utc_now()),
    )


def add_to_deny_list(journal: Journal, pattern: str) -> None:
    """Never store captures of this site or URL prefix from now on."""
    with journal.transaction() as conn:
        _deny(conn, pattern)


def deny_list(journal: Journal) -> list[str]:
    """The sites and URL prefixes the companion refuses to store."""
    with journal.reader() as conn:
        return [row[0] for row in conn.execute("SELECT pattern FROM deny_list ORDER BY pattern")]
