"""The app factory: `create_app(settings)` builds the FastAPI app; nothing happens at import.

The lifespan opens the journal (and, for `inflow serve`, starts the worker process that runs
the NLP). Routers are one module per resource under `/api/v1`; errors are turned into the one
JSON shape here.
"""

from __future__ import annotations

import logging
import threading
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException

from companion import __version__
from companion.credentials import load_or_create_token
from companion.errors import InflowError, Unavailable, describe_validation_errors, error_body
from companion.journal import Journal
from companion.routers import (
    captures,
    concepts,
    forget,
    pages,
    pair,
    search,
    status,
    today,
    weeks,
    xapi,
)
from companion.security import DOCS_ASSETS_URL, PAIRING_ROUTE, RequestGuard
from companion.settings import Settings, get_settings
from companion.supervisor import WorkerSupervisor

__all__ = ["create_app"]

log = logging.getLogger("inflow.app")


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the companion's ASGI app for `settings` (default: `get_settings()`)."""
    settings = settings or get_settings()
    token = load_or_create_token(settings.data_dir)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        try:
            journal = Journal(settings.db_path)
        except Unavailable as err:  # read-only or full disk: answer 503 until it is fixed
            log.error("the journal cannot be opened: %s", err.message)
            journal, app.state.journal_error = None, err
        app.state.journal = journal
        app.state.journal_lock = threading.Lock()
        # The worker starts even if the journal cannot open yet: it retries with backoff.
        supervisor = None
        if settings.run_worker:
            supervisor = WorkerSupervisor(settings, journal=lambda: app.state.journal)
            supervisor.start()
        app.state.supervisor = supervisor
        try:
            yield
        finally:
            if supervisor:
                supervisor.stop()
            if app.state.journal:
                app.state.journal.close()

    # /docs (Swagger UI) and /redoc with their files served from the package, not a CDN.
    app = FastAPIOffline(
        title="Inflow companion",
        version=__version__,
        summary="Receives what you engage with in the browser and keeps your learning journal.",
        lifespan=lifespan,
        static_url=DOCS_ASSETS_URL,
    )
    _declare_bearer_token(app)
    app.state.settings = settings
    app.state.token = token
    for router in (status, captures, today, forget, pair, pages, weeks, concepts, xapi, search):
        app.include_router(router.router)
    _install_error_handlers(app)
    app.add_middleware(RequestGuard, settings=settings, token=token)
    return app


def _declare_bearer_token(app: FastAPI) -> None:
    """Say in the OpenAPI document that `/api` needs the token, so /docs' "Authorize" and
    "Try it out" send it (the RequestGuard enforces it; this only describes it)."""
    build = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = build()
            schema.setdefault("components", {})["securitySchemes"] = {
                "token": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "The install's API token: `inflow token` prints it.",
                }
            }
            schema["security"] = [{"token": []}]
            for operation in schema["paths"].get(PAIRING_ROUTE, {}).values():
                operation["security"] = []  # the pairing exchange is how the token is obtained
        return app.openapi_schema

    app.openapi = openapi


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(InflowError)
    async def inflow_error(request: Request, exc: InflowError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(err.get("type") == "json_invalid" for err in errors):
            body = error_body(400, "malformed_json", "the body is not valid JSON")
            return JSONResponse(body, status_code=400)
        message = describe_validation_errors(errors)
        return JSONResponse(error_body(422, "invalid_request", message), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return JSONResponse(
            error_body(exc.status_code, code, str(exc.detail)), status_code=exc.status_code
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected %s while handling a request", type(exc).__name__)
        return JSONResponse(
            error_body(500, "internal_error", "the companion hit an unexpected error"),
            status_code=500,
        )
