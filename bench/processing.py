"""Processing: pages/s and words/s through the worker's whole path, against the raw libraries.

Pipeline = what the worker does: `claim_pending` → `process_batch` (`Analyzer.analyze_many`:
extraction, signals, language, spaCy + concept ranking, learning tags) → `save_analysis`
(document, FTS, concepts), on a fresh journal. Raw = `trafilatura.extract(html)` then
`nlp.pipe(texts)` of the same spaCy model with the same components excluded and the same
100,000-character cap, in the same process, on the same pages. Runs alternate; medians.
The slowest pages are then timed one by one, stage by stage, to say where their time goes.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from bench import corpus_pages, median

__all__ = ["run"]

_WORD = re.compile(r"\w+")
_SETS = ("articles", "pages")


def _captures(pages: list[Path], htmls: list[str]) -> list[dict]:
    now = datetime.now(UTC)
    return [
        {
            "id": str(uuid.uuid4()),
            "url": f"https://bench.example.com/{page.stem}",
            "title": "",
            "kind": "page",
            "started_at": now,
            "engaged_seconds": 90.0,
            "scroll_depth": 0.6,
            "html": html,
        }
        for page, html in zip(pages, htmls, strict=True)
    ]


def _pipeline_seconds(analyzer, captures: list[dict], workdir: Path, batch_size: int) -> float:
    from companion.journal import Journal
    from companion.journal.captures import ingest
    from companion.journal.processing import claim_pending
    from companion.worker import process_batch

    journal = Journal(workdir / f"journal-{uuid.uuid4().hex[:6]}.db")
    try:
        for capture in captures:
            ingest(journal, capture, max_queue=10**6)
        started = time.perf_counter()
        done = failed = 0
        while batch := claim_pending(journal, batch_size):
            ok, bad = process_batch(journal, analyzer, batch)
            done, failed = done + ok, failed + bad
        seconds = time.perf_counter() - started
    finally:
        journal.close()
    if done != len(captures):
        print(f"  processing: {failed} pages failed", file=sys.stderr)
    return seconds


def _raw_seconds(raw_nlp, htmls: list[str], cap: int) -> tuple[float, int]:
    import trafilatura

    started = time.perf_counter()
    texts = [trafilatura.extract(html) or "" for html in htmls]
    for _ in raw_nlp.pipe([text[:cap] for text in texts if text], batch_size=16):
        pass
    return time.perf_counter() - started, sum(len(_WORD.findall(t)) for t in texts)


def _slowest(analyzer, raw_nlp, pages, htmls, top: int = 6) -> list[dict]:
    import trafilatura

    from nlp import PageInput
    from nlp.extract import extract_page

    timings = []
    for page, html in zip(pages, htmls, strict=True):
        item = PageInput(url=f"https://bench.example.com/{page.stem}", html=html, kind="page")
        t0 = time.perf_counter()
        extracted = extract_page(item)
        t1 = time.perf_counter()
        analyzer.analyze(item)
        t2 = time.perf_counter()
        text = trafilatura.extract(html) or ""
        t3 = time.perf_counter()
        raw_nlp(text[: analyzer.max_spacy_chars])
        t4 = time.perf_counter()
        timings.append(
            {
                "page": f"{page.parent.name}/{page.name}",
                "html_kb": round(len(html.encode()) / 1024),
                "words": extracted.metadata.word_count,
                "pipeline_ms": round((t2 - t1) * 1000),
                "extract_ms": round((t1 - t0) * 1000),
                "nlp_and_tags_ms": round((t2 - t1 - (t1 - t0)) * 1000),
                "raw_trafilatura_ms": round((t3 - t2) * 1000),
                "raw_spacy_ms": round((t4 - t3) * 1000),
            }
        )
    timings.sort(key=lambda t: t["pipeline_ms"], reverse=True)
    return timings[:top]


def run(options) -> dict:
    """Pages/s and words/s, pipeline vs raw, for corpus/articles and corpus/pages."""
    import spacy

    from companion.settings import Settings
    from nlp import Analyzer
    from nlp.analyzer import _NOT_NEEDED

    settings = Settings()
    analyzer = Analyzer(settings.spacy_model)
    raw_nlp = spacy.load(settings.spacy_model, exclude=list(_NOT_NEEDED))
    runs = 1 if options.quick else min(options.runs, 3)
    results: dict[str, dict] = {}
    all_pages, all_htmls = [], []
    with tempfile.TemporaryDirectory(prefix="inflow-bench-processing-") as tmp:
        for name in _SETS:
            pages = corpus_pages(name)
            htmls = [page.read_bytes().decode("utf-8", "replace") for page in pages]
            all_pages += pages
            all_htmls += htmls
            captures = _captures(pages, htmls)
            _raw_seconds(raw_nlp, htmls[:5], analyzer.max_spacy_chars)  # warm both up
            analyzer.analyze_many([])
            raw, pipe, words = [], [], 0
            for _ in range(runs):
                seconds, words = _raw_seconds(raw_nlp, htmls, analyzer.max_spacy_chars)
                raw.append(seconds)
                pipe.append(
                    _pipeline_seconds(analyzer, captures, Path(tmp), settings.worker_batch_size)
                )
            raw_s, pipe_s = median(raw), median(pipe)
            results[name] = {
                "pages": len(pages),
                "words": words,
                "runs": runs,
                "raw_pages_per_s": round(len(pages) / raw_s, 2),
                "raw_words_per_s": round(words / raw_s),
                "pipeline_pages_per_s": round(len(pages) / pipe_s, 2),
                "pipeline_words_per_s": round(words / pipe_s),
                "x_raw": round(raw_s / pipe_s, 2),
            }
            row = results[name]
            print(
                f"  processing {name}: pipeline {row['pipeline_pages_per_s']} pages/s, raw "
                f"{row['raw_pages_per_s']} pages/s ({row['x_raw']}x raw)",
                file=sys.stderr,
            )
        slowest = _slowest(analyzer, raw_nlp, all_pages, all_htmls)
    return {"sets": results, "slowest": slowest, "goal_x_raw": 0.8}
