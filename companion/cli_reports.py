"""`inflow today`, `week`, `status`: reports that only read the journal, never create or change it.

They open it read-only (`ReadOnlyJournal`), so they run beside the companion, and a missing
journal is a clear error rather than an empty one made on the spot. The journal is imported
inside the commands (see `companion.cli`).
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from companion.cli_options import add_command, add_json, add_week
from companion.service import companion_port, probe
from companion.settings import Settings

if TYPE_CHECKING:
    from companion.journal import ReadOnlyJournal

__all__ = ["register"]

#: `inflow status`'s exit status when nothing (or another journal's companion) answers.
NOT_ANSWERING = 3


def _db_path(args: argparse.Namespace) -> Path:
    return Settings(data_dir=args.data_dir).db_path


def _open_journal(args: argparse.Namespace) -> ReadOnlyJournal:
    from companion.journal import ReadOnlyJournal

    return ReadOnlyJournal(_db_path(args))


def cmd_today(args: argparse.Namespace) -> int:
    from companion.journal.today import today_summary

    with _open_journal(args) as journal:
        summary = today_summary(journal, (args.day or date.today()).isoformat())
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return 0
    print(
        f"{summary['day']}: {summary['minutes_learning']:g} min learning, "
        f"{summary['learning_total']} of {summary['captures_total']} visits"
    )
    for item in summary["items"]:
        concepts = ", ".join(c["text"] for c in item.get("concepts", [])[:3])
        visits = [f"{item['visits']} visits"] if item["visits"] > 1 else []
        facts = [f"{round(item['seconds'] / 60)} min", *visits, *_tag_words(item)]
        print(
            f"- {item['title'] or item['url']}  [{', '.join(facts)}]"
            + (f"  ({concepts})" if concepts else "")
        )
    if summary["top_concepts"]:
        print("Top concepts: " + ", ".join(c["text"] for c in summary["top_concepts"]))
    for question in summary["questions"]:
        print(f"? {question['query']}")
    return 0


def _tag_words(item: dict) -> list[str]:
    """The popup's tags of a today item in words, each once ("Just in time", "Q&A")."""
    from companion.journal.tag_vocabulary import POPUP_TAGS, facet_label

    tags = item["learning"] or {}
    return list(dict.fromkeys(facet_label(tags[tag]) for tag in POPUP_TAGS if tags.get(tag)))


def cmd_week(args: argparse.Namespace) -> int:
    from companion.journal.week import week_summary
    from companion.week_markdown import week_markdown

    with _open_journal(args) as journal:
        summary = week_summary(journal, args.week, show_all=args.all)
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


def cmd_status(args: argparse.Namespace) -> int:
    port = companion_port(args.data_dir, args.port)
    answer = probe(args.data_dir, port)
    report: dict = {
        "companion": {
            "url": f"http://127.0.0.1:{port}",
            "answering": answer.answering,
            "version": (answer.status or {}).get("version"),
            "nlp_model_loaded": (answer.status or {}).get("nlp_model_loaded"),
            "problem": answer.problem,
        },
        "journal": None,
    }
    db_path = _db_path(args)
    if db_path.is_file():
        from companion.journal.captures import count_by_status

        with _open_journal(args) as journal:
            counts = count_by_status(journal)
            report["journal"] = {
                "path": str(db_path),
                "bytes": journal.bytes_on_disk(),
                "captures": sum(counts.values()),
                "queued": counts["queued"] + counts["processing"],
                "failed": counts["failed"],
            }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        _print_status(report, db_path)
    return 0 if answer.answering else NOT_ANSWERING


def _print_status(report: dict, db_path: Path) -> None:
    companion, journal = report["companion"], report["journal"]
    if companion["answering"]:
        model = "loaded" if companion["nlp_model_loaded"] else "loading"
        print(
            f"companion: answering at {companion['url']} "
            f"(inflow {companion['version']}, NLP model {model})"
        )
    else:
        print(f"companion: not answering at {companion['url']}: {companion['problem']}")
        print("           start it with `inflow serve`, or at login: `inflow service install`")
    if journal is None:
        print(f"journal:   none yet at {db_path}")
        return
    size_mb = journal["bytes"] / 1_000_000
    print(f"journal:   {journal['path']} ({size_mb:.1f} MB, {journal['captures']:,} captures)")
    print(f"queue:     {journal['queued']:,} waiting for analysis")
    print(f"failed:    {journal['failed']:,}")


def register(sub) -> None:
    """Add `today`, `week` and `status`."""
    today = add_command(sub, "today", ["inflow today --json"], help="what you learned today")
    add_json(today, "the popup's data")
    today.add_argument("--day", type=date.fromisoformat, help="another day (YYYY-MM-DD)")
    today.set_defaults(func=cmd_today)

    week = add_command(
        sub,
        "week",
        ["inflow week", "inflow week --markdown --week 2026-W48 > week.md"],
        help="your learning week: threads, questions, trend, reflections",
    )
    shape = week.add_mutually_exclusive_group()
    add_json(shape, "the weekly page's data")
    shape.add_argument("--markdown", action="store_true", help="print the Markdown export")
    add_week(week)
    week.add_argument("--all", action="store_true", help="every item of every list, not the top")
    week.set_defaults(func=cmd_week)

    status = add_command(
        sub,
        "status",
        ["inflow status --json"],
        help="does the companion answer; the queue, failed captures, the journal's size",
        description=f"Exit status 0 when the companion answers, {NOT_ANSWERING} when it does not.",
    )
    status.add_argument("--port", type=int, help="the companion's port (default: the running one)")
    add_json(status, "the report")
    status.set_defaults(func=cmd_status)
