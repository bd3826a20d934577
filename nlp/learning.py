"""The learning tagger: was this capture informal learning, and of what form, modality, kind?

The source kind comes first (page kind, known hosts, schema.org/OpenGraph types, URL shape,
then the text's structure); then every signal is a piece of `nlp.evidence.Evidence` (a weight
and the reason a person reads), and the learning score is a logistic of their weights, so
`reasons` are exactly the signals that moved it, strongest first.

User corrections win: for a page of site S, corrections keyed by S (or by a parent domain of S,
the most specific key first) are applied field by field, the most recent correction (the last
in the list) winning; `corrected=True` when any field came from a correction.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

from .evidence import HOWTO_TITLE, TALK, WEIGHTS, number, read_evidence
from .extract import Extracted
from .sites import classify_url, site_matches
from .textcues import TextCues, read_cues
from .types import Form, FourE, LearningTags, Modality, PageInput, SiteCorrections, SourceKind

__all__ = ["tag_learning"]

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
_DOING = re.compile(
    r"colab\.research|jupyter|notebook|codepen\.io|jsfiddle|replit\.com|"
    r"codesandbox|playground|play\.rust-lang|godbolt",
    re.I,
)


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
    if ex.signals.code_blocks >= 2 or HOWTO_TITLE.search(ex.title) or cues.steps >= 3:
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


def _form(page: PageInput, ex: Extracted, kind: SourceKind, cues: TextCues) -> Form:
    media = page.media
    seconds = max(number(page.engaged_seconds), number(media.watched_seconds) if media else 0.0)
    duration = number(media.duration) if media else 0.0
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
    if kind in ("video", "podcast") and TALK.search(f"{ex.title} {page.url}"):
        return "exposure"
    return "education"


def tag_learning(
    page: PageInput, ex: Extracted, corrections: SiteCorrections | None = None
) -> LearningTags:
    """Tag one extracted page; reasons are strongest-first; the user's corrections win."""
    cues = read_cues(ex.text)
    kind, why = _source_kind(page, ex, cues)
    evidence = read_evidence(page, ex, kind, why, cues)
    total = WEIGHTS["bias"] + sum(e.weight for e in evidence)
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
