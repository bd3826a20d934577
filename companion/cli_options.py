"""What several `inflow` commands share, each defined once: a command with its examples,
`--json` and the report's `--week`.

(`--data-dir`, which every command takes, is added by `companion.cli.build_parser` itself.)
"""

from __future__ import annotations

import argparse

__all__ = ["add_command", "add_json", "add_week"]


def add_command(
    sub: argparse._SubParsersAction, name: str, examples: list[str], **options
) -> argparse.ArgumentParser:
    """Add the command `name` to `sub` (with `options`: its `help`, `description`); its help
    ends with `examples`, one command line each, their line breaks kept."""
    heading = "Example:" if len(examples) == 1 else "Examples:"
    return sub.add_parser(
        name,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join([heading, *(f"  {example}" for example in examples)]),
        **options,
    )


def add_json(parser: argparse._ActionsContainer, what: str) -> None:
    """`--json` on `parser` (or a mutually exclusive group): print `what` ("the popup's data")
    as JSON."""
    parser.add_argument("--json", action="store_true", help=f"print {what} as JSON")


def add_week(parser: argparse.ArgumentParser) -> None:
    """`--week`: the ISO week a command reports on, `current` (this week) by default."""
    parser.add_argument("--week", default="current", help="ISO week like 2026-W49 (default: this)")
