"""What kind of source a captured page is: documentation, a Q&A, news, a shop, a form...

`source_kind(page, ex, cues)` decides it from known hosts and URL shapes (`nlp.sites`), then
schema.org/OpenGraph types (a course with a priced offer is a shop's page: it sells the course),
then the page's shape and wording, and says why. `looks_up` tells a page one looks things up in
(an API entry, a dictionary, an encyclopedia) from one read through.
`PageView` bundles what the learning tagger's checks (`nlp.evidence`, `nlp.teaching_checks`) read
about a page; `Check` is their shape and `ramp` the strength most of them grow by.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import unquote, urlsplit

from .extract import Extracted
from .sites import classify_url
from .textcues import TextCues, sample_lines
from .types import PageInput, SourceKind

__all__ = [
    "EXPLAINER_TITLE",
    "HOWTO_TITLE",
    "QUESTION_TITLE",
    "Check",
    "PageView",
    "looks_up",
    "ramp",
    "source_kind",
    "source_kind_of",
]

_SCHEMA_KINDS: tuple[tuple[str, SourceKind], ...] = (
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
)
# Types any site declares (a shop's blog post is an Article): weaker than the page's wording.
_GENERIC_SCHEMA_KINDS: tuple[tuple[str, SourceKind], ...] = (
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
HOWTO_TITLE = re.compile(
    r"^how to\b|\bhow to (?!\w+ (?:is|was|will)\b)|\btutorial\b|\bcheat ?sheet\b|"
    r"\bguide to\b|\brecipe\b|\bstep[- ]by[- ]step\b|\bexplained\b|\bbeginner'?s guide\b",
    re.I,
)
# A title that explains: why, how, what is, a guide, tips.
EXPLAINER_TITLE = re.compile(
    r"(?:^|[:|\u2013\u2014-] ?)(?:why|how)\b|\bwhat (?:is|are|does|do|happens|makes)\b|"
    r"\bintroduction to\b|\bhow \w+ works?\b|\bwhat you need to know\b|\bthe basics of\b|"
    r"\bunderstanding\b|\bdifference between\b|\bexplain(?:ed|er|s|ing)?\b|\bguidelines?\b|"
    r"\btips\b|\bguide\b|\bbest practices\b|\b\d+ (?:ways|tips|lessons|rules|things|mistakes)\b",
    re.I,
)
# A title that asks, or a thread marked as a solved problem: someone wanted to find out.
QUESTION_TITLE = re.compile(
    r"\?\s*(?:[|\u2013\u2014:-]|$)|\[solved\]|\bhelp needed\b|\bhow do i\b", re.I
)
# Pages one looks a thing up in: API entries, man pages, glossaries, dictionaries, encyclopedias.
_LOOKUP_TITLE = re.compile(
    r"\w\(\)|\b\w+\.\w+\(|\breference\b|(?<![\w-])api(?![\w-])|\bman page\b|\(\d\)|\bglossary\b|"
    r"\bdefinition\b|\bmeaning\b|\bdictionary\b|\bcheat ?sheet\b|\bwhat is an? \w+\b",
    re.I,
)
_LOOKUP_SITES = ("wikipedia.org", "britannica.com", "merriam-webster.com", "dictionary.com")


# A course's sales page: a course in the markup with a priced offer (a lesson is not on sale).
_COURSE_TYPES = ("Course", "LearningResource", "EducationalOccupationalProgram")
_PRICED_OFFER = re.compile(
    r'"@type"\s*:\s*"(?:Offer|AggregateOffer)"|itemprop="(?:price|offers)"|"offers"\s*:', re.I
)

# The section a page's markup declares (OpenGraph's article:section, schema.org's articleSection).
_DECLARED_SECTION = re.compile(
    r'(?:article:section"\s+content="([^"]{1,60})"|"articleSection"\s*:\s*"([^"]{1,60})")', re.I
)


@dataclass(frozen=True)
class PageView:
    """Everything a check may read about one captured page (what several checks read is worked
    out once, on first use)."""

    page: PageInput
    ex: Extracted
    cues: TextCues

    @cached_property
    def lines(self) -> list[str]:
        """The non-empty lines of the main text's sample (`textcues.sample_lines`)."""
        return sample_lines(self.ex.text)

    @cached_property
    def sections(self) -> frozenset[str]:
        """The words naming the site sections the page sits in: its URL's folders (lower case),
        its host's first label, and the words of the section its markup declares."""
        try:
            parts = urlsplit(self.page.url or "")
        except ValueError:
            return frozenset()
        folders = unquote(parts.path).lower().strip("/").split("/")[:-1]  # the last is the page
        words = {f for f in folders if f}
        words.add((parts.hostname or "").split(".")[0])
        if found := _DECLARED_SECTION.search(self.page.html or ""):
            declared = (found.group(1) or found.group(2)).lower()
            words.update(re.split(r"[\s&/,-]+", declared))
        return frozenset(words)

    @cached_property
    def sells_a_course(self) -> bool:
        """The markup declares a course with a priced offer: a sales page, not a lesson."""
        types = self.ex.metadata.page_types
        return any(t in types for t in _COURSE_TYPES) and bool(
            _PRICED_OFFER.search(self.page.html or "")
        )


