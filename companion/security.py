"""The companion's gate: only this machine, only the user's extension and CLI, only sane bodies.

Every HTTP request passes these checks, in order, before any route runs:
1. `Host` is `127.0.0.1:PORT`, `localhost:PORT` or `[::1]:PORT` (stops DNS rebinding);
2. an `Origin`, if present, is the pinned extension, a Firefox extension, or the companion's own
   pages; any web page (`http(s)://…`, `null`) is refused with 403;
3. every path that normalises to `/api…` (case, `//`, `/./`, `%2f` tricks included) needs
   `Authorization: Bearer <token>`, compared in constant time;
4. writes must be `application/json` (a web page cannot send that without a CORS preflight,
   which is never granted) and their bodies stay under the size limit (413).
Refusals use the one error shape and log only the method, the reason and the status.
"""

from __future__ import annotations

import json
import logging
import posixpath
from functools import lru_cache
from urllib.parse import unquote

from companion.credentials import tokens_match
from companion.errors import (
    Forbidden,
    HeadersTooLarge,
    InflowError,
    PayloadTooLarge,
    Unauthorized,
    UnsupportedMediaType,
)
from companion.settings import Settings

__all__ = ["DOCS_ASSETS_URL", "PAIRING_ROUTE", "RequestGuard", "normalised_path"]

log = logging.getLogger("inflow.security")

_MAX_HEADER_BYTES = 16 * 1024  # a browser sends ~1-2 KB; h11 alone lets ~200 KB through
_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Pages the browser opens directly: they hold no data and fetch it from /api with the token.
PAIRING_ROUTE = "/api/v1/pair"  # how the extension gets the token: a one-time code instead
DOCS_ASSETS_URL = "/docs/assets"  # Swagger UI's and ReDoc's files, served from the package
_PUBLIC_PAGES = frozenset(
    {"/", "/pair", "/week", "/search", "/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json"}
)
_PUBLIC_FOLDERS = ("/static/", "/week/", DOCS_ASSETS_URL + "/")


@lru_cache(maxsize=1024)  # the same few paths, every request: decode each once
def normalised_path(raw: str) -> str:
    """The path as a router would see it after every trick: decoded, collapsed, lower-case."""
    path = raw
    for _ in range(3):  # double-encoding (%252f) too
        decoded = unquote(path)
        if decoded == path:
            break
        path = decoded
    path = posixpath.normpath("/" + path.replace("\\", "/"))
    while "//" in path:
        path = path.replace("//", "/")
    return path.lower()


def _needs_token(path: str) -> bool:
    """Everything needs the token except the data-free pages and the pairing exchange."""
    if path.startswith("/api"):
        return path != PAIRING_ROUTE
    return path not in _PUBLIC_PAGES and not path.startswith(_PUBLIC_FOLDERS)


class RequestGuard:
    """Pure ASGI middleware enforcing the security model above."""

    def __init__(self, app, *, settings: Settings, token: str):
        self.app = app
        self.settings = settings
        self.token = token
        self.allowed_hosts = settings.allowed_hosts  # a property: built once here, not per request
        self.allowed_origins = {f"chrome-extension://{i}" for i in settings.extension_ids} | set(
            settings.own_origins
        )

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        try:
            self._check(scope)
        except InflowError as err:
            log.warning("refused %s request: %s (%d)", scope["method"], err.code, err.status)
            return await _send_error(send, err)
        if scope["method"] not in _WRITE_METHODS:
            return await self.app(scope, receive, send)
        # A body that outgrows the limit while streaming (chunked, or a lying Content-Length)
        # is answered 413 here; the app then sees a disconnect and its own reply is dropped.
        # (Raising inside receive() instead reaches FastAPI's body parser, which turns any
        # exception into a 400.)
        limit, seen, refused = self.settings.max_body_bytes, 0, False

        async def limited_receive():
            nonlocal seen, refused
            message = await receive()
            if message["type"] == "http.request" and not refused:
                seen += len(message.get("body", b""))
                if seen > limit:
                    refused = True
                    err = _too_large(limit)
                    log.warning("refused %s request: %s (%d)", scope["method"], err.code, 413)
                    await _send_error(send, err)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message):
            if not refused:
                await send(message)

        return await self.app(scope, limited_receive, guarded_send)

    def _check(self, scope) -> None:
        headers, size = {}, 0
        for name, value in scope["headers"]:
            size += len(name) + len(value) + 4
            headers[name.decode("latin-1").lower()] = value.decode("latin-1")
        if size > _MAX_HEADER_BYTES:
            raise HeadersTooLarge(
                f"the request's headers are larger than {_MAX_HEADER_BYTES // 1024} KB"
            )
        if headers.get("host", "").lower() not in self.allowed_hosts:
            raise Forbidden(
                "this service only answers requests addressed to 127.0.0.1, localhost or [::1] "
                "on its own port",
                code="bad_host",
            )
        origin = headers.get("origin")
        if origin is not None and not self._origin_allowed(origin):
            raise Forbidden(
                "requests from web pages are not allowed; only the Inflow extension and the "
                "command line may call this service",
                code="bad_origin",
            )
        path = normalised_path(scope["path"])
        if _needs_token(path):
            auth = headers.get("authorization", "")
            scheme, _, given = auth.partition(" ")
            if scheme.lower() != "bearer" or not given.strip():
                raise Unauthorized(
                    "missing token: send 'Authorization: Bearer <token>' (see `inflow token`)",
                    code="missing_token",
                )
            if not tokens_match(given.strip(), self.token):
                raise Unauthorized("wrong token: pair the extension again", code="wrong_token")
        if scope["method"] in _WRITE_METHODS:
            length = headers.get("content-length")
            if length is not None and (
                not length.isdigit() or int(length) > self.settings.max_body_bytes
            ):
                raise _too_large(self.settings.max_body_bytes)
            has_body = length not in (None, "0") or "transfer-encoding" in headers
            ctype = headers.get("content-type", "").split(";")[0].strip().lower()
            if has_body and ctype != "application/json":
                raise UnsupportedMediaType(
                    "send the body as JSON with 'Content-Type: application/json'"
                )

    def _origin_allowed(self, origin: str) -> bool:
        origin = origin.strip().lower().rstrip("/")
        return origin in self.allowed_origins or origin.startswith("moz-extension://")


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"the body is larger than {limit // (1024 * 1024)} MB; send a smaller page snapshot"
    )


async def _send_error(send, err: InflowError) -> None:
    body = json.dumps(err.body()).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(k.lower().encode(), v.encode()) for k, v in err.headers.items()]
    await send({"type": "http.response.start", "status": err.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
