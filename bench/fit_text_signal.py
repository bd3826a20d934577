"""Is a supervised text signal worth a place in the learning tagger? (issue 11, nested CV)

    python -m bench.fit_text_signal     # prints the CV table; writes nothing

The signal: the page's text (or title, or first N words) embedded with WordLlama
(`nlp.embedding`, 256-dim, offline), a strongly regularised logistic model on it (standardised
dimensions, L2 penalty `lam`; or a nearest-centroid direction), and its logit fed to the tagger
as ONE more named check, "reads like teaching", of strength tanh(logit / scale), with its own
weight fitted beside the others (`bench.fit_learning.fit`, prior weight 1.0).

Nested, so no fold sees its own labels: the outer folds are `bench.fit_learning`'s 5 folds
(CRC-32 of the item name mod 5) over *dev* + legacy. For outer fold k the text model is fitted
on the other four folds and gives fold k its logits; the training items' logits come from an
inner 5-fold cross-fit within those four folds (CRC-32 // 5 mod 5), so the tagger's weight for
the check is learnt from out-of-sample logits, as it would meet a new page. The decision rule
set beforehand: keep the check only if CV F1 rises by at least 0.02 with precision >= 0.90.
Never reads the blind splits.

Then a gated version, aimed at the journalistic explainers the tagger misses: the check counts
only on pages whose source kind is one of `_GATED_KINDS` (strength 0 elsewhere), its text model
fitted on all training items or on the gated ones only (prior width 1.0).
"""

from __future__ import annotations

import re
import zlib

import numpy as np

from bench.fit_learning import (
    FEATURE_NAMES,
    FOLDS,
    PRIOR_WIDTHS,
    cv_folds,
    development_items,
    features,
    fit,
)
from nlp.embedding import shared_embedder

_WORD = re.compile(r"\S+")
_PENALTIES = (1.0, 3.0, 10.0, 30.0)
_SCALES = (2.0, 4.0)
_CHECK_PRIOR = 1.0
_KEEP_IF_F1_GAIN, _KEEP_IF_PRECISION = 0.02, 0.90
_GATED_KINDS = ("article", "news", "forum", "other")
_GATED_INPUTS, _GATED_PENALTIES = ("text", "first 500 words", "title"), (10.0, 30.0, 100.0)


def _first_words(text: str, n: int) -> str:
    return " ".join(_WORD.findall(text[: n * 12])[:n])


def _logistic(z: np.ndarray, y: np.ndarray, lam: float) -> np.ndarray:
    """L2-penalised logistic regression by Newton's method; the last weight is the bias."""
    a = np.hstack([z, np.ones((len(z), 1))])
    w = np.zeros(a.shape[1])
    penalty = np.full(len(w), lam)
    penalty[-1] = 0.0
    for _ in range(30):
        p = 1.0 / (1.0 + np.exp(-np.clip(a @ w, -30, 30)))
        hessian = (a * (p * (1 - p))[:, None]).T @ a + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, a.T @ (p - y) + penalty * w)
        w -= step
        if np.abs(step).max() < 1e-7:
            break
    return w


def _text_model(e: np.ndarray, y: np.ndarray, lam: float | None):
    """A function from embeddings to logits, fitted on (e, y); `lam=None`: nearest centroid."""
    mu, sd = e.mean(0), e.std(0) + 1e-6
    z = (e - mu) / sd
    if lam is None:
        direction = z[y == 1].mean(0) - z[y == 0].mean(0)
        middle = (z[y == 1].mean(0) + z[y == 0].mean(0)) / 2
        w = _logistic(((z - middle) @ direction)[:, None], y, 1e-3)
        return lambda x: (((x - mu) / sd - middle) @ direction) * w[0] + w[1]
    w = _logistic(z, y, lam)
    return lambda x: ((x - mu) / sd) @ w[:-1] + w[-1]


