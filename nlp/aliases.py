"""Other names a page gives its concepts: acronyms it defines, and names written with a version.

What one page can tell, by `concept_key`, and nothing more:

- **Acronyms it defines.** "large language models (LLMs)" or "LLM (large language model)": the
  acronym's letters are the initials of the words beside it (hyphenated parts count: "Long
  Short-Term Memory (LSTM)"; small words may be skipped: "Internet of Things (IoT)" matches
  with or without the "o"; a middle initial is a word: "Richard M. Stallman (RMS)"). On that
  page the acronym *is* its expansion, so the two never take two top-concept slots: the
  better-ranked one keeps its slot, labelled and keyed as the expansion. An acronym the page
  does not define stays as it is: "ML" is machine learning on one page and maximum likelihood
  on another; the journal decides across captures.
- **A name followed by its version**, written as a separate word: "Python 3", "Python 3.12",
  "Vue 3", "Django 5.0", "Python 2.x", also "Windows 11" and "iPhone 15" (a learner reading
  about one release is learning the product). The version is a number of one or two digits, or
  a dotted one (not a date: "11.18.19"); the name has a capital letter ("iPhone" counts) and is
  not a counter ("Figure 3", "Chapter 2", "Step 1", "World War 2", "Meal 2", "November 15"...).
  Two places show one: a concept's own label (then the name must also stand alone on the
  page, so a model number nobody shortens stays whole), and the text, for a name the page
  ranks as a concept (the ranker drops numbers: "Python 3.12" in the text is the concept
  "Python"), unless a capitalised word or a unit follows ("NBC 4 New York", "Drizzle 2 tbsp",
  "gave Trump 36 electoral votes").
  Not versions: a number glued to the name names a different thing, not a release of it:
  "COVID-19" (a disease, not a covid), "HTTP/2" (a protocol of its own that a learner studies
  as such: multiplexing, server push), "GPT-4", "IPv6", "Log4j"; nor three or four digits
  ("Boeing 737", "Windows 2000": model numbers and years).
  On the shared corpus's 538 real pages, 44 version aliases, ~9 in 10 right (bench/README.md).

`page_aliases` post-processes a ranked concept list (the ranker is not touched) and returns it
with the page's `Alias` pairs: only those that name a concept of the list, so the journal
never learns an alias without a capture that taught it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import NamedTuple

from .keys import concept_key
from .types import Alias, Concept

__all__ = [
    "Definition",
    "acronym_definitions",
    "page_aliases",
    "version_base",
    "version_mentions",
]

MAX_ACRONYM_LETTERS = 8
_EXTRA_WORDS = 2  # words an expansion may have beyond its letters (skipped small words)
_SMALL_WORDS = frozenset(("of", "and", "for", "the", "in", "on", "to", "a", "an", "with", "by"))
# Two capitals at least ("ML", "IoT"), an optional plural s ("LLMs").
_ACRONYM = rf"[A-Z][A-Za-z]{{0,{MAX_ACRONYM_LETTERS - 1}}}s?"
_SHORT_IN_PARENS = re.compile(rf"\(({_ACRONYM})\)")
_SHORT_THEN_LONG = re.compile(rf"\b({_ACRONYM})[ \t]*\(([^()\n]{{3,100}})\)")
# a word of an expansion, or a middle initial ("Richard M. Stallman (RMS)")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*(?:-[A-Za-z][A-Za-z'’]*)*|[A-Z]\.")
# what ends the words before "(LF)": punctuation, but not the period of a middle initial
_NOT_IN_A_PHRASE = re.compile(r"(?<!\b[A-Z])\.|[^\w \t'’.-]")
_LOOK_BACK = 160  # characters before "(LF)" where its long form may stand

_VERSION_LABEL = re.compile(
    r"^(?P<name>[A-Za-z][\w.+#]*(?: [A-Za-z][\w.+#]*){0,2}) "
    r"(?P<version>\d{1,2}(?:\.(?:\d+|x))*|\d+(?:\.(?:\d+|x))+)$"
)
_VERSION_MENTION = re.compile(
    r"(?<![\w.+#/-])([A-Za-z][\w+#]*(?:\.[A-Za-z]+)?)[ \t]+"
    r"(\d{1,2}(?:\.(?:\d+|x))*|\d+(?:\.(?:\d+|x))+)(?![\w+#%/-]|[.,:]\d)"
    r"(?:[ \t]+([A-Za-z]+))?"
)
# A number followed by one of these counts something ("2 tbsp", "36 electoral votes").
_UNIT_WORDS = (
    "years year months month weeks week days day hours hour minutes minute min seconds second "
    "times tbsp tsp cups cup oz lb lbs g kg mg ml l cm mm m km miles mi inches inch ft feet "
    "percent points votes electoral people players dollars euros pounds million billion "
    "thousand hundred x pcs pieces pack items"
)
_UNITS = frozenset(_UNIT_WORDS.split())
_DATE_LIKE = re.compile(r"\d\d\.\d\d\.\d\d")  # "11.18.19" is a day, not a release
# Words before a number that count things in a document or the world, not releases.
_COUNTER_WORDS = (
    "figure fig table chapter section step part page lesson unit module level stage phase "
    "season episode day week month year volume vol issue item example exercise question problem "
    "appendix version release note rule article grade class room route number no top round game "
    "act scene verse line point option method case test task session lecture slide box listing "
    "equation eq theorem lemma definition formula type category tier zone area gate platform "
    "terminal floor war world book psalm january february march april may june july august "
    "september october november december jan feb mar apr jun jul aug sep sept oct nov dec "
    "monday tuesday wednesday thursday friday saturday sunday meal serving portion street st "
    "avenue ave road rd lane boulevard blvd drive square"
)
_COUNTERS = frozenset(_COUNTER_WORDS.split())


class Definition(NamedTuple):
    """An acronym a page defines: its expansion's key and label, and the acronym (singular)."""

    key: str
    label: str
    acronym: str


