"""Concepts against gold keyphrases, next to YAKE, TextRank and PositionRank in the same run.

    .venv/bin/python -m bench.concepts_eval [--corpus PATH] [--limit N] [--fit]

Data: `keyphrases/` of the shared corpus, Inspec validation (`inspec-val-*`, 500 abstracts)
and 500N-KPCrowd (`kpcrowd-*`, 450 news stories), reported apart. Splits: even document ids
are the *tune* half (the only half weights are fitted or chosen on), odd ids are *held-out*.

Inputs, the same for every system: Inspec files are hard-wrapped at ~75 columns and their
title runs into the abstract on the first line, so an Inspec text is the whole file with its
line breaks joined (a page capture has paragraphs, not wrapped lines; a line break inside a
phrase would end it). A KPCrowd file is a title line and a body: title, blank line, body.

Scoring per the corpus README: lower case, edge punctuation stripped, Porter stems,
predictions de-duplicated after stemming, exact match against all gold keys; precision divides
by the predictions returned (at most k); P/R/F1 at 5 and 10 averaged over documents.

Prints two tables and writes bench/results/concepts.json. First the candidates: the share
of the gold keys present in a text that are candidates at all, and the oracle F1@10 (a perfect
ranking of them), for the candidate options before this round and as shipped
(`CANDIDATE_SETS`). Then F1 for every system in the same run: "today's ranker" (the
PositionRank-like prior alone over the candidates as they were before the fitted weights),
ours as shipped (`nlp/data/concept_weights.json`, linear), the trees (`nlp/data/concept_trees.json`,
not the default: see bench/README.md), the fitted steps (`_STEPS`: each refitted here on the
tune half, a linear model or trees, with some features left out or picked with another
redundancy, each also scored on the tune half by 2-fold cross-validation, the rows marked
`[2-fold CV]`: what this round's choices were made on), YAKE, TextRank and PositionRank.
`--fit` writes both fits (`LINEAR_DROP | NEW_FEATURES`, `TREES_DROP`). Needs the `bench`
extra (yake, pytextrank, nltk, lightgbm).
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from wordfreq import zipf_frequency

from nlp import Analyzer
from nlp.concept_features import DATA, FEATURES, ConceptWeights
from nlp.concept_trees import load_scorer
from nlp.embedding import shared_embedder

from .concepts_trees import BLEND_LAMBDA, TREE_PARAMS, TREE_ROUNDS, Blend, fit_trees, trees_json
from .quality import DEFAULT_CORPUS, ROOT, _f1, _mean, _table

__all__ = [
    "KeyDoc",
    "bench_concepts",
    "fit_weights",
    "load_keyphrase_docs",
    "prior_only_weights",
    "ranker_options",
]

GROUPS = ("inspec-val", "kpcrowd")
K = (5, 10)
# an Inspec abstract has ~24 candidates, a KPCrowd story ~78: Inspec's count three times
GROUP_WEIGHT = {"inspec-val": 3.0, "kpcrowd": 1.0}
L2 = 1.0
NEWTON_STEPS = 25
EMBEDDING_FEATURES = frozenset(f for f in FEATURES if f.startswith("similarity"))
# a single word that is not a name and at least this common (Zipf scale of its key: "state"
# 5.8, "president" 5.5, "moment" 5.2, "brain" 4.9; "researcher" 3.9, "python" 3.8) is no
# positive example when fitting
READER_ZIPF = 4.5
NAMES_FEATURES = frozenset(f for f in FEATURES if f.endswith("*names"))
# left out of the shipped fit: with them, long pages led with rare single words ("errand",
# "masterwork", "parenthese") over their phrases ("chaos theory", "list comprehension")
_SINGLE_WORD_TERMS = ("one_word_x_log_length", "one_word_x_log_count", "zipf_mean")
SHIPPED_DROP = frozenset(_SINGLE_WORD_TERMS + tuple(f"{f}*names" for f in _SINGLE_WORD_TERMS))
# the features this round added (with their genre terms)
_NEW = FEATURES[FEATURES.index("names_share") : FEATURES.index("first_rank") + 1]
NEW_FEATURES = frozenset(_NEW + tuple(f"{f}*names" for f in _NEW))
# the ranker's candidate options: as before this round and as shipped
CANDIDATE_SETS = {"before": {"verb_forms": False}, "shipped": {"verb_forms": True}}
# what the shipped fit leaves out: the single-word length terms and the embedding (it earned
# < +0.005 F1@10 held-out on Inspec and KPCrowd, not worth its ~40 MB and time per page)
LINEAR_DROP = SHIPPED_DROP | EMBEDDING_FEATURES
# the trees need no genre terms (they split on `names_share` where it matters) and no embedding
TREES_DROP = NAMES_FEATURES | EMBEDDING_FEATURES
WEIGHTS_FILE = DATA / "concept_weights.json"  # the shipped default, what --fit writes
# the trees, what --fit writes: better F1, but common single words on real pages (README)
TREES_FILE = DATA / "concept_trees.json"
RESULTS = ROOT / "bench" / "results" / "concepts.json"
# the guarded blend's penalty on a common single word's trees log-odds (`Blend`): the smallest
# of 0.5, 0.75, 1, 2 whose real-page common-word share was at most the linear ranker's (scratch
# CV inside the tune half, bench/README.md)
GUARD_PENALTY = 0.75
CV = "[2-fold CV]"  # the rows scored by `_cross_validated` (tune half only)


@dataclass(frozen=True)
class KeyDoc:
    """One keyphrase document: its name, the text every system gets, its gold keys."""

    name: str
    text: str
    keys: tuple[str, ...]

    @property
    def group(self) -> str:
        """ "inspec-val" or "kpcrowd"."""
        return next(g for g in GROUPS if self.name.startswith(g))

    @property
    def tune(self) -> bool:
        """True for the tune half (even document id)."""
        return _document_id(self) % 2 == 0


def _document_id(doc: KeyDoc) -> int:
    return int(re.findall(r"\d+", doc.name)[-1])


def load_keyphrase_docs(corpus: Path, limit: int | None = None) -> list[KeyDoc]:
    """The keyphrase documents of `corpus`, inputs prepared as the module docstring says."""
    docs = []
    folder = corpus / "keyphrases"
    for path in sorted(folder.glob("*.txt")):
        name = path.name.removesuffix(".txt")
        raw = path.read_text(encoding="utf-8", errors="replace")
        if name.startswith("inspec"):
            text = " ".join(raw.split())
        else:
            title, _, body = raw.partition("\n")
            text = f"{' '.join(title.split())}\n\n{' '.join(body.split())}"
        keys = (folder / f"{name}.keys").read_text(encoding="utf-8", errors="replace")
        docs.append(KeyDoc(name, text, tuple(k.strip() for k in keys.splitlines() if k.strip())))
    if limit:
        docs = [d for g in GROUPS for d in [x for x in docs if x.group == g][:limit]]
    return docs


def _normaliser():
    from nltk.stem import PorterStemmer

    stem = PorterStemmer().stem
    edge = re.compile(r"^\W+|\W+$")

    def norm(phrase: str) -> str:
        words = (edge.sub("", w) for w in edge.sub("", phrase.lower()).split())
        return " ".join(stem(w) for w in words if w)

    return norm


def _prf_at(predicted: list[str], gold: set[str], k: int, norm) -> tuple[float, float, float]:
    seen: list[str] = []
    for phrase in predicted:
        key = norm(phrase)
        if key and key not in seen:
            seen.append(key)
    top = seen[:k]
    correct = sum(p in gold for p in top)
    p = correct / len(top) if top else 0.0
    r = correct / len(gold) if gold else 0.0
    return p, r, _f1(p, r)


def _baselines(docs: list[KeyDoc], model: str) -> dict[str, list[list[str]]]:
    import pytextrank  # noqa: F401  (registers the textrank/positionrank factories)
    import spacy
    import yake

    full = spacy.load(model)
    textrank = full.add_pipe("textrank")
    positionrank = full.add_pipe("positionrank")
    yake_kw = yake.KeywordExtractor(lan="en", n=3, top=10)
    out: dict[str, list[list[str]]] = {"yake": [], "textrank": [], "positionrank": []}
    for doc in docs:
        out["yake"].append([kw for kw, _ in yake_kw.extract_keywords(doc.text)])
    with full.select_pipes(disable=["textrank", "positionrank"]):
        parsed = list(full.pipe(d.text for d in docs))
    for doc in parsed:
        out["textrank"].append([p.text for p in textrank(doc)._.phrases[:20]])
        out["positionrank"].append([p.text for p in positionrank(doc)._.phrases[:20]])
    return out


def _parse(analyzer: Analyzer, docs: list[KeyDoc]) -> list:
    with analyzer.nlp.select_pipes(disable=["inflow_concepts"]):
        return list(analyzer.nlp.pipe((d.text for d in docs), batch_size=64))


@contextmanager
def ranker_options(analyzer: Analyzer, **options) -> Iterator:
    """Set attributes of the analyzer's concept ranker for a `with` block, then restore them."""
    ranker = analyzer.nlp.get_pipe("inflow_concepts")
    shipped = {name: getattr(ranker, name) for name in options}
    try:
        for name, value in options.items():
            setattr(ranker, name, value)
        yield ranker
    finally:
        for name, value in shipped.items():
            setattr(ranker, name, value)


