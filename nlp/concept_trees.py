"""Gradient-boosted trees over `FEATURES` for the concept ranker, evaluated with numpy.

A linear model cannot say "where a phrase first appears matters for news, less for an
abstract" or "repetitions count more for a long phrase"; trees can. They are fitted on the
tune half of the shared keyphrase sets by `bench/concepts_eval.py --fit` (with LightGBM,
a bench-only dependency) and ship as `nlp/data/concept_trees.json`: per tree, arrays of
split feature, threshold, children and leaf values. Nothing but numpy runs them. They are not
the default: they rank the keyphrase sets better but lift common single words
("researchers", "equations") on real pages (bench/README.md).

`load_scorer` reads either kind of file (`ConceptTrees` or the linear `ConceptWeights`), so
the ranker's `weights_file` may name either.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from .concept_features import FEATURES, ConceptWeights, data_path, uses_similarity

__all__ = ["ConceptTrees", "load_scorer"]

KIND = "trees"


@dataclass(frozen=True)
class ConceptTrees:
    """Boosted regression trees in flat arrays: a candidate's score is the sum of its leaves.

    All trees' nodes are in one table; `roots[t]` is tree t's first node. An inner node sends
    a row to `left` when its `feature` column is <= `threshold`, else to `right`; a leaf has
    `feature` -1 and its score in `value`. Features index `FEATURES`.
    """

    roots: np.ndarray
    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    depth: int

    @cached_property
    def used_features(self) -> frozenset[str]:
        """The features a tree splits on (the ranker computes the costly ones only if used)."""
        return frozenset(FEATURES[f] for f in set(self.feature.tolist()) if f >= 0)

    @property
    def uses_similarity(self) -> bool:
        """True when a tree splits on a similarity feature (the ranker then needs the embedding)."""
        return uses_similarity(self.used_features)

    def score(self, rows: np.ndarray) -> np.ndarray:
        """The candidates' scores (higher is better; comparable within one document only)."""
        node = np.broadcast_to(self.roots, (len(rows), len(self.roots))).copy()
        row = np.arange(len(rows))[:, None]
        for _ in range(self.depth):
            feature = self.feature[node]
            inner = feature >= 0
            if not inner.any():
                break
            goes_left = rows[row, np.where(inner, feature, 0)] <= self.threshold[node]
            node = np.where(inner, np.where(goes_left, self.left[node], self.right[node]), node)
        return self.value[node].sum(axis=1)

    @classmethod
    def from_trees(cls, trees: list[dict]) -> ConceptTrees:
        """Build from a list of trees, each `{"feature": [names or None], "threshold", "left",
        "right", "value"}` with children indexed within the tree (the JSON's layout).

        Raises `ValueError` when a tree splits on a feature that is not in `FEATURES`.
        """
        roots, feature, threshold, left, right, value = [], [], [], [], [], []
        depth = 0
        for tree in trees:
            base = len(feature)
            roots.append(base)
            for name in tree["feature"]:
                if name is not None and name not in FEATURES:
                    raise ValueError(f"the trees split on {name!r}, not a feature now; refit them")
                feature.append(-1 if name is None else FEATURES.index(name))
            threshold += tree["threshold"]
            left += [base + c for c in tree["left"]]
            right += [base + c for c in tree["right"]]
            value += tree["value"]
            depth = max(depth, _depth(tree))
        return cls(
            roots=np.array(roots, dtype=np.int64),
            feature=np.array(feature, dtype=np.int64),
            threshold=np.array(threshold, dtype=np.float64),
            left=np.array(left, dtype=np.int64),
            right=np.array(right, dtype=np.int64),
            value=np.array(value, dtype=np.float64),
            depth=depth,
        )


def _depth(tree: dict) -> int:
    """The number of splits on the longest path from the root of `tree` to a leaf."""
    deepest, stack = 0, [(0, 0)]
    while stack:
        node, level = stack.pop()
        if tree["feature"][node] is None:
            deepest = max(deepest, level)
        else:
            stack += [(tree["left"][node], level + 1), (tree["right"][node], level + 1)]
    return deepest


def load_scorer(path: Path | str) -> ConceptTrees | ConceptWeights:
    """Read a scorer file, trees or linear weights; a bare file name is looked up in `nlp/data/`.

    Raises `OSError` when the file is missing and `ValueError` when it was fitted for other
    features.
    """
    path = data_path(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("kind") == KIND:
        return ConceptTrees.from_trees(data["trees"])
    return ConceptWeights.from_json(data, path.name)
