"""Memory: resident set size (psutil) of the companion's API process and of its worker.

`RssSampler` samples both in a background thread; `bench.backlog` runs one while the worker
chews through real pages, so its report carries the idle and peak figures. `run()` does the
same on its own with a smaller backlog, for `python -m bench --only memory`.
"""

from __future__ import annotations

import threading

import psutil

__all__ = ["RssSampler", "rss_mb", "run"]


def rss_mb(pid: int) -> float:
    """Resident set size of one process in MiB (0 if it is gone)."""
    try:
        return psutil.Process(pid).memory_info().rss / (1024 * 1024)
    except psutil.Error:
        return 0.0


class RssSampler:
    """Samples the RSS of the API process and its worker every `interval` seconds."""

    def __init__(self, api_pid: int, interval: float = 0.2):
        self.api_pid = api_pid
        self.interval = interval
        self.peak = {"api_mb": 0.0, "worker_mb": 0.0}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True, name="rss-sampler")

    def snapshot(self) -> dict:
        """RSS now: `{"api_mb", "worker_mb"}` (the worker is the API's child process)."""
        try:
            children = psutil.Process(self.api_pid).children(recursive=True)
        except psutil.Error:
            children = []
        worker = max((rss_mb(child.pid) for child in children), default=0.0)
        return {"api_mb": round(rss_mb(self.api_pid), 1), "worker_mb": round(worker, 1)}

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            for key, value in self.snapshot().items():
                self.peak[key] = max(self.peak[key], value)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def run(options) -> dict:
    """Idle and peak RSS around a backlog of real pages (see `bench.backlog`)."""
    from bench import backlog

    result = backlog.run(options, pages=150 if not options.quick else 60)
    return result["memory"]
