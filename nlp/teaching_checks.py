"""How a text teaches and where a page sits: the learning tagger's checks of issue 11, stops 13-14.

What a person notices on an explainer or a prose how-to and the checks of `nlp.evidence` lack:
questions a text asks and then answers, wording that explains a cause ("that's why", "in other
words"), the section of the site a page sits in, a paper's citation metadata, an entry's sections
(origin, usage, see also), an explainer written as news; and, against it, a shopping roundup's
wording, a sales page's calls to action, a list of teasers, a search page whose title is only the
query, a legal page, a review, a thread asking for opinions, a travel plan's wording. Each check
returns `(strength 0..1, reason)` or None; `TEACHING_CHECKS` is their table, which
`nlp.evidence.CHECKS` takes in whole, and their weights are in `nlp.evidence.PRIOR_WEIGHTS` and
the fitted data file like every other check's (how they were measured: `bench/README.md`).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from .page_kind import EXPLAINER_TITLE, QUESTION_TITLE, Check, PageView, ramp
from .textcues import SAMPLE_CHARS, sample_lines

__all__ = ["ENTRY_SECTIONS_MIN", "TEACHING_CHECKS", "entry_sections"]

_WORD = re.compile(r"\w+")
# A line that opens with a short question (a heading, or a paragraph that asks, then answers).
_QUESTION_OPENING = re.compile(
    r"^(?:what|why|how|when|where|which|who|is|are|can|does|do|should|will)\b[^.!?\n]{3,120}\?",
    re.I,
)
# A heading (a short line without a full stop) that names a cause or a way: "Why the light needs
# help", "How a repeater works", "What's inside".
_TEACHING_HEADING = re.compile(r"^(?:why|how|what)\b[^.!?\n]{3,80}$", re.I)
_HEADING_MAX_WORDS = 12
_QUESTIONS_START, _QUESTIONS_FULL = 2, 5

# Wording that explains a cause or restates an idea for the reader.
_EXPLAINING = re.compile(
    r"\b(?:that's why|that is why|this is why|which is why|here's (?:how|why|what)|"
    r"here is (?:how|why|what)|this means|that means|which means|what this means|"
    r"in other words|the reason (?:is|why)|think of (?:it|this|them)|imagine|put simply|"
    r"the trick is|the key is|the idea is|in practice|works like|as a result)\b",
    re.I,
)
_EXPLAINING_START, _EXPLAINING_FULL = 1.0, 5.0  # per 1,000 words

# The wording of a shopping roundup: commission links, "we love", taste words.
_SHOPPING = re.compile(
    r"\b(?:(?:earn|earns) (?:a )?commission|affiliate|we love|our (?:favourite|favorite)s?|"
    r"shop (?:the|our|now|it)|ready to shop|buy (?:it|now)|must-haves?|chic|stylish|gorgeous|"
    r"dreamy|showstopper|game-changer|inspir(?:e|ation|ing)|on-trend|on trend|obsessed|"
    r"treat yourself|splurge|wishlist|(?:perfect|great|ideal) gift|gift (?:for|guide|ideas))\b",
    re.I,
)
_SHOPPING_START, _SHOPPING_FULL = 2.0, 8.0  # per 1,000 words

# A page that sells: apply now, save 40%, pricing, a free trial.
_CALL_TO_ACTION = re.compile(
    r"\b(?:apply now|enrol(?:l)? (?:now|today)|sign up|get started|start (?:your )?free trial|"
    r"free trial|book a (?:demo|call)|request a demo|buy now|join (?:now|today)|"
    r"reserve your (?:place|spot|seat)|limited[- ]time|save \d+(?=%)|\d+% off|money-back|"
    r"per month|pricing|subscribe now|register now|try (?:it )?(?:for )?free|"
    r"add to (?:cart|bag|basket)|order now|shop now|lifetime access|get instant access|"
    r"bestseller)\b",
    re.I,
)
_CALLS_START, _CALLS_FULL = 2, 4

# Sections of a site, from the URL's path (and host's first label) or its declared section.
_TEACHING_SECTIONS = frozenset(
    (
        "learn",
        "learning",
        "guide",
        "guides",
        "explainer",
        "explainers",
        "explained",
        "tutorial",
        "tutorials",
        "howto",
        "how-to",
        "docs",
        "documentation",
        "wiki",
        "help",
        "hc",
        "faq",
        "knowledge",
        "kb",
        "knowledge-base",
        "basics",
        "reference",
        "manual",
        "glossary",
        "encyclopedia",
        "encyclopaedia",
        "course",
        "courses",
        "lesson",
        "lessons",
        "academy",
        "technique",
        "techniques",
        "grammar",
        "conditions",
        "advice",
        "engineering",
        "a-z",
    )
)
_NEWS_SECTIONS = frozenset(("news", "politics", "world", "local", "election", "elections"))
_NEWS_OR_LIFESTYLE_SECTIONS = _NEWS_SECTIONS | frozenset(
    (
        "sport",
        "sports",
        "football",
        "opinion",
        "comment",
        "showbiz",
        "celebrity",
        "celebrities",
        "entertainment",
        "style",
        "fashion",
        "beauty",
        "lifestyle",
        "interiors",
        "decor",
        "decorating",
        "ideas",
        "inspiration",
        "wedding",
        "weddings",
        "shopping",
        "gifts",
        "deals",
        "horoscopes",
    )
)
_CITATION_META = re.compile(
    r"<meta\s[^>]*name=[\"'](?:citation_title|citation_doi|citation_pdf_url|citation_journal_title|"
    r"citation_arxiv_id|dc\.identifier)[\"']",
    re.I,
)
_SEARCH_PARAMS = ("q", "query", "search", "p", "k", "text")


def _teaching_section(v: PageView):
    """The page sits in a site's guides, docs, help or explainers section."""
    found = sorted(v.sections & _TEACHING_SECTIONS)
    return (1.0, f"in the site's {found[0]} section") if found else None


