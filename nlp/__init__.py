"""Inflow's NLP: from a captured page to clean text, ranked concepts and learning tags.

`nlp` knows nothing of HTTP or SQL. Build one `Analyzer` per process (it loads the spaCy
model) and call `analyze` / `analyze_many`. `concept_key` and `site_of` are the normalisations
callers use to merge concepts and to key per-site corrections. Importing `nlp` loads no model,
and not even trafilatura, lxml or spaCy: `Analyzer` is imported on first use, so the companion's
API process (which needs only `concept_key`, `site_of` and the types) stays small.
"""

from typing import TYPE_CHECKING

from .keys import concept_key
from .types import (
    DEFAULT_MODEL,
    Alias,
    AliasKind,
    Analysis,
    Concept,
    Form,
    FourE,
    Kind,
    LearningTags,
    MediaInfo,
    Metadata,
    Modality,
    PageInput,
    SiteCorrections,
    SourceKind,
    TagCorrection,
)
from .urls import site_of

if TYPE_CHECKING:
    from .analyzer import Analyzer

__all__ = [
    "DEFAULT_MODEL",
    "Alias",
    "AliasKind",
    "Analysis",
    "Analyzer",
    "Concept",
    "FourE",
    "Form",
    "Kind",
    "LearningTags",
    "MediaInfo",
    "Metadata",
    "Modality",
    "PageInput",
    "SiteCorrections",
    "SourceKind",
    "TagCorrection",
    "concept_key",
    "site_of",
]


def __getattr__(name: str):
    """Import `Analyzer` (and with it trafilatura, lxml, wordfreq) only when it is asked for."""
    if name == "Analyzer":
        from .analyzer import Analyzer

        return Analyzer
    raise AttributeError(f"module 'nlp' has no attribute {name!r}")
