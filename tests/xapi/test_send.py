"""`inflow xapi export|send` end to end against a real LRS (Ralph 5.1 on loopback)."""

from __future__ import annotations

import json
import uuid

import pytest

from companion.cli import main
from companion.journal import Journal
from companion.journal.xapi import mark_private, shareable_captures
from companion.xapi import client as lrs_client
from companion.xapi.client import LrsClient
from companion.xapi.config import load_config
from companion.xapi.share import send_week
from companion.xapi.statements import statement_id
from tests.companion.week_seed import seed
from tests.support import free_port

WEEK = "2026-W48"


@pytest.fixture
def data_dir(tmp_path):
    """A data folder with an actor and a journal: three learning pages (one private), one not."""
    data = tmp_path / "data"
    journal = Journal(data / "journal.db")
    try:
        ids = [
            seed(journal, f"2026-11-2{n}", ["SQLite WAL"], seconds=60 * n, search_query="wal")
            for n in (3, 4, 5)
        ]
        seed(journal, "2026-11-26", ["football"], is_learning=False)
        mark_private(journal, ids[2])
    finally:
        journal.close()
    assert (
        main(
            ["xapi", "config", "--name", "Ada", "--mbox", "mailto:ada@example.org"]
            + ["--data-dir", str(data)]
        )
        == 0
    )
    return data, ids


