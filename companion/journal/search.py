"""Finding what was read: full-text search over the journal, with filters and snippets.

Two readers share one query plan:
- `list_captures` (the API's `GET /api/v1/captures?q=`): captures newest first, as the API shows
  them, filtered by day, site, learning, concept, status, with `q` searched in titles and text;
- `search` (the /search page's `GET /api/v1/search`, `inflow search`): the same, filtered by
  ISO week instead of day, each hit with the place of its text that matched (`snippet`) as
  marked ranges, never markup.

Reads stay fast at 100k captures, common words included (DESIGN.md, the journal; bench/README.md,
run S): text that half the pages hold ("the", a specialist's "python") is not listed at all:
captures are walked newest first and each one's document is asked of the index (one seek); with
a selective filter (days, a site, a concept) and many hits, the filter's index finds the
captures and the hits are only looked up; otherwise the hits lead, newest first, stopping at the
page. Counts stop past 10,000 and read no capture row for the learning filter. A last word that
is a whole indexed word is matched as the terms it begins, by name (the same documents as its
prefix, without expanding the prefix again for each capture).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta

from companion.journal.aliases import final_concept, readings
from companion.journal.captures import public_capture
from companion.journal.core import Journal
from companion.journal.search_text import fts_query, match_query, snippets
from companion.journal.sites import normal_site, site_or_subdomain
from companion.journal.week import parse_iso_week
from companion.journal.week_history import iso_week_of
from nlp.keys import concept_key

__all__ = ["MAX_QUERY", "fts_query", "list_captures", "search"]

_MAX_COUNT = 10_000  # "10,000+ results" is as useful as an exact count, and bounded in time
_WALK_FROM = 1_000
_FILTERS_LEAD_FROM = 2_000  # hits from which the filters find the captures, not the hits
_SORTED_UP_TO = 2_000  # captures a selective filter keeps up to which its matches are sorted
_RECENT_DOCUMENTS = 2_000  # the newest documents whose share holding the text says it is common
#: The longest query kept (the API refuses longer ones).
MAX_QUERY = 500
# The captures whose document matches the `?` query (SQLite lists the hits once per statement).
_IN_HITS = "c.document_id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)"


def list_captures(
    journal: Journal,
    *,
    q: str | None = None,
    day: str | None = None,
    site: str | None = None,
    learning: bool | None = None,
    concept: str | None = None,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict:
    """List captures newest first, filtered; `q` is a full-text search over titles and text.

    Returns `{"items": [...], "total": n, "total_capped": bool, "limit", "offset"}`; `total`
    stops counting at 10,000 (then `total_capped` is true).
    """
    with journal.reader() as conn:
        filters = _filters(
            conn,
            days=(day, day) if day else None,
            site=site,
            learning=learning,
            concept=concept,
            status=status,
        )
        rows, total = _newest_matching(conn, q, filters, limit, offset, by_day=bool(day))
        items = [public_capture(row) for row in rows]
    return _page(items, total, limit, offset)


def search(
    journal: Journal,
    q: str | None = None,
    *,
    learning_only: bool = False,
    site: str | None = None,
    week: str | None = None,
    concept: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> dict:
    """Search what was read, newest first: `q` in titles and text, within the filters.

    `week` is an ISO week (`2026-W49`), `site` also matches its subdomains, `concept` is a
    concept's label, key or alias ("LLM", "Python 3", a merged concept's name). Returns
    `{"query", "items", "total", "total_capped", "limit", "offset"}`; each item has the
    capture's `id`, `url`, `title`, `site`, `day`, its `week`, `kind`, `learning` (true, false
    or null while unprocessed), `search_query`, and `snippet`: the text around the words that
    matched, as ranges `[{"text", "hit"}]` (empty without `q`).
    Raises `BadRequest` for a week that is not an ISO week.
    """
    days = None
    if week:
        monday = parse_iso_week(week)
        days = (monday.isoformat(), (monday + timedelta(days=6)).isoformat())
    with journal.reader() as conn:
        filters = _filters(
            conn, days=days, site=site, learning=True if learning_only else None, concept=concept
        )
        rows, total = _newest_matching(conn, q, filters, limit, offset, by_day=bool(days))
        marked = snippets(conn, q, [row["document_id"] for row in rows]) if q else {}
        items = [_hit(row, marked.get(row["document_id"], [])) for row in rows]
    return {"query": q or "", **_page(items, total, limit, offset)}


def _filters(
    conn: sqlite3.Connection,
    *,
    days: tuple[str, str] | None = None,
    site: str | None = None,
    learning: bool | None = None,
    concept: str | None = None,
    status: str | None = None,
) -> list[tuple[str, list, bool]]:
    """The WHERE clauses (over `captures c`), their parameters, and whether an index finds the
    few captures they keep (days, site, concept; not learning nor status), one per filter."""
    filters: list[tuple[str, list, bool]] = []
    if days and days[0] == days[1]:
        filters.append(("c.day = ?", [days[0]], True))
    elif days:
        filters.append(("c.day BETWEEN ? AND ?", list(days), True))
    if site and normal_site(site):  # "www." or a space names no site: no filter
        filters.append((*site_or_subdomain(site), True))
    if learning is not None:
        filters.append(("c.is_learning = ?", [int(learning)], False))
    if status:
        filters.append(("c.status = ?", [status], False))
    if concept:
        filters.append(
            (
                """c.id IN (SELECT capture_id FROM capture_concepts
                            WHERE concept_id IN (SELECT value FROM json_each(?)))""",
                [json.dumps(sorted(_concepts_called(conn, concept)))],
                True,
            )
        )
    return filters


def _concepts_called(conn: sqlite3.Connection, text: str) -> set[int]:
    """The concepts a user's `text` names: by label, or every reading of its key
    (`aliases.readings`), each after the user's merges."""
    ids = set()
    for key in {concept_key(text), text.lower()}:
        for reading in readings(conn, key):
            ids |= reading
    labelled = conn.execute("SELECT id FROM concepts WHERE label = ? COLLATE NOCASE", (text,))
    return ids | {final_concept(conn, concept_id) for (concept_id,) in labelled}


