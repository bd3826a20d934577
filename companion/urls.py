"""What the companion needs to know about a URL: is it capturable, which site, which document."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["canonical_url", "is_web_url", "site_of"]

# Query parameters that only track the visit, never change the document.
_TRACKING = ("utm_", "fbclid", "gclid", "mc_", "ref_src", "igshid", "si")


def is_web_url(url: str) -> bool:
    """True for an absolute http(s) URL with a host (never file:, chrome:, javascript:, data:)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def site_of(url: str) -> str:
    """The site a URL belongs to: its lower-case host name without a leading `www.`."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def canonical_url(url: str) -> str:
    """One URL per document: no fragment, no tracking parameters, lower-case host, no `www.`.

    YouTube-style `v=` and other meaningful parameters are kept (and sorted).
    """
    parts = urlsplit(url)
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith(_TRACKING)
    ]
    netloc = site_of(url)
    if parts.port and parts.port not in (80, 443):
        netloc = f"{netloc}:{parts.port}"
    path = parts.path or "/"
    return urlunsplit((parts.scheme, netloc, path, urlencode(sorted(query)), ""))
