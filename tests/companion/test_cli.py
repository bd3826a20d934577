"""The `inflow` command line: every command has an example in --help and does what it says."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

import companion as companion_module
from companion.cli import build_parser
from tests.support import make_capture

EXTENSION_ORIGIN = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"


def _inflow(*args: str, data_dir) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "companion.cli", *args, "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("command", sorted(build_parser()._subparsers._group_actions[0].choices))
def test_every_command_has_help_with_an_example(command):
    result = subprocess.run(
        [sys.executable, "-m", "companion.cli", command, "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "example" in result.stdout.lower()
    assert f"inflow {command}" in result.stdout


@pytest.mark.parametrize(
    "argv",
    [
        ["today", "--data-dir", "~/journal"],
        ["xapi", "--data-dir", "~/journal", "send"],
        ["xapi", "send", "--data-dir", "~/journal"],
        ["xapi", "private", "some-id", "--data-dir", "~/journal"],
    ],
)
def test_data_dir_is_an_expanded_path_wherever_it_is_given(argv, monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert build_parser().parse_args(argv).data_dir == tmp_path / "journal"


def test_token_prints_the_same_token_every_time(tmp_path):
    first = _inflow("token", data_dir=tmp_path).stdout.strip()
    assert len(first) >= 32
    assert _inflow("token", data_dir=tmp_path).stdout.strip() == first


def test_pair_url_gives_the_extension_the_token_once(companion_server):
    companion = companion_server(env={"INFLOW_EXTENSION_IDS": EXTENSION_ORIGIN.split("//")[1]})
    result = _inflow("pair", "--port", str(companion.port), data_dir=companion.data_dir)
    url = result.stdout.strip()
    assert url.startswith(f"http://127.0.0.1:{companion.port}/pair?code=")
    assert companion.token not in url
    code = parse_qs(urlsplit(url).query)["code"][0]
    pair = f"{companion.base_url}/api/v1/pair"
    web_page = httpx.post(pair, json={"code": code}, headers={"Origin": "https://evil.example"})
    assert web_page.status_code == 403
    own_page = httpx.post(pair, json={"code": code}, headers={"Origin": companion.base_url})
    assert own_page.status_code == 403  # the companion's own pages never hold the token
    extension = httpx.post(
        pair, json={"code": code}, headers={"Origin": EXTENSION_ORIGIN}, timeout=10
    )
    assert extension.status_code == 200, extension.text
    assert extension.json()["token"] == companion.token
    replay = httpx.post(pair, json={"code": code}, headers={"Origin": EXTENSION_ORIGIN})
    assert replay.status_code == 403
    assert replay.json()["error"]["code"] == "bad_pairing_code"
    assert httpx.get(url).status_code == 200  # the page itself opens without a token


def test_pair_uses_the_port_of_the_running_companion(companion_server):
    companion = companion_server()
    url = _inflow("pair", data_dir=companion.data_dir).stdout.strip()
    assert url.startswith(f"http://127.0.0.1:{companion.port}/pair?code=")


def test_today_prints_the_popups_data(companion_server):
    companion = companion_server(extra_args=["--no-worker"])
    with companion.client() as client:
        client.post("/api/v1/captures", json=make_capture(started_at="2026-11-24T09:00:00Z"))
        api_today = client.get("/api/v1/today", params={"day": "2026-11-24"}).json()
    result = _inflow("today", "--json", "--day", "2026-11-24", data_dir=companion.data_dir)
    assert json.loads(result.stdout) == api_today
    assert json.loads(result.stdout)["captures_total"] == 1
    text = _inflow("today", "--day", "2026-11-24", data_dir=companion.data_dir).stdout
    assert text.startswith("2026-11-24: 0 min learning, 0 of 1 visits")


def test_serve_also_accepts_an_extension_id_given_and_still_the_pinned_one(companion_server):
    store_id = "ponmlkjihgfedcbaponmlkjihgfedcba"
    companion = companion_server(extra_args=["--no-worker", "--extension-id", store_id])
    pinned = (Path(companion_module.__file__).parent / "EXTENSION_ID").read_text().strip()
    headers = {"Authorization": f"Bearer {companion.token}"}
    for allowed in (store_id, pinned):
        reply = httpx.get(
            f"{companion.base_url}/api/v1/status",
            headers={**headers, "Origin": f"chrome-extension://{allowed}"},
        )
        assert reply.status_code == 200, reply.text
    other = httpx.get(
        f"{companion.base_url}/api/v1/status",
        headers={**headers, "Origin": EXTENSION_ORIGIN},
    )
    assert other.status_code == 403


def test_serve_refuses_what_is_not_an_extension_id_before_starting(tmp_path):
    result = _inflow("serve", "--extension-id", "https://evil.example", data_dir=tmp_path)
    assert result.returncode == 2
    assert "--extension-id" in result.stderr and "https://evil.example" in result.stderr
    assert not (tmp_path / "journal.db").exists()


def test_building_the_parser_imports_no_journal():
    # `inflow serve` must keep the dataframe libraries out before anything imports sqlite_utils
    # (which imports them whenever they are installed): the parser alone imports no journal.
    script = """
import json, sys
from companion.cli import build_parser
build_parser()
print(json.dumps([name for name in ("sqlite_utils", "companion.journal") if name in sys.modules]))
"""
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == []


# A stand-in for pandas or numpy: leaves a mark, named after itself, when it is imported, and
# has a type of any name sqlite_utils asks for (`pd.Timestamp`, `np.int8`).
_MARKING_LIBRARY = """import os, pathlib
pathlib.Path(os.environ["INFLOW_TEST_MARKS"], __name__).touch()
def __getattr__(name):
    return type(name, (), {})
"""


def test_serve_keeps_the_dataframe_libraries_out_of_the_api_process(companion_server, tmp_path):
    libraries, marks = tmp_path / "libraries", tmp_path / "marks"
    marks.mkdir()
    for name in ("pandas", "numpy"):
        (libraries / name).mkdir(parents=True)
        (libraries / name / "__init__.py").write_text(_MARKING_LIBRARY)
    env = {"PYTHONPATH": str(libraries), "INFLOW_TEST_MARKS": str(marks)}
    # Where they are installed, sqlite_utils imports them…
    subprocess.run(
        [sys.executable, "-c", "import sqlite_utils"], env={**os.environ, **env}, check=True
    )
    assert sorted(mark.name for mark in marks.iterdir()) == ["numpy", "pandas"]
    for mark in marks.iterdir():
        mark.unlink()
    # …but not in the API process, which opened its journal with sqlite_utils
    companion = companion_server(extra_args=["--no-worker"], env=env)
    with companion.client() as client:
        assert client.post("/api/v1/captures", json=make_capture()).status_code == 202
    assert list(marks.iterdir()) == []
