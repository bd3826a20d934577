"""Abuse of the access rules, against a real `inflow serve`: every trick is refused, in the one
error shape, and the server's log names none of the URLs, titles or tokens it was sent.

Requests are sent as raw bytes so that nothing (httpx, curl) tidies the path or the headers.
"""

from __future__ import annotations

import json
import socket

import pytest

from tests.faults.conftest import assert_error_shape, raw_http, request_bytes
from tests.support import make_capture

SECRET_URL = "https://secret-intranet.example.net/payroll/q3-secret-marker"
SECRET_TITLE = "Confidential title marker 7f3a"
EXTENSION_ORIGIN = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"


def _capture_body() -> bytes:
    return json.dumps(make_capture(url=SECRET_URL, title=SECRET_TITLE)).encode()


def _send(companion, method, path, *, headers=None, body=b"", host=None, token=True):
    headers = dict(headers or {})
    if token is True:
        headers.setdefault("Authorization", f"Bearer {companion.token}")
    if body:
        headers.setdefault("Content-Type", "application/json")
    return raw_http(
        companion.port,
        request_bytes(method, path, companion.port, headers=headers, body=body, host=host),
    )


@pytest.mark.parametrize(
    "host",
    [
        "evil.example.com:{port}",
        "127.0.0.1.nip.io:{port}",
        "localhost.evil.example:{port}",
        "127.0.0.1",
        "127.0.0.1:1",
        "0.0.0.0:{port}",
        "[::ffff:127.0.0.1]:{port}",
        "",
    ],
)
def test_requests_for_another_host_are_refused_as_dns_rebinding(shared_companion, host):
    host = host.format(port=shared_companion.port)
    status, _, body = _send(shared_companion, "GET", "/api/v1/today", host=host)
    assert_error_shape(status, body, 403, "bad_host")


def test_a_write_for_another_host_stores_nothing(shared_companion):
    capture = make_capture(url=SECRET_URL, title=SECRET_TITLE)
    status, _, body = _send(
        shared_companion,
        "POST",
        "/api/v1/captures",
        body=json.dumps(capture).encode(),
        host=f"attacker.example:{shared_companion.port}",
    )
    assert_error_shape(status, body, 403, "bad_host")
    status, _, _ = _send(shared_companion, "GET", f"/api/v1/captures/{capture['id']}")
    assert status == 404


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "missing_token"),
        ({"Authorization": "Bearer "}, "missing_token"),
        ({"Authorization": "Bearer wrong-token-0123456789"}, "wrong_token"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "missing_token"),
        ({"Authorization": "Token {token}"}, "missing_token"),
        ({"Authorization": "Bearer {token}x"}, "wrong_token"),
        ({"Authorization": "Bearer {short}"}, "wrong_token"),
        ({"Cookie": "token={token}; inflow_token={token}"}, "missing_token"),
        ({"X-Api-Key": "{token}", "X-Token": "{token}"}, "missing_token"),
    ],
)
def test_reads_without_the_right_bearer_token_are_refused_with_401(shared_companion, headers, code):
    token = shared_companion.token
    headers = {k: v.format(token=token, short=token[:8]) for k, v in headers.items()}
    status, _, body = _send(shared_companion, "GET", "/api/v1/today", headers=headers, token=False)
    assert_error_shape(status, body, 401, code)


@pytest.mark.parametrize("param", ["token", "access_token", "auth", "api_key"])
def test_a_token_in_the_query_string_is_not_accepted(shared_companion, param):
    path = f"/api/v1/captures?{param}={shared_companion.token}"
    status, _, body = _send(shared_companion, "GET", path, token=False)
    assert_error_shape(status, body, 401, "missing_token")


@pytest.mark.parametrize(
    "path",
    [
        "//api/v1/captures",
        "///api/v1/today",
        "/API/v1/captures",
        "/Api/V1/Today",
        "/api%2Fv1%2Fcaptures",
        "/api%252Fv1%252Fcaptures",
        "/%61pi/v1/today",
        "/./api/v1/today",
        "/static/../api/v1/today",
        "/docs/../api/v1/captures",
        "/pair/../api/v1/today",
        "/week/..%2Fapi/v1/today",
        "/api/v1/pair/../captures",
        "/api\\v1\\today",
        "/api/v1/today;.css",
        "/api/v1/today%00",
    ],
)
def test_path_tricks_do_not_bypass_the_token(shared_companion, path):
    status, _, body = _send(shared_companion, "GET", path, token=False)
    assert_error_shape(status, body, 401, "missing_token")


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example.com",
        "http://localhost:3000",
        "http://127.0.0.1:1",
        "null",
        "file://",
        "chrome-extension://someotherextensionidaaaaaaaaaaaaa",
        "https://evil.example.com, chrome-extension://abcdefghijklmnopabcdefghijklmnop",
    ],
)
def test_web_page_origins_are_refused_even_with_the_token(shared_companion, origin):
    for method, path, body in (
        ("GET", "/api/v1/today", b""),
        ("POST", "/api/v1/captures", _capture_body()),
    ):
        status, headers, reply = _send(
            shared_companion, method, path, headers={"Origin": origin}, body=body
        )
        assert_error_shape(status, reply, 403, "bad_origin")
        assert "access-control-allow-origin" not in headers


