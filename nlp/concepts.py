"""The `inflow_concepts` spaCy component: ranked concepts of a text, set on `doc._.concepts`.

Candidates are maximal noun phrases by part of speech (adjective/noun modifiers + a noun
head, determiners and pronouns stripped) and named entities, minus junk (numbers, dates,
boilerplate like "this article", single letters). Candidates with the same `concept_key`
merge, and "long form (LF)" acronyms join their expansion. Ranking is PositionRank-like:
a PageRank over co-occurring content words whose teleport vector favours words that come
early and are specific (rare in general English per `wordfreq`); a candidate scores the sum
of its words over the square root of its length, with a multiword and an entity bonus. Scores
are scaled so the best is 1.0. Defaults were picked by a small grid search on the even-id half
of the shared corpus keyphrase sets (see bench/README.md).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Token
from wordfreq import zipf_frequency

from .keys import concept_key
from .types import Concept

__all__ = ["ConceptRanker", "make_concept_ranker"]

if not Doc.has_extension("concepts"):
    Doc.set_extension("concepts", default=None)

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
_GENERIC = frozenset(_GENERIC_WORDS.split())
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
_ACRONYM = re.compile(r"^[A-Z][A-Za-z]{0,2}[A-Z0-9]{1,6}s?$")


@dataclass
class _Candidate:
    key: str
    words: tuple[str, ...]
    first: int
    count: int = 0
    forms: dict[str, int] = field(default_factory=dict)
    entity: bool = False
    aliases: set[str] = field(default_factory=set)


def _word(token: Token) -> str:
    return token.lower_ if token.pos_ == "PROPN" else token.lemma_.lower()


def _usable(token: Token) -> bool:
    return (
        token.pos_ in _MODIFIER_POS
        or (token.tag_ in ("VBG", "VBN") and token.i + 1 < len(token.doc))
        or (token.text == "-" and not token.whitespace_)
    ) and not (
        token.like_num
        or token.like_url
        or token.like_email
        or token.is_stop
        or token.ent_type_ in _NOT_CONCEPT_ENTS
    )


def _trim(tokens: list[Token]) -> list[Token]:
    while tokens and (
        tokens[0].text == "-"
        or tokens[0].lower_ in _LEADING_JUNK
        or tokens[0].pos_ not in _MODIFIER_POS
    ):
        tokens = tokens[1:]
    while tokens and tokens[-1].pos_ not in _HEAD_POS:
        tokens = tokens[:-1]
    return tokens


def _label(span_tokens: list[Token]) -> str:
    out = []
    for i, tok in enumerate(span_tokens):
        text = tok.text
        keep_case = (tok.pos_ == "PROPN" and tok.text[:1].isupper()) or _ACRONYM.match(text)
        out.append(text if keep_case else text.lower())
        if tok.whitespace_ and i < len(span_tokens) - 1:
            out.append(" ")
    return "".join(out).strip()


class ConceptRanker:
    """Finds, merges and ranks concept candidates; sets `doc._.concepts` (a list of `Concept`)."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        max_concepts: int,
        max_words: int,
        window: int,
        damping: float,
        position_power: float,
        specificity_power: float,
        multiword_bonus: float,
        entity_bonus: float,
        length_norm: float,
        frequency_power: float = 0.0,
    ) -> None:
        # frequency_power > 0 multiplies a score by count**power: +0.03 F1@10 on KPCrowd, but it
        # ranks generic single words ("network", "layer") first on real pages; off by default.
        self.name = name
        self.max_concepts = max_concepts
        self.max_words = max_words
        self.window = window
        self.damping = damping
        self.position_power = position_power
        self.specificity_power = specificity_power
        self.multiword_bonus = multiword_bonus
        self.entity_bonus = entity_bonus
        self.length_norm = length_norm
        self.frequency_power = frequency_power
        self._zipf: dict[str, float] = {}

    def __call__(self, doc: Doc) -> Doc:
        doc._.concepts = self.rank(doc)
        return doc

    # -- candidates -------------------------------------------------------------------------
    def _phrases(self, doc: Doc) -> list[list[Token]]:
        phrases, run = [], []
        for token in doc:
            if _usable(token) and not token.is_space:
                run.append(token)
                continue
            if run:
                phrases.append(_trim(run))
            run = []
        if run:
            phrases.append(_trim(run))
        for ent in doc.ents:
            if ent.label_ in _ENTITY_LABELS:
                phrases.append(_trim(list(ent)))
        return [p for p in phrases if p]

    def _candidates(self, doc: Doc) -> dict[str, _Candidate]:
        found: dict[str, _Candidate] = {}
        ent_starts = {ent.start for ent in doc.ents if ent.label_ in _ENTITY_LABELS}
        for tokens in self._phrases(doc):
            if len(tokens) > self.max_words:
                tokens = tokens[-self.max_words :]
                tokens = _trim(tokens)
                if not tokens:
                    continue
            label = _label(tokens)
            key = concept_key(label)
            if len(key) < 2 or key in _BOILERPLATE_KEYS or key in _GENERIC:
                continue
            if not any(c.isalpha() for c in key):
                continue
            words = tuple(_word(t) for t in tokens if t.text != "-")
            cand = found.get(key)
            if cand is None:
                cand = found[key] = _Candidate(key=key, words=words, first=tokens[0].i)
            cand.count += 1
            cand.forms[label] = cand.forms.get(label, 0) + 1
            cand.entity = cand.entity or tokens[0].i in ent_starts
        self._join_acronyms(doc, found)
        return found

    def _join_acronyms(self, doc: Doc, found: dict[str, _Candidate]) -> None:
        """Merge "long form (LF)" acronyms into their long form's candidate."""
        for token in doc[2:-1]:
            if doc[token.i - 1].text != "(" or doc[token.i + 1].text != ")":
                continue
            acronym = token.text
            if not _ACRONYM.match(acronym):
                continue
            letters = acronym.rstrip("s").lower()
            start = token.i - 1 - len(letters)
            if start < 0:
                continue
            long_form = doc[start : token.i - 1]
            initials = "".join(t.text[:1].lower() for t in long_form if t.text != "-")
            if initials != letters:
                continue
            long_key = concept_key(long_form.text)
            short_key = concept_key(acronym)
            if long_key not in found:
                continue
            target = found[long_key]
            target.aliases.add(acronym.rstrip("s") if acronym.endswith("s") else acronym)
            short = found.pop(short_key, None)
            if short is not None and short is not target:
                target.count += short.count
                target.first = min(target.first, short.first)

    # -- ranking ----------------------------------------------------------------------------
    def _specificity(self, word: str) -> float:
        zipf = self._zipf.get(word)
        if zipf is None:
            zipf = self._zipf[word] = zipf_frequency(word, "en")
        return max(0.05, (8.0 - zipf) / 8.0) ** self.specificity_power

    def _word_scores(self, doc: Doc, content: set[str]) -> dict[str, float]:
        positions: list[tuple[int, str]] = [
            (t.i, _word(t)) for t in doc if _word(t) in content and t.pos_ in _MODIFIER_POS
        ]
        teleport: dict[str, float] = defaultdict(float)
        for rank, (_, word) in enumerate(positions):
            teleport[word] += 1.0 / (rank + 1.0) ** self.position_power
        for word in teleport:
            teleport[word] *= self._specificity(word)
        total = sum(teleport.values()) or 1.0
        teleport = {w: v / total for w, v in teleport.items()}
        edges: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for a in range(len(positions)):
            i, wa = positions[a]
            for b in range(a + 1, min(a + 1 + self.window, len(positions))):
                j, wb = positions[b]
                if j - i > self.window * 3:
                    break
                if wa != wb:
                    edges[wa][wb] += 1.0
                    edges[wb][wa] += 1.0
        out_weight = {w: sum(nbrs.values()) for w, nbrs in edges.items()}
        score = dict(teleport)
        for _ in range(30):
            new = {w: (1 - self.damping) * teleport[w] for w in teleport}
            for w, nbrs in edges.items():
                share = self.damping * score[w] / out_weight[w]
                for v, weight in nbrs.items():
                    new[v] += share * weight
            dangling = self.damping * sum(score[w] for w in teleport if w not in edges)
            for w in teleport:
                new[w] += dangling * teleport[w]
            score = new
        return score

    def rank(self, doc: Doc) -> list[Concept]:
        """Return the top `max_concepts` concepts of `doc`, best first (scores in (0, 1])."""
        found = self._candidates(doc)
        if not found:
            return []
        content = {w for c in found.values() for w in c.words}
        words = self._word_scores(doc, content)
        scored = []
        for cand in found.values():
            parts = [words.get(w, 0.0) for w in cand.words]
            score = sum(parts) / (len(parts) ** self.length_norm)
            score *= cand.count**self.frequency_power
            if len(cand.words) > 1:
                score *= 1.0 + self.multiword_bonus
            if cand.entity:
                score *= 1.0 + self.entity_bonus
            label = max(cand.forms.items(), key=lambda kv: (kv[1], -len(kv[0])))[0]
            scored.append((score, cand.first, label, cand))
        scored.sort(key=lambda s: (-s[0], s[1]))
        top = scored[: self.max_concepts]
        best = top[0][0] or 1.0
        return [
            Concept(
                text=label,
                key=cand.key,
                score=round(score / best, 4),
                aliases=tuple(sorted(cand.aliases)),
            )
            for score, _, label, cand in top
        ]


@Language.factory(
    "inflow_concepts",
    default_config={
        "max_concepts": 20,
        "max_words": 5,
        "window": 3,
        "damping": 0.85,
        "position_power": 1.0,
        "specificity_power": 2.0,
        "multiword_bonus": 0.2,
        "entity_bonus": 0.1,
        "length_norm": 0.5,
        "frequency_power": 0.0,
    },
)
def make_concept_ranker(
    nlp: Language,
    name: str,
    max_concepts: int,
    max_words: int,
    window: int,
    damping: float,
    position_power: float,
    specificity_power: float,
    multiword_bonus: float,
    entity_bonus: float,
    length_norm: float,
    frequency_power: float,
) -> ConceptRanker:
    """Build the `inflow_concepts` component (see the module docstring for the ranking)."""
    return ConceptRanker(
        nlp,
        name,
        max_concepts=max_concepts,
        max_words=max_words,
        window=window,
        damping=damping,
        position_power=position_power,
        specificity_power=specificity_power,
        multiword_bonus=multiword_bonus,
        entity_bonus=entity_bonus,
        length_norm=length_norm,
        frequency_power=frequency_power,
    )
