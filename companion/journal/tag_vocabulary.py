"""The learning tags with the words a person reads for them: the weekly page's facets and the
popup's tags.

The values come from `nlp.types` (the tagger's contract: the one list of forms, modalities,
sources and 4 E's); this module only adds their human labels and the order each surface shows
them in. The week's JSON and today's carry a `vocabulary(...)` so neither the weekly page nor
the extension restates any of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import get_args

from nlp.types import Form, FourE, Modality, SourceKind

__all__ = ["FACETS", "POPUP_TAGS", "TAGS", "UNKNOWN", "facet_label", "vocabulary"]

#: Every tag the tagger sets, with the values it can take (from `nlp.types`).
TAGS: dict[str, tuple[str, ...]] = {
    "modality": get_args(Modality),
    "four_e": get_args(FourE),
    "form": get_args(Form),
    "source_kind": get_args(SourceKind),
}
#: The facets the weekly page counts and corrects, in the order it shows them.
FACETS: dict[str, tuple[str, ...]] = {
    facet: TAGS[facet] for facet in ("modality", "four_e", "form")
}
#: The tags the popup shows on each of today's items, in its order.
POPUP_TAGS = ("form", "source_kind", "modality")
#: The key a capture's facet is counted under when the tagger left it empty.
UNKNOWN = "unknown"

_TITLES = {"modality": "Modality", "four_e": "The 4 E's", "form": "Form", "source_kind": "Source"}
# Only the values whose label is not the value capitalised.
_LABELS = {
    "just-in-time": "Just in time",
    "deep-dive": "Deep dive",
    "q&a": "Q&A",
    UNKNOWN: "Not tagged",
}


def facet_label(value: str) -> str:
    """The words shown for a tag value: `deep-dive` -> "Deep dive", `reading` -> "Reading"."""
    return _LABELS.get(value, value.capitalize())


def vocabulary(facets: Iterable[str] = tuple(FACETS)) -> dict:
    """`facets` (the weekly page's by default) with their titles and their values' labels, in
    that order.

    Returns `{"facets": {"modality": {"title": "Modality", "values": [{"key", "label"}, ...]},
    ...}, "unknown": {"key": "unknown", "label": "Not tagged"}}`; the page reads it to label
    its charts and its tag selects (which offer the values, never `unknown`), the popup its
    tags. Raises `KeyError` for a facet that is not a tag.
    """
    return {
        "facets": {
            facet: {
                "title": _TITLES[facet],
                "values": [{"key": v, "label": facet_label(v)} for v in TAGS[facet]],
            }
            for facet in facets
        },
        "unknown": {"key": UNKNOWN, "label": facet_label(UNKNOWN)},
    }
