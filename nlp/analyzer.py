"""`Analyzer`: the one owner of the spaCy pipeline, from captured pages to `Analysis` objects.

Build it once per process (it loads the model); then `analyze` one page or `analyze_many` in
a batch (texts go through `nlp.pipe(..., as_tuples=True)`). Stages: main text + metadata
(`extract`), concepts (the `inflow_concepts` component, English text only, at most
`max_spacy_chars` characters of it) joined with the other names the page gives them
(`aliases`: acronyms it defines, names with a version), learning tags (`learning`). The
acronyms a page defines are found once, in its title and whole text, and serve both the
ranker (`doc._.acronyms`) and `page_aliases`. The text returned is never capped. spaCy gets
the texts in groups of at most `max_batch_chars` characters: its memory grows with a batch's
total length (16 capped pages at once peaked at ~850 MB, groups of 50,000 characters at
~460 MB, at the same speed).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence

from spacy.tokens import Doc

from .aliases import acronym_definitions, page_aliases
from .extract import Extracted, extract_page
from .learning import tag_learning
from .signals import PageSignals
from .types import (
    DEFAULT_MODEL,
    Alias,
    Analysis,
    Concept,
    Metadata,
    PageInput,
    SiteCorrections,
)
from .urls import site_of

__all__ = ["Analyzer", "DEFAULT_MODEL"]

_NOT_NEEDED = ("parser", "senter")
_log = logging.getLogger(__name__)


def _by_size(jobs: list[tuple[str, int]], max_chars: int) -> Iterator[list[tuple[str, int]]]:
    """`jobs` in order, in groups whose texts add up to at most `max_chars` (or one text)."""
    group: list[tuple[str, int]] = []
    size = 0
    for job in jobs:
        if group and size + len(job[0]) > max_chars:
            yield group
            group, size = [], 0
        group.append(job)
        size += len(job[0])
    if group:
        yield group


def _whole(ex: Extracted) -> str:
    """The page's title and whole text, where its aliases are looked for (a regex pass)."""
    return f"{ex.title}\n\n{ex.text}"


def _cap(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit]


class Analyzer:
    """Turns `PageInput`s into `Analysis` objects with one spaCy pipeline built at init.

    `max_spacy_chars` bounds the text spaCy sees per page (about 3,500 words by default, ~1 s
    of the small English model on a slow core); concepts of longer pages come from their start.
    With `find_aliases` False, concepts are the ranker's alone, without `aliases` (to measure
    what they change).

    Raises `OSError` at construction when the spaCy model `model_name` is not installed.
    """

    def __init__(
        self,
        model_name: str = DEFAULT_MODEL,
        *,
        max_spacy_chars: int = 20_000,
        max_batch_chars: int = 50_000,
        find_aliases: bool = True,
    ):
        import spacy

        from . import concepts  # noqa: F401  (registers the inflow_concepts factory)

        self.model_name = model_name
        self.max_spacy_chars = max_spacy_chars
        self.max_batch_chars = max_batch_chars
        self.find_aliases = find_aliases
        self.nlp = spacy.load(model_name, exclude=list(_NOT_NEEDED))
        self.nlp.add_pipe("inflow_concepts", last=True)
        self.nlp.max_length = max(self.nlp.max_length, max_spacy_chars + 10_000)

    def analyze(self, page: PageInput, corrections: SiteCorrections | None = None) -> Analysis:
        """Analyse one page. See `analyze_many`."""
        return self.analyze_many([page], corrections)[0]

    def analyze_many(
        self, pages: Sequence[PageInput], corrections: SiteCorrections | None = None
    ) -> list[Analysis]:
        """Analyse pages in one batch; returns one `Analysis` per page, in the same order.

        A page whose HTML cannot be read yields an `Analysis` with empty text and concepts
        and `is_learning` False with the reason; only unexpected errors (e.g. in spaCy)
        propagate, and then callers may retry page by page.
        """
        extracted: list[Extracted] = [self._extract(page) for page in pages]
        concepts: list[tuple[Concept, ...]] = [() for _ in pages]
        aliases: list[tuple[Alias, ...]] = [() for _ in pages]
        for doc, i in self._parsed(extracted):
            concepts[i] = tuple(doc._.concepts or ())
            if self.find_aliases:
                concepts[i], aliases[i] = page_aliases(
                    concepts[i], _whole(extracted[i]), doc._.acronyms
                )
        return [
            Analysis(
                title=ex.title,
                text=ex.text,
                metadata=ex.metadata,
                concepts=concepts[i],
                learning=tag_learning(pages[i], ex, corrections),
                aliases=aliases[i],
            )
            for i, ex in enumerate(extracted)
        ]

    def parse_many(self, pages: Sequence[PageInput]) -> list[tuple[Doc, str]]:
        """Each English page's parse as the concept ranker gets it, and its title + whole text.

        The docs are those `analyze_many` makes (capped text, `doc._.acronyms` set) without
        the ranker run on them, so a bench can rank one parse several ways
        (`ConceptRanker.candidate_table`, then `page_aliases` over the whole text with
        `doc._.acronyms`). Pages without English text are left out.
        """
        extracted = [self._extract(page) for page in pages]
        with self.nlp.select_pipes(disable=["inflow_concepts"]):
            return [(doc, _whole(extracted[i])) for doc, i in self._parsed(extracted)]

    def concepts_of(self, text: str, title: str = "") -> tuple[Concept, ...]:
        """Rank the concepts of a plain `text` (with an optional `title`), English assumed."""
        doc = self.nlp(_cap(f"{title}\n\n{text}".strip(), self.max_spacy_chars))
        return tuple(doc._.concepts or ())

    def _parsed(self, extracted: list[Extracted]) -> Iterator[tuple[Doc, int]]:
        """The parse of each page of `extracted` with English text, with its index there."""
        jobs = [
            (self._spacy_text(ex), i)
            for i, ex in enumerate(extracted)
            if ex.text and (ex.metadata.language in (None, "en"))
        ]
        for group in _by_size(jobs, self.max_batch_chars):
            docs = [(self._doc(text, extracted[i]), i) for text, i in group]
            yield from self.nlp.pipe(docs, as_tuples=True, batch_size=len(group))

    def _doc(self, text: str, ex: Extracted) -> Doc:
        """`text` tokenised, with the acronyms the page defines on `doc._.acronyms`."""
        doc = self.nlp.make_doc(text)
        doc._.acronyms = acronym_definitions(_whole(ex))
        return doc

    def _spacy_text(self, ex: Extracted) -> str:
        text = _cap(ex.text, self.max_spacy_chars)
        if ex.title and not text.startswith(ex.title[:40]):
            text = f"{ex.title}\n\n{text}"
        return text

    @staticmethod
    def _extract(page: PageInput) -> Extracted:
        try:
            return extract_page(page)
        except Exception as error:  # one unreadable page must not sink the batch
            _log.debug("extraction failed: %s", type(error).__name__)
            url = page.url or ""
            return Extracted(
                title=(page.title or "").strip(),
                text="",
                metadata=Metadata(site=site_of(url), canonical_url=url),
                signals=PageSignals(),
            )
