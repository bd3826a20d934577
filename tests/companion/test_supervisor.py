"""The worker's life: it gives its model back after an idle spell and comes back for work.

The real service (`inflow serve` with `INFLOW_WORKER_IDLE_SECONDS=2`) is watched from outside:
its process tree, the shared objects mapped into the API process, `/status`, the log. The
API process itself must never import the NLP stack (trafilatura, lxml, spaCy): that is checked
in a fresh interpreter too, so a stray import anywhere in the app is caught.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import psutil
import pytest

from companion import supervisor as supervisor_module
from companion.errors import InflowError
from companion.journal import captures as store
from companion.journal.processing import get_state
from companion.settings import Settings
from companion.supervisor import WorkerSupervisor
from companion.worker import IDLE_OR_STOPPED, run_worker
from tests.support import REPO, make_capture

# Shared objects of the NLP stack; none may be mapped into the API process.
# What an idle API process must not hold: the NLP stack, and the dataframe libraries
# sqlite_utils would import whenever they are installed (`inflow serve` keeps them out)
NLP_LIBRARIES = (
    "/spacy/",
    "/thinc/",
    "/lxml/",
    "/trafilatura/",
    "/cymem/",
    "/preshed/",
    "/numpy/",
    "/pandas/",
)
NLP_MODULES = ("spacy", "thinc", "trafilatura", "lxml", "wordfreq", "nlp.analyzer")


def _children(pid: int) -> list[psutil.Process]:
    return psutil.Process(pid).children(recursive=True)


def _wait_for_children(pid: int, count: int, timeout: float = 120) -> list[psutil.Process]:
    deadline = time.monotonic() + timeout
    while len(children := _children(pid)) != count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(children)} child processes, not {count}, after {timeout}s")
        time.sleep(0.2)
    return children


def _tree_pss_mb(pid: int) -> float:
    processes = [psutil.Process(pid), *_children(pid)]
    return sum(process.memory_full_info().pss for process in processes) / (1024 * 1024)


def _nlp_libraries_mapped(pid: int) -> list[str]:
    maps = Path(f"/proc/{pid}/maps").read_text()
    return sorted(
        {
            line.split()[-1]
            for line in maps.splitlines()
            if any(lib in line for lib in NLP_LIBRARIES)
        }
    )


@pytest.mark.model
def test_the_worker_exits_after_idling_and_the_next_capture_brings_it_back(companion_server):
    # Long enough to measure the busy tree before the worker idles out on a loaded machine (at 2 s
    # it was sometimes gone before its memory was read)
    companion = companion_server(wait_for_model=True, env={"INFLOW_WORKER_IDLE_SECONDS": "10"})
    api = companion.process.pid
    with companion.client() as http:
        (worker,) = _children(api)  # the worker alone: no multiprocessing helper beside it
        assert "companion.worker" in " ".join(worker.cmdline())
        busy_pss = _tree_pss_mb(api)

        _wait_for_children(api, 0)
        status = http.get("/api/v1/status").json()
        assert status["worker_asleep"] is True
        assert status["nlp_model_loaded"] is False
        assert status["worker_pid"] is None
        assert _tree_pss_mb(api) < busy_pss / 2  # the model's memory went with the worker
        assert _nlp_libraries_mapped(api) == []

        capture = make_capture()
        assert http.post("/api/v1/captures", json=capture).status_code == 202
        (stored,) = companion.wait_processed([capture["id"]], timeout=180)
        assert stored["status"] == "processed", stored["error"]
        _wait_for_children(api, 0)  # and it gives the model back again
    assert "worker exited (code" not in companion.log_path.read_text()  # idle is no failure


@pytest.mark.model
def test_captures_queued_while_the_worker_sleeps_are_all_processed(companion_server):
    companion = companion_server(wait_for_model=True, env={"INFLOW_WORKER_IDLE_SECONDS": "1"})
    _wait_for_children(companion.process.pid, 0)
    captures = [make_capture(url=f"https://docs.example.org/sleep/{n}") for n in range(20)]
    with companion.client() as http:
        reply = http.post("/api/v1/captures/batch", json={"captures": captures})
        assert all(result["accepted"] for result in reply.json()["results"])
    stored = companion.wait_processed([c["id"] for c in captures], timeout=240)
    assert {s["status"] for s in stored} == {"processed"}


def _wait_for_work_in_thread(supervisor: WorkerSupervisor) -> tuple[threading.Thread, list]:
    answer: list[bool] = []
    thread = threading.Thread(target=lambda: answer.append(supervisor._wait_for_work()))
    thread.start()
    return thread, answer


def test_a_wake_after_a_capture_is_queued_ends_the_wait_for_work_at_once(
    monkeypatch, settings_factory, journal
):
    monkeypatch.setattr(supervisor_module, "_WAKE_POLL_SECONDS", 600)  # only the wake can end it
    supervisor = WorkerSupervisor(settings_factory(), journal=lambda: journal)
    thread, answer = _wait_for_work_in_thread(supervisor)
    thread.join(0.5)
    assert thread.is_alive()  # nothing queued: it waits

    capture = make_capture()
    capture["started_at"] = datetime.fromisoformat(capture["started_at"])
    store.ingest(journal, capture, max_queue=1000)
    supervisor.wake()
    thread.join(60)
    assert answer == [True]


def test_a_wake_with_nothing_queued_starts_nothing_and_stop_ends_the_wait(
    monkeypatch, settings_factory, journal
):
    monkeypatch.setattr(supervisor_module, "_WAKE_POLL_SECONDS", 600)
    supervisor = WorkerSupervisor(settings_factory(), journal=lambda: journal)
    thread, answer = _wait_for_work_in_thread(supervisor)
    supervisor.wake()  # e.g. a capture the worker processed before it fell asleep
    thread.join(0.5)
    assert thread.is_alive() and answer == []
    supervisor.stop()
    thread.join(60)
    assert answer == [False]


def test_every_way_of_queueing_a_capture_wakes_the_worker(app_client):
    client, _ = app_client
    wakes = []

    class Supervisor:  # records the wakes (the real one would start a worker process)
        def wake(self):
            wakes.append(1)

    client.app.state.supervisor = Supervisor()
    capture = make_capture()
    assert client.post("/api/v1/captures", json=capture).status_code == 202
    assert len(wakes) == 1
    assert client.post("/api/v1/captures/batch", json={"captures": [make_capture()]}).is_success
    assert len(wakes) == 2
    assert client.patch(
        f"/api/v1/captures/{capture['id']}", json={"engaged_seconds": 900}
    ).is_success
    assert len(wakes) == 3
    assert client.post(f"/api/v1/captures/{capture['id']}/retry").is_success
    assert len(wakes) == 4


def test_the_api_process_imports_no_nlp_stack(tmp_path):
    # A fresh interpreter builds the app and the CLI parser as `inflow serve` does.
    script = f"""
