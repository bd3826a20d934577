"""Inflow's NLP: from a captured page to clean text, ranked concepts and learning tags.

`nlp` knows nothing of HTTP or SQL. Build one `Analyzer` per process (it loads the spaCy
model) and call `analyze` / `analyze_many`. `concept_key` and `site_of` are the normalisations
callers use to merge concepts and to key per-site corrections. Importing `nlp` loads no model.
"""

from .analyzer import DEFAULT_MODEL, Analyzer
from .keys import concept_key
from .types import (
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

__all__ = [
    "DEFAULT_MODEL",
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
