"""Reflections: answers to a week's prompts, saved per ISO week."""

from __future__ import annotations

from companion.journal.reflections import (
    list_drafts,
    list_reflections,
    past_reflections,
    save_drafts,
    save_reflections,
)


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


NEXT = {"prompt": "What next?", "key": "next"}


def test_a_draft_is_kept_apart_from_the_saved_answers(journal):
    drafts = save_drafts(journal, "2026-W48", [{**NEXT, "answer": "eBPF, maybe  "}])
    assert [(d["key"], d["text"], d["saved"]) for d in drafts] == [("next", "eBPF, maybe  ", False)]
    assert list_reflections(journal, "2026-W48") == []
    assert past_reflections(journal, before="2026-W49") == []


def test_a_draft_beside_a_saved_answer_leaves_the_answer_until_saved(journal):
    save_reflections(journal, "2026-W48", [{**NEXT, "answer": "eBPF"}])
    save_drafts(journal, "2026-W48", [{**NEXT, "answer": "eBPF and XDP"}])
    assert [r["answer"] for r in list_reflections(journal, "2026-W48")] == ["eBPF"]
    assert [(d["text"], d["saved"]) for d in list_drafts(journal, "2026-W48")] == [
        ("eBPF and XDP", True)
    ]
    save_reflections(journal, "2026-W48", [{**NEXT, "answer": "eBPF and XDP"}])
    assert [r["answer"] for r in list_reflections(journal, "2026-W48")] == ["eBPF and XDP"]
    assert list_drafts(journal, "2026-W48") == []


def test_a_draft_equal_to_the_answer_or_emptied_with_no_answer_is_no_draft(journal):
    save_reflections(journal, "2026-W48", [{**NEXT, "answer": "eBPF"}])
    assert save_drafts(journal, "2026-W48", [{**NEXT, "answer": "eBPF\n"}]) == []
    other = {"prompt": "What got in the way?", "key": "obstacles"}
    save_drafts(journal, "2026-W48", [{**other, "answer": "meetings"}])
    assert save_drafts(journal, "2026-W48", [{**other, "answer": " \n"}]) == []
    with journal.reader() as conn:
        assert conn.execute("SELECT count(*) FROM reflections").fetchone()[0] == 1


def test_emptying_a_saved_answers_box_is_a_draft_until_saved(journal):
    save_reflections(journal, "2026-W48", [{**NEXT, "answer": "eBPF"}])
    assert [d["text"] for d in save_drafts(journal, "2026-W48", [{**NEXT, "answer": ""}])] == [""]
    assert [r["answer"] for r in list_reflections(journal, "2026-W48")] == ["eBPF"]
