"""What the learning tagger costs per page, against the tagger of a git revision, same run.

    python -m bench.learning_cost [--baseline REV] [--repeat N]

Over the pages of `../shared/corpus/articles/` (extracted once): the time of `tag_learning`
(its wording cues and checks) for the current `nlp` and for the one at REV, interleaved, and,
for scale, the time of a whole analysis (`Analyzer.analyze_many`, spaCy included) of the same
pages. The analysis cost ratio is (analysis + new tagger) / (analysis + old tagger).
"""

from __future__ import annotations

import argparse
import time

from bench.baseline import tagger_at
from bench.browsing_set import CORPUS
from nlp import PageInput
from nlp.analyzer import Analyzer
from nlp.extract import extract_page
from nlp.learning import tag_learning


def _pages() -> list[PageInput]:
    paths = sorted((CORPUS / "articles").glob("*.html"))
    return [
        PageInput(
            url=f"https://example.org/{p.stem}",
            html=p.read_text(encoding="utf-8", errors="replace"),
            engaged_seconds=150.0,
            scroll_depth=0.7,
        )
        for p in paths
    ]


def _seconds(tag, pairs) -> float:
    start = time.perf_counter()
    for page, ex in pairs:
        tag(page, ex)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    """Print the per-page figures; returns 0."""
    parser = argparse.ArgumentParser(prog="python -m bench.learning_cost", description=__doc__)
    parser.add_argument("--baseline", default="main")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    pages = _pages()
    old_extract, old_tag = tagger_at(args.baseline)
    pairs = [(p, extract_page(p)) for p in pages]
    old_pairs = [(p, old_extract(p)) for p in pages]
    new, old = [], []
    for _ in range(args.repeat):
        new.append(_seconds(tag_learning, pairs))
        old.append(_seconds(old_tag, old_pairs))
    start = time.perf_counter()
    Analyzer().analyze_many(pages)
    analysis = time.perf_counter() - start
    n = len(pages)
    t_new, t_old, t_all = min(new) / n, min(old) / n, analysis / n
    print(f"{n} pages of articles/, best of {args.repeat}, per page:")
    print(f"  tag_learning now           {t_new * 1000:7.2f} ms")
    print(f"  tag_learning at {args.baseline:10} {t_old * 1000:7.2f} ms")
    print(f"  whole analysis (now)       {t_all * 1000:7.2f} ms")
    print(f"  analysis cost ratio        {(t_all) / (t_all - t_new + t_old):.3f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
