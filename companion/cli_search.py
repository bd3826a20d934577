"""`inflow search` and `inflow export`: find what you read, and take the journal with you.

Both open the journal read-only (`ReadOnlyJournal`): they run beside the companion, and a
missing journal is a clear error rather than an empty one made on the spot. The journal is
imported inside the commands (see `companion.cli`).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from companion.cli_options import add_command, add_json
from companion.settings import Settings

if TYPE_CHECKING:
    from companion.journal import ReadOnlyJournal

__all__ = ["register"]

_BOLD, _PLAIN = "\033[1m", "\033[0m"
#: The progress bar's width in characters, and how often (in captures) it is redrawn at least.
_BAR_WIDTH = 30
_REDRAW_EVERY = 500


def _open_journal(args: argparse.Namespace) -> ReadOnlyJournal:
    from companion.journal import ReadOnlyJournal

    return ReadOnlyJournal(Settings(data_dir=args.data_dir).db_path)


def cmd_search(args: argparse.Namespace) -> int:
    from companion.journal.search import search

    with _open_journal(args) as journal:
        page = search(
            journal,
            " ".join(args.query),
            learning_only=args.learning,
            site=args.site,
            week=args.week,
            concept=args.concept,
            limit=args.limit,
        )
    if args.json:
        print(json.dumps(page, ensure_ascii=False, indent=2))
        return 0
    bold = sys.stdout.isatty()
    for item in page["items"]:
        learning = " · learning" if item["learning"] else ""
        print(f"{item['title'] or item['url']}\n  {item['url']}")
        print(f"  {item['day']} ({item['week']}) · {item['site']}{learning}")
        if item["snippet"]:
            print("  " + _snippet_text(item["snippet"], bold))
    total = f"{page['total']:,}{'+' if page['total_capped'] else ''}"
    shown = f"the newest {len(page['items'])} of " if page["total"] > len(page["items"]) else ""
    matches = "1 capture matches" if total == "1" else f"{total} captures match"
    print(shown + matches if page["total"] else "nothing found", file=sys.stderr)
    return 0


def _snippet_text(ranges: list[dict], bold: bool) -> str:
    """A snippet on one line, its hits in bold on a terminal."""
    text = "".join(
        f"{_BOLD}{r['text']}{_PLAIN}" if r["hit"] and bold else r["text"] for r in ranges
    )
    return " ".join(text.split())


def cmd_export(args: argparse.Namespace) -> int:
    from companion.export_formats import FORMATS
    from companion.journal.export import count_captures, export_records

    filters = {"since": args.since, "until": args.until, "learning_only": args.learning_only}
    with _open_journal(args) as journal:
        records = export_records(journal, with_text=args.with_text, **filters)
        if sys.stderr.isatty():
            records = _with_progress(records, count_captures(journal, **filters), sys.stderr)
        if args.output is None:
            FORMATS[args.format](records, sys.stdout, with_text=args.with_text)
            return 0
        with args.output.open("w", encoding="utf-8", newline="") as out:
            FORMATS[args.format](records, out, with_text=args.with_text)
    print(f"exported to {args.output}", file=sys.stderr)
    return 0


def _with_progress(records: Iterable[dict], total: int, terminal: TextIO) -> Iterator[dict]:
    """Pass `records` through, drawing a bar of the captures written on `terminal`."""
    done = 0
    step = max(1, min(_REDRAW_EVERY, total // 100))
    for record in records:
        yield record
        if record["type"] == "capture":
            done += 1
            if done % step == 0 or done == total:
                filled = _BAR_WIDTH * done // max(total, 1)
                bar = "#" * filled + "." * (_BAR_WIDTH - filled)
                terminal.write(f"\r[{bar}] {done:,}/{total:,} captures")
                terminal.flush()
    terminal.write("\n")


def register(sub) -> None:
    """Add `search` and `export`."""
    search = add_command(
        sub,
        "search",
        [
            "inflow search write ahead log",
            'inflow search "borrow checker" --learning --week 2026-W49 --json',
        ],
        help="find what you read: full-text over titles and pages",
    )
    search.add_argument("query", nargs="+", help="words that must all appear (the last a prefix)")
    search.add_argument("--learning", action="store_true", help="learning captures only")
    search.add_argument("--site", help="one site (and its subdomains), like docs.python.org")
    search.add_argument("--week", help="one ISO week, like 2026-W49")
    search.add_argument("--concept", help="captures about one concept")
    search.add_argument("--limit", type=int, default=20, help="how many results (default 20)")
    add_json(search, "the search page's data")
    search.set_defaults(func=cmd_search)

    export = add_command(
        sub,
        "export",
        [
            "inflow export --format jsonl > journal.jsonl",
            "inflow export --format markdown --since 2026-11-01 --learning-only -o nov.md",
        ],
        help="every capture with its tags, concepts, search and reflections",
        description="Write the journal, oldest first, to stdout (or --output), streamed: a "
        "progress bar shows on a terminal.",
    )
    export.add_argument("--format", choices=("jsonl", "csv", "markdown"), default="jsonl")
    export.add_argument("--since", type=date.fromisoformat, help="first day (YYYY-MM-DD)")
    export.add_argument("--until", type=date.fromisoformat, help="last day (YYYY-MM-DD)")
    export.add_argument("--learning-only", action="store_true", help="learning captures only")
    export.add_argument("--with-text", action="store_true", help="add each page's main text")
    export.add_argument("-o", "--output", type=Path, help="write to this file, not stdout")
    export.set_defaults(func=cmd_export)
