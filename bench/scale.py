"""Scale: the popup's and the weekly page's reads on a journal of 100,000 captures.

The journal comes from `bench.synth` (through the journal's own write path) and is kept in
bench/results/ for the next run (`--fresh` rebuilds it). The real companion (no worker) serves
it; each query is timed over HTTP, as the popup sees it, `repeat` times: today, the week's
summary (when `companion.journal.week` exists), full-text search, a concept's history. The
journal's size on disk is reported per 100k captures. As a peer reference, aw-server gets the
same number of events and its own query API is timed for a day and a week.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
import urllib.parse
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench import RESULTS, http_json, latency_summary, median, start_companion

__all__ = ["run", "synthetic_journal"]


def synthetic_journal(captures: int, fresh: bool) -> tuple[Path, dict]:
    """The synthetic journal of `captures` captures in bench/results/ (built once); its facts."""
    from bench.synth import synthesize

    data_dir = RESULTS / f"synth-{captures}"
    facts_path = data_dir / "synth.json"
    if fresh or not facts_path.exists():
        shutil.rmtree(data_dir, ignore_errors=True)
        data_dir.mkdir(parents=True)
        facts = synthesize(data_dir / "journal.db", captures)
        facts["today"] = date.today().isoformat()
        facts_path.write_text(json.dumps(facts))
    return data_dir, json.loads(facts_path.read_text())


def _timed(url: str, token: str, repeat: int) -> tuple[dict, object]:
    seconds, reply = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        reply = http_json(url, token=token, timeout=120)
        seconds.append(time.perf_counter() - started)
    return latency_summary(seconds), reply


def _probe_terms(data_dir: Path) -> tuple[list[str], list[str]]:
    import sqlite3

    conn = sqlite3.connect(f"file:{data_dir / 'journal.db'}?mode=ro", uri=True)
    try:
        concepts = [
            row[0]
            for row in conn.execute(
                """SELECT k.label FROM capture_concepts cc JOIN concepts k ON k.id = cc.concept_id
                   GROUP BY k.id ORDER BY count(*) DESC LIMIT 3"""
            )
        ]
        rare = conn.execute(
            """SELECT k.label FROM capture_concepts cc JOIN concepts k ON k.id = cc.concept_id
               GROUP BY k.id HAVING count(*) BETWEEN 5 AND 20 LIMIT 1"""
        ).fetchone()
    finally:
        conn.close()
    searches = ["python", "write ahead", "the", concepts[0], "transact", "zyxwvutq"]
    return searches, concepts[:2] + ([rare[0]] if rare else [])


def _week_figures(url: str, token: str, data_dir: Path, today: date, repeat: int) -> dict:
    """Time the week's summary: over HTTP if the route exists, else the library function."""
    iso = today.isocalendar()
    week = f"{iso.year}-W{iso.week:02d}"
    for path in (f"/api/v1/weeks/{week}",):
        try:
            summary, _ = _timed(url + path, token, repeat)
            return {"how": "GET /api/v1/weeks/{iso_week}", **summary}
        except OSError:
            continue
    try:
        from companion.journal import Journal
        from companion.journal.week import week_summary
    except ImportError:
        return {"how": "not measured: companion.journal.week does not exist yet"}
    journal = Journal(data_dir / "journal.db")
    try:
        seconds = []
        for _ in range(repeat):
            started = time.perf_counter()
            week_summary(journal, week)
            seconds.append(time.perf_counter() - started)
    finally:
        journal.close()
    return {"how": "week_summary() in-process", **latency_summary(seconds)}


def _aw_reference(captures: int, days: int, today: date) -> dict:
    """aw-server with `captures` events over `days` days: its query for a day and a week."""
    from bench import aw_peer

    with tempfile.TemporaryDirectory(prefix="inflow-bench-aw-scale-") as tmp:
        service = aw_peer.start_aw_server(Path(tmp))
        try:
            aw_peer.create_bucket(service)
            per_day = captures // days
            events, started = [], time.perf_counter()
            for back in range(days):
                day = today - timedelta(days=back)
                moment = datetime(day.year, day.month, day.day, 8, 30, tzinfo=UTC)
                for n in range(per_day):
                    site = f"site{n % 300}.example.com"
                    events.append(
                        {
                            "timestamp": (moment + timedelta(seconds=100 * n)).isoformat(),
                            "duration": 60 + n % 240,
                            "data": {
                                "url": f"https://{site}/page/{back}/{n}",
                                "title": f"Page {n} of {site}",
                                "audible": False,
                                "incognito": False,
                            },
                        }
                    )
            aw_peer.insert_events(service, events)
            load_seconds = time.perf_counter() - started
            midnight = aw_peer.utc_midnight(datetime(today.year, today.month, today.day))
            monday = midnight - timedelta(days=today.weekday())
            day_s = [aw_peer.query_seconds(service, midnight, 1) for _ in range(3)]
            week_s = [aw_peer.query_seconds(service, monday, 7) for _ in range(3)]
        finally:
            service.stop()
    return {
        "events": len(events),
        "insert_seconds": round(load_seconds, 1),
        "today_ms": round(median(day_s) * 1000),
        "week_ms": round(median(week_s) * 1000),
    }


def run(options) -> dict:
    """Build (or reuse) the synthetic journal and time the reads; see the module docstring."""
    captures = 20_000 if options.quick else 100_000
    repeat = 20 if options.quick else 50
    data_dir, facts = synthetic_journal(captures, options.fresh)
    today = date.fromisoformat(facts["today"])
    files = [data_dir / name for name in ("journal.db", "journal.db-wal")]
    size = sum(f.stat().st_size for f in files if f.exists())
    figures: dict = {
        "synth": facts,
        "journal_mb": round(size / 2**20, 1),
        "journal_mb_per_100k": round(size / 2**20 * 100_000 / facts["captures"], 1),
    }
    service = start_companion(data_dir, worker=False)
    try:
        url, token = service.base_url, service.token
        figures["today"], reply = _timed(f"{url}/api/v1/today?day={today}", token, repeat)
        figures["today"]["captures_that_day"] = reply["captures_total"]
        figures["week"] = _week_figures(url, token, data_dir, today, repeat)
        searches, concepts = _probe_terms(data_dir)
        figures["search"] = {}
        for term in searches:
            query = urllib.parse.quote(term)
            summary, reply = _timed(f"{url}/api/v1/captures?q={query}", token, repeat)
            figures["search"][term] = {**summary, "hits": reply["total"]}
        figures["concept"] = {}
        for label in concepts:
            query = urllib.parse.quote(label)
            summary, reply = _timed(f"{url}/api/v1/captures?concept={query}", token, repeat)
            figures["concept"][label] = {**summary, "hits": reply["total"]}
    finally:
        service.stop()
    searches_p95 = [s["p95_ms"] for s in figures["search"].values()]
    figures["search_worst_p95_ms"] = max(searches_p95)
    figures["concept_worst_p95_ms"] = max(c["p95_ms"] for c in figures["concept"].values())
    if not options.no_aw:
        figures["aw_server"] = _aw_reference(facts["captures"], facts["days"], today)
    figures["goals_p95_ms"] = {"today": 20, "week": 200, "search": 30}
    print(
        f"  scale: today p95 {figures['today']['p95_ms']} ms, search worst p95 "
        f"{figures['search_worst_p95_ms']} ms, {figures['journal_mb_per_100k']} MB/100k",
        file=sys.stderr,
    )
    return figures
