"""Main text and metadata of a captured page (trafilatura), with the caller's title winning.

`extract_page(page)` turns a `PageInput` into an `Extracted`: the clean main text, the title,
`Metadata` and the `PageSignals` the learning tagger uses. Q&A pages keep the question and the
accepted/top answers, video pages become title + description + transcript, plain-text captures
pass through. It never raises for a page without usable content: the text is then empty.

Reader comments are left out, but a thread (an issue tracker's issue, a forum topic) keeps
its posts: where trafilatura's text without comments is a stub (under `THREAD_STUB_WORDS`
words) and the page has comment containers, they are read as the page's content, and that
text wins when it holds at least `THREAD_GAIN` times the words.
"""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import dataclass

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from trafilatura.settings import set_date_params
from trafilatura.utils import load_html
from trafilatura.xpaths import REMOVE_COMMENTS_AND_LISTS_XPATH

from .language import guess_language
from .signals import PageSignals, read_signals
from .types import Metadata, PageInput
from .urls import document_url, site_of

__all__ = ["Extracted", "extract_page", "THREAD_GAIN", "THREAD_STUB_WORDS", "WORDS_PER_MINUTE"]

WORDS_PER_MINUTE = 230
_EXTENSIVE_DATE_SEARCH_MAX = 300_000  # characters of HTML
_WORD = re.compile(r"\w+")
_TITLE_TAIL = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,40}$")
# A text without comments shorter than this may be a thread whose posts sit in comment
# containers (an issue's question and answers, a forum topic's posts): see `_thread_text`.
THREAD_STUB_WORDS = 100
THREAD_GAIN = 2.0  # the thread's text replaces the stub only when it has this many times the words
_COMMENT_NAME = re.compile("comment", re.IGNORECASE)


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
        return _thread_text(tree, url, ""), {}
    meta = {
        "title": doc.title,
        "author": doc.author,
        "date": doc.date,
        "description": doc.description,
        "url": doc.url,
    }
    return _thread_text(tree, url, (doc.text or "").strip()), meta


def _thread_text(tree: lxml_html.HtmlElement, url: str | None, text: str) -> str:
    """`text`, or the page's text with its comment containers read as content if it is a thread.

    Without comments trafilatura drops every block whose class or id names a comment
    (`REMOVE_COMMENTS_AND_LISTS_XPATH`), which on an issue or a forum topic is the question and
    its answers: what is left is a dated stub. So when `text` has fewer than
    `THREAD_STUB_WORDS` words, those blocks are renamed (their class and id no longer say
    "comment") in a copy of the page and it is extracted again; that text is kept when it has at
    least `THREAD_GAIN` times the words. An article with reader comments is read again only
    when its own text is a stub (2 of the corpus's 538 real pages are, and neither changes).
    """
    words = len(_WORD.findall(text))
    if words >= THREAD_STUB_WORDS or not _comment_blocks(tree):
        return text
    thread = deepcopy(tree)
    for node in _comment_blocks(thread):
        for attribute in ("class", "id"):
            if value := node.get(attribute):
                node.set(attribute, _COMMENT_NAME.sub("post", value))
    doc = trafilatura.bare_extraction(
        thread, url=url or None, with_metadata=False, include_comments=False, include_tables=True
    )
    rescued = (doc.text or "").strip() if doc is not None else ""
    return rescued if len(_WORD.findall(rescued)) >= THREAD_GAIN * max(1, words) else text


def _comment_blocks(tree: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """The blocks trafilatura prunes as comments when comments are off."""
    return [node for xpath in REMOVE_COMMENTS_AND_LISTS_XPATH for node in xpath(tree)]


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
