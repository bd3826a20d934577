"""`/api/v1/captures`: accept captures (one or a batch), read, list, search, update, delete."""

from __future__ import annotations

import json
from typing import Annotated, TypeVar

from fastapi import APIRouter, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from starlette.requests import ClientDisconnect

from companion.errors import Unprocessable, describe_validation_errors
from companion.journal import captures as store
from companion.journal import search as finder
from companion.journal.corrections import correct_tags
from companion.journal.forget import delete_capture as erase_capture
from companion.routers.deps import JournalDep, WakeDep, journal_of, json_reply, worker_wake
from companion.schemas import BatchCreate, CaptureCreate, CaptureUpdate, TagsUpdate

router = APIRouter(prefix="/api/v1/captures", tags=["captures"])

_Model = TypeVar("_Model", bound=BaseModel)


def _body_schema(model: type[BaseModel]) -> dict:
    """The OpenAPI `requestBody` of a route that reads and validates its body itself.

    Nested models are referred to in the document's components, where FastAPI lists them
    already (`MediaIn`: `CaptureUpdate`'s body has it).
    """
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    schema.pop("$defs", None)
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


async def _validated(request: Request, model: type[_Model]) -> _Model:
    """The request's body validated as `model`, parsed from the raw bytes in one step.

    Faster than a body parameter (FastAPI's `Request.json()`, then validation of the parsed
    dict, then its dependency machinery); the errors are the same: 400 `malformed_json`,
    422 `invalid_request` naming the field. A body that pydantic's JSON parser refuses but
    Python's accepts (a lone surrogate, as a page cut mid-character has, or NaN) takes the old
    path, so it gets the answer it always got: in a batch, only that capture is refused.
    """
    body = await request.body()
    if not body:
        raise RequestValidationError(
            [{"type": "missing", "loc": ("body",), "msg": "Field required"}]
        )
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False)
    if any(err["type"] == "json_invalid" for err in errors):
        try:
            parsed = json.loads(body)
        except (ValueError, RecursionError):  # UnicodeDecodeError too; nesting 1,000 deep
            raise RequestValidationError(errors) from None
        try:
            return model.model_validate(parsed)
        except ValidationError as exc:
            errors = exc.errors(include_url=False, include_input=False)
    raise RequestValidationError([{**err, "loc": ("body", *err["loc"])} for err in errors])


@router.post("", status_code=202, openapi_extra=_body_schema(CaptureCreate))
async def create_capture(request: Request) -> Response:
    """Accept one capture: stored durably before this answers, processed afterwards.

    Answers 202 `{"id", "status"}` with status "queued" (new), "merged" (already known: its
    engagement was merged) or "denied" (the site is on the deny list: nothing stored).
    """
    try:
        capture = await _validated(request, CaptureCreate)
    except ClientDisconnect:  # the gate refused a body past the limit and answered already
        return Response(status_code=400)
    journal = await journal_of(request)
    # The write runs on the journal's writer thread, in one transaction with the captures that
    # arrive beside it; the loop does not wait on it (it may wait for the worker's SQLite lock).
    (status,) = await store.ingest_together(
        journal, [capture.model_dump()], max_queue=request.app.state.settings.max_queue
    )
    (await worker_wake(request))()
    return json_reply({"id": capture.id, "status": status}, status_code=202)


@router.post("/batch", openapi_extra=_body_schema(BatchCreate))
async def create_captures(request: Request) -> Response:
    """Accept many captures; the reply says for each whether it was accepted, and if not why.

    One invalid capture never sinks the others. The valid ones are stored in one transaction:
    a full journal (503) or queue (429) fails the whole request and stores none of them, so the
    client keeps every capture and retries later.
    """
    try:
        batch = await _validated(request, BatchCreate)
    except ClientDisconnect:
        return Response(status_code=400)
    journal = await journal_of(request)
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
        journal, [capture for _, capture in valid], max_queue=request.app.state.settings.max_queue
    )
    for (reply, _), status in zip(valid, statuses, strict=True):
        reply["status"] = status
    (await worker_wake(request))()
    return json_reply({"results": results})


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
    page = finder.list_captures(
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
def update_capture(
    capture_id: str, update: CaptureUpdate, journal: JournalDep, wake: WakeDep
) -> dict:
    """Add later engagement (cumulative totals, merged by maximum; may queue a new analysis)."""
    updated = store.update_engagement(journal, capture_id, update.model_dump(exclude_none=True))
    wake()
    return updated


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
def retry_capture(capture_id: str, journal: JournalDep, wake: WakeDep) -> dict:
    """Queue a capture (typically a failed one) for processing again."""
    retried = store.retry_capture(journal, capture_id)
    wake()
    return retried
