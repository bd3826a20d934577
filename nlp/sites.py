"""What the URL alone says about a page: its site and the kind of site it is.

`site_of` (from `nlp.urls`, where every URL rule lives) gives the key used for `Metadata.site`
and `SiteCorrections.by_site`. `classify_url` maps well-known hosts and URL shapes to a source
kind, with the reason it gives for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from .urls import site_of

__all__ = ["UrlHint", "classify_url", "site_of", "site_matches"]


def site_matches(site: str, corrected_site: str) -> bool:
    """Whether corrections keyed by `corrected_site` apply to a page of `site`.

    A correction of "python.org" also applies to "docs.python.org" (a subdomain), never the
    other way round, and never across unrelated hosts.
    """
    if not site or not corrected_site:
        return False
    corrected_site = corrected_site.lower().removeprefix("www.")
    return site == corrected_site or site.endswith("." + corrected_site)


@dataclass(frozen=True)
class UrlHint:
    """What the URL suggests: a source kind (or None), and the reason to show for it."""

    source_kind: str | None
    reason: str


# Hosts are matched on the site and on every parent domain ("a.b.c" → "a.b.c", "b.c", "c").
_HOSTS: dict[str, str] = {}
for _kind, _hosts in {
    "documentation": (
        "docs.python.org developer.mozilla.org docs.microsoft.com learn.microsoft.com "
        "readthedocs.io readthedocs.org docs.rs pkg.go.dev devdocs.io cppreference.com "
        "docs.oracle.com docs.github.com docs.aws.amazon.com cloud.google.com "
        "developer.android.com developer.apple.com kubernetes.io docs.docker.com "
        "man7.org manpages.debian.org docs.djangoproject.com fastapi.tiangolo.com "
        "numpy.org pandas.pydata.org scikit-learn.org pytorch.org tensorflow.org "
        "spacy.io postgresql.org sqlite.org nodejs.org reactjs.org react.dev vuejs.org "
        "rust-lang.org go.dev php.net ruby-doc.org docs.julialang.org wiki.archlinux.org "
        "gnu.org w3.org whatwg.org"
    ),
    "q&a": (
        "stackoverflow.com stackexchange.com superuser.com serverfault.com askubuntu.com "
        "mathoverflow.net quora.com answers.microsoft.com"
    ),
    "forum": "reddit.com news.ycombinator.com discourse.org lobste.rs discuss.python.org",
    "repository": "github.com gitlab.com bitbucket.org codeberg.org sourceforge.net huggingface.co",
    "course": (
        "coursera.org edx.org udemy.com khanacademy.org udacity.com pluralsight.com "
        "codecademy.com freecodecamp.org ocw.mit.edu futurelearn.com brilliant.org "
        "datacamp.com egghead.io frontendmasters.com"
    ),
    "tutorial": (
        "w3schools.com geeksforgeeks.org tutorialspoint.com realpython.com digitalocean.com "
        "baeldung.com javatpoint.com programiz.com css-tricks.com wikihow.com ehow.com"
    ),
    "paper": (
        "arxiv.org doi.org acm.org ieeexplore.ieee.org springer.com link.springer.com "
        "sciencedirect.com nature.com pubmed.ncbi.nlm.nih.gov ncbi.nlm.nih.gov "
        "semanticscholar.org researchgate.net plos.org acpjournals.org jstor.org"
    ),
    "article": "wikipedia.org britannica.com medium.com dev.to substack.com hashnode.dev",
    "video": (
        "youtube.com youtu.be vimeo.com media.ccc.de dailymotion.com twitch.tv ted.com "
        "tilvids.com framatube.org peertube.cpy.re tube.tchncs.de"
    ),
    "podcast": "podcasts.apple.com podcasts.google.com overcast.fm pocketcasts.com",
    "news": (
        "nytimes.com wsj.com washingtonpost.com theguardian.com bbc.com bbc.co.uk cnn.com "
        "reuters.com apnews.com foxnews.com nbcnews.com cbsnews.com abcnews.go.com "
        "nypost.com thehill.com politico.com bloomberg.com cnbc.com ft.com economist.com "
        "independent.co.uk telegraph.co.uk dailymail.co.uk express.co.uk latimes.com "
        "usatoday.com axios.com rt.com sputniknews.com news.google.com news.yahoo.com "
        "msn.com tmz.com pagesix.com breitbart.com buzzfeed.com huffpost.com"
    ),
    "social": (
        "twitter.com x.com facebook.com instagram.com tiktok.com linkedin.com "
        "pinterest.com threads.net mastodon.social bsky.app tumblr.com"
    ),
    "shop": (
        "amazon.com amazon.co.uk amazon.de ebay.com etsy.com aliexpress.com walmart.com "
        "bestbuy.com target.com ikea.com"
    ),
    "other": (
        "mail.google.com outlook.live.com outlook.office.com mail.yahoo.com "
        "accounts.google.com login.microsoftonline.com netflix.com spotify.com"
    ),
}.items():
    for _host in _hosts.split():
        _HOSTS[_host] = _kind

_REASON = {
    "documentation": "docs site",
    "q&a": "Q&A site",
    "forum": "forum site",
    "repository": "code repository host",
    "course": "course platform",
    "tutorial": "tutorial site",
    "paper": "scholarly publisher",
    "article": "encyclopedia or blog platform",
    "video": "video platform",
    "podcast": "podcast platform",
    "news": "news site",
    "social": "social network",
    "shop": "shop",
    "other": "mail, login or entertainment site",
}

# URL shapes, tried in order; the first match wins. Each is (pattern on host+path, kind, reason).
_SHAPES: tuple[tuple[re.Pattern[str], str, str], ...] = tuple(
    (re.compile(p, re.I), k, r)
    for p, k, r in (
        (r"(^|[./])(login|signin|sign-in|auth|sso|account)s?([./]|$)", "other", "login page"),
        (r"(^|\.)(mail|webmail|outlook)\.", "other", "mail site"),
        (r"/(cart|checkout|basket)([/?]|$)", "shop", "shopping cart"),
        (r"/(dp|gp/product|product|products|shop|store)/", "shop", "product page URL"),
        (
            r"(^|\.)(docs?|documentation|devdocs|developer|developers|api|man)\.",
            "documentation",
            "docs subdomain",
        ),
        (
            r"/(docs?|documentation|reference|api|manual|man\d?|library|handbook)(/|$)",
            "documentation",
            "docs path in URL",
        ),
        (
            r"(^|\.)(learn|academy|courses?|training|school|university|edu)\.",
            "course",
            "learning subdomain",
        ),
        (
            r"/(courses?|lessons?|lectures?|learn|tutorials?|guides?|howto|how-to)(/|$|-)",
            "tutorial",
            "tutorial path in URL",
        ),
        (r"(^|[./])wiki([./]|$)|/wiki/", "article", "wiki page"),
        (r"/(questions|q|answers?)/\d+", "q&a", "question URL"),
        (
            r"/(forum|forums|community|discuss|discussion|t|threads?|topics?)/",
            "forum",
            "forum path in URL",
        ),
        (r"(^|\.)(forums?|community|discuss|boards?)\.|viewtopic", "forum", "forum host or page"),
        (r"\.(edu|ac\.[a-z]{2})(/|$)", "article", "academic site"),
        (r"(^|\.)blog\.|/blog/", "article", "blog"),
        (r"(^|[./])(news|press)([./]|$)", "news", "news-shaped URL"),
        (r"/(19|20)\d\d/\d\d?/", "article", "dated post URL"),
    )
)


# Lists of other pages, whatever the host: a site's own search results, a tag or category index.
# Tried before the host tables (a docs site's search page is no documentation).
_LISTINGS = re.compile(
    r"/search(?:\.html?|\.php|\.aspx)?/?$|/search/|/(?:questions/)?tagged/|/tags?/[^/]+/?$|"
    r"/(?:categories|category)/[^/]+/?$",
    re.I,
)


def _parents(site: str) -> list[str]:
    parts = site.split(".")
    return [".".join(parts[i:]) for i in range(len(parts) - 1)]


def classify_url(url: str) -> UrlHint:
    """Guess a source kind from `url` alone (host tables first, then URL shapes).

    Returns `UrlHint(None, "")` when nothing is known; never raises.
    """
    site = site_of(url)
    try:
        path = urlsplit(url).path or "/"
    except ValueError:
        path = "/"
    if _LISTINGS.search(path):
        return UrlHint("other", "search results or a listing")
    for host in _parents(site):
        kind = _HOSTS.get(host)
        if kind:
            if kind == "repository" and path.strip("/").count("/") == 0:
                # github.com/login, github.com/<user>: a profile or a login, not a repository
                continue
            return UrlHint(kind, f"{_REASON[kind]}: {host}")
    target = site + path
    for pattern, kind, reason in _SHAPES:
        if pattern.search(target):
            return UrlHint(kind, reason)
    return UrlHint(None, "")
