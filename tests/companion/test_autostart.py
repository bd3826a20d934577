"""`inflow service`: a systemd user unit (checked by systemd-analyze) and a launchd agent (plist).

No user service manager runs here (a container has no systemd session), and none should be
changed on a developer's machine by a test: install and uninstall talk to a stand-in
`systemctl` on PATH that records its arguments. The unit itself is verified by the real
`systemd-analyze verify --user`.
"""

from __future__ import annotations

import os
import plistlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from companion.cli import build_parser
from companion.errors import InflowError
from companion.service import LAUNCHD_LABEL, LaunchdAgent, autostart_for, serve_command

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="runs on Linux")

#: A data folder with a space and systemd's specifier character: the unit must quote both.
AWKWARD_NAME = "my journal 100%"


def _inflow(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "companion.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
    )


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    """A home of the test's own: the unit goes to $XDG_CONFIG_HOME/systemd/user."""
    return {"HOME": str(tmp_path / "home"), "XDG_CONFIG_HOME": str(tmp_path / "config")}


def _fake_systemctl(tmp_path: Path, *, fails_with: str = "") -> tuple[dict[str, str], Path]:
    """A `systemctl` that logs its arguments (and fails like one without a user bus)."""
    bin_dir, log = tmp_path / "bin", tmp_path / "systemctl.log"
    bin_dir.mkdir()
    script = bin_dir / "systemctl"
    if fails_with:
        body = f'echo "$@" >> {log}\necho "{fails_with}" >&2\nexit 1\n'
    else:
        body = (
            f'echo "$@" >> {log}\n'
            'case "$2" in is-enabled) echo enabled;; is-active) echo active;; esac\n'
        )
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(0o755)
    return {"PATH": f"{bin_dir}:{os.environ['PATH']}"}, log


def test_the_dry_run_unit_passes_systemd_analyze_verify_and_installs_nothing(tmp_path, home):
    data_dir = tmp_path / AWKWARD_NAME
    result = _inflow("service", "install", "--dry-run", "--data-dir", str(data_dir), env=home)
    assert result.returncode == 0, result.stderr
    unit_path = Path(home["XDG_CONFIG_HOME"]) / "systemd" / "user" / "inflow.service"
    assert f"would write {unit_path}" in result.stderr
    assert not unit_path.exists() and not data_dir.exists()

    unit = tmp_path / "inflow.service"
    unit.write_text(result.stdout)
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is missing: `make browsers` installs Debian's systemd"
    verify = subprocess.run(
        [analyze, "verify", "--user", str(unit)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **home, "XDG_RUNTIME_DIR": str(runtime)},
    )
    assert verify.returncode == 0, verify.stderr
    assert verify.stderr == "", verify.stderr  # a bad setting is only a warning: none allowed

    lines = result.stdout.splitlines()
    (exec_start,) = [line for line in lines if line.startswith("ExecStart=")]
    program = exec_start.removeprefix("ExecStart=").split(" ")[0]
    assert Path(program).is_absolute() and os.access(program, os.X_OK)
    assert f'serve --data-dir "{tmp_path}/my journal 100%%"' in exec_start
    assert "Restart=on-failure" in lines
    assert "WantedBy=default.target" in lines


def test_install_enables_the_unit_and_uninstall_removes_it(tmp_path, home):
    path_env, log = _fake_systemctl(tmp_path)
    env = {**home, **path_env}
    data_dir = tmp_path / "data"
    installed = _inflow("service", "install", "--data-dir", str(data_dir), env=env)
    assert installed.returncode == 0, installed.stderr
    unit_path = Path(home["XDG_CONFIG_HOME"]) / "systemd" / "user" / "inflow.service"
    assert f"ExecStart={serve_command(data_dir)[0]} serve --data-dir {data_dir}" in (
        unit_path.read_text()
    )
    assert log.read_text().splitlines() == [
        "--user daemon-reload",
        "--user enable inflow.service",
        "--user restart inflow.service",
    ]

    status = _inflow("service", "status", "--port", "9", "--data-dir", str(data_dir), env=env)
    assert status.returncode == 0, status.stderr
    assert f"installed: yes, {unit_path}" in status.stdout
    assert "enabled:   enabled" in status.stdout
    assert "running:   active" in status.stdout
    assert "answering: no (nothing answers" in status.stdout

    removed = _inflow("service", "uninstall", env=env)
    assert removed.returncode == 0, removed.stderr
    assert not unit_path.exists()
    assert log.read_text().splitlines()[-1] == "--user disable --now inflow.service"
    again = _inflow("service", "uninstall", env=env)
    assert again.returncode == 0 and "nothing to remove" in again.stdout