import json, sys
from pathlib import Path
from companion.app import create_app
from companion.cli import build_parser
from companion.settings import Settings
build_parser()
create_app(Settings(data_dir=Path({str(tmp_path)!r})))
print(json.dumps([name for name in {NLP_MODULES!r} if name in sys.modules]))
"""
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == []


def test_the_worker_gives_up_after_idle_seconds_and_says_it_is_asleep(
    settings_factory, journal_factory
):
    settings = settings_factory(worker_idle_seconds=0.3, worker_poll_seconds=0.05)
    started = time.monotonic()
    code = run_worker(settings, analyzer_factory=lambda model: object(), should_stop=lambda: False)
    assert code == IDLE_OR_STOPPED
    assert time.monotonic() - started >= 0.3
    state = get_state(journal_factory(settings.db_path), "worker")
    assert state["asleep"] is True
    assert not state.get("loaded")
    assert not state.get("pid")


def test_a_worker_with_idle_seconds_0_never_falls_asleep(settings_factory, journal_factory):
    settings = settings_factory(worker_idle_seconds=0, worker_poll_seconds=0.05)
    deadline = time.monotonic() + 1.0
    code = run_worker(
        settings,
        analyzer_factory=lambda model: object(),
        should_stop=lambda: time.monotonic() > deadline,
    )
    assert code == IDLE_OR_STOPPED
    assert time.monotonic() >= deadline  # it ran until told to stop
    assert get_state(journal_factory(settings.db_path), "worker")["asleep"] is False


def test_worker_idle_seconds_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("INFLOW_WORKER_IDLE_SECONDS", "42.5")
    assert Settings(data_dir=tmp_path).worker_idle_seconds == 42.5
    monkeypatch.delenv("INFLOW_WORKER_IDLE_SECONDS")
    assert Settings(data_dir=tmp_path).worker_idle_seconds == 300


@pytest.mark.parametrize("value", ["soon", "-1", "nan"])
def test_a_bad_worker_idle_seconds_is_a_clear_error(monkeypatch, tmp_path, value):
    monkeypatch.setenv("INFLOW_WORKER_IDLE_SECONDS", value)
    with pytest.raises(InflowError, match="INFLOW_WORKER_IDLE_SECONDS must be a number"):
        Settings(data_dir=tmp_path)


def test_settings_reach_the_worker_process_unchanged(settings_factory):
    settings = settings_factory(worker_batch_size=3, worker_idle_seconds=7, port=9999)
    assert Settings.from_json(settings.to_json()) == settings
