"""Search: the /search page's API (`GET /api/v1/search`) on a journal of 100,000 captures.

The journal is `bench.scale`'s synthetic one (built once, kept in bench/results/). The real
companion (no worker) serves it; each query is timed over HTTP, as the page sees it, `repeat`
times, after one untimed warm-up: a rare word, a topical word, text most pages hold, several
words, a prefix, each alone and with the page's filters (learning only, site, ISO week,
concept, and all of them). The same words through `GET /api/v1/captures?q=` (no snippets) are
the baseline measured in the same run: the difference is what the snippets cost.

    python -m bench.search [--captures 100000] [--repeat 50]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
import urllib.parse
from datetime import date
from pathlib import Path

from bench import http_json, latency_summary, start_companion
from bench.scale import synthetic_journal

__all__ = ["run"]

GOAL_P95_MS = 30


def _terms(db: Path) -> dict:
    """Words and filters drawn from the journal itself (so any synthetic journal works)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        conn.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, documents_fts, row)")
        documents = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        rare = conn.execute(
            """SELECT term FROM temp.vocab WHERE doc BETWEEN 3 AND 12 AND length(term) >= 7
               AND term GLOB '[a-z]*' ORDER BY term LIMIT 1"""
        ).fetchone()[0]
        common = conn.execute(
            "SELECT term, doc FROM temp.vocab WHERE length(term) >= 5 ORDER BY doc DESC LIMIT 1"
        ).fetchone()
        site = conn.execute(
            "SELECT site FROM captures GROUP BY site ORDER BY count(*) DESC LIMIT 1 OFFSET 2"
        ).fetchone()[0]
        week_day = conn.execute("SELECT max(day) FROM captures").fetchone()[0]
        concept = conn.execute(
            """SELECT k.label FROM capture_concepts cc JOIN concepts k ON k.id = cc.concept_id
               GROUP BY k.id ORDER BY count(*) DESC LIMIT 1"""
        ).fetchone()[0]
    finally:
        conn.close()
    year, week, _ = date.fromisoformat(week_day).isocalendar()
    return {
        "documents": documents,
        "rare": rare,
        "topical": "python",
        "common": common[0],
        "common_share": round(common[1] / documents, 2),
        "site": site,
        "week": f"{year}-W{week:02d}",
        "concept": concept,
    }


def _queries(t: dict) -> dict[str, dict]:
    every_filter = {"learning": "true", "site": t["site"], "week": t["week"]}
    return {
        f"rare word “{t['rare']}”": {"q": t["rare"]},
        "topical word “python”": {"q": "python"},
        f"common word “{t['common']}” ({t['common_share']:.0%} of pages)": {"q": t["common"]},
        "three words “write ahead log”": {"q": "write ahead log"},
        "prefix “transact”": {"q": "transact"},
        "python + learning only": {"q": "python", "learning": "true"},
        "python + site": {"q": "python", "site": t["site"]},
        "python + week": {"q": "python", "week": t["week"]},
        "python + concept": {"q": "python", "concept": t["concept"]},
        f"{t['common']} + learning + site + week": {"q": t["common"], **every_filter},
        f"{t['common']} + learning only": {"q": t["common"], "learning": "true"},
        "rare word + learning only": {"q": t["rare"], "learning": "true"},
        "no words: learning + week": {"learning": "true", "week": t["week"]},
    }


def _timed(url: str, token: str, repeat: int) -> tuple[dict, dict]:
    reply = http_json(url, token=token, timeout=120)  # warm-up, untimed
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        reply = http_json(url, token=token, timeout=120)
        seconds.append(time.perf_counter() - started)
    return latency_summary(seconds), reply


def measure(captures: int, repeat: int, fresh: bool = False) -> dict:
    """Time every query of `_queries` through /api/v1/search and the baseline list API."""
    data_dir, facts = synthetic_journal(captures, fresh)
    terms = _terms(data_dir / "journal.db")
    figures: dict = {"captures": facts["captures"], "terms": terms, "queries": {}}
    service = start_companion(data_dir, worker=False)
    try:
        base, token = service.base_url, service.token
        for name, params in _queries(terms).items():
            query = urllib.parse.urlencode(params)
            summary, reply = _timed(f"{base}/api/v1/search?{query}", token, repeat)
            row = {**summary, "hits": reply["total"], "capped": reply["total_capped"]}
            row["snippets"] = sum(bool(item["snippet"]) for item in reply["items"])
            if set(params) <= {"q", "learning", "site", "concept"}:
                listed, _ = _timed(f"{base}/api/v1/captures?{query}&limit=20", token, repeat)
                row["list_api_p95_ms"] = listed["p95_ms"]
            figures["queries"][name] = row
            hits = f"{row['hits']}{'+' if row['capped'] else ''} hits"
            baseline = (
                f" (list API {row['list_api_p95_ms']} ms)" if "list_api_p95_ms" in row else ""
            )
            print(f"  search {name}: p95 {row['p95_ms']} ms{baseline}, {hits}", file=sys.stderr)
    finally:
        service.stop()
    figures["worst_p95_ms"] = max(q["p95_ms"] for q in figures["queries"].values())
    figures["goal_p95_ms"] = GOAL_P95_MS
    return figures


def run(options) -> dict:
    """`python -m bench --only search`."""
    captures = 20_000 if options.quick else 100_000
    return measure(captures, 20 if options.quick else 50, options.fresh)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__)
    parser.add_argument("--captures", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args(argv)
    figures = measure(args.captures, args.repeat)
    worst = figures["worst_p95_ms"]
    print(f"worst p95 {worst} ms (goal ≤ {GOAL_P95_MS} ms)")
    return 0 if worst <= GOAL_P95_MS else 1


if __name__ == "__main__":
    sys.exit(main())