def test_without_a_user_service_manager_install_keeps_the_unit_and_says_what_to_run(tmp_path, home):
    path_env, _ = _fake_systemctl(tmp_path, fails_with="Failed to connect to bus: No medium found")
    result = _inflow(
        "service", "install", "--data-dir", str(tmp_path / "data"), env=home | path_env
    )
    assert result.returncode == 1
    assert "`systemctl --user daemon-reload` failed: Failed to connect to bus" in result.stderr
    assert "Traceback" not in result.stderr
    unit_path = Path(home["XDG_CONFIG_HOME"]) / "systemd" / "user" / "inflow.service"
    assert unit_path.is_file()
    assert f"the file is at {unit_path}" in result.stderr


def test_service_status_says_when_the_companion_answers(companion_server, tmp_path, home):
    companion = companion_server(extra_args=["--no-worker"])
    path_env, _ = _fake_systemctl(tmp_path)
    result = _inflow(
        "service", "status", "--data-dir", str(companion.data_dir), env=home | path_env
    )
    assert result.returncode == 0, result.stderr
    assert "installed: no" in result.stdout
    assert f"answering: yes at {companion.base_url}" in result.stdout


def test_the_launchd_agent_runs_serve_at_login_and_restarts_it_after_a_failure(tmp_path):
    agent = autostart_for("darwin", home=tmp_path)
    assert isinstance(agent, LaunchdAgent)
    assert agent.path == tmp_path / "Library" / "LaunchAgents" / f"{LAUNCHD_LABEL}.plist"
    data_dir = tmp_path / AWKWARD_NAME
    plist = plistlib.loads(agent.render(serve_command(data_dir, 9000)).encode())
    assert plist["Label"] == LAUNCHD_LABEL
    program, *arguments = plist["ProgramArguments"]
    assert Path(program).is_absolute() and os.access(program, os.X_OK)
    assert arguments[-5:] == ["serve", "--data-dir", str(data_dir), "--port", "9000"]
    assert plist["RunAtLoad"] is True
    assert plist["KeepAlive"] == {"SuccessfulExit": False}
    assert Path(plist["StandardErrorPath"]).is_relative_to(tmp_path / "Library" / "Logs")


def test_other_platforms_hear_that_autostart_is_for_linux_and_macos():
    with pytest.raises(InflowError, match="Linux \\(systemd\\) and macOS \\(launchd\\)"):
        autostart_for("win32")


def test_the_unit_carries_the_extension_ids_the_companion_must_also_accept(tmp_path, home):
    store_id, env_id = "ponmlkjihgfedcbaponmlkjihgfedcba", "abcdefghijklmnopabcdefghijklmnop"
    data_dir = tmp_path / "data"
    env = {**home, "INFLOW_EXTENSION_IDS": env_id}  # this shell's; a login session lacks it
    args = ("service", "install", "--dry-run", "--extension-id", store_id)
    result = _inflow(*args, "--data-dir", str(data_dir), env=env)
    assert result.returncode == 0, result.stderr
    (exec_start,) = [line for line in result.stdout.splitlines() if "ExecStart=" in line]
    assert exec_start.endswith(f"--extension-id {store_id} --extension-id {env_id}")

    parsed = build_parser().parse_args(exec_start.split(" ", 1)[1].split(" "))
    assert parsed.extension_id == [store_id, env_id]
