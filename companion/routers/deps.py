"""Dependencies the routers share: the journal, the settings and the worker of the running app.

They are `async` on purpose: FastAPI runs a plain `def` dependency in its thread pool, and that
thread hop per dependency per request cost more than everything they do (a dict lookup).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import Response

from companion.journal import Journal
from companion.settings import Settings

__all__ = [
    "JournalDep",
    "SettingsDep",
    "WakeDep",
    "journal_of",
    "json_reply",
    "settings_of",
    "worker_wake",
]

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


async def worker_wake(request: Request) -> Callable[[], None]:
    """A call that tells the worker captures wait, so an idle one starts again at once.

    Without a worker (`--no-worker`, tests) it does nothing.
    """
    supervisor = getattr(request.app.state, "supervisor", None)
    return supervisor.wake if supervisor is not None else _no_worker


def _no_worker() -> None:
    pass


def json_reply(data: dict, status_code: int = 200) -> Response:
    """Serialise plain journal data straight to JSON.

    The journal already returns JSON-ready dicts; FastAPI's generic encoder walking a large
    summary (the day, the week, a page of captures) took a third of the request's time.
    """
    body = _ENCODER.encode(data).encode()
    return Response(body, status_code=status_code, media_type="application/json")


# What a route declares to get each of them.
JournalDep = Annotated[Journal, Depends(journal_of)]
SettingsDep = Annotated[Settings, Depends(settings_of)]
WakeDep = Annotated[Callable[[], None], Depends(worker_wake)]
