"""Other names of a concept, across captures: which concept a key names (table `concept_aliases`).

A key names, in this order:
1. the concept with that key (`concepts.key`);
2. else the concept its aliases name: what the user merged ("merge") before what pages taught
   ("version": "python 3" is "python"; "acronym": a page defined "ML" as machine learning).
   Among aliases of the strongest kind, the key must name exactly one concept: two pages that
   defined "ML" two ways (machine learning, maximum likelihood) leave "ML" alone;
3. and then the concept that one was merged into, if the user merged it.

`readings` lists all of these, strongest first; it has two readers. The worker, which links a
page's concept to one concept, takes the strongest reading when it names one (`named_by`). A
filter (search's `concept`) takes every reading: "ML" finds the pages of machine learning and of
maximum likelihood, and those of "ML" left alone.

Aliases are keys only (never a URL nor a page's text). They change no label: the user's
renames stay. A concept's learned aliases go with its last capture (`forget_learned_aliases`):
forgetting everything leaves none; a merge's alias stays with the merge, as the merged
concept's row does.
"""

from __future__ import annotations

import sqlite3

__all__ = [
    "final_concept",
    "forget_learned_aliases",
    "learn_alias",
    "merge_aliases",
    "named_by",
    "readings",
]

# Which kind of alias wins when a key has several: the user's word, then what pages showed.
_STRENGTH = {"merge": 0, "version": 1, "acronym": 2}


def final_concept(conn: sqlite3.Connection, concept_id: int) -> int:
    """The concept `concept_id` ends in after following the user's merges (itself if none)."""
    seen = {concept_id}
    while True:
        query = "SELECT merged_into FROM concepts WHERE id = ?"
        row = conn.execute(query, (concept_id,)).fetchone()
        if row is None or row[0] is None or row[0] in seen:
            return concept_id
        concept_id = row[0]
        seen.add(concept_id)


def readings(conn: sqlite3.Connection, key: str) -> list[set[int]]:
    """The concepts `key` may name (see the module docstring), strongest reading first: the
    concept with that key, then what its aliases of each kind name; each after merges."""
    found: list[set[int]] = []
    row = conn.execute("SELECT id FROM concepts WHERE key = ?", (key,)).fetchone()
    if row is not None:
        found.append({final_concept(conn, row[0])})
    by_kind: dict[str, set[int]] = {}
    for kind, concept_id in conn.execute(
        "SELECT kind, concept_id FROM concept_aliases WHERE alias = ?", (key,)
    ):
        by_kind.setdefault(kind, set()).add(final_concept(conn, concept_id))
    return found + [by_kind[kind] for kind in sorted(by_kind, key=_STRENGTH.__getitem__)]


def named_by(conn: sqlite3.Connection, key: str) -> int | None:
    """The id of the one concept `key` names (its strongest reading), or None if none or many."""
    found = readings(conn, key)
    if not found or len(found[0]) != 1:
        return None
    return next(iter(found[0]))


def learn_alias(
    conn: sqlite3.Connection,
    alias: str,
    concept_id: int,
    kind: str,
    now: str,
    *,
    again: bool = False,
) -> None:
    """Record that `alias` (a key) names `concept_id`, as a capture's analysis showed or the
    user merged ("merge"). A concept's own key is no alias of it.

    `seen` counts the captures that showed the alias: a capture analysed `again` (its
    engagement grew, a new snapshot) counts it only if it is new; a merge counts none."""
    own = conn.execute("SELECT id FROM concepts WHERE key = ?", (alias,)).fetchone()
    if own is not None and final_concept(conn, own[0]) == concept_id and kind != "merge":
        return
    shown = 0 if kind == "merge" else 1
    conn.execute(
        """INSERT INTO concept_aliases (alias, concept_id, kind, seen, created_at)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (alias, concept_id) DO UPDATE SET seen = seen + ?,
               kind = CASE WHEN excluded.kind = 'merge' THEN 'merge' ELSE kind END""",
        (alias, concept_id, kind, shown, now, 0 if again else shown),
    )


def merge_aliases(conn: sqlite3.Connection, source: sqlite3.Row, target: int, now: str) -> None:
    """The user merged concept `source` (its row) into `target`: its key and its aliases now
    name `target`, even once `source`'s row is gone."""
    conn.execute(
        """INSERT INTO concept_aliases (alias, concept_id, kind, seen, created_at)
           SELECT alias, ?, kind, seen, created_at FROM concept_aliases WHERE concept_id = ?
           ON CONFLICT (alias, concept_id) DO UPDATE SET seen = seen + excluded.seen""",
        (target, source["id"]),
    )
    conn.execute("DELETE FROM concept_aliases WHERE concept_id = ?", (source["id"],))
    learn_alias(conn, source["key"], target, "merge", now)


def forget_learned_aliases(conn: sqlite3.Connection, concept_ids: list[int]) -> None:
    """Drop what pages taught about these concepts once no capture links them any more."""
    conn.executemany(
        """DELETE FROM concept_aliases WHERE concept_id = ? AND kind != 'merge'
           AND NOT EXISTS (SELECT 1 FROM capture_concepts WHERE concept_id = ?)""",
        [(concept_id, concept_id) for concept_id in concept_ids],
    )
