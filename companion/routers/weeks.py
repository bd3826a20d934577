"""`/api/v1/weeks/{iso_week}`: the weekly self-reflection as JSON or Markdown, and its answers.

Also serves the weekly page itself (`/week`, `/week/{iso_week}`): a shell of HTML that holds no
data; its script reads the token from the URL fragment and fetches this API with it. Its modules
are served from `/static/week/` (one folder, no sub-paths, no listing).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse, PlainTextResponse
from pydantic import BaseModel, Field

from companion.errors import NotFound
from companion.journal import Journal
from companion.journal.reflections import (
    MAX_ANSWER,
    save_drafts,
    save_reflections,
    week_reflections,
)
from companion.journal.week import iso_week_of, parse_iso_week, week_summary
from companion.routers.deps import JournalDep, json_reply
from companion.routers.pages import STATIC, html_page
from companion.week_markdown import week_markdown

__all__ = ["ReflectionIn", "ReflectionsUpdate", "router"]

_MODULES = STATIC / "week"

api = APIRouter(prefix="/api/v1/weeks", tags=["weeks"])
pages = APIRouter(tags=["pages"], include_in_schema=False)


class ReflectionIn(BaseModel):
    """One answer to one of the week's prompts (an empty answer deletes it)."""

    prompt: str = Field(min_length=1, max_length=1000)
    key: str | None = Field(None, max_length=200)
    answer: str = Field("", max_length=MAX_ANSWER)


class ReflectionsUpdate(BaseModel):
    """The answers to save for a week; with `draft`, unsaved drafts to keep beside them."""

    answers: list[ReflectionIn] = Field(max_length=50)
    draft: bool = Field(False, description="keep these as drafts: saved answers stay as they are")


def _markdown(journal: Journal, iso_week: str, show_all: bool) -> PlainTextResponse:
    text = week_markdown(week_summary(journal, iso_week, show_all=show_all))
    return PlainTextResponse(text, media_type="text/markdown; charset=utf-8")


@api.get("/{iso_week}.md", response_class=PlainTextResponse)
def get_week_markdown(
    iso_week: str,
    journal: JournalDep,
    show_all: Annotated[bool, Query(alias="all", description="every item of every list")] = False,
) -> PlainTextResponse:
    """The week as a Markdown document (threads, takeaways, questions, reflections)."""
    return _markdown(journal, iso_week, show_all)


@api.get("/{iso_week}")
def get_week(
    iso_week: str,
    journal: JournalDep,
    limit: Annotated[int, Query(ge=1, le=200, description="items per list")] = 10,
    show_all: Annotated[bool, Query(alias="all", description="every item of every list")] = False,
    format: Literal["json", "markdown"] = "json",
):
    """The week's summary: minutes per day and facet, threads, questions, trend, prompts.

    `iso_week` is like `2026-W48`, or `current`. With `format=markdown`, the Markdown export.
    """
    if format == "markdown":
        return _markdown(journal, iso_week, show_all)
    return json_reply(week_summary(journal, iso_week, limit=limit, show_all=show_all))


@api.put("/{iso_week}/reflections")
def put_reflections(iso_week: str, update: ReflectionsUpdate, journal: JournalDep) -> dict:
    """Save the user's answers to the week's prompts (or, with `draft`, keep them as drafts).

    Returns the week's saved reflections and its drafts.
    """
    week = iso_week_of(parse_iso_week(iso_week))
    save = save_drafts if update.draft else save_reflections
    save(journal, week, [a.model_dump() for a in update.answers])
    return {"week": week, **week_reflections(journal, week)}


@pages.get("/week")
def week_page() -> FileResponse:
    """The weekly page (this week); it loads its data from the API with the user's token."""
    return html_page("week.html")


@pages.get("/week/{iso_week}")
def week_page_of(iso_week: str) -> FileResponse:
    """The weekly page for another week (`/week/2026-W48`)."""
    parse_iso_week(iso_week)
    return html_page("week.html")


@pages.get("/static/week/{name}")
def week_module(name: str) -> FileResponse:
    """One of the weekly page's script modules (`companion/static/week/`)."""
    path = _MODULES / name
    if "/" in name or not name.endswith(".js") or name.startswith(".") or not path.is_file():
        raise NotFound("no such file")
    return FileResponse(
        path, media_type="text/javascript; charset=utf-8", headers={"Cache-Control": "no-cache"}
    )


router = APIRouter()
router.include_router(api)
router.include_router(pages)
