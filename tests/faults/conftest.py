"""Fixtures and helpers of the fault and abuse suite (the shared ones are in tests/conftest.py).

- `raw_http`: send exact bytes to a server (path tricks and header abuse that httpx would tidy);
- `assert_error_shape`: the one JSON error shape every refusal must carry;
- `shared_companion`: one real `inflow serve --no-worker` per module, for many quick requests;
- `journal_rows`: read a stopped (or running) companion's journal with stock `sqlite3`.
"""

from __future__ import annotations

import contextlib
import socket
import sqlite3
from pathlib import Path

import pytest

from tests.support import CompanionProcess, free_port


def raw_http(port: int, data: bytes, *, timeout: float = 30) -> tuple[int, dict, bytes]:
    """Send `data` as-is to 127.0.0.1:`port`; return (status, headers, body) of the reply.

    The request should say `Connection: close`; the reply is read until the server closes.
    """
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        # The server may refuse before reading it all; its reply is still there to read.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(data)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except ConnectionResetError:
            pass
    reply = b"".join(chunks)
    head, _, body = reply.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines and lines[0].startswith("HTTP/") else 0
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


def request_bytes(
    method: str,
    path: str,
    port: int,
    *,
    headers: dict[str, str] | None = None,
    body: bytes = b"",
    host: str | None = None,
) -> bytes:
    """An HTTP/1.1 request exactly as given (no normalisation), with `Connection: close`."""
    host = f"127.0.0.1:{port}" if host is None else host
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if body or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body)}")
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def assert_error_shape(status: int, body, expected_status: int, code: str | None = None) -> dict:
    """Assert the one error shape `{"error": {"code", "message", "status"}}`; return it."""
    import json

    payload = json.loads(body) if isinstance(body, bytes | str) else body
    assert status == expected_status, payload
    assert set(payload) == {"error"}, payload
    error = payload["error"]
    assert set(error) == {"code", "message", "status"}, error
    assert error["status"] == expected_status
    assert isinstance(error["message"], str) and len(error["message"]) > 10
    if code:
        assert error["code"] == code, error
    return error


@pytest.fixture(scope="module")
def shared_companion(tmp_path_factory) -> CompanionProcess:
    """One real companion without a worker, shared by a module's many quick requests."""
    where = tmp_path_factory.mktemp("companion")
    companion = CompanionProcess(
        data_dir=where / "data",
        port=free_port(),
        log_path=where / "companion.log",
        extra_args=["--no-worker"],
        env={"INFLOW_EXTENSION_IDS": "abcdefghijklmnopabcdefghijklmnop"},
    )
    companion.start()
    yield companion
    companion.stop()


def journal_rows(data_dir: Path, sql: str, params=()) -> list[tuple]:
    """Run a read query on a companion's journal with a stock sqlite3 connection."""
    conn = sqlite3.connect(f"file:{data_dir / 'journal.db'}?mode=ro", uri=True, timeout=30)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.fixture
def corpus_root() -> Path:
    """The shared corpus (`../shared/corpus`); skips with the reason if it is absent."""
    corpus = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
    if not corpus.is_dir():
        pytest.skip(f"the shared corpus is not at {corpus}")
    return corpus