def _prf(got: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    tp = int((got & (y == 1)).sum())
    p, r = tp / max(1, int(got.sum())), tp / max(1, int(y.sum()))
    return p, r, 2 * p * r / max(1e-9, p + r)


def _nested_logits(e, y, folds, inner, lam, fit_mask=None):
    """Per outer fold k: (training items' cross-fitted logits, fold k's logits).

    The text model is fitted only on training items where `fit_mask` is true (default: all).
    """
    usable = np.ones(len(y), dtype=bool) if fit_mask is None else fit_mask
    out = []
    for k in range(5):
        train, held = np.where(folds != k)[0], np.where(folds == k)[0]
        crossfit = np.zeros(len(train))
        for j in range(5):
            fit_on = train[(inner[train] != j) & usable[train]]
            give = inner[train] == j
            crossfit[give] = _text_model(e[fit_on], y[fit_on], lam)(e[train[give]])
        fit_on = train[usable[train]]
        out.append((crossfit, _text_model(e[fit_on], y[fit_on], lam)(e[held])))
    return out


def _cv(x, y, folds, sigma, logits=None, scale=1.0, gate=None):
    got = np.zeros(len(y), dtype=bool)
    for k in range(5):
        train, held = folds != k, folds == k
        xt, xh = x[train], x[held]
        extra: tuple[float, ...] = ()
        if logits is not None:
            on = np.ones(len(y)) if gate is None else gate.astype(float)
            xt = np.hstack([xt, (np.tanh(logits[k][0] / scale) * on[train])[:, None]])
            xh = np.hstack([xh, (np.tanh(logits[k][1] / scale) * on[held])[:, None]])
            extra = (_CHECK_PRIOR,)
        got[held] = xh @ fit(xt, y[train], sigma, extra) >= 0
    return _prf(got, y)


def main() -> int:
    """Print the nested CV table (no file is written); returns 0."""
    items = development_items()
    extracted: list = []
    x, y = features(items, extracted)
    folds = cv_folds(items)
    inner = np.array([zlib.crc32(i.name.encode()) // FOLDS % FOLDS for i in items])
    embedder = shared_embedder()
    texts = {
        "title": [ex.title or "" for ex in extracted],
        "text": [ex.text[:60_000] for ex in extracted],
        "first 200 words": [_first_words(ex.text, 200) for ex in extracted],
        "first 500 words": [_first_words(ex.text, 500) for ex in extracted],
        "title + first 500": [f"{ex.title}\n{_first_words(ex.text, 500)}" for ex in extracted],
    }
    print(f"{len(items)} development items, {int(y.sum())} learning; nested 5-fold CV")
    base = {s: _cv(x, y, folds, s) for s in PRIOR_WIDTHS}
    best_base = max(base.values(), key=lambda r: r[2])
    for s, (p, r, f1) in base.items():
        print(f"tagger alone, prior width {s}: P {p:.3f} R {r:.3f} F1 {f1:.3f}")
    kept = []
    embedded = {name: embedder.embed(variant) for name, variant in texts.items()}
    for name, e in embedded.items():
        for lam in (*_PENALTIES, None):
            logits = _nested_logits(e, y, folds, inner, lam)
            for scale in _SCALES:
                for s in PRIOR_WIDTHS:
                    p, r, f1 = _cv(x, y, folds, s, logits, scale)
                    how = "centroid" if lam is None else f"lam {lam:g}"
                    print(
                        f"{name:18} {how:9} scale {scale:g} width {s}: "
                        f"P {p:.3f} R {r:.3f} F1 {f1:.3f}",
                        flush=True,
                    )
                    if f1 >= best_base[2] + _KEEP_IF_F1_GAIN and p >= _KEEP_IF_PRECISION:
                        kept.append((name, how, scale, s, p, r, f1))
    gate = x[:, [FEATURE_NAMES.index(f"kind:{k}") for k in _GATED_KINDS]].max(1) > 0
    print(f"gated: {int(gate.sum())} items of kinds {_GATED_KINDS}, {int(y[gate].sum())} learning")
    for name in _GATED_INPUTS:
        for fit_mask, on in ((None, "all"), (gate, "gated")):
            for lam in _GATED_PENALTIES:
                logits = _nested_logits(embedded[name], y, folds, inner, lam, fit_mask)
                for scale in _SCALES:
                    p, r, f1 = _cv(x, y, folds, 1.0, logits, scale, gate)
                    print(
                        f"gated {name:15} fit on {on:5} lam {lam:g} scale {scale:g}: "
                        f"P {p:.3f} R {r:.3f} F1 {f1:.3f}",
                        flush=True,
                    )
                    if f1 >= best_base[2] + _KEEP_IF_F1_GAIN and p >= _KEEP_IF_PRECISION:
                        kept.append((f"gated {name}", on, lam, scale, p, r, f1))
    print(f"variants passing the rule (F1 >= +{_KEEP_IF_F1_GAIN}, P >= {_KEEP_IF_PRECISION}):")
    print("\n".join(map(str, kept)) or "  none")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
