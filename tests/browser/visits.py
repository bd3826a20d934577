"""What the visit-clock tests share (Chromium and Firefox): how a visit is timed from outside,
what the journal recorded for it, and the check that it holds its full engaged time.

A visit is timed from outside the browser: `lower` runs from the page having loaded to the
user leaving (surely engaged), `upper` from asking for the page to having left (the most it
could have been engaged). The journal must hold at least 90% of `lower` and never more than
`upper`, with `ended_at` set to when the visit really ended: at least its engaged time after
`started_at`, and not after the user left (a visit ended by a quit ends at its last clock, not
at the next start of the browser).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tests.browser.harness import Companion, wait_for

#: Seconds each visit is read. Long enough that a lost end shows, short enough for CI.
READ_SECONDS = 6.0
#: The least share of the surely-engaged time the journal must hold.
MIN_SHARE = 0.9
#: What quitting the browser may lose at most.
QUIT_LOSS_SECONDS = 5.0
#: The extension's defaults for how often it reports, as a real user has them: a snapshot
#: early, engagement updates every 30 engaged seconds (longer than any visit here).
CLOCK_SETTINGS = {"snapshotSeconds": 2, "updateEverySeconds": 30}
#: How late the worker may learn of an end the test saw done (a closed tab's last events).
END_NOTICE_SECONDS = 1.0


@dataclass
class Visit:
    """One visit as the test timed it (seconds) and how it ended."""

    tag: str
    ended_by: str
    lower: float
    upper: float


def url_of(site: str, tag: str) -> str:
    return f"{site}/reading.html?v={tag}"


def _ended_captures(companion: Companion, tag: str, count: int) -> list[dict] | None:
    """The `count` captures of `tag`, oldest first, once every one has ended."""
    found = [c for c in companion.captures() if c["url"].endswith(f"?v={tag}")]
    if len(found) < count:
        return None
    full = sorted((companion.capture(c["id"]) for c in found), key=lambda c: c["started_at"])
    return full if all(c["ended_at"] for c in full) else None


def recorded_visits(
    companion: Companion, visits: list[Visit], *, timeout: float = 30
) -> list[dict]:
    """What the journal recorded for each visit (waiting up to `timeout` for them to end)."""
    counts: dict[str, int] = {}
    for visit in visits:
        counts[visit.tag] = counts.get(visit.tag, 0) + 1
    deadline = time.monotonic() + timeout
    by_tag: dict[str, list[dict]] = {}
    for tag, count in counts.items():
        try:
            by_tag[tag] = wait_for(
                lambda tag=tag, count=count: _ended_captures(companion, tag, count),
                timeout=max(1.0, deadline - time.monotonic()),
                what=f"{count} ended capture(s) of {tag}",
            )
        except AssertionError:
            by_tag[tag] = sorted(
                (companion.capture(c["id"]) for c in companion.captures_of(f"?v={tag}")),
                key=lambda c: c["started_at"],
            )
    seen: dict[str, int] = {}
    rows = []
    for visit in visits:
        index = seen.get(visit.tag, 0)
        seen[visit.tag] = index + 1
        captures = by_tag.get(visit.tag, [])
        capture = captures[index] if index < len(captures) else None
        rows.append(
            {
                "ended_by": visit.ended_by,
                "lower": round(visit.lower, 2),
                "upper": round(visit.upper, 2),
                "engaged": capture["engaged_seconds"] if capture else None,
                "ended_at": capture["ended_at"] if capture else None,
                "lasted": _lasted(capture) if capture else None,
            }
        )
    return rows


def _lasted(capture: dict) -> float | None:
    """Seconds from the visit's start to its recorded end (None while it has not ended)."""
    if not capture["ended_at"]:
        return None
    started = datetime.fromisoformat(capture["started_at"])
    return round((datetime.fromisoformat(capture["ended_at"]) - started).total_seconds(), 2)


def assert_full_time(rows: list[dict], *, loss: float = 0.0) -> None:
    short = [
        r
        for r in rows
        if r["engaged"] is None
        or r["lasted"] is None
        or not (min(MIN_SHARE * r["lower"], r["lower"] - loss) <= r["engaged"] <= r["upper"])
        or not (r["engaged"] <= r["lasted"] <= r["upper"] + END_NOTICE_SECONDS)
    ]
    assert not short, f"visits without their full engaged time or end: {short} (all: {rows})"


class Timer:
    """Times the visits of one tab: each action that opens a page ends the one before."""

    def __init__(self) -> None:
        self.asked: float | None = None
        self.loaded: float | None = None

    def go(self, action: Callable[[], Any]) -> tuple[float, float]:
        """Run `action` (it opens the next page, or closes this one); return the timing
        (lower, upper) of the visit it ended."""
        before = time.monotonic()
        action()
        after = time.monotonic()
        timing = (before - self.loaded, after - self.asked) if self.loaded else (0.0, 0.0)
        self.asked, self.loaded = before, after
        return timing