def _newest_matching(
    conn: sqlite3.Connection,
    q: str | None,
    filters: list[tuple[str, list, bool]],
    limit: int,
    offset: int,
    *,
    by_day: bool,
) -> tuple[list[sqlite3.Row], int]:
    """The page of captures (newest first) that match `q` and `filters`, and how many match
    (past `_MAX_COUNT`, any number above it).

    Four plans, by what is cheap to walk: no text (the filters' indexes); text on most pages
    and no selective filter (captures newest first, each one's document asked of the index);
    many hits and a selective filter (the filter's index finds the captures, the hits are only
    looked up); otherwise the hits lead.
    """
    where = [clause for clause, _, _ in filters]
    params = [value for _, values, _ in filters for value in values]
    if not q:
        return _newest_without_text(conn, where, params, limit, offset, by_day=by_day)
    fts = match_query(conn, q)
    if not any(selective for _, _, selective in filters):
        # A prefix ("comp"*: 133 terms) would be expanded again for each capture walked (650 ms
        # for "comp" at 100k); its hits are listed once instead (60 ms).
        if not fts.endswith("*") and _common_text(conn, fts):
            rows = _newest_with_common_text(conn, fts, where, params, limit, offset)
            return rows, _count_hits(conn, fts, where, params) if where else _MAX_COUNT + 1
    elif _matches_more_than(conn, fts, _FILTERS_LEAD_FROM):
        return _newest_within_filters(conn, fts, where, params, limit, offset, by_day=by_day)
    total = _count_hits(conn, fts, where, params)
    # Many hits: walk captures newest first and stop at the page, instead of sorting them all
    # (a search for "the" in 100k captures: 20 ms instead of 300 ms). Within a few days, the
    # day index finds them all first. The hits are listed once, not once per capture.
    walk = "INDEXED BY captures_by_started" if total >= _WALK_FROM and not by_day else ""
    rows = conn.execute(
        f"""SELECT c.* FROM captures c {walk}
            WHERE {" AND ".join([_IN_HITS, *where])}
            ORDER BY c.started_at DESC, c.id LIMIT ? OFFSET ?""",
        [fts, *params, limit, offset],
    ).fetchall()
    return rows, total


