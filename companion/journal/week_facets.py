"""The tags the weekly page shows and corrects, with the words a person reads for them.

The values come from `nlp.types` (the tagger's contract: the one list of forms, modalities and
4 E's); this module only adds their human labels and the order the page shows the facets in. The
week's JSON carries `vocabulary()` so the page restates none of it.
"""

from __future__ import annotations

from typing import get_args

from nlp.types import Form, FourE, Modality

__all__ = ["FACETS", "UNKNOWN", "facet_label", "vocabulary"]

#: The values each facet can take, in the order the page shows them (from `nlp.types`).
FACETS: dict[str, tuple[str, ...]] = {
    "modality": get_args(Modality),
    "four_e": get_args(FourE),
    "form": get_args(Form),
}
#: The key a capture's facet is counted under when the tagger left it empty.
UNKNOWN = "unknown"

_TITLES = {"modality": "Modality", "four_e": "The 4 E's", "form": "Form"}
# Only the values whose label is not the value capitalised.
_LABELS = {"just-in-time": "Just in time", "deep-dive": "Deep dive", UNKNOWN: "Not tagged"}


def facet_label(value: str) -> str:
    """The words shown for a tag value: `deep-dive` -> "Deep dive", `reading` -> "Reading"."""
    return _LABELS.get(value, value.capitalize())


def vocabulary() -> dict:
    """Every facet with its title and its values' labels, in the page's order.

    Returns `{"facets": {"modality": {"title": "Modality", "values": [{"key", "label"}, ...]},
    ...}, "unknown": {"key": "unknown", "label": "Not tagged"}}`; the page reads it to label
    its charts and its tag selects (which offer the values, never `unknown`).
    """
    return {
        "facets": {
            facet: {
                "title": _TITLES[facet],
                "values": [{"key": v, "label": facet_label(v)} for v in values],
            }
            for facet, values in FACETS.items()
        },
        "unknown": {"key": UNKNOWN, "label": facet_label(UNKNOWN)},
    }
