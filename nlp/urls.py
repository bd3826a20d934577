"""What Inflow knows about a URL: is it a web page, which site, which document.

- `site_of` is the site key of a capture, a correction and "forget this site": the lower-case
  host name without "www." and port ("https://www.Example.com:8080/a" → "example.com").
- `registrable_domain` is the part of a host its owner registered, by the public suffix list
  ("docs.python.org" → "python.org", "a.b.co.uk" → "b.co.uk", "me.github.io" stays whole):
  what "the same site" means when a page names its canonical URL.
- `document_url` is the key of a page's document: the page's own canonical URL (its
  `<link rel=canonical>` or `og:url`), resolved against the page's address, accepted only when
  it stays on the page's site, and normalised (`normalise_url`). So two sites whose pages both
  say `href="/"` keep two documents, a page cannot file itself under another site's record,
  and `?utm_source=…` variants of a page are one document.

The normalisation is written here on `urllib.parse` rather than taken from courlan (which
trafilatura installs): courlan's tracker filter is a pattern search that also drops real
parameters (`ref=` on GitHub, `source=`, `session=`), it keeps fragments, drops parameters
without a value and turns punycode hosts into Unicode. The public suffix list is `tld`'s copy
(courlan's own dependency), read from the package, never downloaded.
"""

from __future__ import annotations

import re
from contextlib import suppress
from functools import lru_cache
from urllib.parse import unquote_plus, urljoin, urlsplit, urlunsplit

from tld import get_fld

__all__ = [
    "TRACKING_PARAMETERS",
    "document_url",
    "is_web_url",
    "normalise_url",
    "registrable_domain",
    "same_site",
    "site_of",
]

# Query parameters that only say how a visitor arrived, never which document they see. Exact
# names (compared in lower case): a prefix would also take `since`, `size`, `site` for `si`.
TRACKING_PARAMETERS = frozenset(
    [
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "utm_term",
        "utm_content",
        "utm_id",
        "utm_name",
        "utm_reader",
        "utm_brand",
        "utm_social",
        "utm_social-type",
        "utm_place",
        "utm_pubreferrer",
        "utm_swu",
        "utm_viz_id",
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "twclid",
        "ttclid",
        "yclid",
        "ysclid",
        "li_fat_id",
        "igshid",
        "igsh",
        "si",
        "mc_cid",
        "mc_eid",
        "_hsenc",
        "_hsmi",
        "__hssc",
        "__hstc",
        "__hsfp",
        "hsctatracking",
        "mkt_tok",
        "_ga",
        "_gl",
        "ref_src",
        "ref_url",
        "vero_id",
        "vero_conv",
        "oly_anon_id",
        "oly_enc_id",
        "_openstat",
        "wickedid",
        "s_cid",
        "rb_clickid",
    ]
)

_DEFAULT_PORTS = {"http": 80, "https": 443}
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# What may stand unescaped in a path or a query (RFC 3986); anything else is percent-encoded.
_PATH_SAFE = frozenset("/:@!$&'()*+,;=%") | _UNRESERVED
_QUERY_SAFE = _PATH_SAFE | frozenset("?")


def is_web_url(url: str) -> bool:
    """True for an absolute http(s) URL with a host (never file:, chrome:, javascript:, data:)."""
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        return False


def site_of(url: str) -> str:
    """Return the site key of `url`: its lower-case hostname without "www." and port.

    Returns "" for URLs without a host (e.g. "file:///tmp/a.html" or garbage); never raises.
    """
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    host = host.rstrip(".").lower()
    return host[4:] if host.startswith("www.") else host


@lru_cache(maxsize=4096)
def registrable_domain(host: str) -> str:
    """The domain the owner of `host` registered, by the public suffix list (private ones too).

    A host the list does not know (an IP address, "localhost", an intranet name) is its own
    registrable domain. Never raises.
    """
    host = host.rstrip(".").lower()
    return get_fld(host, fix_protocol=True, fail_silently=True) or host


