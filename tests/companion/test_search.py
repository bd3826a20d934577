"""Finding what was read (`journal.search`, `GET /api/v1/search`, the /search page's shell)."""

from __future__ import annotations

import sqlite3

import pytest
from sqlite_utils import Database

from companion.errors import BadRequest
from companion.journal import Journal, search_text
from companion.journal import search as finder
from companion.journal.migrations import MIGRATIONS
from tests.companion.week_seed import seed

MARKUP = "Readers of <script>alert('x')</script> and <b>bold</b> tags see them as text."


@pytest.fixture
def pages(journal: Journal) -> dict[str, str]:
    """Four pages over two weeks, two sites, learning and not; capture ids by title."""
    specs = [
        ("2026-11-24", ["SQLite WAL"], "WAL mode", "docs.sqlite.org", True,
         "SQLite in WAL mode lets readers run while a writer commits to the log."),
        ("2026-11-26", ["Rust"], "Borrowing", "doc.rust-lang.org", True,
         "The borrow checker keeps readers and writers of a value apart."),
        ("2026-12-01", ["Rust"], "Rust news", "blog.rust-lang.org", False,
         "Release notes for readers who follow the project."),
        ("2026-12-02", ["HTML"], "Markup <em>page</em>", "html.example.org", True, MARKUP),
    ]  # fmt: skip
    return {
        title: seed(
            journal,
            day,
            concepts,
            title=title,
            url=f"https://{site}/{n}",
            text=text,
            is_learning=learning,
        )
        for n, (day, concepts, title, site, learning, text) in enumerate(specs)
    }


def _titles(page: dict) -> list[str]:
    return [item["title"] for item in page["items"]]


def test_search_marks_the_words_that_matched_and_keeps_page_markup_as_plain_text(journal, pages):
    page = finder.search(journal, "alert")
    (item,) = page["items"]
    assert item["snippet"] == [
        {"text": "Readers of <script>", "hit": False},
        {"text": "alert", "hit": True},
        {"text": "('x')</script> and <b>bold</b> tags see them as text.", "hit": False},
    ]
    assert (item["title"], item["week"]) == ("Markup <em>page</em>", "2026-W49")
    assert item["url"] == "https://html.example.org/3"
    assert (page["query"], page["total"], page["total_capped"]) == ("alert", 1, False)


def test_search_finds_every_page_newest_first_and_the_last_word_as_a_prefix(journal, pages):
    assert _titles(finder.search(journal, "rea")) == []  # a prefix needs 4 letters
    found = finder.search(journal, "reade")
    assert _titles(found) == ["Markup <em>page</em>", "Rust news", "Borrowing", "WAL mode"]
    assert all(any(r["hit"] for r in item["snippet"]) for item in found["items"])


# The plans: the hits lead; a filter leads and its matches are sorted; or walked newest first.
PLANS = {"hits lead": (2_000, 2_000), "filter leads": (0, 2_000), "filter leads, walk": (0, 0)}


@pytest.fixture(params=list(PLANS))
def plan(request, monkeypatch) -> str:
    filters_lead_from, sorted_up_to = PLANS[request.param]
    monkeypatch.setattr(finder, "_FILTERS_LEAD_FROM", filters_lead_from)
    monkeypatch.setattr(finder, "_SORTED_UP_TO", sorted_up_to)
    if not sorted_up_to:
        monkeypatch.setattr(finder, "_WALK_FROM", 0)
    return request.param


def test_search_filters_by_learning_site_week_and_concept(journal, pages, plan):
    assert _titles(finder.search(journal, "readers", learning_only=True)) == [
        "Markup <em>page</em>",
        "Borrowing",
        "WAL mode",
    ]
    assert _titles(finder.search(journal, "readers", site="rust-lang.org")) == [
        "Rust news",
        "Borrowing",
    ]
    assert _titles(finder.search(journal, "readers", week="2026-W48")) == ["Borrowing", "WAL mode"]
    assert _titles(finder.search(journal, "readers", concept="rust")) == ["Rust news", "Borrowing"]
    both = finder.search(journal, "readers", concept="Rust", learning_only=True, week="2026-W48")
    assert _titles(both) == ["Borrowing"]


