"""One idea, one concept across captures: versions, acronyms and merges through `concept_aliases`.

Every journal here is a real SQLite file seeded through the worker's path (`ingest` →
`claim_pending` → `save_analysis`) with analyses whose aliases the real finder
(`nlp.aliases.page_aliases`) gave, as the analyzer does.
"""

from __future__ import annotations

from datetime import date

from companion.journal.aliases import named_by, readings
from companion.journal.captures import get_capture, retry_capture
from companion.journal.concepts import merge_concepts, rename_concept
from companion.journal.export import export_records
from companion.journal.forget import delete_capture, forget
from companion.journal.processing import claim_pending, save_analysis
from companion.journal.search import search
from companion.journal.week import week_summary
from tests.companion.week_seed import analysis, seed

WEEK, TODAY = "2026-W48", date(2026, 11, 27)
PY3 = "Python 3 made print a function. Python is the language; Python 3 its present."
PY = "Python is a language for scripts."


def _py(journal, day, label, text, **fields):
    return seed(
        journal, day, [label, *fields.pop("more", [])], text=text, find_aliases=True, **fields
    )


def _concepts_of(journal, capture_id):
    with journal.reader() as conn:
        return [
            tuple(row)
            for row in conn.execute(
                """SELECT k.key, k.label FROM capture_concepts cc
                   JOIN concepts k ON k.id = cc.concept_id WHERE cc.capture_id = ? ORDER BY rank""",
                (capture_id,),
            )
        ]


def _aliases(journal):
    with journal.reader() as conn:
        return sorted(
            tuple(row)
            for row in conn.execute(
                """SELECT a.alias, k.key, a.kind, a.seen FROM concept_aliases a
                   JOIN concepts k ON k.id = a.concept_id"""
            )
        )


def _concept_id(journal, key):
    with journal.reader() as conn:
        return conn.execute("SELECT id FROM concepts WHERE key = ?", (key,)).fetchone()[0]


def test_a_version_lands_on_the_concept_of_its_name_and_the_journal_learns_the_alias(journal):
    first = _py(journal, "2026-11-24", "Python 3", PY3)
    second = _py(journal, "2026-11-24", "Python", PY)
    assert _concepts_of(journal, first) == [("python", "Python")]
    assert _concepts_of(journal, second) == [("python", "Python")]
    assert _aliases(journal) == [("python 3", "python", "version", 1)]


def test_a_learned_version_alias_applies_to_a_page_that_does_not_show_it(journal):
    _py(journal, "2026-11-24", "Python", PY)
    _py(journal, "2026-11-24", "Python 3", PY3)
    # This page never writes "Python" alone: alone, it would give no alias.
    later = _py(journal, "2026-11-25", "Python 3", "Python 3 only, everywhere: Python 3.")
    assert _concepts_of(journal, later) == [("python", "Python")]
    assert _aliases(journal) == [("python 3", "python", "version", 1)]


def _python_week(journal, *, find_aliases: bool) -> dict:
    for day, label, text, other in [
        ("2026-11-23", "Python 3", PY3, "f-strings"),
        ("2026-11-24", "Python 3", PY3, "unicode strings"),
        ("2026-11-25", "Python", PY, "virtual environments"),
        ("2026-11-26", "Python", PY, "packaging"),
    ]:
        seed(journal, day, [label, other], text=text, find_aliases=find_aliases)
    return week_summary(journal, WEEK, today=TODAY)["threads"]


def test_the_week_joins_python_3_and_python_captures_in_one_thread(journal_factory):
    apart = _python_week(journal_factory(), find_aliases=False)
    assert apart["total"] == 2  # the ranker's keys alone: "python 3" and "python"
    joined = _python_week(journal_factory(), find_aliases=True)
    assert joined["total"] == 1
    assert joined["items"][0]["label"] == "Python"
    assert joined["items"][0]["captures"]["total"] == 4


ML_LEARNING = "Machine learning (ML) finds patterns in data."
ML_LIKELIHOOD = "Maximum likelihood (ML) estimates parameters."
ML_BARE = "ML is used here without saying what it is."


def _ml(journal, day, text, label):
    return seed(journal, day, [label, "statistics"], text=text, find_aliases=True)


def test_an_undefined_acronym_joins_the_one_expansion_the_journal_knows(journal):
    defined = _ml(journal, "2026-11-24", ML_LEARNING, "machine learning")
    bare = _ml(journal, "2026-11-25", ML_BARE, "ML")
    assert _concepts_of(journal, defined)[0] == ("machine learning", "machine learning")
    assert _concepts_of(journal, bare)[0] == ("machine learning", "machine learning")
    assert ("ml", "machine learning", "acronym", 1) in _aliases(journal)


