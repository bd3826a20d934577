"""`python -m bench` (= `make bench`): run the benchmarks in sequence, print a table, write JSON.

    python -m bench                      # everything (about 20-30 minutes on 2 cores)
    python -m bench --only ingest,scale  # some of them
    python -m bench --quick --no-aw      # a fast smoke run, without the aw-server peer

Results go to bench/results/<name>-<timestamp>.json and bench/results/latest.json.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import time
import traceback
from datetime import datetime

from bench import RESULTS

BENCHMARKS = (
    "ingest",
    "backlog",
    "processing",
    "scale",
    "search",
    "memory",
    "week_scale",
    "quality",
    "concepts_eval",
    "extension",
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(BENCHMARKS), help="comma-separated names")
    parser.add_argument("--runs", type=int, default=5, help="runs per ingest/processing cell")
    parser.add_argument("--quick", action="store_true", help="fewer requests, runs and captures")
    parser.add_argument("--no-aw", action="store_true", help="skip the aw-server peer")
    parser.add_argument("--fresh", action="store_true", help="rebuild the synthetic journal")
    return parser


def _run_one(name: str, options) -> dict:
    if name == "concepts_eval":  # --limit: keyphrase documents per set
        module = importlib.import_module("bench.concepts_eval")
        return {"exit_code": module.main(["--limit", "50"] if options.quick else [])}
    try:
        module = importlib.import_module(f"bench.{name}")
    except ModuleNotFoundError:
        return {"skipped": f"bench/{name}.py does not exist yet"}
    if hasattr(module, "run"):
        return module.run(options)
    return {"exit_code": module.main([])}


def _fmt(value, unit: str = "") -> str:
    if value is None or value != value:  # None or NaN
        return "-"
    return f"{value:g}{unit}" if isinstance(value, float | int) else str(value)


def table(results: dict) -> str:
    """The figures as a Markdown table (what bench/README.md shows)."""
    lines = ["| benchmark | measure | value | goal |", "|---|---|---|---|"]

    def row(bench, measure, value, goal=""):
        lines.append(f"| {bench} | {measure} | {value} | {goal} |")

    for r in results.get("ingest", {}).get("rows", []):
        row(
            f"ingest {r['target']}",
            r["scenario"],
            f"{r['rate_per_s']:g}/s, p50 {r['p50_ms']:g} ms, p95 {r['p95_ms']:g} ms, "
            f"{_fmt(r['x_ceiling'], 'x')} ceiling, {_fmt(r['x_aw'], 'x')} aw, "
            f"server CPU {_fmt(r.get('server_cpu_us'), ' µs')}/capture",
            "≥0.7x ceiling, ≥4x aw" if r["target"].startswith("inflow") else "",
        )
    if "backlog" in results and "p95_ms" in results["backlog"]:
        b = results["backlog"]
        row(
            "backlog",
            f"acceptance while {b['pages_queued']} real pages are processed",
            f"p50 {b['p50_ms']} ms, p95 {b['p95_ms']} ms ({b['acceptances']} at {b['rate_per_s']}"
            f"/s, {b['errors']} errors; worker {b['worker_pages_per_s']} pages/s)",
            "p95 < 25 ms",
        )
    for name, s in results.get("processing", {}).get("sets", {}).items():
        row(
            "processing",
            f"corpus/{name} ({s['pages']} pages)",
            f"pipeline {s['pipeline_pages_per_s']} pages/s ({s['pipeline_words_per_s']} words/s);"
            f" raw {s['raw_pages_per_s']} pages/s; {s['x_raw']}x raw",
            "≥0.8x raw",
        )
    for page in results.get("processing", {}).get("slowest", [])[:3]:
        row(
            "processing",
            f"slow page {page['page']}",
            f"{page['pipeline_ms']} ms ({page['html_kb']} KB, {page['words']} words; extract "
            f"{page['extract_ms']} ms, spaCy+tags {page['nlp_and_tags_ms']} ms; raw spaCy "
            f"{page['raw_spacy_ms']} ms)",
        )
    s = results.get("scale")
    if s and "today" in s:
        n = s["synth"]["captures"]
        row(
            "scale",
            f"today ({n:,} captures)",
            f"p50 {s['today']['p50_ms']} ms, p95 {s['today']['p95_ms']} ms",
            "p95 ≤ 20 ms",
        )
        week = s["week"]
        row(
            "scale",
            f"week ({week['how']})",
            f"p50 {_fmt(week.get('p50_ms'))} ms, p95 {_fmt(week.get('p95_ms'))} ms",
            "p95 ≤ 200 ms",
        )
        for term, f in s["search"].items():
            row(
                "scale",
                f"search '{term}' ({f['hits']} hits)",
                f"p50 {f['p50_ms']} ms, p95 {f['p95_ms']} ms",
                "p95 ≤ 30 ms",
            )
        for label, f in s["concept"].items():
            row(
                "scale",
                f"concept '{label}' history ({f['hits']} captures)",
                f"p50 {f['p50_ms']} ms, p95 {f['p95_ms']} ms",
            )
        row("scale", "journal on disk", f"{s['journal_mb_per_100k']} MB per 100k captures")
        if "aw_server" in s:
            aw = s["aw_server"]
            row(
                "scale",
                f"aw-server peer ({aw['events']:,} events)",
                f"today {aw['today_ms']} ms, week {aw['week_ms']} ms",
            )
    search = results.get("search")
    if search and "queries" in search:
        for name, f in search["queries"].items():
            hits = f"{f['hits']:,}{'+' if f['capped'] else ''} hits"
            timing = f"p50 {f['p50_ms']} ms, p95 {f['p95_ms']} ms"
            row("search", f"/api/v1/search {name} ({hits})", timing, "p95 ≤ 30 ms")
    w = results.get("week_scale")
    if w and "week_json" in w:
        weeks = f"{w['weeks_timed']} weeks, median {w['captures_per_week_median']:,} captures"
        for key, measure, goal in (
            ("week_json", f"week JSON in-process ({weeks})", "p95 < 200 ms"),
            ("week_json_show_all", "week JSON with show all", ""),
            ("markdown", "week Markdown export", ""),
        ):
            t = w[key]
            row("week_scale", measure, f"p50 {t['p50_ms']} ms, p95 {t['p95_ms']} ms", goal)
    _memory_rows(results, row)
    for name, page in results.get("extension", {}).get("pages", {}).items():
        s = page["summary"]
        stored = s.get("threshold_to_stored_ms")
        row(
            "extension",
            f"page load {name} ({page['kb']} KB)",
            f"content scripts {s['cs_ms']['median']:g} ms (p95 {s['cs_ms']['p95']:g}); main thread"
            f" +{s['extra_main_ms']['median']:g} ms vs no extension; threshold → stored "
            + (f"{stored['median']:g} ms" if stored else "-"),
        )
    return "\n".join(lines)


def _memory_rows(results: dict, row) -> None:
    def mb(figures: dict) -> str:
        return f"PSS {figures['pss_mb']:g} MB (RSS {figures['rss_mb']:g})"

    m = results.get("memory")
    if m and "idle" in m:
        idle = m["idle"]
        row(
            "memory",
            f"tree after the idle exit ({idle['total']['processes']} process)",
            mb(idle["total"]),
            f"≤ {m['goal_idle_tree_mb']} MB",
        )
        after = m["idle_after_burst"]["total"]
        row(
            "memory",
            "tree idle after a burst of real pages",
            mb(after),
            f"≤ {m['goal_idle_tree_mb']} MB",
        )
        for role, peak in m["peak"].items():
            row("memory", f"peak, {role}", mb(peak))
        row(
            "memory",
            "cold start: capture sent → processed, worker asleep",
            f"median {m['cold_start_median_s']:g} s of {m['cold_start_s']} (warm "
            f"{m['warm_capture_s']})",
            f"≤ {m['goal_cold_start_s']:g} s",
        )
    backlog = results.get("backlog", {}).get("memory")
    if backlog and "peak" in backlog:
        for role, peak in backlog["peak"].items():
            row("memory", f"peak during the backlog, {role}", mb(peak))


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benchmarks; return 1 if any crashed."""
    options = _parser().parse_args(argv)
    names = [n.strip() for n in options.only.split(",") if n.strip()]
    unknown = set(names) - set(BENCHMARKS)
    if unknown:
        raise SystemExit(f"bench: unknown benchmark(s) {sorted(unknown)}; know {BENCHMARKS}")
    options.results = {}
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    failed = False
    for name in names:
        print(f"bench: {name} …", file=sys.stderr)
        started = time.perf_counter()
        try:
            result = _run_one(name, options)
        except Exception:  # noqa: BLE001 - one broken benchmark must not hide the others
            traceback.print_exc()
            result, failed = {"error": traceback.format_exc(limit=3)}, True
        # The machine's load says how far other work (other sessions, CI) bent the figures.
        load = [round(x, 2) for x in os.getloadavg()]
        result = {"seconds": round(time.perf_counter() - started, 1), "loadavg": load, **result}
        options.results[name] = result
        (RESULTS / f"{name}-{stamp}.json").write_text(json.dumps(result, indent=2, default=str))
    meta = {"date": datetime.now().isoformat(timespec="seconds"), "argv": sys.argv[1:]}
    (RESULTS / "latest.json").write_text(
        json.dumps({"meta": meta, **options.results}, indent=2, default=str)
    )
    print(table(options.results))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