def _news_or_lifestyle_section(v: PageView):
    """The page sits in a site's news, sport, opinion, fashion or decor section."""
    found = sorted(v.sections & _NEWS_OR_LIFESTYLE_SECTIONS)
    return (1.0, f"in the site's {found[0]} section") if found else None


def _asks_and_answers(v: PageView):
    """Headings or paragraphs that ask a question (or name a why/how) which the text answers."""
    if v.cues.words < 150:
        return None
    n = 0
    lines = v.lines
    for line, after in zip(lines, [*lines[1:], ""], strict=True):
        answered = len(_WORD.findall(after)) >= 15 or len(_WORD.findall(line)) >= 25
        short = len(_WORD.findall(line)) <= _HEADING_MAX_WORDS
        if answered and (
            _QUESTION_OPENING.match(line) or (short and _TEACHING_HEADING.match(line))
        ):
            n += 1
    if n < _QUESTIONS_START:
        return None
    return ramp(n, _QUESTIONS_START - 1, _QUESTIONS_FULL), f"asks questions and answers them ({n})"


def _explaining_wording(v: PageView):
    """Wording that gives causes and restates ideas: that's why, in other words, here's how."""
    c = v.cues
    if c.words < 150:
        return None
    rate = len(_EXPLAINING.findall(v.ex.text[:SAMPLE_CHARS])) * 1000 / c.words
    strength = ramp(rate, _EXPLAINING_START, _EXPLAINING_FULL)
    return (strength, "explains why (that's why, in other words...)") if strength else None


def _shopping_wording(v: PageView):
    """A shopping roundup's wording: commission links, we love, chic, inspiration."""
    c = v.cues
    if c.words < 100:
        return None
    rate = len(_SHOPPING.findall(v.ex.text[:SAMPLE_CHARS])) * 1000 / c.words
    strength = ramp(rate, _SHOPPING_START, _SHOPPING_FULL)
    return (strength, "shopping wording (we love, chic, shop the look)") if strength else None


def _calls_to_action(v: PageView):
    """A page that sells: apply now, save 40%, pricing, free trial."""
    n = len(_CALL_TO_ACTION.findall(v.ex.text[:SAMPLE_CHARS]))
    if n < _CALLS_START:
        return None
    return ramp(n, _CALLS_START - 1, _CALLS_FULL), f"calls to action ({n}: sign up, pricing...)"


