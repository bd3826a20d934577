"""`/api/v1/captures`: accept captures (one or a batch), read, list, search, update, delete."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from pydantic import ValidationError

from companion.errors import Unprocessable, describe_validation_errors
from companion.journal import Journal
from companion.journal import captures as store
from companion.journal.corrections import correct_tags
from companion.journal.forget import delete_capture as erase_capture
from companion.routers.deps import journal_of, json_reply, settings_of
from companion.schemas import BatchCreate, CaptureCreate, CaptureUpdate, TagsUpdate
from companion.settings import Settings

router = APIRouter(prefix="/api/v1/captures", tags=["captures"])

JournalDep = Annotated[Journal, Depends(journal_of)]
SettingsDep = Annotated[Settings, Depends(settings_of)]


@router.post("", status_code=202)
async def create_capture(
    capture: CaptureCreate, journal: JournalDep, settings: SettingsDep
) -> dict:
    """Accept one capture: stored durably before this answers, processed afterwards.

    Answers 202 `{"id", "status"}` with status "queued" (new), "merged" (already known: its
    engagement was merged) or "denied" (the site is on the deny list: nothing stored).
    """
    # The write runs on the journal's writer thread, in one transaction with the captures that
    # arrive beside it; the loop does not wait on it (it may wait for the worker's SQLite lock).
    (status,) = await store.ingest_together(
        journal, [capture.model_dump()], max_queue=settings.max_queue
    )
    return {"id": capture.id, "status": status}


@router.post("/batch")
async def create_captures(batch: BatchCreate, journal: JournalDep, settings: SettingsDep) -> dict:
    """Accept many captures; the reply says for each whether it was accepted, and if not why.

    One invalid capture never sinks the others. The valid ones are stored in one transaction:
    a full journal (503) or queue (429) fails the whole request and stores none of them, so the
    client keeps every capture and retries later.
    """
    results: list[dict] = []
    valid: list[tuple[dict, dict]] = []  # (its reply, the capture)
    for raw in batch.captures:
        capture_id = raw.get("id") if isinstance(raw, dict) else None
        try:
            capture = CaptureCreate.model_validate(raw)
        except ValidationError as exc:
            error = Unprocessable(describe_validation_errors(exc.errors()))
            results.append({"id": capture_id, "accepted": False, "error": error.body()["error"]})
            continue
        results.append({"id": capture.id, "accepted": True})
        valid.append((results[-1], capture.model_dump()))
    statuses = await store.ingest_together(
        journal, [capture for _, capture in valid], max_queue=settings.max_queue
    )
    for (reply, _), status in zip(valid, statuses, strict=True):
        reply["status"] = status
    return {"results": results}


@router.get("")
def list_captures(
    journal: JournalDep,
    q: Annotated[str | None, Query(max_length=500, description="full-text search")] = None,
    day: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
    site: Annotated[str | None, Query(max_length=253)] = None,
    learning: bool | None = None,
    concept: Annotated[str | None, Query(max_length=200)] = None,
    status: Annotated[str | None, Query(pattern="^(queued|processing|processed|failed)$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """List captures newest first; filter by day, site, learning, concept, status; search text."""
    page = store.list_captures(
        journal,
        q=q,
        day=day,
        site=site,
        learning=learning,
        concept=concept,
        status=status,
        limit=limit,
        offset=offset,
    )
    return json_reply(page)


@router.get("/{capture_id}")
def get_capture(capture_id: str, journal: JournalDep) -> dict:
    """One capture with its status, concepts and learning tags."""
    return store.get_capture(journal, capture_id)


@router.patch("/{capture_id}")
def update_capture(capture_id: str, update: CaptureUpdate, journal: JournalDep) -> dict:
    """Add later engagement (cumulative totals, merged by maximum)."""
    return store.update_engagement(journal, capture_id, update.model_dump(exclude_none=True))


@router.delete("/{capture_id}", status_code=204)
def delete_capture(capture_id: str, journal: JournalDep) -> Response:
    """Delete one capture from the journal (and from its file)."""
    erase_capture(journal, capture_id)
    return Response(status_code=204)


@router.put("/{capture_id}/tags")
def put_tags(capture_id: str, tags: TagsUpdate, journal: JournalDep) -> dict:
    """Correct a capture's learning tags; the correction wins and teaches the tagger (per site)."""
    correct_tags(journal, capture_id, tags.model_dump())
    return store.get_capture(journal, capture_id)


@router.post("/{capture_id}/retry")
def retry_capture(capture_id: str, journal: JournalDep) -> dict:
    """Queue a capture (typically a failed one) for processing again."""
    return store.retry_capture(journal, capture_id)
