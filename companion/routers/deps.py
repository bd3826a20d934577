"""Dependencies the routers share: the journal and the settings of the running app.

They are `async` on purpose: FastAPI runs a plain `def` dependency in its thread pool, and that
thread hop per dependency per request cost more than everything they do (a dict lookup).
"""

from __future__ import annotations

import json

from fastapi import Request
from fastapi.responses import Response

from companion.journal import Journal
from companion.settings import Settings

__all__ = ["journal_of", "json_reply", "settings_of"]

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # built once, not per reply


async def journal_of(request: Request) -> Journal:
    """The journal opened by the app's lifespan, or opened now if it could not be then.

    Raises `Unavailable` while the journal still cannot be opened (read-only folder, full disk).
    """
    state = request.app.state
    if state.journal is None:
        with state.journal_lock:
            if state.journal is None:
                state.journal = Journal(state.settings.db_path)
    return state.journal


async def settings_of(request: Request) -> Settings:
    """The settings the app was built with."""
    return request.app.state.settings


def json_reply(data: dict, status_code: int = 200) -> Response:
    """Serialise plain journal data straight to JSON.

    The journal already returns JSON-ready dicts; FastAPI's generic encoder walking a large
    summary (the day, the week, a page of captures) took a third of the request's time.
    """
    body = _ENCODER.encode(data).encode()
    return Response(body, status_code=status_code, media_type="application/json")
