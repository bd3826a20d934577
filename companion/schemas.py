"""The shapes of the HTTP API, named by role: `...Create`, `...Update`, `...Public`.

Unknown fields in a capture are ignored (the contract lets the extension add fields); the ones
the contract names are validated, and a capture that breaks the contract gets a 422 that says
which field and why.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from nlp.types import Form, FourE, Modality, SourceKind
from nlp.urls import is_web_url

__all__ = [
    "BatchCreate",
    "CaptureCreate",
    "CaptureUpdate",
    "ForgetRequest",
    "MediaIn",
    "PairRequest",
    "TagsUpdate",
]

_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{7,127}$"
_MAX_TEXT = 10 * 1024 * 1024


class MediaIn(BaseModel):
    """What was seen of a video or audio element."""

    model_config = ConfigDict(extra="ignore")

    duration: float | None = Field(None, ge=0, le=10 * 24 * 3600)
    watched_seconds: float | None = Field(None, ge=0, le=10 * 24 * 3600)
    channel: str | None = Field(None, max_length=500)
    transcript: str | None = Field(None, max_length=_MAX_TEXT)
    ended: bool | None = None
    playback_rate: float | None = Field(None, gt=0, le=16)


class _Engagement(BaseModel):
    engaged_seconds: float | None = Field(None, ge=0, le=7 * 24 * 3600)
    scroll_depth: float | None = Field(None, ge=0, le=1)
    ended_at: datetime | None = None
    media: MediaIn | None = None


class CaptureCreate(_Engagement):
    """One capture, as the extension sends it (the capture contract in DESIGN.md)."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(pattern=_ID_PATTERN, description="client-generated UUID, the idempotency key")
    url: str = Field(max_length=8192)
    title: str = Field("", max_length=4000)
    kind: Literal["page", "video", "audio"] = "page"
    started_at: datetime
    engaged_seconds: float = Field(0.0, ge=0, le=7 * 24 * 3600)
    html: str | None = Field(None, max_length=_MAX_TEXT)
    text: str | None = Field(None, max_length=_MAX_TEXT)
    search_query: str | None = Field(None, max_length=2000)

    @field_validator("url")
    @classmethod
    def _web_url_only(cls, url: str) -> str:
        if not is_web_url(url):
            raise ValueError("only http(s) URLs with a host can be captured")
        return url


class CaptureUpdate(_Engagement):
    """Later engagement with a capture: cumulative totals, merged by maximum.

    `kind` may change as the visit goes on: a page whose video the user then watches for most
    of the visit becomes a "video" capture.
    """

    model_config = ConfigDict(extra="ignore")

    kind: Literal["page", "video", "audio"] | None = None


class BatchCreate(BaseModel):
    """Several captures in one request (the outbox flush)."""

    captures: list[dict] = Field(max_length=500)


class ForgetRequest(BaseModel):
    """Forget a site (host name) or everything under a URL prefix; optionally deny it from now."""

    site: str | None = Field(None, min_length=1, max_length=253)
    url_prefix: str | None = Field(None, min_length=8, max_length=8192)
    deny: bool = False


class TagsUpdate(BaseModel):
    """The user's correction of a capture's learning tags (`None` leaves a facet as it is)."""

    model_config = ConfigDict(extra="forbid")

    is_learning: bool | None = None
    form: Form | None = None
    modality: Modality | None = None
    source_kind: SourceKind | None = None
    four_e: FourE | None = None


class PairRequest(BaseModel):
    """The one-time code printed by `inflow pair`."""

    code: str = Field(min_length=8, max_length=200)
