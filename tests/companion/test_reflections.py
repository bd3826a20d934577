"""Reflections: answers to a week's prompts, saved per ISO week."""

from __future__ import annotations

from companion.journal.reflections import list_reflections, past_reflections, save_reflections


def test_saved_answers_are_listed_for_their_week_only(journal):
    save_reflections(journal, "2026-W48", [{"prompt": "What next?", "answer": "eBPF"}])
    assert [(r["prompt"], r["answer"]) for r in list_reflections(journal, "2026-W48")] == [
        ("What next?", "eBPF")
    ]
    assert list_reflections(journal, "2026-W47") == []


def test_an_answer_to_the_same_key_replaces_the_earlier_one_even_if_the_words_changed(journal):
    first = {"prompt": "You spent 30 minutes on WAL. Apply?", "key": "apply:4", "answer": "a"}
    save_reflections(journal, "2026-W48", [first])
    later = {"prompt": "You spent 45 minutes on WAL. Apply?", "key": "apply:4", "answer": "b"}
    saved = save_reflections(journal, "2026-W48", [later])
    assert [(r["key"], r["prompt"], r["answer"]) for r in saved] == [
        ("apply:4", later["prompt"], "b")
    ]


def test_an_empty_answer_deletes_the_reflection(journal):
    save_reflections(journal, "2026-W48", [{"prompt": "What next?", "answer": "eBPF"}])
    assert save_reflections(journal, "2026-W48", [{"prompt": "What next?", "answer": "  "}]) == []


def test_past_reflections_are_grouped_by_week_most_recent_first(journal):
    for week in ("2026-W40", "2026-W45", "2026-W47", "2026-W48"):
        save_reflections(journal, week, [{"prompt": "What next?", "answer": week}])
    past = past_reflections(journal, before="2026-W48", weeks=2)
    assert [p["week"] for p in past] == ["2026-W47", "2026-W45"]
    assert past[0]["reflections"][0]["answer"] == "2026-W47"