_TEASER = re.compile(
    r"(?:\.\.\.|\u2026)\s*$|\b(?:read more|continue reading|read the full|read \d+ more words)\b",
    re.I,
)
_TEASERS_START, _TEASERS_FULL = 3, 8


def _list_of_teasers(v: PageView):
    """A blog's or portal's list of teasers (cut-off openings, "read more"), not one piece."""
    n = sum(bool(_TEASER.search(line)) for line in v.lines)
    if n < _TEASERS_START:
        return None
    return ramp(n, _TEASERS_START - 1, _TEASERS_FULL), f"a list of teasers ({n} cut-off entries)"


_LEGAL_TITLE = re.compile(
    r"\b(?:privacy (?:policy|notice|statement)|terms (?:of (?:service|use|sale)|and conditions|"
    r"& conditions)|cookie (?:policy|notice)|legal notice|disclaimer|imprint|impressum)\b",
    re.I,
)


def _legal_page(v: PageView):
    """A privacy policy, terms of service or legal notice: read to agree, not to learn."""
    head = " ".join([v.ex.title, *sample_lines(v.ex.text[:400])[:1]])
    return (1.0, "a legal page (privacy, terms)") if _LEGAL_TITLE.search(head) else None


# A review or a buying comparison weighs products for a purchase; it is not a lesson.
_REVIEW = re.compile(
    r"\b(?:pros and cons|the verdict|our verdict|our (?:top )?pick|we tested|"
    r"worth (?:it|the money)|value for money|best (?:budget|overall|value)|"
    r"buy (?:it )?if|skip (?:it )?if|"
    r"\d(?:\.\d)? out of (?:5|10)|star rating)\b",
    re.I,
)
_REVIEW_START, _REVIEW_FULL = 1, 4
# A thread that asks for opinions or stories, not for a way to do something.
_ASKS_OPINIONS = re.compile(
    r"\byour (?:favou?rite|unpopular|best|worst|most)\b|\bunpopular opinion\b|"
    r"\bwhat do you (?:think|all think)\b|\bwould you rather\b|\baita\b|\bam i the\b",
    re.I,
)


def _review_wording(v: PageView):
    """A product review or buying comparison: pros and cons, the verdict, worth it."""
    n = len(_REVIEW.findall(v.ex.text[:SAMPLE_CHARS]))
    if n < _REVIEW_START + 1:
        return None
    return ramp(n, _REVIEW_START, _REVIEW_FULL), f"a review (pros and cons, verdict: {n})"


def _asks_for_opinions(v: PageView):
    """The title asks for opinions or favourites, not how to do something."""
    return (1.0, "asks for opinions") if _ASKS_OPINIONS.search(v.ex.title) else None


def _citation_metadata(v: PageView):
    """Citation metadata for a paper (citation_title, a DOI) in the page's markup."""
    return (
        (1.0, "citation metadata of a paper") if _CITATION_META.search(v.page.html or "") else None
    )


def _title_is_the_search(v: PageView):
    """A search page: its title is only the query in its address, not a page's own title."""
    try:
        query = parse_qs(urlsplit(v.page.url or "").query)
    except ValueError:
        return None
    title = v.ex.title.lower()
    for name in _SEARCH_PARAMS:
        for value in query.get(name, []):
            if len(value) >= 3 and title.startswith(value.lower().strip()):
                return 1.0, "the title is the search query"
    return None


# The sections of an entry one looks up: a dictionary's, a drug monograph's, a glossary's, a health
# condition's ("Pronunciation", "Side effects", "See also"), or a part of speech or an IPA
# pronunciation on a line of its own. Lines of a few words only: a heading, not a sentence.
_ENTRY_SECTION = re.compile(
    r"^(?:definitions?|meanings?|origin|etymology|pronunciation|usage(?: notes?)?|"
    r"related (?:words|terms)|synonyms|antonyms|examples?|see also|uses|"
    r"indications(?: and dose)?|dos(?:e|age|ing)|side[- ]effects|contra-?indications|cautions|"
    r"warnings|interactions|symptoms|causes|diagnosis|treatments?|formula|word forms?|"
    r"(?:noun|verb|adjective|adverb)\b.*|/[^/\s]{2,}/)(?:\W|$)",
    re.I,
)
_ENTRY_LINE_MAX_WORDS = 5
ENTRY_SECTIONS_MIN = 2  # an entry has at least two of those sections (for its form: `nlp.learning`)


