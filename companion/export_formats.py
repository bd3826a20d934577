"""`inflow export`'s formats: the journal's export records (`journal.export`) written as JSON
Lines, CSV or Markdown, one record at a time (nothing is gathered, whatever the journal's size).

JSON Lines and CSV keep every field (CSV: concepts joined by "; ", one `type` column for
captures and reflections); Markdown is for reading: weeks, their reflections, then days.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from typing import TextIO

from companion.journal.export import CAPTURE_FIELDS, REFLECTION_FIELDS
from companion.journal.week_prompts import duration
from companion.markdown_text import escape, link, quote

__all__ = ["FORMATS", "write_csv", "write_jsonl", "write_markdown"]

_CONCEPT_SEPARATOR = "; "


def write_jsonl(records: Iterable[dict], out: TextIO, *, with_text: bool = False) -> None:
    """One JSON object per line, as `export_records` yields them."""
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


def write_csv(records: Iterable[dict], out: TextIO, *, with_text: bool = False) -> None:
    """A header and one row per record: captures, and reflections in the same columns."""
    fields = [f for f in CAPTURE_FIELDS if with_text or f != "text"]
    fields += [f for f in REFLECTION_FIELDS if f not in fields]
    writer = csv.DictWriter(out, fields, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for record in records:
        if record["type"] == "capture":
            record = {**record, "concepts": _CONCEPT_SEPARATOR.join(record["concepts"])}
        writer.writerow(record)


def write_markdown(records: Iterable[dict], out: TextIO, *, with_text: bool = False) -> None:
    """A readable journal: `## week`, its reflections, then `### day` and a line per capture."""
    out.write("# Inflow journal\n")
    week = day = None
    in_reflections = False
    for record in records:
        if record["week"] != week:
            week, day, in_reflections = record["week"], None, False
            out.write(f"\n## {week}\n")
        if record["type"] == "reflection":
            if not in_reflections:
                out.write("\n### Reflections\n")
                in_reflections = True
            out.write(
                "\n"
                + "\n".join([f"**{escape(record['prompt'])}**", "", *quote(record["answer"])])
                + "\n"
            )
            continue
        if record["day"] != day:
            day = record["day"]
            out.write(f"\n### {day}\n\n")
        out.write(_capture_line(record) + "\n")
        if with_text and record.get("text"):
            out.write("\n" + "\n".join("  " + line for line in quote(record["text"])) + "\n\n")


def _capture_line(record: dict) -> str:
    facts = [escape(record["site"]), duration(record["engaged_seconds"] / 60)]
    if record["is_learning"]:
        tags = [record[key] for key in ("form", "modality", "source_kind", "four_e") if record[key]]
        facts.append("learning" + (f" ({', '.join(tags)})" if tags else ""))
    if record["concepts"]:
        facts.append("concepts: " + ", ".join(escape(c) for c in record["concepts"]))
    if record["search_query"]:
        facts.append(f"searched “{escape(record['search_query'])}”")
    return f"- {link(record['title'] or record['url'], record['url'])} · " + " · ".join(facts)


#: Each format's writer: `writer(records, out, with_text=...)`.
FORMATS: dict[str, Callable[..., None]] = {
    "jsonl": write_jsonl,
    "csv": write_csv,
    "markdown": write_markdown,
}
