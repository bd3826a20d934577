"""The user's corrections: their word wins over the tagger, now and for the same site later."""

from __future__ import annotations

from companion.errors import NotFound
from companion.journal.core import Journal, utc_now

__all__ = ["correct_tags"]

_FACETS = ("is_learning", "form", "modality", "source_kind", "four_e")


def correct_tags(journal: Journal, capture_id: str, facets: dict) -> None:
    """Set some learning facets of a capture by hand; the tagger never overwrites them.

    The correction is also remembered for the capture's site, so the tagger learns from it.
    Raises `NotFound` if there is no such capture.
    """
    given = {key: facets[key] for key in _FACETS if facets.get(key) is not None}
    with journal.transaction() as conn:
        row = conn.execute("SELECT site FROM captures WHERE id = ?", (capture_id,)).fetchone()
        if row is None:
            raise NotFound(f"no capture with id {capture_id!r}")
        if not given:
            return
        values = {
            key: int(value) if key == "is_learning" else value for key, value in given.items()
        }
        assignments = ", ".join(f"{key} = :{key}" for key in values)
        conn.execute(
            f"""UPDATE captures SET {assignments}, tags_corrected = 1,
                    learning_score = CASE WHEN :is_learning_given THEN :score
                                          ELSE learning_score END
                WHERE id = :id""",
            {
                **values,
                "is_learning_given": "is_learning" in values,
                "score": 1.0 if values.get("is_learning") else 0.0,
                "id": capture_id,
            },
        )
        conn.execute(
            """INSERT INTO tag_corrections (capture_id, site, is_learning, form, modality,
                   source_kind, four_e, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            (capture_id, row["site"], *(values.get(key) for key in _FACETS), utc_now()),
        )
