"""`inflow`: the command line. Each command parses its arguments, calls one library function and
prints the result; errors become one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import webbrowser
from datetime import date
from pathlib import Path

from companion import __version__
from companion.credentials import create_pairing_code, load_or_create_token
from companion.errors import InflowError
from companion.settings import Settings, default_data_dir

__all__ = ["build_parser", "configure_logging", "main"]

log = logging.getLogger("inflow.cli")


def configure_logging(level: str = "INFO") -> None:
    """Log to stderr; at the default level no URL, title, page text or token is ever logged."""
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True
    )


def _settings(args: argparse.Namespace, **extra) -> Settings:
    fields = {"data_dir": Path(args.data_dir).expanduser()}
    if getattr(args, "port", None):
        fields["port"] = args.port
    return Settings(**fields, **extra)


def _running_port(data_dir: Path) -> int | None:
    try:
        return json.loads((data_dir / "companion.json").read_text())["port"]
    except (OSError, ValueError, KeyError):
        return None


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from companion.app import create_app
    from companion.http_protocol import BoundedHttpToolsProtocol

    settings = _settings(args, host=args.host, run_worker=not args.no_worker)
    if settings.host not in ("127.0.0.1", "localhost", "::1"):
        log.warning("binding to %s: other machines may reach this port", settings.host)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        (settings.data_dir / "companion.json").write_text(json.dumps({"port": settings.port}))
    except OSError as exc:  # a read-only data dir: serve anyway, the API answers 503 on writes
        log.warning("cannot record the port in the data folder: %s", exc.strerror)
    log.info("journal: %s", settings.db_path)
    log.info("listening on http://127.0.0.1:%d (pair the extension: inflow pair)", settings.port)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        access_log=False,
        log_level=args.log_level.lower(),
        http=BoundedHttpToolsProtocol,
    )
    return 0


def cmd_token(args: argparse.Namespace) -> int:
    print(load_or_create_token(Path(args.data_dir).expanduser()))
    return 0


def cmd_pair(args: argparse.Namespace) -> int:
    data_dir = Path(args.data_dir).expanduser()
    load_or_create_token(data_dir)
    port = args.port or _running_port(data_dir) or Settings.port
    url = f"http://127.0.0.1:{port}/pair?code={create_pairing_code(data_dir)}"
    print(url)
    print(
        "Open this URL in the browser where Inflow is installed (valid once, 10 minutes).",
        file=sys.stderr,
    )
    if args.open:
        webbrowser.open(url)
    return 0


def cmd_today(args: argparse.Namespace) -> int:
    from companion.journal import Journal
    from companion.journal.today import today_summary

    settings = _settings(args)
    journal = Journal(settings.db_path)
    try:
        summary = today_summary(journal, (args.day or date.today()).isoformat())
    finally:
        journal.close()
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return 0
    print(
        f"{summary['day']}: {summary['minutes_learning']:g} min learning, "
        f"{summary['learning_total']} of {summary['captures_total']} visits"
    )
    for item in summary["items"]:
        tags = item["learning"] or {}
        concepts = ", ".join(c["text"] for c in item.get("concepts", [])[:3])
        visits = f", {item['visits']} visits" if item["visits"] > 1 else ""
        print(
            f"- {item['title'] or item['url']}  [{round(item['seconds'] / 60)} min{visits}, "
            f"{tags.get('source_kind')}, {tags.get('form')}]"
            + (f"  ({concepts})" if concepts else "")
        )
    if summary["top_concepts"]:
        print("Top concepts: " + ", ".join(c["text"] for c in summary["top_concepts"]))
    for question in summary["questions"]:
        print(f"? {question['query']}")
    return 0


def cmd_week(args: argparse.Namespace) -> int:
    from companion.journal import Journal
    from companion.journal.week import week_summary
    from companion.week_markdown import week_markdown

    settings = _settings(args)
    journal = Journal(settings.db_path)
    try:
        summary = week_summary(journal, args.week, show_all=args.all)
    finally:
        journal.close()
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return 0
    if args.markdown:
        print(week_markdown(summary), end="")
        return 0
    totals = summary["totals"]
    print(
        f"{summary['week']} ({summary['start']} – {summary['end']}): "
        f"{totals['minutes_learning']:g} min learning, {totals['learning_items']} items, "
        f"{totals['days_with_learning']} days, streak {summary['streak']['current']} days"
    )
    print("  " + "  ".join(f"{d['weekday']} {d['minutes_learning']:g}" for d in summary["days"]))
    if summary["message"]:
        print(f"{summary['message']['title']}. {summary['message']['suggestion']}")
    for thread in summary["threads"]["items"]:
        print(
            f"- {thread['label']}: {thread['minutes']:g} min, {thread['span']} ({thread['status']})"
        )
    for question in summary["questions"]["items"]:
        print(f"? {question['query']}")
    return 0


def _add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        default=str(default_data_dir()),
        help="folder of the journal and token (default: $INFLOW_DATA_DIR or your user data dir)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The `inflow` argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="inflow",
        description="Inflow: a personal learning journal that fills itself.",
        epilog="Example: inflow serve   (then, in another terminal: inflow pair)",
    )
    parser.add_argument("--version", action="version", version=f"inflow {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    fmt = argparse.RawDescriptionHelpFormatter

    serve = sub.add_parser(
        "serve",
        help="run the companion service",
        formatter_class=fmt,
        epilog="Example:\n  inflow serve --port 8765",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    serve.add_argument("--no-worker", action="store_true", help="accept captures, process none")
    serve.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    serve.set_defaults(func=cmd_serve)

    token = sub.add_parser(
        "token", help="print the API token", formatter_class=fmt, epilog="Example:\n  inflow token"
    )
    token.set_defaults(func=cmd_token)

    pair = sub.add_parser(
        "pair",
        help="print a one-time URL that pairs the extension",
        formatter_class=fmt,
        epilog="Example:\n  inflow pair --open",
    )
    pair.add_argument("--port", type=int, help="the companion's port (default: the running one)")
    pair.add_argument("--open", action="store_true", help="open the URL in the default browser")
    pair.set_defaults(func=cmd_pair)

    today = sub.add_parser(
        "today",
        help="what you learned today",
        formatter_class=fmt,
        epilog="Example:\n  inflow today --json",
    )
    today.add_argument("--json", action="store_true", help="print the popup's data as JSON")
    today.add_argument("--day", type=date.fromisoformat, help="another day (YYYY-MM-DD)")
    today.set_defaults(func=cmd_today)

    week = sub.add_parser(
        "week",
        help="your learning week: threads, questions, trend, reflections",
        formatter_class=fmt,
        epilog="Examples:\n  inflow week\n  inflow week --markdown --week 2026-W48 > week.md",
    )
    shape = week.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="print the weekly page's data as JSON")
    shape.add_argument("--markdown", action="store_true", help="print the Markdown export")
    week.add_argument("--week", default="current", help="ISO week like 2026-W48 (default: this)")
    week.add_argument("--all", action="store_true", help="every item of every list, not the top")
    week.set_defaults(func=cmd_week)

    try:
        from nlp.cli import register as register_analyze
    except ImportError:  # nlp is part of this package; absent only in a broken install
        register_analyze = None
    if register_analyze:
        register_analyze(sub)
    from companion.cli_xapi import register as register_xapi

    register_xapi(sub)

    for command in sub.choices.values():
        _add_data_dir(command)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the `inflow` command line; return the exit code."""
    configure_logging()
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except InflowError as err:
        print(f"inflow: {err.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `inflow week | head`: the reader left, nothing to report
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
