"""Fit the concept ranker's boosted trees with LightGBM and turn them into `nlp`'s JSON.

LightGBM is a bench-only dependency: `nlp.concept_trees.ConceptTrees` evaluates the trees
with numpy at run time. `fit_trees` fits a pointwise model (is this candidate a gold key?)
on the tune half, as `bench.concepts_eval.fit_weights` does for the linear one, and checks
that the exported trees score exactly as LightGBM does.
"""

from __future__ import annotations

import json

import numpy as np

from nlp.concept_features import FEATURES, uses_similarity
from nlp.concept_trees import KIND, ConceptTrees

__all__ = [
    "BLEND_LAMBDA",
    "COMMON_ZIPF",
    "TREE_PARAMS",
    "TREE_ROUNDS",
    "Blend",
    "common_words",
    "fit_trees",
    "trees_json",
]

# chosen by 2-fold cross-validation inside the tune half (see bench/README.md)
TREE_PARAMS = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_data_in_leaf": 50,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "seed": 1,
    "num_threads": 1,
    "deterministic": True,
    "verbose": -1,
}
TREE_ROUNDS = 150
# the blend that earned >= +0.005 F1@10 on both tune halves in the third round (bench/README.md)
BLEND_LAMBDA = 2.0
# a single lower-case word at least this common in `wordfreq` is a common word: the words the
# trees lift on real pages ("researchers" 3.9, "participants" 3.8, "equations" 4.0, "install"
# 4.1, "utilities" 4.3) are under the fit's `READER_ZIPF` 4.5
COMMON_ZIPF = 3.5
_ONE_WORD, _PROPER, _ZIPF = (FEATURES.index(f) for f in ("one_word", "proper", "zipf_min"))


def common_words(rows: np.ndarray) -> np.ndarray:
    """True for the rows of single common words that are no names (see `COMMON_ZIPF`)."""
    return (rows[:, _ONE_WORD] == 1) & (rows[:, _PROPER] == 0) & (rows[:, _ZIPF] >= COMMON_ZIPF)


class Blend:
    """The linear model's score plus `lam` x the trees' log-odds (a scorer like theirs).

    With `common_penalty`, the trees' log-odds of a single common word (`common_words`) are
    lowered by that much first: the guard against the words the trees lift.
    """

    def __init__(self, linear, trees, lam: float = BLEND_LAMBDA, common_penalty: float = 0.0):
        self.linear, self.trees, self.lam = linear, trees, lam
        self.common_penalty = common_penalty
        self.used_features = linear.used_features | trees.used_features
        self.uses_similarity = uses_similarity(self.used_features)

    def score(self, rows: np.ndarray) -> np.ndarray:
        """The candidates' scores (comparable within one document only)."""
        trees = self.trees.score(rows) - self.common_penalty * common_words(rows)
        return self.linear.score(rows) + self.lam * trees


def fit_trees(
    tables: list[tuple[list, np.ndarray]],
    labels: list[np.ndarray],
    doc_weights: list[float],
    drop: frozenset[str] = frozenset(),
    rounds: int = TREE_ROUNDS,
) -> tuple[ConceptTrees, list[dict]]:
    """Fit boosted trees on the documents with a weight > 0; features in `drop` are not used.

    Returns the numpy scorer and its trees as `trees_json` writes them. Raises
    `AssertionError` if the exported trees do not score as LightGBM does.
    """
    import lightgbm as lgb

    keep_docs = [i for i, (cands, _) in enumerate(tables) if cands and doc_weights[i] > 0]
    columns = [j for j, name in enumerate(FEATURES) if name not in drop]
    rows = np.vstack([tables[i][1] for i in keep_docs])
    target = np.concatenate([labels[i] for i in keep_docs])
    weight = np.concatenate([np.full(len(labels[i]), doc_weights[i]) for i in keep_docs])
    data = lgb.Dataset(rows[:, columns], target, weight=weight, free_raw_data=False)
    booster = lgb.train(TREE_PARAMS, data, rounds)
    names = [FEATURES[j] for j in columns]
    trees = [_flatten(info["tree_structure"], names) for info in booster.dump_model()["tree_info"]]
    scorer = ConceptTrees.from_trees(trees)
    expected = booster.predict(rows[:, columns], raw_score=True)
    assert np.allclose(scorer.score(rows), expected, atol=1e-6), "exported trees disagree"
    return scorer, trees


def _flatten(root: dict, names: list[str]) -> dict:
    """One LightGBM tree (nested dicts) as flat arrays, node 0 the root."""
    tree: dict[str, list] = {"feature": [], "threshold": [], "left": [], "right": [], "value": []}

    def add(node: dict) -> int:
        index = len(tree["feature"])
        for field in tree.values():
            field.append(None)
        if "leaf_value" in node:
            tree["feature"][index], tree["threshold"][index] = None, 0.0
            tree["left"][index] = tree["right"][index] = index
            tree["value"][index] = float(node["leaf_value"])
            return index
        if node["decision_type"] != "<=":
            raise ValueError(f"unsupported split {node['decision_type']!r}")
        tree["feature"][index] = names[node["split_feature"]]
        tree["threshold"][index] = float(node["threshold"])
        tree["value"][index] = 0.0
        tree["left"][index] = add(node["left_child"])
        tree["right"][index] = add(node["right_child"])
        return index

    add(root)
    return tree


def trees_json(trees: list[dict], note: str) -> str:
    """The JSON `nlp.concept_trees.load_scorer` reads, with a `note` on how it was fitted."""
    return json.dumps({"kind": KIND, "note": note, "trees": trees}, separators=(",", ":"))
