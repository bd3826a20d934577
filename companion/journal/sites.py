"""A site and its subdomains, found through an index: captures keep their site reversed.

A capture's `site` is its host ("docs.github.com"); `reversed_site` holds its labels in reverse
order with a closing dot ("com.github.docs."), kept by migration m007 and on ingest. A site and
every subdomain of it then share one prefix ("com.github."), which the index on `reversed_site`
finds as a range, where `site LIKE '%.github.com'` read all captures (158 ms at 100k, run S in
bench/README.md). The closing dot keeps "notgithub.com" ("com.notgithub.") out of "github.com".
"""

from __future__ import annotations

from nlp.sites import site_matches

__all__ = ["normal_site", "reversed_site", "site_or_subdomain", "within_site"]

# The character after "." in code point (and UTF-8 byte) order: the range's exclusive end.
_AFTER_DOT = chr(ord(".") + 1)


def normal_site(site: str) -> str:
    """A site as the user typed it ("WWW.GitHub.com.") as captures store it ("github.com")."""
    return site.strip().lower().removeprefix("www.").rstrip(".")


def reversed_site(site: str) -> str:
    """The site's labels in reverse order, each followed by a dot: "com.github.docs."."""
    return "".join(f"{label}." for label in reversed(site.split(".")))


def site_or_subdomain(site: str, column: str = "c.reversed_site") -> tuple[str, list[str]]:
    """A WHERE clause over `column` (a capture's `reversed_site`) that keeps `site` and its
    subdomains, and its parameters; the clause is a range the index serves."""
    start = reversed_site(normal_site(site))
    return f"{column} >= ? AND {column} < ?", [start, start[:-1] + _AFTER_DOT]


def within_site(host: str, site: str) -> bool:
    """Whether `host` is `site` or one of its subdomains: what `site_or_subdomain` keeps, for
    rows that hold a host but not its reversed form (the user's tag corrections); the rule the
    tagger applies those corrections by (`nlp.sites.site_matches`)."""
    return site_matches(normal_site(host), normal_site(site))
