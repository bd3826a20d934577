"""The security gate: Host, Origin, token, content type, body size (companion/security.py)."""

from __future__ import annotations

import pytest

from companion.security import normalised_path
from tests.support import make_capture

EXTENSION_ORIGIN = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"


def _error(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "status"}
    assert body["error"]["status"] == response.status_code
    return body["error"]


@pytest.mark.parametrize(
    "host", ["evil.example:8765", "127.0.0.1:9999", "localhost", "attacker.127.0.0.1.nip.io:8765"]
)
def test_request_with_foreign_host_is_refused_as_dns_rebinding(app_client, host):
    client, _ = app_client
    response = client.get("/api/v1/status", headers={"Host": host})
    assert response.status_code == 403
    assert _error(response)["code"] == "bad_host"


@pytest.mark.parametrize("host", ["127.0.0.1:8765", "localhost:8765", "[::1]:8765"])
def test_request_to_each_loopback_name_is_accepted(app_client, host):
    client, _ = app_client
    assert client.get("/api/v1/status", headers={"Host": host}).status_code == 200


def test_api_without_token_is_refused_with_401(app_client):
    client, _ = app_client
    response = client.get("/api/v1/today", headers={"Authorization": ""})
    assert response.status_code == 401
    assert _error(response)["code"] == "missing_token"


def test_api_with_wrong_token_is_refused_with_401(app_client):
    client, _ = app_client
    response = client.get("/api/v1/captures", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert _error(response)["code"] == "wrong_token"


def test_token_in_the_query_string_is_not_accepted(app_client):
    client, _ = app_client
    token = client.headers["Authorization"].split()[1]
    response = client.get(f"/api/v1/captures?token={token}", headers={"Authorization": ""})
    assert response.status_code == 401


@pytest.mark.parametrize(
    "path",
    [
        "//api/v1/captures",
        "/API/v1/captures",
        "/api//v1/captures",
        "/static/../api/v1/captures",
        "/%61pi/v1/captures",
        "/week/..%2fapi/v1/captures",
        "/Api/V1/Today",
    ],
)
def test_path_tricks_cannot_skip_the_token(app_client, path):
    client, _ = app_client
    response = client.get(path, headers={"Authorization": ""})
    assert response.status_code == 401


def test_normalised_path_collapses_case_slashes_dots_and_encoding():
    assert normalised_path("//API/./v1/%2e%2e/v1/x") == "/api/v1/x"
    assert normalised_path("/week/..%252fapi") == "/api"


@pytest.mark.parametrize("origin", ["https://evil.example", "http://127.0.0.1:9000", "null"])
def test_web_page_origins_are_refused_with_403(app_client, origin):
    client, _ = app_client
    response = client.post("/api/v1/captures", json=make_capture(), headers={"Origin": origin})
    assert response.status_code == 403
    assert _error(response)["code"] == "bad_origin"


def test_pinned_extension_origin_is_accepted(app_client):
    client, _ = app_client
    response = client.post(
        "/api/v1/captures", json=make_capture(), headers={"Origin": EXTENSION_ORIGIN}
    )
    assert response.status_code == 202


def test_another_chrome_extension_is_refused(app_client):
    client, _ = app_client
    response = client.get(
        "/api/v1/status", headers={"Origin": "chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba"}
    )
    assert response.status_code == 403


def test_form_encoded_post_is_refused_with_415(app_client):
    client, _ = app_client
    response = client.post(
        "/api/v1/captures",
        content=b"id=1&url=https://x.org",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 415
    assert _error(response)["code"] == "unsupported_media_type"


def test_body_over_the_limit_is_refused_with_413(app_client):
    client, settings = app_client
    html = "<p>" + "x" * (settings.max_body_bytes + 10) + "</p>"
    response = client.post("/api/v1/captures", json=make_capture(html=html))
    assert response.status_code == 413
    assert "MB" in _error(response)["message"]


def test_pages_are_served_without_token_but_hold_no_data(app_client):
    client, _ = app_client
    token = client.headers["Authorization"].split()[1]
    response = client.get("/pair", headers={"Authorization": ""})
    assert response.status_code == 200
    assert "Pairing" in response.text
    assert token not in response.text
    assert response.headers["referrer-policy"] == "no-referrer"


def test_openapi_docs_are_served_on_loopback(app_client):
    client, _ = app_client
    assert client.get("/docs", headers={"Authorization": ""}).status_code == 200
    assert "/api/v1/captures" in client.get("/openapi.json").json()["paths"]


@pytest.mark.parametrize("path", ["/weekly", "/pairing", "/docsx", "/favicon.ico", "/anything"])
def test_only_the_named_pages_are_public(app_client, path):
    client, _ = app_client
    assert client.get(path, headers={"Authorization": ""}).status_code == 401
