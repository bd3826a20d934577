"""The week's summary, read from a journal seeded through its own write path."""

from __future__ import annotations

from datetime import date

import pytest

from companion.errors import BadRequest
from companion.journal.corrections import correct_tags
from companion.journal.reflections import save_reflections
from companion.journal.today import LEARNING_SECONDS_SQL, today_summary
from companion.journal.week import parse_iso_week, week_summary
from companion.week_markdown import week_markdown
from tests.companion.week_seed import TEXT, seed

WEEK = "2026-W48"  # Monday 2026-11-23 … Sunday 2026-11-29
FRIDAY = date(2026, 11, 27)


@pytest.fixture
def week_journal(journal):
    """A week with two threads, a question, a video, a lone page and a news visit."""
    ids = {
        "earlier": seed(journal, "2026-11-10", ["Kubernetes networking", "pods"], seconds=300),
        "k8s_page": seed(
            journal,
            "2026-11-24",
            ["Kubernetes networking", "pods", "service"],
            seconds=600,
            text=TEXT["pods"],
            search_query="k8s service ip",
            title="Services and pods",
        ),
        "k8s_video": seed(
            journal,
            "2026-11-25",
            ["Kubernetes networking", "service"],
            seconds=60,
            kind="video",
            watched=1500,
            text=TEXT["pods"],
            modality="watching",
            title="Kubernetes networking explained",
        ),
        "wal_lookup": seed(
            journal,
            "2026-11-26",
            ["SQLite", "WAL"],
            seconds=90,
            text=TEXT["wal"],
            form="just-in-time",
            four_e="exposure",
            source_kind="q&a",
            search_query="sqlite wal readers",
        ),
        "wal_docs": seed(journal, "2026-11-27", ["SQLite", "WAL"], seconds=240, text=TEXT["wal"]),
        "lone": seed(journal, "2026-11-27", ["Rust lifetimes"], seconds=180, hour=15),
        "news": seed(
            journal,
            "2026-11-27",
            ["election"],
            seconds=400,
            is_learning=False,
            form=None,
            four_e=None,
            source_kind="news",
            search_query="weather tomorrow",
        ),
    }
    return journal, ids


def _summary(journal, **kwargs):
    return week_summary(journal, WEEK, today=FRIDAY, **kwargs)


def test_minutes_per_day_agree_with_today_for_every_day(week_journal):
    journal, _ = week_journal
    summary = _summary(journal)
    for day in summary["days"]:
        today = today_summary(journal, day["day"])
        assert day["minutes_learning"] == today["minutes_learning"]
        assert day["learning_items"] == today["learning_total"]
        assert day["captures"] == today["captures_total"]


def test_today_and_the_week_agree_on_a_day_with_an_unanswered_search(week_journal):
    journal, _ = week_journal
    friday = _summary(journal)["days"][4]
    assert today_summary(journal, "2026-11-27")["minutes_learning"] == friday["minutes_learning"]


def test_totals_and_facets_match_the_journal_recomputed_with_sql(week_journal):
    journal, _ = week_journal
    summary = _summary(journal)
    with journal.reader() as conn:
        seconds, items = conn.execute(
            f"""SELECT sum({LEARNING_SECONDS_SQL}), count(*) FROM captures c
                WHERE c.day BETWEEN '2026-11-23' AND '2026-11-29' AND c.is_learning = 1"""
        ).fetchone()
        watching = conn.execute(
            f"""SELECT sum({LEARNING_SECONDS_SQL}) FROM captures c WHERE c.is_learning = 1
                AND c.modality = 'watching' AND c.day >= '2026-11-23'"""
        ).fetchone()[0]
    assert summary["totals"]["minutes_learning"] == round(seconds / 60, 1) == 43.5
    assert summary["totals"]["learning_items"] == items == 5
    assert summary["totals"]["captures"] == 6
    by_modality = {f["key"]: f for f in summary["by_modality"]}
    assert by_modality["watching"]["minutes"] == round(watching / 60, 1) == 25.0
    assert [f["key"] for f in summary["by_four_e"]] == [
        "education",
        "exposure",
        "experience",
        "environment",
    ]


