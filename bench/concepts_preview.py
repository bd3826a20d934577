"""Top concepts of real pages before and after this ranker, to eyeball a ranking change.

    .venv/bin/python -m bench.concepts_preview [--corpus PATH] [--top 10] [--all FOLDER]

F1 on keyphrase sets does not say whether a user would trust the concepts of a real page
(a ranker can gain F1 by putting "network" or "time" first). This prints, for fourteen fixed
pages of the shared corpus (docs, how-tos, a Q&A-style explainer, news, a long feature, forum
threads, an album review, a product page), the top concepts the companion stores (the shipped
linear weights, `nlp/data/concept_weights.json`) beside those of the boosted trees
(`nlp/data/concept_trees.json`: better F1 on the keyphrase sets, not the default).
`--all browsing` (or `pages`, `articles`) prints every page of that folder instead.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from nlp import Analyzer, PageInput
from nlp.concept_trees import load_scorer

from .concepts_eval import TREES_FILE, ranker_options
from .quality import DEFAULT_CORPUS, _manifest

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


def main(argv: list[str] | None = None) -> int:
    """Print the preview; returns 0."""
    parser = argparse.ArgumentParser(prog="python -m bench.concepts_preview", description=__doc__)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--all", metavar="FOLDER", help="every page of this corpus folder")
    args = parser.parse_args(argv)
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