def _tables(analyzer: Analyzer, parsed: list, options: dict) -> list[tuple[list, np.ndarray]]:
    """Each parsed document's candidates and feature rows (similarity included).

    `options` are the ranker's candidate options for this table (`CANDIDATE_SETS`).
    """
    ranker = analyzer.nlp.get_pipe("inflow_concepts")
    ranker.embedder = ranker.embedder or shared_embedder()
    with ranker_options(analyzer, **options):
        return [ranker.candidate_table(doc) for doc in parsed]


def _candidate_recall(
    tables: list[tuple[list, np.ndarray]],
    docs: list[KeyDoc],
    parsed: list,
    golds: list[set[str]],
    norm,
) -> dict:
    """Per set and split: the share of present gold keys that are candidates, and the oracle.

    A gold key is present when its stems occur in a row in the document's stemmed tokens. The
    oracle is the F1@10 of a perfect ranking of these candidates (the ceiling of any ranker).
    """
    out: dict = {}
    for group in GROUPS:
        for split in ("tune", "held-out"):
            present = found = 0
            oracle = []
            for (cands, _), doc, tokens, gold in zip(tables, docs, parsed, golds, strict=True):
                if doc.group != group or doc.tune != (split == "tune"):
                    continue
                text = f" {norm(' '.join(t.text for t in tokens))} "
                keys = {norm(c.label) for c in cands}
                here = {k for k in gold if k and f" {k} " in text}
                present += len(here)
                found += len(here & keys)
                hits, returned = min(10, len(keys & gold)), min(10, len(keys))
                p, r = (hits / returned if returned else 0.0), hits / max(1, len(gold))
                oracle.append(_f1(p, r))
            out.setdefault(group, {})[split] = {
                "recall": found / max(1, present),
                "oracle_f1@10": _mean(oracle),
            }
    return out


