"""The learning tagger: was this capture informal learning, and of what form, modality, kind?

The rule: what a page **is** decides whether it is learning; how long the user stayed decides
how much (minutes, elsewhere) and the **form**. The evidence (`nlp.evidence`: the source kind
and a table of named checks, each weight in one place) is summed into a logit; the visit's
engagement (`nlp.engagement`) then nudges the score's confidence a little but never across 0.5,
so a long stay never turns leisure into learning and a short look at documentation stays
learning. The reasons are exactly the evidence that moved the score, strongest first.

User corrections win: for a page of site S, corrections keyed by S (or by a parent domain of S,
the most specific key first) are applied field by field, the most recent correction (the last
in the list) winning; `corrected=True` when any field came from a correction.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

from .engagement import engagement_nudge, positive_number
from .evidence import TALK, WEIGHTS, Evidence, page_evidence
from .extract import Extracted
from .page_kind import PageView, looks_up, source_kind_of
from .sites import site_matches
from .teaching_checks import ENTRY_SECTIONS_MIN, entry_sections
from .textcues import read_cues
from .types import Form, FourE, LearningTags, Modality, PageInput, SiteCorrections, SourceKind

__all__ = ["form_of", "tag_learning"]

_DOING = re.compile(
    r"colab\.research|jupyter|notebook|codepen\.io|jsfiddle|replit\.com|"
    r"codesandbox|playground|play\.rust-lang|godbolt",
    re.I,
)
# A numbered part of a series is a course's unit, however long it was watched: "Lecture 12",
# "Unit 4, Lesson 1", "Module 3" (the labelling rule's "a numbered lecture of a series").
_NUMBERED_LESSON = re.compile(r"\b(?:lecture|lesson|unit|module)\s+\d+", re.I)
# An entry one looks up, by its title's shape: "SUMIFS function - ...", "RFC 9110 § 10.2", a
# health "A to Z" (a rule for the form only: `looks_up`, evidence of learning too, is unchanged).
_ENTRY_TITLE = re.compile(
    r"^\S+ (?:function|package|module|command|directive)\b|\brfc \d+|\u00a7|\ba(?: to |-)z\b", re.I
)
# An entry in a reference site's folder for entries: "/wiki/Doppler_effect", "/glossary/ebitda".
_ENTRY_PATH = re.compile(
    r"^https?://[^/?#]+(?:/[^/?#]+)*/(?:wiki|dictionary|glossary|encyclop(?:a)?edia)/[^/?#]", re.I
)
# Sustained attention on one page makes a deep dive: about 2,500 words read, a 20-minute video.
_SUSTAINED_READING_SECONDS = 660
_SUSTAINED_WATCHING_SECONDS = 1200
_QUICK_LOOKUP_SECONDS = 300  # after a search, less than this is a just-in-time look
_NUDGE_FLOOR = 0.05  # how close to the line a nudge may bring the logit, never across it


def _sustained(page: PageInput) -> bool:
    media = page.media
    watched = positive_number(media.watched_seconds) if media else 0.0
    return watched >= _SUSTAINED_WATCHING_SECONDS or (
        not watched and positive_number(page.engaged_seconds) >= _SUSTAINED_READING_SECONDS
    )


def form_of(page: PageInput, ex: Extracted, kind: SourceKind) -> Form:
    """The form: a course's lesson, a lookup, a just-in-time answer, a deep dive or micro."""
    if kind == "course" or _NUMBERED_LESSON.search(ex.title):
        return "course"
    if _sustained(page):
        return "deep-dive"  # a search may have led here, but this long is no lookup
    if page.search_query and positive_number(page.engaged_seconds) < _QUICK_LOOKUP_SECONDS:
        return "just-in-time"
    if (
        looks_up(page, ex)
        or _ENTRY_TITLE.search(ex.title)
        or _ENTRY_PATH.match(page.url or "")
        or len(entry_sections(ex.text)) >= ENTRY_SECTIONS_MIN
    ):
        return "reference"
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


def _nudged(logit: float, nudge: Evidence | None) -> float:
    """`logit` moved by the engagement nudge, stopping short of the decision line."""
    if nudge is None:
        return logit
    moved = logit + nudge.weight
    if (moved >= 0) != (logit >= 0):  # stop short of the line, never behind where it started
        return min(logit, _NUDGE_FLOOR) if logit >= 0 else max(logit, -_NUDGE_FLOOR)
    return moved


def _ordered_reasons(evidence: list[Evidence], is_learning: bool) -> tuple[str, ...]:
    """Reasons that pushed the decision the way it went first, strongest first; then the rest."""
    ordered = sorted(evidence, key=lambda e: -abs(e.weight))
    first = [e.reason for e in ordered if e.weight != 0 and (e.weight > 0) == is_learning]
    rest = [e.reason for e in ordered if e.weight == 0 or (e.weight > 0) != is_learning]
    unique = list(dict.fromkeys(first + rest))
    # "a form to fill in" says less than "a form to fill in (6 fields)": keep the longer one
    return tuple(r for r in unique if not any(o != r and o.startswith(r) for o in unique))


def tag_learning(
    page: PageInput, ex: Extracted, corrections: SiteCorrections | None = None
) -> LearningTags:
    """Tag one extracted page; reasons are strongest-first; the user's corrections win."""
    view = PageView(page, ex, read_cues(ex.text))
    kind, why = source_kind_of(view)
    evidence = page_evidence(view, kind, why)
    logit = WEIGHTS["prior"] + sum(e.weight for e in evidence)
    is_learning = logit >= 0
    nudge = engagement_nudge(page, view.cues)
    score = 1.0 / (1.0 + math.exp(-_nudged(logit, nudge)))
    if ex.metadata.language and ex.metadata.language != "en":
        evidence.append(Evidence("language", 0.0, f"language: {ex.metadata.language}"))
    modality = _modality(page, kind)
    form = form_of(page, ex, kind)
    tags = LearningTags(
        is_learning=is_learning,
        learning_score=round(score, 3),
        reasons=_ordered_reasons(evidence, is_learning) + ((nudge.reason,) if nudge else ()),
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
