"""The learning fit's options for the real-page study: items weighted, folds drawn again."""

from __future__ import annotations

import numpy as np

from bench.browsing_set import Item
from bench.cv_by_source import figures, source_of
from bench.fit_learning import FEATURE_NAMES, cv_folds, fit


def _data(n: int = 40) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    x = rng.random((n, len(FEATURE_NAMES))) * (rng.random((n, len(FEATURE_NAMES))) < 0.2)
    x[:, FEATURE_NAMES.index("prior")] = 1.0
    return x, (rng.random(n) < 0.4).astype(float)


def test_an_item_weighted_twice_counts_as_if_it_were_listed_twice():
    x, y = _data()
    weights = np.ones(len(y))
    weights[:5] = 2.0
    weighted = fit(x, y, 1.0, item_weights=weights)
    listed_twice = fit(np.vstack([x, x[:5]]), np.concatenate([y, y[:5]]), 1.0)
    assert np.allclose(weighted, listed_twice, atol=1e-6)
    assert not np.allclose(weighted, fit(x, y, 1.0), atol=1e-3)


def test_a_salt_draws_other_folds_and_no_salt_keeps_the_fits_own():
    items = [Item(f"own/page-{n}", False, "news", "news", "", "") for n in range(200)]
    assert np.array_equal(cv_folds(items, ""), cv_folds(items))
    assert not np.array_equal(cv_folds(items, "a"), cv_folds(items))


def test_figures_per_source_count_false_alarms_against_the_sources_non_learning_items():
    got = np.array([True, True, False, False, True])
    y = np.array([1.0, 0.0, 1.0, 0.0, 0.0])
    f = figures(got, y, np.array([True, True, True, True, False]))
    assert (f["n"], f["learning"], f["FP"], f["FN"]) == (4, 2, 1, 1)
    assert (f["P"], f["R"], f["FP rate"]) == (0.5, 0.5, 0.5)
    legacy = Item("articles/x", True, "legacy article", "article", "", "")
    browsing = Item("browsing/b", True, "docs", "documentation", "", "")
    assert [source_of(legacy), source_of(browsing)] == ["legacy", "browsing"]
