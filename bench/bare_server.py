"""The ingest ceiling: a bare FastAPI endpoint that only inserts the capture as a row in SQLite.

Same stack and settings as `inflow serve` (FastAPI, uvicorn on 127.0.0.1, no access log, one
worker process, SQLite in WAL with `synchronous = NORMAL`), none of Inflow's work (no token or
Origin checks, no schema validation, no inbox, no dedupe). What the companion adds on top of
this is what `bench.ingest` measures.

    python -m bench.bare_server --port 8766 --db /tmp/bare.db
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import threading
from pathlib import Path

__all__ = ["create_bare_app", "main"]


def create_bare_app(db_path: Path):
    """A FastAPI app with `POST /api/v1/captures` (insert one row) and `GET /api/v1/status`."""
    from fastapi import Body, FastAPI

    conn = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("CREATE TABLE IF NOT EXISTS captures (id TEXT PRIMARY KEY, url TEXT, body TEXT)")
    lock = threading.Lock()
    app = FastAPI()

    @app.post("/api/v1/captures", status_code=202)
    def create_capture(capture: dict = Body(...)) -> dict:  # noqa: B008 - FastAPI idiom
        with lock:
            conn.execute(
                "INSERT OR REPLACE INTO captures (id, url, body) VALUES (?, ?, ?)",
                (capture.get("id"), capture.get("url"), json.dumps(capture)),
            )
        return {"id": capture.get("id"), "status": "queued"}

    @app.get("/api/v1/status")
    def status() -> dict:
        return {"ok": True}

    return app


def main(argv: list[str] | None = None) -> int:
    """Serve the bare app on 127.0.0.1 with the companion's uvicorn settings."""
    import uvicorn

    from companion.http_protocol import BoundedHttpToolsProtocol

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--db", type=Path, required=True)
    args = parser.parse_args(argv)
    uvicorn.run(
        create_bare_app(args.db),
        host="127.0.0.1",
        port=args.port,
        access_log=False,
        log_level="warning",
        http=BoundedHttpToolsProtocol,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
