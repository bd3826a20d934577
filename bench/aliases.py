"""Concepts across captures on real pages: what the alias finder finds, and what it saves a journal.

    .venv/bin/python -m bench.aliases [--corpus PATH] [--sample 20] [--seed 12]

Every page of `pages/`, `articles/` and `browsing/` is analysed once by the real `Analyzer`
without aliases (the ranker's concepts alone); `nlp.aliases.page_aliases` then runs on each
page's concepts and title + text, as the analyzer does by default. Two fresh journals store
every page, one capture each, through the worker's own path (`ingest` → `claim_pending` →
`save_analysis`): one with the ranker's concepts alone ("before"), one with the aliases
("after"). Printed: aliases found per kind, pages with one, the concept rows and links of both
journals, the alias rows the journal learned, the finder's time, and a random sample of the
aliases with their page, to read by hand.
"""

from __future__ import annotations

import argparse
import pickle
import random
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from .quality import DEFAULT_CORPUS, _manifest

FOLDERS = ("pages", "articles", "browsing")


def _pages(corpus: Path) -> list[tuple[str, str, str]]:
    """`(name, url, html)` of every page of `FOLDERS`."""
    found = []
    for folder in FOLDERS:
        manifest = _manifest(corpus / folder)
        for path in sorted((corpus / folder).glob("*.html")):
            url = manifest.get(path.stem, {}).get("url") or f"https://{folder}.example/{path.stem}"
            html = path.read_text(encoding="utf-8", errors="replace")
            found.append((f"{folder}/{path.stem}", url, html))
    return found


def _journal_of(analyses: list[tuple[str, dict]], path: Path) -> dict:
    """Store each `(url, analysis dict)` as one processed capture; count what the journal holds."""
    from companion.journal import Journal
    from companion.journal.captures import ingest
    from companion.journal.processing import claim_pending, save_analysis

    journal = Journal(path)
    try:
        for url, analysis in analyses:
            capture_id = str(uuid.uuid4())
            capture = {
                "id": capture_id,
                "url": url,
                "title": analysis["title"],
                "kind": "page",
                "started_at": datetime.fromisoformat("2026-11-24T10:00:00+01:00"),
                "engaged_seconds": 60.0,
                "text": "bench",
            }
            ingest(journal, capture, max_queue=10**6)
            claim_pending(journal, 10)
            save_analysis(journal, capture_id, analysis)
        with journal.reader() as conn:
            count = {
                "concepts": conn.execute("SELECT count(*) FROM concepts").fetchone()[0],
                "links": conn.execute("SELECT count(*) FROM capture_concepts").fetchone()[0],
                "aliases": dict(
                    conn.execute("SELECT kind, count(*) FROM concept_aliases GROUP BY kind")
                ),
                "aliases used": conn.execute(
                    """SELECT count(*) FROM concept_aliases a
                       WHERE NOT EXISTS (SELECT 1 FROM concepts k WHERE k.key = a.alias)"""
                ).fetchone()[0],
            }
    finally:
        journal.close()
    return count


def main(argv: list[str] | None = None) -> int:
    """Print the alias figures over the shared corpus's real pages."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sample", type=int, default=20)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument(
        "--cache",
        type=Path,
        help="keep the ranker's analyses in this file and reuse them (to iterate on the finder)",
    )
    args = parser.parse_args(argv)
    if not (args.corpus / "pages").is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2

    from nlp import Analyzer, PageInput
    from nlp.aliases import page_aliases

    pages = _pages(args.corpus)
    if args.cache and args.cache.exists():
        analyses = pickle.loads(args.cache.read_bytes())
    else:
        analyzer = Analyzer(find_aliases=False)
        started = time.perf_counter()
        analyses = analyzer.analyze_many([PageInput(url=u, html=html) for _, u, html in pages])
        print(f"{len(pages)} pages analysed in {time.perf_counter() - started:.0f} s")
        if args.cache:
            args.cache.write_bytes(pickle.dumps(analyses))

    before, after, found = [], [], []
    finder_seconds = 0.0
    for (name, url, _), analysis in zip(pages, analyses, strict=True):
        started = time.perf_counter()
        concepts, aliases = page_aliases(analysis.concepts, f"{analysis.title}\n\n{analysis.text}")
        finder_seconds += time.perf_counter() - started
        before.append((url, analysis.to_dict()))
        after.append((url, replace(analysis, concepts=concepts, aliases=aliases).to_dict()))
        found += [(name, alias) for alias in aliases]

    kinds = Counter(alias.kind for _, alias in found)
    pages_with = len({name for name, _ in found})
    slots = sum(len(a.concepts) for a in analyses) - sum(len(a["concepts"]) for _, a in after)
    print(f"aliases found: {len(found)} ({dict(kinds)}) on {pages_with} pages")
    print(f"top-concept slots joined within a page: {slots}")
    print(f"finder: {finder_seconds * 1000:.0f} ms for all pages")
    with tempfile.TemporaryDirectory() as workdir:
        for label, analysed in (("before", before), ("after", after)):
            counts = _journal_of(analysed, Path(workdir) / f"{label}.db")
            print(f"journal {label}: {counts}")

    print(f"\nsample of {args.sample} aliases (seed {args.seed}):")
    rng = random.Random(args.seed)
    for name, alias in rng.sample(found, min(args.sample, len(found))):
        print(f"  {alias.kind:8} {alias.alias!r} -> {alias.key!r} ({alias.label!r})  [{name}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
