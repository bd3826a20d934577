"""The evidence the learning tagger weighs: what a page **is**, never how long someone stayed.

`page_evidence(...)` runs the table `CHECKS`: small named checks, each returning how strongly its
cue is present (0 = absent) and the reason a person reads; the weight of every check lives in
one place, `WEIGHTS` (the page's kind, from `nlp.page_kind`, is one of them); the checks of how a
text teaches and where a page sits are `nlp.teaching_checks`'. Engagement (time, scroll, watched
share) is not evidence of *whether* a page is learning: `nlp.engagement` reads it for the
score's confidence only, and the tagger never lets it cross the decision line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib.resources import files

from .page_kind import EXPLAINER_TITLE, HOWTO_TITLE, QUESTION_TITLE, Check, PageView, looks_up, ramp
from .teaching_checks import TEACHING_CHECKS
from .textcues import DATED_START, REPORTED_SPEECH_START
from .types import SourceKind

__all__ = [
    "CHECKS",
    "PRIOR_WEIGHTS",
    "WEIGHTS",
    "Evidence",
    "page_evidence",
    "page_features",
    "question_like",
]

# Every number that moves the learning score, by check name (the logit's units), as a person
# set them. `bench/fit_learning.py` fits them on every labelled page read so far (a prior centred
# here) and ships the result as `nlp/data/learning_weights.json`; `WEIGHTS` are those.
PRIOR_WEIGHTS: dict[str, float] = {
    "prior": -0.8,
    # what kind of source it is
    "kind:documentation": 2.6,
    "kind:tutorial": 2.6,
    "kind:q&a": 2.4,
    "kind:course": 3.0,
    "kind:paper": 2.2,
    "kind:repository": 2.0,
    "kind:forum": 0.8,
    "kind:article": 0.0,
    "kind:video": 0.6,
    "kind:podcast": 0.4,
    "kind:news": -2.2,
    "kind:social": -2.2,
    "kind:shop": -3.0,
    "kind:other": -1.0,
    # the page teaches
    "code": 2.0,  # at full strength: 5 code blocks or more
    "teaching schema": 1.2,
    "steps": 1.6,
    "how-to title": 1.4,
    "explainer title": 1.0,
    "question title": 1.2,
    "scholarly wording": 1.8,
    "explains": 1.4,
    "specialised vocabulary": 0.5,
    "general statements": 1.0,
    "technical wording": 1.2,
    "timeless present": 0.8,
    "reference work": 1.6,
    "edu video category": 2.2,
    "talk or lecture": 1.8,
    "search": 0.4,  # any search that led here is intent to find something out
    "question-like search": 0.8,  # on top of it: a question or a problem
    # the page is something else
    "leisure video category": -2.2,
    "announcement title": -2.4,
    "reported speech": -2.0,
    "entertainment wording": -2.0,
    "opinion wording": -1.2,
    "dated wording": -1.0,
    "page of links": -2.4,
    "form to fill": -2.4,
    "little main text": -1.8,
    "main text a small part": -0.8,
    "prices": -1.6,
    # how a text teaches and where the page sits (`nlp.teaching_checks`)
    "asks and answers": 1.0,
    "explaining wording": 0.8,
    "teaching section": 1.0,
    "citation metadata": 2.0,
    "news or lifestyle section": -1.0,
    "shopping wording": -1.5,
    "calls to action": -1.5,
    "title is the search": -2.0,
    "list of teasers": -1.5,
    "legal page": -2.0,
    "review wording": -1.5,
    "asks for opinions": -1.5,
    "entry sections": 1.5,
    "travel wording": -2.0,  # as strong as "entertainment wording": leisure plans
    "explainer written as news": 1.0,
}


def _load_weights() -> dict[str, float]:
    """The fitted weights shipped with the package, over the hand-set ones for any missing."""
    try:
        fitted = json.loads(files("nlp").joinpath("data/learning_weights.json").read_text())
    except FileNotFoundError:
        return dict(PRIOR_WEIGHTS)
    return {name: float(fitted["weights"].get(name, w)) for name, w in PRIOR_WEIGHTS.items()}


WEIGHTS = _load_weights()

_TEACHING_SCHEMA = ("HowTo", "Recipe", "TechArticle", "Course", "QAPage", "ScholarlyArticle")
# The rule: announcements, trailers, press releases, launches and release notes report news of a
# thing, not how it works.
_ANNOUNCEMENT_TITLE = re.compile(
    r"\bannounc(?:e|es|ed|ing|ement|ements)\b|\btrailer\b|\bteaser\b|\bpress release\b|"
    r"^introducing\b|\bnow available\b|\blaunch(?:es|ed)?\b|\brelease notes\b|\bchangelog\b|"
    r"\bwhat's new\b",
    re.I,
)
_VIDEO_GENRES_LEARNING = frozenset({"Education", "Science & Technology", "Howto & Style"})
_VIDEO_GENRES_LEISURE = frozenset(
    {
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
)
_TALK_SITES = frozenset({"media.ccc.de", "ted.com", "infoq.com", "videolectures.net"})
TALK = re.compile(r"\b(?:talk|conference|keynote|lecture|seminar|webinar|c3|summit)\b", re.I)
_QUESTION_SEARCH = re.compile(
    r"^(?:how|what|why|when|which|where|who|can|does|do|is|are|should|difference|example|"
    r"tutorial|learn)\b|\?|\b(?:how to|vs\.?|versus|error|exception|traceback|failed|not working|"
    r"example|tutorial|meaning|definition|explained|syntax)\b",
    re.I,
)

# Shapes of pages that are not read but used: thresholds of the structural checks.
_LINK_SHARE_START, _LINK_SHARE_FULL = 0.4, 0.7  # "page of links": from 40%, full at 70%
_FORM_FIELDS_FULL = 8
_THIN_TEXT_WORDS = 120


@dataclass(frozen=True)
class Evidence:
    """One signal: its name (a `WEIGHTS` key), its signed weight and the reason a person reads."""

    name: str
    weight: float
    reason: str


def question_like(query: str | None) -> bool:
    """Whether a search reads as a question or a problem (how to, why, an error...)."""
    return bool(query and _QUESTION_SEARCH.search(query.strip()))


# -- the checks: each returns (strength in 0..1, reason) or None when its cue is absent ---------
def _code(v: PageView):
    n = v.ex.signals.code_blocks
    return (min(1.0, n / 5), f"{n} code blocks") if n else None


def _teaching_schema(v: PageView):
    found = [t for t in _TEACHING_SCHEMA if t in v.ex.metadata.page_types]
    if found == ["Course"] and v.sells_a_course:  # a course on sale is not a lesson
        return None
    return (1.0, f"schema.org {found[0]}") if found else None


def _steps(v: PageView):
    n = max(v.cues.steps, v.cues.imperatives)
    return (min(1.0, n / 6), f"{n} steps or instructions") if n >= 3 else None


def _howto_title(v: PageView):
    return (1.0, "how-to title") if HOWTO_TITLE.search(v.ex.title) else None


def _explainer_title(v: PageView):
    return (1.0, "an explainer's title") if EXPLAINER_TITLE.search(v.ex.title) else None


def _question_title(v: PageView):
    return (1.0, "the title asks a question") if QUESTION_TITLE.search(v.ex.title) else None


def _scholarly(v: PageView):
    return (1.0, "reads like a scholarly abstract") if v.cues.reads_scholarly else None


def _explains(v: PageView):
    c = v.cues
    if c.words < 150:
        return None
    strength = 0.5 * ramp(c.definitions_rate, 2.0, 6.0) + 0.5 * ramp(c.teach_rate, 4.0, 12.0)
    return (strength, "explains: definitions, examples, teaching words") if strength else None


def _vocabulary(v: PageView):
    share = v.cues.rare_share
    if v.ex.metadata.language not in (None, "en") or share < 0.07:
        return None
    return ramp(share, 0.05, 0.1), f"specialised vocabulary ({share:.0%} rare words)"


def _general(v: PageView):
    c = v.cues
    if c.words < 150 or c.general_rate < 2:
        return None
    return ramp(c.general_rate, 2.0, 8.0), "speaks in general terms (usually, you can, such as)"


def _technical(v: PageView):
    c = v.cues
    if c.words < 300 or c.technical_rate < 10 or not c.is_prose:
        return None
    return ramp(c.technical_rate, 10.0, 40.0), "technical wording (code, data, systems...)"


def _present(v: PageView):
    c = v.cues
    if c.words < 150:
        return None
    strength = ramp(c.present_share, 0.7, 0.95)
    return (strength, "written in the timeless present") if strength else None


def _reference_work(v: PageView):
    return (1.0, "a page to look things up in") if looks_up(v.page, v.ex) else None


def _dated(v: PageView):
    rate = v.cues.dated_rate
    if rate < DATED_START:
        return None
    return ramp(rate, 2.0, 8.0), "dated wording (weekdays, yesterday)"


def _edu_video(v: PageView):
    genre = v.ex.signals.genre
    return (1.0, f"video category: {genre}") if genre in _VIDEO_GENRES_LEARNING else None


def _leisure_video(v: PageView):
    genre = v.ex.signals.genre
    return (1.0, f"video category: {genre}") if genre in _VIDEO_GENRES_LEISURE else None


def _talk(v: PageView):
    if v.page.kind in ("video", "audio") and TALK.search(f"{v.ex.title} {v.page.url}"):
        return 1.0, "a talk or lecture"
    if v.ex.metadata.site in _TALK_SITES:
        return 1.0, f"talks and lectures site: {v.ex.metadata.site}"
    return None


def _search(v: PageView):
    query = (v.page.search_query or "").strip()
    return (1.0, f"search led here: {query[:80]}") if query else None


def _question_search(v: PageView):
    query = v.page.search_query
    if not question_like(query):
        return None
    return 1.0, "the search asks a question or names a problem"


def _announcement(v: PageView):
    return (
        (1.0, "an announcement (news of a thing)")
        if _ANNOUNCEMENT_TITLE.search(v.ex.title)
        else None
    )


def _reported_speech(v: PageView):
    rate = v.cues.said_rate
    if rate < REPORTED_SPEECH_START:
        return None
    # An explainer quotes its experts too, but in the present tense: weaker evidence of news there
    timeless = ramp(v.cues.present_share, 0.7, 0.95)
    return ramp(rate, 3.0, 10.0) * (1 - 0.6 * timeless), "reported speech (news style)"


def _entertainment(v: PageView):
    rate = v.cues.entertain_rate
    return (ramp(rate, 2.0, 8.0), "entertainment wording") if rate >= 3 else None


def _opinion(v: PageView):
    rate = v.cues.opinion_rate
    return (ramp(rate, 3.0, 8.0), "opinion wording (I think, should...)") if rate >= 4 else None


def _page_of_links(v: PageView):
    if v.page.kind != "page":
        return None
    share = v.ex.signals.link_share
    strength = ramp(share, _LINK_SHARE_START, _LINK_SHARE_FULL)
    return (strength, f"mostly links ({share:.0%} of its words)") if strength else None


def _form_to_fill(v: PageView):
    sig = v.ex.signals
    fields = sig.form_fields + 2 * sig.password_fields
    if (
        fields < 3 or v.cues.words >= 300 or sig.code_blocks
    ):  # a blog's comment form is no form page
        return None
    return ramp(fields, 2, _FORM_FIELDS_FULL), f"a form to fill in ({sig.form_fields} fields)"


def _little_text(v: PageView):
    words = v.cues.words
    if words >= _THIN_TEXT_WORDS or v.page.kind != "page" or v.ex.signals.code_blocks:
        return None
    return 1.0 - words / _THIN_TEXT_WORDS, "little or no main text"


def _small_part(v: PageView):
    page_words = v.ex.signals.page_words
    if v.page.kind != "page" or page_words < 400:
        return None
    share = v.cues.words / page_words
    strength = ramp(0.35 - share, 0.0, 0.25)
    return (strength, f"the main text is {share:.0%} of the page") if strength else None


def _prices(v: PageView):
    # Prices marked up for sale, or a text dense with them (a finance explainer quotes a few)
    marked = v.ex.signals.price_markers
    dense = v.cues.prices * 1000 / max(v.cues.words, 50) >= 15
    n = marked + (v.cues.prices if dense else 0)
    return (ramp(n, 1, 6), "prices on the page") if n >= 2 else None


CHECKS: tuple[tuple[str, Check], ...] = (
    ("code", _code),
    ("teaching schema", _teaching_schema),
    ("steps", _steps),
    ("how-to title", _howto_title),
    ("explainer title", _explainer_title),
    ("question title", _question_title),
    ("scholarly wording", _scholarly),
    ("explains", _explains),
    ("specialised vocabulary", _vocabulary),
    ("general statements", _general),
    ("technical wording", _technical),
    ("timeless present", _present),
    ("reference work", _reference_work),
    ("edu video category", _edu_video),
    ("talk or lecture", _talk),
    ("search", _search),
    ("question-like search", _question_search),
    ("leisure video category", _leisure_video),
    ("announcement title", _announcement),
    ("reported speech", _reported_speech),
    ("entertainment wording", _entertainment),
    ("opinion wording", _opinion),
    ("dated wording", _dated),
    ("page of links", _page_of_links),
    ("form to fill", _form_to_fill),
    ("little main text", _little_text),
    ("main text a small part", _small_part),
    ("prices", _prices),
    *TEACHING_CHECKS,
)


def page_features(v: PageView, kind: SourceKind, kind_reason: str) -> list[tuple[str, float, str]]:
    """`(check name, strength 0..1, reason)` for the page's kind and every cue present."""
    out = [(f"kind:{kind}", 1.0, kind_reason)]
    for name, check in CHECKS:
        found = check(v)
        if found and found[0] > 0:
            out.append((name, found[0], found[1]))
    return out


def page_evidence(v: PageView, kind: SourceKind, kind_reason: str) -> list[Evidence]:
    """The evidence of what the page is: each feature's strength times its weight."""
    return [
        Evidence(name, round(WEIGHTS[name] * strength, 3), reason)
        for name, strength, reason in page_features(v, kind, kind_reason)
    ]