def test_ml_pages_with_two_different_definitions_are_not_joined(journal):
    learning = _ml(journal, "2026-11-23", ML_LEARNING, "ML")
    likelihood = _ml(journal, "2026-11-24", ML_LIKELIHOOD, "ML")
    bare = _ml(journal, "2026-11-25", ML_BARE, "ML")
    bare_again = _ml(journal, "2026-11-26", ML_BARE, "ML")
    assert _concepts_of(journal, learning)[0][0] == "machine learning"
    assert _concepts_of(journal, likelihood)[0][0] == "maximum likelihood"
    assert _concepts_of(journal, bare)[0][0] == "ml"  # ambiguous: left alone
    assert _concepts_of(journal, bare_again)[0][0] == "ml"
    threads = week_summary(journal, WEEK, today=TODAY)["threads"]["items"]
    for thread in threads:  # "statistics" may tie them; "ML" never does
        assert thread["label"] not in ("machine learning", "maximum likelihood", "ML")
    assert {a[1] for a in _aliases(journal) if a[0] == "ml"} == {
        "machine learning",
        "maximum likelihood",
    }


def test_a_page_defining_an_acronym_never_relabels_a_concept_the_user_renamed(journal):
    first = _ml(journal, "2026-11-24", "Machine learning is the topic.", "machine learning")
    concept = _concept_id(journal, "machine learning")
    rename_concept(journal, concept, "Learning machines (my word)")
    _ml(journal, "2026-11-25", ML_LEARNING, "ML")
    bare = _ml(journal, "2026-11-26", ML_BARE, "ML")
    assert _concepts_of(journal, first)[0] == ("machine learning", "Learning machines (my word)")
    assert _concepts_of(journal, bare)[0] == ("machine learning", "Learning machines (my word)")


def test_a_merge_is_an_alias_so_the_merged_key_finds_the_kept_concept_without_its_row(journal):
    seed(journal, "2026-11-24", ["k8s"])
    seed(journal, "2026-11-24", ["Kubernetes"])
    source, target = _concept_id(journal, "k8s"), _concept_id(journal, "kubernetes")
    merge_concepts(journal, source, target)
    assert ("k8s", "kubernetes", "merge", 0) in _aliases(journal)
    with journal.transaction() as conn:  # the merged concept's row gone
        conn.execute("UPDATE concepts SET merged_into = NULL WHERE id = ?", (source,))
        conn.execute("DELETE FROM concepts WHERE id = ?", (source,))
    later = seed(journal, "2026-11-25", ["k8s"])
    assert _concepts_of(journal, later) == [("kubernetes", "Kubernetes")]


def test_merging_moves_the_merged_concepts_aliases_to_the_kept_one(journal):
    _ml(journal, "2026-11-24", ML_LEARNING, "machine learning")
    seed(journal, "2026-11-24", ["statistical learning"])
    merge_concepts(
        journal,
        _concept_id(journal, "machine learning"),
        _concept_id(journal, "statistical learning"),
    )
    bare = _ml(journal, "2026-11-25", ML_BARE, "ML")
    assert _concepts_of(journal, bare)[0][0] == "statistical learning"
    assert ("ml", "statistical learning", "acronym", 1) in _aliases(journal)


def test_forgetting_everything_leaves_no_learned_alias(journal):
    _py(journal, "2026-11-24", "Python 3", PY3, url="https://docs.python.org/3/a")
    _ml(journal, "2026-11-24", ML_LEARNING, "ML")
    seed(journal, "2026-11-24", ["k8s"], url="https://k8s.io/a")
    seed(journal, "2026-11-24", ["Kubernetes"], url="https://k8s.io/b")
    merge_concepts(journal, _concept_id(journal, "k8s"), _concept_id(journal, "kubernetes"))
    assert len(_aliases(journal)) == 3
    for site in ("docs.python.org", "docs.example.org", "k8s.io"):
        forget(journal, site=site, url_prefix=None, deny=False)
    # The user's merge stays, as the merged concept's row does; nothing a page taught.
    assert _aliases(journal) == [("k8s", "kubernetes", "merge", 0)]


