"""The user's hand on the concept vocabulary: rename a concept, merge one into another.

A merge re-points every capture's link from the merged concept to the one it joins (a capture
linked to both keeps one link, with the better score and rank), records `merged_into` and a
"merge" alias of the merged concept's key (`aliases`), which the worker follows, so later
captures of the old concept land on the new one too, even once the old row is gone.
"""

from __future__ import annotations

import sqlite3

from companion.errors import BadRequest, NotFound
from companion.journal.aliases import final_concept, merge_aliases
from companion.journal.core import Journal, utc_now

__all__ = ["get_concept", "merge_concepts", "rename_concept"]

_MAX_LABEL = 200


def _row(conn: sqlite3.Connection, concept_id: int) -> sqlite3.Row:
    row = conn.execute(
        "SELECT id, key, label, merged_into FROM concepts WHERE id = ?", (concept_id,)
    ).fetchone()
    if row is None:
        raise NotFound(f"no concept with id {concept_id}")
    return row


def _public(conn: sqlite3.Connection, row: sqlite3.Row) -> dict:
    captures = conn.execute(
        "SELECT count(*) FROM capture_concepts WHERE concept_id = ?", (row["id"],)
    ).fetchone()[0]
    return {
        "id": row["id"],
        "key": row["key"],
        "label": row["label"],
        "merged_into": row["merged_into"],
        "captures": captures,
    }


def get_concept(journal: Journal, concept_id: int) -> dict:
    """One concept: `{"id", "key", "label", "merged_into", "captures"}`. Raises `NotFound`."""
    with journal.reader() as conn:
        return _public(conn, _row(conn, concept_id))


def rename_concept(journal: Journal, concept_id: int, label: str) -> dict:
    """Give a concept a new label (its key, which the NLP matches, stays); return it.

    Raises `NotFound`, or `BadRequest` for an empty label or a concept merged into another.
    """
    label = " ".join(label.split())[:_MAX_LABEL]
    if not label:
        raise BadRequest("a concept's label cannot be empty")
    with journal.transaction() as conn:
        row = _row(conn, concept_id)
        if row["merged_into"] is not None:
            raise BadRequest(
                f"concept {concept_id} was merged into {row['merged_into']}; rename that one"
            )
        conn.execute("UPDATE concepts SET label = ? WHERE id = ?", (label, concept_id))
        return _public(conn, _row(conn, concept_id))


def merge_concepts(journal: Journal, source_id: int, target_id: int) -> dict:
    """Merge concept `source_id` into `target_id`; return the target with its new count.

    Merging into a concept that was itself merged goes to where that one went. Raises
    `NotFound` for an unknown concept, `BadRequest` for merging a concept into itself (or one
    already merged).
    """
    with journal.transaction() as conn:
        source = _row(conn, source_id)
        if source["merged_into"] is not None:
            raise BadRequest(f"concept {source_id} was already merged into {source['merged_into']}")
        target = final_concept(conn, _row(conn, target_id)["id"])
        if target == source_id:
            raise BadRequest("a concept cannot be merged into itself")
        conn.execute(
            """INSERT INTO capture_concepts (capture_id, concept_id, score, rank)
               SELECT capture_id, ?, score, rank FROM capture_concepts WHERE concept_id = ?
               ON CONFLICT (capture_id, concept_id) DO UPDATE SET
                   score = max(score, excluded.score), rank = min(rank, excluded.rank)""",
            (target, source_id),
        )
        conn.execute("DELETE FROM capture_concepts WHERE concept_id = ?", (source_id,))
        # Concepts merged into the source earlier now point straight at the target.
        conn.execute(
            "UPDATE concepts SET merged_into = ? WHERE id = ? OR merged_into = ?",
            (target, source_id, source_id),
        )
        merge_aliases(conn, source, target, utc_now())
        return _public(conn, _row(conn, target))
