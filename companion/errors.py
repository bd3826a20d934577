"""The companion's errors: one hierarchy, one JSON shape, a real status code for each.

    InflowError (500 internal)
    ├── BadRequest (400 bad_request)
    ├── Unauthorized (401 unauthorized)
    ├── Forbidden (403 forbidden)
    ├── NotFound (404 not_found)
    ├── PayloadTooLarge (413 payload_too_large)
    ├── UnsupportedMediaType (415 unsupported_media_type)
    ├── HeadersTooLarge (431 headers_too_large)
    ├── Unprocessable (422 invalid_capture)
    ├── TooManyRequests (429 queue_full)
    ├── BadGateway (502 bad_gateway: an LRS the user sends to failed)
    └── Unavailable (503 journal_unavailable)

Every error reaches the client as `{"error": {"code", "message", "status"}}`.
"""

from __future__ import annotations

__all__ = [
    "BadGateway",
    "BadRequest",
    "Forbidden",
    "HeadersTooLarge",
    "InflowError",
    "NotFound",
    "PayloadTooLarge",
    "TooManyRequests",
    "Unauthorized",
    "Unavailable",
    "Unprocessable",
    "UnsupportedMediaType",
    "describe_validation_errors",
    "error_body",
]


class InflowError(Exception):
    """Base of every error the companion reports to a client."""

    status = 500
    code = "internal_error"

    def __init__(self, message: str, *, code: str | None = None, headers: dict | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.headers = headers or {}

    def body(self) -> dict:
        """The JSON body for this error."""
        return error_body(self.status, self.code, self.message)


class BadRequest(InflowError):
    status, code = 400, "bad_request"


class Unauthorized(InflowError):
    status, code = 401, "unauthorized"


class Forbidden(InflowError):
    status, code = 403, "forbidden"


class NotFound(InflowError):
    status, code = 404, "not_found"


class PayloadTooLarge(InflowError):
    status, code = 413, "payload_too_large"


class UnsupportedMediaType(InflowError):
    status, code = 415, "unsupported_media_type"


class HeadersTooLarge(InflowError):
    status, code = 431, "headers_too_large"


class Unprocessable(InflowError):
    status, code = 422, "invalid_capture"


class TooManyRequests(InflowError):
    status, code = 429, "queue_full"


class BadGateway(InflowError):
    status, code = 502, "bad_gateway"


class Unavailable(InflowError):
    status, code = 503, "journal_unavailable"


def error_body(status: int, code: str, message: str) -> dict:
    """Build the one error shape: `{"error": {"code", "message", "status"}}`."""
    return {"error": {"code": code, "message": message, "status": status}}


def describe_validation_errors(errors) -> str:
    """Say which fields are wrong and why, in one line a person can act on (no input echoed)."""
    parts = []
    for err in list(errors)[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
        if err.get("type") == "json_invalid":
            parts.append("the body is not valid JSON")
        else:
            parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "the request is invalid"