def _labels(cands: list, gold: set[str], norm) -> np.ndarray:
    """1 for the candidates that are gold keys and that a reader would write down.

    KPCrowd's crowd keys hold common single words ("president", "interview", "moment"): they
    count when scoring, but the fit does not learn to put them first (`READER_ZIPF`).
    """
    return np.array(
        [
            float(norm(c.label) in gold and not _generic(c, zipf_frequency(c.key, "en")))
            for c in cands
        ]
    )


def _generic(cand, zipf: float) -> bool:
    return len(cand.words) == 1 and not cand.mostly_proper and zipf >= READER_ZIPF


def fit_weights(
    tables: list[tuple[list, np.ndarray]],
    labels: list[np.ndarray],
    doc_weights: list[float],
    drop: frozenset[str] = frozenset(),
) -> ConceptWeights:
    """Fit a logistic regression (is this candidate a gold key?) with L2, by Newton's method.

    Each candidate of a document counts `doc_weights[i]` (0 leaves the document out);
    features in `drop` get weight 0 (for the ablations). Columns are standardised first.
    """
    keep = [i for i, (cands, _) in enumerate(tables) if cands and doc_weights[i] > 0]
    rows = np.vstack([tables[i][1] for i in keep])
    target = np.concatenate([labels[i] for i in keep])
    weight = np.concatenate([np.full(len(labels[i]), doc_weights[i]) for i in keep])
    mean, scale = rows.mean(axis=0), rows.std(axis=0)
    scale[scale < 1e-6] = 1.0  # a column constant on the tune half (its weight is ~0)
    mask = np.array([name not in drop for name in FEATURES], dtype=float)
    z = np.hstack([(rows - mean) / scale * mask, np.ones((len(rows), 1))])
    penalty = L2 * np.diag(np.r_[np.ones(len(FEATURES)), 0.0])  # not on the intercept
    w = np.zeros(z.shape[1])
    for _ in range(NEWTON_STEPS):
        p = 1.0 / (1.0 + np.exp(-(z @ w)))
        gradient = z.T @ (weight * (p - target)) + penalty @ w
        hessian = (z * (weight * p * (1.0 - p))[:, None]).T @ z + penalty
        w -= np.linalg.solve(hessian, gradient)
    return ConceptWeights(mean=mean, scale=scale, weights=w[:-1] * mask)


