"""The companion as a service of the user's session: is it answering, and autostart at login.

Autostart is a systemd *user* unit on Linux and a launchd agent on macOS. Both run the absolute
path of this install's `inflow serve` with an absolute data folder, and restart it only when it
fails. Nothing here needs root: the files live in the user's own folders.
"""

from __future__ import annotations

import json
import os
import plistlib
import shlex
import subprocess
import sys
import sysconfig
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from companion.errors import InflowError
from companion.settings import Settings

__all__ = [
    "LAUNCHD_LABEL",
    "SYSTEMD_UNIT",
    "Autostart",
    "AutostartState",
    "LaunchdAgent",
    "Probe",
    "SystemdUserUnit",
    "autostart_for",
    "companion_port",
    "probe",
    "record_port",
    "running_port",
    "serve_command",
]

SYSTEMD_UNIT = "inflow.service"
LAUNCHD_LABEL = "local.inflow.companion"  # `local.`: a label of the user's own, no domain claimed
_PORT_FILE = "companion.json"  # where `inflow serve` records its port, for the other commands
_PROBE_TIMEOUT_S = 2.0
_RESTART_DELAY_S = 5  # systemd waits this long before restarting a failed companion
_STOP_TIMEOUT_S = 30  # the worker gets 10 s to finish its batch, the journal closes after it
_MANAGER_TIMEOUT_S = 30  # a systemctl or launchctl call


def record_port(data_dir: Path, port: int) -> None:
    """Note the port `inflow serve` listens on, so `inflow pair` and `status` find it."""
    (data_dir / _PORT_FILE).write_text(json.dumps({"port": port}))


