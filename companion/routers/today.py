"""`GET /api/v1/today`: the popup's data for one local day."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from companion.journal import Journal
from companion.journal.today import today_summary
from companion.routers.deps import journal_of, json_reply

router = APIRouter(prefix="/api/v1", tags=["today"])


@router.get("/today")
def get_today(
    journal: Annotated[Journal, Depends(journal_of)],
    day: Annotated[date | None, Query(description="YYYY-MM-DD; default: today here")] = None,
) -> Response:
    """Minutes learning, learning items with tags, top concepts and questions of the day."""
    return json_reply(today_summary(journal, (day or date.today()).isoformat()))