def test_captures_sharing_a_concept_form_a_thread_and_a_lone_capture_does_not(week_journal):
    journal, ids = week_journal
    threads = _summary(journal)["threads"]
    assert threads["total"] == 2
    k8s, wal = threads["items"]
    assert k8s["concepts"][0]["label"] == "Kubernetes networking"
    assert {c["id"] for c in k8s["captures"]["items"]} == {ids["k8s_page"], ids["k8s_video"]}
    assert (k8s["pages"], k8s["videos"], k8s["minutes"], k8s["span"]) == (1, 1, 35.0, "Tue–Wed")
    assert {c["id"] for c in wal["captures"]["items"]} == {ids["wal_lookup"], ids["wal_docs"]}
    assert threads["unthreaded_items"] == 1


def test_a_thread_seen_in_earlier_weeks_is_continued_and_a_fresh_one_is_new(week_journal):
    journal, _ = week_journal
    k8s, wal = _summary(journal)["threads"]["items"]
    assert (k8s["status"], k8s["first_seen"], k8s["earlier_captures"]) == (
        "continued",
        "2026-11-10",
        1,
    )
    assert (wal["status"], wal["first_seen"]) == ("new", "2026-11-26")


def test_a_generic_concept_does_not_chain_two_topics_into_one_thread(journal):
    for topic in ("Kubernetes", "SQLite"):
        for n in range(2):
            seed(journal, "2026-11-24", [topic, f"{topic} detail {n}", "example"], seconds=100)
    threads = _summary(journal)["threads"]["items"]
    assert sorted(t["concepts"][0]["label"] for t in threads) == ["Kubernetes", "SQLite"]


def test_a_capture_left_alone_under_its_anchor_joins_the_thread_it_shares_a_concept_with(journal):
    # the second video's best shared concept ("cost function") is anchored by nobody else:
    # the first and third are anchored on "neuron", which the second shares too
    videos = [
        seed(journal, "2026-11-24", concepts, seconds=600)
        for concepts in (
            ["neuron", "neural network", "weighted sum"],
            ["cost function", "neural network", "gradient", "neuron"],
            ["backpropagation", "neuron", "cost function"],
        )
    ]
    threads = _summary(journal)["threads"]["items"]
    assert [{c["id"] for c in t["captures"]["items"]} for t in threads] == [set(videos)]
    assert threads[0]["concepts"][0]["label"] == "neuron"


def test_takeaways_are_sentences_of_the_captured_text_that_name_the_thread(week_journal):
    journal, ids = week_journal
    k8s = _summary(journal)["threads"]["items"][0]
    sentences = [t["sentence"] for t in k8s["takeaways"]]
    assert sentences
    assert all(s in TEXT["pods"] and "Kubernetes networking" in s for s in sentences)
    assert not any("weather" in s for s in sentences)
    assert k8s["takeaways"][0]["url"].startswith("https://docs.example.org/")


def test_questions_list_what_answered_them_and_say_when_nothing_did(week_journal):
    journal, ids = week_journal
    questions = {q["query"]: q for q in _summary(journal)["questions"]["items"]}
    assert [a["id"] for a in questions["k8s service ip"]["answered_by"]] == [ids["k8s_page"]]
    assert questions["k8s service ip"]["answered"] is True
    assert questions["weather tomorrow"]["answered_by"] == []
    assert questions["weather tomorrow"]["answered"] is False


def test_deepest_dive_is_the_longest_engagement_and_quick_wins_are_lookups(week_journal):
    journal, ids = week_journal
    summary = _summary(journal)
    assert summary["deepest_dive"]["id"] == ids["k8s_video"]
    assert summary["deepest_dive"]["minutes"] == 25.0
    assert [q["id"] for q in summary["quick_wins"]["items"]] == [ids["wal_lookup"]]


def test_trend_covers_eight_weeks_ending_with_this_one(week_journal):
    journal, _ = week_journal
    trend = _summary(journal)["trend"]
    assert [w["week"] for w in trend][-2:] == ["2026-W47", "2026-W48"]
    assert len(trend) == 8
    assert {w["week"]: w["minutes_learning"] for w in trend}["2026-W46"] == 5.0
    assert trend[-1]["minutes_learning"] == 43.5


def test_streak_counts_back_across_weeks_and_an_empty_today_does_not_break_it(journal):
    for day in ("2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24"):
        seed(journal, day, ["habit"], seconds=60)
    wednesday = week_summary(journal, WEEK, today=date(2026, 11, 25))["streak"]
    assert (wednesday["current"], wednesday["longest_in_week"]) == (5, 2)
    thursday = week_summary(journal, WEEK, today=date(2026, 11, 26))["streak"]
    assert thursday["current"] == 0