def running_port(data_dir: Path) -> int | None:
    """The port the companion of `data_dir` last listened on, or None if it never ran."""
    try:
        return int(json.loads((data_dir / _PORT_FILE).read_text())["port"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def companion_port(data_dir: Path, given: int | None = None) -> int:
    """The port to reach `data_dir`'s companion on: `given`, else the running one, else 8765."""
    return given or running_port(data_dir) or Settings.port


@dataclass(frozen=True)
class Probe:
    """What a companion said when asked for its status (not `answering`: silence or a refusal)."""

    port: int
    answering: bool
    status: dict | None = None
    problem: str | None = None


def probe(data_dir: Path, port: int) -> Probe:
    """Ask the companion on 127.0.0.1:`port` for `/api/v1/status` with `data_dir`'s token."""
    try:
        token = (data_dir / "token").read_text().strip()
    except OSError:
        token = ""  # never made: any companion answering on that port serves another journal
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/status", headers={"Authorization": f"Bearer {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=_PROBE_TIMEOUT_S) as reply:
            return Probe(port, True, status=json.loads(reply.read()))
    except urllib.error.HTTPError as err:
        if err.code == 401:
            problem = "a companion answers there, but for another data folder (wrong token)"
        else:
            problem = f"it answered {err.code}"
        return Probe(port, False, problem=problem)
    except (urllib.error.URLError, OSError, ValueError) as err:
        reason = getattr(err, "reason", err)
        return Probe(port, False, problem=f"nothing answers ({reason})")


def serve_command(
    data_dir: Path, port: int | None = None, extension_ids: Sequence[str] = ()
) -> list[str]:
    """The absolute command line that starts this install's companion on `data_dir`, on `port`
    if given, also accepting the extensions `extension_ids` (besides the pinned one)."""
    script = Path(sysconfig.get_path("scripts")) / "inflow"
    program = [str(script)] if script.is_file() else [sys.executable, "-m", "companion.cli"]
    command = [*program, "serve", "--data-dir", str(data_dir.expanduser().absolute())]
    command += ["--port", str(port)] if port else []
    return command + [word for i in extension_ids for word in ("--extension-id", i)]


@dataclass(frozen=True)
class AutostartState:
    """Whether the autostart entry exists, and what the service manager says of it."""

    installed: bool
    enabled: str  # the manager's own word: "enabled", "disabled", "loaded", or why unknown
    running: str


class Autostart:
    """One platform's autostart entry: render it, install it, remove it, describe it."""

    path: Path

    def render(self, command: list[str]) -> str:
        """The entry's file content for `command`."""
        raise NotImplementedError

    def install(self, command: list[str]) -> None:
        """Write the entry and ask the service manager to start it now and at every login.

        Raises `InflowError` when the manager refuses (the file stays, the message says why).
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(self.render(command))
        for step in self._reset_steps():  # a reinstall replaces the running companion
            _manage(step, check=False)
        for step in self._install_steps():
            _manage(step, then=f"the file is at {self.path}; run `{shlex.join(step)}` yourself")

    def uninstall(self) -> bool:
        """Stop the service and remove the entry; return whether there was one."""
        if not self.path.exists():
            return False
        for step in self._uninstall_steps():
            _manage(step, check=False)
        self.path.unlink()
        return True

    def state(self) -> AutostartState:
        """Is it installed, enabled, running (as far as the service manager can tell)."""
        raise NotImplementedError

    def _reset_steps(self) -> list[list[str]]:
        return []

    def _install_steps(self) -> list[list[str]]:
        raise NotImplementedError

    def _uninstall_steps(self) -> list[list[str]]:
        raise NotImplementedError


class SystemdUserUnit(Autostart):
    """A systemd user unit, `~/.config/systemd/user/inflow.service` (Linux)."""

    def __init__(self, config_home: Path):
        self.path = config_home / "systemd" / "user" / SYSTEMD_UNIT

    def render(self, command: list[str]) -> str:
        exec_start = " ".join(_systemd_word(word) for word in command)
        return (
            "[Unit]\n"
            "Description=Inflow companion: the local service of your learning journal\n"
            "\n"
            "[Service]\n"
            "Type=exec\n"
            f"ExecStart={exec_start}\n"
            "Restart=on-failure\n"
            f"RestartSec={_RESTART_DELAY_S}\n"
            "# SIGTERM to the companion alone: it stops its worker and closes the journal.\n"
            "KillMode=mixed\n"
            f"TimeoutStopSec={_STOP_TIMEOUT_S}\n"
            "\n"
            "[Install]\n"
            "WantedBy=default.target\n"
        )

    def state(self) -> AutostartState:
        return AutostartState(
            installed=self.path.exists(),
            enabled=_ask(["systemctl", "--user", "is-enabled", SYSTEMD_UNIT]),
            running=_ask(["systemctl", "--user", "is-active", SYSTEMD_UNIT]),
        )

    def _install_steps(self) -> list[list[str]]:
        return [
            ["systemctl", "--user", "daemon-reload"],
            ["systemctl", "--user", "enable", SYSTEMD_UNIT],
            ["systemctl", "--user", "restart", SYSTEMD_UNIT],  # starts it, or runs the new unit
        ]

    def _uninstall_steps(self) -> list[list[str]]:
        return [["systemctl", "--user", "disable", "--now", SYSTEMD_UNIT]]


class LaunchdAgent(Autostart):
    """A launchd agent, `~/Library/LaunchAgents/local.inflow.companion.plist` (macOS)."""

    def __init__(self, home: Path):
        self.path = home / "Library" / "LaunchAgents" / f"{LAUNCHD_LABEL}.plist"
        self.log_path = home / "Library" / "Logs" / "inflow.log"
        self._domain = f"gui/{os.getuid()}"

    def render(self, command: list[str]) -> str:
        agent = {
            "Label": LAUNCHD_LABEL,
            "ProgramArguments": command,
            "RunAtLoad": True,
            "KeepAlive": {"SuccessfulExit": False},  # restart after a failure, not a clean stop
            "ThrottleInterval": _RESTART_DELAY_S,
            "ExitTimeOut": _STOP_TIMEOUT_S,
            "ProcessType": "Background",
            "StandardOutPath": str(self.log_path),
            "StandardErrorPath": str(self.log_path),
        }
        return plistlib.dumps(agent).decode()

    def state(self) -> AutostartState:
        code, out, _ = _run(["launchctl", "print", f"{self._domain}/{LAUNCHD_LABEL}"])
        return AutostartState(
            installed=self.path.exists(),
            enabled="loaded" if code == 0 else "not loaded",
            running="running" if "state = running" in out else "not running",
        )

    def _reset_steps(self) -> list[list[str]]:
        return self._uninstall_steps()  # bootstrap refuses an agent that is already loaded

    def _install_steps(self) -> list[list[str]]:
        return [["launchctl", "bootstrap", self._domain, str(self.path)]]

    def _uninstall_steps(self) -> list[list[str]]:
        return [["launchctl", "bootout", f"{self._domain}/{LAUNCHD_LABEL}"]]


def autostart_for(platform: str | None = None, home: Path | None = None) -> Autostart:
    """The autostart entry of `platform` (default: this one). Raises `InflowError` elsewhere."""
    platform = platform or sys.platform
    home = home or Path.home()
    if platform.startswith("linux"):
        config_home = os.environ.get("XDG_CONFIG_HOME") or home / ".config"
        return SystemdUserUnit(Path(config_home))
    if platform == "darwin":
        return LaunchdAgent(home)
    raise InflowError(
        f"autostart is supported on Linux (systemd) and macOS (launchd), not on {platform}"
    )


def _systemd_word(word: str) -> str:
    """One word of a unit's command line, quoted for systemd (spaces, quotes, `%`, `$`)."""
    if word and not any(ch in word for ch in " \t\n\"'\\;"):
        quoted = word
    else:
        quoted = '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return quoted.replace("%", "%%").replace("$", "$$")


def _run(command: list[str]) -> tuple[int, str, str]:
    """Run a service manager's command: (exit code, stdout, stderr); 127 if it is missing."""
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=_MANAGER_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        return 127, "", str(err)
    return result.returncode, result.stdout.strip(), result.stderr.strip()


def _manage(step: list[str], *, check: bool = True, then: str = "") -> None:
    """Run one systemctl/launchctl step; raise `InflowError` (saying `then`) if it fails."""
    code, _, err = _run(step)
    if code and check:
        reason = err.splitlines()[0] if err else f"exit {code}"
        raise InflowError(f"`{shlex.join(step)}` failed: {reason}; {then}")


def _ask(question: list[str]) -> str:
    """A service manager's one-line answer, or why there is none."""
    code, out, err = _run(question)
    if out:
        return out.splitlines()[0]
    return f"unknown ({err.splitlines()[0] if err else f'exit {code}'})"
