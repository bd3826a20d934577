"""Dependencies the routers share: the journal and the settings of the running app.

They are `async` on purpose: FastAPI runs a plain `def` dependency in its thread pool, and that
thread hop per dependency per request cost more than everything they do (a dict lookup).
"""

from __future__ import annotations

from fastapi import Request

from companion.journal import Journal
from companion.settings import Settings

__all__ = ["journal_of", "settings_of"]


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
