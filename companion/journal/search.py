"""Finding what was read: full-text search over the journal, with filters and snippets.

Two readers share one query plan:
- `list_captures` (the API's `GET /api/v1/captures?q=`): captures newest first, as the API shows
  them, filtered by day, site, learning, concept, status, with `q` searched in titles and text;
- `search` (the /search page's `GET /api/v1/search`, `inflow search`): the same, filtered by
  ISO week instead of day, each hit with the place of its text that matched (`snippet`) as
  marked ranges, never markup.

Reads stay fast at 100k captures, common words included (DESIGN.md, the journal): the matching
documents are listed once (not once per capture); many hits are walked newest first and the walk
stops at the page instead of sorting them all; text that half the pages hold ("the", a
specialist's "python") is not listed at all: captures are walked newest first and each one's
document is asked of the index (one seek), and the count is capped without counting; with a
selective filter (days, a site, a concept) and many hits, the filter's index finds the captures
and the hits are only looked up. Still slow (bench/README.md, run S): a common word of 4+
letters (a prefix query, expanded again per capture) and a site filter (a suffix match).
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import date, timedelta

from companion.journal.captures import public_capture
from companion.journal.core import Journal
from companion.journal.week import parse_iso_week
from companion.journal.week_history import iso_week_of
from nlp.keys import concept_key

__all__ = ["MAX_QUERY", "fts_query", "list_captures", "search"]

_MAX_COUNT = 10_000  # "10,000+ results" is as useful as an exact count, and bounded in time
_WALK_FROM = 1_000
_FILTERS_LEAD_FROM = 2_000  # hits from which the filters find the captures, not the hits
#: The longest query kept (the API refuses longer ones).
MAX_QUERY = 500
# A snippet: the text around the first word that matched, this many characters before and in all
# (cut at word boundaries). Cut from the page's text here, not by FTS5's `snippet()`: that one
# tokenises the whole document and, for a prefix ("pyth*"), merges every matching term's hit
# list again for each document (180 ms for a page of 20 results of a common word; under 1 ms here).
_SNIPPET_BEFORE = 80
_SNIPPET_CHARS = 240
_ELLIPSIS = "…"
# FTS5's default tokenizer (unicode61) splits on anything but letters and digits.
_TOKEN = re.compile(r"[^\W_]+")
_PREFIX_FROM = 4  # letters from which the last word also matches as a prefix (see `fts_query`)


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
    filters = _filters(
        days=(day, day) if day else None,
        site=site,
        learning=learning,
        concept=concept,
        status=status,
    )
    with journal.reader() as conn:
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
    concept's label or key. Returns `{"query", "items", "total", "total_capped", "limit",
    "offset"}`; each item has the capture's `id`, `url`, `title`, `site`, `day`, its `week`,
    `kind`, `learning` (true, false or null while unprocessed), `search_query`, and `snippet`:
    the text around the words that matched, as ranges `[{"text", "hit"}]` (empty without `q`).
    Raises `BadRequest` for a week that is not an ISO week.
    """
    days = None
    if week:
        monday = parse_iso_week(week)
        days = (monday.isoformat(), (monday + timedelta(days=6)).isoformat())
    filters = _filters(
        days=days, site=site, learning=True if learning_only else None, concept=concept
    )
    with journal.reader() as conn:
        rows, total = _newest_matching(conn, q, filters, limit, offset, by_day=bool(days))
        snippets = _snippets(conn, q, [row["document_id"] for row in rows]) if q else {}
        items = [_hit(row, snippets.get(row["document_id"], [])) for row in rows]
    return {"query": q or "", **_page(items, total, limit, offset)}


def fts_query(q: str) -> str:
    """Turn what a person typed into a safe FTS5 query: every word must appear.

    Words are quoted (no FTS syntax gets through). The last word also matches as a prefix, as
    people type it ("sqlite transa" finds "transaction"), once it has 4 letters: a shorter
    prefix expands to thousands of terms and costs 10x more than it helps.
    """
    words = [w.replace('"', "") for w in q.split() if w.replace('"', "")]
    if not words:
        return '""'
    last = f'"{words[-1]}"*' if len(words[-1]) >= _PREFIX_FROM else f'"{words[-1]}"'
    return " ".join([*(f'"{w}"' for w in words[:-1]), last])


