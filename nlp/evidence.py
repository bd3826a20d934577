"""The evidence the learning tagger weighs: named signals read from a page, and their weights.

`read_evidence` lists every signal present in a page as an `Evidence` (a feature name, its
strength and the reason a person reads); a signal's weight is `WEIGHTS[feature] * value`
(`ENGAGEMENT` for what the user did). `nlp.learning` sums them into the learning score;
bench/fit_learning.py fits `WEIGHTS` from the hand labels.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .extract import Extracted
from .textcues import TextCues
from .types import PageInput, SourceKind

__all__ = [
    "ENGAGEMENT",
    "HOWTO_TITLE",
    "TALK",
    "TALK_SITES",
    "WEIGHTS",
    "Evidence",
    "number",
    "read_evidence",
]

# The weight each signal adds to the log-odds of "learning" when fully present (value 1.0).
# Content weights: fitted by `python -m bench.fit_learning` (which refits and prints this table)
# as a logistic regression on the 258 development labels, pulled towards the earlier hand-set
# weights (Gaussian prior, l2=3 chosen by 5-fold CV; new signals start from 0). Engagement
# weights (search, watch, read, scroll) stay hand-set: the labelled corpus has no engagement.
WEIGHTS: dict[str, float] = {
    "bias": -0.78,
    "kind:documentation": 2.6,
    "kind:tutorial": 2.76,
    "kind:q&a": 2.4,
    "kind:course": 3.0,
    "kind:paper": 2.43,
    "kind:repository": 1.89,
    "kind:forum": 0.8,
    "kind:article": -0.84,
    "kind:video": 0.14,
    "kind:podcast": 0.3,
    "kind:news": -2.3,
    "kind:social": -2.2,
    "kind:shop": -3.02,
    "kind:other": -0.43,
    "code": 2.02,
    "schema": 1.24,
    "steps": 1.7,
    "howto_title": 1.31,
    "scholarly": 1.8,
    "explains": 1.45,
    "jargon": 1.5,
    "reported_speech": -2.27,
    "entertainment": -2.08,
    "genre_learning": 1.89,
    "genre_other": -1.84,
    "talk": 1.78,
    "long_video": 0.59,
    "sources": 0.72,
    "login": -2.01,
    "little_text": -1.0,
}
ENGAGEMENT: dict[str, float] = {
    "search": 1.6,
    "watched_most": 1.2,
    "watched_some": 0.4,
    "watched_little": -0.6,
    "read_long": 0.6,
    "glance": -0.8,
    "scrolled": 0.3,
}

HOWTO_TITLE = re.compile(
    r"^how to\b|\bhow to (?!\w+ (?:is|was|will)\b)|\btutorial\b|"
    r"\bguide to\b|\brecipe\b|\bstep[- ]by[- ]step\b|\bexplained\b",
    re.I,
)
_VIDEO_GENRES_LEARNING = {"Education", "Science & Technology", "Howto & Style"}
_VIDEO_GENRES_NOT = {
    "Music",
    "Entertainment",
    "Comedy",
    "Gaming",
    "Sports",
    "News & Politics",
    "Film & Animation",
    "People & Blogs",
    "Pets & Animals",
}
TALK_SITES = frozenset({"media.ccc.de", "ted.com", "infoq.com", "videolectures.net"})
TALK = re.compile(
    r"\b(?:talk|conference|keynote|lecture|seminar|webinar|c3|summit|panel|symposium|"
    r"vortrag|vorlesung|konferenz|conférence|colloque|conferencia|ponencia|charla)\b",
    re.I,
)
_SOURCES = re.compile(
    r"\b(?:sources?|references?|quellen|literatur|bibliograph\w*|further reading|doi\.org|"
    r"arxiv|wikipedia|\.edu\b|\.pdf\b)",
    re.I,
)


def number(value: object) -> float:
    """A float from a number-ish value (callers may pass strings or None); 0.0 otherwise."""
    try:
        parsed = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
    return parsed if math.isfinite(parsed) and parsed > 0 else 0.0


@dataclass(frozen=True)
class Evidence:
    """One signal: `feature` names its weight, `value` (0-1, or more for counts) its strength."""

    feature: str
    value: float
    reason: str

    @property
    def weight(self) -> float:
        table = ENGAGEMENT if self.feature in ENGAGEMENT else WEIGHTS
        return table.get(self.feature, 0.0) * self.value


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.0f}-min" if seconds >= 60 else f"{seconds:.0f}-s"


def _description(page: PageInput, ex: Extracted) -> str:
    """A video's or episode's own description (what the uploader wrote), else ""."""
    if page.kind not in ("video", "audio") and not ex.signals.video_description:
        return ""
    return ex.signals.video_description or page.text or ex.metadata.description or ""


def read_evidence(
    page: PageInput, ex: Extracted, kind: SourceKind, why: str, cues: TextCues
) -> list[Evidence]:
    """Every signal present in the page, as named features (weights live in `WEIGHTS`)."""
    ev = [Evidence(f"kind:{kind}", 1.0, why)]
    sig = ex.signals
    title = ex.title or ""
    if page.search_query:
        ev.append(Evidence("search", 1.0, f"search led here: {page.search_query.strip()[:80]}"))
    if sig.code_blocks:
        ev.append(Evidence("code", min(1.0, sig.code_blocks / 5), f"{sig.code_blocks} code blocks"))
    for schema_type in ("HowTo", "Recipe", "TechArticle", "Course", "QAPage", "ScholarlyArticle"):
        if schema_type in ex.metadata.page_types:
            ev.append(Evidence("schema", 1.0, f"schema.org {schema_type}"))
    if cues.steps >= 3 or cues.imperatives >= 4:
        n = max(cues.steps, cues.imperatives)
        ev.append(Evidence("steps", min(1.0, n / 6.4), f"{n} steps or instructions"))
    if HOWTO_TITLE.search(title):
        ev.append(Evidence("howto_title", 1.0, "how-to title"))
    if cues.scholarly >= 2:
        ev.append(Evidence("scholarly", 1.0, "reads like a scholarly abstract"))
    weak = 0.0
    if cues.definitions_rate >= 3.0:
        weak += min(0.5, 0.1 * cues.definitions_rate)
    if cues.teach_rate >= 6.0:
        weak += min(0.5, 0.05 * cues.teach_rate)
    if weak:
        ev.append(Evidence("explains", weak, "explains: definitions, examples, teaching words"))
    if ex.metadata.language in (None, "en") and cues.rare_share >= 0.07:
        ev.append(
            Evidence(
                "jargon",
                1.0 if cues.rare_share >= 0.1 else 0.5,
                f"specialised vocabulary ({cues.rare_share:.0%} rare words)",
            )
        )
    if cues.said_rate >= 5:
        ev.append(
            Evidence(
                "reported_speech", min(1.0, 0.1 * cues.said_rate), "reported speech (news style)"
            )
        )
    if cues.entertain_rate >= 4:
        ev.append(
            Evidence("entertainment", min(1.0, cues.entertain_rate / 8), "entertainment wording")
        )
    if sig.genre in _VIDEO_GENRES_LEARNING:
        ev.append(Evidence("genre_learning", 1.0, f"video category: {sig.genre}"))
    elif sig.genre in _VIDEO_GENRES_NOT:
        ev.append(Evidence("genre_other", 1.0, f"video category: {sig.genre}"))
    if kind in ("video", "podcast") and TALK.search(f"{title} {page.url}"):
        ev.append(Evidence("talk", 1.0, "a talk or lecture"))
    elif ex.metadata.site in TALK_SITES:
        ev.append(Evidence("talk", 1.0, f"talks and lectures site: {ex.metadata.site}"))
    ev.extend(_media_features(page, ex))
    if sig.password_fields and cues.words < 300:
        ev.append(Evidence("login", 1.0, "login form"))
    if cues.words < 60 and page.kind == "page":
        ev.append(Evidence("little_text", 1.0, "little or no main text"))
    if ex.metadata.language and ex.metadata.language != "en":
        ev.append(Evidence("language", 0.0, f"language: {ex.metadata.language}"))
    ev.extend(_engagement(page, cues))
    return ev


def _media_features(page: PageInput, ex: Extracted) -> list[Evidence]:
    """Length of a video or episode, and whether its description cites sources."""
    ev = []
    duration = number(page.media.duration) if page.media else 0.0
    if page.kind in ("video", "audio") and 600 <= duration <= 4 * 3600:  # longer: streams
        ev.append(
            Evidence(
                "long_video",
                min(1.0, (duration - 600) / 1200),
                f"long-form: {_minutes(duration)} {'video' if page.kind == 'video' else 'episode'}",
            )
        )
    description = _description(page, ex)
    if not description:
        return ev
    if _SOURCES.search(description):
        ev.append(Evidence("sources", 1.0, "description cites sources"))
    return ev


def _engagement(page: PageInput, cues: TextCues) -> list[Evidence]:
    media = page.media
    duration = number(media.duration) if media else 0.0
    watched = number(media.watched_seconds) if media else 0.0
    engaged = number(page.engaged_seconds)
    ev = []
    if duration and watched:
        share = min(1.0, watched / duration)
        feature = (
            "watched_most"
            if share >= 0.6
            else ("watched_some" if share >= 0.25 else "watched_little")
        )
        ev.append(
            Evidence(
                feature,
                1.0,
                f"watched {share:.0%} of a {_minutes(duration)} "
                f"{'video' if page.kind != 'audio' else 'episode'}",
            )
        )
    elif engaged >= 120 and cues.words >= 300:
        ev.append(Evidence("read_long", 1.0, f"read for {_minutes(engaged)}"))
    elif 0 < engaged < 10:
        ev.append(Evidence("glance", 1.0, f"only {engaged:.0f} s on the page"))
    scroll = number(page.scroll_depth)
    if scroll >= 0.7 and cues.words >= 300:
        ev.append(Evidence("scrolled", 1.0, f"scrolled {min(scroll, 1.0):.0%}"))
    return ev
