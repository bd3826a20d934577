"""Dependencies the routers share: the journal and the settings of the running app."""

from __future__ import annotations

from fastapi import Request

from companion.journal import Journal
from companion.settings import Settings

__all__ = ["journal_of", "settings_of"]


def journal_of(request: Request) -> Journal:
    """The journal opened by the app's lifespan."""
    return request.app.state.journal


def settings_of(request: Request) -> Settings:
    """The settings the app was built with."""
    return request.app.state.settings