def _filters(
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
    if site:
        filters.append(("(c.site = ? OR c.site LIKE ?)", [site, f"%.{site}"], True))
    if learning is not None:
        filters.append(("c.is_learning = ?", [int(learning)], False))
    if status:
        filters.append(("c.status = ?", [status], False))
    if concept:
        filters.append(
            (
                """c.id IN (SELECT cc.capture_id FROM capture_concepts cc WHERE cc.concept_id IN
                            (SELECT id FROM concepts
                             WHERE key IN (?, ?) OR label = ? COLLATE NOCASE))""",
                [concept_key(concept), concept.lower(), concept],
                True,
            )
        )
    return filters


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
    (past `_MAX_COUNT`, any number above it)."""
    where = [clause for clause, _, _ in filters]
    params = [value for _, values, _ in filters for value in values]
    fts = fts_query(q) if q else None
    hits = ""
    if fts:
        if not filters and _common_text(conn, fts):
            return _newest_with_common_text(conn, fts, limit, offset), _MAX_COUNT + 1
        # The full-text hits, computed once (not once per capture row).
        hits = """WITH hits AS MATERIALIZED
                  (SELECT rowid AS id FROM documents_fts WHERE documents_fts MATCH ?)"""
        # Many hits and a selective filter: its index finds the captures and the hits are only
        # looked up (the unary + keeps SQLite from walking every hit instead: "about" within a
        # week, a site and learning, 1.9 s -> 72 ms at 100k). Few hits: they lead.
        leads = any(selective for _, _, selective in filters)
        many = leads and _matches_more_than(conn, fts, _FILTERS_LEAD_FROM)
        where.insert(0, f"{'+' if many else ''}c.document_id IN (SELECT id FROM hits)")
        params.insert(0, fts)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    total = conn.execute(
        f"{hits} SELECT count(*) FROM (SELECT 1 FROM captures c {clause} LIMIT ?)",
        [*params, _MAX_COUNT + 1],
    ).fetchone()[0]
    # Many hits: walk captures newest first and stop at the page, instead of sorting them all
    # (a search for "the" in 100k captures: 20 ms instead of 300 ms). Within a few days, the
    # day index finds them all first.
    walk = "INDEXED BY captures_by_started" if total >= _WALK_FROM and not by_day else ""
    rows = conn.execute(
        f"""{hits} SELECT c.* FROM captures c {walk} {clause}
            ORDER BY c.started_at DESC, c.id LIMIT ? OFFSET ?""",
        [*params, limit, offset],
    ).fetchall()
    return rows, total


def _common_text(conn: sqlite3.Connection, fts: str) -> bool:
    """True when `fts` matches more than `_MAX_COUNT` documents and half of them at least.

    Then more than `_MAX_COUNT` captures match too (every document belongs to one at least),
    so the count is capped without counting, and one capture in two or fewer needs to be
    checked to fill a page. Sparser text ("works", 13% of pages) costs more that way than
    listing its hits (250 ms instead of 20).
    """
    documents = conn.execute("SELECT max(id) FROM documents").fetchone()[0] or 0
    return _matches_more_than(conn, fts, max(_MAX_COUNT, documents // 2))


def _matches_more_than(conn: sqlite3.Connection, fts: str, count: int) -> bool:
    """Whether more than `count` documents match `fts` (counting stops there)."""
    matched = conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM documents_fts WHERE documents_fts MATCH ? LIMIT ?)",
        (fts, count + 1),
    ).fetchone()[0]
    return matched > count


def _newest_with_common_text(
    conn: sqlite3.Connection, fts: str, limit: int, offset: int
) -> list[sqlite3.Row]:
    """The newest captures whose text matches `fts`, for text most pages have ("the").

    Listing every hit first costs tens of milliseconds when there are 60,000; walking captures
    newest first and asking the index about each one's document (one seek) stops at the page.
    For rare text it is the other way round, so this is only for common text.
    """
    return conn.execute(
        """SELECT c.* FROM captures c INDEXED BY captures_by_started
           WHERE EXISTS (SELECT 1 FROM documents_fts f
                         WHERE f.rowid = c.document_id AND documents_fts MATCH ?)
           ORDER BY c.started_at DESC, c.id LIMIT ? OFFSET ?""",
        (fts, limit, offset),
    ).fetchall()


def _snippets(conn: sqlite3.Connection, q: str, document_ids: list) -> dict[int, list[dict]]:
    """Each document's snippet around its first word of `q`, as ranges `[{"text", "hit"}]`.

    The cost follows the page of results (one read per document, one regex search stopping at
    the first hit), not the number of hits.
    """
    tokens, prefix = _query_words(q)
    ids = [d for d in dict.fromkeys(document_ids) if d is not None]
    if not tokens or not ids:
        return {}
    rows = conn.execute(
        "SELECT id, text FROM documents WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(ids),),
    )
    parts = [rf"{re.escape(token)}(?![^\W_])" for token in tokens]
    if prefix:
        parts[-1] = rf"{re.escape(tokens[-1])}[^\W_]*"
    pattern = re.compile(rf"(?<![^\W_])(?:{'|'.join(parts)})", re.IGNORECASE)
    words = [token.lower() for token in tokens]
    return {document_id: _snippet(text, pattern, words, prefix) for document_id, text in rows}


def _query_words(q: str) -> tuple[list[str], bool]:
    """The words of `q` as FTS5 splits them, and whether the last also matches as a prefix."""
    tokens = _TOKEN.findall(q)
    words = q.replace('"', "").split()
    return tokens, bool(words) and len(words[-1]) >= _PREFIX_FROM


def _snippet(text: str, pattern: re.Pattern, words: list[str], prefix: bool) -> list[dict]:
    """The text around the first word of `words` (lower case; the last a prefix if `prefix`),
    the matches of `pattern` (the same words) in it marked; empty when no word is in the text
    (they were in the title only)."""
    lower = text.lower()
    if len(lower) == len(text):  # str.find is C speed; a regex over a long page is not
        last = len(words) - 1
        hits = [_first_word(lower, w, prefix=prefix and n == last) for n, w in enumerate(words)]
        found = [at for at in hits if at >= 0]
        first = min(found) if found else None
    else:  # lower-casing changed the length of a character (İ): the slow way
        match = pattern.search(text)
        first = match.start() if match else None
    if first is None:
        return []
    start = max(0, first - _SNIPPET_BEFORE)
    if start:
        start = _word_start(text, start)
    end = min(len(text), start + _SNIPPET_CHARS)
    if end < len(text) and " " in text[first:end]:
        end = text.rfind(" ", first, end)
    window = " ".join(text[start:end].split())
    ranges: list[dict] = [{"text": f"{_ELLIPSIS} ", "hit": False}] if start else []
    at = 0
    for match in pattern.finditer(window):
        if match.start() > at:
            ranges.append({"text": window[at : match.start()], "hit": False})
        ranges.append({"text": match.group(), "hit": True})
        at = match.end()
    tail = window[at:] + (f" {_ELLIPSIS}" if end < len(text) else "")
    if tail:
        ranges.append({"text": tail, "hit": False})
    return _joined(ranges)


def _first_word(lower: str, word: str, *, prefix: bool) -> int:
    """Where `word` first starts a word of `lower` (and ends one, unless `prefix`), or -1."""
    at = lower.find(word)
    while at >= 0:
        end = at + len(word)
        if (at == 0 or not lower[at - 1].isalnum()) and (
            prefix or end == len(lower) or not lower[end].isalnum()
        ):
            return at
        at = lower.find(word, at + 1)
    return -1


def _word_start(text: str, at: int) -> int:
    space = text.find(" ", at)
    return space + 1 if 0 <= space < at + 20 else at


def _joined(ranges: list[dict]) -> list[dict]:
    """Neighbouring ranges of the same kind as one."""
    joined: list[dict] = []
    for r in ranges:
        if joined and joined[-1]["hit"] == r["hit"]:
            joined[-1] = {"text": joined[-1]["text"] + r["text"], "hit": r["hit"]}
        else:
            joined.append(r)
    return joined


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
