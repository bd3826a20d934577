"""Top concepts of real pages before and after this ranker, to eyeball a ranking change.

    .venv/bin/python -m bench.concepts_preview [--corpus PATH] [--top 10] [--all FOLDER]

F1 on keyphrase sets does not say whether a user would trust the concepts of a real page
(a ranker can gain F1 by putting "network" or "time" first). This prints, for fourteen fixed
pages of the shared corpus (docs, how-tos, a Q&A-style explainer, news, a long feature, forum
threads, an album review, a product page), the top concepts the companion stores (the shipped
linear weights, `nlp/data/concept_weights.json`) beside those of the boosted trees
(`nlp/data/concept_trees.json`: better F1 on the keyphrase sets, not the default).
`--all browsing` (or `pages`, `articles`) prints every page of that folder instead.

`--shares` makes "reads worse" a number: over every page of `browsing/`, `pages/` and
`articles/`, the share of the top-eight slots (as the companion stores them, aliases joined)
held by a single word written in lower case, by a *common* one (Zipf >= `COMMON_ZIPF` in
`wordfreq`: "researchers" 3.9, "participants" 3.8, "equations" 4.0, "install" 4.1, "utilities"
4.3, the words that made the trees read worse) and by phrases of two or more words, for
the shipped linear ranker, the trees and their blends (`scorers`), with the commonest such
words of each. Every page is parsed once (`Analyzer.parse_many`) and ranked by each scorer.
"""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from wordfreq import zipf_frequency

from nlp import Analyzer, PageInput
from nlp.aliases import page_aliases
from nlp.concept_trees import load_scorer
from nlp.types import Concept

from .concepts_eval import GUARD_PENALTY, TREES_FILE, WEIGHTS_FILE, ranker_options
from .concepts_trees import COMMON_ZIPF, Blend
from .quality import DEFAULT_CORPUS, _manifest

SHARE_FOLDERS = ("browsing", "pages", "articles")
SHARE_TOP = 8  # the slots the furniture test checks

PAGES = (
    ("docs", "articles/rdb-002"),  # the Fetch API vs XMLHttpRequest
    ("docs", "pages/traf-pythonspeed.com.docker"),  # Pipenv in Docker images
    ("how-to", "pages/traf-flowfx.de.tmux"),  # tmux to the system clipboard
    ("q&a", "pages/traf-fouryears.eu.interning"),  # why `is` works on small ints in Python
    ("tech blog", "articles/rdb-lazy-image-1"),  # CPU monitoring on Android
    ("news", "articles/rdb-bbc-1"),  # Obama on gun control
    ("news", "pages/traf-nytimes.com.blackouts"),  # California blackouts
    ("science news", "pages/traf-phys.org.tool"),  # a flint tool with birch tar
    ("health", "articles/rdb-medicalnewstoday"),  # the unconscious brain
    ("long feature", "articles/rdb-quanta-1"),  # chaos and the Lorenz system
    ("forum", "browsing/formas-2eb96806dc"),  # a forum thread: bongs vs bubblers
    ("forum", "browsing/formas-80278ffb39"),  # a forum topic: help with a file format
    ("album review", "browsing/parser-cc23c69b8a"),  # Pitchfork on an album
    ("shop", "browsing/formas-a2d951f8a2"),  # a product page: ground coffee
)


def _pages(corpus: Path, names: list[str]) -> tuple[list[str], list[PageInput]]:
    found, inputs = [], []
    manifests: dict[str, dict] = {}
    for name in names:
        folder, _, item = name.partition("/")
        path = corpus / folder / f"{item}.html"
        if not path.exists():
            continue
        if folder not in manifests:
            manifests[folder] = _manifest(corpus / folder)
        url = manifests[folder].get(item, {}).get("url") or ""
        inputs.append(PageInput(url=url, html=path.read_text(encoding="utf-8", errors="replace")))
        found.append(name)
    return found, inputs


def preview(
    corpus: Path, analyzer: Analyzer, names: list[str], top: int = 10
) -> list[tuple[str, list, list]]:
    """Return (page name, top concepts shipped, top concepts of the trees) per page found."""
    found, inputs = _pages(corpus, names)
    before = analyzer.analyze_many(inputs)
    with ranker_options(analyzer, weights=load_scorer(TREES_FILE)):
        after = analyzer.analyze_many(inputs)
    return [
        (name, list(b.concepts[:top]), list(a.concepts[:top]))
        for name, b, a in zip(found, before, after, strict=True)
    ]


