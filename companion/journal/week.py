"""The weekly self-reflection's data: one ISO week read from the journal, nothing invented.

`week_summary(journal, "2026-W48")` returns minutes learning per day (the same expression and
rounding as `today_summary`, so the popup and the week agree), the split by modality, 4 E's and
form, the week's learning threads (see `week_threads`) with extractive takeaways, the questions
asked and what answered them, the deepest dive and the quick wins, the trend over the previous
weeks, the streak of days with learning, prompts grounded in the week, the reflections saved
for it and the drafts not saved yet (apart: see `reflections`), and the tag vocabulary with its
labels (`tag_vocabulary`). Lists of captures hold one entry per page (a page opened on three
days is one thing learned from, with its three visits); long lists are cut to `limit` entries
with their totals (`show_all` lifts that).

Every query is bounded by the week's `day` range (index `captures_by_day`) or by a handful of
concept ids, so the cost follows the size of the week, not of the journal.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from datetime import date, timedelta

from companion.errors import BadRequest
from companion.journal.core import Journal
from companion.journal.reflections import past_reflections, week_reflections
from companion.journal.tag_vocabulary import FACETS, UNKNOWN, vocabulary
from companion.journal.today import LEARNING_SECONDS_SQL, PAGE_SQL
from companion.journal.week_history import iso_week_of, learning_streak, trend
from companion.journal.week_prompts import kind_message, week_prompts
from companion.journal.week_threads import group_threads, pick_takeaways

__all__ = ["iso_week_of", "parse_iso_week", "week_summary"]

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_TOP_RANK = 5  # concepts of a capture that can tie it to a thread
_TAKEAWAY_THREADS = 12
_TAKEAWAY_DOCUMENTS = 3
_TEXT_CHARS = 20_000  # of each document, for takeaways
_CAPTURE_COLUMNS = f"""c.id, c.url, c.site, c.title, c.kind, c.day, c.started_at,
    c.search_query, c.status, c.is_learning, c.form, c.modality, c.four_e, c.source_kind,
    c.tags_corrected, c.document_id, {LEARNING_SECONDS_SQL} AS seconds, {PAGE_SQL} AS page"""


# Per concept (a JSON list of ids): the first day and the number of learning captures before
# a day. Answered from the partial index captures_learning_by_id (migration m003).
_HISTORY_SQL = """SELECT cc.concept_id, min(c.day), count(*)
    FROM capture_concepts cc JOIN captures c ON c.id = cc.capture_id
    WHERE cc.concept_id IN (SELECT value FROM json_each(?)) AND c.day < ? AND c.is_learning = 1
    GROUP BY cc.concept_id"""


def parse_iso_week(iso_week: str, *, today: date | None = None) -> date:
    """Return the Monday of an ISO week written `2026-W48` (or `current`).

    Raises `BadRequest` for anything else.
    """
    if iso_week == "current":
        today = today or date.today()
        return today - timedelta(days=today.weekday())
    match = _WEEK.match(iso_week)
    try:
        if match is None:
            raise ValueError(iso_week)
        return date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise BadRequest(
            f"{iso_week!r} is not an ISO week: write it like 2026-W48 (or 'current')"
        ) from None


def _minutes(seconds: float) -> float:
    return round((seconds or 0) / 60, 1)


def _brief(row: sqlite3.Row) -> dict:
    """A capture as the week lists it (enough to show, link and correct it)."""
    return {
        "id": row["id"],
        "url": row["url"],
        "title": row["title"] or row["url"],
        "site": row["site"],
        "kind": row["kind"],
        "day": row["day"],
        "minutes": _minutes(row["seconds"]),
        "is_learning": None if row["is_learning"] is None else bool(row["is_learning"]),
        "form": row["form"],
        "modality": row["modality"],
        "four_e": row["four_e"],
        "source_kind": row["source_kind"],
        "search_query": row["search_query"],
        "corrected": bool(row["tags_corrected"]),
    }


def _top(items: list, limit: int | None) -> dict:
    return {"items": items if limit is None else items[:limit], "total": len(items)}


def _pages(rows: list) -> list[list]:
    """Group visits by page (`PAGE_SQL`), in order of first visit."""
    pages: dict[object, list] = {}
    for row in rows:
        pages.setdefault(row["page"], []).append(row)
    return list(pages.values())


def _page_brief(visits: list) -> dict:
    """A page as the week lists it: the brief of its first listed visit, with the minutes of all
    its visits, how many there were and their ids (a correction acts on every one)."""
    brief = _brief(visits[0])
    brief["minutes"] = _minutes(sum(row["seconds"] for row in visits))
    brief["visits"] = len(visits)
    brief["capture_ids"] = [row["id"] for row in visits]
    return brief


def _top_pages(pages: list[list], limit: int | None, *, longest_first: bool = False) -> dict:
    """Like `_top` over `_pages(...)`: one entry per page (a docs page opened four times is one
    thing learned from), shaping only the pages shown (a busy week has thousands of visits)."""
    if longest_first:
        pages.sort(key=lambda visits: -sum(row["seconds"] for row in visits))  # stable
    shown = pages if limit is None else pages[:limit]
    return {"items": [_page_brief(visits) for visits in shown], "total": len(pages)}


def _ids_param(values) -> str:
    return json.dumps(sorted(set(values)))


def week_summary(
    journal: Journal,
    iso_week: str,
    *,
    limit: int = 10,
    show_all: bool = False,
    today: date | None = None,
) -> dict:
    """Summarise one ISO week (`2026-W48` or `current`) of the journal for the weekly page.

    Lists hold the top `limit` items (all of them with `show_all`) and say their `total`.
    Raises `BadRequest` for a malformed week.
    """
    today = today or date.today()
    monday = parse_iso_week(iso_week, today=today)
    week = iso_week_of(monday)
    days = [monday + timedelta(days=n) for n in range(7)]
    start, end = days[0].isoformat(), days[-1].isoformat()
    cap = None if show_all else limit
    with journal.reader() as conn:
        per_day = {
            row[0]: row
            for row in conn.execute(
                f"""SELECT c.day, count(*), coalesce(sum(c.is_learning = 1), 0),
                           coalesce(sum(CASE WHEN c.is_learning = 1
                                             THEN {LEARNING_SECONDS_SQL} END), 0),
                           coalesce(sum(c.status IN ('queued', 'processing')), 0)
                    FROM captures c WHERE c.day BETWEEN ? AND ? GROUP BY c.day""",
                (start, end),
            )
        }
        rows = conn.execute(
            f"""SELECT {_CAPTURE_COLUMNS} FROM captures c WHERE c.day BETWEEN ? AND ?
                ORDER BY c.started_at, c.id""",
            (start, end),
        ).fetchall()
        learning = [row for row in rows if row["is_learning"] == 1]
        threads = _threads(conn, learning, start, cap)
        weeks_trend = trend(conn, monday)
        streak = learning_streak(conn, days, min(days[-1], today), today)
    by_id = {row["id"]: row for row in learning}
    day_list = []
    for day in days:
        found = per_day.get(day.isoformat())
        day_list.append(
            {
                "day": day.isoformat(),
                "weekday": _WEEKDAYS[day.weekday()],
                "minutes_learning": _minutes(found[3]) if found else 0.0,
                "learning_items": found[2] if found else 0,
                "captures": found[1] if found else 0,
            }
        )
    learning_seconds = sum(found[3] for found in per_day.values())
    by_time = sorted(learning, key=lambda r: (-r["seconds"], r["started_at"], r["id"]))
    deepest = by_time[0] if by_time else None
    quick = [
        row
        for row in learning
        if row["form"] == "just-in-time" or (row["form"] == "reference" and row["search_query"])
    ]
    others = [row for row in rows if row["is_learning"] == 0]
    others.sort(key=lambda r: (-r["seconds"], r["started_at"], r["id"]))
    questions = _questions(rows, by_id)
    summary = {
        "week": week,
        "start": start,
        "end": end,
        "previous_week": iso_week_of(monday - timedelta(days=7)),
        "next_week": iso_week_of(monday + timedelta(days=7)),
        "is_current": monday <= today <= days[-1],
        "totals": {
            "minutes_learning": _minutes(learning_seconds),
            "learning_items": len(learning),
            "captures": len(rows),
            "pending": sum(found[4] for found in per_day.values()),
            "days_with_learning": sum(1 for d in day_list if d["learning_items"]),
            "threads": threads["total"],
            "questions": len(questions),
        },
        "days": day_list,
        **{f"by_{facet}": _breakdown(learning, facet) for facet in FACETS},
        "threads": threads,
        "questions": _top(questions, cap),
        "deepest_dive": _brief(deepest) if deepest else None,
        "quick_wins": _top_pages(_pages(quick), cap),
        "items": _top_pages(_pages(by_time), cap, longest_first=True),
        "not_learning": _top_pages(_pages(others), cap, longest_first=True),
        "trend": weeks_trend,
        "streak": streak,
        "limit": limit,
        "show_all": show_all,
    }
    summary["message"] = kind_message(summary)
    summary["prompts"] = week_prompts(summary)
    summary.update(week_reflections(journal, week))
    summary["vocabulary"] = vocabulary()
    summary["past_reflections"] = past_reflections(journal, before=week)
    return summary


def _breakdown(learning: list[sqlite3.Row], facet: str) -> list[dict]:
    seconds: Counter[str] = Counter()
    items: Counter[str] = Counter()
    for row in learning:
        value = row[facet] if row[facet] in FACETS[facet] else UNKNOWN
        seconds[value] += row["seconds"]
        items[value] += 1
    keys = list(FACETS[facet]) + ([UNKNOWN] if UNKNOWN in items else [])
    return [{"key": k, "minutes": _minutes(seconds[k]), "items": items[k]} for k in keys]


def _questions(rows: list[sqlite3.Row], learning: dict) -> list[dict]:
    """Searches of the week (first asked first) and the learning captures they led to."""
    asked: dict[str, dict] = {}
    for row in rows:
        query = (row["search_query"] or "").strip()
        if not query:
            continue
        entry = asked.setdefault(
            query.lower(),
            {"query": query, "first_day": row["day"], "days": [], "answered_by": []},
        )
        if row["day"] not in entry["days"]:
            entry["days"].append(row["day"])
        if row["id"] in learning:
            entry["answered_by"].append(_brief(row))
    for entry in asked.values():
        entry["answered"] = bool(entry["answered_by"])
        entry["minutes"] = round(sum(a["minutes"] for a in entry["answered_by"]), 1)
    return list(asked.values())


def _threads(conn: sqlite3.Connection, learning: list, start: str, cap: int | None) -> dict:
    """The week's learning threads, biggest (by minutes) first, with history and takeaways."""
    if not learning:
        return {"items": [], "total": 0, "new": 0, "continued": 0}
    links = conn.cursor()
    links.row_factory = None  # plain tuples: thousands of links, read once
    links.execute(
        """SELECT cc.capture_id, cc.concept_id, cc.rank
           FROM captures c JOIN capture_concepts cc ON cc.capture_id = c.id
           WHERE c.day BETWEEN ? AND date(?, '+6 days') AND c.is_learning = 1 AND cc.rank < ?""",
        (start, start, _TOP_RANK),
    )
    grouped = group_threads(links.fetchall(), top_rank=_TOP_RANK)
    by_id = {row["id"]: row for row in learning}
    for thread in grouped:
        thread.seconds = sum(by_id[i]["seconds"] for i in thread.capture_ids)
    grouped.sort(key=lambda t: (-t.seconds, -len(t.capture_ids), t.anchor))
    shown = grouped if cap is None else grouped[:cap]
    concept_ids = {cid for t in shown for cid, _ in t.concepts[:6]}
    concepts = {
        row[0]: (row[1], row[2])
        for row in conn.execute(
            "SELECT id, label, key FROM concepts WHERE id IN (SELECT value FROM json_each(?))",
            (_ids_param(concept_ids),),
        )
    }
    history = {
        row[0]: (row[1], row[2])
        for row in conn.execute(_HISTORY_SQL, (_ids_param(t.anchor for t in shown), start))
    }
    texts = _document_texts(conn, shown[:_TAKEAWAY_THREADS], by_id)
    items = [_thread(t, by_id, concepts, history.get(t.anchor), texts, cap) for t in shown]
    continued = sum(1 for item in items if item["status"] == "continued")
    return {
        "items": items,
        "total": len(grouped),
        "new": len(items) - continued,
        "continued": continued,
        "unthreaded_items": len(learning) - sum(len(t.capture_ids) for t in grouped),
    }


