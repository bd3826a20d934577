"""What the concept ranker knows of each candidate, and the fitted weights that rank by it.

`feature_rows` turns a document's candidates into one row of numbers each (the names are
`FEATURES`); `ConceptWeights` scores the rows with a linear model whose weights were fitted on
the tune half of the shared keyphrase sets (`bench/concepts_eval.py --fit`) and ship as
`nlp/data/concept_weights.json`. The model is listwise: a document's scores only order its own
candidates, so scores mean nothing across documents.

The features: the PositionRank-like prior of `nlp.concepts` (relative to the document's best,
and as a rank), the candidate's cosine similarity to the whole text (`nlp.embedding`; also
relative to the best and as a rank), its repetitions (also against the document's length, and
for single words apart), where it first appears, its length in words, whether it is a name or
a named entity, how rare its words are in general English, how often its words recur in
other candidates ("family"), whether it starts with a participle, how common its leading
adjective is ("basic syntax": a common adjective says little) and whether its head is a
generic noun ("concise way", "main part"); the document's share of proper nouns; how many
other candidates it contains and how many contain it ("online learning" inside "online
learning environment") and how often those are said, so the count of every time it is said,
alone or inside a longer phrase; how often its head word is said; whether it is said in the
title (a first line of at most `TITLE_TOKENS` tokens) or the first sentence; and its rank by
repetitions and by first position (the simplest baselines, as features).
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from spacy.tokens import Doc

from .candidates import GENERIC, Candidate, word_of

__all__ = [
    "CONTEXT_FEATURES",
    "FEATURES",
    "ConceptWeights",
    "data_path",
    "feature_rows",
    "uses_similarity",
]

DATA = Path(__file__).resolve().parent / "data"
# a first line longer than this is not a title (an Inspec abstract is one line)
TITLE_TOKENS = 40
FEATURES = (
    "log_prior",
    "prior_rank",
    "similarity",
    "similarity_gap",
    "similarity_rank",
    "log_count",
    "log_count_x_log_length",
    "repeated",
    "first_share",
    "log_first",
    "one_word",
    "two_words",
    "three_words",
    "four_plus_words",
    "proper",
    "entity",
    "rarity",
    "zipf_min",
    "zipf_mean",
    "log_length",
    "log_family",
    "one_word_x_log_length",
    "one_word_x_log_count",
    "participle",
    "adjective_zipf",
    "generic_head",
    "names_share",
    "log_inner",
    "log_outer",
    "log_outer_count",
    "log_all_count",
    "log_head_count",
    "in_title",
    "in_first_sentence",
    "count_rank",
    "first_rank",
)
# computed only for a scorer that uses one (`feature_rows(needed=...)`), with their genre terms
_CONTEXT_START = FEATURES.index("log_inner")
CONTEXT_FEATURES = FEATURES[_CONTEXT_START:]
# every feature again, times the share of the document's words that are proper nouns: news
# and forum pages (names everywhere) want other things than papers and docs
_BASE = FEATURES
FEATURES = _BASE + tuple(f"{name}*names" for name in _BASE)
_CONTEXT = frozenset(CONTEXT_FEATURES + tuple(f"{name}*names" for name in CONTEXT_FEATURES))


def uses_similarity(features: Collection[str]) -> bool:
    """True when `features` hold a similarity feature (the ranker then needs the embedding)."""
    return any("similarity" in name for name in features)


def data_path(path: Path | str) -> Path:
    """`path`, or for a bare file name the file of that name in `nlp/data/`."""
    path = Path(path)
    return DATA / path if not path.is_absolute() and path.parent == Path(".") else path


def _ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: -values[i])
    ranks = [0.0] * len(values)
    for rank, i in enumerate(order):
        ranks[i] = 1.0 / (1.0 + rank)
    return ranks


def feature_rows(
    cands: Sequence[Candidate],
    prior: Sequence[float],
    similarity: Sequence[float],
    rarity: Sequence[float],
    zipfs: Sequence[Sequence[float]],
    doc: Doc,
    needed: Collection[str] | None = None,
) -> np.ndarray:
    """One row per candidate, columns as `FEATURES` (see the module docstring).

    `prior` is the PositionRank-like score, `similarity` the cosine to the whole text,
    `rarity` the repetition gate of `nlp.concepts` and `zipfs` the Zipf frequency of each of
    the candidate's key words; all in the order of `cands`. `doc` is the parsed text. With
    `needed` (the features a scorer uses), the `CONTEXT_FEATURES` are 0 unless one is needed.
    """
    n_tokens = len(doc)
    names_share = sum(t.pos_ == "PROPN" for t in doc) / max(1, sum(t.is_alpha for t in doc))
    best_prior = max(prior) or 1.0
    best_similarity = max(similarity)
    prior_rank, similarity_rank = _ranks(prior), _ranks(similarity)
    family: dict[str, int] = {}
    for cand in cands:
        for word in cand.words:
            family[word] = family.get(word, 0) + cand.count
    log_length = math.log(max(n_tokens, 1))
    rows = np.zeros((len(cands), len(_BASE)), dtype=np.float64)
    for i, cand in enumerate(cands):
        n_words = max(1, len(cand.words))
        log_count = math.log(max(cand.count, 1))
        one = float(n_words == 1)
        kin = sum(family.get(w, 0) for w in cand.words) / n_words
        rows[i, :_CONTEXT_START] = (
            math.log(prior[i] / best_prior + 1e-6),
            prior_rank[i],
            similarity[i],
            similarity[i] - best_similarity,
            similarity_rank[i],
            log_count,
            log_count * log_length,
            float(cand.count > 1),
            cand.first / max(n_tokens, 1),
            math.log1p(cand.first),
            one,
            float(n_words == 2),
            float(n_words == 3),
            float(n_words >= 4),
            float(cand.mostly_proper),
            float(cand.entity),
            rarity[i],
            min(zipfs[i]),
            sum(zipfs[i]) / len(zipfs[i]),
            log_length,
            math.log(max(kin, 1.0)),
            one * log_length,
            one * log_count,
            float(cand.participle),
            zipfs[i][0] if cand.adjective else 0.0,
            float(cand.key.split()[-1] in GENERIC),
            names_share,
        )
    if needed is None or not _CONTEXT.isdisjoint(needed):
        rows[:, _CONTEXT_START:] = _context_columns(cands, doc)
    return np.hstack([rows, rows * names_share])


def _context_columns(cands: Sequence[Candidate], doc: Doc) -> np.ndarray:
    """The `CONTEXT_FEATURES` of each candidate: nesting, head word, title, ranks."""
    n_tokens = len(doc)
    inner, outer, outer_count = _nesting(cands)
    heads = _word_counts(doc)
    title = _title_words(doc)
    first_sentence_end = next((t.i for t in doc if t.text in (".", "!", "?")), n_tokens)
    count_rank = _ranks([c.count - c.first / (n_tokens + 1.0) for c in cands])
    first_rank = _ranks([-float(c.first) for c in cands])
    return np.array(
        [
            (
                math.log1p(inner[i]),
                math.log1p(outer[i]),
                math.log1p(outer_count[i]),
                math.log(cand.count + outer_count[i]),
                math.log1p(heads.get(cand.words[-1], 0) if cand.words else 0),
                float(bool(title) and all(w in title for w in cand.words)),
                float(cand.first < first_sentence_end),
                count_rank[i],
                first_rank[i],
            )
            for i, cand in enumerate(cands)
        ],
        dtype=np.float64,
    ).reshape(len(cands), len(CONTEXT_FEATURES))


def _nesting(cands: Sequence[Candidate]) -> tuple[list[int], list[int], list[int]]:
    """Per candidate: how many other candidates it contains, how many contain it, and how
    often those containing it are said (its repetitions inside longer phrases)."""
    by_words = {cand.words: i for i, cand in enumerate(cands)}
    inner, outer, outer_count = [0] * len(cands), [0] * len(cands), [0] * len(cands)
    for i, cand in enumerate(cands):
        n = len(cand.words)
        inside = {
            by_words.get(cand.words[a:b])
            for a in range(n)
            for b in range(a + 1, n + 1)
            if b - a < n
        }
        for j in inside - {None, i}:
            inner[i] += 1
            outer[j] += 1
            outer_count[j] += cand.count
    return inner, outer, outer_count


def _word_counts(doc: Doc) -> dict[str, int]:
    """How often each word of `doc` is said, by the ranker's word and by its lower case."""
    counts: dict[str, int] = {}
    for token in doc:
        if token.is_alpha:
            for word in {word_of(token), token.lower_}:
                counts[word] = counts.get(word, 0) + 1
    return counts


