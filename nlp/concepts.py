"""The `inflow_concepts` spaCy component: ranked concepts of a text, set on `doc._.concepts`.

Candidates come from `nlp.candidates` (noun phrases and named entities, merged by
`concept_key`, page furniture dropped; `verb_forms` on). Each gets a row of features
(`nlp.concept_features`) and a fitted linear score (`nlp/data/concept_weights.json`, fitted
on the tune half of the shared keyphrase sets by `bench/concepts_eval.py --fit`; `weights_file`
may instead name boosted trees, `concept_trees.json`, see `nlp.concept_trees`). One feature
is a PositionRank-like prior, the ranker's whole score before the fitted weights:

- a PageRank over co-occurring content words whose teleport vector favours words that come
  early and are specific (rare in general English per `wordfreq`); a candidate scores the sum
  of its words over the square root of its length, with a multiword and an entity bonus;
- repetition counts where it says something: the score is multiplied by count **
  (`frequency_power` × rarity), rarity being 1 for single words rarer than `frequency_zipf` on
  the Zipf scale (`frequency_zipf_proper` for names and acronyms, `frequency_zipf_phrase` for a
  phrase's rarest word), falling to 0 over `frequency_ramp` above it. A page that says "CPU"
  forty times is about the CPU; one that says "network" forty times is not about "network"
  alone;
- a single common word that is not a name loses `common_penalty` × (1 − rarity), so
  "researchers" or "evidence" do not lead a page.

Another is the candidate's similarity to the whole text (`nlp.embedding`): the shipped weights
leave it out (worth < +0.005 F1@10 held-out), so the embedding is not loaded. Then the top is
picked greedily (maximal marginal relevance): a candidate loses `redundancy` × the share of its
words that a better pick already has, so the top ten are not ten forms of one idea ("CPU
profiling", "CPU usage", "CPU"). Scores are scaled so the best is 1.0. See bench/README.md for
what each step is worth and `bench/concepts_preview.py` for real pages before and after.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc
from wordfreq import zipf_frequency

from .candidates import Candidate, find_candidates, word_of
from .concept_features import FEATURES, ConceptWeights, feature_rows
from .concept_trees import ConceptTrees, load_scorer
from .embedding import shared_embedder
from .types import Concept

__all__ = ["ConceptRanker", "make_concept_ranker"]

if not Doc.has_extension("concepts"):
    Doc.set_extension("concepts", default=None)

_GRAPH_POS = frozenset({"ADJ", "NOUN", "PROPN"})


class ConceptRanker:
    """Finds, merges and ranks concept candidates; sets `doc._.concepts` (a list of `Concept`)."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        max_concepts: int,
        max_words: int,
        window: int,
        damping: float,
        position_power: float,
        specificity_power: float,
        multiword_bonus: float,
        entity_bonus: float,
        length_norm: float,
        frequency_power: float,
        frequency_zipf: float,
        frequency_zipf_proper: float,
        frequency_zipf_phrase: float,
        frequency_ramp: float,
        redundancy: float,
        common_penalty: float,
        verb_forms: bool,
        weights_file: str,
    ) -> None:
        self.name = name
        self.max_concepts = max_concepts
        self.max_words = max_words
        self.window = window
        self.damping = damping
        self.position_power = position_power
        self.specificity_power = specificity_power
        self.multiword_bonus = multiword_bonus
        self.entity_bonus = entity_bonus
        self.length_norm = length_norm
        self.frequency_power = frequency_power
        self.frequency_zipf = frequency_zipf
        self.frequency_zipf_proper = frequency_zipf_proper
        self.frequency_zipf_phrase = frequency_zipf_phrase
        self.frequency_ramp = frequency_ramp
        self.redundancy = redundancy
        self.common_penalty = common_penalty
        self.verb_forms = verb_forms
        self._zipf_cache: dict[str, float] = {}
        self.weights = load_scorer(weights_file)
        # the embedding costs ~40 MB and time per page: loaded only when the weights use it
        self.embedder = shared_embedder() if self.weights.uses_similarity else None

    def __call__(self, doc: Doc) -> Doc:
        doc._.concepts = self.rank(doc)
        return doc

    def _zipf(self, word: str) -> float:
        zipf = self._zipf_cache.get(word)
        if zipf is None:
            zipf = self._zipf_cache[word] = zipf_frequency(word, "en")
        return zipf

    def _rarity(self, cand: Candidate) -> float:
        """How much a candidate's repetitions count, in [0, 1] (see the module docstring)."""
        words = cand.key.split()
        if len(words) > 1:
            cut = self.frequency_zipf_phrase  # of its rarest word: "real time" is common
        elif cand.mostly_proper:
            cut = self.frequency_zipf_proper
        else:
            cut = self.frequency_zipf
        zipf = min(self._zipf(w) for w in words)
        return min(1.0, max(0.0, (cut - zipf) / self.frequency_ramp))

    def _word_scores(self, doc: Doc, content: set[str]) -> dict[str, float]:
        positions: list[tuple[int, str]] = []
        # a lemma is as common as its commonest form ("data" → "datum" is not a rare word)
        zipfs: dict[str, float] = {}
        for t in doc:
            word = word_of(t)
            if word in content and t.pos_ in _GRAPH_POS:
                positions.append((t.i, word))
                zipfs[word] = max(zipfs.get(word, 0.0), self._zipf(word), self._zipf(t.lower_))
        teleport: dict[str, float] = defaultdict(float)
        for rank, (_, word) in enumerate(positions):
            teleport[word] += 1.0 / (rank + 1.0) ** self.position_power
        for word in teleport:
            teleport[word] *= max(0.05, (8.0 - zipfs[word]) / 8.0) ** self.specificity_power
        total = sum(teleport.values()) or 1.0
        teleport = {w: v / total for w, v in teleport.items()}
        edges: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for a in range(len(positions)):
            i, wa = positions[a]
            for b in range(a + 1, min(a + 1 + self.window, len(positions))):
                j, wb = positions[b]
                if j - i > self.window * 3:
                    break
                if wa != wb:
                    edges[wa][wb] += 1.0
                    edges[wb][wa] += 1.0
        out_weight = {w: sum(nbrs.values()) for w, nbrs in edges.items()}
        score = dict(teleport)
        for _ in range(30):
            new = {w: (1 - self.damping) * teleport[w] for w in teleport}
            for w, nbrs in edges.items():
                share = self.damping * score[w] / out_weight[w]
                for v, weight in nbrs.items():
                    new[v] += share * weight
            dangling = self.damping * sum(score[w] for w in teleport if w not in edges)
            for w in teleport:
                new[w] += dangling * teleport[w]
            score = new
        return score

    def _pick(self, scored: list[tuple[float, int, Candidate]]) -> list[tuple[float, Candidate]]:
        """Greedily pick the top `max_concepts`, each discounted by its overlap with better ones.

        Overlap is the share of the shorter key's words that the other key has too, so "CPU"
        after "CPU profiling" overlaps fully and "CPU usage" by half.
        """
        pool = scored[: self.max_concepts * 3]
        words = [frozenset(cand.key.split()) for _, _, cand in pool]
        overlap = [0.0] * len(pool)
        left = list(range(len(pool)))
        picked: list[tuple[float, Candidate]] = []
        while left and len(picked) < self.max_concepts:
            best = max(left, key=lambda i: (pool[i][0] * (1.0 - self.redundancy * overlap[i]), -i))
            left.remove(best)
            picked.append((pool[best][0] * (1.0 - self.redundancy * overlap[best]), pool[best][2]))
            for i in left:
                shared = len(words[i] & words[best])
                if shared:
                    share = shared / min(len(words[i]), len(words[best]))
                    overlap[i] = max(overlap[i], share)
        return picked

    def _prior(self, doc: Doc, found: dict[str, Candidate]) -> list[float]:
        """The PositionRank-like score of each candidate (see the module docstring)."""
        content = {w for c in found.values() for w in c.words}
        words = self._word_scores(doc, content)
        prior = []
        for cand in found.values():
            parts = [words.get(w, 0.0) for w in cand.words]
            score = sum(parts) / (len(parts) ** self.length_norm)
            if cand.count > 1:
                score *= cand.count ** (self.frequency_power * self._rarity(cand))
            if len(cand.words) > 1:
                score *= 1.0 + self.multiword_bonus
            elif self.common_penalty and not cand.mostly_proper:
                score *= 1.0 - self.common_penalty * (1.0 - self._rarity(cand))
            if cand.entity:
                score *= 1.0 + self.entity_bonus
            prior.append(score)
        return prior

    def candidate_table(
        self, doc: Doc, needed: Collection[str] | None = None
    ) -> tuple[list[Candidate], np.ndarray]:
        """The candidates of `doc` and their feature rows (`nlp.concept_features.FEATURES`).

        With `needed`, the costly features no name in it uses are left 0 (`feature_rows`).
        """
        found = find_candidates(doc, self.max_words, verb_forms=self.verb_forms)
        cands = list(found.values())
        if not cands:
            return [], np.empty((0, len(FEATURES)))
        if self.embedder is None:
            similarity = [0.0] * len(cands)
        else:
            vectors = self.embedder.embed([c.label for c in cands] + [doc.text])
            similarity = (vectors[:-1] @ vectors[-1]).tolist()
        rows = feature_rows(
            cands,
            prior=self._prior(doc, found),
            similarity=similarity,
            rarity=[self._rarity(c) for c in cands],
            zipfs=[[self._zipf(w) for w in c.key.split()] for c in cands],
            doc=doc,
            needed=needed,
        )
        return cands, rows

    def rank(self, doc: Doc) -> list[Concept]:
        """Return the top `max_concepts` concepts of `doc`, best first (scores in (0, 1])."""
        return self.pick(*self.candidate_table(doc, self.weights.used_features), self.weights)

    def pick(
        self, cands: list[Candidate], rows: np.ndarray, weights: ConceptTrees | ConceptWeights
    ) -> list[Concept]:
        """The top `max_concepts` of `cands` scored by `weights` over their feature `rows`."""
        if not cands:
            return []
        fitted = weights.score(rows)
        relative = np.exp(fitted - fitted.max()).tolist()  # the best is 1.0
        scored = sorted(
            ((score, cand.first, cand) for score, cand in zip(relative, cands, strict=True)),
            key=lambda s: (-s[0], s[1]),
        )
        top = self._pick(scored)
        best = top[0][0] or 1.0
        return [
            Concept(
                text=cand.label,
                key=cand.key,
                score=round(score / best, 4),
                aliases=tuple(sorted(cand.aliases)),
            )
            for score, cand in top
        ]


