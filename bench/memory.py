"""Memory: every process of the companion's tree, busy, idle and at peak; the cold start.

The companion is a tree: the API process (`inflow serve`) and, while there is work, the worker
that holds the spaCy model. RSS counts a shared library in every process that maps it, so for
a tree the honest figures are PSS (shared pages split between the processes that share them;
the tree's PSS adds up to what it really costs) and USS (pages no other process shares); RSS
is reported beside them because that is what `top` shows.

`TreeSampler` samples every process of the tree in a background thread and keeps each role's
peak; `bench.backlog` runs one while the worker chews through real pages. `run()` (for
`python -m bench --only memory`) starts the real companion with a short
`INFLOW_WORKER_IDLE_SECONDS`, has it process a real page, waits for the worker to give its
model back, reads the idle tree, then times the next capture from the moment it is sent until
it is processed (the cold start: the worker starts again, loads spaCy, analyses the page).
Last, a burst of real pages as the outbox sends them after a day offline, and the tree once
the worker fell asleep again (the API's heap grew with the burst: is it given back?).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import uuid
from pathlib import Path

import psutil

from bench import http_json, start_companion

__all__ = ["TreeSampler", "process_role", "run", "tree_memory"]

_MIB = 1024 * 1024
_IDLE_SECONDS = 3  # INFLOW_WORKER_IDLE_SECONDS for the run (the default is 300)
_GOAL_IDLE_TREE_MB = 100
_GOAL_COLD_START_S = 5.0
# Shared objects whose presence in a process's memory map says what it imported.
_NATIVE_LIBS = {"spacy": "/spacy/", "lxml": "/lxml/", "numpy": "/numpy/", "thinc": "/thinc/"}


def process_role(process: psutil.Process, root_pid: int) -> str:
    """What a process of the tree is: "api", "worker" or "multiprocessing helper"."""
    if process.pid == root_pid:
        return "api"
    command = " ".join(process.cmdline())
    if "resource_tracker" in command or "semaphore_tracker" in command:
        return "multiprocessing helper"
    return "worker"  # `python -m companion.worker` (before: a multiprocessing spawn child)


def _native_libs(pid: int) -> list[str]:
    try:
        maps = Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return []
    return sorted(name for name, marker in _NATIVE_LIBS.items() if marker in maps)


def tree_memory(root_pid: int) -> list[dict]:
    """One dict per live process of the tree rooted at `root_pid`: role, pid, RSS/PSS/USS MiB.

    Each also lists which of spaCy, lxml, numpy, thinc it has mapped (from /proc/PID/maps).
    """
    try:
        root = psutil.Process(root_pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return []
    rows = []
    for process in processes:
        try:
            info = process.memory_full_info()
            role = process_role(process, root_pid)
        except psutil.Error:
            continue  # it exited while we looked
        rows.append(
            {
                "role": role,
                "pid": process.pid,
                "rss_mb": round(info.rss / _MIB, 1),
                "pss_mb": round(info.pss / _MIB, 1),
                "uss_mb": round(info.uss / _MIB, 1),
                "native_libs": _native_libs(process.pid),
            }
        )
    return rows


def _totals(rows: list[dict]) -> dict:
    return {
        "processes": len(rows),
        **{key: round(sum(row[key] for row in rows), 1) for key in ("rss_mb", "pss_mb", "uss_mb")},
    }


class TreeSampler:
    """Samples the companion's tree every `interval` seconds; keeps each role's and the tree's peak.

    `peak` maps a role ("api", "worker", ..., and "tree" for the sum) to its highest
    `{"rss_mb", "pss_mb"}` seen (each figure's own maximum).
    """

    def __init__(self, root_pid: int, interval: float = 0.2):
        self.root_pid = root_pid
        self.interval = interval
        self.peak: dict[str, dict[str, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True, name="tree-sampler")

    def snapshot(self) -> dict:
        """The tree now: `{"processes": [...], "total": {...}}` (see `tree_memory`)."""
        rows = tree_memory(self.root_pid)
        return {"processes": rows, "total": _totals(rows)}

    def _record(self, role: str, figures: dict) -> None:
        peak = self.peak.setdefault(role, {"rss_mb": 0.0, "pss_mb": 0.0})
        for key in peak:
            peak[key] = max(peak[key], figures[key])

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            now = self.snapshot()
            for row in now["processes"]:
                self._record(row["role"], row)
            self._record("tree", now["total"])

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def _capture(page: dict, index: int) -> dict:
    """`page` again under a fresh id and its own URL (so it is a new capture, not a merge)."""
    return {**page, "id": str(uuid.uuid4()), "url": f"https://memory.example.com/page/{index}"}


def _time_to_processed(url: str, token: str, capture: dict, timeout: float = 120) -> float:
    """Send `capture`, poll until it is processed; seconds from send to processed."""
    sent = time.perf_counter()
    http_json(f"{url}/api/v1/captures", token=token, body=capture)
    deadline = sent + timeout
    while time.perf_counter() < deadline:
        status = http_json(f"{url}/api/v1/captures/{capture['id']}", token=token)["status"]
        if status in ("processed", "failed"):
            assert status == "processed", f"the bench page failed: {status}"
            return time.perf_counter() - sent
        time.sleep(0.05)
    raise TimeoutError(f"the capture was not processed in {timeout}s")


def _burst(url: str, token: str, captures: list[dict]) -> None:
    """Send `captures` as the outbox flushes them: batches of 25."""
    for start in range(0, len(captures), 25):
        reply = http_json(
            f"{url}/api/v1/captures/batch",
            token=token,
            body={"captures": captures[start : start + 25]},
            timeout=120,
        )
        assert all(r["accepted"] for r in reply["results"]), reply


def _wait_for_idle_exit(root_pid: int, timeout: float) -> bool:
    """Wait until the tree holds only the API process; False if it still has others."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(tree_memory(root_pid)) == 1:
            return True
        time.sleep(0.2)
    return False


_COLD_PARTS = textwrap.dedent(
    """
    import json, sys, time
    started = time.perf_counter()
    from nlp import Analyzer, PageInput
    imported = time.perf_counter()
    analyzer = Analyzer()
    loaded = time.perf_counter()
    analyzer.analyze(PageInput(url="https://memory.example.com/p", html=sys.stdin.read()))
    done = time.perf_counter()
    print(json.dumps({"import_s": imported - started, "model_load_s": loaded - imported,
                      "first_analysis_s": done - loaded}))
    """
)


def _cold_parts(html: str) -> dict:
    """What a fresh worker spends before its first page is done: import, model load, analysis."""
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", _COLD_PARTS],
        input=html,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    parts = json.loads(out)
    parts["process_s"] = time.perf_counter() - started
    return {key: round(value, 2) for key, value in parts.items()}


def run(options) -> dict:
    """The tree's memory busy, idle (after the worker's idle exit) and at peak; the cold start."""
    from bench.backlog import real_page_captures

    rounds = 1 if options.quick else 3
    burst = 25 if options.quick else 100
    page = real_page_captures(1)[0]
    with tempfile.TemporaryDirectory(prefix="inflow-bench-memory-") as tmp:
        service = start_companion(
            Path(tmp) / "data",
            worker=True,
            wait_for_model=True,
            env={"INFLOW_WORKER_IDLE_SECONDS": str(_IDLE_SECONDS)},
        )
        try:
            url, token, root = service.base_url, service.token, service.process.pid
            sampler = TreeSampler(root)
            cold, warm, idle, worker_exited = [], [], None, True
            with sampler:
                _time_to_processed(url, token, _capture(page, 0))
                busy = sampler.snapshot()
                for index in range(rounds):
                    worker_exited &= _wait_for_idle_exit(root, timeout=_IDLE_SECONDS + 60)
                    time.sleep(1)
                    idle = idle or sampler.snapshot()
                    cold.append(_time_to_processed(url, token, _capture(page, 2 * index + 1)))
                    warm.append(_time_to_processed(url, token, _capture(page, 2 * index + 2)))
                _burst(url, token, real_page_captures(burst))
                worker_exited &= _wait_for_idle_exit(root, timeout=_IDLE_SECONDS + 600)
                time.sleep(1)
                idle_after_burst = sampler.snapshot()
            peak = sampler.peak
        finally:
            service.stop()
    parts = _cold_parts(page["html"])
    total = idle["total"]
    print(
        f"  memory: idle tree {total['processes']} processes, PSS {total['pss_mb']} MB "
        f"(RSS {total['rss_mb']} MB); peak tree PSS {peak['tree']['pss_mb']} MB; cold start "
        f"{statistics.median(cold):.2f} s (warm {statistics.median(warm):.2f} s)",
        file=sys.stderr,
    )
    return {
        "idle_seconds_setting": _IDLE_SECONDS,
        "worker_exited_when_idle": worker_exited,
        "busy": busy,
        "idle": idle,
        "idle_after_burst": idle_after_burst,
        "peak": peak,
        "cold_start_s": [round(s, 2) for s in cold],
        "cold_start_median_s": round(statistics.median(cold), 2),
        "warm_capture_s": [round(s, 2) for s in warm],
        "cold_start_parts": parts,
        "goal_idle_tree_mb": _GOAL_IDLE_TREE_MB,
        "goal_cold_start_s": _GOAL_COLD_START_S,
        "during": f"1 real page processed, idle exit, then {rounds} x (cold capture, warm "
        f"capture), then a burst of {burst} real pages (batches of 25) and its idle exit",
    }
