"""Score the learning tagger on the labelled browsing set (`bench.browsing_set`).

    python -m bench.learning_eval                 # dev split: figures and every mistake
    python -m bench.learning_eval --test          # + the blind test split (figures only)
    python -m bench.learning_eval --fresh         # + the fresh blind split (figures only)
    python -m bench.learning_eval --fresh3        # + the third blind split (figures only)
    python -m bench.learning_eval --fresh4        # + the fourth blind split (figures only)
    python -m bench.learning_eval --fresh4 --fresh5 --together  # + both, and both as one set
    python -m bench.learning_eval --baseline REV  # + the tagger of git revision REV, same run

For each split and tagger: is_learning precision / recall / accuracy after a `whole` visit,
how many verdicts flip between a 20 s and a 15-minute visit (non-learning and learning pages),
source_kind accuracy, form accuracy on true positives, and a table per category (how many
pages of each category were called learning). Mistakes are listed for *dev* only.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

from bench.baseline import tagger_at
from bench.browsing_set import CORPUS, VISITS, Item, corpus_available, load_items, page_for
from bench.browsing_set import visit as visit_of

__all__ = ["BLIND_SPLITS", "main", "score", "tag_all"]

# The blind splits (`bench.browsing_set`), each scored only when asked for by its flag.
BLIND_SPLITS = (
    ("test", "the blind test split (real pages; spent)"),
    ("fresh", "the fresh blind split (own/fresh1-*, own/fresh2-*; spent)"),
    ("fresh3", "the third blind split (own/fresh3-*; spent)"),
    ("fresh4", "the fourth blind split (own/fresh4-*; spent)"),
    ("fresh5", "the fifth blind split (own/fresh5-*; spent)"),
    ("fresh6", "the sixth blind split (own/fresh6-*; spent)"),
    ("fresh7", "the seventh blind split (own/fresh7-*; spent)"),
)


def legacy_items() -> list[Item]:
    """The development items of the earlier label files (learning.tsv, learning-heldout.tsv).

    Lessons, 3Blue1Brown videos, abstracts and news, labelled for the previous tagger: scored
    as a second development set ("legacy"), the category being their source kind.
    """
    from bench.quality import FRESH_LABELS, LABELS, read_labels

    return [
        Item(
            name=row["name"],
            is_learning=row["is_learning"].strip() == "1",
            category=f"legacy {row['source_kind']}",
            source_kind=row["source_kind"],
            form=(row.get("form") or "").strip(),
            reason=row["reason"],
        )
        for path in (LABELS, FRESH_LABELS)
        for row in read_labels(path)
    ]


def _legacy_page(name: str, corpus: Path):
    from bench.quality import _manifest, page_for_label

    manifests = {f: _manifest(corpus / f) for f in ("articles", "pages", "video")}
    return page_for_label(corpus, name, manifests)


def _current_tagger():
    from nlp.extract import extract_page
    from nlp.learning import tag_learning

    return extract_page, tag_learning


def tag_all(items: list[Item], tagger, corpus: Path = CORPUS) -> list[dict]:
    """Tag every item after each visit kind: `[{visit: LearningTags}]`, in `items` order.

    The page is extracted once; only the visit (engagement, search) changes between tags.
    """
    extract_page, tag_learning = tagger
    out = []
    for item in items:
        legacy = item.category.startswith("legacy ")
        page = _legacy_page(item.name, corpus) if legacy else page_for(item, corpus)
        ex = extract_page(page)
        out.append(
            {how: tag_learning(visit_of(page, how, ex.metadata.word_count), ex) for how in VISITS}
        )
    return out


def score(items: list[Item], tags: list[dict]) -> dict:
    """The figures for one split (see the module docstring)."""
    tp = fp = fn = tn = kind_ok = form_ok = form_n = 0
    flips = Counter()
    per_category: dict[str, Counter] = defaultdict(Counter)
    for item, by_visit in zip(items, tags, strict=True):
        got = by_visit["whole"]
        tp += item.is_learning and got.is_learning
        fp += (not item.is_learning) and got.is_learning
        fn += item.is_learning and not got.is_learning
        tn += (not item.is_learning) and not got.is_learning
        kind_ok += got.source_kind == item.source_kind
        if item.is_learning and got.is_learning:
            form_n += 1
            form_ok += got.form == item.form
        if by_visit["short"].is_learning != by_visit["long"].is_learning:
            flips["learning" if item.is_learning else "not learning"] += 1
        per_category[item.category]["n"] += 1
        per_category[item.category]["called learning"] += got.is_learning
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {
        "n": len(items),
        "learning": tp + fn,
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "accuracy": round((tp + tn) / max(1, len(items)), 3),
        "source_kind_accuracy": round(kind_ok / max(1, len(items)), 3),
        "form_accuracy_on_true_positives": round(form_ok / max(1, form_n), 3),
        "form_n": form_n,
        "flips_20s_vs_15min": dict(flips),
        "per_category": {k: dict(v) for k, v in sorted(per_category.items())},
    }


def _print_split(label: str, s: dict) -> None:
    print(
        f"{label:28} n={s['n']:4} learning={s['learning']:3}  P {s['precision']:.3f}"
        f"  R {s['recall']:.3f}  acc {s['accuracy']:.3f}  kind {s['source_kind_accuracy']:.3f}"
        f"  form(TP) {s['form_accuracy_on_true_positives']:.3f} of {s['form_n']}"
        f"  flips {s['flips_20s_vs_15min']}"
    )


def _print_categories(scores: dict[str, dict]) -> None:
    categories = sorted({c for s in scores.values() for c in s["per_category"]})
    names = list(scores)
    print(f"\n{'category':22}" + "".join(f"{n[:26]:>28}" for n in names))
    for category in categories:
        cells = []
        for name in names:
            cell = scores[name]["per_category"].get(category)
            cells.append(
                f"{cell['called learning']:>3} of {cell['n']:<3} called learning" if cell else ""
            )
        print(f"{category:22}" + "".join(f"{c:>28}" for c in cells))


def _print_mistakes(items: list[Item], tags: list[dict]) -> None:
    print("\nmistakes on dev (is_learning at a whole visit, source_kind, form):")
    for item, by_visit in zip(items, tags, strict=True):
        got = by_visit["whole"]
        wrong = []
        if got.is_learning != item.is_learning:
            wrong.append(f"learning {int(item.is_learning)}->{int(got.is_learning)}")
        if got.is_learning and item.is_learning and got.form != item.form:
            wrong.append(f"form {item.form}->{got.form}")
        if got.source_kind != item.source_kind:
            wrong.append(f"kind {item.source_kind}->{got.source_kind}")
        if wrong:
            print(
                f"  {item.name:34} [{item.category}] {', '.join(wrong)}  "
                f"score {got.learning_score:.2f}: {'; '.join(got.reasons[:4])}"
            )


def main(argv: list[str] | None = None) -> int:
    """Print the figures (and dev mistakes); returns 0, or 2 without the corpus."""
    parser = argparse.ArgumentParser(prog="python -m bench.learning_eval", description=__doc__)
    for split, about in BLIND_SPLITS:
        parser.add_argument(f"--{split}", action="store_true", help=f"also score {about}")
    parser.add_argument(
        "--together",
        action="store_true",
        help="also score the blind splits chosen as one set (e.g. --fresh4 --fresh5 --together)",
    )
    parser.add_argument("--baseline", help="a git revision whose tagger is scored in the same run")
    parser.add_argument(
        "--legacy", action="store_true", help="also score the earlier label files (dev only)"
    )
    parser.add_argument("--quiet", action="store_true", help="no list of dev mistakes")
    args = parser.parse_args(argv)
    if not corpus_available():
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 2
    items = load_items() + (legacy_items() if args.legacy else [])
    taggers = {"current": _current_tagger()}
    if args.baseline:
        taggers[f"baseline {args.baseline}"] = tagger_at(args.baseline)
    blind = [split for split, _ in BLIND_SPLITS if getattr(args, split)]
    splits = ["dev", *blind] + (["legacy"] if args.legacy else [])
    groups = {split: (split,) for split in splits}
    if args.together and len(blind) > 1:
        groups["+".join(blind)] = tuple(blind)
    category_scores = {}
    for name, tagger in taggers.items():
        chosen = [item for item in items if item.split in splits]
        tags = tag_all(chosen, tagger)
        for group, members in groups.items():
            rows = [(i, t) for i, t in zip(chosen, tags, strict=True) if i.split in members]
            s = score([i for i, _ in rows], [t for _, t in rows])
            _print_split(f"{name} / {group}", s)
            category_scores[f"{name} / {group}"] = s
        if name == "current" and not args.quiet:
            dev = [
                (i, t) for i, t in zip(chosen, tags, strict=True) if i.split in ("dev", "legacy")
            ]
            _print_mistakes([i for i, _ in dev], [t for _, t in dev])
    _print_categories(category_scores)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