def _newest_without_text(
    conn: sqlite3.Connection,
    where: list[str],
    params: list,
    limit: int,
    offset: int,
    *,
    by_day: bool,
) -> tuple[list[sqlite3.Row], int]:
    """The page and the count of captures within `where`, when nothing is searched."""
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    total = conn.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM captures c {clause} LIMIT ?)",
        [*params, _MAX_COUNT + 1],
    ).fetchone()[0]
    walk = "INDEXED BY captures_by_started" if total >= _WALK_FROM and not by_day else ""
    rows = conn.execute(
        f"""SELECT c.* FROM captures c {walk} {clause}
            ORDER BY c.started_at DESC, c.id LIMIT ? OFFSET ?""",
        [*params, limit, offset],
    ).fetchall()
    return rows, total


def _count_hits(conn: sqlite3.Connection, fts: str, where: list[str], params: list) -> int:
    """How many captures within `where` match `fts` (counting stops past `_MAX_COUNT`).

    The hits are read in the index's order and each one's captures looked up, stopping at the
    cap: no list of every hit is made first ("about" within learning, 43,000 hits: 40 ms ->
    2 ms at 100k, with `captures_by_document` holding `is_learning`).
    """
    clause = " AND ".join(["documents_fts MATCH ?", *where])
    return conn.execute(
        f"""SELECT count(*) FROM (SELECT 1 FROM documents_fts f
                                  CROSS JOIN captures c ON c.document_id = f.rowid
                                  WHERE {clause} LIMIT ?)""",
        [fts, *params, _MAX_COUNT + 1],
    ).fetchone()[0]


def _newest_within_filters(
    conn: sqlite3.Connection,
    fts: str,
    where: list[str],
    params: list,
    limit: int,
    offset: int,
    *,
    by_day: bool,
) -> tuple[list[sqlite3.Row], int]:
    """The page and the count of captures matching `fts` when a selective filter (days, a site,
    a concept) keeps fewer captures than `fts` has hits.

    The filter's index finds its captures and their documents are looked up in the hits (the
    unary + keeps SQLite from walking every hit instead: "about" within a week, a site and
    learning, 1.9 s -> 72 ms at 100k). Up to `_SORTED_UP_TO` captures, the hits are listed once
    for both the count and the page. A filter that keeps more (a site of 12,000 captures) may
    have thousands of matches to sort for one page: they are counted, and when there are as
    many as `_WALK_FROM` the page is walked newest first ("about" within docs.python.org: 36 ->
    17 ms CPU at 100k); fewer are sorted.
    """
    within = " AND ".join([f"+{_IN_HITS}", *where])
    if not by_day and _keeps_more_than(conn, where, params, _SORTED_UP_TO):
        total = conn.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM captures c WHERE {within} LIMIT ?)",
            [fts, *params, _MAX_COUNT + 1],
        ).fetchone()[0]
        if total >= _WALK_FROM:  # enough of them that the walk soon fills the page
            rows = conn.execute(
                f"""SELECT c.* FROM captures c INDEXED BY captures_by_started WHERE {within}
                    ORDER BY c.started_at DESC, c.id LIMIT ? OFFSET ?""",
                [fts, *params, limit, offset],
            ).fetchall()
            return rows, total
    matching = conn.execute(
        f"SELECT c.rowid FROM captures c WHERE {within} ORDER BY c.started_at DESC, c.id",
        [fts, *params],
    ).fetchall()
    page = [rowid for (rowid,) in matching[offset : offset + limit]]
    rows = conn.execute(
        """SELECT * FROM captures WHERE rowid IN (SELECT value FROM json_each(?))
           ORDER BY started_at DESC, id""",
        (json.dumps(page),),
    ).fetchall()
    return rows, len(matching)


