"""`inflow service install [--dry-run] | uninstall | status`: start the companion at login.

A systemd user unit on Linux, a launchd agent on macOS (`companion.service` writes them).
"""

from __future__ import annotations

import argparse
import sys

from companion.cli_options import add_command
from companion.errors import BadRequest
from companion.service import autostart_for, companion_port, probe, serve_command
from companion.settings import allowed_extension_ids, extension_id, pinned_extension_id

__all__ = ["register"]


def _extra_extension_ids(args: argparse.Namespace) -> list[str]:
    """The extension ids the service must accept besides the pinned one: `--extension-id`, and
    those of `INFLOW_EXTENSION_IDS` (a login session does not have this shell's environment)."""
    ids = [*args.extension_id, *allowed_extension_ids()]
    return [i for i in dict.fromkeys(ids) if i != pinned_extension_id()]


def cmd_service(args: argparse.Namespace) -> int:
    autostart = autostart_for()
    if args.dry_run and args.action != "install":
        raise BadRequest("--dry-run goes with `inflow service install`")
    if args.action == "install":
        command = serve_command(args.data_dir, args.port, _extra_extension_ids(args))
        if args.dry_run:
            print(f"would write {autostart.path}:", file=sys.stderr)
            print(autostart.render(command), end="")
            return 0
        autostart.install(command)
        print(f"installed {autostart.path}: the companion starts now and at every login")
        return 0
    if args.action == "uninstall":
        removed = autostart.uninstall()
        print(f"removed {autostart.path}" if removed else f"nothing to remove at {autostart.path}")
        return 0
    state = autostart.state()
    port = companion_port(args.data_dir, args.port)
    answer = probe(args.data_dir, port)
    print(f"installed: {'yes, ' + str(autostart.path) if state.installed else 'no'}")
    print(f"enabled:   {state.enabled}")
    print(f"running:   {state.running}")
    answering = "yes" if answer.answering else f"no ({answer.problem})"
    print(f"answering: {answering} at http://127.0.0.1:{port}")
    return 0


def register(sub) -> None:
    """Add `service`."""
    service = add_command(
        sub,
        "service",
        ["inflow service install --dry-run", "inflow service install", "inflow service status"],
        help="start the companion at login (systemd user unit or launchd agent)",
        description="install: write the autostart entry for this install's `inflow serve` and "
        "start it; --dry-run prints it instead. uninstall: stop and remove it. status: is it "
        "installed, enabled, running, and does the companion answer.",
    )
    service.add_argument("action", choices=["install", "uninstall", "status"])
    service.add_argument("--dry-run", action="store_true", help="print the entry, change nothing")
    service.add_argument(
        "--port", type=int, help="the companion's port (install: serve on it, default 8765)"
    )
    service.add_argument(
        "--extension-id",
        action="append",
        default=[],
        type=extension_id,
        metavar="ID",
        help="install: the companion also accepts the extension with this id (repeatable)",
    )
    service.set_defaults(func=cmd_service)
