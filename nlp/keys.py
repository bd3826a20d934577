"""`concept_key`: the one normalisation that makes the same idea one concept across captures.

It is a pure function (no spaCy needed) so the companion can merge and rename concepts with
exactly the rule `nlp` used: NFKC, lower case, possessives and edge punctuation dropped,
hyphens read as spaces, leading determiners/pronouns stripped, and the last word made singular
by rule ("Neural Networks" → "neural network", "the query's caches" → "query cache").
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["concept_key", "singular"]

_TOKEN = re.compile(r"[\w+#]+(?:[.][\w+#]+)*")
_POSSESSIVE = re.compile(r"(?<=\w)['’]s?\b")
_LEADING_WORDS = (
    "a an the this that these those my your our their its his her some any each every such "
    "other another "
)
_LEADING = frozenset(_LEADING_WORDS.split())
_KEEP_S_WORDS = (
    "analysis basis thesis hypothesis diagnosis synthesis axis crisis emphasis parenthesis series "
    "species "
    "news physics mathematics economics statistics linguistics ethics politics gas bus status "
    "corpus virus bonus campus census consensus focus genus radius stimulus apparatus "
    "kubernetes windows ios macos chaos canvas atlas alias lens cosmos pythagoras always "
    "perhaps whereas thus various previous numerous famous obvious continuous this its was "
    "has is does as us yes plus minus bias "
)
_KEEP_S = frozenset(_KEEP_S_WORDS.split())
_ES_AFTER = ("ches", "shes", "sses", "xes", "zzes")
# "-ses" plurals of "-sis" words; not "bases" (of "base" far more often than of "basis")
_SIS_PLURALS = frozenset(w[:-2] + "es" for w in _KEEP_S if w.endswith("sis") and w != "basis")


def singular(word: str) -> str:
    """Return `word` (lower case) made singular by rule; unknown shapes are left alone."""
    if len(word) <= 3 or not word.isalpha() or word in _KEEP_S:
        return word
    if word.endswith("es") and len(word) >= 5 and word[:-2] in _KEEP_S:
        return word[:-2]  # biases, aliases, statuses, viruses, lenses
    if word in _SIS_PLURALS:
        return word[:-2] + "is"  # analyses, hypotheses, crises
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("ches") and word[-5] in "aiu" and word[-6:-4] not in ("ea", "oa"):
        return word[:-1]  # caches, niches, headaches (but reaches, coaches, matches)
    if word.endswith(_ES_AFTER):
        return word[:-2]
    if word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("s"):
        return word[:-1]
    return word


def concept_key(text: str) -> str:
    """Return the normalised key of a concept label (e.g. "The Neural Networks" → "neural network").

    Deterministic and cheap; returns "" when nothing word-like is left. Never raises.
    """
    text = unicodedata.normalize("NFKC", text or "").lower().replace("-", " ")
    text = _POSSESSIVE.sub("", text)
    tokens = _TOKEN.findall(text)
    while tokens and tokens[0] in _LEADING:
        tokens.pop(0)
    if not tokens:
        return ""
    tokens[-1] = singular(tokens[-1])
    return " ".join(tokens)