def test_an_empty_week_says_so_kindly_and_suggests_what_to_do(journal):
    summary = _summary(journal)
    assert summary["totals"]["minutes_learning"] == 0
    assert summary["message"]["title"] == "Nothing was captured this week"
    assert "paired" in summary["message"]["suggestion"]
    assert [p["key"] for p in summary["prompts"]] == ["obstacles", "next"]


def test_a_week_with_only_non_learning_suggests_marking_items_as_learning(journal):
    seed(journal, "2026-11-24", ["news"], is_learning=False, form=None, four_e=None)
    message = _summary(journal)["message"]
    assert message["title"] == "No learning spotted this week"
    assert "mark them as learning" in message["suggestion"]


def test_a_sparse_week_is_called_light(journal):
    seed(journal, "2026-11-24", ["tiny"], seconds=120)
    assert _summary(journal)["message"]["title"] == "A light week"


def test_a_page_visited_on_three_days_is_one_item_with_its_visits_and_minutes(journal):
    url = "https://docs.example.org/wal"
    visits = [seed(journal, f"2026-11-{d}", ["WAL"], seconds=300, url=url) for d in (24, 25, 26)]
    other = seed(journal, "2026-11-25", ["WAL", "checkpoint"], seconds=600)
    summary = _summary(journal)
    items = [(i["id"], i["visits"], i["minutes"]) for i in summary["items"]["items"]]
    assert items == [(visits[0], 3, 15.0), (other, 1, 10.0)]
    assert summary["items"]["items"][0]["capture_ids"] == visits
    assert summary["items"]["total"] == 2 and summary["totals"]["learning_items"] == 4
    (thread,) = summary["threads"]["items"]
    assert (thread["pages"], thread["minutes"], thread["captures"]["total"]) == (2, 25.0, 2)


def test_long_lists_are_cut_to_the_limit_with_their_total_and_show_all_lifts_it(journal):
    for n in range(14):
        seed(journal, "2026-11-24", [f"topic {n // 2}", f"detail {n}"], seconds=60 + n)
    cut = _summary(journal, limit=3)
    assert (len(cut["items"]["items"]), cut["items"]["total"]) == (3, 14)
    assert (len(cut["threads"]["items"]), cut["threads"]["total"]) == (3, 7)
    everything = _summary(journal, limit=3, show_all=True)
    assert len(everything["items"]["items"]) == 14
    assert len(everything["threads"]["items"]) == 7


def test_marking_a_capture_not_learning_takes_it_out_of_the_week(week_journal):
    journal, ids = week_journal
    correct_tags(journal, ids["k8s_video"], {"is_learning": False})
    summary = _summary(journal)
    assert summary["totals"]["minutes_learning"] == 18.5
    assert summary["deepest_dive"]["id"] == ids["k8s_page"]
    assert ids["k8s_video"] in {c["id"] for c in summary["not_learning"]["items"]}
    assert summary["threads"]["total"] == 1


def test_prompts_are_grounded_in_the_week(week_journal):
    journal, _ = week_journal
    prompts = {p["key"].split(":")[0]: p["text"] for p in _summary(journal)["prompts"]}
    assert prompts["apply"] == "You spent 35 minutes on Kubernetes networking. What will you apply?"
    assert "from-others" in prompts  # the Q&A lookup was exposure
    assert prompts["next"] == "What would you like to explore next?"


def test_markdown_holds_threads_takeaways_questions_and_reflections(week_journal):
    journal, _ = week_journal
    save_reflections(journal, WEEK, [{"prompt": "What next?", "key": "next", "answer": "eBPF"}])
    text = week_markdown(_summary(journal))
    assert "### Kubernetes networking · service" in text
    assert "A Service in Kubernetes networking load-balances traffic across pods." in text
    assert "**k8s service ip**" in text
    assert "**What next?**\n\n> eBPF" in text
    assert "| Wed 2026-11-25 | 25 | 1 |" in text


@pytest.mark.parametrize("bad", ["2026-48", "2026-W54", "W48", "2026-w48x", ""])
def test_a_malformed_week_is_a_bad_request(bad):
    with pytest.raises(BadRequest):
        parse_iso_week(bad)


def test_current_week_starts_on_this_monday():
    assert parse_iso_week("current", today=FRIDAY) == date(2026, 11, 23)