def test_a_preflight_from_a_web_page_grants_nothing(shared_companion):
    status, headers, _ = _send(
        shared_companion,
        "OPTIONS",
        "/api/v1/captures",
        headers={
            "Origin": "https://evil.example.com",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
        token=False,
    )
    assert status in (401, 403)
    assert "access-control-allow-origin" not in headers


def test_the_extension_origin_is_accepted(shared_companion):
    status, _, body = _send(
        shared_companion,
        "POST",
        "/api/v1/captures",
        headers={"Origin": EXTENSION_ORIGIN},
        body=_capture_body(),
    )
    assert status == 202, body


@pytest.mark.parametrize(
    "content_type",
    [
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=xyz",
        "text/plain",
        "text/plain; charset=application/json",
        "application/json-seq",
        None,
    ],
)
def test_form_encoded_csrf_posts_are_refused(shared_companion, content_type):
    form = b"id=abcdefgh-csrf&url=https%3A%2F%2Fevil.example%2F&started_at=2026-01-01"
    headers = {"Content-Type": content_type} if content_type else {}
    # As a web page would send it: no token, its own Origin.
    status, _, body = _send(
        shared_companion,
        "POST",
        "/api/v1/captures",
        headers={**headers, "Origin": "https://evil.example.com"},
        body=form,
        token=False,
    )
    assert_error_shape(status, body, 403, "bad_origin")
    # Even with the token and no Origin, a non-JSON body is refused before any route runs.
    if content_type:
        status, _, body = _send(
            shared_companion, "POST", "/api/v1/captures", headers=headers, body=form
        )
        assert_error_shape(status, body, 415, "unsupported_media_type")


def test_a_declared_body_over_the_limit_is_refused_with_413(shared_companion):
    data = request_bytes(
        "POST",
        "/api/v1/captures",
        shared_companion.port,
        headers={
            "Authorization": f"Bearer {shared_companion.token}",
            "Content-Type": "application/json",
            "Content-Length": str(11 * 1024 * 1024),
        },
    )
    data = data.replace(b"Content-Length: 0\r\n", b"")
    status, _, body = raw_http(shared_companion.port, data)
    assert_error_shape(status, body, 413, "payload_too_large")


def test_a_chunked_body_over_the_limit_is_refused_with_413(shared_companion):
    chunk = b"a" * (1024 * 1024)
    body = b"".join(b"%x\r\n" % len(chunk) + chunk + b"\r\n" for _ in range(11)) + b"0\r\n\r\n"
    head = (
        f"POST /api/v1/captures HTTP/1.1\r\nHost: 127.0.0.1:{shared_companion.port}\r\n"
        f"Authorization: Bearer {shared_companion.token}\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    ).encode()
    status, _, reply = raw_http(shared_companion.port, head + body)
    assert_error_shape(status, reply, 413, "payload_too_large")


@pytest.mark.parametrize("size", [48 * 1024, 120 * 1024])
def test_oversized_headers_are_refused_in_the_one_error_shape(shared_companion, size):
    status, _, body = _send(shared_companion, "GET", "/api/v1/today", headers={"X-Big": "a" * size})
    assert status in (400, 431), body
    assert_error_shape(status, body, status)


def test_a_flood_of_headers_is_refused(shared_companion):
    headers = {f"X-Flood-{i}": "a" * 20 for i in range(8000)}
    status, _, body = _send(shared_companion, "GET", "/api/v1/today", headers=headers)
    assert status in (400, 431), body


def test_headers_beyond_what_the_http_parser_buffers_close_the_connection(shared_companion):
    status, _, body = _send(shared_companion, "GET", "/api/v1/today", headers={"X": "a" * 400_000})
    assert status in (0, 400, 431), body  # refused by the HTTP layer itself, never served


def test_a_head_that_never_ends_is_cut_off_instead_of_buffered(shared_companion):
    """4 MB of headers with no end: the companion answers 431 and closes long before."""
    line = b"X-Pad: " + b"a" * 8000 + b"\r\n"
    sent, reply = 0, b""
    with socket.create_connection(("127.0.0.1", shared_companion.port), timeout=10) as sock:
        try:
            host = f"127.0.0.1:{shared_companion.port}"
            sock.sendall(f"GET /api/v1/today HTTP/1.1\r\nHost: {host}\r\n".encode())
            while sent < 4 * 1024 * 1024:
                sock.sendall(line)
                sent += len(line)
            reply = sock.recv(4096)  # a server that buffers it all never answers: timeout
        except (BrokenPipeError, ConnectionResetError):
            pass  # closed on us mid-send: refused before the head ended
    assert reply == b"" or reply.startswith(b"HTTP/1.1 431"), reply[:200]
    assert sent < 4 * 1024 * 1024 or reply, "the whole head was accepted into memory"
    status, _, _ = raw_http(
        shared_companion.port,
        request_bytes(
            "GET",
            "/api/v1/status",
            shared_companion.port,
            headers={"Authorization": f"Bearer {shared_companion.token}"},
        ),
    )
    assert status == 200  # and the companion serves the next client


def test_the_log_names_no_url_title_or_token(shared_companion):
    """Run last in this module: by now the log holds every refusal above."""
    for host in (None, "evil.example:1"):
        _send(shared_companion, "POST", "/api/v1/captures", body=_capture_body(), host=host)
    _send(shared_companion, "GET", f"/api/v1/captures?q={SECRET_TITLE.split()[0]}")
    _send(shared_companion, "GET", f"/api/v1/today?token={shared_companion.token}", token=False)
    log = shared_companion.log_path.read_text(errors="replace")
    assert "refused" in log  # the refusals are logged…
    for secret in (
        shared_companion.token,
        SECRET_URL,
        "secret-intranet",
        SECRET_TITLE,
        "marker 7f3a",
        "evil.example",
        "abcdefghijklmnopabcdefghijklmnop",
    ):
        assert secret not in log, f"the log contains {secret!r}"  # …without content
