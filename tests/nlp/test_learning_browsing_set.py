"""The rule over the whole labelled browsing set: how long the user stayed never decides what a
page is. Every labelled page (the team's own pages always, the corpus's when it is here) gets
the same verdict after a 20-second look and after a 15-minute stay.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from bench.browsing_set import corpus_available, load_items, page_for
from nlp.extract import extract_page
from nlp.learning import tag_learning

pytestmark = pytest.mark.corpus


def _items():
    items = load_items(with_corpus=corpus_available())
    assert len(items) >= 60, "the team's own labelled pages are in bench/pages"
    return items


def test_every_labelled_page_gets_the_same_verdict_after_20_seconds_and_after_15_minutes():
    changed = []
    for item in _items():
        page = page_for(item)
        ex = extract_page(page)
        short = tag_learning(replace(page, engaged_seconds=20.0, scroll_depth=0.2), ex)
        long = tag_learning(replace(page, engaged_seconds=900.0, scroll_depth=0.95), ex)
        if short.is_learning != long.is_learning:
            changed.append(item.name)
        assert long.learning_score >= short.learning_score - 1e-9, item.name
    assert changed == []


def test_a_long_stay_on_leisure_is_no_deep_dive_of_learning():
    leisure = [i for i in _items() if not i.is_learning and i.name.startswith("own/")]
    assert leisure
    long_stays = [
        tag_learning(
            replace(page_for(i), engaged_seconds=3600.0, scroll_depth=1.0),
            extract_page(page_for(i)),
        )
        for i in leisure
    ]
    assert all(t.form is None for t in long_stays if not t.is_learning)
    assert not any(t.form == "deep-dive" and not t.is_learning for t in long_stays)
