"""Fit the learning tagger's weights on the pool of read items and write them for the package.

    python -m bench.fit_learning            # cross-validate, fit, write the weights file
    python -m bench.fit_learning --dry-run  # cross-validate and print, write nothing

A logistic regression over the named features of `nlp.evidence` (the page's kind, one-hot, and
each check's strength 0..1, `nlp.teaching_checks`' among them), with a Gaussian prior centred on
the hand-set weights (`PRIOR_WEIGHTS`): weights the data cannot support stay near what a person
set. Fitted on the **pool** (`pool_items`): the *dev* split of the browsing set, the earlier
label files (`legacy`) and the blind splits already scored once and since read (*test*, *fresh*,
*fresh3*, *fresh4*, *fresh5*, *fresh6*); never on a blind split still unread (*fresh7* and any
written later). The prior's width is chosen by 5-fold cross-validation on the pool (folds by
CRC-32 of the item name); the CV figures are printed next to the hand-set weights' on the same
items.
"""

from __future__ import annotations

import argparse
import json
import zlib
from collections import Counter

import numpy as np

from bench.browsing_set import ROOT, load_items, page_for, visit
from bench.learning_eval import _legacy_page, legacy_items
from nlp.evidence import PRIOR_WEIGHTS, page_features
from nlp.extract import extract_page
from nlp.learning import form_of
from nlp.page_kind import PageView, source_kind_of
from nlp.textcues import read_cues

WEIGHTS_FILE = ROOT / "nlp" / "data" / "learning_weights.json"
FEATURE_NAMES = tuple(PRIOR_WEIGHTS)
PRIOR_WIDTHS = (0.5, 1.0, 2.0)
FOLDS = 5
# The goal's own measure (issue 11): the share of each non-learning category called learning,
# printed for the categories with at least this many items in the pool.
CATEGORY_MIN_ITEMS = 5
# Why the weights shipped are the ones fitted here, kept with them (the history: bench/README.md).
ADOPTION = (
    "The checks of stop 14 (each raised CV F1 alone, none by the +0.005 the rule asked; adopted "
    "together, which meets it) on this pool's 5-fold CV against the checks before refit on the "
    "same pool: F1 0.894 -> 0.902, P 0.925 -> 0.930, no non-learning category with more than one "
    "more false alarm; refit after issue threads kept their posts (extraction): F1 0.905 "
    "(bench/README.md, stop 14)."
)
# Not learnable from the corpus (no item was reached from a search): kept as set by hand.
_FIXED = ("search", "question-like search")


def development_items():
    """The items every fit and cross-validation uses: *dev* of the browsing set plus legacy."""
    return [i for i in load_items() if i.split == "dev"] + legacy_items()


# Blind batches already scored once and since read (test, fresh = fresh1 + fresh2, fresh3,
# fresh4, fresh5, fresh6); any batch written later stays out of the pool even if its name starts
# like these.
_READ_SPLITS = ("dev", "test", "fresh", "fresh3", "fresh4", "fresh5", "fresh6")
_READ_BATCHES = (
    "own/fresh1-",
    "own/fresh2-",
    "own/fresh3-",
    "own/fresh4-",
    "own/fresh5-",
    "own/fresh6-",
)


def in_pool(item) -> bool:
    """Whether `item` may be fitted on: *dev*, legacy, or a blind batch already scored and read.

    A batch written later stays out even when its name starts like a read one (`own/fresh8-`
    reads as the *fresh* split by its prefix until it is wired). *fresh7*, read at stop 14
    after the shipped weights were fitted, stays out until the next fit adds it here, so that
    `python -m bench.fit_learning` remakes the shipped weights.
    """
    if item.split == "legacy":
        return True
    return item.split in _READ_SPLITS and (
        not item.name.startswith("own/fresh") or item.name.startswith(_READ_BATCHES)
    )


def pool_items():
    """Every labelled item that has been read: *dev*, legacy and the spent blind splits."""
    return [i for i in load_items() if in_pool(i)] + legacy_items()


def cv_folds(items, salt: str = "") -> np.ndarray:
    """Each item's fold, 0..FOLDS-1, by CRC-32 of its name (the same folds for every script);
    a `salt` put before each name gives another split, to see how much a figure owes to one."""
    return np.array([zlib.crc32((salt + i.name).encode()) % FOLDS for i in items])