def _thread_documents(thread, by_id: dict) -> list[tuple[str, int]]:
    """The thread's longest-engaged captures with distinct documents: `(capture_id, doc_id)`."""
    chosen, seen = [], set()
    for capture_id in sorted(thread.capture_ids, key=lambda i: -by_id[i]["seconds"]):
        doc = by_id[capture_id]["document_id"]
        if doc is not None and doc not in seen:
            seen.add(doc)
            chosen.append((capture_id, doc))
            if len(chosen) == _TAKEAWAY_DOCUMENTS:
                break
    return chosen


def _document_texts(conn: sqlite3.Connection, threads: list, by_id: dict) -> dict[int, str]:
    wanted = {doc for t in threads for _, doc in _thread_documents(t, by_id)}
    return {
        row[0]: row[1]
        for row in conn.execute(
            """SELECT id, substr(text, 1, ?) FROM documents
               WHERE id IN (SELECT value FROM json_each(?))""",
            (_TEXT_CHARS, _ids_param(wanted)),
        )
    }


def _span(days: list[str]) -> str:
    names = [_WEEKDAYS[date.fromisoformat(d).weekday()] for d in days]
    return names[0] if len(names) == 1 else f"{names[0]}–{names[-1]}"


def _thread(thread, by_id: dict, concepts: dict, history, texts: dict, cap) -> dict:
    rows = sorted((by_id[i] for i in thread.capture_ids), key=lambda r: (-r["seconds"], r["id"]))
    pages = _pages(rows)
    kinds = Counter(visits[0]["kind"] for visits in pages)
    days = sorted({row["day"] for row in rows})
    named = [(cid, n) for cid, n in thread.concepts if cid in concepts][:6]
    labels = [concepts[cid][0] for cid, _ in named]
    label = labels[0] if len(labels) < 2 else f"{labels[0]} · {labels[1]}"
    terms = []
    for cid, _ in named[:4]:
        terms += [concepts[cid][0], concepts[cid][1]]
    documents = [
        (capture_id, texts[doc])
        for capture_id, doc in _thread_documents(thread, by_id)
        if doc in texts
    ]
    takeaways = [
        {
            "sentence": sentence,
            "capture_id": capture_id,
            "url": by_id[capture_id]["url"],
            "title": by_id[capture_id]["title"] or by_id[capture_id]["url"],
        }
        for capture_id, sentence in pick_takeaways(documents, terms)
    ]
    return {
        "id": thread.anchor,
        "label": label,
        "concepts": [{"id": cid, "label": concepts[cid][0], "captures": n} for cid, n in named],
        "pages": kinds["page"],
        "videos": kinds["video"],
        "audio": kinds["audio"],
        "minutes": _minutes(thread.seconds),
        "days": days,
        "span": _span(days),
        "status": "continued" if history else "new",
        "first_seen": history[0] if history else days[0],
        "earlier_captures": history[1] if history else 0,
        "captures": _top_pages(pages, cap, longest_first=True),
        "takeaways": takeaways,
    }
