"""Runs the worker in its own process while there is work, restarts it if it dies, stops it.

The worker is a plain child process, `python -m companion.worker` with the settings as JSON on
its stdin, not a `multiprocessing` one: the spawn context starts a resource tracker (one more
process, 13 MB) for the life of the service, and a `multiprocessing.Event` needs a semaphore.
Stopping needs no shared object: SIGTERM (the worker finishes its batch), and a worker whose
parent died without a word notices and exits by itself.

Its life: it starts with the service, so it resumes what a stop interrupted and has its model
ready for the outbox's first flush. After `worker_idle_seconds` without work it exits with
`IDLE_OR_STOPPED`, which gives the spaCy model's memory back; that is not a failure. While it
is gone, the supervisor starts it again as soon as the journal says a capture waits: it asks
when the API calls `wake()` (it just queued a capture) and every `_WAKE_POLL_SECONDS` in case
someone else queued one. The journal decides, so a wake that came while the worker still ran
starts nothing. A worker that dies any other way is restarted, once work waits, after a delay
that grows with each failure in a row (`_RESTART_DELAYS`), so a broken model never loops hot.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable

from companion.journal import Journal
from companion.journal.captures import queue_depth
from companion.memory import release_free_memory
from companion.settings import Settings
from companion.worker import IDLE_OR_STOPPED

__all__ = ["WorkerSupervisor"]

log = logging.getLogger("inflow.supervisor")

_RESTART_DELAYS = (1, 2, 5, 10, 30, 60)
_WAKE_POLL_SECONDS = 2.0  # for captures queued by another process; the API calls wake()


class WorkerSupervisor:
    """Owns the worker process of one running companion.

    `journal()` returns the service's open journal, or None while it cannot be opened; the
    supervisor reads from it, while no worker runs, whether a capture waits.
    """

    def __init__(self, settings: Settings, journal: Callable[[], Journal | None]):
        self.settings = settings
        self.journal = journal
        self._lock = threading.Lock()  # no new worker once stop() has begun
        self._stopping = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start the worker now, and a thread that restarts it when needed (see the module)."""
        self._thread = threading.Thread(target=self._watch, name="inflow-supervisor", daemon=True)
        self._thread.start()

    def _spawn(self) -> subprocess.Popen | None:
        with self._lock:
            if self._stopping.is_set():
                return None
            command = [sys.executable, "-m", "companion.worker", "--parent-pid", str(os.getpid())]
            self.process = subprocess.Popen(command, stdin=subprocess.PIPE)
        try:
            self.process.stdin.write(self.settings.to_json().encode())
            self.process.stdin.close()
        except OSError:  # it died at once; its exit code says so
            pass
        return self.process

    def _work_waiting(self) -> bool:
        """Whether a capture waits; yes when the journal cannot tell (the worker will report)."""
        journal = self.journal()
        try:
            return journal is None or queue_depth(journal) > 0
        except Exception:  # noqa: BLE001 - the worker meets the same problem and reports it
            return True

    def wake(self) -> None:
        """Captures were queued: start the worker now if it is asleep (cheap; call freely)."""
        self._wake.set()

    def _wait_for_work(self) -> bool:
        """Block until a capture waits (True) or the service stops (False)."""
        while not self._stopping.is_set():
            self._wake.clear()
            if self._work_waiting():
                return True
            self._wake.wait(_WAKE_POLL_SECONDS)
        return False

    def _watch(self) -> None:
        failures = 0
        while (process := self._spawn()) is not None:
            code = process.wait()
            if self._stopping.is_set():
                return
            if code == IDLE_OR_STOPPED:
                failures = 0
                release_free_memory()  # the whole companion is idle now: the API's heap too
            else:
                delay = _RESTART_DELAYS[min(failures, len(_RESTART_DELAYS) - 1)]
                log.warning("worker exited (code %s); restarting in %ss if work waits", code, delay)
                failures += 1
                if self._stopping.wait(delay):
                    return
            if not self._wait_for_work():
                return

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the worker to finish its batch and exit; kill it if it does not in time."""
        with self._lock:
            self._stopping.set()
            self._wake.set()  # out of its wait at once
            process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._thread is not None:
            self._thread.join(timeout)