def _cli(capsys, *args) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["xapi", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _send(capsys, data, lrs, *extra, endpoint=None):
    return _cli(
        capsys,
        "send",
        "--endpoint",
        endpoint or lrs.endpoint,
        "--username",
        lrs.username,
        "--password",
        lrs.password,
        "--week",
        WEEK,
        "--data-dir",
        str(data),
        *extra,
    )


def _shared(data) -> dict[str, list]:
    journal = Journal(data / "journal.db")
    try:
        return {
            c["id"]: c["shared"] for c in shareable_captures(journal, "2026-11-23", "2026-11-29")
        }
    finally:
        journal.close()


def test_a_capture_marked_private_from_the_cli_is_not_exported_until_unmarked(data_dir, capsys):
    data, ids = data_dir
    export = ("export", "--week", WEEK, "--data-dir", str(data))
    assert _cli(capsys, "private", ids[0], "--data-dir", str(data))[0] == 0
    assert [s["id"] for s in json.loads(_cli(capsys, *export)[1])] == [statement_id(ids[1])]
    assert _cli(capsys, "private", "--undo", ids[0], "--data-dir", str(data))[0] == 0
    assert len(json.loads(_cli(capsys, *export)[1])) == 2
    code, _, err = _cli(capsys, "private", "no-such-capture", "--data-dir", str(data))
    assert code == 1 and "no capture with id" in err


def test_export_prints_one_json_array_of_what_would_be_sent(data_dir, capsys, validate_statements):
    data, ids = data_dir
    code, out, _ = _cli(capsys, "export", "--week", WEEK, "--data-dir", str(data))
    statements = json.loads(out)
    assert code == 0
    assert [s["id"] for s in statements] == [statement_id(i) for i in ids[:2]]  # not the private
    validate_statements(statements)


def test_send_stores_the_statements_and_a_second_send_adds_nothing(data_dir, capsys, lrs):
    data, ids = data_dir
    code, out, err = _send(capsys, data, lrs)
    assert (code, err) == (0, "")
    assert out.strip() == f"{lrs.endpoint}: 2 sent, 0 already there, 0 failed"
    exported = json.loads(_cli(capsys, "export", "--week", WEEK, "--data-dir", str(data))[1])
    stored = {s["id"]: s for s in lrs.statements()}
    for statement in exported:  # read back: the LRS holds exactly what export printed
        held = stored[statement["id"]]
        assert {k: held[k] for k in statement} == statement
    assert statement_id(ids[2]) not in stored  # private: never left
    assert [s["status"] for s in _shared(data)[ids[0]]] == ["sent"]

    code, out, _ = _send(capsys, data, lrs)
    assert (code, out.strip()) == (
        0,
        f"{lrs.endpoint}: 0 sent, 0 already there, 0 failed (2 shared earlier, not sent again)",
    )
    # Another spelling of the same LRS: the journal knows nothing of it, the LRS does.
    other = lrs.endpoint.replace("127.0.0.1", "localhost")
    code, out, _ = _send(capsys, data, lrs, endpoint=other)
    assert (code, out.strip()) == (0, f"{other}: 0 sent, 2 already there, 0 failed")
    assert len([s for s in lrs.statements() if s["id"] in {statement_id(i) for i in ids}]) == 2


def test_wrong_credentials_name_the_endpoint_and_mark_nothing_sent(data_dir, capsys, lrs):
    data, ids = data_dir
    code, out, err = _cli(
        capsys, "send", "--endpoint", lrs.endpoint, "--username", lrs.username,
        "--password", "wrong-secret", "--week", WEEK, "--data-dir", str(data),
    )  # fmt: skip
    assert code == 1 and out == ""
    assert lrs.endpoint in err and "refused these credentials (401)" in err
    assert "wrong-secret" not in err
    assert _shared(data)[ids[0]] == []


def test_an_lrs_that_is_down_is_a_clear_error_and_nothing_is_marked_sent(
    data_dir, capsys, monkeypatch
):
    data, ids = data_dir
    monkeypatch.setattr(lrs_client, "RETRY_DELAYS", (0.05,))
    down = f"http://127.0.0.1:{free_port()}/xAPI/"
    code, out, err = _cli(
        capsys, "send", "--endpoint", down, "--week", WEEK, "--data-dir", str(data)
    )
    assert code == 1 and out == ""
    assert f"the LRS at {down} cannot be reached" in err
    assert all(shared == [] for shared in _shared(data).values())


def test_a_refused_statement_is_reported_with_the_lrs_reason_and_the_rest_are_sent(lrs):
    good = [_statement(f"https://docs.example.org/{n}") for n in range(2)]
    bad = _statement("https://docs.example.org/bad")
    bad["actor"] = {"objectType": "Agent", "name": "nobody in particular"}  # no identifier
    client = LrsClient(lrs.endpoint, username=lrs.username, password=lrs.password)
    report = client.send([good[0], bad, good[1]]).to_dict()
    assert report["sent"] == [good[0]["id"], good[1]["id"]]
    assert [f["statement_id"] for f in report["failed"]] == [bad["id"]]
    reason = report["failed"][0]["reason"]
    assert reason.startswith("422: ") and "actor" in reason  # Ralph's own words
    assert bad["id"] not in {s["id"] for s in lrs.statements()}


def test_after_the_lrs_fell_over_midway_a_resend_sends_only_what_is_missing(
    data_dir, lrs_factory, monkeypatch
):
    data, ids = data_dir
    monkeypatch.setattr(lrs_client, "BATCH_SIZE", 1)
    monkeypatch.setattr(lrs_client, "RETRY_DELAYS", (0.05,))
    first = lrs_factory()
    journal = Journal(data / "journal.db")
    config = load_config(data).with_(
        endpoint=first.endpoint, username=first.username, password=first.password
    )

    class FallsOverAfterOneBatch(LrsClient):
        def send(self, statements, *, on_outcomes=None):
            def then_stop(outcomes):
                on_outcomes(outcomes)
                first.process.terminate()
                first.process.wait(timeout=30)

            return super().send(statements, on_outcomes=then_stop)

    try:
        client = FallsOverAfterOneBatch(
            first.endpoint, username=first.username, password=first.password
        )
        with pytest.raises(lrs_client.LrsUnreachable):
            send_week(journal, WEEK, config, client=client)
        assert [c["id"] for c in shareable_captures(journal, "2026-11-23", "2026-11-29")
                if c["shared"]] == [ids[0]]  # fmt: skip
        again = lrs_factory(store=first.store, port=first.port)  # the same LRS, restarted
        report = send_week(journal, WEEK, config)
    finally:
        journal.close()
    assert (report["sent"], report["skipped"]) == ([statement_id(ids[1])], [statement_id(ids[0])])
    held = {s["id"] for s in again.statements()}
    assert held >= {statement_id(ids[0]), statement_id(ids[1])}


def _statement(object_id: str) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "mbox": "mailto:ada@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
        "object": {"objectType": "Activity", "id": object_id},
        "timestamp": "2026-11-24T10:00:00+01:00",
    }


def test_an_lrs_answering_500_to_one_bad_statement_still_gets_the_others(lrs, monkeypatch):
    monkeypatch.setattr(lrs_client, "RETRY_DELAYS", (0.05,))
    good = _statement("https://docs.example.org/good")
    bad = _statement("https://docs.example.org/bad")
    bad["actor"]["mbox"] = "ada@example.org"  # Ralph 5.1 answers 500 to this, not 400
    client = LrsClient(lrs.endpoint, username=lrs.username, password=lrs.password)
    report = client.send([bad, good]).to_dict()
    assert report["sent"] == [good["id"]]
    assert report["failed"] == [{"statement_id": bad["id"], "reason": "500: Internal Server Error"}]
