"""The learning tagger: was this capture informal learning, and of what form, modality, kind?

Every signal is a piece of `_Evidence` (a weight and the reason a person reads). The source
kind comes first (page kind, known hosts, schema.org/OpenGraph types, URL shape, then the text's
structure); the learning score is a logistic of the evidence weights, so `reasons` are exactly
the signals that moved it, strongest first.

User corrections win: for a page of site S, corrections keyed by S (or by a parent domain of S,
the most specific key first) are applied field by field, the most recent correction (the last
in the list) winning; `corrected=True` when any field came from a correction.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from .extract import Extracted
from .sites import classify_url, site_matches
from .textcues import TextCues, read_cues
from .types import Form, FourE, LearningTags, Modality, PageInput, SiteCorrections, SourceKind

__all__ = ["tag_learning"]

_LEARNING_KINDS = {
    "documentation": 2.6,
    "tutorial": 2.6,
    "q&a": 2.4,
    "course": 3.0,
    "paper": 2.2,
    "repository": 2.0,
    "forum": 0.8,
    "article": 0.0,
    "video": 0.0,
    "podcast": 0.3,
    "news": -2.2,
    "social": -2.2,
    "shop": -3.0,
    "other": -1.0,
}
_SCHEMA_KINDS = (
    ("QAPage", "q&a"),
    ("Question", "q&a"),
    ("HowTo", "tutorial"),
    ("Recipe", "tutorial"),
    ("TechArticle", "documentation"),
    ("APIReference", "documentation"),
    ("Course", "course"),
    ("LearningResource", "course"),
    ("ScholarlyArticle", "paper"),
    ("MedicalScholarlyArticle", "paper"),
    ("SoftwareSourceCode", "repository"),
    ("DiscussionForumPosting", "forum"),
    ("SocialMediaPosting", "social"),
    ("NewsArticle", "news"),
    ("ReportageNewsArticle", "news"),
    ("Product", "shop"),
    ("Offer", "shop"),
    ("VideoObject", "video"),
    ("PodcastEpisode", "podcast"),
    ("BlogPosting", "article"),
    ("Article", "article"),
    ("og:article", "article"),
)
_GENERIC_SCHEMA = 13  # _SCHEMA_KINDS from NewsArticle on (Product, Article...) are weak hints
_HOWTO_TITLE = re.compile(
    r"^how to\b|\bhow to (?!\w+ (?:is|was|will)\b)|\btutorial\b|"
    r"\bguide to\b|\brecipe\b|\bstep[- ]by[- ]step\b|\bexplained\b",
    re.I,
)
# The rule: announcements, trailers and press releases report news of a thing, not how it works.
_ANNOUNCEMENT_TITLE = re.compile(
    r"\bannounc(?:e|es|ed|ing|ement|ements)\b|\btrailer\b|\bteaser\b|\bpress release\b", re.I
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
_DOING = re.compile(
    r"colab\.research|jupyter|notebook|codepen\.io|jsfiddle|replit\.com|"
    r"codesandbox|playground|play\.rust-lang|godbolt",
    re.I,
)
_TALK_SITES = frozenset({"media.ccc.de", "ted.com", "infoq.com", "videolectures.net"})
_TALK = re.compile(r"\b(?:talk|conference|keynote|lecture|seminar|webinar|c3|summit)\b", re.I)


def _num(value: object) -> float:
    """A float from a number-ish value (callers may pass strings or None); 0.0 otherwise."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) and number > 0 else 0.0


@dataclass(frozen=True)
class _Evidence:
    weight: float
    reason: str


def _source_kind(page: PageInput, ex: Extracted, cues: TextCues) -> tuple[SourceKind, str]:
    if page.kind == "audio":
        return "podcast", "audio capture"
    hint = classify_url(page.url)
    if hint.source_kind not in (None, "article"):  # hosts and URL shapes beat markup
        return hint.source_kind, hint.reason  # type: ignore[return-value]
    if page.kind == "video" or (
        ex.signals.media_elements and "VideoObject" in ex.metadata.page_types
    ):
        return "video", "video capture"
    for schema_type, kind in _SCHEMA_KINDS[:_GENERIC_SCHEMA]:
        if schema_type in ex.metadata.page_types:
            return kind, f"schema.org {schema_type}"  # type: ignore[return-value]
    if ex.signals.code_blocks >= 2 or _HOWTO_TITLE.search(ex.title) or cues.steps >= 3:
        return "tutorial", "how-to title, steps or code"
    if cues.reads_scholarly:
        return "paper", "reads like a scholarly abstract"
    for schema_type, kind in _SCHEMA_KINDS[_GENERIC_SCHEMA:]:
        if schema_type in ex.metadata.page_types:
            return kind, f"schema.org {schema_type}"  # type: ignore[return-value]
    if hint.source_kind:
        return hint.source_kind, hint.reason  # type: ignore[return-value]
    if ex.signals.password_fields and cues.words < 300:
        return "other", "login form"
    if ex.signals.price_markers or cues.prices >= 5:
        return "shop", "prices on the page"
    if ex.signals.code_blocks >= 3 or cues.steps >= 4:
        return "tutorial", "steps or code in the text"
    if cues.said_rate >= 6:
        return "news", "reported speech (news style)"
    if cues.words >= 150:
        return "article", "long-form text"
    return "other", "little text"


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.0f}-min" if seconds >= 60 else f"{seconds:.0f}-s"


