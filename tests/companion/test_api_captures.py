"""The capture API: accept, merge, validate, list, search, correct, forget (routers + journal)."""

from __future__ import annotations

import json

import pytest

from companion.journal.processing import claim_pending, save_analysis
from tests.support import make_capture


def _analysis(title="Write-ahead logging", concepts=("write-ahead log", "sqlite"), learning=True):
    return {
        "title": title,
        "text": f"{title}. Readers do not block writers in WAL mode.",
        "metadata": {
            "site": "docs.example.org",
            "canonical_url": "https://docs.example.org/wal",
            "word_count": 9,
            "reading_minutes": 0.1,
            "page_types": ["TechArticle"],
        },
        "concepts": [
            {"text": c, "key": c.lower(), "score": 1.0 - i / 10} for i, c in enumerate(concepts)
        ],
        "learning": {
            "is_learning": learning,
            "learning_score": 0.9 if learning else 0.1,
            "reasons": ["docs site"],
            "form": "reference",
            "modality": "reading",
            "source_kind": "documentation",
            "four_e": "environment",
        },
    }


def _process_all(client, analysis=None):
    journal = client.app.state.journal
    for pending in claim_pending(journal, 100):
        result = analysis or _analysis()
        metadata = {**result["metadata"], "canonical_url": pending.url}
        save_analysis(journal, pending.id, {**result, "metadata": metadata})


def test_capture_is_accepted_with_202_and_queued(app_client):
    client, _ = app_client
    capture = make_capture()
    response = client.post("/api/v1/captures", json=capture)
    assert response.status_code == 202
    assert response.json() == {"id": capture["id"], "status": "queued"}
    stored = client.get(f"/api/v1/captures/{capture['id']}").json()
    assert stored["status"] == "queued"
    assert stored["url"] == capture["url"]
    assert stored["day"] == "2026-11-24"


def test_resent_capture_is_stored_once_and_engagement_merged_by_maximum(app_client):
    client, _ = app_client
    capture = make_capture(engaged_seconds=40, scroll_depth=0.5)
    client.post("/api/v1/captures", json=capture)
    again = client.post("/api/v1/captures", json={**capture, "engaged_seconds": 90})
    assert again.json()["status"] == "merged"
    client.post("/api/v1/captures", json={**capture, "engaged_seconds": 10, "scroll_depth": 0.9})
    listed = client.get("/api/v1/captures").json()
    assert listed["total"] == 1
    stored = client.get(f"/api/v1/captures/{capture['id']}").json()
    assert stored["engaged_seconds"] == 90
    assert stored["scroll_depth"] == 0.9


def test_patch_adds_engagement_and_unknown_id_is_404(app_client):
    client, _ = app_client
    capture = make_capture(kind="video", engaged_seconds=5, media={"duration": 600})
    client.post("/api/v1/captures", json=capture)
    response = client.patch(
        f"/api/v1/captures/{capture['id']}",
        json={"engaged_seconds": 30, "media": {"watched_seconds": 240, "ended": False}},
    )
    assert response.status_code == 200
    assert response.json()["engaged_seconds"] == 30
    assert response.json()["media"]["watched_seconds"] == 240
    assert response.json()["media"]["duration"] == 600
    missing = client.patch("/api/v1/captures/does-not-exist-123", json={"engaged_seconds": 1})
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_a_page_whose_video_then_fills_the_visit_becomes_a_video_and_is_tagged_again(app_client):
    client, _ = app_client
    capture = make_capture(kind="page", engaged_seconds=2)
    client.post("/api/v1/captures", json=capture)
    _process_all(client)
    assert client.get(f"/api/v1/captures/{capture['id']}").json()["status"] == "processed"
    response = client.patch(
        f"/api/v1/captures/{capture['id']}",
        json={"kind": "video", "engaged_seconds": 3, "media": {"watched_seconds": 2.5}},
    )
    assert response.status_code == 200
    assert response.json()["kind"] == "video"
    assert response.json()["status"] == "queued"  # its tags (modality, kind) are redone
    later = client.patch(f"/api/v1/captures/{capture['id']}", json={"engaged_seconds": 4})
    assert later.json()["kind"] == "video"  # an update without a kind keeps it


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"url": "file:///etc/passwd"}, "url"),
        ({"url": "chrome://settings"}, "url"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"kind": "hologram"}, "kind"),
        ({"engaged_seconds": "a lot"}, "engaged_seconds"),
        ({"scroll_depth": 3}, "scroll_depth"),
        ({"started_at": "yesterday-ish"}, "started_at"),
        ({"id": "x"}, "id"),
    ],
)
def test_capture_breaking_the_contract_gets_422_naming_the_field(app_client, change, field):
    client, _ = app_client
    response = client.post("/api/v1/captures", json=make_capture(**change))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert field in error["message"]