def prior_only_weights() -> ConceptWeights:
    """The ranker before fitted weights: the PositionRank-like prior alone."""
    w = np.zeros(len(FEATURES))
    w[FEATURES.index("log_prior")] = 1.0
    return ConceptWeights(mean=np.zeros(len(FEATURES)), scale=np.ones(len(FEATURES)), weights=w)


def _ranked(analyzer: Analyzer, tables, scorer, redundancy: float | None = None) -> list[list[str]]:
    """Each document's top concepts by `scorer`, or by `scorer[i]` when it is a list (a
    document whose scorer is None gets none)."""
    ranker = analyzer.nlp.get_pipe("inflow_concepts")
    scorers = scorer if isinstance(scorer, list) else [scorer] * len(tables)
    with ranker_options(
        analyzer, redundancy=ranker.redundancy if redundancy is None else redundancy
    ):
        return [
            [c.text for c in ranker.pick(cands, rows, s)] if s is not None else []
            for (cands, rows), s in zip(tables, scorers, strict=True)
        ]


def _write_fits(tables, labels, tune_weight) -> None:
    """Write the shipped linear fit (`WEIGHTS_FILE`) and the trees (`TREES_FILE`)."""
    how = (
        "on the tune half (even ids) of the shared corpus keyphrases/, candidates of an Inspec "
        f"abstract weighted {GROUP_WEIGHT['inspec-val']}x, common single words (Zipf >= "
        f"{READER_ZIPF}) not positives"
    )
    _, trees = fit_trees(tables, labels, tune_weight, TREES_DROP)
    note = (
        f"fitted by bench/concepts_eval.py --fit {how}: LightGBM, {TREE_ROUNDS} rounds, "
        f"{TREE_PARAMS}, without the genre terms and the embedding (TREES_DROP)"
    )
    TREES_FILE.write_text(trees_json(trees, note) + "\n", encoding="utf-8")
    linear = fit_weights(tables, labels, tune_weight, LINEAR_DROP | NEW_FEATURES)
    note = (
        f"fitted by bench/concepts_eval.py --fit {how}: logistic regression, L2 {L2}, without "
        "the single-word length terms, the embedding and the new features (LINEAR_DROP | "
        "NEW_FEATURES)"
    )
    WEIGHTS_FILE.write_text(linear.to_json(note) + "\n", encoding="utf-8")
    print(f"wrote {TREES_FILE} and {WEIGHTS_FILE}")


# the fitted rows of the table: (name, scorer kind, features left out, redundancy or None)
_STEPS = (
    ("main's ranker: linear, last round's features", "linear", LINEAR_DROP | NEW_FEATURES, None),
    ("linear, + new features", "linear", LINEAR_DROP, None),
    ("trees, last round's features", "trees", TREES_DROP | NEW_FEATURES, None),
    ("trees, + new features = concept_trees.json", "trees", TREES_DROP, None),
    ("trees, redundancy 0.5", "trees", TREES_DROP, 0.5),
    ("trees, + new features, no single-word terms", "trees", TREES_DROP | SHIPPED_DROP, None),
    (f"blend: linear + {BLEND_LAMBDA:g} x trees", "blend", TREES_DROP, None),
    (f"blend, common words' trees -{GUARD_PENALTY:g}", "guarded blend", TREES_DROP, None),
)


def _fit(kind: str, tables, labels, doc_weights, drop):
    """Fit one scorer of `_STEPS`; a blend's linear part is the shipped fit's features."""
    if kind == "trees":
        return fit_trees(tables, labels, doc_weights, drop)[0]
    if kind in ("blend", "guarded blend"):
        linear = fit_weights(tables, labels, doc_weights, LINEAR_DROP | NEW_FEATURES)
        trees = fit_trees(tables, labels, doc_weights, drop)[0]
        return Blend(linear, trees, common_penalty=GUARD_PENALTY if kind != "blend" else 0.0)
    return fit_weights(tables, labels, doc_weights, drop)


