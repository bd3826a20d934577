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
generic noun ("concise way", "main part").
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .candidates import GENERIC, Candidate

__all__ = ["FEATURES", "ConceptWeights", "feature_rows"]

DATA = Path(__file__).resolve().parent / "data"
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
)
# every feature again, times the share of the document's words that are proper nouns: news
# and forum pages (names everywhere) want other things than papers and docs
_BASE = FEATURES
FEATURES = _BASE + tuple(f"{name}*names" for name in _BASE)


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
    n_tokens: int,
    names_share: float,
) -> np.ndarray:
    """One row per candidate, columns as `FEATURES` (see the module docstring).

    `prior` is the PositionRank-like score, `similarity` the cosine to the whole text,
    `rarity` the repetition gate of `nlp.concepts` and `zipfs` the Zipf frequency of each of
    the candidate's key words; all in the order of `cands`. `names_share` is the share of the
    document's words that are proper nouns.
    """
    best_prior = max(prior) or 1.0
    best_similarity = max(similarity)
    prior_rank, similarity_rank = _ranks(prior), _ranks(similarity)
    family: dict[str, int] = {}
    for cand in cands:
        for word in cand.words:
            family[word] = family.get(word, 0) + cand.count
    log_length = math.log(max(n_tokens, 1))
    rows = np.empty((len(cands), len(_BASE)), dtype=np.float64)
    for i, cand in enumerate(cands):
        n_words = max(1, len(cand.words))
        log_count = math.log(max(cand.count, 1))
        one = float(n_words == 1)
        kin = sum(family.get(w, 0) for w in cand.words) / n_words
        rows[i] = (
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
        )
    return np.hstack([rows, rows * names_share])


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
        path = Path(path)
        if not path.is_absolute() and path.parent == Path("."):
            path = DATA / path
        data = json.loads(path.read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"{path.name} was fitted for other features; refit it")
        columns = [data["columns"][name] for name in FEATURES]
        return cls(
            mean=np.array([c["mean"] for c in columns]),
            scale=np.array([c["scale"] for c in columns]),
            weights=np.array([c["weight"] for c in columns]),
        )

    @property
    def uses_similarity(self) -> bool:
        """True when a similarity feature has a weight (the ranker then needs the embedding)."""
        return any(
            w != 0.0 for name, w in zip(FEATURES, self.weights, strict=True) if "similarity" in name
        )

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
