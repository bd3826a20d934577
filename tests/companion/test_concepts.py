"""Merging and renaming concepts: links re-pointed, the worker follows merges, the week updates."""

from __future__ import annotations

from datetime import date

import pytest

from companion.errors import BadRequest, NotFound
from companion.journal.concepts import get_concept, merge_concepts, rename_concept
from companion.journal.processing import claim_pending, save_analysis
from companion.journal.week import week_summary
from tests.companion.week_seed import analysis, seed


def _concept_id(journal, key):
    with journal.reader() as conn:
        return conn.execute("SELECT id FROM concepts WHERE key = ?", (key,)).fetchone()[0]


def _links(journal, capture_id):
    with journal.reader() as conn:
        return conn.execute(
            "SELECT concept_id, score, rank FROM capture_concepts WHERE capture_id = ? "
            "ORDER BY concept_id",
            (capture_id,),
        ).fetchall()


def test_merge_repoints_links_and_keeps_one_link_per_capture_with_the_best_rank(journal):
    both = seed(journal, "2026-11-24", ["k8s", "Kubernetes"])  # k8s rank 0, Kubernetes rank 1
    only_source = seed(journal, "2026-11-24", ["k8s"])
    source, target = _concept_id(journal, "k8s"), _concept_id(journal, "kubernetes")
    merged = merge_concepts(journal, source, target)
    assert merged["captures"] == 2
    assert [tuple(r) for r in _links(journal, both)] == [(target, 1.0, 0)]
    assert [r[0] for r in _links(journal, only_source)] == [target]
    assert get_concept(journal, source)["merged_into"] == target


def test_later_captures_of_a_merged_concept_land_on_the_one_it_joined(journal):
    seed(journal, "2026-11-24", ["k8s"])
    seed(journal, "2026-11-24", ["Kubernetes"])
    source, target = _concept_id(journal, "k8s"), _concept_id(journal, "kubernetes")
    merge_concepts(journal, source, target)
    later = seed(journal, "2026-11-25", ["k8s"])
    assert [r[0] for r in _links(journal, later)] == [target]


def test_merging_makes_two_captures_one_thread_in_the_week(journal):
    seed(journal, "2026-11-24", ["k8s"])
    seed(journal, "2026-11-25", ["Kubernetes"])
    summary = week_summary(journal, "2026-W48", today=date(2026, 11, 27))
    assert summary["threads"]["total"] == 0
    merge_concepts(journal, _concept_id(journal, "k8s"), _concept_id(journal, "kubernetes"))
    threads = week_summary(journal, "2026-W48", today=date(2026, 11, 27))["threads"]
    assert threads["total"] == 1
    assert threads["items"][0]["label"] == "Kubernetes"


def test_merging_into_a_merged_concept_goes_where_that_one_went(journal):
    seed(journal, "2026-11-24", ["a", "b", "c"])
    a, b, c = (_concept_id(journal, key) for key in "abc")
    merge_concepts(journal, b, c)
    assert merge_concepts(journal, a, b)["id"] == c
    assert get_concept(journal, a)["merged_into"] == c


def test_a_concept_cannot_be_merged_into_itself_or_twice(journal):
    seed(journal, "2026-11-24", ["a", "b"])
    a, b = _concept_id(journal, "a"), _concept_id(journal, "b")
    with pytest.raises(BadRequest):
        merge_concepts(journal, a, a)
    merge_concepts(journal, a, b)
    with pytest.raises(BadRequest):
        merge_concepts(journal, b, a)  # a now goes to b: that would merge b into itself
    with pytest.raises(BadRequest):
        merge_concepts(journal, a, b)


def test_rename_changes_the_label_shown_in_the_week_but_not_the_key(journal):
    seed(journal, "2026-11-24", ["k8s"])
    seed(journal, "2026-11-25", ["k8s"])
    concept = rename_concept(journal, _concept_id(journal, "k8s"), "  Kubernetes   (k8s) ")
    assert (concept["label"], concept["key"]) == ("Kubernetes (k8s)", "k8s")
    week = week_summary(journal, "2026-W48", today=date(2026, 11, 27))
    assert week["threads"]["items"][0]["label"] == "Kubernetes (k8s)"


def test_unknown_concepts_are_not_found(journal):
    with pytest.raises(NotFound):
        rename_concept(journal, 999, "x")
    with pytest.raises(NotFound):
        merge_concepts(journal, 999, 1)


def test_reanalysis_after_a_merge_keeps_a_single_link(journal):
    capture_id = seed(journal, "2026-11-24", ["k8s", "Kubernetes"])
    merge_concepts(journal, _concept_id(journal, "k8s"), _concept_id(journal, "kubernetes"))
    with journal.transaction() as conn:
        conn.execute("UPDATE captures SET status = 'queued' WHERE id = ?", (capture_id,))
    claim_pending(journal, 10)
    save_analysis(journal, capture_id, analysis("https://x.org/a", ["k8s", "Kubernetes"]))
    assert len(_links(journal, capture_id)) == 1
