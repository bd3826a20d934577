"""Extension: the content scripts' main-thread cost per page load in Chromium.

    .venv/bin/python -m bench.extension [--loads 10] [--visits 3] [--quick]
    .venv/bin/python -m bench --only extension

Two headless Debian Chromium instances run side by side in the same run: one with the unpacked
extension loaded and paired with a real companion (`inflow serve --no-worker` on loopback; the
worker is off so spaCy does not compete with the browser for the two cores), one without any
extension (the baseline). Both load the same local pages, served by `http.server` on 127.0.0.1:
the browser-test fixtures (`tests/data/browser/`) and a few real pages from
`../shared/corpus/articles` (served from where they are, never copied).
`--host-resolver-rules` makes every other host fail to resolve, so nothing leaves the machine
(real pages' third-party scripts and images fail fast, the same way in both browsers).

Method: a Chrome trace per page load. For each load, a CDP session on the tab runs
`Tracing.start` (categories `devtools.timeline`, `disabled-by-default-devtools.timeline`,
`blink.user_timing`), the tab navigates from `about:blank` to the page, and the trace is read back.
Only the tab's renderer main thread is counted (the pid/tid of the `MarkLoad` of the tab's main
frame), in the window from the page's `navigationStart` to its `load` event + 500 ms:

- **main-thread ms**: the union of the thread's top-level tasks (`RunTask`) in the window, in both
  browsers; **extra ms** = with extension minus baseline, paired load by load (loads alternate
  between the browsers, the order flipping every round, after one unmeasured warm-up round).
  It holds everything the extension causes on that thread (its scripts, microtasks, GC, IPC), and
  all the noise of a loaded 2-core machine: read the median, not single loads.
- **content-script ms**: the outermost trace events on that thread that V8 attributes to a
  `chrome-extension://` script: `EvaluateScript` (running the four `document_start` files),
  `v8.compile` and `FunctionCall` (timer ticks and event listeners). Wall time (`dur`) and thread
  CPU time (`tdur`). Promise continuations (`RunMicrotasks`, e.g. after the service worker
  answers `visit:start`) carry no script URL and are *not* in this figure, only in the extra.
  `Performance.getMetrics` was not used: its ScriptDuration/TaskDuration are per-renderer
  totals that cannot tell content scripts from the page's own scripts, and the tab may swap
  renderer processes between `about:blank` and the page, which breaks before/after deltas.
- The service worker's own JS (`FunctionCall` events on the extension process's "ServiceWorker
  thread") is reported beside it: it is off the page's thread but is CPU the extension spends.

Threshold to stored (`--visits` loads of each page, extension only, snapshot threshold 1 s set
in `chrome.storage.local` settings as the browser tests do): the tab stays on the page until the
companion has the capture. "Threshold" is when the page has been visible and focused for the
threshold (capture.js start + 1 s); the trace gives the tick that took the DOM snapshot (the
longest content-script event after the threshold; its length is the **snapshot ms**), the
service worker's diagnostics give when it queued the snapshot in its outbox, and the companion's
`received_at` when it was stored. Trace clocks are mapped to wall time through the page's
`performance.timeOrigin` (= its `navigationStart`), good to a few ms.

Prints a table; `main()` writes bench/results/extension-<stamp>.json (the runner writes its own).
Bounded: about 3-4 minutes with the defaults on 2 cores; every wait has a timeout.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import importlib
import json
import os
import shutil
import sys
import tempfile
import threading
import time
import types
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from bench import CORPUS, REPO, RESULTS, http_json, median, percentile, start_companion

__all__ = ["analyse_trace", "main", "run"]

#: Fixture pages of the browser tests, and real pages of the shared corpus (skipped if absent):
#: a small one without scripts, a mid-sized one full of scripts, and the largest (1.1 MB).
FIXTURE_PAGES = ("article.html", "sqlite-wal.html", "video.html")
CORPUS_PAGES = (
    "rdb-ebb-org.html",
    "aeb-6ebac05f637ece8a.html",
    "rdb-article-author-tag.html",
    "rdb-guardian-1.html",
)
CATEGORIES = [
    "devtools.timeline",
    "disabled-by-default-devtools.timeline",
    "blink.user_timing",
    "__metadata",
]
AFTER_LOAD_MS = 500
SNAPSHOT_SECONDS = 1
CS_EVENTS = {"EvaluateScript", "FunctionCall", "v8.compile"}


def _harness() -> types.ModuleType:
    """`tests.browser.harness`, even where another distribution installed a top-level `tests`
    package into the venv (icecream does), which would shadow the repository's `tests/`."""
    ours = str(REPO / "tests")
    loaded = sys.modules.get("tests")
    if loaded is None or ours not in list(getattr(loaded, "__path__", [])):
        package = types.ModuleType("tests")
        package.__path__ = [ours]
        sys.modules["tests"] = package
        for name in [n for n in sys.modules if n.startswith("tests.")]:
            del sys.modules[name]
    return importlib.import_module("tests.browser.harness")


