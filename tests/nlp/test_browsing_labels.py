"""The labelled browsing set is whole and keeps the labelling rule: every row's values come from
the rule's lists, every page the team wrote has its HTML, its manifest row and one label, and a
blind split not yet read can never reach the fitting pool.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from bench.browsing_set import (
    FORMS,
    LABELS,
    LEARNING_CATEGORIES,
    OTHER_CATEGORIES,
    OWN_PAGES,
    SOURCE_KINDS,
    load_items,
    page_for,
)
from bench.fit_learning import in_pool


def test_every_label_row_takes_its_values_from_the_rules_lists():
    wrong = []
    for item in load_items(with_corpus=False):
        categories = LEARNING_CATEGORIES if item.is_learning else OTHER_CATEGORIES
        if item.category not in categories:
            wrong.append(f"{item.name}: category {item.category!r}")
        if item.source_kind not in SOURCE_KINDS:
            wrong.append(f"{item.name}: source_kind {item.source_kind!r}")
        if (item.form in FORMS) != item.is_learning or (item.form and item.form not in FORMS):
            wrong.append(f"{item.name}: form {item.form!r} (learning: {item.is_learning})")
        if not item.reason:
            wrong.append(f"{item.name}: no reason")
    assert not wrong, wrong


def test_the_rules_file_lists_the_same_values_the_code_checks():
    rule = (LABELS / "browsing-RULES.md").read_text(encoding="utf-8")
    quoted = set(re.findall(r"`([a-z&-]+)`", rule))
    expected = LEARNING_CATEGORIES | OTHER_CATEGORIES | SOURCE_KINDS | FORMS
    assert expected <= quoted, sorted(expected - quoted)


def test_every_page_the_team_wrote_has_its_html_its_manifest_row_and_one_label():
    names = [i.name for i in load_items(with_corpus=False)]
    twice = [name for name, n in Counter(names).items() if n > 1]
    assert not twice, twice
    pages = {f"own/{p.stem}" for p in OWN_PAGES.glob("*.html")}
    assert set(names) == pages, (sorted(set(names) - pages), sorted(pages - set(names)))
    unlisted = [name for name in names if not (page_for(name).url and page_for(name).title)]
    assert not unlisted, unlisted


def test_a_blind_batch_not_yet_wired_never_reaches_the_fitting_pool():
    items = load_items(with_corpus=False)
    read = next(i for i in items if i.name.startswith("own/fresh3-"))
    assert in_pool(read)
    written_later = replace(read, name="own/fresh8-" + read.name.removeprefix("own/fresh3-"))
    assert written_later.split == "fresh"  # its prefix reads like a spent split's
    assert not in_pool(written_later)
    assert not any(in_pool(i) for i in items if i.name.startswith("own/fresh7-"))
