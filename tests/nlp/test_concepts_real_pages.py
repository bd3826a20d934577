"""Concepts of every real page of the shared corpus: no page furniture among the top eight."""

from __future__ import annotations

import csv

import pytest

from nlp import PageInput

pytestmark = [pytest.mark.model, pytest.mark.corpus]

TOP = 8
# the furniture the issue names, as `concept_key` writes it; a key made only of these words
# ("edit", "replies" -> "reply", "share comment", "sign") is furniture, a phrase that also
# names something ("password manager") is not
_FURNITURE_WORDS = (
    "edit reply share comment sign login logout signin signup subscribe cookie menu upvote "
    "permalink password"
)
FURNITURE_WORDS = frozenset(_FURNITURE_WORDS.split())
FURNITURE_PHRASES = frozenset(("sign in", "log in", "read more", "sign up", "log out"))
# (folder, part, parts): browsing/ (353 pages) in parts, so one test stays well within the
# per-test timeout on a busy machine
SLICES = [("browsing", part, 6) for part in range(6)] + [("pages", 0, 2), ("pages", 1, 2)]
SLICES += [("articles", 0, 2), ("articles", 1, 2)]


def _is_furniture(key: str) -> bool:
    return key in FURNITURE_PHRASES or all(w in FURNITURE_WORDS for w in key.split())


def _pages(corpus, folder: str) -> list[tuple[str, PageInput]]:
    with (corpus / folder / "manifest.tsv").open(encoding="utf-8") as fh:
        urls = {row["name"]: row.get("url") or "" for row in csv.DictReader(fh, delimiter="\t")}
    return [
        (
            f"{folder}/{path.stem}",
            PageInput(
                url=urls.get(path.stem, ""),
                html=path.read_text(encoding="utf-8", errors="replace"),
            ),
        )
        for path in sorted((corpus / folder).glob("*.html"))
    ]


def test_the_furniture_check_knows_furniture_from_concepts():
    assert all(_is_furniture(k) for k in ("edit", "reply", "share comment", "log in"))
    assert not any(_is_furniture(k) for k in ("password manager", "cookie dough", "python"))


@pytest.mark.parametrize(("folder", "part", "parts"), SLICES)
def test_no_real_page_has_furniture_among_its_top_eight_concepts(
    analyzer, corpus, folder, part, parts
):
    pages = _pages(corpus, folder)[part::parts]
    assert len(pages) >= 40
    offenders = []
    for start in range(0, len(pages), 32):
        batch = pages[start : start + 32]
        results = analyzer.analyze_many([page for _, page in batch])
        for (name, _), analysis in zip(batch, results, strict=True):
            furniture = [c.text for c in analysis.concepts[:TOP] if _is_furniture(c.key)]
            if furniture:
                offenders.append((name, furniture))
    assert not offenders, f"{len(offenders)} pages show furniture: {offenders[:20]}"
