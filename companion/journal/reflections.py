"""The user's reflections: answers to a week's prompts, kept per ISO week (`reflections` table).

An answer is found again by its prompt's `key` (e.g. `apply:17`) when it has one, else by the
prompt's words; the words stored are the ones the user saw when answering. An empty answer
removes the reflection.
"""

from __future__ import annotations

import sqlite3

from companion.journal.core import Journal, utc_now

__all__ = ["list_reflections", "past_reflections", "save_reflections"]

_MAX_ANSWER = 20_000


def _public(row: sqlite3.Row) -> dict:
    return {
        "key": row["prompt_key"],
        "prompt": row["prompt"],
        "answer": row["answer"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


def list_reflections(journal: Journal, week: str) -> list[dict]:
    """The reflections saved for one ISO week, in the order they were first written."""
    with journal.reader() as conn:
        rows = conn.execute(
            "SELECT * FROM reflections WHERE week = ? ORDER BY created_at, id", (week,)
        ).fetchall()
    return [_public(row) for row in rows]


def past_reflections(journal: Journal, *, before: str, weeks: int = 4) -> list[dict]:
    """The reflections of the `weeks` most recent weeks before `before` that have some.

    Returns `[{"week", "reflections": [...]}]`, most recent week first.
    """
    with journal.reader() as conn:
        rows = conn.execute(
            """SELECT * FROM reflections WHERE week IN (
                   SELECT DISTINCT week FROM reflections WHERE week < ?
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
            "SELECT id FROM reflections WHERE week = ? AND prompt_key = ?", (week, key)
        ).fetchone()
        if row is not None:
            return row[0]
    row = conn.execute(
        "SELECT id FROM reflections WHERE week = ? AND prompt = ?", (week, prompt)
    ).fetchone()
    return row[0] if row else None


def save_reflections(journal: Journal, week: str, answers: list[dict]) -> list[dict]:
    """Save answers `[{"prompt", "answer", "key"?}]` for an ISO week; return the week's list.

    An answer replaces the earlier one to the same prompt (same key, or same words); an empty
    answer deletes it. Answers are stripped and cut to 20,000 characters.
    """
    now = utc_now()
    with journal.transaction() as conn:
        for item in answers:
            prompt = " ".join(item["prompt"].split())
            key = (item.get("key") or "").strip() or None
            answer = (item.get("answer") or "").strip()[:_MAX_ANSWER]
            found = _existing(conn, week, key, prompt)
            if not answer:
                if found is not None:
                    conn.execute("DELETE FROM reflections WHERE id = ?", (found,))
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
                (week, prompt, found),
            )
            conn.execute(
                """UPDATE reflections SET prompt = ?, prompt_key = coalesce(?, prompt_key),
                       answer = ?, updated_at = ? WHERE id = ?""",
                (prompt, key, answer, now, found),
            )
    return list_reflections(journal, week)