def entry_sections(text: str) -> list[str]:
    """The sections of an entry one looks up that `text` has (definition, usage, see also...),
    each named by its heading's first word ("side-effects" is "side"), in order."""
    found = []
    for line in sample_lines(text):
        words = _WORD.findall(line.lower())
        if len(words) <= _ENTRY_LINE_MAX_WORDS and _ENTRY_SECTION.match(line):
            name = words[0] if words and not line.startswith("/") else "pronunciation"
            if name not in found:
                found.append(name)
    return found


_ENTRY_FULL = 4


def _entry_sections(v: PageView):
    """An entry to look up by its shape: a headword's definition, usage, origin, see also."""
    found = entry_sections(v.ex.text)
    if len(found) < ENTRY_SECTIONS_MIN:
        return None
    strength = ramp(len(found), ENTRY_SECTIONS_MIN - 1, _ENTRY_FULL)
    return strength, f"an entry's sections ({', '.join(found[:3])}...)"


# The wording of leisure travel plans: where to stay, a day trip, a rooftop bar at sunset.
_TRAVEL = re.compile(
    r"\b(?:where to (?:eat|stay|drink|sleep|go|shop)|things to do|itinerary|day trips?|"
    r"hotels?|hostels?|guesthouses?|b&b|rooftop|brunch|sunset|cocktails?|nightlife|beach(?:es)?|"
    r"must-see|bucket list|hidden gems?|day (?:one|two|three|1|2|3)|(?:\d+|48|72) hours in|"
    r"weekend in|a night|per night|book ahead|check (?:rates|prices|availability)|stunning|"
    r"wander(?:ing)?|fall in love|instagrammable|foodie|tapas|spa)\b",
    re.I,
)
_TRAVEL_MIN = 3  # matches: one "sunset" or "hotel" is no travel plan
_TRAVEL_START, _TRAVEL_FULL = 5.0, 15.0  # per 1,000 words


def _travel_wording(v: PageView):
    """A travel or leisure plan's wording: where to stay, a day trip, rooftop bars, sunsets."""
    n = len(_TRAVEL.findall(v.ex.text[:SAMPLE_CHARS]))
    if n < _TRAVEL_MIN:
        return None
    strength = ramp(n * 1000 / max(v.cues.words, 50), _TRAVEL_START, _TRAVEL_FULL)
    return (strength, "travel wording (where to stay, day trip, rooftop...)") if strength else None


def _explainer_written_as_news(v: PageView):
    """An explainer in a news template: its title asks or explains, it sits in news or reads as
    news (reported speech, dates), and its text explains causes or answers its questions."""
    title = v.ex.title
    if not (EXPLAINER_TITLE.search(title) or QUESTION_TITLE.search(title)):
        return None
    if not (v.sections & _NEWS_SECTIONS or v.cues.reads_as_news):
        return None
    if not (_explaining_wording(v) or _asks_and_answers(v)):
        return None
    return 1.0, "an explainer written as news (it explains what its title asks)"


# The table `nlp.evidence.CHECKS` ends with: (name in `PRIOR_WEIGHTS`, check).
TEACHING_CHECKS: tuple[tuple[str, Check], ...] = (
    ("asks and answers", _asks_and_answers),
    ("explaining wording", _explaining_wording),
    ("teaching section", _teaching_section),
    ("citation metadata", _citation_metadata),
    ("news or lifestyle section", _news_or_lifestyle_section),
    ("shopping wording", _shopping_wording),
    ("calls to action", _calls_to_action),
    ("title is the search", _title_is_the_search),
    ("list of teasers", _list_of_teasers),
    ("legal page", _legal_page),
    ("review wording", _review_wording),
    ("asks for opinions", _asks_for_opinions),
    ("entry sections", _entry_sections),
    ("travel wording", _travel_wording),
    ("explainer written as news", _explainer_written_as_news),
)