def scorers() -> dict[str, object]:
    """The rankers `--shares` compares: the shipped linear weights, the trees, their blend
    and the blend with the trees' log-odds of common single words lowered (`GUARD_PENALTY`)."""
    linear, trees = load_scorer(WEIGHTS_FILE), load_scorer(TREES_FILE)
    return {
        "linear (shipped)": linear,
        "trees": trees,
        "blend": Blend(linear, trees),
        "guarded blend": Blend(linear, trees, common_penalty=GUARD_PENALTY),
    }


def is_common_word(concept: Concept) -> bool:
    """True for a single common word that is no name ("researchers", not "Obama" or "CPU")."""
    return _lower_word(concept) and zipf_frequency(concept.key, "en") >= COMMON_ZIPF


def _lower_word(concept: Concept) -> bool:
    return " " not in concept.key and concept.text[:1].islower()


@dataclass
class Shares:
    """How a ranker fills real pages' top slots (see the module docstring)."""

    slots: int = 0
    lower_words: int = 0
    common: int = 0
    phrases: int = 0
    words: Counter = field(default_factory=Counter)

    def add(self, concept: Concept) -> None:
        """Count one top slot held by `concept`."""
        self.slots += 1
        self.phrases += " " in concept.key
        self.lower_words += _lower_word(concept)
        if is_common_word(concept):
            self.common += 1
            self.words[concept.key] += 1

    def line(self, name: str, words: int = 12) -> str:
        """One printed row: the shares in percent and the commonest common words."""
        top = ", ".join(f"{w} {n}" for w, n in self.words.most_common(words))
        share = {
            k: 100 * getattr(self, k) / max(1, self.slots)
            for k in ("lower_words", "common", "phrases")
        }
        return (
            f"{name:16} lower-case single words {share['lower_words']:4.1f}%, common "
            f"{share['common']:4.1f}%; phrases {share['phrases']:4.1f}% ({self.slots} slots): {top}"
        )


def shares(corpus: Path, analyzer: Analyzer, rankers: dict[str, object]) -> dict[str, Shares]:
    """The top-slot shares of each of `rankers` (name: scorer) over `SHARE_FOLDERS`."""
    names = [
        f"{folder}/{path.stem}"
        for folder in SHARE_FOLDERS
        for path in sorted((corpus / folder).glob("*.html"))
    ]
    ranker = analyzer.nlp.get_pipe("inflow_concepts")
    out = {name: Shares() for name in rankers}
    for doc, whole in analyzer.parse_many(_pages(corpus, names)[1]):
        cands, rows = ranker.candidate_table(doc)
        for name, scorer in rankers.items():
            top, _ = page_aliases(ranker.pick(cands, rows, scorer), whole, doc._.acronyms)
            for concept in top[:SHARE_TOP]:
                out[name].add(concept)
    return out


def main(argv: list[str] | None = None) -> int:
    """Print the preview (or with --shares the top-slot shares); returns 0."""
    parser = argparse.ArgumentParser(prog="python -m bench.concepts_preview", description=__doc__)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--all", metavar="FOLDER", help="every page of this corpus folder")
    parser.add_argument(
        "--shares", action="store_true", help="common single words' share of top-8 slots"
    )
    args = parser.parse_args(argv)
    if args.shares:
        for name, tally in shares(args.corpus, Analyzer(), scorers()).items():
            print(tally.line(name))
        return 0
    if args.all:
        names = [f"{args.all}/{p.stem}" for p in sorted((args.corpus / args.all).glob("*.html"))]
        kinds = dict.fromkeys(names, args.all)
    else:
        names = [name for _, name in PAGES]
        kinds = {name: kind for kind, name in PAGES}
    for name, before, after in preview(args.corpus, Analyzer(), names, args.top):
        print(f"\n{name} ({kinds[name]})")
        for i in range(max(len(before), len(after))):
            old = before[i].text if i < len(before) else ""
            new = after[i].text if i < len(after) else ""
            print(f"  {i + 1:2}. {old[:38]:38}  {new}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
