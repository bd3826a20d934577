"""Main text and metadata of a captured page (trafilatura), with the caller's title winning.

`extract_page(page)` turns a `PageInput` into an `Extracted`: the clean main text, the title,
`Metadata` and the `PageSignals` the learning tagger uses. Q&A pages keep the question and the
accepted/top answers, video pages become title + description + transcript, plain-text captures
pass through. It never raises for a page without usable content: the text is then empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from trafilatura.settings import set_date_params
from trafilatura.utils import load_html

from .language import guess_language
from .signals import PageSignals, read_signals
from .types import Metadata, PageInput
from .urls import document_url, site_of

__all__ = ["Extracted", "extract_page", "WORDS_PER_MINUTE"]

WORDS_PER_MINUTE = 230
_EXTENSIVE_DATE_SEARCH_MAX = 300_000  # characters of HTML
_WORD = re.compile(r"\w+")
_TITLE_TAIL = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,40}$")


@dataclass(frozen=True)
class Extracted:
    """The text side of an analysis: what the concept and learning stages work on."""

    title: str
    text: str
    metadata: Metadata
    signals: PageSignals


def _parse(raw: str) -> lxml_html.HtmlElement | None:
    # trafilatura's own loader: its parser settings extract measurably better than lxml's
    try:
        return load_html(raw)
    except (etree.LxmlError, ValueError):
        return None


def _main_text(tree: lxml_html.HtmlElement, url: str | None, size: int) -> tuple[str, dict]:
    # htmldate's extensive search regex-scans the whole page: seconds on a 1 MB page
    doc = trafilatura.bare_extraction(
        tree,
        url=url or None,
        with_metadata=True,
        date_extraction_params=set_date_params(extensive=size < _EXTENSIVE_DATE_SEARCH_MAX),
        include_comments=False,
        include_tables=True,
    )
    if doc is None:
        return "", {}
    meta = {
        "title": doc.title,
        "author": doc.author,
        "date": doc.date,
        "description": doc.description,
        "url": doc.url,
    }
    return (doc.text or "").strip(), meta


def _clean_title(title: str | None) -> str:
    return re.sub(r"\s+", " ", title or "").strip()


def _join(*parts: str | None) -> str:
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


def extract_page(page: PageInput) -> Extracted:
    """Extract title, main text, metadata and signals from one captured page.

    The page's own title (`PageInput.title`, i.e. `document.title`) wins over guessed ones.
    Returns an `Extracted` with empty text when nothing usable is found; never raises for bad
    HTML.
    """
    signals = PageSignals()
    text, meta = "", {}
    html_title = None
    if page.html and page.html.strip():
        tree = _parse(page.html)
        if tree is not None:
            signals = read_signals(tree, page.html)
            titles = tree.xpath("//title")
            html_title = titles[0].text_content() if titles else None
            try:
                text, meta = _main_text(tree, page.url, len(page.html))
            except (ValueError, TypeError, etree.LxmlError):
                text, meta = "", {}
    if signals.qa_text and len(signals.qa_text) > len(text) * 0.5:
        text = signals.qa_text
    media = page.media
    transcript = media.transcript if media else None
    if page.kind in ("video", "audio") or signals.video_description:
        description = signals.video_description or signals.description or meta.get("description")
        extra = page.text if page.text and page.text != transcript else None
        if len(text) < 400 or signals.video_description:
            text = _join(description, extra, transcript)
        else:
            text = _join(text, extra, transcript)
    elif not text:
        text = _join(page.text, transcript)
    elif transcript:
        text = _join(text, transcript)

    title = _clean_title(page.title) or _clean_title(meta.get("title")) or _clean_title(html_title)
    if not title and not page.html and page.text:
        title = _clean_title(page.text.strip().splitlines()[0])[:200]
    words = len(_WORD.findall(text))
    url = page.url or ""
    metadata = Metadata(
        site=site_of(url),
        canonical_url=document_url(url, signals.canonical_url or meta.get("url")),
        author=meta.get("author") or (media.channel if media else None),
        published=meta.get("date"),
        language=guess_language(text, signals.html_lang),
        description=signals.description or meta.get("description"),
        word_count=words,
        reading_minutes=round(words / WORDS_PER_MINUTE, 1),
        page_types=signals.page_types,
    )
    return Extracted(title=title, text=text, metadata=metadata, signals=signals)