def same_site(url: str, other: str) -> bool:
    """Whether two web URLs belong to one registrable domain (scheme and port aside)."""
    host, other_host = _host(url), _host(other)
    return bool(host) and registrable_domain(host) == registrable_domain(other_host)


def normalise_url(url: str) -> str:
    """One spelling per web address: lower-case scheme and host (punycode), no user name, no
    default port, no fragment, dot segments resolved, `%xx` escapes in one form, tracking
    parameters (`TRACKING_PARAMETERS`) removed and the rest sorted by name.

    The host keeps its "www." (the key stays an address that works). Raises `ValueError` for
    a URL that is not an http(s) URL with a host.
    """
    parts = urlsplit(url.strip())
    scheme, host = parts.scheme.lower(), _host(url)
    if scheme not in _DEFAULT_PORTS or not host:
        raise ValueError("not an http(s) URL with a host")
    netloc = f"[{host}]" if ":" in host else host
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: the address is unusable as written
        raise ValueError("the URL's port is not a number") from None
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    path = _escapes(_without_dot_segments(parts.path or "/"), _PATH_SAFE)
    query = [pair for pair in parts.query.split("&") if pair and not _tracks(pair)]
    query.sort(key=lambda pair: pair.partition("=")[0])  # stable: repeated names keep order
    return urlunsplit((scheme, netloc, path, "&".join(_escapes(p, _QUERY_SAFE) for p in query), ""))


def document_url(page_url: str, claimed: str | None = None) -> str:
    """The key of the document a page at `page_url` shows, given the canonical URL it claims.

    `claimed` (the page's `<link rel=canonical>` or `og:url`, possibly relative) is resolved
    against `page_url` and used only if it is a web URL on the page's site (`same_site`);
    otherwise the page's own address is the key. Both are normalised (`normalise_url`).
    A page without a web address cannot be checked: its claim is used if it is a web URL,
    else `page_url` is returned as given. Never raises.
    """
    claimed = (claimed or "").strip()
    if not is_web_url(page_url):
        return _normalised_or(claimed, page_url) if is_web_url(claimed) else page_url
    resolved = _resolve(page_url, claimed) if claimed else None
    if resolved and is_web_url(resolved) and same_site(resolved, page_url):
        return _normalised_or(resolved, page_url)
    return _normalised_or(page_url, page_url)


def _resolve(base: str, reference: str) -> str | None:
    try:
        return urljoin(base, reference)
    except ValueError:
        return None


def _normalised_or(url: str, fallback: str) -> str:
    try:
        return normalise_url(url)
    except ValueError:
        return fallback


def _host(url: str) -> str:
    """The lower-case host of `url` without a trailing dot, in ASCII (punycode); "" if none."""
    try:
        host = (urlsplit(url.strip()).hostname or "").rstrip(".")
    except ValueError:
        return ""
    if not host.isascii():
        with suppress(UnicodeError):  # not a valid international name: kept as written
            host = host.encode("idna").decode("ascii")
    return host.lower()


def _without_dot_segments(path: str) -> str:
    """An absolute path with its "." and ".." segments resolved (RFC 3986, 5.2.4)."""
    segments = path.split("/")
    kept: list[str] = []
    for segment in segments:
        if segment == "..":
            if len(kept) > 1:
                kept.pop()
        elif segment != ".":
            kept.append(segment)
    if segments[-1] in (".", ".."):
        kept.append("")  # "/a/b/.." is the folder "/a/"
    return "/".join(kept) or "/"


def _tracks(pair: str) -> bool:
    return unquote_plus(pair.partition("=")[0]).lower() in TRACKING_PARAMETERS


def _escapes(part: str, safe: frozenset[str]) -> str:
    """`part` with `%xx` escapes upper-case, unreserved characters unescaped, and every other
    character outside `safe` (spaces, non-ASCII) percent-encoded as UTF-8."""

    def unescape(match: re.Match) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else f"%{match.group(1).upper()}"

    part = _ESCAPE.sub(unescape, part)
    return "".join(
        char if char in safe else "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))
        for char in part
    )
