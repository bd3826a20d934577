"""A small, dependency-free language guess from function words (good enough to route pages).

The concept stage only runs the English pipeline on English text; other languages are tagged
with their code and get no concepts rather than wrong ones.
"""

from __future__ import annotations

import re

__all__ = ["guess_language"]

_FUNCTION_WORDS = {
    "en": "the of and to in is that for it with as was on be by this are or from at an not "
    "have which but you they we can has his her their will would there been one all",
    "de": "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als "
    "auch es an werden aus er hat dass sie nach wird bei einer um noch wie einem über",
    "fr": "le de la les et des en un une du est que pour dans qui pas au sur se par plus "
    "avec ne il sont ce mais ou nous vous elle aux cette été",
    "es": "de la que el en y los del se las por un para con no una su al es lo como más "
    "pero sus le ya o este fue ha muy también",
    "it": "di che il la per un non in una sono mi gli del della le si ho lo da ma ha con "
    "anche questo nel alla come più",
    "nl": "de het een en van in is dat op te zijn met voor niet die aan er ook als maar "
    "bij door om wordt naar uit dit",
    "pt": "de que não um uma os no se na por mais as dos como mas foi ao ele das tem à seu "
    "sua ou ser quando muito há nos já está",
}
_SETS = {lang: frozenset(words.split()) for lang, words in _FUNCTION_WORDS.items()}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def guess_language(text: str, declared: str | None = None) -> str | None:
    """Return an ISO 639-1 code for `text` ("en", "de", ...), or `declared`'s primary subtag.

    Uses the share of common function words in the first ~2000 words; falls back to the
    page's declared `lang` when the text is too short or unlike any known language. Returns
    None when nothing is known.
    """
    declared_code = (declared or "").split("-")[0].split("_")[0].lower() or None
    words = [w.lower() for w in _WORD.findall(text[:20_000])][:2000]
    if len(words) < 8:
        return declared_code
    best, best_share = None, 0.0
    for lang, vocabulary in _SETS.items():
        share = sum(w in vocabulary for w in words) / len(words)
        if share > best_share:
            best, best_share = lang, share
    if best_share >= 0.12:
        return best
    return declared_code or (best if best_share >= 0.06 else None)
