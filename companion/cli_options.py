"""Options several `inflow` commands share, each defined once: `--json` and the report's `--week`.

(`--data-dir`, which every command takes, is added by `companion.cli.build_parser` itself.)
"""

from __future__ import annotations

import argparse

__all__ = ["add_json", "add_week"]


def add_json(parser: argparse._ActionsContainer, what: str) -> None:
    """`--json` on `parser` (or a mutually exclusive group): print `what` ("the popup's data")
    as JSON."""
    parser.add_argument("--json", action="store_true", help=f"print {what} as JSON")


def add_week(parser: argparse.ArgumentParser) -> None:
    """`--week`: the ISO week a command reports on, `current` (this week) by default."""
    parser.add_argument("--week", default="current", help="ISO week like 2026-W49 (default: this)")