def _letters(acronym: str) -> str:
    """The letters an acronym abbreviates: "LLMs" → "llm", "IoT" → "iot", "OSS" → "oss"."""
    if acronym.endswith("s") and acronym[:-1].isupper() and len(acronym) > 2:
        acronym = acronym[:-1]
    return acronym.lower()


def _is_acronym(word: str) -> bool:
    letters = _letters(word)
    capitals = sum(c.isupper() for c in word)
    return 2 <= len(letters) <= MAX_ACRONYM_LETTERS and capitals >= 2 and letters.isalpha()


def _initials(words: list[str], *, skip_small: bool) -> str:
    parts = [part for word in words for part in word.split("-") if part]
    if skip_small:
        parts = [part for part in parts if part.lower() not in _SMALL_WORDS]
    return "".join(part[0].lower() for part in parts)


def _expansion(words: list[str], letters: str, *, from_end: bool) -> list[str] | None:
    """The fewest `words` (the last ones, or the first with `from_end=False`) whose initials
    spell `letters`, or None."""
    for n in range(1, min(len(words), len(letters) + _EXTRA_WORDS) + 1):
        chosen = words[-n:] if from_end else words[:n]
        if chosen[0].lower() in _SMALL_WORDS:
            continue
        if letters in (_initials(chosen, skip_small=False), _initials(chosen, skip_small=True)):
            return chosen
    return None


def acronym_definitions(text: str) -> dict[str, Definition]:
    """The acronyms `text` defines, by the acronym's key: `{"llm": Definition("large language
    model", "large language models", "LLM")}`. The one finder of definitions: the concept
    ranker joins an acronym's counts to its expansion's with it (`nlp.candidates`).

    An acronym defined two different ways on the same page is left out (it is ambiguous).
    """
    found: dict[str, Definition] = {}
    ambiguous: set[str] = set()

    def add(acronym: str, words: list[str] | None) -> None:
        if words is None or not _is_acronym(acronym):
            return
        short, label = concept_key(acronym), " ".join(words)
        long = concept_key(label)
        if not long or long == short:
            return
        if short in found and found[short].key != long:
            ambiguous.add(short)
        singular = acronym[:-1] if len(_letters(acronym)) < len(acronym) else acronym
        found.setdefault(short, Definition(long, label, singular))

    for match in _SHORT_IN_PARENS.finditer(text):
        acronym = match.group(1)
        before = _NOT_IN_A_PHRASE.split(text[max(0, match.start() - _LOOK_BACK) : match.start()])
        words = before[-1].split()[-(len(_letters(acronym)) + _EXTRA_WORDS) :]
        while words and not all(_WORD.fullmatch(word) for word in words):
            words.pop(0)
        if words:
            add(acronym, _expansion(words, _letters(acronym), from_end=True))
    for match in _SHORT_THEN_LONG.finditer(text):
        acronym, words = match.group(1), match.group(2).split()
        if all(_WORD.fullmatch(word) for word in words):
            expansion = _expansion(words, _letters(acronym), from_end=False)
            add(acronym, expansion if expansion == words else None)
    return {short: pair for short, pair in found.items() if short not in ambiguous}


