"""How the visit went, as a small push on the learning score's confidence, never its verdict.

Engagement (time on the page, the share of a video watched) is not evidence of *whether* a page
is learning (`nlp.evidence` decides that); `engagement_nudge` turns it into an `Evidence` of at
most `NUDGE_LIMIT` either way, which the tagger stops short of the decision line.
"""

from __future__ import annotations

import math

from .evidence import Evidence
from .textcues import TextCues
from .types import PageInput

__all__ = ["NUDGE_LIMIT", "engagement_nudge", "minutes", "positive_number"]

# The engagement nudge: at most this much either way, and never across the decision line.
NUDGE_LIMIT = 0.4
_SUSTAINED_READ_SECONDS = 120


def positive_number(value: object) -> float:
    """A float from a number-ish value (callers may pass strings or None); 0.0 otherwise."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) and number > 0 else 0.0


def engagement_nudge(page: PageInput, cues: TextCues) -> Evidence | None:
    """How the visit went, as a small push on the score's confidence (never its verdict)."""
    media = page.media
    duration = positive_number(media.duration) if media else 0.0
    watched = positive_number(media.watched_seconds) if media else 0.0
    engaged = positive_number(page.engaged_seconds)
    if duration and watched:
        share = min(1.0, watched / duration)
        noun = "episode" if page.kind == "audio" else "video"
        return Evidence(
            "engagement",
            NUDGE_LIMIT * (2 * share - 1),
            f"watched {share:.0%} of a {minutes(duration)} {noun}",
        )
    if engaged >= _SUSTAINED_READ_SECONDS and cues.words >= 300:
        return Evidence("engagement", NUDGE_LIMIT, f"read for {minutes(engaged)}")
    if 0 < engaged < 10:
        return Evidence("engagement", -NUDGE_LIMIT, f"only {engaged:.0f} s on the page")
    return None


def minutes(seconds: float) -> str:
    """ "42-s" or "3-min": a duration as a reason shows it."""
    return f"{seconds / 60:.0f}-min" if seconds >= 60 else f"{seconds:.0f}-s"