def _title_words(doc: Doc) -> set[str]:
    """The words of the text's first line when it is a title (at most `TITLE_TOKENS` tokens)."""
    for token in doc[: TITLE_TOKENS + 1]:
        if "\n" in token.text:
            return {word_of(t) for t in doc[: token.i]}
        if "\n" in token.whitespace_:
            return {word_of(t) for t in doc[: token.i + 1]}
    return set()


@dataclass(frozen=True)
class ConceptWeights:
    """A fitted linear scorer over `FEATURES`: standardise each column, then a dot product."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray

    @classmethod
    def load(cls, path: Path | str) -> ConceptWeights:
        """Read weights written by `to_json`; a bare file name is looked up in `nlp/data/`.

        Raises `OSError` when the file is missing and `ValueError` when its features are not
        `FEATURES` (weights fitted for another version of the ranker).
        """
        path = data_path(path)
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")), path.name)

    @classmethod
    def from_json(cls, data: dict, source: str) -> ConceptWeights:
        """Build from the JSON `to_json` writes, already read (`source` names the file).

        Raises `ValueError` when its features are not `FEATURES`.
        """
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"{source} was fitted for other features; refit it")
        columns = [data["columns"][name] for name in FEATURES]
        return cls(
            mean=np.array([c["mean"] for c in columns]),
            scale=np.array([c["scale"] for c in columns]),
            weights=np.array([c["weight"] for c in columns]),
        )

    @property
    def used_features(self) -> frozenset[str]:
        """The features with a weight (the ranker computes the costly ones only if used)."""
        return frozenset(name for name, w in zip(FEATURES, self.weights, strict=True) if w != 0.0)

    @property
    def uses_similarity(self) -> bool:
        """True when a similarity feature has a weight (the ranker then needs the embedding)."""
        return uses_similarity(self.used_features)

    def to_json(self, note: str) -> str:
        """The JSON `load` reads, one column per feature, with a `note` on how it was fitted."""
        columns = {
            name: {"mean": round(m, 6), "scale": round(s, 6), "weight": round(w, 6)}
            for name, m, s, w in zip(
                FEATURES,
                self.mean.tolist(),
                self.scale.tolist(),
                self.weights.tolist(),
                strict=True,
            )
        }
        return json.dumps(
            {
                "note": note,
                "features": FEATURES,
                "columns": columns,
            },
            indent=1,
        )

    def score(self, rows: np.ndarray) -> np.ndarray:
        """The candidates' scores (higher is better; comparable within one document only)."""
        return ((rows - self.mean) / self.scale) @ self.weights
