"""`inflow`: the command line. Each command parses its arguments, calls one library function and
prints the result; errors become one line on stderr and a non-zero exit, never a traceback.

The service's own commands (`serve`, `token`, `pair`) live here; other groups of commands live
in modules of their own, each with a `register(subparsers)`, listed once in `COMMAND_MODULES`.
Those modules import the journal (and so sqlite_utils) inside their commands, never at the top:
building the parser opens nothing, and `serve` keeps pandas and numpy out of the API process
before its app imports the journal.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
import webbrowser
from pathlib import Path

from companion import __version__
from companion.cli_options import add_command
from companion.credentials import create_pairing_code, load_or_create_token
from companion.errors import InflowError
from companion.memory import keep_dataframe_libraries_out
from companion.service import companion_port, record_port
from companion.settings import Settings, default_data_dir, extension_id

__all__ = ["COMMAND_MODULES", "build_parser", "configure_logging", "main", "register"]

log = logging.getLogger("inflow.cli")

#: Modules that add commands to `inflow`, in the order `--help` lists them; each has a
#: `register(subparsers)`. A new group of commands is one more line here.
COMMAND_MODULES = (
    "companion.cli_reports",  # today, week, status
    "companion.cli_service",  # service install | uninstall | status
    "companion.cli_xapi",  # xapi config | export | send | private
    "companion.cli_search",  # search, export
    "nlp.cli",  # analyze
)


def configure_logging(level: str = "INFO") -> None:
    """Log to stderr; at the default level no URL, title, page text or token is ever logged."""
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True
    )


def cmd_serve(args: argparse.Namespace) -> int:
    # The long-running API process: before anything imports sqlite_utils (the app's journal), so
    # it finds no pandas or numpy. Building the parser imported no journal for this reason.
    keep_dataframe_libraries_out()
    import uvicorn

    from companion.app import create_app
    from companion.http_protocol import BoundedHttpToolsProtocol

    settings = Settings(
        data_dir=args.data_dir, port=args.port, host=args.host, run_worker=not args.no_worker
    )
    allowed = dict.fromkeys((*settings.extension_ids, *args.extension_id))
    settings = settings.with_(extension_ids=tuple(allowed))
    if settings.host not in ("127.0.0.1", "localhost", "::1"):
        log.warning("binding to %s: other machines may reach this port", settings.host)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        record_port(settings.data_dir, settings.port)
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
    print(load_or_create_token(args.data_dir))
    return 0


def cmd_pair(args: argparse.Namespace) -> int:
    load_or_create_token(args.data_dir)
    port = companion_port(args.data_dir, args.port)
    url = f"http://127.0.0.1:{port}/pair?code={create_pairing_code(args.data_dir)}"
    print(url)
    print(
        "Open this URL in the browser where Inflow is installed (valid once, 10 minutes).",
        file=sys.stderr,
    )
    if args.open:
        webbrowser.open(url)
    return 0


def register(sub) -> None:
    """Add the service's own commands: `serve`, `token`, `pair`."""
    serve = add_command(
        sub, "serve", ["inflow serve --port 8765"], help="run the companion service"
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=Settings.port, help="port (default 8765)")
    serve.add_argument("--no-worker", action="store_true", help="accept captures, process none")
    serve.add_argument(
        "--extension-id",
        action="append",
        default=[],
        type=extension_id,
        metavar="ID",
        help="also accept the extension with this id (32 letters a-p; a store install has "
        "its own; repeatable)",
    )
    serve.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    serve.set_defaults(func=cmd_serve)

    token = add_command(sub, "token", ["inflow token"], help="print the API token")
    token.set_defaults(func=cmd_token)

    pair = add_command(
        sub, "pair", ["inflow pair --open"], help="print a one-time URL that pairs the extension"
    )
    pair.add_argument("--port", type=int, help="the companion's port (default: the running one)")
    pair.add_argument("--open", action="store_true", help="open the URL in the default browser")
    pair.set_defaults(func=cmd_pair)


def _add_data_dir(parser: argparse.ArgumentParser, default: object) -> None:
    """Give `parser` and every subcommand under it (`inflow xapi send`) `--data-dir`.

    A subcommand's default is SUPPRESS, so it keeps the value given before it (`inflow xapi
    --data-dir D send`) or the command's default rather than overwriting it.
    """
    parser.add_argument(
        "--data-dir",
        type=lambda value: Path(value).expanduser(),
        default=default,
        help="folder of the journal and token (default: $INFLOW_DATA_DIR or your user data dir)",
    )
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in action.choices.values():
                _add_data_dir(command, argparse.SUPPRESS)


def build_parser() -> argparse.ArgumentParser:
    """The `inflow` argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="inflow",
        description="Inflow: a personal learning journal that fills itself.",
        epilog="Example: inflow serve   (then, in another terminal: inflow pair)",
    )
    parser.add_argument("--version", action="version", version=f"inflow {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    register(sub)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    for command in sub.choices.values():
        _add_data_dir(command, default_data_dir())
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
