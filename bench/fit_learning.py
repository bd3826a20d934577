"""Refit the learning tagger's content weights (`nlp.evidence.WEIGHTS`) from the hand labels.

    .venv/bin/python -m bench.fit_learning [--corpus PATH] [--folds 5]

Reads the development labels only (bench/labels/learning.tsv + learning-heldout.tsv; never
the blind learning-test.tsv), turns every item into the tagger's named features
(`nlp.evidence.read_evidence`), and fits a logistic regression whose weights are pulled towards
the hand-set weights below (a Gaussian prior: minimise log-loss + l2/2 * |w - prior|^2), so a
feature the labels say little about keeps its hand-set weight. `l2` is chosen by k-fold
cross-validation (folds by CRC-32 of the item name): the largest whose accuracy is within one
item of the best. The script prints the cross-validated
precision/recall of the prior and of the fit, then the fitted table to paste into
`nlp/evidence.py`. Needs numpy (installed with spaCy); nothing here is imported at run time.
"""

from __future__ import annotations

import argparse
import math
import zlib
from pathlib import Path

import numpy as np

from bench.quality import (
    DEFAULT_CORPUS,
    FRESH_LABELS,
    LABELS,
    _manifest,
    _read_labels,
    page_for_label,
)
from nlp.evidence import ENGAGEMENT, read_evidence
from nlp.extract import extract_page
from nlp.learning import _source_kind
from nlp.textcues import read_cues

# The hand-set weights before any fit (new signals start at 0: no opinion).
PRIOR: dict[str, float] = {
    "bias": -0.8,
    "kind:documentation": 2.6,
    "kind:tutorial": 2.6,
    "kind:q&a": 2.4,
    "kind:course": 3.0,
    "kind:paper": 2.2,
    "kind:repository": 2.0,
    "kind:forum": 0.8,
    "kind:article": 0.0,
    "kind:video": 0.0,
    "kind:podcast": 0.3,
    "kind:news": -2.2,
    "kind:social": -2.2,
    "kind:shop": -3.0,
    "kind:other": -1.0,
    "code": 2.0,
    "schema": 1.2,
    "steps": 1.6,
    "howto_title": 1.2,
    "scholarly": 1.8,
    "explains": 1.2,
    "jargon": 1.0,
    "reported_speech": -2.0,
    "entertainment": -2.0,
    "genre_learning": 1.8,
    "genre_other": -1.8,
    "talk": 1.6,
    "long_video": 0.0,
    "sources": 0.0,
    "login": -2.0,
    "little_text": -1.5,
}
NAMES = list(PRIOR)


def dev_matrix(corpus: Path) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Feature matrix (one row per development item, bias column first), labels, names."""
    rows = _read_labels(LABELS) + _read_labels(FRESH_LABELS)
    manifests = {f: _manifest(corpus / f) for f in ("articles", "pages", "video")}
    index = {name: i for i, name in enumerate(NAMES)}
    x = np.zeros((len(rows), len(NAMES)))
    y = np.zeros(len(rows))
    for r, row in enumerate(rows):
        page = page_for_label(corpus, row["name"], manifests)
        ex = extract_page(page)
        cues = read_cues(ex.text)
        kind, why = _source_kind(page, ex, cues)
        x[r, index["bias"]] = 1.0
        for e in read_evidence(page, ex, kind, why, cues):
            if e.feature in index and e.feature not in ENGAGEMENT:
                x[r, index[e.feature]] += e.value
        y[r] = row["is_learning"].strip() == "1"
    return x, y, [row["name"] for row in rows]


def fit(x: np.ndarray, y: np.ndarray, prior: np.ndarray, l2: float) -> np.ndarray:
    """MAP logistic regression with a Gaussian prior centred on `prior` (Newton steps)."""
    w = prior.copy()
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) + l2 * (w - prior)
        hess = (x.T * (p * (1 - p))) @ x + l2 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def scores(y: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    """Precision, recall and accuracy of boolean predictions."""
    tp = float(np.sum(predicted & (y == 1)))
    fp = float(np.sum(predicted & (y == 0)))
    fn = float(np.sum(~predicted & (y == 1)))
    return {
        "P": tp / (tp + fp) if tp + fp else 0.0,
        "R": tp / (tp + fn) if tp + fn else 0.0,
        "acc": float(np.mean(predicted == (y == 1))),
    }


def cross_validate(
    x: np.ndarray, y: np.ndarray, names: list[str], l2: float | None, folds: int
) -> dict[str, float]:
    """k-fold CV scores of the fit with `l2` (None: the prior weights, unfitted)."""
    prior = np.array([PRIOR[n] for n in NAMES])
    fold = np.array([zlib.crc32(n.encode()) % folds for n in names])
    predicted = np.zeros(len(y), dtype=bool)
    for k in range(folds):
        test = fold == k
        w = prior if l2 is None else fit(x[~test], y[~test], prior, l2)
        predicted[test] = x[test] @ w >= 0
    return scores(y, predicted)


def main(argv: list[str] | None = None) -> int:
    """Print CV figures for the prior and a range of l2, then the fitted weight table."""
    parser = argparse.ArgumentParser(prog="python -m bench.fit_learning", description=__doc__)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    x, y, names = dev_matrix(args.corpus)
    print(f"{len(y)} development items, {int(y.sum())} learning, {args.folds}-fold CV")
    accuracy: dict[float, float] = {}
    for l2 in (None, 0.3, 1.0, 3.0, 10.0, 30.0):
        s = cross_validate(x, y, names, l2, args.folds)
        label = "prior (hand-set)" if l2 is None else f"fit l2={l2}"
        print(f"  {label:18} P {s['P']:.3f}  R {s['R']:.3f}  acc {s['acc']:.3f}")
        if l2 is not None:
            accuracy[l2] = s["acc"]
    # the strongest pull towards the prior whose CV accuracy is within one item of the best:
    # weaker ones let features seen on a handful of items swing freely, which CV cannot see
    one_item = 1.0 / len(y)
    l2 = max(k for k, v in accuracy.items() if v >= max(accuracy.values()) - one_item - 1e-9)
    prior = np.array([PRIOR[n] for n in NAMES])
    w = fit(x, y, prior, l2)
    print(f"\nfitted on all {len(y)} with l2={l2}; paste into nlp/evidence.py:")
    for name, value in zip(NAMES, w, strict=True):
        used = int(np.count_nonzero(x[:, NAMES.index(name)]))
        print(f'    "{name}": {round(float(value), 2)},  # {used} items')
    train = scores(y, x @ w >= 0)
    print(f"\ntraining fit: P {train['P']:.3f}  R {train['R']:.3f}  acc {train['acc']:.3f}")
    assert all(math.isfinite(v) for v in w)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
