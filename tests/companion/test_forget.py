"""Deleted and forgotten pages are gone from the journal's file and its WAL, not only its tables;
the journal is private to its owner."""

from __future__ import annotations

import stat
import time
from datetime import datetime
from pathlib import Path

import pytest

from companion.errors import BadRequest
from companion.journal import Journal, core
from companion.journal import captures as store
from companion.journal import search as finder
from companion.journal.corrections import correct_tags
from companion.journal.forget import forget
from companion.journal.processing import claim_pending, save_analysis
from tests.companion.week_seed import analysis
from tests.support import make_capture

# Words no other page has; FTS5 stores index terms prefix-compressed, so the search is for the
# words without their first letter (also found inside the stored text and HTML).
PHRASE = "Qwyzzplorx Vantablurm"
TRACES = (b"wyzzplorx", b"antablurm")


def _files(journal: Journal) -> bytes:
    """Every byte of the journal on disk: the file, its WAL and its shared memory."""
    path = journal.path
    return b"".join(
        p.read_bytes() for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()
    )


def _traces(journal: Journal) -> list[bytes]:
    found = _files(journal)
    return [trace for trace in TRACES if trace in found]


def _traces_left(journal: Journal) -> list[bytes]:
    """The traces once the upkeep after a deletion (within about a second) is done."""
    deadline = time.monotonic() + 15
    while (found := _traces(journal)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return found


def _ingest(journal, url, title, html):
    capture = make_capture(url=url, title=title, html=html)
    capture["started_at"] = datetime.fromisoformat(capture["started_at"])
    store.ingest(journal, capture, max_queue=100)
    return capture["id"]


def _page(body: str) -> str:
    return f"<html><body><article><h1>{body}</h1><p>{body} " + "padding " * 900 + "</p></body>"


def _store_and_forget(journal) -> list[bytes]:
    """Store a page of gone.example with the phrase and one of kept.example, forget gone.example."""
    kept = _ingest(journal, "https://kept.example/wal", "WAL notes", _page("Readers and writers"))
    gone = _ingest(journal, "https://gone.example/p", f"{PHRASE} guide", _page(PHRASE))
    for pending in claim_pending(journal, 10):
        title, text = ("WAL notes", "Readers never block writers.")
        if pending.id == gone:
            title, text = f"{PHRASE} guide", f"All about {PHRASE} in depth."
        save_analysis(
            journal,
            pending.id,
            analysis(pending.url, [text.split()[-3]], text=text, title=title),
        )
    with journal.reader() as conn:
        indexed = conn.execute(
            "SELECT count(*) FROM documents_fts_data WHERE instr(block, ?)", (TRACES[0],)
        ).fetchone()[0]
    assert indexed, "the phrase should be in the full-text index before it is forgotten"
    assert _traces(journal) == list(TRACES)

    assert forget(journal, site="gone.example", url_prefix=None, deny=False) == 1
    assert [item["id"] for item in finder.list_captures(journal, q="writers")["items"]] == [kept]
    assert finder.list_captures(journal, q="Qwyzzplorx")["items"] == []


def test_a_forgotten_site_leaves_no_byte_of_its_pages_in_the_file_or_the_wal(journal):
    _store_and_forget(journal)
    assert _traces_left(journal) == []
    assert b"gone.example" not in _files(journal)
    for connection in (journal.transaction(), journal.reader()):
        with connection as conn:
            assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1


def test_without_secure_delete_the_forgotten_bytes_would_stay(tmp_path, monkeypatch):
    # The check above can fail: SQLite's own default (off, unless built otherwise, as Debian's
    # is) leaves the deleted text in free pages.
    connect = core._connect

    def insecure(path):
        conn = connect(path)
        conn.execute("PRAGMA secure_delete = OFF")
        return conn

    monkeypatch.setattr(core, "_connect", insecure)
    journal = Journal(tmp_path / "data" / "journal.db")
    _store_and_forget(journal)
    journal.close()  # after the upkeep still due
    assert _traces(journal) != []


def test_the_weekly_pages_delete_leaves_no_byte_of_the_page_in_the_file(app_client):
    client, settings = app_client
    capture = make_capture(url="https://gone.example/p", title=PHRASE, html=_page(PHRASE))
    assert client.post("/api/v1/captures", json=capture).status_code == 202
    journal = client.app.state.journal
    assert _traces(journal) == list(TRACES)  # in the inbox, waiting to be processed

    assert client.delete(f"/api/v1/captures/{capture['id']}").status_code == 204

    assert _traces_left(journal) == []
    assert journal.path == settings.db_path


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_journal_its_wal_and_its_folder_are_private_to_the_user(tmp_path):
    journal = Journal(tmp_path / "data" / "journal.db")
    try:
        _ingest(journal, "https://kept.example/wal", "WAL notes", _page("Readers"))
        modes = {p.name: _mode(p) for p in journal.path.parent.iterdir()}
        assert modes == {"journal.db": 0o600, "journal.db-wal": 0o600, "journal.db-shm": 0o600}
        assert _mode(journal.path.parent) == 0o700
    finally:
        journal.close()


def test_an_existing_journal_open_to_others_is_made_private_when_opened(tmp_path):
    path = tmp_path / "data" / "journal.db"
    Journal(path).close()
    path.chmod(0o644)
    path.parent.chmod(0o755)
    Journal(path).close()
    assert (_mode(path), _mode(path.parent)) == (0o600, 0o700)


def test_forgetting_a_site_drops_its_tag_corrections_and_keeps_other_sites(journal):
    kept = _ingest(journal, "https://kept.example/wal", "WAL notes", _page("Readers"))
    gone = _ingest(journal, "https://docs.gone.example/p", "Gone", _page("Gone"))
    for capture_id in (kept, gone):
        correct_tags(journal, capture_id, {"is_learning": False})
    forget(journal, site="gone.example", url_prefix=None, deny=False)
    with journal.reader() as conn:
        sites = [row[0] for row in conn.execute("SELECT site FROM tag_corrections")]
    assert sites == ["kept.example"]


def test_forgetting_a_site_that_names_no_host_is_refused_and_deletes_nothing(journal):
    local = _ingest(journal, "file:///tmp/notes.html", "Notes", _page("Notes"))  # site ""
    kept = _ingest(journal, "https://kept.example/wal", "WAL notes", _page("Readers"))
    for blank in ("www.", " ", "."):
        with pytest.raises(BadRequest, match="not a site"):
            forget(journal, site=blank, url_prefix=None, deny=False)
    assert {item["id"] for item in finder.list_captures(journal)["items"]} == {local, kept}
    assert finder.list_captures(journal, site="www.")["total"] == 2  # names no site: no filter


def test_forgetting_a_site_drops_the_tag_corrections_of_that_site_only_whatever_its_characters(
    journal,
):
    # "_" and "%" are wildcards of a LIKE pattern: "my_site.example" is not "myxsite.example"
    kept = _ingest(journal, "https://docs.myxsite.example/a", "Kept", _page("Readers"))
    gone = _ingest(journal, "https://docs.my_site.example/b", "Gone", _page("Gone"))
    other = _ingest(journal, "https://wal.example/c", "Other", _page("Other"))
    for capture_id in (kept, gone, other):
        correct_tags(journal, capture_id, {"is_learning": False})
    forget(journal, site="MY_SITE.example", url_prefix=None, deny=False)
    forget(journal, site="%", url_prefix=None, deny=False)
    with journal.reader() as conn:
        sites = sorted(row[0] for row in conn.execute("SELECT site FROM tag_corrections"))
    assert sites == ["docs.myxsite.example", "wal.example"]
