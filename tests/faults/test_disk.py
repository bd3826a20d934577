"""Disk full and read-only journal: the API answers 503 with a clear message, never a 500, and
nothing it accepted is lost; once space (or write access) returns, refused captures go in.

Three honest simulations: SQLite's own `max_page_count` and `query_only` on the running app's
writer (hermetic), and a real tmpfs that fills up under a real `inflow serve` (needs root to
mount; skipped with the reason elsewhere).
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid

import pytest

from tests.faults.conftest import assert_error_shape, journal_rows
from tests.support import CompanionProcess, free_port, make_capture


def _page(n: int, size: int = 40_000) -> dict:
    return make_capture(
        url=f"https://docs.example.org/full/{n}", html="<p>" + "filler words " * (size // 13)
    )


def _fill_until_refused(post, limit: int = 400) -> tuple[list[str], dict, list[dict]]:
    """Post pages until one is refused; return (accepted ids, the refusal, refused captures)."""
    accepted = []
    for n in range(limit):
        capture = _page(n)
        status, body = post(capture)
        assert status != 500, body
        if status == 202:
            accepted.append(capture["id"])
            continue
        assert_error_shape(status, body, 503, "journal_unavailable")
        return accepted, body, [capture]
    pytest.fail(f"the journal never filled up after {limit} pages")


def test_a_full_disk_answers_503_and_loses_nothing_once_space_returns(app_client):
    client, _ = app_client
    writer = client.app.state.journal._writer
    pages = writer.execute("PRAGMA page_count").fetchone()[0]
    writer.execute(f"PRAGMA max_page_count = {pages + 60}")

    def post(capture):
        reply = client.post("/api/v1/captures", json=capture)
        return reply.status_code, reply.json()

    accepted, refusal, refused = _fill_until_refused(post)
    assert accepted, "nothing fit before the disk was full"
    assert "full" in refusal["error"]["message"]
    # Reads still work while the disk is full, and say what is pending.
    assert client.get("/api/v1/today").status_code == 200
    batch = client.post("/api/v1/captures/batch", json={"captures": [_page(999)]})
    assert_error_shape(batch.status_code, batch.json(), 503, "journal_unavailable")

    writer.execute("PRAGMA max_page_count = 1073741823")  # space returns
    for capture in refused:
        assert client.post("/api/v1/captures", json=capture).status_code == 202
    for capture_id in accepted + [c["id"] for c in refused]:
        assert client.get(f"/api/v1/captures/{capture_id}").json()["status"] == "queued"


def test_a_read_only_journal_answers_503_and_accepts_again_when_writable(app_client):
    client, _ = app_client
    writer = client.app.state.journal._writer
    before = make_capture()
    assert client.post("/api/v1/captures", json=before).status_code == 202
    writer.execute("PRAGMA query_only = ON")
    refused = make_capture()
    reply = client.post("/api/v1/captures", json=refused)
    error = assert_error_shape(reply.status_code, reply.json(), 503, "journal_unavailable")
    assert "read-only" in error["message"]
    assert (
        client.patch(f"/api/v1/captures/{before['id']}", json={"engaged_seconds": 500}).status_code
        == 503
    )
    assert client.get(f"/api/v1/captures/{before['id']}").status_code == 200

    writer.execute("PRAGMA query_only = OFF")
    assert client.post("/api/v1/captures", json=refused).status_code == 202
    for capture in (before, refused):
        assert client.get(f"/api/v1/captures/{capture['id']}").status_code == 200


@pytest.fixture
def small_tmpfs(tmp_path):
    """A 3 MB tmpfs mounted for the test (root only); grown or removed by the test's end."""
    mount_point = tmp_path / "tmpfs"
    mount_point.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root; the max_page_count test covers this")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m,mode=0700", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_a_real_full_filesystem_answers_503_and_loses_nothing(small_tmpfs, tmp_path):
    companion = CompanionProcess(
        data_dir=small_tmpfs / "data",
        port=free_port(),
        log_path=tmp_path / "companion.log",
        extra_args=["--no-worker"],
    )
    companion.start()
    try:
        with companion.client() as http:

            def post(capture):
                reply = http.post("/api/v1/captures", json=capture)
                return reply.status_code, reply.json()

            accepted, refusal, refused = _fill_until_refused(post)
            assert "full" in refusal["error"]["message"]
            assert http.get("/api/v1/status").status_code == 200
            # Space returns: the same tmpfs grows to 64 MB, live.
            subprocess.run(["mount", "-o", "remount,size=64m", str(small_tmpfs)], check=True)
            for capture in refused + [_page(10_000 + n) for n in range(5)]:
                reply = http.post("/api/v1/captures", json=capture)
                assert reply.status_code == 202, reply.text
                accepted.append(capture["id"])
    finally:
        companion.stop()
    marks = ",".join("?" * len(accepted))
    rows = journal_rows(
        companion.data_dir, f"SELECT count(*) FROM captures WHERE id IN ({marks})", accepted
    )
    assert rows == [(len(accepted),)]
    assert journal_rows(companion.data_dir, "PRAGMA integrity_check") == [("ok",)]
    log = companion.log_path.read_text(errors="replace")
    assert "Traceback" not in log


def test_a_companion_started_on_a_read_only_data_dir_says_so(tmp_path):
    """The data dir exists (journal and token) but is mounted read-only when the service starts."""
    if os.geteuid() != 0:
        pytest.skip("a read-only bind mount needs root; the query_only test covers this")
    base, ro = tmp_path / "base", tmp_path / "ro"
    ro.mkdir()
    CompanionProcess(data_dir=base, port=free_port(), log_path=tmp_path / "a.log").start().stop()
    if subprocess.run(["mount", "--bind", str(base), str(ro)], capture_output=True).returncode:
        pytest.skip("cannot bind-mount here")
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(ro)], check=True)
        companion = CompanionProcess(
            data_dir=ro, port=free_port(), log_path=tmp_path / "ro.log", extra_args=["--no-worker"]
        )
        try:
            companion.start(timeout=30)
            with companion.client() as http:
                reply = http.post("/api/v1/captures", json=make_capture(id=str(uuid.uuid4())))
            error = assert_error_shape(reply.status_code, reply.json(), 503, "journal_unavailable")
            assert "read-only" in error["message"]
        except RuntimeError as exc:  # exited: it must at least say why, without a traceback
            log = companion.log_path.read_text(errors="replace")
            assert "read-only" in log.lower() and "Traceback" not in log, str(exc)
        finally:
            companion.stop()
    finally:
        subprocess.run(["umount", "-l", str(ro)], check=False)
    json.loads((base / "companion.json").read_text())  # the writable original is intact