def _is_a_product_name(name: str) -> bool:
    """True for a name a version may follow: it has a capital and counts nothing."""
    key = concept_key(name)
    return any(c.isupper() for c in name) and bool(key) and _COUNTERS.isdisjoint(key.split())


def version_base(label: str, text: str) -> str | None:
    """The name of `label` without its version ("Python 3.12" → "Python"), or None.

    See the module docstring for what counts as a version; `text` is the page the label comes
    from, which must name the thing alone somewhere.
    """
    match = _VERSION_LABEL.match(" ".join(label.split()))
    if match is None or not _is_a_product_name(name := match.group("name")):
        return None
    alone = re.compile(rf"(?<![\w.]){re.escape(name)}(?![\w+#]|[ \t]*[-/.]?[ \t]*\d)", re.I)
    return name if alone.search(text) else None


def version_mentions(text: str) -> dict[str, str]:
    """The one-word names written with a version in `text`, by key: `{"python 3.12": "python"}`."""
    found: dict[str, str] = {}
    for match in _VERSION_MENTION.finditer(text):
        name, version, after = match.groups()
        if after and (after[0].isupper() or after.lower() in _UNITS):
            continue  # inside a longer name ("NBC 4 New York"), or a quantity
        if _is_a_product_name(name) and not _DATE_LIKE.fullmatch(version):
            found.setdefault(concept_key(f"{name} {version}"), concept_key(name))
    return found


def page_aliases(
    concepts: tuple[Concept, ...] | list[Concept],
    text: str,
    definitions: dict[str, Definition] | None = None,
) -> tuple[tuple[Concept, ...], tuple[Alias, ...]]:
    """Join a page's ranked `concepts` with the other names `text` gives them.

    `definitions` are `acronym_definitions(text)` when the caller has found them already (the
    analyzer finds them once per page, for the ranker and here); they are not modified.
    Returns the concepts (best first, an acronym and its expansion in one slot: the better
    one's, named as the expansion; a name and its version likewise) and the `Alias` pairs that
    name one of them.
    """
    definitions = acronym_definitions(text) if definitions is None else dict(definitions)
    for concept in concepts:  # pairs the ranker already joined (from a text this one may lack)
        for acronym in concept.aliases:
            definitions.setdefault(
                concept_key(acronym), Definition(concept.key, concept.text, acronym)
            )
    ranked_labels = {concept.key: concept.text for concept in concepts}
    kept: dict[str, Concept] = {}
    aliases: dict[str, Alias] = {}
    for concept in concepts:
        if concept.key in definitions:
            long, written, _ = definitions[concept.key]
            aliases[concept.key] = Alias(concept.key, long, written, "acronym")
            names = {*concept.aliases, concept.text}
            concept = replace(concept, key=long, text=ranked_labels.get(long, written))
            concept = replace(concept, aliases=tuple(sorted(names - {concept.text})))
        base = version_base(concept.text, text)
        same = concept.key
        if base is not None:
            same = concept_key(base)
            aliases[concept.key] = Alias(concept.key, same, base, "version")
        if same in kept or concept.key in kept:
            continue  # the better-ranked name of the same thing holds the slot
        kept[same] = kept[concept.key] = concept
    final = tuple(dict.fromkeys(kept.values()))
    keys = {c.key for c in final} | {a.key for a in aliases.values() if a.alias in kept}
    for short, (long, written, _) in definitions.items():
        if long in keys and short not in aliases:
            aliases[short] = Alias(short, long, written, "acronym")
    names = {c.key: c.text for c in final if c.text[:1].isupper() or c.text[1:2].isupper()}
    for versioned, name_key in version_mentions(text).items():
        if name_key in names and versioned not in aliases:  # the page's name, not "Meal 2"
            aliases[versioned] = Alias(versioned, name_key, names[name_key], "version")
    return final, tuple(alias for alias in aliases.values() if alias.key in keys)