def test_a_concept_that_keeps_its_row_loses_its_learned_aliases_with_its_last_capture(journal):
    captures = [_py(journal, "2026-11-24", "Python 3", PY3), seed(journal, "2026-11-24", ["py"])]
    merge_concepts(journal, _concept_id(journal, "py"), _concept_id(journal, "python"))
    delete_capture(journal, captures[0])
    assert len(_aliases(journal)) == 2  # "python" still has a capture
    delete_capture(journal, captures[1])
    assert _aliases(journal) == [("py", "python", "merge", 0)]


def test_export_names_the_concept_a_version_landed_on(journal):
    _py(journal, "2026-11-24", "Python 3", PY3)
    captures = [r for r in export_records(journal) if r["type"] == "capture"]
    assert captures[0]["concepts"] == ["Python"]


def test_alias_lookups_by_key_and_by_concept_use_an_index(journal):
    with journal.reader() as conn:
        by_key = conn.execute(
            "EXPLAIN QUERY PLAN SELECT concept_id FROM concept_aliases WHERE alias = ?", ("x",)
        ).fetchall()
        by_concept = conn.execute(
            "EXPLAIN QUERY PLAN DELETE FROM concept_aliases WHERE concept_id = ?", (1,)
        ).fetchall()
    assert "PRIMARY KEY" in str([tuple(r) for r in by_key])
    assert "concept_aliases_by_concept" in str([tuple(r) for r in by_concept])


def test_a_concept_filter_finds_captures_by_an_alias_of_their_concept(journal):
    defined = _ml(journal, "2026-11-24", ML_LEARNING, "ML")
    python = _py(journal, "2026-11-24", "Python", PY)
    _py(journal, "2026-11-25", "Python 3", PY3)
    assert [i["id"] for i in search(journal, None, concept="ML")["items"]] == [defined]
    assert python in [i["id"] for i in search(journal, None, concept="Python 3")["items"]]


def test_a_concept_filter_finds_every_reading_of_an_acronym_the_worker_leaves_alone(journal):
    learning = _ml(journal, "2026-11-23", ML_LEARNING, "ML")
    likelihood = _ml(journal, "2026-11-24", ML_LIKELIHOOD, "ML")
    bare = _ml(journal, "2026-11-25", ML_BARE, "ML")
    with journal.reader() as conn:
        found = readings(conn, "ml")
        assert named_by(conn, "ml") == _concept_id(journal, "ml")  # the one left alone
    assert found[0] == {_concept_id(journal, "ml")}
    assert found[1] == {_concept_id(journal, k) for k in ("machine learning", "maximum likelihood")}
    hits = [i["id"] for i in search(journal, None, concept="ML")["items"]]
    assert sorted(hits) == sorted([learning, likelihood, bare])


def test_a_concept_filter_finds_a_merged_concepts_captures_by_its_old_label(journal):
    captures = [seed(journal, "2026-11-24", ["k8s"]), seed(journal, "2026-11-25", ["Kubernetes"])]
    source, target = _concept_id(journal, "k8s"), _concept_id(journal, "kubernetes")
    rename_concept(journal, source, "Container orchestration")
    merge_concepts(journal, source, target)
    hits = [i["id"] for i in search(journal, None, concept="container orchestration")["items"]]
    assert sorted(hits) == sorted(captures)


def test_analysing_a_capture_again_does_not_count_its_aliases_again(journal):
    capture = _ml(journal, "2026-11-24", ML_LEARNING, "ML")
    _ml(journal, "2026-11-25", ML_LEARNING, "ML")
    assert ("ml", "machine learning", "acronym", 2) in _aliases(journal)
    page = analysis(
        "https://docs.example.org/again", ["ML", "statistics"], text=ML_LEARNING, find_aliases=True
    )
    for _ in range(2):  # retried, or its engagement grew: analysed again
        retry_capture(journal, capture)
        assert [pending.id for pending in claim_pending(journal, 10)] == [capture]
        save_analysis(journal, capture, page)
    assert ("ml", "machine learning", "acronym", 2) in _aliases(journal)


def test_a_capture_shows_the_concepts_its_aliases_and_merges_landed_on(journal):
    version = _py(journal, "2026-11-24", "Python 3", PY3)
    merged = seed(journal, "2026-11-24", ["py"])
    merge_concepts(journal, _concept_id(journal, "py"), _concept_id(journal, "python"))
    assert [c["text"] for c in get_capture(journal, version)["concepts"]] == ["Python"]
    assert [c["text"] for c in get_capture(journal, merged)["concepts"]] == ["Python"]
