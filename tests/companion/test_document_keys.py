"""One page, one document: how the journal keys documents, and the repair of older journals.

The repair (migration m004) is tested on `tests/data/old_journal/journal.json`: real captures
stored by the code before it (see `make.py` there), with every bad case the old keying made.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from companion.journal import Journal
from companion.journal import captures as store
from companion.journal import search as finder
from companion.journal.document_keys import repair_document_keys
from companion.journal.migrations import MIGRATIONS
from companion.journal.processing import claim_pending, save_analysis
from nlp import PageInput
from nlp.extract import extract_page
from tests.support import make_capture

OLD_JOURNAL = Path(__file__).parents[1] / "data" / "old_journal" / "journal.json"
OLD_TABLES = ("documents", "captures", "inbox", "concepts", "capture_concepts")


def _ingest(journal, url, **fields):
    capture = make_capture(url=url, **fields)
    capture["started_at"] = datetime.fromisoformat(capture["started_at"])
    store.ingest(journal, capture, max_queue=1000)
    return capture["id"]


def _analysis(canonical, text, title="A page"):
    """What the worker stores for a page that claims `canonical` (as `nlp` reported it before)."""
    return {
        "title": title,
        "text": text,
        "metadata": {"site": "ignored.example", "canonical_url": canonical, "word_count": 5},
        "concepts": [],
        "learning": {
            "is_learning": True,
            "learning_score": 0.8,
            "reasons": ["docs"],
            "form": "reference",
            "modality": "reading",
            "source_kind": "documentation",
            "four_e": "environment",
        },
    }


def _process(journal, claims: dict[str, tuple[str, str]]):
    """Process the queued captures one at a time, in order: `{capture_id: (canonical, text)}`."""
    while batch := claim_pending(journal, 1):
        canonical, text = claims[batch[0].id]
        save_analysis(journal, batch[0].id, _analysis(canonical, text))


def _documents(journal) -> dict[str, tuple[str, str]]:
    """`{capture_id: (document key, document text)}`."""
    with journal.reader() as conn:
        rows = conn.execute(
            """SELECT c.id, d.canonical_url, d.text FROM captures c
               LEFT JOIN documents d ON d.id = c.document_id"""
        ).fetchall()
    return {capture_id: (key, text) for capture_id, key, text in rows}


def _found(journal, words: str) -> set[str]:
    return {item["id"] for item in finder.list_captures(journal, q=words)["items"]}


def test_two_sites_whose_pages_say_slash_keep_a_document_each(journal):
    beta = _ingest(journal, "https://beta.example/")
    gamma = _ingest(journal, "https://gamma.example/welcome")
    _process(journal, {beta: ("/", "Beta sourdough starter."), gamma: ("/", "Gamma glass.")})
    assert _documents(journal) == {
        beta: ("https://beta.example/", "Beta sourdough starter."),
        gamma: ("https://gamma.example/", "Gamma glass."),
    }


def test_a_page_naming_another_sites_canonical_cannot_overwrite_its_record(journal):
    alpha = _ingest(journal, "https://alpha.example/guide")
    spam = _ingest(journal, "https://spam.example/offer")
    _process(
        journal,
        {
            alpha: ("https://alpha.example/guide", "Anemones live in tide pools."),
            spam: ("https://alpha.example/guide", "Buy cheap watches."),
        },
    )
    assert _documents(journal) == {
        alpha: ("https://alpha.example/guide", "Anemones live in tide pools."),
        spam: ("https://spam.example/offer", "Buy cheap watches."),
    }
    assert _found(journal, "watches") == {spam}


def test_a_canonical_on_another_host_of_the_same_site_is_accepted(journal):
    docs = _ingest(journal, "https://docs.python.org/3/tutorial/")
    _process(journal, {docs: ("https://www.python.org/3/tutorial/", "Python tutorial.")})
    assert _documents(journal)[docs][0] == "https://www.python.org/3/tutorial/"


def test_tracking_variants_of_a_page_are_one_document_and_real_parameters_are_kept(journal):
    urls = [
        "https://delta.example/post?utm_source=news",
        "https://delta.example/post?utm_medium=social&utm_source=x&fbclid=1",
        "https://delta.example/post#comments",
        "https://delta.example/changes?since=2024&size=3&site=de&si=share",
    ]
    ids = [_ingest(journal, url) for url in urls]
    # Pages without a canonical link: `nlp` reported the address itself.
    _process(
        journal, {capture_id: (url, "Rust.") for capture_id, url in zip(ids, urls, strict=True)}
    )
    keys = {capture_id: key for capture_id, (key, _) in _documents(journal).items()}
    assert [keys[capture_id] for capture_id in ids] == [
        "https://delta.example/post",
        "https://delta.example/post",
        "https://delta.example/post",
        "https://delta.example/changes?since=2024&site=de&size=3",
    ]


def test_nlp_reports_the_resolved_canonical_of_a_page():
    html = (
        '<html><head><link rel="canonical" href="../guide?utm_source=feed"></head>'
        "<body><article><p>Anemones live in tide pools.</p></article></body></html>"
    )
    page = PageInput(url="https://alpha.example/docs/intro", html=html)
    assert extract_page(page).metadata.canonical_url == "https://alpha.example/guide"


def _old_journal(path: Path) -> dict:
    """A journal with the schema and rows the code before m004 left (the committed fixture)."""
    rows = json.loads(OLD_JOURNAL.read_text())
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    MIGRATIONS.apply(Database(conn), stop_before="m004_document_keys")
    for table in OLD_TABLES:
        for row in rows[table]:
            marks = ", ".join("?" * len(row))
            conn.execute(
                f"INSERT INTO {table} ({', '.join(row)}) VALUES ({marks})", list(row.values())
            )
    conn.close()
    return rows


def test_repair_gives_every_old_capture_its_own_document_and_loses_none(tmp_path):
    old = _old_journal(tmp_path / "data" / "journal.db")
    # The old keying, as stored: spam over alpha, "/" shared, utm variants apart.
    old_keys = {row["id"]: row["document_id"] for row in old["captures"]}
    assert old_keys["alpha-1"] == old_keys["spam-1"] and old_keys["beta-1"] == old_keys["gamma-1"]
    assert len({old_keys["delta-0"], old_keys["delta-1"], old_keys["delta-2"]}) == 3

    journal = Journal(tmp_path / "data" / "journal.db")
    try:
        documents = _documents(journal)
        assert set(documents) == set(old_keys)
        assert {capture_id: key for capture_id, (key, _) in documents.items()} == {
            "alpha-1": "https://alpha.example/guide",
            "spam-1": "https://spam.example/offer",
            "beta-1": "https://beta.example/",
            "gamma-1": "https://gamma.example/",
            "delta-0": "https://delta.example/post",
            "delta-1": "https://delta.example/post",
            "delta-2": "https://delta.example/post",
            "delta-3": "https://delta.example/changes?since=2024",
            "delta-4": "https://delta.example/changes",
        }
        # The text stays with the page that wrote it; alpha's was overwritten before the repair.
        assert "cheap spam watches" in documents["spam-1"][1]
        assert "Gamma glassblowers" in documents["gamma-1"][1]
        # One page's documents merged: the newest text, the draft's older one superseded.
        assert "Delta explains rust lifetimes" in documents["delta-0"][1]
        assert documents["alpha-1"][1] == documents["beta-1"][1] == ""
        assert _found(journal, "watches") == {"spam-1"}
        assert _found(journal, "glassblowers") == {"gamma-1"}
        assert _found(journal, "tide pools") == {"alpha-1"}  # by its own title
        with journal.reader() as conn:
            links = conn.execute("SELECT count(*) FROM capture_concepts").fetchone()[0]
            statuses = dict(conn.execute("SELECT id, status FROM captures"))
            documents_left = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        assert links == len(old["capture_concepts"])
        assert statuses == {row["id"]: row["status"] for row in old["captures"]}
        assert documents_left == 7

        # Beta still holds its own snapshot: processing it rebuilds its text, under its key.
        (pending,) = claim_pending(journal, 10)
        extracted = extract_page(PageInput(url=pending.url, html=pending.html))
        analysis = _analysis(extracted.metadata.canonical_url, extracted.text, extracted.title)
        save_analysis(journal, pending.id, analysis)
        key, text = _documents(journal)["beta-1"]
        assert key == "https://beta.example/" and "loaves rise overnight" in text
        assert "Gamma" not in text and "Gamma glassblowers" in _documents(journal)["gamma-1"][1]
    finally:
        journal.close()


def test_repair_changes_nothing_in_a_journal_keyed_today(journal):
    ids = [_ingest(journal, url) for url in ("https://beta.example/", "https://gamma.example/x")]
    _process(journal, {capture_id: ("/", "Text.") for capture_id in ids})
    before = _documents(journal)
    with journal.transaction() as conn:
        assert repair_document_keys(conn, "2026-12-05T00:00:00+00:00") == 0
    assert _documents(journal) == before
