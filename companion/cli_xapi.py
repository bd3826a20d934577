"""`inflow xapi …`: share the learning record with an LRS, only when asked.

- `inflow xapi config` — who the statements are about, the LRS and its credentials (0600 file);
- `inflow xapi export [--week W]` — what sharing the week would send, as one JSON array;
- `inflow xapi send [--endpoint URL] [--username U --password P] [--week W]` — send it;
- `inflow xapi private CAPTURE_ID… [--undo]` — keep captures from ever being sent.

Each command parses its arguments, calls one `companion.xapi` function and prints the result;
errors reach `cli.main`, which prints one line and exits non-zero. The password is never printed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from companion.cli_options import add_command, add_week

__all__ = ["register"]


def cmd_config(args: argparse.Namespace) -> int:
    from companion.xapi.config import load_config, make_actor, normalise_endpoint, save_config

    config = load_config(args.data_dir, environ={})  # the file alone: never save the environment
    actor = config.actor
    if args.mbox or args.account_name or args.account_homepage:
        actor = make_actor(
            name=args.name or (actor or {}).get("name"),
            mbox=args.mbox,
            account_name=args.account_name,
            account_homepage=args.account_homepage,
        )
    elif args.name:
        actor = actor | {"name": args.name} if actor else make_actor(name=args.name)
    password = sys.stdin.readline().rstrip("\r\n") if args.password_stdin else None
    changed = config.with_(
        actor=actor,
        endpoint=normalise_endpoint(args.endpoint) if args.endpoint else None,
        username=args.username,
        password=password,
    )
    if changed != config:
        save_config(args.data_dir, changed)
    print(json.dumps(changed.describe(), ensure_ascii=False, indent=2))
    return 0


def _config(args: argparse.Namespace):
    from companion.xapi.config import load_config, normalise_endpoint

    return load_config(args.data_dir).with_(
        endpoint=normalise_endpoint(args.endpoint) if getattr(args, "endpoint", None) else None,
        username=getattr(args, "username", None),
        password=getattr(args, "password", None),
    )


def _open_journal(data_dir: Path):
    from companion.journal import Journal
    from companion.settings import Settings

    return Journal(Settings(data_dir=data_dir).db_path)


def cmd_export(args: argparse.Namespace) -> int:
    from companion.journal.week import parse_iso_week
    from companion.settings import Settings
    from companion.xapi.share import require_actor, week_statements

    config = _config(args)
    if not Settings(data_dir=args.data_dir).db_path.exists():  # never create one to read
        require_actor(config)
        parse_iso_week(args.week)
        statements = []
    else:
        journal = _open_journal(args.data_dir)
        try:
            statements = week_statements(journal, args.week, config)
        finally:
            journal.close()
    print(json.dumps(statements, ensure_ascii=False, indent=2))
    return 0


def cmd_send(args: argparse.Namespace) -> int:
    from companion.xapi.share import send_week

    config = _config(args)
    journal = _open_journal(args.data_dir)
    try:
        report = send_week(journal, args.week, config)
    finally:
        journal.close()
    print(
        f"{report['endpoint']}: {len(report['sent'])} sent, "
        f"{len(report['already_there'])} already there, {len(report['failed'])} failed"
        + (
            f" ({len(report['skipped'])} shared earlier, not sent again)"
            if report["skipped"]
            else ""
        )
    )
    for failure in report["failed"]:
        print(f"failed {failure['statement_id']}: {failure['reason']}", file=sys.stderr)
    return 1 if report["failed"] else 0


def cmd_private(args: argparse.Namespace) -> int:
    from companion.journal.xapi import clear_private, mark_private

    journal = _open_journal(args.data_dir)
    try:
        for capture_id in args.capture_ids:
            (clear_private if args.undo else mark_private)(journal, capture_id)
    finally:
        journal.close()
    state = "may be shared again" if args.undo else "marked private: never sent"
    print(f"{len(args.capture_ids)} capture(s) {state}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add `xapi config|export|send` to the `inflow` command's subparsers."""
    xapi = add_command(
        sub,
        "xapi",
        [
            "inflow xapi config --name 'Ada L.' --mbox mailto:ada@example.org",
            "inflow xapi export --week 2026-W49",
            "inflow xapi send --endpoint https://lrs.example.org/xapi/ --username key "
            "--password secret",
        ],
        help="share your learning record with an LRS (xAPI), only when you ask",
    )
    commands = xapi.add_subparsers(dest="xapi_command", required=True, metavar="COMMAND")

    config = commands.add_parser(
        "config",
        help="who the statements are about, and the LRS to send them to",
        description="Saved in xapi.json in the data folder, readable by you only. "
        "Without options: print the configuration (never the password).",
    )
    config.add_argument("--name", help="your name as the LRS shows it")
    config.add_argument("--mbox", help="your email as mailto:you@example.org")
    config.add_argument("--account-homepage", help="or an account: the system's home page URL")
    config.add_argument("--account-name", help="and your user name on it")
    config.add_argument("--endpoint", help="the LRS's xAPI endpoint (base URL)")
    config.add_argument("--username", help="the LRS user or key")
    config.add_argument(
        "--password-stdin", action="store_true", help="read the LRS password or secret from stdin"
    )
    config.set_defaults(func=cmd_config)

    export = commands.add_parser(
        "export",
        help="print what sharing the week would send (a JSON array of xAPI statements)",
        description="Learning captures of the week, except those marked private.",
    )
    add_week(export)
    export.set_defaults(func=cmd_export)

    send = commands.add_parser(
        "send",
        help="send the week's statements to an LRS and record what it holds",
        description="Credentials: these flags, else INFLOW_XAPI_USERNAME/INFLOW_XAPI_PASSWORD, "
        "else `inflow xapi config`. Exits non-zero when any statement failed.",
    )
    send.add_argument("--endpoint", help="the LRS's xAPI endpoint (default: the configured one)")
    send.add_argument("--username", help="the LRS user or key")
    send.add_argument("--password", help="the LRS password or secret")
    add_week(send)
    send.set_defaults(func=cmd_send)

    private = commands.add_parser(
        "private",
        help="mark captures private: they never leave (the ids: inflow week --json, GET /captures)",
    )
    private.add_argument("capture_ids", nargs="+", metavar="CAPTURE_ID")
    private.add_argument("--undo", action="store_true", help="let them be shared again")
    private.set_defaults(func=cmd_private)
