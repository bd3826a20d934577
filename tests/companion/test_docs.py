"""/docs and /redoc work offline: their assets come from the companion, and the token scheme is
declared so "Authorize" and "Try it out" send it."""

from __future__ import annotations

import re

import pytest


@pytest.mark.parametrize(
    ("page", "asset"), [("/docs", "swagger-ui-bundle.js"), ("/redoc", "redoc.standalone.js")]
)
def test_the_api_docs_load_their_assets_from_the_companion_without_a_token(app_client, page, asset):
    client, _ = app_client
    html = client.get(page, headers={"Authorization": ""})
    assert html.status_code == 200
    sources = re.findall(r"""(?:src|href)=["']([^"']+)""", html.text)
    assert sources and all(s.startswith("/") for s in sources), sources  # no CDN, no other host
    assert f"/docs/assets/{asset}" in sources
    for source in sources:
        served = client.get(source, headers={"Authorization": ""})
        assert served.status_code == 200, source
        assert len(served.content) > 1000


def test_the_openapi_document_declares_the_bearer_token_except_for_pairing(app_client):
    client, _ = app_client
    schema = client.get("/openapi.json", headers={"Authorization": ""}).json()
    assert schema["components"]["securitySchemes"]["token"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "The install's API token: `inflow token` prints it.",
    }
    assert schema["security"] == [{"token": []}]
    assert schema["paths"]["/api/v1/pair"]["post"]["security"] == []
    assert "security" not in schema["paths"]["/api/v1/status"]["get"]  # the global one applies


def test_the_openapi_document_describes_the_capture_bodies_with_resolvable_references(app_client):
    client, _ = app_client
    schema = client.get("/openapi.json", headers={"Authorization": ""}).json()
    components = schema["components"]["schemas"]

    def resolved(part: dict) -> dict:
        ref = part.get("$ref", "")
        return components[ref.removeprefix("#/components/schemas/")] if ref else part

    bodies = {}
    for path, field in (("/api/v1/captures", "url"), ("/api/v1/captures/batch", "captures")):
        body = schema["paths"][path]["post"]["requestBody"]["content"]["application/json"]
        bodies[path] = resolved(body["schema"])
        assert field in bodies[path]["properties"], path
    media = bodies["/api/v1/captures"]["properties"]["media"]
    assert any(
        "watched_seconds" in resolved(option).get("properties", {}) for option in media["anyOf"]
    )


def test_the_docs_assets_folder_serves_only_its_files(app_client):
    client, _ = app_client
    for path in ("/docs/assets/../../api/v1/status", "/docs/assets/%2e%2e/token"):
        assert client.get(path, headers={"Authorization": ""}).status_code in (401, 404)