@Language.factory(
    "inflow_concepts",
    default_config={
        "max_concepts": 20,
        "max_words": 5,
        "window": 3,
        "damping": 0.85,
        "position_power": 1.0,
        "specificity_power": 2.0,
        "multiword_bonus": 0.2,
        "entity_bonus": 0.1,
        "length_norm": 0.5,
        "frequency_power": 1.0,
        "frequency_zipf": 4.0,
        "frequency_zipf_proper": 5.5,
        "frequency_zipf_phrase": 5.5,
        "frequency_ramp": 0.5,
        "redundancy": 0.8,
        "common_penalty": 0.5,
        "verb_forms": True,
        "weights_file": "concept_weights.json",
    },
)
def make_concept_ranker(
    nlp: Language,
    name: str,
    max_concepts: int,
    max_words: int,
    window: int,
    damping: float,
    position_power: float,
    specificity_power: float,
    multiword_bonus: float,
    entity_bonus: float,
    length_norm: float,
    frequency_power: float,
    frequency_zipf: float,
    frequency_zipf_proper: float,
    frequency_zipf_phrase: float,
    frequency_ramp: float,
    redundancy: float,
    common_penalty: float,
    verb_forms: bool,
    weights_file: str,
) -> ConceptRanker:
    """Build the `inflow_concepts` component (see the module docstring for the ranking)."""
    return ConceptRanker(
        nlp,
        name,
        max_concepts=max_concepts,
        max_words=max_words,
        window=window,
        damping=damping,
        position_power=position_power,
        specificity_power=specificity_power,
        multiword_bonus=multiword_bonus,
        entity_bonus=entity_bonus,
        length_norm=length_norm,
        frequency_power=frequency_power,
        frequency_zipf=frequency_zipf,
        frequency_zipf_proper=frequency_zipf_proper,
        frequency_zipf_phrase=frequency_zipf_phrase,
        frequency_ramp=frequency_ramp,
        redundancy=redundancy,
        common_penalty=common_penalty,
        verb_forms=verb_forms,
        weights_file=weights_file,
    )