def _evidence(
    page: PageInput, ex: Extracted, kind: SourceKind, why: str, cues: TextCues
) -> list[_Evidence]:
    ev = [_Evidence(_LEARNING_KINDS.get(kind, 0.0), why)]
    sig = ex.signals
    if page.search_query:
        ev.append(_Evidence(1.6, f"search led here: {page.search_query.strip()[:80]}"))
    if sig.code_blocks:
        ev.append(_Evidence(min(2.0, 0.4 * sig.code_blocks), f"{sig.code_blocks} code blocks"))
    for schema_type in ("HowTo", "Recipe", "TechArticle", "Course", "QAPage", "ScholarlyArticle"):
        if schema_type in ex.metadata.page_types:
            ev.append(_Evidence(1.2, f"schema.org {schema_type}"))
    if cues.steps >= 3 or cues.imperatives >= 4:
        n = max(cues.steps, cues.imperatives)
        ev.append(_Evidence(min(1.6, 0.25 * n), f"{n} steps or instructions"))
    if _HOWTO_TITLE.search(ex.title):
        ev.append(_Evidence(1.2, "how-to title"))
    if cues.reads_scholarly:
        ev.append(_Evidence(1.8, "reads like a scholarly abstract"))
    if _ANNOUNCEMENT_TITLE.search(ex.title):
        ev.append(_Evidence(_LEARNING_KINDS["news"], "an announcement (news of a thing)"))
    weak = 0.0
    if cues.definitions_rate >= 3.0:
        weak += min(0.6, 0.12 * cues.definitions_rate)
    if cues.teach_rate >= 6.0:
        weak += min(0.6, 0.06 * cues.teach_rate)
    if weak:
        ev.append(_Evidence(weak, "explains: definitions, examples, teaching words"))
    if ex.metadata.language in (None, "en") and cues.rare_share >= 0.07:
        ev.append(
            _Evidence(
                1.0 if cues.rare_share >= 0.1 else 0.5,
                f"specialised vocabulary ({cues.rare_share:.0%} rare words)",
            )
        )
    if cues.said_rate >= 5:
        ev.append(_Evidence(-min(2.0, 0.2 * cues.said_rate), "reported speech (news style)"))
    if cues.entertain_rate >= 4:
        ev.append(_Evidence(-min(2.0, 0.25 * cues.entertain_rate), "entertainment wording"))
    if sig.genre in _VIDEO_GENRES_LEARNING:
        ev.append(_Evidence(1.8, f"video category: {sig.genre}"))
    elif sig.genre in _VIDEO_GENRES_NOT:
        ev.append(_Evidence(-1.8, f"video category: {sig.genre}"))
    if kind in ("video", "podcast") and _TALK.search(f"{ex.title} {page.url}"):
        ev.append(_Evidence(1.6, "a talk or lecture"))
    elif ex.metadata.site in _TALK_SITES:
        ev.append(_Evidence(1.6, f"talks and lectures site: {ex.metadata.site}"))
    if sig.password_fields and cues.words < 300:
        ev.append(_Evidence(-2.0, "login form"))
    if cues.words < 60 and page.kind == "page":
        ev.append(_Evidence(-1.5, "little or no main text"))
    if ex.metadata.language and ex.metadata.language != "en":
        ev.append(_Evidence(0.0, f"language: {ex.metadata.language}"))
    media = page.media
    duration = _num(media.duration) if media else 0.0
    watched = _num(media.watched_seconds) if media else 0.0
    engaged = _num(page.engaged_seconds)
    if duration and watched:
        share = min(1.0, watched / duration)
        weight = 1.2 if share >= 0.6 else (0.4 if share >= 0.25 else -0.6)
        ev.append(
            _Evidence(
                weight,
                f"watched {share:.0%} of a {_minutes(duration)} "
                f"{'video' if page.kind != 'audio' else 'episode'}",
            )
        )
    elif engaged >= 120 and cues.words >= 300:
        ev.append(_Evidence(0.6, f"read for {_minutes(engaged)}"))
    elif 0 < engaged < 10:
        ev.append(_Evidence(-0.8, f"only {engaged:.0f} s on the page"))
    scroll = _num(page.scroll_depth)
    if scroll >= 0.7 and cues.words >= 300:
        ev.append(_Evidence(0.3, f"scrolled {min(scroll, 1.0):.0%}"))
    return [e for e in ev if e.reason]


