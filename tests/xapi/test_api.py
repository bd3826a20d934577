"""The Share step's API (`/api/v1/xapi`): list, mark private, send the ticked ones."""

from __future__ import annotations

import pytest

from companion.journal import Journal
from companion.xapi import client as lrs_client
from companion.xapi.config import XapiConfig, make_actor, save_config
from companion.xapi.statements import statement_id
from tests.companion.week_seed import seed
from tests.support import free_port

WEEK = "2026-W48"


@pytest.fixture
def share_client(app_client):
    """The API client, a journal with two learning pages and one not, and an actor set."""
    client, settings = app_client
    journal = Journal(settings.db_path)
    try:
        ids = [seed(journal, "2026-11-24", ["SQLite WAL"], hour=h) for h in (9, 10)]
        seed(journal, "2026-11-24", ["football"], is_learning=False)
    finally:
        journal.close()
    save_config(settings.data_dir, XapiConfig(actor=make_actor(mbox="mailto:ada@example.org")))
    return client, settings, ids


def _configure(settings, endpoint: str, lrs=None) -> None:
    save_config(
        settings.data_dir,
        XapiConfig(
            actor=make_actor(mbox="mailto:ada@example.org"),
            endpoint=endpoint,
            username=lrs.username if lrs else None,
            password=lrs.password if lrs else None,
        ),
    )


def test_the_share_list_holds_the_weeks_learning_with_its_statements(
    share_client, validate_statements
):
    client, _, ids = share_client
    body = client.get(f"/api/v1/xapi/weeks/{WEEK}").json()
    assert [item["capture_id"] for item in body["items"]] == ids
    page_of = {item["capture_id"]: item["page"] for item in body["items"]}
    week = client.get(f"/api/v1/weeks/{WEEK}").json()  # `page` groups visits as the week does
    assert sorted(
        [page_of[capture_id] for capture_id in page["capture_ids"]]
        for page in week["items"]["items"]
    ) == sorted([page] for page in set(page_of.values()))
    assert [item["statement"]["id"] for item in body["items"]] == [statement_id(i) for i in ids]
    validate_statements([item["statement"] for item in body["items"]])
    assert body["totals"] == {"items": 2, "private": 0, "shared_here": 0, "to_send": 2}
    assert body["config"]["password_set"] is False


def test_a_capture_marked_private_is_listed_without_a_statement_until_unmarked(share_client):
    client, _, ids = share_client
    assert client.put(f"/api/v1/xapi/private/{ids[0]}").json() == {
        "capture_id": ids[0],
        "private": True,
    }
    item = client.get(f"/api/v1/xapi/weeks/{WEEK}").json()["items"][0]
    assert (item["private"], item["statement"]) == (True, None)
    assert client.delete(f"/api/v1/xapi/private/{ids[0]}").json()["private"] is False
    assert client.get(f"/api/v1/xapi/weeks/{WEEK}").json()["items"][0]["statement"] is not None


def test_marking_an_unknown_capture_private_is_404(share_client):
    client, _, _ = share_client
    assert client.put("/api/v1/xapi/private/no-such-capture").status_code == 404


def test_sending_the_ticked_ones_sends_only_those_and_shows_them_shared(share_client, lrs):
    client, settings, ids = share_client
    _configure(settings, lrs.endpoint, lrs)
    reply = client.post(f"/api/v1/xapi/weeks/{WEEK}/send", json={"capture_ids": [ids[1]]})
    assert reply.status_code == 200
    assert reply.json()["sent"] == [statement_id(ids[1])]
    assert statement_id(ids[0]) not in {s["id"] for s in lrs.statements()}
    items = client.get(f"/api/v1/xapi/weeks/{WEEK}").json()["items"]
    assert [item["shared_here"] for item in items] == [False, True]
    assert items[1]["shared"][0]["status"] == "sent"


def test_a_private_capture_cannot_be_sent_even_when_ticked(share_client):
    client, settings, ids = share_client
    _configure(settings, f"http://127.0.0.1:{free_port()}/xAPI/")
    client.put(f"/api/v1/xapi/private/{ids[0]}")
    reply = client.post(f"/api/v1/xapi/weeks/{WEEK}/send", json={"capture_ids": [ids[0]]})
    assert reply.status_code == 400
    assert "private" in reply.json()["error"]["message"]


def test_an_lrs_that_is_down_answers_502_in_the_one_error_shape(share_client, monkeypatch):
    client, settings, _ = share_client
    monkeypatch.setattr(lrs_client, "RETRY_DELAYS", ())
    _configure(settings, f"http://127.0.0.1:{free_port()}/xAPI/")
    reply = client.post(f"/api/v1/xapi/weeks/{WEEK}/send", json={})
    assert reply.status_code == 502
    assert reply.json()["error"]["code"] == "lrs_unreachable"
    assert client.get(f"/api/v1/xapi/weeks/{WEEK}").json()["totals"]["shared_here"] == 0


def test_the_share_api_needs_the_token(share_client):
    client, _, _ = share_client
    assert (
        client.get(f"/api/v1/xapi/weeks/{WEEK}", headers={"Authorization": ""}).status_code == 401
    )
