"""Seed journals for the weekly-summary tests, fast, through the journal's own write path.

`seed(journal, day, ...)` stores one capture with `captures.ingest`, claims it with
`processing.claim_pending` and stores an analysis built here with `processing.save_analysis`,
exactly as the API and the worker would.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import datetime

from companion.journal import captures as store
from companion.journal.processing import claim_pending, save_analysis
from companion.journal.reflections import save_drafts, save_reflections
from nlp import Concept, concept_key
from nlp.aliases import page_aliases

__all__ = ["TEXT", "analysis", "seed", "small_journal"]

TEXT = {
    "pods": "Kubernetes networking gives every pod its own IP address. "
    "A Service in Kubernetes networking load-balances traffic across pods. "
    "Unrelated filler sentence about the weather that names nothing at all.",
    "wal": "SQLite in WAL mode lets readers run while a writer commits. "
    "The write-ahead log is checkpointed back into the database file.",
}


def analysis(
    url: str,
    concepts: list[str],
    *,
    text: str = "",
    is_learning: bool = True,
    form: str | None = "deep-dive",
    modality: str = "reading",
    four_e: str | None = "education",
    source_kind: str = "tutorial",
    title: str = "A page",
    site: str | None = None,
    find_aliases: bool = False,
) -> dict:
    """An `nlp.Analysis.to_dict()`-shaped analysis of the page whose canonical URL is `url`
    (its `site`: `url`'s host unless given), with these concepts (best first).

    With `find_aliases`, concepts are keyed by `concept_key` and joined with the aliases
    `title` and `text` give them, as the analyzer does (`nlp.aliases.page_aliases`)."""
    ranked = [
        Concept(label, concept_key(label) if find_aliases else label.lower(), 1 / (rank + 1))
        for rank, label in enumerate(concepts)
    ]
    aliases = ()
    if find_aliases:
        ranked, aliases = page_aliases(ranked, f"{title}\n\n{text}")
    return {
        "title": title,
        "text": text,
        "metadata": {
            "site": site or url.split("/")[2],
            "canonical_url": url,
            "word_count": 100,
        },
        "concepts": [
            {"text": c.text, "key": c.key, "score": round(c.score, 3), "aliases": c.aliases}
            for c in ranked
        ],
        "aliases": [asdict(alias) for alias in aliases],
        "learning": {
            "is_learning": is_learning,
            "learning_score": 0.9 if is_learning else 0.1,
            "reasons": ["seeded"],
            "form": form,
            "modality": modality,
            "source_kind": source_kind,
            "four_e": four_e,
        },
    }


def seed(
    journal,
    day: str,
    concepts: list[str],
    *,
    seconds: float = 120.0,
    hour: int = 10,
    url: str | None = None,
    kind: str = "page",
    watched: float | None = None,
    search_query: str | None = None,
    title: str = "A page",
    **tags,
) -> str:
    """Store one processed capture on `day` (YYYY-MM-DD, +01:00) and return its id."""
    capture_id = str(uuid.uuid4())
    url = url or f"https://docs.example.org/{capture_id[:8]}"
    capture = {
        "id": capture_id,
        "url": url,
        "title": title,
        "kind": kind,
        "started_at": datetime.fromisoformat(f"{day}T{hour:02d}:00:00+01:00"),
        "engaged_seconds": seconds,
        "search_query": search_query,
        "text": "captured text",
        "media": {"duration": 900.0, "watched_seconds": watched} if watched else None,
    }
    store.ingest(journal, capture, max_queue=10_000)
    claimed = claim_pending(journal, 100)
    assert [pending.id for pending in claimed] == [capture_id]
    save_analysis(journal, capture_id, analysis(url, concepts, title=title, **tags))
    return capture_id


def small_journal(journal) -> dict[str, str]:
    """Three captures over two weeks, a search, a reflection and a draft; ids by title."""
    ids = {
        "WAL mode": seed(
            journal,
            "2026-11-24",
            ["SQLite WAL", "Checkpoints"],
            title="WAL mode",
            text="Readers run while a writer commits.",
            search_query="sqlite wal readers",
            seconds=600,
        ),
        "Cat videos": seed(
            journal, "2026-11-25", [], title="Cat videos", is_learning=False, form=None
        ),
        "Borrowing [2]": seed(
            journal, "2026-12-01", ["Rust"], title="Borrowing [2]", text="The borrow checker."
        ),
    }
    save_reflections(journal, "2026-W48", [{"prompt": "What stuck?", "answer": "WAL *readers*"}])
    save_drafts(journal, "2026-W49", [{"prompt": "Unsaved?", "answer": "a draft, never out"}])
    return ids
