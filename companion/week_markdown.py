"""The week as Markdown: what `inflow week --markdown` prints and `/api/v1/weeks/{week}.md` serves.

It renders a `week_summary` dict (no SQL here): totals, days, threads with their takeaways and
sources, questions and what answered them, the deepest dive, quick wins, the trend, and the
user's saved reflections (a draft not saved yet is counted, never quoted).
"""

from __future__ import annotations

from companion.journal.week_prompts import duration
from companion.markdown_text import escape as _escape
from companion.markdown_text import link as _link
from companion.markdown_text import quote as _quote

__all__ = ["week_markdown"]


def _more(section: dict, noun: str) -> list[str]:
    hidden = section["total"] - len(section["items"])
    return [f"- … and {hidden} more {noun}"] if hidden > 0 else []


def week_markdown(summary: dict) -> str:
    """Render a week summary (from `week_summary`) as a Markdown document."""
    totals = summary["totals"]
    out = [
        f"# Learning week {summary['week']} ({summary['start']} – {summary['end']})",
        "",
        f"**{duration(totals['minutes_learning'])}** of learning across "
        f"{totals['learning_items']} items on {totals['days_with_learning']} days; "
        f"{totals['threads']} threads, {totals['questions']} questions. "
        f"Streak: {summary['streak']['current']} days.",
        "",
    ]
    if summary["message"]:
        message = summary["message"]
        out += [f"_{message['title']}._ {message['text']} {message['suggestion']}", ""]
    out += ["## Days", "", "| day | minutes | items |", "|---|---:|---:|"]
    for day in summary["days"]:
        out.append(
            f"| {day['weekday']} {day['day']} | {day['minutes_learning']:g} "
            f"| {day['learning_items']} |"
        )
    out.append("")
    for facet, words in summary["vocabulary"]["facets"].items():
        parts = [f"{f['key']} {f['minutes']:g} min" for f in summary[f"by_{facet}"] if f["items"]]
        if parts:
            out.append(f"- **{words['title']}:** " + ", ".join(parts))
    out += ["", "## Threads", ""]
    if not summary["threads"]["items"]:
        out += ["No threads this week: no two learning items shared a concept.", ""]
    for thread in summary["threads"]["items"]:
        out += _thread(thread)
    if summary["threads"]["total"] > len(summary["threads"]["items"]):
        hidden = summary["threads"]["total"] - len(summary["threads"]["items"])
        out += [f"… and {hidden} more threads.", ""]
    out += ["## Questions", ""]
    for question in summary["questions"]["items"]:
        out.append(f"- **{_escape(question['query'])}** ({question['first_day']})")
        for answer in question["answered_by"]:
            out.append(f"  - {_link(answer['title'], answer['url'])} ({answer['minutes']:g} min)")
        if not question["answered"]:
            out.append("  - _nothing you opened looked like the answer_")
    out += _more(summary["questions"], "questions")
    if not summary["questions"]["items"]:
        out.append("No searches this week.")
    out.append("")
    deepest = summary["deepest_dive"]
    if deepest:
        out += [
            "## Deepest dive",
            "",
            f"{_link(deepest['title'], deepest['url'])}: {duration(deepest['minutes'])} "
            f"on {deepest['day']}.",
            "",
        ]
    if summary["quick_wins"]["items"]:
        out += ["## Quick wins", ""]
        for item in summary["quick_wins"]["items"]:
            asked = f" (searched “{_escape(item['search_query'])}”)" if item["search_query"] else ""
            out.append(f"- {_link(item['title'], item['url'])}{asked}")
        out += [*_more(summary["quick_wins"], "quick wins"), ""]
    out += ["## Trend", "", "| week | minutes |", "|---|---:|"]
    out += [f"| {w['week']} | {w['minutes_learning']:g} |" for w in summary["trend"]]
    out += ["", "## Reflections", ""]
    if not summary["reflections"]:
        out += ["_No reflections written yet. Prompts:_", ""]
        out += [f"- {_escape(p['text'])}" for p in summary["prompts"]]
    for reflection in summary["reflections"]:
        out += [f"**{_escape(reflection['prompt'])}**", "", *_quote(reflection["answer"]), ""]
    if summary["drafts"]:  # their words stay out: only what the user saved is exported
        count = len(summary["drafts"])
        out += [
            f"_{count} unsaved draft{'s' if count != 1 else ''} on the weekly page, "
            "not exported until saved._",
            "",
        ]
    return "\n".join(out).rstrip() + "\n"


def _thread(thread: dict) -> list[str]:
    counts = [
        f"{n} {noun}{'s' if n != 1 else ''}"
        for n, noun in (
            (thread["pages"], "page"),
            (thread["videos"], "video"),
            (thread["audio"], "podcast"),
        )
        if n
    ]
    since = (
        f"continued (first seen {thread['first_seen']})"
        if thread["status"] == "continued"
        else "new this week"
    )
    out = [
        f"### {_escape(thread['label'])}",
        "",
        f"{', '.join(counts)}, {duration(thread['minutes'])}, {thread['span']}; {since}.",
        "",
    ]
    if thread["takeaways"]:
        out += ["Key takeaways:", ""]
        for takeaway in thread["takeaways"]:
            out.append(f"- “{_escape(takeaway['sentence'])}” — {_link('source', takeaway['url'])}")
        out.append("")
    out.append("Sources:")
    out.append("")
    for item in thread["captures"]["items"]:
        out.append(
            f"- {_link(item['title'], item['url'])} ({item['minutes']:g} min, {item['day']})"
        )
    out += [*_more(thread["captures"], "sources"), ""]
    return out
