"""The labelled browsing set: a realistic day of pages, labelled by reading (issue 11).

Items are named `browsing/NAME` (a real page of `../shared/corpus/browsing/`) or `own/NAME` (a
page the team wrote, in `bench/pages/`, for everyday kinds the corpus lacks: webmail, search
results, dashboards, entertainment video, docs and Q&A...). Labels live in
`bench/labels/browsing-*.tsv` (`name, is_learning, category, source_kind, form, reason`), written
by people who read each page before any tagger ran on it (the rule: `bench/README.md`).

Splits (`split_of`): CRC-32 of the item name modulo 20 below 9 is the blind *test* split (about
45%); everything else is *dev*. Nothing is tuned or fitted on *test*: it is scored only with
`--test`, and its mistakes are never printed. *test* was read three times in the first tagger
round and is spent; the pages written after it (`own/fresh*`, labelled before any tagger ran on
them) are the *fresh* blind split, scored only with `--fresh`, mistakes never printed; the pages
written while the next tagger was built (`own/fresh3-*`) are *fresh3*, scored with `--fresh3`, and
those written while the one after was built (`own/fresh4-*`, `own/fresh5-*`) are *fresh4* and
*fresh5*, scored with `--fresh4` and `--fresh5` (`--together`: both as one set); the pages
written after those were read (`own/fresh6-*`) are *fresh6*, scored with `--fresh6`; and those
written after fresh6 was read (`own/fresh7-*`, stop 14) are *fresh7*, scored with `--fresh7`.

Visits (`visit`): the corpus holds pages, not visits, so each item is scored as the extension
would send it after a given visit: `short` (20 s, scrolled 30%), `long` (15 minutes, scrolled
90%), `whole` (the time a reader needs for the main text at 230 words a minute, 20 s to an hour,
scrolled 90%; a video or a podcast episode played to the end: a page with an `<audio>` player is
sent as "audio", its length read from its microdata or JSON-LD) and `search` (`whole`, reached
from a search).
"""

from __future__ import annotations

import csv
import functools
import re
import zlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import get_args

from nlp import Form, MediaInfo, PageInput, SourceKind

__all__ = [
    "BLIND_BATCHES",
    "FORMS",
    "LEARNING_CATEGORIES",
    "OTHER_CATEGORIES",
    "SOURCE_KINDS",
    "LABELS",
    "OWN_PAGES",
    "VISITS",
    "Item",
    "corpus_available",
    "load_items",
    "page_for",
    "split_of",
    "visit",
]

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
LABELS = ROOT / "bench" / "labels"
OWN_PAGES = ROOT / "bench" / "pages"
VISITS = ("short", "long", "whole", "search")
_TEST_MODULUS, _TEST_BELOW = 20, 9
# Blind splits written after *test* was spent, by name prefix (most specific first): fresh1 and
# fresh2 (stop 11) are *fresh*, fresh3 (stop 12, written while the tagger changed) is *fresh3*,
# fresh4 and fresh5 (stop 13, likewise) are *fresh4* and *fresh5*; fresh6 (stop 13, written while
# the tagger changed again after fresh4 + fresh5 were read) is *fresh6*; fresh7 (stop 14, written
# after fresh6 was read) is *fresh7*.
BLIND_BATCHES = (
    ("own/fresh7-", "fresh7"),
    ("own/fresh6-", "fresh6"),
    ("own/fresh5-", "fresh5"),
    ("own/fresh4-", "fresh4"),
    ("own/fresh3-", "fresh3"),
    ("own/fresh", "fresh"),
)
# The label columns' values, as the labelling rule (bench/labels/browsing-RULES.md) lists them.
LEARNING_CATEGORIES = frozenset(
    [
        "docs",
        "reference",
        "tutorial",
        "howto",
        "qa",
        "course",
        "paper",
        "explainer",
        "tech-blog",
        "edu-video",
        "talk",
    ]
)
OTHER_CATEGORIES = frozenset(
    [
        "news",
        "sports",
        "opinion",
        "social",
        "forum-index",
        "forum-leisure",
        "shop",
        "product",
        "music",
        "lyrics",
        "fiction",
        "lifestyle",
        "portal",
        "landing",
        "login",
        "search-results",
        "webmail",
        "newsletter",
        "dashboard",
        "status-page",
        "entertainment-video",
        "event",
        "directory",
        "blog-leisure",
        "other",
    ]
)
SOURCE_KINDS = frozenset(get_args(SourceKind))
# A page's form; "just-in-time" is a visit's (reached from a search), never a label's.
FORMS = frozenset(get_args(Form)) - {"just-in-time"}
_WORDS_PER_MINUTE = 230
_VIDEO_MARKUP = re.compile(
    r'og:type"\s+content="video|"@type"\s*:\s*"VideoObject"|<video[\s>]', re.IGNORECASE
)
_AUDIO_MARKUP = re.compile(r"<audio[\s>]", re.IGNORECASE)
# The media's length as the page declares it: microdata, or JSON-LD (a PodcastEpisode's
# AudioObject / MediaObject "duration"), ISO 8601 "PT46M12S".
_DURATION = re.compile(
    r'(?:itemprop="duration"\s+content=|"duration"\s*:\s*)"PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?"'
)


