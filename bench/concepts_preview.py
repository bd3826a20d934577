"""Top concepts of a fixed set of real pages, to eyeball before and after a ranking change.

    .venv/bin/python -m bench.concepts_preview [--corpus PATH] [--top 10]

F1 on keyphrase sets does not say whether a user would trust the concepts of a real page
(a ranker can gain F1 by putting "network" or "time" first). This prints the top concepts of
ten fixed pages of the shared corpus (docs, how-tos, a Q&A-style explainer, news, a long
feature) as the companion would store them; diff two runs to see what a change did.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from nlp import Analyzer, PageInput

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
)


def preview(corpus: Path, analyzer: Analyzer, top: int = 10) -> list[tuple[str, str, list]]:
    """Return (kind, page name, top concepts) for each page of `PAGES` found in `corpus`."""
    inputs, names = [], []
    for kind, name in PAGES:
        folder, _, item = name.partition("/")
        path = corpus / folder / f"{item}.html"
        if not path.exists():
            continue
        url = _manifest(corpus / folder).get(item, {}).get("url") or ""
        inputs.append(PageInput(url=url, html=path.read_text(encoding="utf-8", errors="replace")))
        names.append((kind, name))
    results = analyzer.analyze_many(inputs)
    return [
        (kind, name, list(result.concepts[:top]))
        for (kind, name), result in zip(names, results, strict=True)
    ]


def main(argv: list[str] | None = None) -> int:
    """Print the preview; returns 0."""
    parser = argparse.ArgumentParser(prog="python -m bench.concepts_preview", description=__doc__)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args(argv)
    for kind, name, concepts in preview(args.corpus, Analyzer(), args.top):
        print(f"\n{name} ({kind})")
        for i, concept in enumerate(concepts, 1):
            print(f"  {i:2}. {concept.text}  ({concept.score:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
