"""The learning tagger's CV figures split by where the pool's pages come from (issue 11 follow-up).

    python -m bench.cv_by_source                      # the table and each real page's mistake
    python -m bench.cv_by_source --real-weight 2      # a fit that counts each real page twice
    python -m bench.cv_by_source --fold-salts a b c   # the same on other fold splits too

The pool's 5-fold CV exactly as `bench.fit_learning` runs it (its folds, its prior widths, refit
per fold), its out-of-fold verdicts split into the pages the team wrote (`own/*`), the real pages
of the browsing set (`browsing/*`) and those of the earlier label files (`legacy`). For each real
page the CV gets wrong it prints the evidence that moved it, weighted by its fold's fit. The
figures and what they say: `bench/README.md`, "Real pages (stop 14, exploratory, branch
realpages)".
"""

from __future__ import annotations

import argparse

import numpy as np

from bench.fit_learning import (
    FEATURE_NAMES,
    FOLDS,
    cross_validate,
    cv_folds,
    features,
    fit,
    pool_items,
    precision_recall_f1,
)

SOURCES = ("own", "browsing", "legacy")


def source_of(item) -> str:
    """Where a pool item comes from: "own" (written by the team), "browsing" or "legacy"."""
    return "legacy" if item.split == "legacy" else item.name.partition("/")[0]


def figures(got: np.ndarray, y: np.ndarray, mask: np.ndarray) -> dict:
    """P, R, F1, false alarms, misses and the false-alarm rate of the verdicts in `mask`."""
    called, gold = got[mask], y[mask] == 1
    p, r, f1 = precision_recall_f1(called, gold)
    false_alarms = int((called & ~gold).sum())
    return {
        "n": int(mask.sum()),
        "learning": int(gold.sum()),
        "P": p,
        "R": r,
        "F1": f1,
        "FP": false_alarms,
        "FN": int((~called & gold).sum()),
        "FP rate": false_alarms / max(1, int((~gold).sum())),
    }


def _row(label: str, f: dict) -> str:
    return (
        f"| {label} | {f['n']} / {f['learning']} | {f['P']:.3f} | {f['R']:.3f} | {f['F1']:.4f} "
        f"| {f['FP']} ({f['FP rate']:.1%}) / {f['FN']} |"
    )


def main(argv: list[str] | None = None) -> int:
    """Print the per-source table (and the real pages' mistakes); returns 0."""
    parser = argparse.ArgumentParser(prog="python -m bench.cv_by_source", description=__doc__)
    parser.add_argument("--real-weight", type=float, default=1.0)
    parser.add_argument("--fold-salts", nargs="*", default=[])
    args = parser.parse_args(argv)
    items = pool_items()
    x, y = features(items)
    source = np.array([source_of(i) for i in items])
    real = source != "own"
    item_weights = np.where(real, args.real_weight, 1.0)
    for salt in ["", *args.fold_salts]:
        folds = cv_folds(items, salt)
        _, sigma, got = cross_validate(x, y, folds, item_weights=item_weights)
        print(f"\nfolds salt {salt!r}, real pages weighted {args.real_weight}, width {sigma}")
        print("| pool items, 5-fold CV | n / learning | P | R | F1 | false alarms / misses |")
        print("|---|---|---|---|---|---|")
        print(_row("all", figures(got, y, np.ones(len(y), dtype=bool))))
        for name in SOURCES:
            print(_row(name, figures(got, y, source == name)))
        print(_row("real (browsing + legacy)", figures(got, y, real)))
        if salt:
            continue
        for k in range(FOLDS):  # each real page's mistake, with its fold's weights
            w = fit(x[folds != k], y[folds != k], sigma, item_weights=item_weights[folds != k])
            for n in np.flatnonzero((folds == k) & real & (got != (y == 1))):
                moved = sorted(
                    ((w[c] * x[n, c], FEATURE_NAMES[c]) for c in np.flatnonzero(x[n])),
                    key=lambda t: -abs(t[0]),
                )
                print(f"\n{'FP' if got[n] else 'FN'} {x[n] @ w:+.2f} {items[n].name}")
                print(f"   [{items[n].category}] {items[n].reason[:110]}")
                print("   " + "; ".join(f"{v:+.2f} {name}" for v, name in moved))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