# A check returns how strongly its cue is present (0..1) and the reason a person reads, or None.
Check = Callable[[PageView], tuple[float, str] | None]


def ramp(value: float, start: float, full: float) -> float:
    """0 at `start` or below, 1 at `full` or above, linear between."""
    if full == start:
        return 1.0 if value >= full else 0.0
    return max(0.0, min(1.0, (value - start) / (full - start)))


def looks_up(page: PageInput, ex: Extracted) -> bool:
    """Whether a page is one to look something up in (a reference), not one to read through."""
    site = ex.metadata.site
    return bool(
        _LOOKUP_TITLE.search(ex.title)
        or "DefinedTerm" in ex.metadata.page_types
        or any(site == s or site.endswith("." + s) for s in _LOOKUP_SITES)
    )


def _used_not_read(v: PageView) -> tuple[SourceKind, str] | None:
    """A page of links or a form to fill, whatever its topic (see the structural checks)."""
    sig = v.ex.signals
    if v.page.kind != "page":  # a player's page is full of links to other videos
        return None
    if sig.form_fields >= 4 and v.cues.words < 300 and not sig.code_blocks:
        return "other", "a form to fill in"
    if sig.link_share >= 0.6 and v.cues.words < 600:
        return "other", "mostly links"
    return None


def source_kind(page: PageInput, ex: Extracted, cues: TextCues) -> tuple[SourceKind, str]:
    """What kind of source the page is, and the reason shown for it."""
    return source_kind_of(PageView(page, ex, cues))


def source_kind_of(view: PageView) -> tuple[SourceKind, str]:
    """`source_kind` of a page already viewed (what the view works out is then worked out once
    for the kind and the checks)."""
    page, ex, cues = view.page, view.ex, view.cues
    if page.kind == "audio":
        return "podcast", "audio capture"
    if used := _used_not_read(view):  # a docs site's search results are a list of links
        return used
    hint = classify_url(page.url)
    if hint.source_kind not in (None, "article"):  # hosts and URL shapes beat markup
        return hint.source_kind, hint.reason  # type: ignore[return-value]
    if page.kind == "video" or (
        ex.signals.media_elements and "VideoObject" in ex.metadata.page_types
    ):
        return "video", "video capture"
    for schema_type, kind in _SCHEMA_KINDS:
        if schema_type in ex.metadata.page_types:
            if kind == "course" and view.sells_a_course:
                return "shop", "sells a course (a priced offer in its markup)"
            return kind, f"schema.org {schema_type}"
    if ex.signals.code_blocks >= 2 or HOWTO_TITLE.search(ex.title) or cues.steps >= 3:
        return "tutorial", "how-to title, steps or code"
    if cues.reads_scholarly:
        return "paper", "reads like a scholarly abstract"
    for schema_type, kind in _GENERIC_SCHEMA_KINDS:
        if schema_type in ex.metadata.page_types:
            return kind, f"schema.org {schema_type}"
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