def test_a_site_filter_keeps_subdomains_as_typed_but_not_a_lookalike_site(journal):
    for n, site in enumerate(
        ["github.com", "docs.github.com", "notgithub.com", "github.community"]
    ):
        seed(journal, f"2026-11-{10 + n}", [], title=site, url=f"https://{site}/r", text="Readers")
    expected = ["docs.github.com", "github.com"]
    assert _titles(finder.search(journal, "readers", site="WWW.GitHub.com")) == expected
    assert _titles(finder.search(journal, None, site="github.com.")) == expected
    listed = finder.list_captures(journal, q="readers", site="github.com")
    assert [item["title"] for item in listed["items"]] == expected
    assert _titles(finder.search(journal, None, site="docs.github.com")) == ["docs.github.com"]


def test_captures_stored_before_m007_are_found_by_their_site_and_subdomains(tmp_path):
    path = tmp_path / "journal.db"
    conn = sqlite3.connect(path, isolation_level=None)
    MIGRATIONS.apply(Database(conn), stop_before="m007_search_at_scale")
    for n, site in enumerate(["rust-lang.org", "blog.rust-lang.org", "trust-lang.org"]):
        at = f"2026-11-1{n}T10:00:00Z"
        conn.execute(
            """INSERT INTO captures (id, url, site, title, kind, started_at, day, received_at,
                   updated_at) VALUES (?, ?, ?, ?, 'page', ?, ?, ?, ?)""",
            (f"c{n}", f"https://{site}/", site, site, at, at[:10], at, at),
        )
    conn.close()
    journal = Journal(path)
    try:
        page = finder.search(journal, None, site="rust-lang.org")
        assert _titles(page) == ["blog.rust-lang.org", "rust-lang.org"]
    finally:
        journal.close()


def test_search_without_words_lists_the_newest_captures_within_the_filters(journal, pages):
    page = finder.search(journal, None, site="rust-lang.org", limit=1)
    assert (_titles(page), page["total"], page["items"][0]["snippet"]) == (["Rust news"], 2, [])


def test_search_pages_through_common_text_newest_first(journal, pages, monkeypatch):
    monkeypatch.setattr(finder, "_MAX_COUNT", 2)  # 4 of 4 pages hold "readers": common text
    page = finder.search(journal, "readers", limit=2, offset=1)
    assert (_titles(page), page["total_capped"]) == (["Rust news", "Borrowing"], True)
    assert [r["text"] for item in page["items"] for r in item["snippet"] if r["hit"]] == [
        "readers",
        "readers",
    ]
    partial = finder.search(journal, "reade", limit=2, offset=1)  # a prefix: its hits lead
    assert (_titles(partial), partial["total_capped"]) == (["Rust news", "Borrowing"], True)


def test_common_text_within_learning_only_is_walked_newest_first_and_counted(
    journal, pages, monkeypatch
):
    monkeypatch.setattr(finder, "_MAX_COUNT", 3)  # 4 of 4 pages hold "readers": common text
    page = finder.search(journal, "readers", learning_only=True, limit=2)
    assert _titles(page) == ["Markup <em>page</em>", "Borrowing"]
    assert (page["total"], page["total_capped"]) == (3, False)


def test_a_selective_filter_pages_through_its_matches(journal, pages, plan):
    page = finder.search(journal, "readers", site="rust-lang.org", limit=1, offset=1)
    assert (_titles(page), page["total"]) == (["Borrowing"], 2)
    assert finder.search(journal, "readers", site="rust-lang.org", offset=5)["items"] == []


def _match(journal, q: str) -> str:
    with journal.reader() as conn:
        return search_text.match_query(conn, q)


@pytest.fixture
def data_pages(journal) -> dict[str, str]:
    """Pages holding "data", longer words it begins, and a word it does not; ids by word."""
    words = ["data", "database", "datasets", "datum", "transaction"]
    return {
        w: seed(journal, "2026-11-24", [], title=f"On {w}", text=f"Notes on {w}.") for w in words
    }