def features(
    items, extracted: list | None = None, forms: list | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The feature matrix (one column per `PRIOR_WEIGHTS` name) and labels of `items`.

    Each page is scored after a `whole` visit; pass a list as `extracted` to receive the
    `Extracted` pages too (for other signals of the same items), as `forms` to receive the form
    the tagger gives each page were it called learning.
    """
    rows, labels = [], []
    for item in items:
        legacy = item.split == "legacy"
        page = (
            _legacy_page(item.name, ROOT.parent / "shared" / "corpus") if legacy else page_for(item)
        )
        ex = extract_page(page)
        if extracted is not None:
            extracted.append(ex)
        page = visit(page, "whole", ex.metadata.word_count)
        view = PageView(page, ex, read_cues(ex.text))
        kind, why = source_kind_of(view)
        if forms is not None:
            forms.append(form_of(page, ex, kind))
        row = np.zeros(len(FEATURE_NAMES))
        row[FEATURE_NAMES.index("prior")] = 1.0
        for name, strength, _ in page_features(view, kind, why):
            row[FEATURE_NAMES.index(name)] = strength
        rows.append(row)
        labels.append(float(item.is_learning))
    return np.array(rows), np.array(labels)


def fit(
    x: np.ndarray,
    y: np.ndarray,
    sigma: float,
    extra_prior: tuple[float, ...] = (),
    item_weights: np.ndarray | None = None,
) -> np.ndarray:
    """MAP logistic regression with a N(PRIOR_WEIGHTS, sigma²) prior, by Newton's method.

    `extra_prior`: the prior weights of columns `x` has after the `PRIOR_WEIGHTS` ones;
    `item_weights`: how much each item's likelihood counts (1 each when None).
    """
    sw = np.ones(len(y)) if item_weights is None else item_weights
    w0 = np.array([PRIOR_WEIGHTS[n] for n in FEATURE_NAMES] + list(extra_prior))
    fixed = np.array([n in _FIXED for n in FEATURE_NAMES] + [False] * len(extra_prior))
    w = w0.copy()
    precision = np.full(len(w), 1.0 / sigma**2)

    def loss(w: np.ndarray) -> float:  # the negative log posterior
        z = x @ w
        return float(sw @ (np.logaddexp(0.0, z) - y * z) + 0.5 * precision @ (w - w0) ** 2)

    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        gradient = x.T @ (sw * (p - y)) + precision * (w - w0)
        hessian = (x * (sw * p * (1 - p))[:, None]).T @ x + np.diag(precision)
        step = np.linalg.solve(hessian, gradient)
        step[fixed] = 0.0
        before = loss(w)
        while loss(w - step) > before and np.abs(step).max() > 1e-9:
            step /= 2  # a full Newton step can overshoot when the classes nearly separate
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return w


def cross_validate(
    x: np.ndarray,
    y: np.ndarray,
    folds: np.ndarray,
    extra_prior: tuple[float, ...] = (),
    verbose: bool = False,
    item_weights: np.ndarray | None = None,
) -> tuple[float, float, np.ndarray]:
    """`(F1, prior width, out-of-fold verdicts)` of the prior width with the best CV F1
    (`item_weights`: as `fit`'s; the F1 counts every item once)."""
    best = None
    sw = np.ones(len(y)) if item_weights is None else item_weights
    for sigma in PRIOR_WIDTHS:
        got = np.zeros(len(y), dtype=bool)
        for k in range(FOLDS):
            train = folds != k
            w = fit(x[train], y[train], sigma, extra_prior, sw[train])
            got[folds == k] = x[folds == k] @ w >= 0
        p, r, f1 = precision_recall_f1(got, y == 1)
        if verbose:
            print(f"5-fold CV, prior width {sigma}: P {p:.3f} R {r:.3f} F1 {f1:.3f}")
        if best is None or f1 > best[0]:
            best = (f1, sigma, got)
    return best


def _scores(w: np.ndarray, x: np.ndarray, y: np.ndarray) -> dict:
    return _scores_of(x @ w >= 0, y)


def precision_recall_f1(got: np.ndarray, gold: np.ndarray) -> tuple[float, float, float]:
    """Precision, recall and F1 of the verdicts `got` against the boolean labels `gold`."""
    tp = int((got & gold).sum())
    p, r = tp / max(1, int(got.sum())), tp / max(1, int(gold.sum()))
    return p, r, 2 * p * r / max(1e-9, p + r)


def _scores_of(got: np.ndarray, y: np.ndarray) -> dict:
    """Precision, recall and accuracy of the verdicts `got` against the labels `y`."""
    gold = y == 1
    p, r, _ = precision_recall_f1(got, gold)
    return {
        "precision": round(p, 3),
        "recall": round(r, 3),
        "accuracy": round(float((got == gold).mean()), 3),
    }


def false_alarms(items, got: np.ndarray) -> dict[str, tuple[int, int]]:
    """`{category: (called learning, items)}` of the non-learning categories with at least
    `CATEGORY_MIN_ITEMS` items, for the verdicts `got` (in `items` order)."""
    called, total = Counter(), Counter()
    for item, verdict in zip(items, got, strict=True):
        if not item.is_learning:
            total[item.category] += 1
            called[item.category] += bool(verdict)
    return {c: (called[c], n) for c, n in sorted(total.items()) if n >= CATEGORY_MIN_ITEMS}


def _print_cv(items, got: np.ndarray, y: np.ndarray, forms: list[str]) -> dict:
    """Print the out-of-fold figures: P/R/F1, form on true positives, false alarms by category."""
    cv = _scores_of(got, y)
    f1 = precision_recall_f1(got, y == 1)[2]
    hits = [n for n, verdict in enumerate(got) if verdict and y[n] == 1]
    form_ok = sum(forms[n] == items[n].form for n in hits)
    print(
        f"5-fold CV, chosen width: P {cv['precision']} R {cv['recall']} F1 {f1:.3f} accuracy "
        f"{cv['accuracy']}, form on CV true positives {form_ok / max(1, len(hits)):.3f} "
        f"({form_ok} of {len(hits)}), {int((got & (y == 0)).sum())} false alarms"
    )
    print(f"CV false alarms by non-learning category (>= {CATEGORY_MIN_ITEMS} items):")
    for category, (called, n) in false_alarms(items, got).items():
        print(f"  {category:24} {called:3} of {n:3} ({called / n:.0%})")
    return cv


def main(argv: list[str] | None = None) -> int:
    """Cross-validate, fit and (unless --dry-run) write the weights; returns 0."""
    parser = argparse.ArgumentParser(prog="python -m bench.fit_learning", description=__doc__)
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    items = pool_items()
    forms: list[str] = []
    x, y = features(items, forms=forms)
    folds = cv_folds(items)
    w0 = np.array([PRIOR_WEIGHTS[n] for n in FEATURE_NAMES])
    print(f"pool: {len(items)} items, {int(y.sum())} learning, {len(FEATURE_NAMES)} weights")
    _, sigma, got = cross_validate(x, y, folds, verbose=True)
    cv = _print_cv(items, got, y, forms)
    print(f"hand-set weights on the same items: {_scores(w0, x, y)}")
    w = fit(x, y, sigma)
    print(f"fitted (prior width {sigma}) on the whole pool: {_scores(w, x, y)}")
    for name, before, after in zip(FEATURE_NAMES, w0, w, strict=True):
        if abs(after - before) >= 0.05:
            print(f"  {name:26} {before:+.2f} -> {after:+.2f}")
    if not args.dry_run:
        WEIGHTS_FILE.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "about": "Fitted by `python -m bench.fit_learning` (see its docstring) on the pool, "
            f"{len(items)} items ({int(y.sum())} learning), prior width {sigma} chosen by 5-fold "
            f"CV: CV P {cv['precision']} R {cv['recall']} accuracy {cv['accuracy']}. " + ADOPTION,
            "weights": {n: round(float(v), 3) for n, v in zip(FEATURE_NAMES, w, strict=True)},
        }
        WEIGHTS_FILE.write_text(json.dumps(payload, indent=1) + "\n")
        print(f"wrote {WEIGHTS_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
