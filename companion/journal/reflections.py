"""The user's reflections: answers to a week's prompts, kept per ISO week (`reflections` table).

An answer is found again by its prompt's `key` (e.g. `apply:17`) when it has one, else by the
prompt's words; the words stored are the ones the user saw when answering. An empty answer
removes the reflection.

A draft is what the user typed and has not saved yet (the weekly page autosaves it, so a closed
tab keeps it). It lives in the same row as the saved answer, in its own column (`draft`,
migration m005), so the two never mix:

    answer  the saved answer ('' while only a draft exists): the week's `reflections`, the
            Markdown export, "Earlier reflections"
    draft   NULL = nothing unsaved; else the box's text as typed, even '' (the user emptied a
            saved answer's box): the week's `drafts`, which only the weekly page reads

Saving an answer clears its draft; a row left with neither is deleted.
"""

from __future__ import annotations

import sqlite3

from companion.journal.core import Journal, utc_now

__all__ = [
    "MAX_ANSWER",
    "list_drafts",
    "list_reflections",
    "past_reflections",
    "save_drafts",
    "save_reflections",
    "week_reflections",
]

#: The longest answer (and draft) kept, in characters.
MAX_ANSWER = 20_000


def _public(row: sqlite3.Row) -> dict:
    return {
        "key": row["prompt_key"],
        "prompt": row["prompt"],
        "answer": row["answer"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


def _draft(row: sqlite3.Row) -> dict:
    return {
        "key": row["prompt_key"],
        "prompt": row["prompt"],
        "text": row["draft"],
        "saved": row["answer"] != "",
        "updated_at": row["draft_at"],
    }


def list_reflections(journal: Journal, week: str) -> list[dict]:
    """The answers saved for one ISO week (drafts left out), in the order first written."""
    with journal.reader() as conn:
        rows = conn.execute(
            """SELECT * FROM reflections WHERE week = ? AND answer != ''
               ORDER BY created_at, id""",
            (week,),
        ).fetchall()
    return [_public(row) for row in rows]


def list_drafts(journal: Journal, week: str) -> list[dict]:
    """The unsaved drafts of one ISO week: `[{"key", "prompt", "text", "saved", "updated_at"}]`.

    `saved` says whether the prompt also has a saved answer (which the draft would replace).
    """
    with journal.reader() as conn:
        rows = conn.execute(
            """SELECT * FROM reflections WHERE week = ? AND draft IS NOT NULL
               ORDER BY created_at, id""",
            (week,),
        ).fetchall()
    return [_draft(row) for row in rows]


def week_reflections(journal: Journal, week: str) -> dict:
    """The week's saved answers and its drafts, apart: `{"reflections": [...], "drafts": [...]}`."""
    return {"reflections": list_reflections(journal, week), "drafts": list_drafts(journal, week)}


def past_reflections(journal: Journal, *, before: str, weeks: int = 4) -> list[dict]:
    """The saved reflections of the `weeks` most recent weeks before `before` that have some.

    Returns `[{"week", "reflections": [...]}]`, most recent week first.
    """
    with journal.reader() as conn:
        rows = conn.execute(
            """SELECT * FROM reflections WHERE answer != '' AND week IN (
                   SELECT DISTINCT week FROM reflections WHERE week < ? AND answer != ''
                   ORDER BY week DESC LIMIT ?)
               ORDER BY week DESC, created_at, id""",
            (before, weeks),
        ).fetchall()
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row["week"], []).append(_public(row))
    return [{"week": week, "reflections": items} for week, items in grouped.items()]


def _existing(conn: sqlite3.Connection, week: str, key: str | None, prompt: str):
    if key:
        row = conn.execute(
            "SELECT id, answer FROM reflections WHERE week = ? AND prompt_key = ?", (week, key)
        ).fetchone()
        if row is not None:
            return row
    return conn.execute(
        "SELECT id, answer FROM reflections WHERE week = ? AND prompt = ?", (week, prompt)
    ).fetchone()


def _prompt_and_key(item: dict) -> tuple[str, str | None]:
    return " ".join(item["prompt"].split()), (item.get("key") or "").strip() or None


def save_reflections(journal: Journal, week: str, answers: list[dict]) -> list[dict]:
    """Save answers `[{"prompt", "answer", "key"?}]` for an ISO week; return the week's list.

    An answer replaces the earlier one to the same prompt (same key, or same words) and its
    draft; an empty answer deletes both. Answers are stripped and cut to `MAX_ANSWER` characters.
    """
    now = utc_now()
    with journal.transaction() as conn:
        for item in answers:
            prompt, key = _prompt_and_key(item)
            answer = (item.get("answer") or "").strip()[:MAX_ANSWER]
            found = _existing(conn, week, key, prompt)
            if not answer:
                if found is not None:
                    conn.execute("DELETE FROM reflections WHERE id = ?", (found["id"],))
                continue
            if found is None:
                conn.execute(
                    """INSERT INTO reflections (week, prompt, prompt_key, answer, created_at,
                           updated_at) VALUES (?, ?, ?, ?, ?, ?)""",
                    (week, prompt, key, answer, now, now),
                )
                continue
            # The prompt's words may have changed (same key): another row with the new words
            # would collide with UNIQUE (week, prompt), and it answers the same prompt.
            conn.execute(
                "DELETE FROM reflections WHERE week = ? AND prompt = ? AND id != ?",
                (week, prompt, found["id"]),
            )
            conn.execute(
                """UPDATE reflections SET prompt = ?, prompt_key = coalesce(?, prompt_key),
                       answer = ?, updated_at = ?, draft = NULL, draft_at = NULL
                   WHERE id = ?""",
                (prompt, key, answer, now, found["id"]),
            )
    return list_reflections(journal, week)


def save_drafts(journal: Journal, week: str, drafts: list[dict]) -> list[dict]:
    """Keep unsaved drafts `[{"prompt", "answer", "key"?}]` for an ISO week; return its drafts.

    The text is kept as typed (cut to `MAX_ANSWER` characters) beside any saved answer, which it
    never changes. A draft equal to the saved answer is no draft; an empty draft of a prompt
    with no saved answer removes the row.
    """
    now = utc_now()
    with journal.transaction() as conn:
        for item in drafts:
            prompt, key = _prompt_and_key(item)
            text = (item.get("answer") or "")[:MAX_ANSWER]
            found = _existing(conn, week, key, prompt)
            if found is None:
                if text.strip():
                    conn.execute(
                        """INSERT INTO reflections (week, prompt, prompt_key, answer, draft,
                               draft_at, created_at, updated_at)
                           VALUES (?, ?, ?, '', ?, ?, ?, ?)""",
                        (week, prompt, key, text, now, now, now),
                    )
                continue
            if not found["answer"] and not text.strip():
                conn.execute("DELETE FROM reflections WHERE id = ?", (found["id"],))
                continue
            unsaved = text.strip() != found["answer"]
            conn.execute(
                "UPDATE reflections SET draft = ?, draft_at = ? WHERE id = ?",
                (text if unsaved else None, now if unsaved else None, found["id"]),
            )
    return list_drafts(journal, week)
