"""Corrupt and hostile input: never a 500, never a crashed worker; always a clear 4xx or a stored
capture that ends processed or failed with a reason.

Property-based over the capture schema (hypothesis, in-process), then a corpus of nasty pages
generated here goes through the real worker of a real `inflow serve`.
"""

from __future__ import annotations

import json
import random
import uuid

import psutil
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.faults.conftest import assert_error_shape
from tests.support import make_capture

_ALLOWED = {202, 400, 413, 415, 422}

_any_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=50),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
_urls = st.one_of(
    st.sampled_from(
        [
            "https://docs.example.org/a",
            "http://x.y",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "chrome://settings",
            "data:text/html,<b>x</b>",
            "https://",
            "https://[::1]:99999/",
            "https://exa mple.org/",
            "HTTPS://EXAMPLE.ORG/" + "a" * 9000,
            "https://xn--80ak6aa92e.com/ü?q=\u202e",
        ]
    ),
    st.text(max_size=80),
)
_dates = st.one_of(
    st.sampled_from(
        [
            "2026-11-24T10:15:00+01:00",
            "2026-11-24T10:15:00",
            "0001-01-01T00:00:00+14:00",
            "9999-12-31T23:59:59-23:59",
            "2026-02-30T10:00:00Z",
            "yesterday",
            "",
        ]
    ),
    st.integers(),
    st.text(max_size=30),
)
_capture_fields = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(st.uuids().map(str), st.text(max_size=140), st.integers()),
        "url": _urls,
        "title": st.one_of(st.text(max_size=200), st.integers(), st.none()),
        "kind": st.one_of(st.sampled_from(["page", "video", "audio", "PAGE", "image"]), _any_json),
        "started_at": _dates,
        "ended_at": st.one_of(_dates, st.none()),
        "engaged_seconds": st.one_of(st.floats(), st.integers(), st.text(max_size=5)),
        "scroll_depth": st.one_of(st.floats(), st.integers(min_value=-5, max_value=5)),
        "html": st.one_of(st.text(max_size=300), _any_json),
        "text": st.one_of(st.text(max_size=300), st.none()),
        "search_query": st.one_of(st.text(max_size=100), st.none()),
        "media": st.one_of(
            st.none(),
            _any_json,
            st.fixed_dictionaries(
                {},
                optional={
                    "duration": st.floats(),
                    "watched_seconds": st.floats(),
                    "transcript": st.text(max_size=100),
                    "playback_rate": st.floats(),
                    "ended": _any_json,
                },
            ),
        ),
        "extra": _any_json,
    },
)

_PROPERTY = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _post(client, path: str, payload) -> object:
    """POST `payload` as JSON, NaN and Infinity included (Python's json writes them)."""
    body = json.dumps(payload, allow_nan=True)
    return client.post(path, content=body, headers={"Content-Type": "application/json"})


def _check(reply, ok: int = 202) -> None:
    assert reply.status_code in _ALLOWED | {ok}, (reply.status_code, reply.text)
    if reply.status_code not in (200, 202):
        assert_error_shape(reply.status_code, reply.json(), reply.status_code)


@_PROPERTY
@given(fields=_capture_fields)
def test_any_capture_shape_gets_a_clear_answer_never_a_500(app_client, fields):
    client, _ = app_client
    capture = {**make_capture(), **fields}
    reply = _post(client, "/api/v1/captures", capture)
    _check(reply)
    if reply.status_code == 202:
        stored = client.get(f"/api/v1/captures/{reply.json()['id']}")
        assert stored.status_code == 200
        assert stored.json()["status"] == "queued"


@_PROPERTY
@given(items=st.lists(st.one_of(_capture_fields, _any_json), max_size=6))
def test_any_batch_gets_a_clear_answer_per_capture(app_client, items):
    client, _ = app_client
    captures = [{**make_capture(), **i} if isinstance(i, dict) and i else i for i in items]
    reply = _post(client, "/api/v1/captures/batch", {"captures": captures})
    _check(reply, ok=200)
    if reply.status_code == 200:
        results = reply.json()["results"]
        assert len(results) == len(captures)
        for result in results:
            assert result["accepted"] or result["error"]["status"] == 422


@_PROPERTY
@given(body=st.binary(max_size=400))
def test_any_bytes_as_a_body_get_a_clear_4xx(app_client, body):
    client, _ = app_client
    reply = client.post(
        "/api/v1/captures", content=body, headers={"Content-Type": "application/json"}
    )
    _check(reply)


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
        b'{"id": "abcdefgh-1", "url": "https://a.org", "started_at": 1e400}',
        b'{"id": "abcdefgh-2", "url": "https://a.org", "engaged_seconds": ' + b"9" * 5000 + b"}",
        b'{"id": "abcdefgh-3", "url": "https://a.org/\\ud800", "title": "\\udfff"}',
        b'\xef\xbb\xbf{"id": "abcdefgh-4"}',
        b'{"id": "abcdefgh-5", "id": "abcdefgh-6"}',
        '{"title": "caf\xe9"}'.encode("latin-1"),
        b"\x00" * 1000,
    ],
)
def test_malformed_json_bodies_get_a_clear_4xx(app_client, body):
    client, _ = app_client
    reply = client.post(
        "/api/v1/captures", content=body, headers={"Content-Type": "application/json"}
    )
    _check(reply)
    assert reply.status_code != 202


