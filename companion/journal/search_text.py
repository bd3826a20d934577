"""What a person typed, as the search sees it: the FTS5 query it becomes, and the snippets that
show where it matched in each page found.

The query is safe (every word quoted) and fast at 100k captures: a last word of 4+ letters is
a prefix, as people type it, unless it is itself an indexed word, then it is matched as the few
terms it begins, by name (`match_query`). Snippets are cut from the page's text in Python.
"""

from __future__ import annotations

import json
import re
import sqlite3

__all__ = ["fts_query", "match_query", "snippets"]

# A snippet: the text around the first word that matched, this many characters before and in all
# (cut at word boundaries). Cut from the page's text here, not by FTS5's `snippet()`: that one
# tokenises the whole document and, for a prefix ("pyth*"), merges every matching term's hit
# list again for each document (180 ms for a page of 20 results of a common word; under 1 ms here).
_SNIPPET_BEFORE = 80
_SNIPPET_CHARS = 240
_ELLIPSIS = "…"
_SCAN_CHUNK = 4_096  # characters of a page lower-cased and searched at a time for the first hit
# FTS5's default tokenizer (unicode61) splits on anything but letters and digits.
_TOKEN = re.compile(r"[^\W_]+")
_PREFIX_FROM = 4  # letters from which the last word also matches as a prefix (see `fts_query`)
# A whole last word with at most this many longer indexed terms is matched as those terms by name
# instead of as a prefix (see `match_query`); with more, the prefix query is cheaper than the names.
_NAMED_COMPLETIONS_MAX = 16
# A word that FTS5's tokenizer indexes as it is written once lower-cased (no diacritic to fold,
# no separator inside): only such a word is looked up among the indexed terms.
_PLAIN_TERM = re.compile(r"[a-z0-9]+")


def fts_query(q: str, completions: list[str] | None = None) -> str:
    """Turn what a person typed into a safe FTS5 query: every word must appear.

    Words are quoted (no FTS syntax gets through). The last word also matches as a prefix, as
    people type it ("sqlite transa" finds "transaction"), once it has 4 letters: a shorter
    prefix expands to thousands of terms and costs 10x more than it helps. `completions`, when
    given, are every indexed term that the last word begins (itself included): they are named
    instead of the prefix, which finds the same documents (see `match_query`).
    """
    words = _fts_words(q)
    if not words:
        return '""'
    if completions:
        last = " OR ".join(f'"{term}"' for term in completions)
        last = f"({last})" if len(completions) > 1 else last
    else:
        last = f'"{words[-1]}"*' if len(words[-1]) >= _PREFIX_FROM else f'"{words[-1]}"'
    return " AND ".join([*(f'"{w}"' for w in words[:-1]), last])


def _fts_words(q: str) -> list[str]:
    return [w.replace('"', "") for w in q.split() if w.replace('"', "")]


def match_query(conn: sqlite3.Connection, q: str) -> str:
    """`fts_query(q)` for this journal: a last word that is itself an indexed term, with few
    longer ones, is matched as those terms by name ("about"; "data" OR "database" OR …).

    The same documents match; but FTS5 expands a prefix anew each time it is asked about one
    document, and the newest-first walk asks once per capture ("about", 67% of pages: 142 ms
    at 100k, bench/README.md run S), where a named term is one seek. A partial word
    ("transact") stays a prefix.
    """
    words = _fts_words(q)
    if not words or len(words[-1]) < _PREFIX_FROM:
        return fts_query(q)
    return fts_query(q, _completions(conn, words[-1].lower()))


def _completions(conn: sqlite3.Connection, word: str) -> list[str] | None:
    """The indexed terms that `word` begins, itself first, if it is itself one and begins at
    most `_NAMED_COMPLETIONS_MAX` others; else None.

    Whether `word` is indexed is asked of the index (one seek); the longer terms are read from
    the index's term list past it (`documents_terms`), which counts each term's documents:
    cheap for the rare longer forms of a word, and `word`'s own list is never counted.
    """
    if not _PLAIN_TERM.fullmatch(word):
        return None
    indexed = conn.execute(
        "SELECT 1 FROM documents_fts WHERE documents_fts MATCH ? LIMIT 1", (f'"{word}"',)
    ).fetchone()
    if indexed is None:
        return None
    longer = [
        term
        for (term,) in conn.execute(
            "SELECT term FROM documents_terms WHERE term >= ? AND term < ? LIMIT ?",
            (f"{word}\x01", f"{word}\U0010ffff", _NAMED_COMPLETIONS_MAX + 1),
        )
    ]
    return None if len(longer) > _NAMED_COMPLETIONS_MAX else [word, *longer]


def snippets(conn: sqlite3.Connection, q: str, document_ids: list) -> dict[int, list[dict]]:
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
    first = _first_hit(text, pattern, words, prefix)
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


def _first_hit(text: str, pattern: re.Pattern, words: list[str], prefix: bool) -> int | None:
    """Where the first of `words` (lower case; the last a prefix if `prefix`) starts a word of
    `text`, or None.

    str.find is C speed, a regex over a long page is not; and the text is lower-cased and
    searched a chunk at a time, stopping at the first chunk with a hit, so a word the page lacks
    (it was in the title) or holds only near its end does not cost a pass over the whole page
    for each word (3.8 -> 1.5 ms for the 20 snippets of "write ahead log" at 100k).
    """
    last = len(words) - 1
    reach = max(map(len, words)) + 1  # past a chunk: the end of a hit begun in it, and one more
    for start in range(0, len(text), _SCAN_CHUNK):
        before = max(0, start - 1)  # the character before the chunk, to see where a word starts
        chunk = text[before : start + _SCAN_CHUNK + reach]
        lower = chunk.lower()
        if len(lower) != len(chunk):  # lower-casing changed a character's length (İ): regex
            match = pattern.search(text)
            return match.start() if match else None
        scan = (start - before, start - before + _SCAN_CHUNK)
        hits = [
            _first_word(lower, w, scan, prefix=prefix and n == last) for n, w in enumerate(words)
        ]
        found = [at for at in hits if at >= 0]
        if found:
            return before + min(found)
    return None


def _first_word(lower: str, word: str, scan: tuple[int, int], *, prefix: bool) -> int:
    """Where `word` first starts a word of `lower` within `scan` (a start included and an end
    excluded for where it starts), ending one unless `prefix`; or -1. `lower` holds one more
    character on each side of `scan` where the text has them."""
    at = lower.find(word, scan[0], scan[1] + len(word) - 1)
    while at >= 0:
        end = at + len(word)
        if (at == 0 or not lower[at - 1].isalnum()) and (
            prefix or end == len(lower) or not lower[end].isalnum()
        ):
            return at
        at = lower.find(word, at + 1, scan[1] + len(word) - 1)
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
