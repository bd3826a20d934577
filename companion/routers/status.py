"""`GET /api/v1/status`: is the companion healthy, and does it speak this client's version?"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from companion import MIN_CLIENT_VERSION, __version__
from companion.journal import Journal
from companion.journal.captures import queue_depth
from companion.journal.processing import get_state
from companion.routers.deps import journal_of

router = APIRouter(prefix="/api/v1", tags=["status"])


def _version_tuple(version: str) -> tuple[int, ...]:
    parts = []
    for part in version.split(".")[:3]:
        digits = "".join(ch for ch in part if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


@router.get("/status")
def get_status(
    journal: Annotated[Journal, Depends(journal_of)],
    client_version: Annotated[str | None, Query(max_length=40)] = None,
) -> dict:
    """The companion's version, schema version, NLP model state, queue depth, compatibility."""
    worker = get_state(journal, "worker") or {}
    compatible = None
    if client_version:
        compatible = _version_tuple(client_version) >= _version_tuple(MIN_CLIENT_VERSION)
    return {
        "version": __version__,
        "schema_version": journal.schema_version,
        "nlp_model": worker.get("model"),
        "nlp_model_loaded": bool(worker.get("loaded")),
        "nlp_error": worker.get("error"),
        "worker_asleep": bool(worker.get("asleep")),  # idle: it starts again with the next capture
        "worker_pid": worker.get("pid"),
        "worker_heartbeat": worker.get("updated_at"),
        "queue_depth": queue_depth(journal),
        "client_version": client_version,
        "client_compatible": compatible,
        "min_client_version": MIN_CLIENT_VERSION,
    }