def _cross_validated(docs, kind, tables, labels, tune_weight, drop) -> list:
    """Each tune document scored by a fit on the other fold of the tune half (id // 2 parity).

    What the choices of this round were made on: a fit scored on its own training documents
    flatters trees far more than a linear model.
    """
    folds = [_document_id(d) // 2 % 2 for d in docs]
    scorers = [
        _fit(
            kind,
            tables,
            labels,
            [w if f != fold else 0.0 for w, f in zip(tune_weight, folds, strict=True)],
            drop,
        )
        for fold in (0, 1)
    ]
    return [scorers[f] if d.tune else None for d, f in zip(docs, folds, strict=True)]


def bench_concepts(
    corpus: Path,
    analyzer: Analyzer,
    limit: int | None = None,
    fit: bool = False,
    baselines: bool = True,
) -> dict:
    """F1@5/@10 per set and split: ours, its steps, YAKE, TextRank, PositionRank (one run)."""
    docs = load_keyphrase_docs(corpus, limit)
    norm = _normaliser()
    golds = [{norm(k) for k in d.keys} for d in docs]
    start = time.perf_counter()
    parsed = _parse(analyzer, docs)
    parse_seconds = time.perf_counter() - start
    tables, seconds = {}, {}
    for name, options in CANDIDATE_SETS.items():
        start = time.perf_counter()
        tables[name] = _tables(analyzer, parsed, options)
        seconds[name] = time.perf_counter() - start
    recall = {
        name: _candidate_recall(table, docs, parsed, golds, norm) for name, table in tables.items()
    }
    labels = {
        name: [_labels(c, gold, norm) for (c, _), gold in zip(table, golds, strict=True)]
        for name, table in tables.items()
    }
    tune_weight = [GROUP_WEIGHT[d.group] if d.tune else 0.0 for d in docs]
    if fit:
        _write_fits(tables["shipped"], labels["shipped"], tune_weight)
    predictions = {
        "today's ranker (prior alone, before candidates)": _ranked(
            analyzer, tables["before"], prior_only_weights()
        ),
        "ours (shipped default: linear)": _ranked(
            analyzer, tables["shipped"], load_scorer(WEIGHTS_FILE)
        ),
        "trees (concept_trees.json, not the default)": _ranked(
            analyzer, tables["shipped"], load_scorer(TREES_FILE)
        ),
    }
    table, label = tables["shipped"], labels["shipped"]
    for name, kind, drop, redundancy in _STEPS:
        scorer = _fit(kind, table, label, tune_weight, drop)
        predictions[name] = _ranked(analyzer, table, scorer, redundancy)
        per_doc = _cross_validated(docs, kind, table, label, tune_weight, drop)
        predictions[f"{name} {CV}"] = _ranked(analyzer, table, per_doc, redundancy)
    if baselines:
        predictions |= _baselines(docs, analyzer.model_name)
    out: dict = {
        "spacy_seconds_per_doc": parse_seconds / max(1, len(docs)),
        "ranker_seconds_per_doc": {k: v / max(1, len(docs)) for k, v in seconds.items()},
        "candidates": recall,
    }
    rows = []
    for group in GROUPS:
        for split in ("all", "tune", "held-out"):
            index = [
                i
                for i, d in enumerate(docs)
                if d.group == group and (split == "all" or d.tune == (split == "tune"))
            ]
            for system, preds in predictions.items():
                if system.endswith(CV) and split != "tune":
                    continue
                res: dict = {"n": len(index)}
                for k in K:
                    prf = [_prf_at(preds[i], golds[i], k, norm) for i in index]
                    for j, m in enumerate(("p", "r", "f1")):
                        res[f"{m}@{k}"] = _mean([x[j] for x in prf])
                out.setdefault(group, {}).setdefault(split, {})[system] = res
                rows.append(
                    [group, split, system, len(index)]
                    + [res[m] for m in ("p@5", "f1@5", "p@10", "r@10", "f1@10")]
                )
    _table(
        "candidates: share of present gold keys that are candidates; oracle F1@10",
        ["candidates", "set", "split", "recall", "oracle F1@10"],
        [
            [name, group, split, res["recall"], res["oracle_f1@10"]]
            for name, by_group in recall.items()
            for group, by_split in by_group.items()
            for split, res in by_split.items()
        ],
    )
    _table(
        "concepts: keyphrases/ (stemmed exact match, all gold keys)",
        ["set", "split", "system", "n", "P@5", "F1@5", "P@10", "R@10", "F1@10"],
        rows,
    )
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the concept benchmark (and with --fit, refit the shipped weights); returns 0."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.concepts_eval",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=None, help="documents per set (quick)")
    parser.add_argument("--fit", action="store_true", help="refit nlp/data/concept_weights.json")
    parser.add_argument("--no-baselines", action="store_true", help="ours and its steps only")
    args = parser.parse_args(argv)
    if not (args.corpus / "keyphrases").is_dir():
        parser.error(f"no keyphrases/ under {args.corpus}")
    results = bench_concepts(args.corpus, Analyzer(), args.limit, args.fit, not args.no_baselines)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"\nwrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