_SUSTAINED_SECONDS = 900  # 15 minutes of attention on one page


def _form(page: PageInput, ex: Extracted, kind: SourceKind, cues: TextCues) -> Form:
    media = page.media
    seconds = max(_num(page.engaged_seconds), _num(media.watched_seconds) if media else 0.0)
    duration = _num(media.duration) if media else 0.0
    if kind == "course":
        return "course"
    if seconds >= _SUSTAINED_SECONDS:
        return "deep-dive"  # a search may have led here, but a quarter of an hour is no lookup
    if page.search_query:
        return "just-in-time"
    if kind in ("documentation", "q&a"):
        return "reference"
    if duration >= 1200 or ex.metadata.word_count >= 2500:
        return "deep-dive"
    return "micro"


def _modality(page: PageInput, kind: SourceKind) -> Modality:
    if page.kind == "audio" or kind == "podcast":
        return "listening"
    if page.kind == "video" or kind == "video":
        return "watching"
    if kind == "repository" or _DOING.search(page.url or ""):
        return "doing"
    return "reading"


def _four_e(page: PageInput, ex: Extracted, kind: SourceKind, modality: Modality) -> FourE:
    if modality == "doing" or kind == "repository":
        return "experience"
    if kind in ("documentation",):
        return "environment"
    if kind in ("q&a", "forum", "social"):
        return "exposure"
    if kind in ("video", "podcast") and _TALK.search(f"{ex.title} {page.url}"):
        return "exposure"
    return "education"


def tag_learning(
    page: PageInput, ex: Extracted, corrections: SiteCorrections | None = None
) -> LearningTags:
    """Tag one extracted page; reasons are strongest-first; the user's corrections win."""
    cues = read_cues(ex.text)
    kind, why = _source_kind(page, ex, cues)
    evidence = _evidence(page, ex, kind, why, cues)
    total = -0.8 + sum(e.weight for e in evidence)
    score = 1.0 / (1.0 + math.exp(-total))
    is_learning = score >= 0.5
    ordered = sorted(evidence, key=lambda e: -abs(e.weight))
    # reasons that pushed the decision the way it went come first; neutral facts last
    reasons = [e.reason for e in ordered if (e.weight > 0) == is_learning and e.weight != 0]
    reasons += [e.reason for e in ordered if (e.weight > 0) != is_learning or e.weight == 0]
    modality = _modality(page, kind)
    form = _form(page, ex, kind, cues)
    tags = LearningTags(
        is_learning=is_learning,
        learning_score=round(score, 3),
        reasons=tuple(dict.fromkeys(reasons)),
        form=form if is_learning else None,
        modality=modality,
        source_kind=kind,
        four_e=_four_e(page, ex, kind, modality) if is_learning else None,
    )
    return _apply_corrections(tags, ex.metadata.site, corrections, form)


def _apply_corrections(
    tags: LearningTags, site: str, corrections: SiteCorrections | None, fallback_form: Form
) -> LearningTags:
    """Apply the user's corrections for `site` (see the module docstring for the rule)."""
    if corrections is None or not site:
        return tags
    keys = sorted((k for k in corrections.by_site if site_matches(site, k)), key=len)
    if not keys:
        return tags
    chosen: dict[str, object] = {}
    for key in keys:  # least specific first, so the exact site overrides a parent domain
        for correction in corrections.by_site[key]:
            for name in ("is_learning", "form", "modality", "source_kind", "four_e"):
                value = getattr(correction, name)
                if value is not None:
                    chosen[name] = value
    if not chosen:
        return tags
    updated = replace(tags, corrected=True, **chosen)
    reason = f"your corrections for {keys[-1]}"
    if updated.is_learning and updated.form is None:
        updated = replace(updated, form=fallback_form)
    if updated.is_learning and updated.four_e is None:
        updated = replace(updated, four_e="education")
    if not updated.is_learning:
        updated = replace(updated, form=None, four_e=None)
    score = updated.learning_score
    if updated.is_learning != tags.is_learning:
        score = 0.9 if updated.is_learning else 0.1
    return replace(updated, learning_score=score, reasons=(reason, *tags.reasons))