@dataclass(frozen=True)
class Item:
    """One labelled page of the browsing set."""

    name: str
    is_learning: bool
    category: str
    source_kind: str
    form: str
    reason: str

    @property
    def split(self) -> str:
        """The split: "test" (blind), "dev", or "legacy" (an item of the earlier label files)."""
        if self.category.startswith("legacy "):
            return "legacy"
        for prefix, split in BLIND_BATCHES:
            if self.name.startswith(prefix):
                return split
        return split_of(self.name)


def split_of(name: str) -> str:
    """The split an item belongs to: "test" (blind, never tuned on) or "dev"."""
    return "test" if zlib.crc32(name.encode()) % _TEST_MODULUS < _TEST_BELOW else "dev"


def corpus_available(corpus: Path = CORPUS) -> bool:
    """Whether the shared corpus's browsing pages are here (a clone elsewhere may lack them)."""
    return (corpus / "browsing" / "manifest.tsv").is_file()


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return [row for row in csv.DictReader(lines, delimiter="\t") if row["name"].strip()]


def load_items(*, with_corpus: bool = True) -> list[Item]:
    """Every labelled item (the `own/` ones only when `with_corpus` is false), file order."""
    items = []
    for path in sorted(LABELS.glob("browsing-*.tsv")):
        for row in _rows(path):
            if not with_corpus and not row["name"].startswith("own/"):
                continue
            items.append(
                Item(
                    name=row["name"],
                    is_learning=row["is_learning"].strip() == "1",
                    category=row["category"].strip(),
                    source_kind=row["source_kind"].strip(),
                    form=(row.get("form") or "").strip(),
                    reason=row["reason"].strip(),
                )
            )
    return items


@functools.cache
def _manifests(corpus: Path) -> dict[str, dict]:
    out: dict[str, dict] = {}
    sources = [(corpus / "browsing" / "manifest.tsv", "browsing/")]
    sources += [(path, "") for path in sorted(OWN_PAGES.glob("manifest-*.tsv"))]
    for path, prefix in sources:
        if path.is_file():
            for row in _rows(path):
                out[prefix + row["name"]] = row
    return out


def page_for(item: Item | str, corpus: Path = CORPUS) -> PageInput:
    """The capture the extension would send for `item` on arrival (no engagement yet)."""
    name = item if isinstance(item, str) else item.name
    row = _manifests(corpus).get(name, {})
    folder, _, stem = name.partition("/")
    path = (
        corpus / "browsing" / f"{stem}.html" if folder == "browsing" else OWN_PAGES / f"{stem}.html"
    )
    html = path.read_text(encoding="utf-8", errors="replace")
    # What the extension reports once the page's player played: a video, else an audio element
    kind = (
        "video" if _VIDEO_MARKUP.search(html) else "audio" if _AUDIO_MARKUP.search(html) else "page"
    )
    media = None
    if kind != "page" and (match := _DURATION.search(html)):
        hours, minutes, seconds = (int(x or 0) for x in match.groups())
        media = MediaInfo(duration=float(hours * 3600 + minutes * 60 + seconds))
    return PageInput(
        url=row.get("url") or "",
        title=row.get("title") or None,
        html=html,
        kind=kind,
        media=media,
    )


def visit(page: PageInput, how: str, words: int, search_query: str | None = None) -> PageInput:
    """`page` as captured after a visit of the kind `how` (see the module docstring).

    `words` is the main text's word count (it sets the time a `whole` reading takes).
    """
    if how == "short":
        return replace(page, engaged_seconds=20.0, scroll_depth=0.3)
    if how == "long":
        return replace(page, engaged_seconds=900.0, scroll_depth=0.9)
    duration = page.media.duration if page.media and page.media.duration else None
    if duration:
        engaged = duration
        media = replace(page.media, watched_seconds=duration)
    else:
        engaged = min(3600.0, max(20.0, words / _WORDS_PER_MINUTE * 60))
        media = page.media
    whole = replace(page, engaged_seconds=engaged, scroll_depth=0.9, media=media)
    if how == "whole":
        return whole
    if how == "search":
        return replace(whole, search_query=search_query or "how does this work")
    raise ValueError(f"unknown visit {how!r}; expected one of {VISITS}")
