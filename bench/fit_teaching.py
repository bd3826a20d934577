"""Cross-validate the candidate checks of `bench.teaching_checks` on the pool of read items.

    python -m bench.fit_teaching    # the CV table of bench/README.md (about 2 minutes)

The pool is `bench.fit_learning.pool_items` (dev + legacy + the spent blind splits); the folds
and prior widths are `bench.fit_learning`'s. Rows: the shipped weights as they are, today's
checks refit on the pool, + each candidate alone, + all, + those that raise F1 alone; then the
rule (F1 +0.015 over the refit and CV precision >= 0.90) and the pages called learning per
category. Form accuracy is on the CV true positives (`nlp.learning.form_of`). Nothing is written.
"""

from __future__ import annotations

import argparse
from collections import Counter

import numpy as np

from bench.fit_learning import FEATURE_NAMES, cross_validate, cv_folds, features, pool_items
from bench.teaching_checks import (
    asks_and_answers,
    asks_for_opinions,
    calls_to_action,
    citation_metadata,
    explaining_wording,
    legal_page,
    list_of_teasers,
    news_or_lifestyle_section,
    review_wording,
    shopping_wording,
    teaching_section,
    title_is_the_search,
)
from nlp.evidence import WEIGHTS
from nlp.learning import form_of

__all__ = ["CANDIDATES", "main"]

# (name, prior weight, check): the weight a person would set, fitted like the shipped ones.
CANDIDATES = (
    ("asks and answers", 1.0, asks_and_answers),
    ("explaining wording", 0.8, explaining_wording),
    ("teaching section", 1.0, teaching_section),
    ("citation metadata", 2.0, citation_metadata),
    ("news or lifestyle section", -1.0, news_or_lifestyle_section),
    ("shopping wording", -1.5, shopping_wording),
    ("calls to action", -1.5, calls_to_action),
    ("title is the search", -2.0, title_is_the_search),
    ("list of teasers", -1.5, list_of_teasers),
    ("legal page", -2.0, legal_page),
    ("review wording", -1.5, review_wording),
    ("asks for opinions", -1.5, asks_for_opinions),
)
_RULE_F1_GAIN, _RULE_PRECISION = 0.015, 0.90


def _row(label: str, got: np.ndarray, y: np.ndarray, form_ok: np.ndarray) -> dict:
    """Print one line of the table and return its figures."""
    gold = y == 1
    tp, fp, fn = int((got & gold).sum()), int((got & ~gold).sum()), int((~got & gold).sum())
    p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
    f1 = 2 * p * r / max(1e-9, p + r)
    form = float(form_ok[got & gold].mean()) if tp else 0.0
    print(
        f"| {label} | {p:.3f} | {r:.3f} | {f1:.3f} | {float((got == gold).mean()):.3f} "
        f"| {form:.3f} ({tp} TP) | {fp} / {fn} |"
    )
    return {"precision": p, "f1": f1}


def main(argv: list[str] | None = None) -> int:
    """Print the CV table (shipped, refit, + each candidate, + all, + kept) and per category."""
    argparse.ArgumentParser(prog="python -m bench.fit_teaching", description=__doc__).parse_args(
        argv
    )
    items = pool_items()
    views: list = []
    x, y = features(items, extra_checks=tuple((n, c) for n, _, c in CANDIDATES), views=views)
    form_ok = np.array(
        [form_of(v.page, v.ex, kind) == i.form for i, (v, kind) in zip(items, views, strict=True)]
    )
    folds = cv_folds(items)
    shipped = len(FEATURE_NAMES)
    priors = tuple(w for _, w, _ in CANDIDATES)
    print(f"pool: {len(items)} items, {int(y.sum())} learning; 5-fold CV (bench.fit_learning)\n")
    print("| tagger | CV P | CV R | CV F1 | accuracy | form (CV TP) | FP / FN |")
    print("|---|---|---|---|---|---|---|")
    w = np.array([WEIGHTS[n] for n in FEATURE_NAMES] + [0.0] * len(CANDIDATES))
    _row("shipped weights, not refit", x @ w >= 0, y, form_ok)

    def with_only(kept: set[str]) -> np.ndarray:
        chosen = x.copy()
        for k, (name, _, _) in enumerate(CANDIDATES):
            if name not in kept:
                chosen[:, shipped + k] = 0.0
        return chosen

    _, width, base_got = cross_validate(with_only(set()), y, folds, priors)
    base = _row(f"today's checks refit on the pool (width {width})", base_got, y, form_ok)
    kept = set()
    for name, _, _ in CANDIDATES:
        _, width, got = cross_validate(with_only({name}), y, folds, priors)
        alone = _row(f"+ {name} (width {width})", got, y, form_ok)
        if alone["f1"] > base["f1"]:
            kept.add(name)
    _, width, all_got = cross_validate(with_only({n for n, _, _ in CANDIDATES}), y, folds, priors)
    _row(f"+ all {len(CANDIDATES)} (width {width})", all_got, y, form_ok)
    _, width, kept_got = cross_validate(with_only(kept), y, folds, priors)
    final = _row(f"+ the {len(kept)} that gain alone (width {width})", kept_got, y, form_ok)
    adopted = final["f1"] - base["f1"] >= _RULE_F1_GAIN and final["precision"] >= _RULE_PRECISION
    print(f"\nkept: {', '.join(sorted(kept))}")
    print(
        f"rule (F1 +{_RULE_F1_GAIN} over the refit, CV P >= {_RULE_PRECISION}): "
        f"{'met' if adopted else 'not met'}"
    )
    counts: dict[str, Counter] = {}
    for item, b, k in zip(items, base_got, kept_got, strict=True):
        cell = counts.setdefault(item.category, Counter())
        cell["n"] += 1
        cell["refit"] += int(b)
        cell["kept"] += int(k)
    print("\n| category | called learning: refit | + kept | of |\n|---|---|---|---|")
    for category, cell in sorted(counts.items()):
        print(f"| {category} | {cell['refit']} | {cell['kept']} | {cell['n']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
