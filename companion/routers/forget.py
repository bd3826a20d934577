"""`/api/v1/forget` and `/api/v1/deny-list`: the user takes a site out of the journal."""

from __future__ import annotations

from fastapi import APIRouter

from companion.errors import BadRequest
from companion.journal import forget as store
from companion.routers.deps import JournalDep
from companion.schemas import ForgetRequest
from nlp.urls import is_web_url

router = APIRouter(prefix="/api/v1", tags=["privacy"])


@router.post("/forget")
def forget(request: ForgetRequest, journal: JournalDep) -> dict:
    """Delete everything from a site (or under a URL prefix); with `deny`, never store it again."""
    if bool(request.site) == bool(request.url_prefix):
        raise BadRequest("give exactly one of 'site' or 'url_prefix'")
    if request.url_prefix and not is_web_url(request.url_prefix):
        raise BadRequest("'url_prefix' must be an http(s) URL")
    deleted = store.forget(
        journal, site=request.site, url_prefix=request.url_prefix, deny=request.deny
    )
    return {"deleted": deleted, "denied": request.deny}


@router.get("/deny-list")
def get_deny_list(journal: JournalDep) -> dict:
    """The sites and URL prefixes the companion refuses to store."""
    return {"patterns": store.deny_list(journal)}
