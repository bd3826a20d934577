"""Structural signals read from a page's HTML before main-text extraction throws them away.

`read_signals(tree)` collects the schema.org / OpenGraph types a page declares (JSON-LD,
microdata, `og:type`), how much code, how many ordered steps and headings it has, whether it
holds a password field, a media player or prices, its declared language, and the question and
answers of a `QAPage` (so Q&A threads keep their accepted and top answers). It also measures the
page's shape: how many words the whole page shows, how many of them are link text, and how many
form fields ask for input — a portal, a directory or a result list is mostly links, a sign-up
page mostly fields, whatever its topic.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from lxml import html as lxml_html

__all__ = ["PageSignals", "read_signals"]

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class PageSignals:
    """What the HTML structure says about a page (all counts are of visible-ish elements)."""

    page_types: tuple[str, ...] = ()
    code_blocks: int = 0
    ordered_steps: int = 0
    headings: int = 0
    password_fields: int = 0
    media_elements: int = 0
    price_markers: int = 0
    html_lang: str | None = None
    description: str | None = None
    canonical_url: str | None = None
    qa_text: str | None = None
    video_description: str | None = None
    keywords: tuple[str, ...] = field(default=())
    genre: str | None = None
    page_words: int = 0
    link_words: int = 0
    links: int = 0
    form_fields: int = 0

    @property
    def link_share(self) -> float:
        """The share of the page's visible words that are link text (0 for an empty page)."""
        return self.link_words / self.page_words if self.page_words else 0.0


def _types_from_jsonld(node: object, out: list[str], depth: int = 0) -> None:
    if depth > 6:
        return
    if isinstance(node, list):
        for item in node:
            _types_from_jsonld(item, out, depth + 1)
    elif isinstance(node, dict):
        kind = node.get("@type")
        for k in kind if isinstance(kind, list) else [kind]:
            if isinstance(k, str) and k:
                out.append(k.rsplit("/", 1)[-1])
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
            if key in node:
                _types_from_jsonld(node[key], out, depth + 1)


def _text(el: lxml_html.HtmlElement) -> str:
    return _SPACE.sub(" ", el.text_content()).strip()


def _qa_text(tree: lxml_html.HtmlElement) -> str | None:
    """Question + answers of a schema.org QAPage in microdata (accepted first, then by votes)."""
    questions = tree.xpath('//*[@itemtype and contains(@itemtype, "schema.org/Question")]')
    if not questions:
        return None
    question = questions[0]
    parts: list[str] = []
    name = question.xpath('.//*[@itemprop="name"]')
    if name:
        parts.append(_text(name[0]))
    body = question.xpath('.//*[@itemprop="text"]')
    if body:
        parts.append(_text(body[0]))
    answers = []
    for answer in tree.xpath('//*[@itemtype and contains(@itemtype, "schema.org/Answer")]'):
        text = answer.xpath('.//*[@itemprop="text"]')
        if not text:
            continue
        accepted = "acceptedAnswer" in (answer.get("itemprop") or "")
        votes = answer.xpath('.//*[@itemprop="upvoteCount"]')
        try:
            count = int((votes[0].get("content") or _text(votes[0])) if votes else 0)
        except ValueError:
            count = 0
        answers.append((not accepted, -count, _text(text[0])))
    parts.extend(a[2] for a in sorted(answers)[:3])
    joined = "\n\n".join(p for p in parts if p)
    return joined or None


_YT_DESCRIPTION = re.compile(r'"shortDescription":"((?:[^"\\]|\\.)*)"')


def _video_description(raw_html: str) -> str | None:
    """The full description in a YouTube watch page's player JSON (meta tags truncate it)."""
    if "ytInitialPlayerResponse" not in raw_html and '"videoDetails"' not in raw_html:
        return None
    match = _YT_DESCRIPTION.search(raw_html)
    if not match:
        return None
    try:
        return json.loads('"' + match.group(1) + '"').strip() or None
    except json.JSONDecodeError:
        return None


_WORDS = re.compile(r"\w+")
_VISIBLE_TEXT = "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"
_FIELDS = (
    "//input[not(@type) or not(contains(' hidden submit button image reset ',"
    " concat(' ', translate(@type, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'),"
    " ' ')))]|//select|//textarea"
)


def _shape(tree: lxml_html.HtmlElement) -> dict:
    """Words on the page, words in links, links and form fields (see the module docstring)."""
    page_words = sum(len(_WORDS.findall(t)) for t in tree.xpath(_VISIBLE_TEXT))
    anchors = tree.xpath("//body//a[@href]")
    link_words = sum(len(_WORDS.findall(a.text_content())) for a in anchors)
    return {
        "page_words": page_words,
        "link_words": min(link_words, page_words),
        "links": len(anchors),
        "form_fields": len(tree.xpath(_FIELDS)),
    }


def read_signals(tree: lxml_html.HtmlElement, raw_html: str = "") -> PageSignals:
    """Read `PageSignals` from a parsed page. Never raises on odd markup; unknowns stay empty."""
    types: list[str] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            _types_from_jsonld(json.loads(script.text or ""), types)
        except (json.JSONDecodeError, TypeError, RecursionError):
            continue
    for itemtype in tree.xpath("//@itemtype")[:200]:
        types.extend(t.rstrip("/").rsplit("/", 1)[-1] for t in str(itemtype).split() if t)
    og_type = tree.xpath('//meta[@property="og:type"]/@content')
    if og_type and og_type[0].strip():
        types.append("og:" + og_type[0].strip().lower())
    seen: dict[str, None] = dict.fromkeys(t for t in types if t and len(t) < 60)

    code = tree.xpath("//pre")
    inline_code = [c for c in tree.xpath("//code[not(ancestor::pre)]") if len(_text(c)) > 40]
    steps = tree.xpath("//ol/li")
    headings = tree.xpath("//h2|//h3")
    passwords = tree.xpath('//input[@type="password"]')
    media = tree.xpath("//video|//audio")
    prices = tree.xpath('//*[@itemprop="price"]|//meta[@property="product:price:amount"]')
    lang = tree.xpath("/html/@lang|//html/@lang")
    description = tree.xpath(
        '//meta[@name="description"]/@content|//meta[@property="og:description"]/@content'
    )
    canonical = tree.xpath('//link[@rel="canonical"]/@href')
    keywords = tree.xpath('//meta[@name="keywords"]/@content')
    genre = tree.xpath('//meta[@itemprop="genre"]/@content')
    return PageSignals(
        page_types=tuple(seen),
        code_blocks=len(code) + len(inline_code),
        ordered_steps=len(steps),
        headings=len(headings),
        password_fields=len(passwords),
        media_elements=len(media),
        price_markers=len(prices),
        html_lang=(lang[0].strip().lower() or None) if lang else None,
        description=description[0].strip() or None if description else None,
        canonical_url=canonical[0].strip() or None if canonical else None,
        qa_text=_qa_text(tree),
        video_description=_video_description(raw_html) if raw_html else None,
        keywords=tuple(k.strip() for k in keywords[0].split(",") if k.strip())[:30]
        if keywords
        else (),
        genre=genre[0].strip() or None if genre else None,
        **_shape(tree),
    )
