"""Concept candidates of a parsed text: the phrases `inflow_concepts` ranks, merged by key.

A candidate is a maximal run of adjective/noun modifiers ending in a noun (determiners,
pronouns, leading quantifiers like "several" and honorifics like "Mr." stripped) or a named
entity, minus junk: numbers, dates, boilerplate like "this article", generic words, page
furniture ("Edit", "replies", "Sign in": keys made only of button and widget words), and names
said only in a forum post's byline ("Started by X", "X wrote:"). A run
also ends where a capitalised common word follows a lower-case one ("… with parametric
uncertainty Probabilistic robustness analysis …"): that is a title or heading glued to the next
sentence, not one phrase. With `verb_forms` (as the ranker runs), the small model's verb
tags no longer cut names of things: a participle may lead a phrase ("automated agents",
"switched dynamical systems") and a heading's last plural read as a verb is a noun ("List
comprehensions"). Occurrences with the same `concept_key` merge into one `Candidate`, and an
acronym the text defines ("long form (LF)" or "LF (long form)", found by
`nlp.aliases.acronym_definitions`, the one finder) joins its expansion. A caller that has
found a page's definitions already (`nlp.analyzer`, which hands the same ones to
`nlp.aliases.page_aliases`) sets them on `doc._.acronyms`; otherwise they are found in the
doc's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from .aliases import Definition, acronym_definitions
from .keys import concept_key

__all__ = ["GENERIC", "Candidate", "find_candidates", "word_of"]

# the acronyms the page defines (`acronym_definitions` of its whole text), when already found
if not Doc.has_extension("acronyms"):
    Doc.set_extension("acronyms", default=None)

_MODIFIER_POS = frozenset({"ADJ", "NOUN", "PROPN"})
_HEAD_POS = frozenset({"NOUN", "PROPN"})
_ENTITY_LABELS = frozenset(
    {
        "PERSON",
        "NORP",
        "FAC",
        "ORG",
        "GPE",
        "LOC",
        "PRODUCT",
        "EVENT",
        "WORK_OF_ART",
        "LAW",
        "LANGUAGE",
    }
)
_GENERIC_WORDS = (
    "other such various several many much more most new different same certain particular "
    "given main first second third last next previous following above below further own whole "
    "entire few lot lots kind kinds type types way ways thing things part parts use number "
    "numbers example examples case cases time times year years day days today paper article "
    "page post site website blog click here link links comment comments share newsletter "
    "subscribe subscription cookie cookies privacy policy terms sign login account email "
    "copyright reserved rights menu home search video image photo photos advertisement ad ads "
    "read more story stories news update updates result results problem problems approach "
    "method methods people person someone something anything everything nothing lot end "
    "beginning top bottom side "
)
GENERIC = frozenset(_GENERIC_WORDS.split())
# only these are stripped from the start of a phrase ("several new methods" → "method")
_LEADING_JUNK = frozenset(
    [
        "other",
        "such",
        "various",
        "several",
        "many",
        "much",
        "more",
        "most",
        "new",
        "different",
        "same",
        "certain",
        "particular",
        "given",
        "main",
        "first",
        "second",
        "third",
        "last",
        "next",
        "previous",
        "following",
        "above",
        "below",
        "further",
        "own",
        "whole",
        "entire",
        "few",
        "lot",
        "lots",
    ]
)
_CODE_CHARS = frozenset("=(){}[];<>|")
# the small model tags many participle modifiers as past tense ("switched dynamical systems")
_PARTICIPLE_TAGS = frozenset(("VBG", "VBN", "VBD"))
_PLURAL_NOUN_ENDINGS = ("ions", "ments", "ities", "ances", "ences", "isms", "ists", "ologies")
_HONORIFICS = frozenset(("mr", "mrs", "ms", "dr", "prof", "sir"))
_NOT_CONCEPT_ENTS = frozenset(
    {"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"}
)
_BOILERPLATE_KEYS = frozenset(
    (
        "privacy policy",
        "terms of service",
        "terms of use",
        "cookie policy",
        "all rights reserved",
        "related article",
        "related story",
        "sign up",
        "log in",
        "read more",
        "this article",
        "this paper",
        "this post",
        "this video",
        "email address",
        "follow us",
        "share this",
        "next article",
        "previous article",
    )  # fmt: skip
)
# page furniture: buttons, links and widgets of forums, shops and news sites; a key made only
# of these words ("Edit", "replies", "share comment", "Sign") is never a concept, while a
# phrase that also names something ("password manager", "chocolate chip cookies") stays
_FURNITURE_WORDS = (
    "edit edited reply share comment subscribe subscriber subscription unsubscribe cookie "
    "menu upvote downvote karma permalink password username login logout signin signup sign "
    "newsletter bookmark follower notification cart checkout wishlist advertisement sponsor "
    "more reading continue skip posted like dislike retweet tweet rss "
)
_FURNITURE = frozenset(_FURNITURE_WORDS.split())
# abbreviated months and weekdays, from dates the tagger did not read as dates ("Fri Apr 20",
# "28 Sep 2011" under forum posts); a key made only of these is no concept
_DATE_ABBREVIATIONS = frozenset(
    ("jan", "feb", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")
    + ("mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri")
)
# a forum post's byline: "Started by X", "Last post by X", "X wrote:", "X | Joined: ...";
# a candidate said only there is the poster's name, not what the page is about
_BYLINE_BEFORE_BY = frozenset(("started", "posted", "post", "submitted"))
_BYLINE_AFTER = frozenset(("wrote", "writes", "joined"))  # followed by a colon
_ACRONYM = re.compile(r"^[A-Z][A-Za-z]{0,2}[A-Z0-9]{1,6}s?$")


@dataclass
class Candidate:
    """One concept candidate: its key, content words (lemmas) and what was seen of it."""

    key: str
    words: tuple[str, ...]
    first: int
    count: int = 0
    proper: int = 0  # occurrences written as proper nouns or acronyms
    forms: dict[str, int] = field(default_factory=dict)
    entity: bool = False
    aliases: set[str] = field(default_factory=set)
    participle: bool = False  # it starts with a participle ("automated agents")
    adjective: bool = False  # it starts with an adjective before a noun ("basic syntax")
    bylines: int = 0  # occurrences in a forum post's byline ("Started by X", "X wrote:")

    @property
    def label(self) -> str:
        """The most frequent surface form (the shorter one on a tie)."""
        return max(self.forms.items(), key=lambda kv: (kv[1], -len(kv[0])))[0]

    @property
    def mostly_proper(self) -> bool:
        """True when most occurrences are proper nouns or acronyms ("Obama", "CPU")."""
        return 2 * self.proper > self.count


def word_of(token: Token) -> str:
    """The word a token counts as in the ranking graph: lower-case proper nouns, else lemmas."""
    return token.lower_ if token.pos_ == "PROPN" else token.lemma_.lower()


def _is_participle(token: Token) -> bool:
    """A lower-case "-ed"/"-ing" verb form that can modify a noun ("automated", "branching").

    Not right after a noun or pronoun: there it is the sentence's verb ("the firm reported").
    """
    return (
        token.tag_ in _PARTICIPLE_TAGS
        and token.is_lower
        and token.lower_.endswith(("ed", "ing"))
        and token.i + 1 < len(token.doc)
        and (token.i == 0 or token.doc[token.i - 1].pos_ not in ("NOUN", "PROPN", "PRON"))
    )


def _heading_plural(token: Token) -> bool:
    """True for a plural noun that ends a heading line but was tagged as a verb.

    The small model reads the heading "List comprehensions" as a noun and a verb ("List
    comprehends"): a lower-case verb form right after a noun or adjective, last on its line,
    with an ending only plural nouns have ("-ions", "-ments"), is taken as that noun ("Sourdough
    starter smells" keeps its verb).
    """
    doc = token.doc
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    return (
        token.tag_ in ("VBZ", "VBP")
        and token.is_lower
        and token.lower_.endswith(_PLURAL_NOUN_ENDINGS)
        and token.i > 0
        and doc[token.i - 1].pos_ in _MODIFIER_POS
        and (after is None or "\n" in token.whitespace_ or (after.is_space and "\n" in after.text))
    )


def _is_head(token: Token, verb_forms: bool) -> bool:
    return token.pos_ in _HEAD_POS or (verb_forms and _heading_plural(token))


def _usable(token: Token, verb_forms: bool) -> bool:
    return (
        token.pos_ in _MODIFIER_POS
        or (verb_forms and _heading_plural(token))
        or (token.tag_ in ("VBG", "VBN") and token.i + 1 < len(token.doc))
        or (verb_forms and _is_participle(token))
        or (token.text == "-" and not token.whitespace_)
    ) and not (
        (token.text != "-" and not any(c.isalpha() for c in token.text))
        or any(c in _CODE_CHARS for c in token.text)
        or token.like_num
        or token.like_url
        or token.like_email
        or token.is_stop
        or token.ent_type_ in _NOT_CONCEPT_ENTS
    )


def _is_name(token: Token) -> bool:
    return token.pos_ == "PROPN" and token.text[:1].isupper()


def _trim(tokens: list[Token], verb_forms: bool = False) -> list[Token]:
    while tokens and (
        tokens[0].text == "-"
        or tokens[0].lower_ in _LEADING_JUNK
        or (
            tokens[0].pos_ not in _MODIFIER_POS and not (verb_forms and _leading_participle(tokens))
        )
        or (len(tokens) > 1 and tokens[0].lower_.rstrip(".") in _HONORIFICS)
        or (len(tokens) > 1 and tokens[0].lower_ in GENERIC and _is_name(tokens[1]))
    ):
        tokens = tokens[1:]
    while tokens and not _is_head(tokens[-1], verb_forms):
        tokens = tokens[:-1]
    return tokens


def _leading_participle(tokens: list[Token]) -> bool:
    """True when `tokens` start with a participle modifying a common noun ("automated agents")."""
    return (
        len(tokens) > 1
        and _is_participle(tokens[0])
        and tokens[1].pos_ in ("ADJ", "NOUN")
        and tokens[1].is_lower
    )


def _glued_heading(prev: Token, token: Token) -> bool:
    """True when `token` starts a new phrase although no punctuation separates it."""
    return token.is_title and token.pos_ != "PROPN" and prev.is_lower and prev.is_alpha


def _label(span_tokens: list[Token]) -> str:
    out = []
    for i, tok in enumerate(span_tokens):
        text = tok.text
        keep_case = (tok.pos_ == "PROPN" and tok.text[:1].isupper()) or _ACRONYM.match(text)
        out.append(text if keep_case else text.lower())
        if tok.whitespace_ and i < len(span_tokens) - 1:
            out.append(" ")
    return "".join(out).strip()


def _phrases(doc: Doc, verb_forms: bool = False) -> list[list[Token]]:
    phrases, run = [], []
    for token in doc:
        if _usable(token, verb_forms) and not token.is_space:
            if run and _glued_heading(run[-1], token):
                phrases.append(_trim(run, verb_forms))
                run = []
            run.append(token)
            continue
        if run:
            phrases.append(_trim(run, verb_forms))
        run = []
    if run:
        phrases.append(_trim(run, verb_forms))
    for ent in doc.ents:
        if ent.label_ in _ENTITY_LABELS:
            phrases.append(_trim(list(ent)))
    return [p for p in phrases if p]


def find_candidates(doc: Doc, max_words: int, *, verb_forms: bool = False) -> dict[str, Candidate]:
    """Return the candidates of `doc` by key (phrases longer than `max_words` keep their end).

    Acronyms defined in the text join their expansions (`doc._.acronyms` when set, else
    `acronym_definitions(doc.text)`).

    With `verb_forms`, the small model's verb tags do not cut phrases that are names of
    things: a phrase may start with a participle ("automated agents", "switched dynamical
    systems") and a heading may end in a plural read as a verb ("List comprehensions").
    """
    found: dict[str, Candidate] = {}
    ent_starts = {ent.start for ent in doc.ents if ent.label_ in _ENTITY_LABELS}
    for tokens in _phrases(doc, verb_forms):
        if len(tokens) > max_words:
            tokens = _trim(tokens[-max_words:], verb_forms)
            if not tokens:
                continue
        label = _label(tokens)
        key = concept_key(label)
        if len(key) < 2 or key in _BOILERPLATE_KEYS or key in GENERIC or _is_furniture(key):
            continue
        if all(word.rstrip(".") in _DATE_ABBREVIATIONS for word in key.split()):
            continue
        if not any(c.isalpha() for c in key):
            continue
        cand = found.get(key)
        if cand is None:
            words = tuple(word_of(t) for t in tokens if t.text != "-")
            cand = found[key] = Candidate(key=key, words=words, first=tokens[0].i)
        cand.count += 1
        cand.bylines += _in_byline(tokens)
        cand.participle = cand.participle or _is_participle(tokens[0])
        cand.adjective = cand.adjective or (len(tokens) > 1 and tokens[0].pos_ == "ADJ")
        cand.proper += all(
            t.pos_ == "PROPN" or _ACRONYM.match(t.text) for t in tokens if t.text != "-"
        )
        cand.forms[label] = cand.forms.get(label, 0) + 1
        cand.entity = cand.entity or tokens[0].i in ent_starts
    definitions = doc._.acronyms
    _join_acronyms(found, acronym_definitions(doc.text) if definitions is None else definitions)
    return {key: cand for key, cand in found.items() if cand.bylines < cand.count}


def _words_around(tokens: list[Token]) -> tuple[list[str], list[str]]:
    """The two words before and the two after `tokens`, skipping spaces and "|" cells."""
    doc = tokens[0].doc

    def walk(start: int, step: int) -> list[str]:
        out, i = [], start
        while 0 <= i < len(doc) and len(out) < 2:
            if not (doc[i].is_space or doc[i].text == "|"):
                out.append(doc[i].lower_)
            i += step
        return out

    return walk(tokens[0].i - 1, -1), walk(tokens[-1].i + 1, 1)


def _in_byline(tokens: list[Token]) -> bool:
    """True when `tokens` stand where a forum names a post's author (`_BYLINE_*`)."""
    before, after = _words_around(tokens)
    return (len(before) == 2 and before[0] == "by" and before[1] in _BYLINE_BEFORE_BY) or (
        len(after) == 2 and after[0] in _BYLINE_AFTER and after[1] == ":"
    )


def _is_furniture(key: str) -> bool:
    """True when every word of `key` is a page-furniture word (see `_FURNITURE_WORDS`)."""
    return all(word in _FURNITURE for word in key.split())


def _join_acronyms(found: dict[str, Candidate], definitions: dict[str, Definition]) -> None:
    """Join each acronym the text defines into its expansion's candidate, unless said more.

    `definitions` are `nlp.aliases.acronym_definitions` of the text ("long form (LF)" and
    "LF (long form)"); the expansion takes the acronym as an alias and its count. An acronym
    said more often than its expansion stays a candidate of its own: a page that says "NOAA"
    ten times and "National Oceanic and Atmospheric Administration" once ranks "NOAA" (the
    long name alone would rank low), and `nlp.aliases.page_aliases` names it as its expansion.
    """
    for short_key, (long_key, _, acronym) in definitions.items():
        long, short = found.get(long_key), found.get(short_key)
        if long is None:
            continue
        long.aliases.add(acronym)
        if short is not None and short is not long and short.count <= long.count:
            long.count += short.count
            long.first = min(long.first, short.first)
            del found[short_key]
