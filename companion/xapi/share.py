"""Sharing a week of learning with an LRS: what would leave, and sending it. Never automatic.

Only captures tagged as learning are candidates; captures the user marked private are listed
(so the weekly page can show them) but never exported or sent; statements an endpoint already
holds (recorded in the journal) are not sent to it again. The CLI (`inflow xapi …`) and the
router (`/api/v1/xapi/…`) both call these functions.
"""

from __future__ import annotations

from datetime import date, timedelta

from companion.errors import BadRequest
from companion.journal import Journal
from companion.journal.week import iso_week_of, parse_iso_week
from companion.journal.xapi import record_sent, shareable_captures
from companion.xapi.client import LrsClient, Outcome
from companion.xapi.config import XapiConfig
from companion.xapi.statements import build_statement, statement_id

__all__ = ["require_actor", "send_week", "share_list", "week_statements"]


def _week(iso_week: str, today: date | None) -> tuple[str, str, str]:
    monday = parse_iso_week(iso_week, today=today)
    return iso_week_of(monday), monday.isoformat(), (monday + timedelta(days=6)).isoformat()


def _held_by(capture: dict, endpoint: str | None) -> bool:
    """Whether the journal knows the LRS at `endpoint` holds this capture's statement."""
    return any(shared["endpoint"] == endpoint for shared in capture["shared"])


def require_actor(config: XapiConfig) -> dict:
    """The configured actor. Raises `BadRequest` saying how to set one when there is none."""
    if not config.actor:
        raise BadRequest(
            "say who the statements are about first: inflow xapi config --name NAME "
            "--mbox mailto:you@example.org (or --account-homepage URL --account-name NAME)"
        )
    return config.actor


def week_statements(
    journal: Journal, iso_week: str, config: XapiConfig, *, today: date | None = None
) -> list[dict]:
    """Every statement sharing the week would send (learning captures not marked private).

    Raises `BadRequest` for a malformed week or when no actor is configured.
    """
    actor = require_actor(config)
    _, start, end = _week(iso_week, today)
    return [
        build_statement(capture, actor)
        for capture in shareable_captures(journal, start, end)
        if not capture["private"]
    ]


def share_list(
    journal: Journal, iso_week: str, config: XapiConfig, *, today: date | None = None
) -> dict:
    """The weekly page's Share step: each learning capture of the week, whether it is private,
    where it was shared, and (once an actor is configured) the statement that would be sent.
    `page` groups visits of one page as the week's lists do.

    `shared_here` says whether the configured endpoint already holds it. Raises `BadRequest`
    for a malformed week.
    """
    week, start, end = _week(iso_week, today)
    items = []
    for capture in shareable_captures(journal, start, end):
        shared_here = _held_by(capture, config.endpoint)
        items.append(
            {
                "capture_id": capture["id"],
                "statement_id": statement_id(capture["id"]),
                "page": capture["page"],
                "title": capture["title"] or capture["canonical_url"],
                "url": capture["url"],
                "canonical_url": capture["canonical_url"],
                "day": capture["day"],
                "kind": capture["kind"],
                "minutes": round(capture["seconds"] / 60, 1),
                "private": capture["private"],
                "shared": capture["shared"],
                "shared_here": shared_here,
                "statement": (
                    build_statement(capture, config.actor)
                    if config.actor and not capture["private"]
                    else None
                ),
            }
        )
    return {
        "week": week,
        "start": start,
        "end": end,
        "config": config.describe(),
        "items": items,
        "totals": {
            "items": len(items),
            "private": sum(item["private"] for item in items),
            "shared_here": sum(item["shared_here"] for item in items),
            "to_send": sum(not item["private"] and not item["shared_here"] for item in items),
        },
    }


def send_week(
    journal: Journal,
    iso_week: str,
    config: XapiConfig,
    *,
    capture_ids: list[str] | None = None,
    today: date | None = None,
    client: LrsClient | None = None,
) -> dict:
    """Send the week's learning statements to the configured LRS and record what it now holds.

    Sends every capture not marked private, or only `capture_ids` (the ticked ones; a private
    or unknown id among them raises `BadRequest`), skipping what the journal knows the endpoint
    already holds. Returns `SendReport.to_dict()` plus `skipped` (statement ids not sent again).
    Raises `BadRequest` without an actor or endpoint, `LrsUnreachable`/`LrsAuthFailed` from the
    client (what was stored before that is recorded).
    """
    actor = require_actor(config)
    if not config.endpoint:
        raise BadRequest("say where to send: --endpoint URL (or INFLOW_XAPI_ENDPOINT)")
    _, start, end = _week(iso_week, today)
    captures = shareable_captures(journal, start, end)
    if capture_ids is not None:
        by_id = {capture["id"]: capture for capture in captures}
        wanted = list(dict.fromkeys(capture_ids))
        unknown = [cid for cid in wanted if cid not in by_id]
        if unknown:
            raise BadRequest(f"{len(unknown)} capture(s) are not learning captures of this week")
        if any(by_id[cid]["private"] for cid in wanted):
            raise BadRequest("a capture marked private is never sent; unmark it first")
        captures = [by_id[cid] for cid in wanted]
    captures = [capture for capture in captures if not capture["private"]]
    skipped, pending = [], []
    for capture in captures:
        if _held_by(capture, config.endpoint):
            skipped.append(statement_id(capture["id"]))
        else:
            pending.append(capture)
    capture_of = {statement_id(capture["id"]): capture["id"] for capture in pending}

    def record(outcomes: list[Outcome]) -> None:
        held = [
            (o.statement_id, capture_of[o.statement_id], o.status)
            for o in outcomes
            if o.status != "failed"
        ]
        if held:
            record_sent(journal, config.endpoint, held)

    client = client or LrsClient(
        config.endpoint, username=config.username, password=config.password
    )
    statements = [build_statement(capture, actor) for capture in pending]
    report = client.send(statements, on_outcomes=record).to_dict()
    return report | {"skipped": skipped}