def _nasty_pages() -> dict[str, dict]:
    """Pages meant to break an extractor, each a valid capture under the 10 MB body limit."""
    rng = random.Random(6)
    binary = bytes(rng.randrange(256) for _ in range(200_000)).decode("latin-1")
    shift_jis = "<html><head><meta charset='shift_jis'></head><body><p>"
    shift_jis += "日本語のテキスト".encode().decode("latin-1") * 2000 + "</p></body></html>"
    pages = {
        "empty": {"html": ""},
        "whitespace": {"html": " \n\t " * 1000},
        "ten_mb_of_one_tag": {"html": "<div>" * 1_900_000},
        "deeply_nested": {"html": "<div>" * 50_000 + "deep text" + "</div>" * 50_000},
        "nested_tables": {"html": "<table><tr><td>" * 20_000 + "cell"},
        "binary": {"html": binary},
        "nul_bytes": {"html": "<p>a\x00b</p>" * 1000, "text": "\x00" * 100},
        "wrong_charset": {"html": shift_jis},
        "script_only": {"html": "<script>" + "var a = '<p>not text</p>';" * 40_000 + "</script>"},
        "style_only": {"html": "<style>" + "p{color:red}" * 50_000 + "</style>"},
        "unclosed_comment": {"html": "<!--" + "<p>hidden</p>" * 10_000},
        "cdata_and_pi": {"html": "<![CDATA[" + "x" * 100_000 + "]]><?php echo 1 ?>" * 10},
        "svg_math": {"html": "<svg><math><mi>" * 5000},
        "one_huge_word": {"html": "<p>" + "a" * 2_000_000 + "</p>"},
        "unique_words": {
            "html": "<p>" + " ".join(f"w{rng.getrandbits(40):x}" for _ in range(150_000)) + "</p>"
        },
        "combining_marks": {"html": "<p>" + "e\u0301\u0302\u0303\u0304" * 100_000 + "</p>"},
        "rtl_and_bidi": {"html": "<p dir='rtl'>\u202eשלום\u202c עולם</p>" * 5000},
        "text_only_huge": {"html": None, "text": "word " * 1_800_000},
        "video_huge_transcript": {
            "kind": "video",
            "html": None,
            "media": {"duration": 10.0, "transcript": "say " * 1_500_000},
        },
        "entity_bomb": {"html": "<p>" + "&amp;" * 1_000_000 + "</p>"},
        "base64_image": {"html": "<img src='data:image/png;base64," + "A" * 3_000_000 + "'>"},
    }
    return pages


def _worker_pid(http) -> int:
    pid = http.get("/api/v1/status").json().get("worker_pid")
    assert pid, "the worker is not running"
    return pid


@pytest.mark.model
def test_nasty_pages_end_processed_or_failed_with_a_reason_and_the_worker_survives(
    companion_server,
):
    companion = companion_server(wait_for_model=True)
    ids = {}
    with companion.client() as http:
        worker_pid = _worker_pid(http)
        for name, fields in _nasty_pages().items():
            capture = make_capture(url=f"https://nasty.example.com/{name}", title="", **fields)
            body = json.dumps(capture)
            assert len(body) < 10 * 1024 * 1024, name
            reply = http.post(
                "/api/v1/captures", content=body, headers={"Content-Type": "application/json"}
            )
            assert reply.status_code in (202, 413, 422), (name, reply.text)
            if reply.status_code == 202:
                ids[capture["id"]] = name
            else:
                assert_error_shape(reply.status_code, reply.json(), reply.status_code)
    assert len(ids) >= 18
    done = companion.wait_processed(list(ids), timeout=900)
    for capture in done:
        name = ids[capture["id"]]
        assert capture["status"] in ("processed", "failed"), name
        if capture["status"] == "failed":
            assert capture["error"], f"{name} failed without a reason"
    with companion.client() as http:
        assert _worker_pid(http) == worker_pid, "the worker crashed (it was restarted)"
        assert http.get("/api/v1/status").json()["nlp_model_loaded"]
        # …and it still processes an ordinary page afterwards.
        normal = make_capture(id=str(uuid.uuid4()))
        assert http.post("/api/v1/captures", json=normal).status_code == 202
    (after,) = companion.wait_processed([normal["id"]], timeout=120)
    assert after["status"] == "processed"
    assert psutil.pid_exists(worker_pid)


@pytest.mark.model
def test_ten_mb_of_tiny_paragraphs_does_not_stall_the_worker(companion_server):
    companion = companion_server(wait_for_model=True)
    hostile = make_capture(url="https://nasty.example.com/tiny", html="<p>x</p>" * 1_200_000)
    with companion.client() as http:
        assert http.post("/api/v1/captures", json=hostile).status_code == 202
    (done,) = companion.wait_processed([hostile["id"]], timeout=60)
    assert done["status"] == "processed" or done["error"]
