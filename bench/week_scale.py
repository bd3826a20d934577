"""Week scale: time to build the weekly summary (JSON) and its Markdown on 100,000 captures.

The journal comes from `bench.synth` (every capture through `captures.ingest` and
`processing.save_analysis`, commits grouped), spread over ~60 weeks (420 days), and is kept in
bench/results/week-synth-<n>/ for the next run (`--fresh` rebuilds it). `week_summary` is timed
in-process (no HTTP) on the busiest recent week and on weeks drawn across the whole year, then
`week_markdown` on its result. The issue's goal: p95 under 200 ms.

    python -m bench.week_scale [--captures 100000] [--repeat 30] [--fresh]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from bench import RESULTS, latency_summary

__all__ = ["run"]

_DAYS = 420  # ~60 weeks


def _journal(captures: int, fresh: bool) -> tuple[Path, dict]:
    from bench.synth import synthesize

    data_dir = RESULTS / f"week-synth-{captures}"
    facts_path = data_dir / "synth.json"
    if fresh or not facts_path.exists():
        shutil.rmtree(data_dir, ignore_errors=True)
        data_dir.mkdir(parents=True)
        facts = synthesize(data_dir / "journal.db", captures, days=_DAYS)
        facts["today"] = date.today().isoformat()
        facts_path.write_text(json.dumps(facts))
    return data_dir / "journal.db", json.loads(facts_path.read_text())


def measure(path: Path, today: date, repeat: int) -> dict:
    """Time `week_summary` and `week_markdown` on this week and on weeks across the journal."""
    from companion.journal import Journal
    from companion.journal.week import iso_week_of, week_summary
    from companion.week_markdown import week_markdown

    rng = random.Random(5)
    weeks = [iso_week_of(today)] + [
        iso_week_of(today - timedelta(days=rng.randrange(7, _DAYS))) for _ in range(repeat - 1)
    ]
    journal = Journal(path)
    try:
        week_summary(journal, weeks[0])  # warm the page cache, as a running companion would be
        build, render, sizes = [], [], []
        for week in weeks + weeks[:1] * repeat:
            started = time.perf_counter()
            summary = week_summary(journal, week, today=today)
            build.append(time.perf_counter() - started)
            started = time.perf_counter()
            week_markdown(summary)
            render.append(time.perf_counter() - started)
            sizes.append(summary["totals"]["captures"])
        everything = []
        for _ in range(max(3, repeat // 5)):
            started = time.perf_counter()
            week_summary(journal, weeks[0], today=today, show_all=True)
            everything.append(time.perf_counter() - started)
    finally:
        journal.close()
    return {
        "weeks_timed": len(build),
        "captures_per_week_median": sorted(sizes)[len(sizes) // 2],
        "week_json": latency_summary(build),
        "markdown": latency_summary(render),
        "week_json_show_all": latency_summary(everything),
        "goal": "week_json p95 < 200 ms",
    }


def run(options) -> dict:
    """The `python -m bench` entry: build (or reuse) the journal and measure."""
    captures = 20_000 if getattr(options, "quick", False) else 100_000
    path, facts = _journal(captures, getattr(options, "fresh", False))
    today = date.fromisoformat(facts["today"])
    return {"synth": facts, **measure(path, today, 10 if options.quick else 30)}


def main(argv: list[str] | None = None) -> int:
    """`python -m bench.week_scale`: print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--captures", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args(argv)
    path, facts = _journal(args.captures, args.fresh)
    result = {"synth": facts, **measure(path, date.fromisoformat(facts["today"]), args.repeat)}
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
