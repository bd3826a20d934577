"""Page data written as Markdown text, never as markup: the helpers the Markdown exports share."""

from __future__ import annotations

__all__ = ["escape", "link", "quote"]


def escape(text: str) -> str:
    """Keep titles and queries from turning into Markdown markup (or HTML), on one line."""
    for char in "\\`*_[]<>|":
        text = text.replace(char, "\\" + char)
    return " ".join(text.split())


def link(title: str, url: str) -> str:
    """A Markdown link whose title and address cannot break out of it."""
    return f"[{escape(title)}](<{url.replace('>', '%3E')}>)"


def quote(text: str) -> list[str]:
    """`text` as the lines of a block quote (blank lines kept inside it)."""
    return [f"> {line}" if line.strip() else ">" for line in text.strip().splitlines()]
