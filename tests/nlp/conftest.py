"""Fixtures for the nlp tests: the committed pages, the corpus beside the repo, one Analyzer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from nlp import Analyzer, PageInput

DATA = Path(__file__).resolve().parents[1] / "data" / "nlp"
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    """The full pipeline, loaded once per test session."""
    return Analyzer()


@pytest.fixture
def page_from_fixture() -> Callable[..., PageInput]:
    """A factory: `page_from_fixture("docs_page.html", url=..., **engagement)`."""

    def make(name: str, url: str = "https://example.org/page", **fields) -> PageInput:
        return PageInput(url=url, html=(DATA / name).read_text(encoding="utf-8"), **fields)

    return make


@pytest.fixture
def corpus() -> Path:
    """The shared corpus (../shared/corpus); tests that need it skip when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    return CORPUS
