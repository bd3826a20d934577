"""xAPI 1.0.3 statements for learning captures: who learned what, how long, and in what way.

One statement per capture (a visit):

- **actor**: the user, as set with `inflow xapi config` (an mbox or an account);
- **verb**: `experienced` for pages; for watched media the xAPI Video Profile's `completed`
  (the player reached the end) or `terminated` (the viewing ended before that), with its
  `progress` and `length` extensions (played segments are not recorded by the extension, so
  that extension is left out rather than invented);
- **object**: an Activity whose id is the page's canonical URL (a stray `%` escaped as `%25`,
  which an IRI requires and browsers leave as it is), with its name, description and a fitting
  activity type;
- **result.duration**: the engaged time (ISO 8601), the same time the journal counts;
- **context.extensions**: the concepts, the form, the 4 E's, modality, source kind and the
  question searched (Inflow's own extension IRIs, `EXTENSION`);
- **timestamp**: when the visit started.

The statement id is derived from the capture id alone (`statement_id`), so sending the same
capture twice can never make two statements.
"""

from __future__ import annotations

import re
import uuid

__all__ = [
    "ACTIVITY_TYPES",
    "EXTENSION",
    "VERBS",
    "VIDEO_PROFILE",
    "build_statement",
    "iso_duration",
    "statement_id",
]

#: xAPI 1.0.3 verbs (ADL's vocabulary, which the Video Profile reuses for these two).
VERBS = {
    "experienced": "http://adlnet.gov/expapi/verbs/experienced",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "terminated": "http://adlnet.gov/expapi/verbs/terminated",
}
#: The xAPI Video Profile: its category activity, activity type and extensions.
VIDEO_PROFILE = {
    "category": "https://w3id.org/xapi/video",
    "video": "https://w3id.org/xapi/video/activity-type/video",
    "progress": "https://w3id.org/xapi/video/extensions/progress",
    "length": "https://w3id.org/xapi/video/extensions/length",
    "speed": "https://w3id.org/xapi/video/extensions/speed",
}
_PROFILE_TYPE = "http://adlnet.gov/expapi/activities/profile"
#: A "%" that does not start a percent-escape: kept by browsers, refused in an IRI.
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
#: Activity types by what the capture was: media by kind, pages by source kind.
ACTIVITY_TYPES = {
    "video": VIDEO_PROFILE["video"],
    "audio": "http://activitystrea.ms/schema/1.0/audio",
    "course": "http://adlnet.gov/expapi/activities/course",
    "article": "http://activitystrea.ms/schema/1.0/article",
    "news": "http://activitystrea.ms/schema/1.0/article",
    "paper": "http://activitystrea.ms/schema/1.0/article",
    "page": "http://activitystrea.ms/schema/1.0/page",
}
#: Inflow's context extensions. A URN: Inflow owns no web domain to make them resolvable IRLs,
#: and borrowing someone else's would be worse.
EXTENSION = {
    name: f"urn:inflow:xapi:extension:{name}"
    for name in ("concepts", "form", "four-e", "modality", "source-kind", "search-query")
}
#: Statement ids are UUID 5 names of the capture id in this namespace (fixed forever).
_STATEMENT_NAMESPACE = uuid.UUID("5b0f3c1e-8a2d-4f5e-9c47-1d6e0b7a9f21")
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_NAME_CHARS = 500
_DESCRIPTION_CHARS = 1000


def statement_id(capture_id: str) -> str:
    """The id of the statement for `capture_id`: the same on every export and send."""
    return str(uuid.uuid5(_STATEMENT_NAMESPACE, capture_id))


def iso_duration(seconds: float) -> str:
    """`seconds` as an ISO 8601 duration precise to 0.01 s (`PT1H2M3.5S`, `PT0S`)."""
    hundredths = round(max(seconds, 0.0) * 100)
    hours, rest = divmod(hundredths, 360_000)
    minutes, rest = divmod(rest, 6_000)
    whole, fraction = divmod(rest, 100)
    text = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    if whole or fraction or text == "PT":
        text += f"{whole}.{fraction:02d}".rstrip("0").rstrip(".") + "S"
    return text


def _language_map(text: str, language: str | None, limit: int) -> dict[str, str]:
    tag = language if language and _LANGUAGE_TAG.match(language) else "und"
    return {tag: text[:limit]}


def _activity_type(capture: dict) -> str:
    if capture["kind"] in ("video", "audio"):
        return ACTIVITY_TYPES[capture["kind"]]
    return ACTIVITY_TYPES.get(capture["source_kind"] or "", ACTIVITY_TYPES["page"])


def _media_parts(capture: dict) -> tuple[str, dict, dict]:
    """The verb, result extensions and context extensions of a watched or heard capture."""
    media = capture["media"] or {}
    duration, watched = media.get("duration"), media.get("watched_seconds")
    verb = "completed" if media.get("ended") else "terminated"
    result: dict = {}
    if duration and watched is not None:
        result[VIDEO_PROFILE["progress"]] = round(min(watched / duration, 1.0), 3)
    context: dict = {}
    if duration:
        context[VIDEO_PROFILE["length"]] = round(duration, 3)
    if media.get("playback_rate"):
        context[VIDEO_PROFILE["speed"]] = f"{media['playback_rate']:g}x"
    return verb, result, context


def build_statement(capture: dict, actor: dict) -> dict:
    """The xAPI 1.0.3 statement for one learning capture (a `shareable_captures` entry).

    `actor` is an xAPI Agent (`XapiConfig.actor`). Empty values are left out, as xAPI asks.
    """
    is_media = capture["kind"] in ("video", "audio") and capture["media"]
    verb, result_extensions, context_extensions = (
        _media_parts(capture) if is_media else ("experienced", {}, {})
    )
    definition = {
        "type": _activity_type(capture),
        "name": _language_map(
            capture["title"] or capture["canonical_url"], capture["language"], _NAME_CHARS
        ),
    }
    if capture["description"]:
        definition["description"] = _language_map(
            capture["description"], capture["language"], _DESCRIPTION_CHARS
        )
    facts = {
        "concepts": capture["concepts"],
        "form": capture["form"],
        "four-e": capture["four_e"],
        "modality": capture["modality"],
        "source-kind": capture["source_kind"],
        "search-query": (capture["search_query"] or "").strip(),
    }
    context_extensions |= {EXTENSION[name]: value for name, value in facts.items() if value}
    result = {"duration": iso_duration(capture["seconds"])}
    if verb == "completed":
        result["completion"] = True
    if result_extensions:
        result["extensions"] = result_extensions
    context: dict = {"extensions": context_extensions} if context_extensions else {}
    if is_media:
        context["contextActivities"] = {
            "category": [
                {
                    "id": VIDEO_PROFILE["category"],
                    "definition": {"type": _PROFILE_TYPE},
                }
            ]
        }
    statement = {
        "id": statement_id(capture["id"]),
        "actor": actor,
        "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
        "object": {
            "objectType": "Activity",
            "id": _STRAY_PERCENT.sub("%25", capture["canonical_url"]),
            "definition": definition,
        },
        "result": result,
        "timestamp": capture["started_at"],
    }
    if context:
        statement["context"] = context
    return statement
