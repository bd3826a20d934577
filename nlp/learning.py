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

# The weight each signal adds to the log-odds of "learning" when fully present (value 1.0).
# Content weights: fitted by `python -m bench.fit_learning` (which refits and prints this table)
# as a logistic regression on the 258 development labels, pulled towards the earlier hand-set
# weights (Gaussian prior, l2=3 chosen by 5-fold CV; new signals start from 0). Engagement
# weights (search, watch, read, scroll) stay hand-set: the labelled corpus has no engagement.
_WEIGHTS: dict[str, float] = {
    "bias": -0.82,
    "kind:documentation": 2.6,
    "kind:tutorial": 2.77,
    "kind:q&a": 2.4,
    "kind:course": 3.0,
    "kind:paper": 2.4,
    "kind:repository": 1.88,
    "kind:forum": 0.8,
    "kind:article": -0.83,
    "kind:video": 0.12,
    "kind:podcast": 0.3,
    "kind:news": -2.31,
    "kind:social": -2.2,
    "kind:shop": -3.02,
    "kind:other": -0.43,
    "code": 2.03,
    "schema": 1.24,
    "steps": 1.7,
    "howto_title": 1.32,
    "scholarly": 1.8,
    "explains": 1.43,
    "jargon": 1.51,
    "academic": 0.3,
    "explainer_title": 0.43,
    "lesson_title": 0.09,
    "reported_speech": -2.26,
    "entertainment": -2.07,
    "genre_learning": 1.89,
    "genre_other": -1.84,
    "talk": 1.76,
    "long_video": 0.59,
    "chapters": 0.22,
    "sources": 0.68,
    "promo_links": -0.02,
    "login": -2.01,
    "little_text": -1.02,
}
_ENGAGEMENT: dict[str, float] = {
    "search": 1.6,
    "watched_most": 1.2,
    "watched_some": 0.4,
    "watched_little": -0.6,
    "read_long": 0.6,
    "glance": -0.8,
    "scrolled": 0.3,
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
_TALK = re.compile(
    r"\b(?:talk|conference|keynote|lecture|seminar|webinar|c3|summit|panel|symposium|"
    r"vortrag|vorlesung|konferenz|conférence|colloque|conferencia|ponencia|charla)\b",
    re.I,
)
# titles that promise an explanation, in the languages nlp.language knows
_EXPLAINER_TITLE = re.compile(
    r"\b(?:what (?:is|are|makes)|why (?:do|does|is|are)|how (?:do|does|is|are)|explained|"
    r"explainer|introduction to|intro to|basics of|history of|documentary|"
    r"was ist|warum|wie funktionier\w*|erklärt|einführung|grundlagen|geschichte|doku\w*|"
    r"qu'est-ce|pourquoi|comment|expliqu\w*|histoire|documentaire|"
    r"qué es|por qué|cómo|explica\w*|historia|documental)\b",
    re.I,
)
_LESSON_TITLE = re.compile(
    r"\b(?:lecture|lesson|chapter|lektion|kapitel|vorlesung|leçon|chapitre|"
    r"cours|clase|lección|capítulo|lezione)\s*#?\d",
    re.I,
)
_TIMESTAMP_LINE = re.compile(r"(?m)^\s*[\[(]?(?:\d{1,2}:)?\d{1,2}:\d\d\b")
_SOURCES = re.compile(
    r"\b(?:sources?|references?|quellen|literatur|bibliograph\w*|further reading|doi\.org|"
    r"arxiv|wikipedia|\.edu\b|\.pdf\b)",
    re.I,
)
_PROMO = re.compile(
    r"instagram|twitter\.com|facebook\.com|tiktok|spotify|itunes|snapchat|\bmerch|"
    r"amzn\.to|promo code|discount|follow (?:us|me)|subscribe|abonnier|abonne",
    re.I,
)


def _num(value: object) -> float:
    """A float from a number-ish value (callers may pass strings or None); 0.0 otherwise."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) and number > 0 else 0.0


@dataclass(frozen=True)
class _Evidence:
    """One signal: `feature` names its weight, `value` (0-1, or more for counts) its strength."""

    feature: str
    value: float
    reason: str

    @property
    def weight(self) -> float:
        table = _ENGAGEMENT if self.feature in _ENGAGEMENT else _WEIGHTS
        return table.get(self.feature, 0.0) * self.value


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
    if cues.scholarly >= 2:
        return "paper", "reads like a scholarly abstract"
    if 30 <= cues.words < 400 and cues.nominal_share >= 0.065 and cues.said_rate < 5:
        return "paper", "short text in academic register"
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


def _description(page: PageInput, ex: Extracted) -> str:
    """A video's or episode's own description (what the uploader wrote), else ""."""
    if page.kind not in ("video", "audio") and not ex.signals.video_description:
        return ""
    return ex.signals.video_description or page.text or ex.metadata.description or ""


def _features(
    page: PageInput, ex: Extracted, kind: SourceKind, why: str, cues: TextCues
) -> list[_Evidence]:
    """Every signal present in the page, as named features (weights live in `_WEIGHTS`)."""
    ev = [_Evidence(f"kind:{kind}", 1.0, why)]
    sig = ex.signals
    title = ex.title or ""
    if page.search_query:
        ev.append(_Evidence("search", 1.0, f"search led here: {page.search_query.strip()[:80]}"))
    if sig.code_blocks:
        ev.append(
            _Evidence("code", min(1.0, sig.code_blocks / 5), f"{sig.code_blocks} code blocks")
        )
    for schema_type in ("HowTo", "Recipe", "TechArticle", "Course", "QAPage", "ScholarlyArticle"):
        if schema_type in ex.metadata.page_types:
            ev.append(_Evidence("schema", 1.0, f"schema.org {schema_type}"))
    if cues.steps >= 3 or cues.imperatives >= 4:
        n = max(cues.steps, cues.imperatives)
        ev.append(_Evidence("steps", min(1.0, n / 6.4), f"{n} steps or instructions"))
    if _HOWTO_TITLE.search(title):
        ev.append(_Evidence("howto_title", 1.0, "how-to title"))
    elif _EXPLAINER_TITLE.search(title):
        ev.append(_Evidence("explainer_title", 1.0, "title promises an explanation"))
    if _LESSON_TITLE.search(title):
        ev.append(_Evidence("lesson_title", 1.0, "a numbered lecture or lesson"))
    if cues.scholarly >= 2:
        ev.append(_Evidence("scholarly", 1.0, "reads like a scholarly abstract"))
    if cues.nominal_share >= 0.05:
        ev.append(
            _Evidence(
                "academic",
                min(1.0, (cues.nominal_share - 0.04) / 0.04),
                f"academic register ({cues.nominal_share:.0%} nominalisations)",
            )
        )
    weak = 0.0
    if cues.definitions_rate >= 3.0:
        weak += min(0.5, 0.1 * cues.definitions_rate)
    if cues.teach_rate >= 6.0:
        weak += min(0.5, 0.05 * cues.teach_rate)
    if weak:
        ev.append(_Evidence("explains", weak, "explains: definitions, examples, teaching words"))
    if ex.metadata.language in (None, "en") and cues.rare_share >= 0.07:
        ev.append(
            _Evidence(
                "jargon",
                1.0 if cues.rare_share >= 0.1 else 0.5,
                f"specialised vocabulary ({cues.rare_share:.0%} rare words)",
            )
        )
    if cues.said_rate >= 5:
        ev.append(
            _Evidence(
                "reported_speech", min(1.0, 0.1 * cues.said_rate), "reported speech (news style)"
            )
        )
    if cues.entertain_rate >= 4:
        ev.append(
            _Evidence("entertainment", min(1.0, cues.entertain_rate / 8), "entertainment wording")
        )
    if sig.genre in _VIDEO_GENRES_LEARNING:
        ev.append(_Evidence("genre_learning", 1.0, f"video category: {sig.genre}"))
    elif sig.genre in _VIDEO_GENRES_NOT:
        ev.append(_Evidence("genre_other", 1.0, f"video category: {sig.genre}"))
    if kind in ("video", "podcast") and _TALK.search(f"{title} {page.url}"):
        ev.append(_Evidence("talk", 1.0, "a talk or lecture"))
    elif ex.metadata.site in _TALK_SITES:
        ev.append(_Evidence("talk", 1.0, f"talks and lectures site: {ex.metadata.site}"))
    ev.extend(_media_features(page, ex))
    if sig.password_fields and cues.words < 300:
        ev.append(_Evidence("login", 1.0, "login form"))
    if cues.words < 60 and page.kind == "page":
        ev.append(_Evidence("little_text", 1.0, "little or no main text"))
    if ex.metadata.language and ex.metadata.language != "en":
        ev.append(_Evidence("language", 0.0, f"language: {ex.metadata.language}"))
    ev.extend(_engagement(page, cues))
    return ev


def _media_features(page: PageInput, ex: Extracted) -> list[_Evidence]:
    """Length and description shape of a video or episode (chapters, sources, promo links)."""
    ev = []
    duration = _num(page.media.duration) if page.media else 0.0
    if page.kind in ("video", "audio") and 600 <= duration <= 4 * 3600:  # longer: streams
        ev.append(
            _Evidence(
                "long_video",
                min(1.0, (duration - 600) / 1200),
                f"long-form: {_minutes(duration)} {'video' if page.kind == 'video' else 'episode'}",
            )
        )
    description = _description(page, ex)
    if not description:
        return ev
    chapters = len(_TIMESTAMP_LINE.findall(description))
    if chapters >= 3:
        ev.append(_Evidence("chapters", 1.0, f"description lists {chapters} chapters"))
    if _SOURCES.search(description):
        ev.append(_Evidence("sources", 1.0, "description cites sources"))
    promo = len(_PROMO.findall(description))
    if promo >= 2:
        ev.append(_Evidence("promo_links", min(1.0, promo / 6), "description is promotion"))
    return ev


def _engagement(page: PageInput, cues: TextCues) -> list[_Evidence]:
    media = page.media
    duration = _num(media.duration) if media else 0.0
    watched = _num(media.watched_seconds) if media else 0.0
    engaged = _num(page.engaged_seconds)
    ev = []
    if duration and watched:
        share = min(1.0, watched / duration)
        feature = (
            "watched_most"
            if share >= 0.6
            else ("watched_some" if share >= 0.25 else "watched_little")
        )
        ev.append(
            _Evidence(
                feature,
                1.0,
                f"watched {share:.0%} of a {_minutes(duration)} "
                f"{'video' if page.kind != 'audio' else 'episode'}",
            )
        )
    elif engaged >= 120 and cues.words >= 300:
        ev.append(_Evidence("read_long", 1.0, f"read for {_minutes(engaged)}"))
    elif 0 < engaged < 10:
        ev.append(_Evidence("glance", 1.0, f"only {engaged:.0f} s on the page"))
    scroll = _num(page.scroll_depth)
    if scroll >= 0.7 and cues.words >= 300:
        ev.append(_Evidence("scrolled", 1.0, f"scrolled {min(scroll, 1.0):.0%}"))
    return ev


def _form(page: PageInput, ex: Extracted, kind: SourceKind, cues: TextCues) -> Form:
    media = page.media
    seconds = max(_num(page.engaged_seconds), _num(media.watched_seconds) if media else 0.0)
    duration = _num(media.duration) if media else 0.0
    if kind == "course":
        return "course"
    if page.search_query:
        return "just-in-time"
    if kind in ("documentation", "q&a"):
        return "reference"
    if seconds >= 900 or duration >= 1200 or ex.metadata.word_count >= 2500:
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
    evidence = _features(page, ex, kind, why, cues)
    total = _WEIGHTS["bias"] + sum(e.weight for e in evidence)
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