def _keeps_more_than(conn: sqlite3.Connection, where: list[str], params: list, count: int) -> bool:
    """Whether more than `count` captures are within `where` (counting stops there)."""
    kept = conn.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM captures c WHERE {' AND '.join(where)} LIMIT ?)",
        [*params, count + 1],
    ).fetchone()[0]
    return kept > count


def _common_text(conn: sqlite3.Connection, fts: str) -> bool:
    """True when `fts` matches more than `_MAX_COUNT` documents and half of the newest ones.

    Then more than `_MAX_COUNT` captures match too (every document belongs to one at least),
    so without filters the count is capped without counting, and one recent capture in two or
    fewer needs to be checked to fill a page. Sparser text ("works", 13% of pages) costs more
    that way than listing its hits (250 ms instead of 20). The share is taken over the newest
    `_RECENT_DOCUMENTS` (a seek in the index), where the walk begins, not over all documents
    ("about": 2.5 -> 0.9 ms at 100k).
    """
    if not _matches_more_than(conn, fts, _MAX_COUNT):
        return False
    newest = conn.execute("SELECT max(id) FROM documents").fetchone()[0] or 0
    recent = conn.execute(
        "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH ? AND rowid > ?",
        (fts, newest - _RECENT_DOCUMENTS),
    ).fetchone()[0]
    return 2 * recent >= min(newest, _RECENT_DOCUMENTS)


def _matches_more_than(conn: sqlite3.Connection, fts: str, count: int) -> bool:
    """Whether more than `count` documents match `fts` (counting stops there)."""
    matched = conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM documents_fts WHERE documents_fts MATCH ? LIMIT ?)",
        (fts, count + 1),
    ).fetchone()[0]
    return matched > count


def _newest_with_common_text(
    conn: sqlite3.Connection, fts: str, where: list[str], params: list, limit: int, offset: int
) -> list[sqlite3.Row]:
    """The newest captures within `where` whose text matches `fts`, for text most pages have
    ("the"), beside filters that keep many captures (learning only) or none.

    Listing every hit first costs tens of milliseconds when there are 60,000; walking captures
    newest first and asking the index about each one's document (one seek) stops at the page.
    For rare text it is the other way round, so this is only for common text.
    """
    exists = """EXISTS (SELECT 1 FROM documents_fts f
                        WHERE f.rowid = c.document_id AND documents_fts MATCH ?)"""
    return conn.execute(
        f"""SELECT c.* FROM captures c INDEXED BY captures_by_started
           WHERE {" AND ".join([*where, exists])}
           ORDER BY c.started_at DESC, c.id LIMIT ? OFFSET ?""",
        [*params, fts, limit, offset],
    ).fetchall()


def _hit(row: sqlite3.Row, snippet: list[dict]) -> dict:
    learning = row["is_learning"]
    return {
        "id": row["id"],
        "url": row["url"],
        "title": row["title"],
        "site": row["site"],
        "day": row["day"],
        "week": iso_week_of(date.fromisoformat(row["day"])),
        "kind": row["kind"],
        "learning": None if learning is None else bool(learning),
        "search_query": row["search_query"],
        "snippet": snippet,
    }


def _page(items: list[dict], total: int, limit: int, offset: int) -> dict:
    return {
        "items": items,
        "total": min(total, _MAX_COUNT),
        "total_capped": total > _MAX_COUNT,
        "limit": limit,
        "offset": offset,
    }
