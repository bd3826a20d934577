"""The day at a glance (the popup's data): read straight from the journal, no NLP recomputed."""

from __future__ import annotations

import json

from companion.journal.captures import public_capture
from companion.journal.core import Journal
from companion.journal.tag_vocabulary import POPUP_TAGS, vocabulary

__all__ = ["LEARNING_SECONDS_SQL", "PAGE_SQL", "today_summary"]

#: Time a capture counts for: engaged time, or media watched if that is longer (a video can play
#: with no input). The weekly summary uses the same expression, so the two always agree.
LEARNING_SECONDS_SQL = "max(c.engaged_seconds, coalesce(c.media_watched_seconds, 0))"
#: The page a capture is a visit of: its document, or its URL before it was processed. The
#: weekly summary groups visits by the same key.
PAGE_SQL = "coalesce(c.document_id, c.url)"

_MAX_ITEMS = 50
_CONCEPTS_PER_ITEM = 5


def today_summary(journal: Journal, day: str) -> dict:
    """Summarise one local day: minutes learning, learning items, top concepts, questions.

    Returns `{"day", "minutes_learning", "items", "top_concepts", "questions",
    "captures_total", "learning_total", "pending", "vocabulary"}`. `items` holds one entry per
    page learned from (its latest visit, plus `visits` and `seconds` over the day); the totals
    count visits; `vocabulary` names the tags the popup shows on them (`tag_vocabulary`).
    """
    with journal.reader() as conn:
        totals = conn.execute(
            f"""SELECT count(*),
                       coalesce(sum(c.is_learning = 1), 0),
                       coalesce(sum(CASE WHEN c.is_learning = 1
                                         THEN {LEARNING_SECONDS_SQL} END), 0),
                       coalesce(sum(c.status IN ('queued', 'processing')), 0)
                FROM captures c WHERE c.day = ?""",
            (day,),
        ).fetchone()
        # One item per page (its latest visit, with the day's visits and time on it): the
        # same docs page opened four times is one thing learned from, not four. With max(),
        # SQLite takes the bare column `c.id` from the row holding the maximum.
        rows = conn.execute(
            f"""WITH pages AS (
                    SELECT c.id AS latest, max(c.started_at) AS last, count(*) AS visits,
                           sum({LEARNING_SECONDS_SQL}) AS seconds
                    FROM captures c WHERE c.day = ? AND c.is_learning = 1
                    GROUP BY {PAGE_SQL} ORDER BY last DESC LIMIT ?)
                SELECT c.*, p.visits, p.seconds AS page_seconds
                FROM pages p JOIN captures c ON c.id = p.latest
                ORDER BY p.last DESC""",
            (day, _MAX_ITEMS),
        ).fetchall()
        concepts_by_capture: dict[str, list[dict]] = {}
        for capture_id, label, score in conn.execute(
            # Only the items shown: a busy day has hundreds of learning captures.
            """SELECT cc.capture_id, k.label, cc.score FROM capture_concepts cc
               JOIN concepts k ON k.id = cc.concept_id
               WHERE cc.capture_id IN (SELECT value FROM json_each(?)) AND cc.rank < ?
               ORDER BY cc.capture_id, cc.rank""",
            (json.dumps([row["id"] for row in rows]), _CONCEPTS_PER_ITEM),
        ):
            concepts_by_capture.setdefault(capture_id, []).append({"text": label, "score": score})
        top = conn.execute(
            # `n`: pages (not visits) that named it today
            f"""SELECT k.label, count(DISTINCT {PAGE_SQL}) AS n
               FROM capture_concepts cc
               JOIN captures c ON c.id = cc.capture_id
               JOIN concepts k ON k.id = cc.concept_id
               WHERE c.day = ? AND c.is_learning = 1
               GROUP BY k.id ORDER BY n DESC, sum(cc.score) DESC LIMIT 10""",
            (day,),
        ).fetchall()
        questions = conn.execute(
            # A results page carries its own query: it asked the question, it did not answer it.
            """SELECT c.search_query, group_concat(CASE WHEN c.is_learning = 1 THEN c.id END)
               FROM captures c
               WHERE c.day = ? AND c.search_query IS NOT NULL
               GROUP BY c.search_query ORDER BY min(c.started_at)""",
            (day,),
        ).fetchall()
    items = [
        public_capture(row, concepts_by_capture.get(row["id"], []))
        | {"visits": row["visits"], "seconds": round(row["page_seconds"], 1)}
        for row in rows
    ]
    return {
        "day": day,
        "minutes_learning": round(totals[2] / 60, 1),
        "items": items,
        "top_concepts": [{"text": label, "count": n} for label, n in top],
        "questions": [
            # `ids` is NULL when no capture the search led to was learning.
            {"query": query, "answered_by": ids.split(",") if ids else []}
            for query, ids in questions
        ],
        "captures_total": totals[0],
        "learning_total": totals[1],
        "pending": totals[3],
        "vocabulary": vocabulary(POPUP_TAGS),
    }
