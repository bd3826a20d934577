"""Build `journal.json`: captures as Inflow's code at commit b5729f5 stored them (keyed raw).

It must run on that commit's code (later code keys documents correctly and cannot make the
bad cases): `git worktree add /tmp/old b5729f5 && cd /tmp/old && PYTHONPATH=. python
/path/to/this/make.py /path/to/journal.json`. Every capture goes through the API's ingest and
the worker's `process_batch` with the real `nlp.Analyzer`, in this order:

- alpha.example/guide (canonical: itself), then spam.example/offer naming alpha's URL as its
  canonical: spam's text overwrote alpha's document;
- beta.example/ and gamma.example/welcome, both `<link rel=canonical href="/">`: one document
  "/", gamma's text over beta's; then beta sends a new snapshot (queued, in the inbox);
- delta.example/post, then ?utm_source=news and ?utm_medium=social&utm_source=x: three
  documents for one page; delta.example/changes?since=2024 (a real parameter) and
  delta.example/changes.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from companion.journal import Journal
from companion.journal import captures as store
from companion.journal.processing import claim_pending
from companion.worker import process_batch
from nlp import Analyzer

TABLES = ("documents", "captures", "inbox", "concepts", "capture_concepts")


def page(title: str, body: str, canonical: str | None = None) -> str:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    paragraphs = "".join(f"<p>{body} Sentence {n} of {title}.</p>" for n in range(6))
    return (
        f"<html><head><title>{title}</title>{link}</head><body><article><h1>{title}</h1>"
        f"{paragraphs}</article></body></html>"
    )


CAPTURES = [
    (
        "alpha-1",
        "https://alpha.example/guide",
        "Alpha guide to tide pools",
        page(
            "Alpha guide to tide pools",
            "Anemones and hermit crabs live in alpha tide pools.",
            "https://alpha.example/guide",
        ),
    ),
    (
        "spam-1",
        "https://spam.example/offer",
        "Cheap watches offer",
        page(
            "Cheap watches offer",
            "Buy cheap spam watches today with free shipping.",
            "https://alpha.example/guide",
        ),
    ),
    (
        "beta-1",
        "https://beta.example/",
        "Beta bakery sourdough",
        page("Beta bakery sourdough", "Beta sourdough needs a lively starter and patience.", "/"),
    ),
    (
        "gamma-1",
        "https://gamma.example/welcome",
        "Gamma glassblowing studio",
        page("Gamma glassblowing studio", "Gamma glassblowers gather molten glass on a pipe.", "/"),
    ),
    (
        "delta-0",
        "https://delta.example/post",
        "Delta rust lifetimes (draft)",
        page("Delta rust lifetimes (draft)", "Delta drafted notes on rust lifetimes."),
    ),
    (
        "delta-1",
        "https://delta.example/post?utm_source=news",
        "Delta rust lifetimes",
        page("Delta rust lifetimes", "Delta explains rust lifetimes and the borrow checker."),
    ),
    (
        "delta-2",
        "https://delta.example/post?utm_medium=social&utm_source=x",
        "Delta rust lifetimes",
        page("Delta rust lifetimes", "Delta explains rust lifetimes and the borrow checker."),
    ),
    (
        "delta-3",
        "https://delta.example/changes?since=2024",
        "Delta changes since 2024",
        page("Delta changes since 2024", "Delta changed its borrow checker notes in 2024."),
    ),
    (
        "delta-4",
        "https://delta.example/changes",
        "Delta changes",
        page("Delta changes", "Delta keeps a changelog of every borrow checker note."),
    ),
]
RESENT = ("beta-1", page("Beta bakery sourdough", "Beta sourdough loaves rise overnight.", "/"))


def capture(capture_id: str, url: str, title: str, html: str, minute: int) -> dict:
    return {
        "id": capture_id,
        "url": url,
        "title": title,
        "kind": "page",
        "started_at": datetime.fromisoformat(f"2026-11-24T10:{minute:02d}:00+01:00"),
        "ended_at": None,
        "engaged_seconds": 120.0,
        "scroll_depth": 0.7,
        "html": html,
        "search_query": None,
    }


def main(out: Path) -> None:
    analyzer = Analyzer()
    with tempfile.TemporaryDirectory() as tmp:
        journal = Journal(Path(tmp) / "journal.db")
        for minute, (capture_id, url, title, html) in enumerate(CAPTURES):
            store.ingest(journal, capture(capture_id, url, title, html, minute), max_queue=100)
            process_batch(journal, analyzer, claim_pending(journal, 1))  # one at a time, in order
        capture_id, html = RESENT
        _, url, title, _ = next(c for c in CAPTURES if c[0] == capture_id)
        store.ingest(journal, capture(capture_id, url, title, html, 2), max_queue=100)
        journal.close()
        conn = sqlite3.connect(Path(tmp) / "journal.db")
        conn.row_factory = sqlite3.Row
        dump = {
            table: [dict(row) for row in conn.execute(f"SELECT * FROM {table} ")]
            for table in TABLES
        }
    dump = {"about": __doc__.splitlines()[0], **dump}
    out.write_text(json.dumps(dump, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
