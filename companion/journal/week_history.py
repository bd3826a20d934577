"""The week against time: minutes of the weeks before it, and the streak of days with learning.

Both read only learning captures by day (the partial index `captures_learning_time_by_day`),
over a bounded window of days.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import date, timedelta

from companion.journal.today import LEARNING_SECONDS_SQL

__all__ = ["iso_week_of", "learning_streak", "trend"]

_TREND_WEEKS = 8


def _minutes(seconds: float) -> float:
    return round((seconds or 0) / 60, 1)


def iso_week_of(day: date) -> str:
    """The ISO week (`2026-W48`) a day belongs to."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def trend(conn: sqlite3.Connection, monday: date) -> list[dict]:
    """Minutes learning in the week of `monday` and the 7 weeks before it, oldest first."""
    first = monday - timedelta(weeks=_TREND_WEEKS - 1)
    seconds: defaultdict[str, float] = defaultdict(float)
    for day, total in conn.execute(
        f"""SELECT c.day, sum({LEARNING_SECONDS_SQL}) FROM captures c
            WHERE c.day BETWEEN ? AND ? AND c.is_learning = 1 GROUP BY c.day""",
        (first.isoformat(), (monday + timedelta(days=6)).isoformat()),
    ):
        seconds[iso_week_of(date.fromisoformat(day))] += total or 0
    weeks = [first + timedelta(weeks=n) for n in range(_TREND_WEEKS)]
    return [
        {
            "week": iso_week_of(w),
            "start": w.isoformat(),
            "minutes_learning": _minutes(seconds[iso_week_of(w)]),
        }
        for w in weeks
    ]


def _learning_days(conn: sqlite3.Connection, first: date, last: date) -> set[str]:
    return {
        row[0]
        for row in conn.execute(
            "SELECT DISTINCT day FROM captures WHERE day BETWEEN ? AND ? AND is_learning = 1",
            (first.isoformat(), last.isoformat()),
        )
    }


def learning_streak(conn: sqlite3.Connection, days: list[date], through: date, today: date) -> dict:
    """Consecutive days with learning up to `through` (an empty today does not break it).

    Returns `{"current", "through", "longest_in_week", "days_with_learning"}` for the week
    `days`.
    """
    window = 28
    seen = _learning_days(conn, min(days[0], through - timedelta(days=window - 1)), days[-1])
    in_week = [d.isoformat() in seen for d in days]
    longest = run = 0
    for has in in_week:
        run = run + 1 if has else 0
        longest = max(longest, run)
    day = through
    if day == today and day.isoformat() not in seen:
        day -= timedelta(days=1)
    current, lower = 0, min(days[0], through - timedelta(days=window - 1))
    while day.isoformat() in seen:
        current += 1
        day -= timedelta(days=1)
        if day < lower:  # the streak goes back further than what was read: read more
            lower -= timedelta(days=window)
            seen |= _learning_days(conn, lower, day)
    return {
        "current": current,
        "through": through.isoformat(),
        "longest_in_week": longest,
        "days_with_learning": sum(in_week),
    }
