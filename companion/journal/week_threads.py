"""Learning threads of a week and their key takeaways: pure functions over rows the week read.

A thread is a set of the week's learning captures that share a concept. Plain connected
components over the capture–concept graph chain everything together through generic concepts
("data", "example"), so each capture keeps only its strongest *anchor*: among its top concepts
that at least one other capture of the week shares, the one with the best
`week frequency / (1 + rank)`. Captures with the same anchor form a thread (a component of the
graph where every capture keeps one edge), labelled by the anchor and its most frequent
companion concept. A capture left alone under its anchor then joins, when it can, the best
of its shared concepts that anchors two or more other captures: three videos on neural
networks form one thread even when the second one's best shared concept ("cost function") is
shared only with the third, which is anchored on "neuron". This is linear in the number of
capture–concept links.

Takeaways are extractive: sentences of the captured text that name the thread's concepts,
each with the capture it came from. Nothing is generated.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

__all__ = ["Thread", "group_threads", "pick_takeaways", "sentences_of"]

_MIN_SENTENCE, _MAX_SENTENCE = 40, 320
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)\]]*\s+(?=[\"“(\[]?[A-Z0-9])|\n\s*\n|\n(?=[A-Z#*-])")


@dataclass
class Thread:
    """Related learning captures of one week (ids), anchored on one concept."""

    anchor: int
    capture_ids: list[str]
    concepts: list[tuple[int, int]] = field(default_factory=list)  # (concept id, captures)
    seconds: float = 0.0


def group_threads(links: list[tuple[str, int, int]], *, top_rank: int) -> list[Thread]:
    """Group captures into threads from `(capture_id, concept_id, rank)` links.

    Only links with `rank < top_rank` count. Returns threads of two or more captures, each
    with its concepts shared inside the thread, most shared first; biggest threads first.
    """
    by_capture: dict[str, list[tuple[int, int]]] = defaultdict(list)
    frequency: Counter[int] = Counter()
    for capture_id, concept_id, rank in links:
        if rank < top_rank:
            by_capture[capture_id].append((concept_id, rank))
            frequency[concept_id] += 1
    shared_links: dict[str, list[tuple[int, int]]] = {}
    for capture_id, concepts in by_capture.items():
        shared = [(concept_id, rank) for concept_id, rank in concepts if frequency[concept_id] > 1]
        if shared:
            shared_links[capture_id] = sorted(
                shared, key=lambda link: (-frequency[link[0]] / (1 + link[1]), link[0])
            )
    anchor_of = {capture_id: shared[0][0] for capture_id, shared in shared_links.items()}
    chosen = Counter(anchor_of.values())
    for capture_id, shared in shared_links.items():
        if chosen[anchor_of[capture_id]] > 1:
            continue
        joined = next((c for c, _ in shared if chosen[c] >= 2), None)
        if joined is not None:
            chosen[anchor_of[capture_id]] -= 1
            anchor_of[capture_id] = joined
            chosen[joined] += 1
    members: dict[int, list[str]] = defaultdict(list)
    for capture_id, anchor in anchor_of.items():
        members[anchor].append(capture_id)
    threads = []
    for anchor, capture_ids in members.items():
        if len(capture_ids) < 2:
            continue
        inside = Counter(
            concept_id for capture_id in capture_ids for concept_id, _ in by_capture[capture_id]
        )
        concepts = [(anchor, inside.pop(anchor))]
        concepts += sorted(
            ((concept_id, n) for concept_id, n in inside.items() if n > 1),
            key=lambda item: (-item[1], item[0]),
        )
        threads.append(Thread(anchor, sorted(capture_ids), concepts))
    threads.sort(key=lambda t: (-len(t.capture_ids), t.anchor))
    return threads


def sentences_of(text: str) -> list[str]:
    """Split a document's text into sentences a reader can take in (40–320 characters)."""
    found = []
    for piece in _SENTENCE_END.split(text):
        sentence = " ".join(piece.split())
        if _MIN_SENTENCE <= len(sentence) <= _MAX_SENTENCE and sentence[-1] in '.!?"”)':
            found.append(sentence)
    return found


def _term_pattern(terms: list[str]) -> re.Pattern | None:
    words = sorted({t.strip().lower() for t in terms if len(t.strip()) > 2}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)


def pick_takeaways(
    documents: list[tuple[str, str]], terms: list[str], *, limit: int = 3, per_document: int = 2
) -> list[tuple[str, str]]:
    """Choose up to `limit` sentences naming the most of `terms`, from `(capture_id, text)` pairs.

    Earlier terms weigh more (they are the thread's main concepts); among equals the earlier
    sentence of a document wins. Returns `(capture_id, sentence)` pairs, best first.
    """
    pattern = _term_pattern(terms)
    if pattern is None:
        return []
    weight = {t.strip().lower(): 1.0 / (1 + i) for i, t in enumerate(terms)}
    scored = []
    for doc_index, (capture_id, text) in enumerate(documents):
        for position, sentence in enumerate(sentences_of(text)):
            hits = {m.group(1).lower() for m in pattern.finditer(sentence)}
            if hits:
                score = sum(weight.get(h, 0.5) for h in hits)
                scored.append((-score, doc_index, position, capture_id, sentence))
    scored.sort()
    chosen, seen, per_doc = [], set(), Counter()
    for _, doc_index, _, capture_id, sentence in scored:
        key = sentence.lower()
        if key in seen or per_doc[doc_index] >= per_document:
            continue
        seen.add(key)
        per_doc[doc_index] += 1
        chosen.append((capture_id, sentence))
        if len(chosen) == limit:
            break
    return chosen
