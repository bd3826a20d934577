"""`/api/v1/xapi`: the weekly page's Share step. Nothing is sent unless the user asks.

- `GET /api/v1/xapi/weeks/{iso_week}` — the week's learning captures, each with its statement,
  whether it is private and where it was shared (`share.share_list`);
- `POST /api/v1/xapi/weeks/{iso_week}/send` — send the ticked ones (`{"capture_ids": [...]}`,
  or every one not private without it) to the configured LRS; the report says what was sent,
  already there or failed (with the LRS's reason); 502 when the LRS is down or refuses the
  credentials;
- `PUT` / `DELETE /api/v1/xapi/private/{capture_id}` — mark a capture private (never sent), or
  let it be shared again.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from companion.journal.xapi import clear_private, mark_private
from companion.routers.deps import JournalDep, SettingsDep, json_reply
from companion.xapi.config import load_config
from companion.xapi.share import send_week, share_list

__all__ = ["ShareRequest", "router"]

router = APIRouter(prefix="/api/v1/xapi", tags=["xapi"])


class ShareRequest(BaseModel):
    """The captures the user ticked; none given means every learning capture not private."""

    capture_ids: list[str] | None = Field(None, max_length=5000)


@router.get("/weeks/{iso_week}")
def get_share_list(iso_week: str, journal: JournalDep, settings: SettingsDep):
    """What sharing the week would send, what is private and what was shared already."""
    return json_reply(share_list(journal, iso_week, load_config(settings.data_dir)))


@router.post("/weeks/{iso_week}/send")
def send_share(
    iso_week: str, request: ShareRequest, journal: JournalDep, settings: SettingsDep
) -> dict:
    """Send the ticked captures' statements to the configured LRS; returns the report
    (`sent`, `already_there`, `failed` with reasons, `skipped`: held there already)."""
    config = load_config(settings.data_dir)
    return send_week(journal, iso_week, config, capture_ids=request.capture_ids)


@router.put("/private/{capture_id}")
def put_private(capture_id: str, journal: JournalDep) -> dict:
    """Mark a capture private: it never leaves this machine."""
    mark_private(journal, capture_id)
    return {"capture_id": capture_id, "private": True}


@router.delete("/private/{capture_id}")
def delete_private(capture_id: str, journal: JournalDep) -> dict:
    """Let a capture be shared again (it is still sent only when the user asks)."""
    clear_private(journal, capture_id)
    return {"capture_id": capture_id, "private": False}