def test_a_whole_last_word_names_its_longer_terms_and_finds_what_its_prefix_found(
    journal, data_pages, monkeypatch
):
    assert _match(journal, "notes data") == '"notes" AND ("data" OR "database" OR "datasets")'
    named = {item["id"] for item in finder.search(journal, "notes data")["items"]}
    assert named == {data_pages[w] for w in ("data", "database", "datasets")}
    monkeypatch.setattr(search_text, "_NAMED_COMPLETIONS_MAX", 1)  # too many longer terms: a prefix
    assert _match(journal, "notes data") == '"notes" AND "data"*'
    assert {item["id"] for item in finder.search(journal, "notes data")["items"]} == named


def test_a_partial_last_word_stays_a_prefix(journal, data_pages):
    assert _match(journal, "notes transact") == '"notes" AND "transact"*'
    (item,) = finder.search(journal, "notes transact")["items"]
    assert item["id"] == data_pages["transaction"]
    assert [r["text"] for r in item["snippet"] if r["hit"]] == ["Notes", "transaction"]
    assert _match(journal, "café") == '"café"*'  # not a plain term: never looked up


def test_search_refuses_a_week_that_is_not_an_iso_week(journal):
    with pytest.raises(BadRequest, match="not an ISO week"):
        finder.search(journal, "x", week="2026-49")


def test_a_snippet_is_cut_around_the_first_hit_at_word_boundaries_with_ellipses(journal):
    text = (
        " ".join(f"w{n}" for n in range(100))
        + " C++ and x.y go\nwith kubernetes\tpods. "
        + ("tail " * 100)
    )
    seed(journal, "2026-11-24", [], title="Long", text=text)
    (item,) = finder.search(journal, "c++ kubern")["items"]
    ranges = item["snippet"]
    assert ranges[0]["text"].startswith("… w") and ranges[-1]["text"].endswith("tail …")
    assert [r["text"] for r in ranges if r["hit"]] == ["C", "kubernetes"]
    assert "x.y go with kubernetes pods." in "".join(r["text"] for r in ranges)
    assert len("".join(r["text"] for r in ranges)) <= search_text._SNIPPET_CHARS + 4
    (plain,) = finder.search(journal, "Long")["items"]  # in the title only: no snippet
    assert plain["snippet"] == []


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 8, 4_096])
def test_the_first_hit_is_found_wherever_the_page_is_cut_to_be_searched(
    journal, monkeypatch, chunk
):
    filler = " ".join(f"w{n}" for n in range(60))
    text = f"Blogs and a catalog; {filler} writers write ahead, the LOG of it. {filler}"
    seed(journal, "2026-11-24", [], title="Log", text=text)
    monkeypatch.setattr(search_text, "_SCAN_CHUNK", chunk)
    for q, first in [("ahead log", "ahead"), ("log", "LOG"), ("writ", "writers")]:
        (item,) = finder.search(journal, q)["items"]
        shown = "".join(r["text"] for r in item["snippet"])
        assert shown.startswith("… w") and "Blogs" not in shown, q
        assert next(r["text"] for r in item["snippet"] if r["hit"]) == first
        assert shown.index(first) >= search_text._SNIPPET_BEFORE - 20  # cut before the first hit


def test_the_search_api_answers_with_snippets_and_needs_the_token(app_client):
    client, settings = app_client
    journal = Journal(settings.db_path)
    try:
        seed(journal, "2026-11-24", ["SQLite WAL"], title="WAL mode", text="Readers never wait.")
    finally:
        journal.close()
    reply = client.get("/api/v1/search", params={"q": "readers", "learning": "true"})
    assert reply.status_code == 200
    (item,) = reply.json()["items"]
    assert (item["title"], item["week"]) == ("WAL mode", "2026-W48")
    assert {"text": "Readers", "hit": True} in item["snippet"]
    assert client.get("/api/v1/search", params={"week": "2026-48"}).status_code == 422
    refused = client.get("/api/v1/search", params={"q": "readers"}, headers={"Authorization": ""})
    assert refused.status_code == 401


def test_the_search_page_is_a_data_free_shell_served_without_the_token(app_client):
    client, _ = app_client
    page = client.get("/search", headers={"Authorization": ""})
    assert page.status_code == 200
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert '<script type="module" src="/static/search.js">' in page.text
    script = client.get("/static/search.js", headers={"Authorization": ""})
    assert script.status_code == 200
    assert "javascript" in script.headers["content-type"]
    assert "innerHTML" not in script.text
