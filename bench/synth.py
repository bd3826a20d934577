"""A synthetic journal for scale benchmarks, written through the journal's own write path.

`synthesize(path, captures=100_000)` fills a fresh journal with a year of plausible browsing:
~300 sites (documentation, Q&A, repositories, video, news, social, shops) drawn Zipf-like, URLs
revisited (one document per canonical URL), titles and main texts from real English word
frequencies (wordfreq) with lognormal lengths (median ~500 words), ~10 ranked concepts per
capture from a shared vocabulary of topics, learning tags consistent with the site, searches
that led to pages, and a busy "today". Every capture goes through `captures.ingest` and
`processing.save_analysis`, exactly as the API and the worker store them; only the commits are
grouped (one transaction per 2,000 captures, `synchronous = OFF`) so 100k take minutes, not
hours. Its full-text index is merged into one segment at the end, as the worker merges it when
it falls idle after a backfill.

    python -m bench.synth /tmp/journal.db --captures 100000
"""

from __future__ import annotations

import argparse
import itertools
import math
import random
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

__all__ = ["synthesize"]

# (site, source_kind, form, modality, four_e, learning share, kind)
_SITES = [
    ("docs.python.org", "documentation", "reference", "reading", "environment", 0.95, "page"),
    ("developer.mozilla.org", "documentation", "reference", "reading", "environment", 0.95, "page"),
    ("stackoverflow.com", "q&a", "just-in-time", "reading", "exposure", 0.9, "page"),
    ("github.com", "repository", "just-in-time", "doing", "experience", 0.7, "page"),
    ("youtube.com", "video", "deep-dive", "watching", "education", 0.5, "video"),
    ("en.wikipedia.org", "article", "micro", "reading", "exposure", 0.8, "page"),
    ("medium.com", "article", "micro", "reading", "exposure", 0.6, "page"),
    ("realpython.com", "tutorial", "deep-dive", "reading", "education", 0.95, "page"),
    ("sqlite.org", "documentation", "reference", "reading", "environment", 0.95, "page"),
    ("news.ycombinator.com", "forum", "micro", "reading", "exposure", 0.4, "page"),
    ("reddit.com", "forum", "micro", "reading", "exposure", 0.3, "page"),
    ("arxiv.org", "paper", "deep-dive", "reading", "education", 0.9, "page"),
    ("coursera.org", "course", "course", "watching", "education", 0.95, "video"),
    ("nytimes.com", "news", None, "reading", None, 0.1, "page"),
    ("bbc.co.uk", "news", None, "reading", None, 0.1, "page"),
    ("twitter.com", "social", None, "reading", None, 0.05, "page"),
    ("amazon.com", "shop", None, "reading", None, 0.02, "page"),
    ("podcasts.apple.com", "podcast", "deep-dive", "listening", "exposure", 0.6, "audio"),
]
_LONG_TAIL = 280  # blogs and docs of smaller projects: blogN.example.dev


class _GroupedJournal:
    """The journal's own functions, with their transactions grouped into a few large ones."""

    def __init__(self, journal):
        self._journal = journal
        self.conn = journal._writer

    @contextmanager
    def transaction(self) -> Iterator:
        yield self.conn

    def reader(self):
        return self._journal.reader()


def _vocabulary(rng: random.Random) -> tuple[list[str], list[float], list[str]]:
    from wordfreq import top_n_list

    words = [w for w in top_n_list("en", 30_000) if w.isalpha()]
    weights = list(itertools.accumulate(1 / (rank + 10) for rank in range(len(words))))
    middle = words[400:12_000]
    concepts = sorted({f"{rng.choice(middle)} {rng.choice(middle)}" for _ in range(6000)})
    concepts += middle[:2000]
    return words, weights, concepts


def _site_table(rng: random.Random) -> list[tuple]:
    tail = []
    kinds = [("tutorial", "deep-dive", "education"), ("article", "micro", "exposure")]
    kinds += [("documentation", "reference", "environment")]
    for n in range(_LONG_TAIL):
        source, form, four_e = rng.choice(kinds)
        tail.append((f"blog{n}.example.dev", source, form, "reading", four_e, 0.75, "page"))
    return _SITES + tail


def _words(rng, words, weights, count: int) -> str:
    return " ".join(rng.choices(words, cum_weights=weights, k=count))


class _Prose:
    """Zipf-distributed words, drawn once into a pool that pages are cut from (fast)."""

    def __init__(self, rng: random.Random, words: list[str], weights: list[float]):
        self.rng = rng
        self.pool = rng.choices(words, cum_weights=weights, k=400_000)

    def text(self, concepts: list[str], count: int) -> str:
        """Paragraphs of `count` words, with the page's concepts mentioned in them."""
        paragraphs, left = [], count
        while left > 0:
            size = min(left, self.rng.randint(40, 160))
            start = self.rng.randrange(len(self.pool) - size)
            body = " ".join(self.pool[start : start + size])
            paragraphs.append(f"{body} {self.rng.choice(concepts)}.")
            left -= size
        return "\n\n".join(paragraphs)


