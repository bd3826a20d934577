"""`/api/v1/search`: full-text search over what was read, with filters and snippets.

Also serves the search page itself (`/search`): a shell of HTML that holds no data; its script
(`/static/search.js`) takes the token as the weekly page does (the URL fragment, then the tab's
session) and calls this API with it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse, Response

from companion.journal import search as finder
from companion.routers.deps import JournalDep, json_reply
from companion.routers.pages import html_page

__all__ = ["router"]


api = APIRouter(prefix="/api/v1/search", tags=["search"])
pages = APIRouter(tags=["pages"], include_in_schema=False)


@api.get("")
def search(
    journal: JournalDep,
    q: Annotated[str, Query(max_length=finder.MAX_QUERY, description="words to find")] = "",
    learning: Annotated[bool, Query(description="learning captures only")] = False,
    site: Annotated[
        str | None, Query(max_length=253, description="a site and its subdomains")
    ] = None,
    week: Annotated[str | None, Query(pattern=r"^\d{4}-W\d{2}$", description="2026-W49")] = None,
    concept: Annotated[str | None, Query(max_length=200, description="a concept's label")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """Captures newest first whose title or text holds every word of `q`, within the filters.

    Each item carries its page (`url`, `title`, `site`), its `day` and ISO `week`, and a
    `snippet`: the matched text as ranges `[{"text", "hit"}]`, never markup.
    """
    page = finder.search(
        journal,
        q.strip() or None,
        learning_only=learning,
        site=site or None,
        week=week,
        concept=concept or None,
        limit=limit,
        offset=offset,
    )
    return json_reply(page)


@pages.get("/search")
def search_page() -> FileResponse:
    """The search page; it loads its results from the API with the user's token."""
    return html_page("search.html")


router = APIRouter()
router.include_router(api)
router.include_router(pages)
