"""`inflow xapi config`: who the user is, the LRS, the credentials (0600, never printed)."""

from __future__ import annotations

import io
import json
import stat

import pytest

from companion.cli import main
from companion.errors import BadRequest
from companion.xapi.config import load_config, make_actor, normalise_endpoint


def _config(capsys, data, *args, stdin: str | None = None, monkeypatch=None) -> tuple[int, str]:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    capsys.readouterr()
    code = main(["xapi", "config", *args, "--data-dir", str(data)])
    out, err = capsys.readouterr()
    return code, out + err


def test_the_config_file_is_private_and_the_password_is_never_printed(
    tmp_path, capsys, monkeypatch
):
    data = tmp_path / "data"
    code, printed = _config(
        capsys,
        data,
        "--name",
        "Ada",
        "--mbox",
        "mailto:ada@example.org",
        "--endpoint",
        "https://lrs.example.org/xapi/statements",
        "--username",
        "key",
        "--password-stdin",
        stdin="s3cret-pass\n",
        monkeypatch=monkeypatch,
    )
    assert code == 0 and "s3cret-pass" not in printed
    shown = json.loads(printed)
    assert shown["endpoint"] == "https://lrs.example.org/xapi/"
    assert (shown["password_set"], shown["actor"]["name"]) == (True, "Ada")
    assert stat.S_IMODE((data / "xapi.json").stat().st_mode) == 0o600
    assert load_config(data, environ={}).password == "s3cret-pass"
    # Changing the name keeps the rest; printing the config again shows no password either.
    code, printed = _config(capsys, data, "--name", "Ada L.")
    assert json.loads(printed)["actor"]["mbox"] == "mailto:ada@example.org"
    assert "s3cret-pass" not in printed


def test_the_environment_wins_over_the_file_and_is_never_saved(tmp_path, capsys, monkeypatch):
    data = tmp_path / "data"
    _config(capsys, data, "--mbox", "mailto:ada@example.org", "--username", "from-file")
    environ = {"INFLOW_XAPI_USERNAME": "from-env", "INFLOW_XAPI_PASSWORD": "env-secret"}
    assert load_config(data, environ=environ).username == "from-env"
    monkeypatch.setenv("INFLOW_XAPI_PASSWORD", "env-secret")
    _config(capsys, data, "--name", "Ada")
    assert "env-secret" not in (data / "xapi.json").read_text()


@pytest.mark.parametrize(
    "endpoint",
    ["ftp://lrs.example.org/", "https://user:pw@lrs.example.org/xapi/", "lrs.example.org"],
)
def test_an_endpoint_that_is_not_an_http_url_without_credentials_is_refused(endpoint):
    with pytest.raises(BadRequest):
        normalise_endpoint(endpoint)


def test_an_actor_needs_an_mbox_or_a_whole_account():
    assert make_actor(account_homepage="https://lms.example.org", account_name="ada")["account"]
    for bad in ({"name": "Ada"}, {"mbox": "ada@example.org"}, {"account_name": "ada"}):
        with pytest.raises(BadRequest):
            make_actor(**bad)


def test_export_without_an_actor_says_how_to_set_one(tmp_path, capsys):
    code = main(["xapi", "export", "--data-dir", str(tmp_path / "data")])
    assert code == 1
    assert "inflow xapi config --name NAME --mbox" in capsys.readouterr().err
    assert not (tmp_path / "data" / "journal.db").exists()  # a read command creates no journal