def synthesize(
    path: Path,
    captures: int = 100_000,
    *,
    days: int = 365,
    seed: int = 7,
    today: date | None = None,
    progress: bool = True,
) -> dict:
    """Fill a fresh journal at `path` with `captures` synthetic captures; return its facts.

    The last day is `today` (default: the machine's today) and holds a busy day's worth
    (~1.5x the average). Returns `{"captures", "documents", "concepts", "seconds", "days"}`.
    """
    from companion.journal import Journal
    from companion.journal.captures import ingest
    from companion.journal.processing import save_analysis
    from companion.journal.search_index import merge_segments
    from nlp import Analysis, Concept, LearningTags, Metadata, concept_key

    rng = random.Random(seed)
    today = today or date.today()
    offset = timezone(timedelta(hours=1))
    words, weights, concept_vocab = _vocabulary(rng)
    prose = _Prose(rng, words, weights)
    sites = _site_table(rng)
    site_weights = list(itertools.accumulate(1 / (rank + 1.5) for rank in range(len(sites))))
    topics = [rng.sample(concept_vocab, 25) for _ in range(800)]
    journal = Journal(path)
    grouped = _GroupedJournal(journal)
    conn = journal._writer
    conn.execute("PRAGMA synchronous = OFF")
    # Captures per day: weekdays busier, today ~1.5x the average.
    day_list = [today - timedelta(days=n) for n in range(days - 1, -1, -1)]
    shares = [(1.0 if d.weekday() < 5 else 0.35) for d in day_list]
    shares[-1] = 1.5
    total_share = sum(shares)
    per_day = [max(1, round(captures * s / total_share)) for s in shares]
    per_day[-1] += captures - sum(per_day)
    pages: list[tuple] = []  # revisited URLs: (url, site index, topic index, title)
    started = time.perf_counter()
    written = 0
    conn.execute("BEGIN")
    for day, count in zip(day_list, per_day, strict=True):
        moment = datetime(day.year, day.month, day.day, 8, 30, tzinfo=offset)
        for _ in range(count):
            moment += timedelta(seconds=rng.randint(20, 240))
            if pages and rng.random() < 0.35:
                url, site_index, topic_index, title = rng.choice(pages)
            else:
                site_index = rng.choices(range(len(sites)), cum_weights=site_weights)[0]
                topic_index = rng.randrange(len(topics))
                site = sites[site_index][0]
                slug = "-".join(rng.choices(words[200:5000], k=rng.randint(2, 6)))
                url = f"https://{site}/{rng.choice(['docs', 'blog', 'questions', 'wiki'])}/{slug}"
                if sites[site_index][6] == "video":
                    url = f"https://{site}/watch?v={uuid.uuid4().hex[:11]}&t=42"
                title = f"{_words(rng, words, weights, rng.randint(4, 10)).title()} | {site}"
                pages.append((url, site_index, topic_index, title))
            site, source, form, modality, four_e, learning_share, kind = sites[site_index]
            topic = topics[topic_index]
            chosen = rng.sample(topic, rng.randint(6, 14))
            n_words = min(20_000, int(rng.lognormvariate(math.log(500), 1.0)))
            text = prose.text(chosen, n_words)
            engaged = round(rng.lognormvariate(math.log(60), 1.1), 1)
            capture = {
                "id": str(uuid.uuid4()),
                "url": url,
                "title": title,
                "kind": kind,
                "started_at": moment,
                "ended_at": moment + timedelta(seconds=engaged),
                "engaged_seconds": engaged,
                "scroll_depth": round(rng.random(), 2),
                "search_query": _words(rng, words, weights, 4) if rng.random() < 0.12 else None,
                "media": {"duration": 900.0, "watched_seconds": engaged * 1.2}
                if kind != "page"
                else None,
                "html": None,
                "text": None,
            }
            ingest(grouped, capture, max_queue=10**9)
            is_learning = rng.random() < learning_share
            analysis = Analysis(
                title=title,
                text=text,
                metadata=Metadata(
                    site=site,
                    canonical_url=url.split("&t=")[0],
                    language="en",
                    word_count=n_words,
                    reading_minutes=round(n_words / 230, 1),
                ),
                concepts=tuple(
                    Concept(label, concept_key(label), round(1 / (rank + 1), 3))
                    for rank, label in enumerate(chosen)
                ),
                learning=LearningTags(
                    is_learning=is_learning,
                    learning_score=round(rng.uniform(0.6, 0.95) if is_learning else 0.2, 2),
                    reasons=("synthetic: site kind", f"engaged {engaged:.0f}s"),
                    form=form if is_learning else None,
                    modality=modality,
                    source_kind=source,
                    four_e=four_e if is_learning else None,
                ),
            )
            conn.execute("UPDATE captures SET status = 'processing' WHERE id = ?", (capture["id"],))
            save_analysis(grouped, capture["id"], analysis.to_dict())
            written += 1
            if written % 2000 == 0:
                conn.execute("COMMIT")
                conn.execute("BEGIN")
                if progress:
                    rate = written / (time.perf_counter() - started)
                    print(
                        f"\r  synth: {written}/{captures} ({rate:.0f}/s)", end="", file=sys.stderr
                    )
    conn.execute("COMMIT")
    merge_segments(journal)  # as the worker does when it falls idle after a backfill
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA optimize")
    facts = {"captures": written, "seconds": round(time.perf_counter() - started, 1), "days": days}
    with journal.reader() as reader:
        facts["documents"] = reader.execute("SELECT count(*) FROM documents").fetchone()[0]
        facts["concepts"] = reader.execute("SELECT count(*) FROM concepts").fetchone()[0]
    journal.close()
    if progress:
        print(file=sys.stderr)
    return facts


def main(argv: list[str] | None = None) -> int:
    """`python -m bench.synth PATH [--captures N]`: write a synthetic journal."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--captures", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=365)
    args = parser.parse_args(argv)
    print(synthesize(args.path, args.captures, days=args.days))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
