"""What the weekly page says in words: the kind message of an empty week, and the prompts.

Prompts are grounded in the week's own numbers ("You spent 48 minutes on Kubernetes
networking…"). Each has a stable `key` (what it asks about, e.g. `apply:17` for concept 17), so an
answer stays attached to its prompt even when the week's minutes change after a correction.
"""

from __future__ import annotations

__all__ = ["duration", "kind_message", "week_prompts"]

_SPARSE_ITEMS = 3
_SPARSE_MINUTES = 15


def duration(minutes: float) -> str:
    """Minutes as a person says them: "48 minutes", "1 h 20 min"."""
    whole = round(minutes)
    if whole < 1:
        return "under a minute"
    if whole < 60:
        return f"{whole} minute{'s' if whole != 1 else ''}"
    hours, rest = divmod(whole, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def kind_message(summary: dict) -> dict | None:
    """A friendly note for an empty or sparse week (with what to try), else None."""
    totals = summary["totals"]
    if totals["captures"] == 0:
        return {
            "title": "Nothing was captured this week",
            "text": "Inflow saw no pages, videos or podcasts in these seven days.",
            "suggestion": "Check in the extension's popup that it is paired and capture is not "
            "paused. From then on, what you read and watch at work fills this page by itself.",
        }
    if totals["learning_items"] == 0:
        pending = totals["pending"]
        if pending:
            return {
                "title": "Still reading your week",
                "text": f"{pending} captures are waiting to be analysed.",
                "suggestion": "Come back in a minute; this page fills in as they are processed.",
            }
        return {
            "title": "No learning spotted this week",
            "text": f"{totals['captures']} captures, and none of them looked like learning.",
            "suggestion": "If some of them taught you something, mark them as learning below: "
            "Inflow learns from your corrections.",
        }
    if totals["learning_items"] < _SPARSE_ITEMS or totals["minutes_learning"] < _SPARSE_MINUTES:
        return {
            "title": "A light week",
            "text": f"{duration(totals['minutes_learning'])} of learning across "
            f"{totals['learning_items']} item{'s' if totals['learning_items'] != 1 else ''}. "
            "Busy weeks happen.",
            "suggestion": "Next time a question comes up at work, search it and read one good "
            "answer to the end: those minutes count, and they show up here.",
        }
    return None


def week_prompts(summary: dict) -> list[dict]:
    """The reflection prompts for this week, most specific first: `[{"key", "text"}]`."""
    prompts = []
    threads = summary["threads"]["items"]
    if threads:
        top = threads[0]
        prompts.append(
            {
                "key": f"apply:{top['id']}",
                "text": f"You spent {duration(top['minutes'])} on {top['concepts'][0]['label']}. "
                "What will you apply?",
            }
        )
        again = next((t for t in threads[1:] if t["status"] == "continued"), None)
        if again is not None:
            prompts.append(
                {
                    "key": f"progress:{again['id']}",
                    "text": f"You came back to {again['concepts'][0]['label']} from earlier "
                    "weeks. What is clearer now than before?",
                }
            )
    deepest = summary["deepest_dive"]
    if deepest and deepest["minutes"] >= 5 and not threads:
        prompts.append(
            {
                "key": f"deepest:{deepest['id']}",
                "text": f"Your deepest dive was “{deepest['title']}” "
                f"({duration(deepest['minutes'])}). What made it worth the time?",
            }
        )
    unanswered = [q for q in summary["questions"]["items"] if not q["answered"]]
    if unanswered and not threads:
        prompts.append(
            {
                "key": "open-question",
                "text": f"You searched for “{unanswered[0]['query']}” and nothing you opened "
                "looked like the answer. Is it still open?",
            }
        )
    exposure = next((f for f in summary["by_four_e"] if f["key"] == "exposure"), None)
    if exposure and exposure["items"]:
        prompts.append(
            {"key": "from-others", "text": "What did you learn from someone else this week?"}
        )
    if summary["totals"]["learning_items"] == 0:
        prompts.append({"key": "obstacles", "text": "What got in the way of learning this week?"})
    prompts.append({"key": "next", "text": "What would you like to explore next?"})
    return prompts