def _chromium_args(harness: types.ModuleType, with_extension: bool) -> list[str]:
    """The browser tests' flags, with autoplay allowed and every host but loopback unresolvable."""
    args = [
        *harness.CHROMIUM_ARGS,
        "--autoplay-policy=no-user-gesture-required",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ]
    if with_extension:
        args = [f"--disable-extensions-except={REPO}", f"--load-extension={REPO}", *args]
    return args


@contextlib.contextmanager
def _site(root: Path, harness: types.ModuleType) -> Iterator[str]:
    """The fixture pages (copied to a temp dir, with the video's WAV) and a symlink to the
    corpus folder, on a loopback HTTP server; yields its base URL."""
    shutil.copytree(harness.FIXTURES, root)
    harness.write_lecture_wav(root / "lecture.wav")
    if (CORPUS / "articles").is_dir():
        (root / "corpus").symlink_to(CORPUS / "articles")
    handler = functools.partial(harness.QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _pages() -> list[tuple[str, Path]]:
    """(path on the site, file) of every page to load."""
    fixtures = REPO / "tests" / "data" / "browser"
    pages = [(f"/{name}", fixtures / name) for name in FIXTURE_PAGES]
    pages += [
        (f"/corpus/{name}", CORPUS / "articles" / name)
        for name in CORPUS_PAGES
        if (CORPUS / "articles" / name).is_file()
    ]
    return pages


class Tab:
    """One tab of one browser, with a CDP session that records a trace around each load."""

    def __init__(self, context: Any) -> None:
        self.context = context
        self.page = context.new_page()
        self.cdp = context.new_cdp_session(self.page)
        self.frame_id = self.cdp.send("Page.getFrameTree")["frameTree"]["frame"]["id"]
        self._events: list[dict] = []
        self._complete = threading.Event()
        self.cdp.on("Tracing.dataCollected", lambda m: self._events.extend(m["value"]))
        self.cdp.on("Tracing.tracingComplete", lambda _m: self._complete.set())

    def start(self) -> None:
        self.page.goto("about:blank")
        self._events, self._complete = [], threading.Event()
        config = {"includedCategories": CATEGORIES, "excludedCategories": ["*"]}
        self.cdp.send("Tracing.start", {"traceConfig": config, "transferMode": "ReportEvents"})

    def stop(self, timeout: float = 30) -> list[dict]:
        self.cdp.send("Tracing.end")
        deadline = time.monotonic() + timeout
        while not self._complete.is_set():  # events arrive while Playwright pumps its loop
            if time.monotonic() > deadline:
                raise TimeoutError("the trace did not complete")
            self.page.wait_for_timeout(20)
        return self._events


def _outermost(events: list[dict]) -> list[dict]:
    """The events not nested inside an earlier one (same thread, sorted by start)."""
    kept: list[dict] = []
    end = -1.0
    for e in sorted(events, key=lambda e: (e["ts"], -e.get("dur", 0))):
        if e["ts"] >= end:
            kept.append(e)
            end = e["ts"] + e.get("dur", 0)
    return kept


def _clipped_sum(events: list[dict], start: float, end: float, key: str = "dur") -> float:
    """Sum of `key` over the outermost events, clipped to [start, end]; microseconds."""
    total = 0.0
    for e in _outermost(events):
        lo, hi = max(e["ts"], start), min(e["ts"] + e.get("dur", 0), end)
        if hi > lo:
            share = (hi - lo) / e["dur"] if e.get("dur") else 0.0
            total += e.get(key, e.get("dur", 0)) * share
    return total


def _script_url(e: dict) -> str:
    data = e.get("args", {}).get("data", {})
    return str(data.get("url") or e.get("args", {}).get("fileName") or "")


def analyse_trace(events: list[dict], frame_id: str, url: str) -> dict:
    """Main-thread figures of one page load (see the module docstring); times in microseconds
    of the trace clock, durations in ms."""
    nav = [
        e
        for e in events
        if e["name"] == "navigationStart"
        and e.get("args", {}).get("frame") == frame_id
        and e["args"].get("data", {}).get("documentLoaderURL") == url
    ]
    if not nav:
        raise RuntimeError(f"no navigationStart for {url} in the trace")
    nav_ts = nav[0]["ts"]
    loads = [
        e
        for e in events
        if e["name"] == "MarkLoad"
        and e.get("args", {}).get("data", {}).get("frame") == frame_id
        and e["ts"] >= nav_ts
    ]
    if not loads:
        raise RuntimeError(f"no load event for {url} in the trace")
    load = loads[0]
    pid, tid = load["pid"], load["tid"]
    end = load["ts"] + AFTER_LOAD_MS * 1000
    main = [e for e in events if e["pid"] == pid and e["tid"] == tid and e.get("ph") == "X"]
    tasks = [e for e in main if e["name"] == "RunTask"]
    cs = [
        e
        for e in main
        if e["name"] in CS_EVENTS and _script_url(e).startswith("chrome-extension://")
    ]
    sw_tids = {
        (e["pid"], e["tid"])
        for e in events
        if e["name"] == "thread_name" and e["args"].get("name") == "ServiceWorker thread"
    }
    sw = [
        e
        for e in events
        if (e["pid"], e["tid"]) in sw_tids
        and e["name"] == "FunctionCall"
        and _script_url(e).startswith("chrome-extension://")
    ]
    init = [
        e for e in cs if e["name"] == "EvaluateScript" and _script_url(e).endswith("capture.js")
    ]
    return {
        "nav_ts": nav_ts,
        "load_ms": round((load["ts"] - nav_ts) / 1000, 2),
        "main_ms": round(_clipped_sum(tasks, nav_ts, end) / 1000, 3),
        "cs_ms": round(_clipped_sum(cs, nav_ts, end) / 1000, 3),
        "cs_cpu_ms": round(_clipped_sum(cs, nav_ts, end, "tdur") / 1000, 3),
        "cs_events": len(_outermost([e for e in cs if nav_ts <= e["ts"] < end])),
        "sw_ms": round(_clipped_sum(sw, nav_ts, end) / 1000, 3),
        "capture_init_ts": init[0]["ts"] if init else None,
        "cs_after": [(e["ts"], e["dur"]) for e in _outermost(cs) if e["ts"] >= end],
        "cs_visit_ms": round(sum(e.get("dur", 0) for e in _outermost(cs)) / 1000, 3),
    }


def _wall_ms(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp() * 1000


class Bench:
    """The two browsers, the companion and the site for one run."""

    def __init__(self, playwright: Any, harness: types.ModuleType, tmp: Path, site: str) -> None:
        self.harness = harness
        self.site = site
        self.companion = start_companion(tmp / "companion", worker=False)
        launch = functools.partial(
            playwright.chromium.launch_persistent_context,
            executable_path=harness.CHROMIUM,
            headless=True,
            viewport={"width": 1200, "height": 800},
        )
        self.ext_context = launch(str(tmp / "profile-ext"), args=_chromium_args(harness, True))
        self.base_context = launch(str(tmp / "profile-base"), args=_chromium_args(harness, False))
        workers = self.ext_context.service_workers
        worker = workers[0] if workers else self.ext_context.wait_for_event("serviceworker")
        self.browser = harness.Browser(self.ext_context, worker)
        self.browser.settings(
            **{
                **harness.FAST_SETTINGS,
                "companionUrl": self.companion.base_url,
                "token": self.companion.token,
                "snapshotSeconds": SNAPSHOT_SECONDS,
                "minVisitSeconds": SNAPSHOT_SECONDS,
            }
        )
        self.tabs = {"ext": Tab(self.ext_context), "base": Tab(self.base_context)}
        self.tabs["ext"].page.bring_to_front()

    def close(self) -> None:
        for context in (self.ext_context, self.base_context):
            with contextlib.suppress(Exception):
                context.close()
        self.companion.stop()

    def stored(self, url: str) -> dict | None:
        reply = http_json(
            f"{self.companion.base_url}/api/v1/captures?limit=20", token=self.companion.token
        )
        return next((c for c in reply["items"] if c["url"] == url), None)

    def load(self, which: str, url: str, *, visit: bool = False) -> dict:
        """Load `url` in one browser; with `visit`, stay until the companion stored it."""
        tab = self.tabs[which]
        tab.start()
        tab.page.goto(url, wait_until="load", timeout=60_000)
        time_origin = tab.page.evaluate("performance.timeOrigin")
        tab.page.wait_for_timeout(AFTER_LOAD_MS + 50)
        capture = None
        if visit:
            deadline = time.monotonic() + 20
            while capture is None and time.monotonic() < deadline:
                tab.page.wait_for_timeout(50)
                capture = self.stored(url)
            tab.page.wait_for_timeout(100)
        result = analyse_trace(tab.stop(), tab.frame_id, url)
        if visit:
            result["visit"] = self._visit_timing(result, time_origin, capture)
        for key in ("capture_init_ts", "cs_after", "nav_ts"):
            result.pop(key)
        return result

    def _visit_timing(self, r: dict, time_origin: float, capture: dict | None) -> dict:
        if capture is None or r["capture_init_ts"] is None:
            return {"stored": False}

        def wall(ts: float) -> float:
            return time_origin + (ts - r["nav_ts"]) / 1000

        threshold_ts = r["capture_init_ts"] + SNAPSHOT_SECONDS * 1e6
        stored = _wall_ms(capture["received_at"])
        ticks = [(ts, dur) for ts, dur in r["cs_after"] if ts >= threshold_ts and wall(ts) < stored]
        diagnostics = self.browser.diagnostics().get("visits", {}).get(capture["id"], {})
        queued = diagnostics.get("snapshotQueuedAt")
        out = {
            "stored": True,
            "threshold_to_stored_ms": round(stored - wall(threshold_ts), 1),
            "engaged_seconds_sent": capture["engaged_seconds"],
        }
        if ticks:
            ts, dur = max(ticks, key=lambda t: t[1])
            out["threshold_to_snapshot_ms"] = round((ts - threshold_ts) / 1000, 1)
            out["snapshot_ms"] = round(dur / 1000, 2)
            out["snapshot_to_stored_ms"] = round(stored - wall(ts), 1)
            if queued:
                out["snapshot_to_queued_ms"] = round(queued - wall(ts), 1)
        if queued:
            out["queued_to_stored_ms"] = round(stored - queued, 1)
        out["content_scripts_whole_visit_ms"] = r["cs_visit_ms"]
        return out


def _stats(values: list[float]) -> dict:
    return {"median": round(median(values), 2), "p95": round(percentile(values, 95), 2)}


def summarise(loads: dict) -> dict:
    """Per-page medians and p95s from the raw loads."""
    ext, base = loads["ext"], loads["base"]
    extra = [e["main_ms"] - b["main_ms"] for e, b in zip(ext, base, strict=False)]
    visits = [e["visit"] for e in ext if e.get("visit", {}).get("stored")]
    out = {
        "loads": len(ext),
        "load_ms_ext": _stats([e["load_ms"] for e in ext]),
        "load_ms_base": _stats([b["load_ms"] for b in base]),
        "main_ms_ext": _stats([e["main_ms"] for e in ext]),
        "main_ms_base": _stats([b["main_ms"] for b in base]),
        "extra_main_ms": _stats(extra),
        "cs_ms": _stats([e["cs_ms"] for e in ext]),
        "cs_cpu_ms": _stats([e["cs_cpu_ms"] for e in ext]),
        "sw_ms": _stats([e["sw_ms"] for e in ext]),
        "visits": len(visits),
        "visits_not_stored": sum(1 for e in ext if e.get("visit") and not e["visit"]["stored"]),
    }
    for key in (
        "threshold_to_stored_ms",
        "threshold_to_snapshot_ms",
        "snapshot_ms",
        "snapshot_to_queued_ms",
        "queued_to_stored_ms",
        "snapshot_to_stored_ms",
        "content_scripts_whole_visit_ms",
    ):
        values = [v[key] for v in visits if key in v]
        if values:
            out[key] = _stats(values)
    return out


def table(result: dict) -> str:
    """The per-page figures as a Markdown table (ms; median / p95)."""
    head = (
        "| page | KB | main thread base | extra (ext − base) | content scripts (CPU) "
        "| service worker | snapshot tick | threshold → stored |"
    )
    lines = [head, "|---|---|---|---|---|---|---|---|"]

    def mp(s: dict | None) -> str:
        return f"{s['median']:g} / {s['p95']:g}" if s else "-"

    for name, page in result["pages"].items():
        s = page["summary"]
        lines.append(
            f"| {name} | {page['kb']} | {mp(s['main_ms_base'])} | {mp(s['extra_main_ms'])} "
            f"| {mp(s['cs_ms'])} ({s['cs_cpu_ms']['median']:g}) | {mp(s['sw_ms'])} "
            f"| {mp(s.get('snapshot_ms'))} | {mp(s.get('threshold_to_stored_ms'))} |"
        )
    return "\n".join(lines)


def run(options: Any = None, *, loads: int | None = None, visits: int | None = None) -> dict:
    """Measure every page `loads` times in both browsers (after a warm-up round); the first
    `visits` loads in the extension's browser stay until the capture is stored."""
    from playwright.sync_api import sync_playwright

    quick = bool(getattr(options, "quick", False))
    loads = loads or (4 if quick else 10)
    visits = min(loads, visits if visits is not None else (1 if quick else 3))
    harness = _harness()
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="inflow-bench-extension-"))
    pages = _pages()
    result: dict = {
        "chromium": "/usr/bin/chromium",
        "loads_per_page": loads,
        "visits_per_page": visits,
        "window": f"navigationStart .. load + {AFTER_LOAD_MS} ms",
        "snapshot_seconds": SNAPSHOT_SECONDS,
        "pages": {},
    }
    raw = {path: {"ext": [], "base": []} for path, _ in pages}
    try:
        with _site(tmp / "site", harness) as site, sync_playwright() as playwright:
            bench = Bench(playwright, harness, tmp, site)
            try:
                version = bench.tabs["ext"].cdp.send("Browser.getVersion")
                result["chromium_version"] = version.get("product")
                for round_no in range(-1, loads):  # round -1: warm-up, not kept
                    order = ("ext", "base") if round_no % 2 == 0 else ("base", "ext")
                    for path, _ in pages:
                        for which in order:
                            url = f"{site}{path}?bench={which}-{round_no}"
                            visit = which == "ext" and 0 <= round_no < visits
                            figures = bench.load(which, url, visit=visit)
                            if round_no >= 0:
                                raw[path][which].append(figures)
                    print(
                        f"bench.extension: round {round_no + 1}/{loads} "
                        f"({time.monotonic() - started:.0f} s)",
                        file=sys.stderr,
                    )
            finally:
                bench.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for path, file in pages:
        name = path.rsplit("/", 1)[-1]
        result["pages"][name] = {
            "kb": round(file.stat().st_size / 1024),
            "summary": summarise(raw[path]),
            "raw": raw[path],
        }
    result["elapsed_s"] = round(time.monotonic() - started, 1)
    result["table"] = table(result)
    print(result["table"])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.extension", description=__doc__)
    parser.add_argument("--loads", type=int, default=None, help="measured loads per page (10)")
    parser.add_argument("--visits", type=int, default=None, help="loads kept until stored (3)")
    parser.add_argument("--quick", action="store_true", help="4 loads, 1 visit per page")
    options = parser.parse_args(argv)
    result = run(options, loads=options.loads, visits=options.visits)
    result["loadavg"] = [round(x, 2) for x in os.getloadavg()]
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = RESULTS / f"extension-{stamp}.json"
    path.write_text(json.dumps(result, indent=2))
    print(f"bench.extension: wrote {path.relative_to(REPO)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