def test_malformed_json_gets_400(app_client):
    client, _ = app_client
    response = client.post(
        "/api/v1/captures", content=b'{"id": "abc', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_json"


@pytest.mark.parametrize("body", [b"", b"[]", b'"a capture"', b"null"])
def test_a_body_that_is_not_a_capture_object_gets_422(app_client, body):
    client, _ = app_client
    for path in ("/api/v1/captures", "/api/v1/captures/batch"):
        response = client.post(path, content=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 422, (path, body)
        assert response.json()["error"]["code"] == "invalid_request"


def test_a_lone_surrogate_refuses_only_that_capture_and_names_its_field(app_client):
    """A page cut mid-character: `JSON.stringify` sends the half as `\\udXXX`."""
    client, _ = app_client
    broken, fine = make_capture(html="<p>cut \ud800</p>"), make_capture()
    headers = {"Content-Type": "application/json"}
    response = client.post("/api/v1/captures", content=json.dumps(broken), headers=headers)
    assert response.status_code == 422
    assert response.json()["error"]["message"].startswith("html: ")
    batch = json.dumps({"captures": [broken, fine]})
    results = client.post("/api/v1/captures/batch", content=batch, headers=headers).json()
    assert [r["accepted"] for r in results["results"]] == [False, True]
    assert client.get(f"/api/v1/captures/{fine['id']}").status_code == 200


def test_a_refused_capture_names_its_nested_field_without_echoing_the_input(app_client):
    client, _ = app_client
    capture = make_capture(media={"watched_seconds": -5, "channel": "secret channel name"})
    response = client.post("/api/v1/captures", json=capture)
    assert response.status_code == 422
    message = response.json()["error"]["message"]
    assert message.startswith("media.watched_seconds: ") and "secret" not in message


def test_unknown_fields_are_ignored_as_the_contract_allows(app_client):
    client, _ = app_client
    response = client.post("/api/v1/captures", json=make_capture(future_field={"x": 1}))
    assert response.status_code == 202


def test_batch_reports_each_capture_and_one_bad_capture_does_not_sink_the_rest(app_client):
    client, _ = app_client
    good = [make_capture() for _ in range(3)]
    bad = make_capture(url="ftp://files.example.org/x")
    response = client.post("/api/v1/captures/batch", json={"captures": [good[0], bad, *good[1:]]})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["accepted"] for r in results] == [True, False, True, True]
    assert results[1]["id"] == bad["id"]
    assert results[1]["error"]["status"] == 422
    assert client.get("/api/v1/captures").json()["total"] == 3


def test_batch_over_500_captures_is_refused(app_client):
    client, _ = app_client
    response = client.post(
        "/api/v1/captures/batch", json={"captures": [make_capture() for _ in range(501)]}
    )
    assert response.status_code == 422


def test_processed_capture_shows_concepts_and_learning_tags(app_client):
    client, _ = app_client
    capture = make_capture()
    client.post("/api/v1/captures", json=capture)
    _process_all(client)
    stored = client.get(f"/api/v1/captures/{capture['id']}").json()
    assert stored["status"] == "processed"
    assert [c["text"] for c in stored["concepts"]] == ["write-ahead log", "sqlite"]
    assert stored["learning"]["source_kind"] == "documentation"
    assert stored["document"]["word_count"] == 9


def test_list_filters_by_site_day_learning_concept_and_searches_text(app_client):
    client, _ = app_client
    wal = make_capture()
    other = make_capture(url="https://news.example.com/today", started_at="2026-11-25T09:00:00Z")
    client.post("/api/v1/captures", json=wal)
    _process_all(client)
    client.post("/api/v1/captures", json=other)
    _process_all(client, _analysis("Election results", ("election",), learning=False))

    def ids(**params):
        return [c["id"] for c in client.get("/api/v1/captures", params=params).json()["items"]]

    assert ids() == [other["id"], wal["id"]]  # newest first
    assert ids(site="example.org") == [wal["id"]]
    assert ids(day="2026-11-25") == [other["id"]]
    assert ids(learning="true") == [wal["id"]]
    assert ids(concept="SQLite") == [wal["id"]]
    assert ids(q="write-ahead") == [wal["id"]]
    assert ids(q="election") == [other["id"]]
    assert ids(q='"unbalanced quote') == []


def test_user_correction_wins_over_the_tagger_on_reprocessing(app_client):
    client, _ = app_client
    capture = make_capture()
    client.post("/api/v1/captures", json=capture)
    _process_all(client)
    response = client.put(
        f"/api/v1/captures/{capture['id']}/tags", json={"is_learning": False, "form": "micro"}
    )
    assert response.status_code == 200
    assert response.json()["learning"]["is_learning"] is False
    assert response.json()["learning"]["corrected"] is True
    client.post(f"/api/v1/captures/{capture['id']}/retry")
    _process_all(client)
    stored = client.get(f"/api/v1/captures/{capture['id']}").json()
    assert stored["learning"]["is_learning"] is False
    assert stored["learning"]["form"] == "micro"


def test_tags_with_unknown_values_are_refused(app_client):
    client, _ = app_client
    capture = make_capture()
    client.post("/api/v1/captures", json=capture)
    response = client.put(f"/api/v1/captures/{capture['id']}/tags", json={"form": "nap"})
    assert response.status_code == 422


def test_delete_removes_the_capture(app_client):
    client, _ = app_client
    capture = make_capture()
    client.post("/api/v1/captures", json=capture)
    assert client.delete(f"/api/v1/captures/{capture['id']}").status_code == 204
    assert client.get(f"/api/v1/captures/{capture['id']}").status_code == 404
    assert client.delete(f"/api/v1/captures/{capture['id']}").status_code == 404


def test_forget_site_deletes_its_captures_and_deny_keeps_it_out(app_client):
    client, _ = app_client
    for path in ("a", "b"):
        client.post("/api/v1/captures", json=make_capture(url=f"https://www.bank.example/{path}"))
    client.post("/api/v1/captures", json=make_capture(url="https://docs.example.org/x"))
    response = client.post("/api/v1/forget", json={"site": "bank.example", "deny": True})
    assert response.json() == {"deleted": 2, "denied": True}
    assert client.get("/api/v1/captures").json()["total"] == 1
    again = client.post("/api/v1/captures", json=make_capture(url="https://login.bank.example/"))
    assert again.json()["status"] == "denied"
    assert client.get("/api/v1/captures").json()["total"] == 1
    assert client.get("/api/v1/deny-list").json() == {"patterns": ["bank.example"]}


def test_forget_url_prefix_keeps_the_rest_of_the_site(app_client):
    client, _ = app_client
    client.post("/api/v1/captures", json=make_capture(url="https://example.org/private/1"))
    client.post("/api/v1/captures", json=make_capture(url="https://example.org/public/1"))
    response = client.post("/api/v1/forget", json={"url_prefix": "https://example.org/private/"})
    assert response.json()["deleted"] == 1
    assert [c["url"] for c in client.get("/api/v1/captures").json()["items"]] == [
        "https://example.org/public/1"
    ]


def test_forget_needs_exactly_one_target(app_client):
    client, _ = app_client
    assert client.post("/api/v1/forget", json={}).status_code == 400


def test_status_reports_schema_queue_and_client_compatibility(app_client):
    client, _ = app_client
    client.post("/api/v1/captures", json=make_capture())
    status = client.get("/api/v1/status", params={"client_version": "0.1.0"}).json()
    assert status["schema_version"] >= 1
    assert status["queue_depth"] == 1
    assert status["client_compatible"] is True
    assert status["nlp_model_loaded"] is False  # no worker in this in-process app
    old = client.get("/api/v1/status", params={"client_version": "0.0.9"}).json()
    assert old["client_compatible"] is False


def test_today_lists_learning_items_minutes_concepts_and_questions(app_client):
    client, _ = app_client
    first = make_capture(engaged_seconds=120, search_query="sqlite wal readers")
    video = make_capture(
        url="https://video.example/watch?v=1",
        kind="video",
        engaged_seconds=30,
        media={"duration": 600, "watched_seconds": 300},
    )
    client.post("/api/v1/captures", json=first)
    client.post("/api/v1/captures", json=video)
    _process_all(client)
    client.post("/api/v1/captures", json=make_capture(started_at="2026-11-23T10:00:00+01:00"))
    _process_all(client, _analysis(learning=False))
    today = client.get("/api/v1/today", params={"day": "2026-11-24"}).json()
    assert today["minutes_learning"] == 7.0  # 120 s read + 300 s watched
    assert {item["id"] for item in today["items"]} == {first["id"], video["id"]}
    assert today["top_concepts"][0] == {"text": "write-ahead log", "count": 2}
    assert today["questions"] == [{"query": "sqlite wal readers", "answered_by": [first["id"]]}]
    assert today["captures_total"] == 2


def test_today_shows_a_page_visited_three_times_once_with_its_visits_and_time(app_client):
    client, _ = app_client
    visits = [
        make_capture(engaged_seconds=60 * (n + 1), started_at=f"2026-11-24T1{n}:00:00+01:00")
        for n in range(3)
    ]
    other = make_capture(url="https://docs.example.org/other", engaged_seconds=30)
    for capture in [*visits, other]:
        client.post("/api/v1/captures", json=capture)
    _process_all(client)
    today = client.get("/api/v1/today", params={"day": "2026-11-24"}).json()
    shown = [(i["id"], i["visits"], i["seconds"]) for i in today["items"]]
    assert shown == [(visits[2]["id"], 3, 360.0), (other["id"], 1, 30.0)]
    assert today["learning_total"] == 4  # visits
    assert today["top_concepts"][0] == {"text": "write-ahead log", "count": 2}  # pages
