"""The worker: takes pending captures from the journal, runs `nlp` on them, stores the results.

It runs in its own process, `python -m companion.worker` (`WorkerSupervisor` starts it), so the
CPU-heavy NLP never stalls the API. It never loses a capture: one that fails is marked failed
with its reason and can be retried; one that was being processed when the worker died is picked
up again at the next start. After `worker_idle_seconds` without work it exits (code 0), which
gives the spaCy model's memory back; the supervisor starts it again when a capture arrives.
Each time its queue empties, it merges the search index's segments if that is due (see
`companion.journal.search_index`).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from companion.journal import Journal
from companion.journal.processing import (
    PendingCapture,
    claim_pending,
    mark_failed,
    requeue_interrupted,
    save_analysis,
    set_state,
    site_corrections,
)
from companion.journal.search_index import merge_when_due
from companion.settings import Settings

__all__ = ["IDLE_OR_STOPPED", "MODEL_LOAD_FAILED", "main", "process_batch", "run_worker"]

log = logging.getLogger("inflow.worker")

_HEARTBEAT_SECONDS = 5.0
_NICENESS = 5  # the NLP yields the CPU to the API, which must answer at once
IDLE_OR_STOPPED = 0  # exit code: asked to stop, or idle; not a failure
MODEL_LOAD_FAILED = 3  # exit code: the supervisor does not restart in a tight loop


class AnalysisTimeout(Exception):
    """The analysis of a page ran past its time budget."""


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise `AnalysisTimeout` in this block after `seconds` (main thread only: SIGALRM).

    One pathological page (say, a million tiny elements) must fail alone, not stall the queue.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum, frame):
        raise AnalysisTimeout

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _page_input(capture: PendingCapture):
    from nlp import MediaInfo, PageInput

    media = None
    if capture.media:
        media = MediaInfo(**{k: v for k, v in capture.media.items() if v is not None})
    return PageInput(
        url=capture.url,
        title=capture.title or None,
        html=capture.html,
        text=capture.text,
        kind=capture.kind,
        engaged_seconds=capture.engaged_seconds,
        scroll_depth=capture.scroll_depth,
        search_query=capture.search_query,
        media=media,
    )


def _corrections(journal: Journal, batch: list[PendingCapture]):
    from nlp import SiteCorrections, TagCorrection

    found = site_corrections(journal, {capture.site for capture in batch})
    return SiteCorrections(
        by_site={site: [TagCorrection(**facets) for facets in rows] for site, rows in found.items()}
    )


def process_batch(
    journal: Journal, analyzer, batch: list[PendingCapture], *, seconds_per_page: float = 0
) -> tuple[int, int]:
    """Analyse a claimed batch and store each result; return (processed, failed).

    If the batch as a whole fails or runs past its time budget (`seconds_per_page` per page,
    0 = none), each capture is tried alone with its own budget, so one bad page fails alone.
    """
    pages = [_page_input(capture) for capture in batch]
    corrections = _corrections(journal, batch)
    try:
        with _deadline(seconds_per_page * len(batch)):
            analyses = analyzer.analyze_many(pages, corrections)
    except Exception:  # noqa: BLE001 - one bad page must not fail its neighbours
        log.warning("a batch of %d failed; analysing its captures one by one", len(batch))
        analyses = [None] * len(batch)
    done = failed = 0
    for capture, page, analysis in zip(batch, pages, analyses, strict=True):
        if analysis is None:
            try:
                with _deadline(seconds_per_page):
                    analysis = analyzer.analyze(page, corrections)
            except AnalysisTimeout:
                reason = f"analysis took longer than {seconds_per_page:g} s: page too complex"
                mark_failed(journal, capture.id, reason)
                log.warning("capture processing timed out")
                failed += 1
                continue
            except Exception as exc:  # noqa: BLE001 - recorded on the capture, never lost
                mark_failed(journal, capture.id, f"analysis failed: {type(exc).__name__}")
                log.warning("capture processing failed: %s", type(exc).__name__)
                failed += 1
                continue
        save_analysis(journal, capture.id, analysis.to_dict())
        done += 1
    return done, failed


def _upkeep_search_index(journal: Journal, should_stop: Callable[[], bool]) -> None:
    """Merge the search index's segments when due (`search_index.merge_when_due`), stopping
    between two steps if asked to; a failure is logged, never the worker's end: the index still
    answers, only slower."""
    try:
        if merge_when_due(journal, keep_going=lambda: not should_stop()):
            log.info("merged the search index's segments into one")
    except Exception as exc:  # noqa: BLE001 - upkeep, retried at the next quiet moment
        log.warning("could not merge the search index's segments: %s", type(exc).__name__)


def run_worker(
    settings: Settings,
    *,
    should_stop: Callable[[], bool] = lambda: False,
    analyzer_factory: Callable | None = None,
) -> int:
    """Process captures until `should_stop()` is true or there was no work for a while.

    "A while" is `settings.worker_idle_seconds` (0: never). Returns an exit code:
    `IDLE_OR_STOPPED`, or `MODEL_LOAD_FAILED`. `analyzer_factory(model_name)` builds the
    analyser (default: `nlp.Analyzer`).
    """
    journal = Journal(settings.db_path)
    state = {"model": settings.spacy_model, "loaded": False, "pid": os.getpid()}
    set_state(journal, "worker", state)
    requeued = requeue_interrupted(journal, max_attempts=settings.max_attempts)
    if requeued:
        log.info("resuming %d captures interrupted by a stop", requeued)
    try:
        if analyzer_factory is None:
            from nlp import Analyzer as analyzer_factory
        analyzer = analyzer_factory(settings.spacy_model)
    except Exception as exc:  # noqa: BLE001 - reported through /status, then exit
        set_state(journal, "worker", {**state, "error": f"model failed to load: {exc}"})
        log.error("the NLP model %r failed to load: %s", settings.spacy_model, exc)
        journal.close()
        return MODEL_LOAD_FAILED
    state["loaded"] = True
    set_state(journal, "worker", state)
    log.info("worker ready (model %s)", settings.spacy_model)
    last_beat = last_work = time.monotonic()
    idle = False
    upkept = False  # the search index's upkeep was seen to since the last batch
    try:
        while not should_stop():
            batch = claim_pending(journal, settings.worker_batch_size)
            if batch:
                process_batch(
                    journal, analyzer, batch, seconds_per_page=settings.analysis_timeout_seconds
                )
                last_work = time.monotonic()
                upkept = False
            elif not upkept:  # the queue just emptied: a quiet moment
                _upkeep_search_index(journal, should_stop)
                upkept = True
            elif 0 < settings.worker_idle_seconds <= time.monotonic() - last_work:
                idle = True
                break
            else:
                time.sleep(settings.worker_poll_seconds)
            if time.monotonic() - last_beat > _HEARTBEAT_SECONDS:
                set_state(journal, "worker", state)
                last_beat = time.monotonic()
        # Gone: /status must not say a model is loaded, nor point at a stale pid.
        set_state(journal, "worker", {"model": settings.spacy_model, "asleep": idle})
    finally:
        journal.close()
    if idle:
        log.info("no work for %gs: exiting, the memory goes back", settings.worker_idle_seconds)
    return IDLE_OR_STOPPED


def main(argv: list[str] | None = None) -> int:
    """Run the worker process: `python -m companion.worker --parent-pid PID`, settings on stdin.

    The supervisor starts it and writes `Settings.to_json()` to its stdin. It stops (after the
    batch in hand) on SIGTERM, or when its parent is gone, even if that was killed with no
    chance to tell it. It ignores SIGINT: a Ctrl-C in the terminal stops the service, which
    then stops its worker.
    """
    from companion.cli import configure_logging

    parser = argparse.ArgumentParser(prog="python -m companion.worker", description=main.__doc__)
    parser.add_argument("--parent-pid", type=int, required=True, help="exit when it is gone")
    args = parser.parse_args(argv)
    configure_logging()
    settings = Settings.from_json(sys.stdin.read())
    os.nice(_NICENESS)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    return run_worker(
        settings, should_stop=lambda: stop.is_set() or os.getppid() != args.parent_pid
    )


if __name__ == "__main__":
    sys.exit(main())
