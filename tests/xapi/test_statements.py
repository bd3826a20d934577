"""Statements for learning captures: their shape, their ids, and Ralph's models accept them."""

from __future__ import annotations

import pytest

from companion.journal.captures import update_engagement
from companion.journal.xapi import mark_private
from companion.xapi.config import XapiConfig, make_actor
from companion.xapi.share import week_statements
from companion.xapi.statements import EXTENSION, VERBS, VIDEO_PROFILE, iso_duration, statement_id
from tests.companion.week_seed import seed

ACTOR = make_actor(name="Ada L.", mbox="mailto:ada@example.org")
CONFIG = XapiConfig(actor=ACTOR)
WEEK = "2026-W48"


@pytest.fixture
def week(journal):
    """A week with a docs page found by a search, a watched video, and a page not learning."""
    ids = {
        "page": seed(
            journal,
            "2026-11-24",
            ["Kubernetes networking", "pod IP"],
            seconds=754.2,
            url="https://docs.example.org/k8s/networking",
            title="Cluster networking",
            search_query="k8s pod ip",
            form="just-in-time",
            four_e="environment",
            source_kind="documentation",
        ),
        "video": seed(
            journal,
            "2026-11-25",
            ["eBPF"],
            seconds=30,
            watched=600,
            kind="video",
            url="https://video.example.org/watch/ebpf",
            title="eBPF in 10 minutes",
            modality="watching",
            source_kind="video",
        ),
        "podcast": seed(
            journal,
            "2026-11-26",
            ["observability"],
            seconds=5,
            watched=900,
            kind="audio",
            url="https://pod.example.org/ep/42",
            title="Episode 42",
            modality="listening",
            source_kind="podcast",
        ),
        "leisure": seed(journal, "2026-11-26", ["football"], is_learning=False),
    }
    # Heard to the end, at 1.5x: the extension's later update of the same capture.
    update_engagement(journal, ids["podcast"], {"media": {"ended": True, "playback_rate": 1.5}})
    return journal, ids


def test_a_page_becomes_an_experienced_statement_with_its_time_and_tags(week):
    journal, ids = week
    statements = {s["id"]: s for s in week_statements(journal, WEEK, CONFIG)}
    page = statements[statement_id(ids["page"])]
    assert page["actor"] == {
        "objectType": "Agent",
        "name": "Ada L.",
        "mbox": "mailto:ada@example.org",
    }
    assert page["verb"]["id"] == VERBS["experienced"]
    assert page["object"]["id"] == "https://docs.example.org/k8s/networking"
    assert page["object"]["definition"]["name"] == {"und": "Cluster networking"}
    assert page["object"]["definition"]["type"] == "http://activitystrea.ms/schema/1.0/page"
    assert page["result"] == {"duration": "PT12M34.2S"}
    assert page["timestamp"] == "2026-11-24T10:00:00+01:00"
    extensions = page["context"]["extensions"]
    assert extensions[EXTENSION["concepts"]] == ["Kubernetes networking", "pod IP"]
    assert extensions[EXTENSION["search-query"]] == "k8s pod ip"
    assert (extensions[EXTENSION["form"]], extensions[EXTENSION["four-e"]]) == (
        "just-in-time",
        "environment",
    )


def test_a_watched_video_uses_the_video_profile_with_its_progress(week):
    journal, ids = week
    statements = {s["id"]: s for s in week_statements(journal, WEEK, CONFIG)}
    video = statements[statement_id(ids["video"])]
    assert video["verb"]["id"] == VERBS["terminated"]  # watched 600 of 900 s, not to the end
    assert video["object"]["definition"]["type"] == VIDEO_PROFILE["video"]
    assert video["result"]["duration"] == "PT10M"  # the watched time, longer than the input time
    assert video["result"]["extensions"] == {VIDEO_PROFILE["progress"]: 0.667}
    assert video["context"]["extensions"][VIDEO_PROFILE["length"]] == 900.0
    assert video["context"]["contextActivities"]["category"][0]["id"] == VIDEO_PROFILE["category"]


def test_audio_heard_to_the_end_is_completed_with_its_speed(week):
    journal, ids = week
    statements = {s["id"]: s for s in week_statements(journal, WEEK, CONFIG)}
    podcast = statements[statement_id(ids["podcast"])]
    assert podcast["verb"]["id"] == VERBS["completed"]
    assert podcast["object"]["definition"]["type"] == "http://activitystrea.ms/schema/1.0/audio"
    assert (podcast["result"]["completion"], podcast["result"]["duration"]) == (True, "PT15M")
    assert podcast["context"]["extensions"][VIDEO_PROFILE["speed"]] == "1.5x"


def test_only_learning_captures_not_marked_private_are_exported(week):
    journal, ids = week
    learning = [statement_id(ids[key]) for key in ("page", "video", "podcast")]
    assert [s["id"] for s in week_statements(journal, WEEK, CONFIG)] == learning
    mark_private(journal, ids["video"])
    assert [s["id"] for s in week_statements(journal, WEEK, CONFIG)] == [learning[0], learning[2]]


def test_the_statement_id_is_the_same_on_every_export_and_differs_per_capture(week):
    journal, _ = week
    first = week_statements(journal, WEEK, CONFIG)
    assert first == week_statements(journal, WEEK, CONFIG)
    assert len({s["id"] for s in first}) == len(first) == 3


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "PT0S"), (59.999, "PT1M"), (61.5, "PT1M1.5S"), (3600, "PT1H"), (3725.25, "PT1H2M5.25S")],
)
def test_durations_are_iso_8601_to_the_hundredth(seconds, text):
    assert iso_duration(seconds) == text


def test_every_statement_passes_ralphs_xapi_models(week, validate_statements):
    journal, _ = week
    account = XapiConfig(
        actor=make_actor(account_homepage="https://lms.example.org", account_name="ada")
    )
    validate_statements(
        week_statements(journal, WEEK, CONFIG) + week_statements(journal, WEEK, account)
    )


def test_a_page_address_with_a_stray_percent_sign_is_still_a_valid_activity_id(
    journal, validate_statements
):
    # Browsers keep a "%" not followed by two hex digits as it is; an LRS refuses it in an IRI,
    # so the visit could never be shared. As "%25" it names the same page.
    seed(journal, "2026-11-24", ["discounts"], url="https://shop.example.org/sale?off=100%")
    seed(journal, "2026-11-24", ["encoding"], url="https://docs.example.org/%zz/%C3%A9", hour=11)
    statements = week_statements(journal, WEEK, CONFIG)
    assert [s["object"]["id"] for s in statements] == [
        "https://shop.example.org/sale?off=100%25",
        "https://docs.example.org/%25zz/%C3%A9",
    ]
    validate_statements(statements)
