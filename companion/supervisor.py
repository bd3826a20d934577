"""Starts the worker in its own process, restarts it if it dies, stops it with the service."""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading

from companion.settings import Settings

__all__ = ["WorkerSupervisor"]

log = logging.getLogger("inflow.supervisor")

_RESTART_DELAYS = (1, 2, 5, 10, 30, 60)


def _worker_main(settings: Settings, stop_event, parent_pid: int) -> None:
    """Entry point of the worker process."""
    from companion.cli import configure_logging
    from companion.worker import run_worker

    configure_logging()
    os.nice(5)  # the NLP yields the CPU to the API, which must answer at once

    def should_stop() -> bool:
        # Exit with the service, even if it was killed with no chance to tell us.
        return stop_event.is_set() or os.getppid() != parent_pid

    raise SystemExit(run_worker(settings, should_stop=should_stop))


class WorkerSupervisor:
    """Owns the worker process of one running companion."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._context = multiprocessing.get_context("spawn")
        self._stop = self._context.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.process: multiprocessing.Process | None = None

    def start(self) -> None:
        """Start the worker and a thread that restarts it (with backoff) if it exits."""
        self._thread = threading.Thread(target=self._watch, name="inflow-supervisor", daemon=True)
        self._thread.start()

    def _spawn(self) -> multiprocessing.Process:
        process = self._context.Process(
            target=_worker_main,
            args=(self.settings, self._stop, os.getpid()),
            name="inflow-worker",
            daemon=True,
        )
        process.start()
        return process

    def _watch(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            self.process = self._spawn()
            self.process.join()
            if self._stopping.is_set():
                return
            delay = _RESTART_DELAYS[min(failures, len(_RESTART_DELAYS) - 1)]
            log.warning("worker exited (code %s); restarting in %ss", self.process.exitcode, delay)
            failures += 1
            if self._stopping.wait(delay):
                return

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the worker to finish its batch and exit; kill it if it does not in time."""
        self._stopping.set()
        self._stop.set()
        if self.process is not None:
            self.process.join(timeout)
            if self.process.is_alive():
                self.process.kill()
                self.process.join()
        if self._thread is not None:
            self._thread.join(timeout)
