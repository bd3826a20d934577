"""URL rules: the site of a page, its registrable domain, and the key of its document."""

from __future__ import annotations

import pytest

from nlp.urls import document_url, is_web_url, normalise_url, registrable_domain, same_site


@pytest.mark.parametrize(
    ("host", "domain"),
    [
        ("docs.python.org", "python.org"),
        ("www.bbc.co.uk", "bbc.co.uk"),
        ("news.bbc.co.uk", "bbc.co.uk"),
        ("alice.github.io", "alice.github.io"),  # a private suffix: each user is a site
        ("Example.COM.", "example.com"),
        ("127.0.0.1", "127.0.0.1"),
        ("localhost", "localhost"),
    ],
)
def test_registrable_domain_follows_the_public_suffix_list(host, domain):
    assert registrable_domain(host) == domain


@pytest.mark.parametrize(
    ("url", "other", "same"),
    [
        ("https://docs.python.org/3/", "https://www.python.org/", True),
        ("https://a.co.uk/", "https://b.co.uk/", False),
        ("https://alice.github.io/x", "https://bob.github.io/x", False),
        ("http://127.0.0.1:8000/a", "http://127.0.0.1:9000/b", True),
        ("https://alpha.example/", "https://alpha.example.evil.test/", False),
    ],
)
def test_same_site_means_one_registrable_domain(url, other, same):
    assert same_site(url, other) is same


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("HTTPS://WWW.Example.COM:443/a/./b/../c#part", "https://www.example.com/a/c"),
        ("http://example.com:8080", "http://example.com:8080/"),
        ("https://user:secret@example.com/p", "https://example.com/p"),
        ("https://example.com/p?b=2&a=1&a=0", "https://example.com/p?a=1&a=0&b=2"),
        (
            "https://example.com/%7euser/%2f?q=caf%c3%a9 au",
            "https://example.com/~user/%2F?q=caf%C3%A9%20au",
        ),
        ("https://bücher.example/ä", "https://xn--bcher-kva.example/%C3%A4"),
        ("https://example.com/p?edit&empty=", "https://example.com/p?edit&empty="),
    ],
)
def test_normalise_url_gives_one_spelling_per_address(url, normal):
    assert normalise_url(url) == normal
    assert normalise_url(normal) == normal


def test_tracking_parameters_go_by_exact_name_only():
    url = "https://example.com/p?utm_source=a&UTM_MEDIUM=b&fbclid=c&si=d&since=1&size=2&site=3&ref=main"
    assert normalise_url(url) == "https://example.com/p?ref=main&since=1&site=3&size=2"


@pytest.mark.parametrize(
    ("page", "claimed", "key"),
    [
        ("https://beta.example/", "/", "https://beta.example/"),
        ("https://gamma.example/welcome", "/", "https://gamma.example/"),
        ("https://alpha.example/a/b", "../guide", "https://alpha.example/guide"),
        ("https://spam.example/offer", "https://alpha.example/guide", "https://spam.example/offer"),
        ("https://spam.co.uk/x", "https://alpha.co.uk/guide", "https://spam.co.uk/x"),
        ("https://docs.python.org/3/", "https://www.python.org/3/", "https://www.python.org/3/"),
        ("https://alpha.example/x", "javascript:alert(1)", "https://alpha.example/x"),
        ("https://alpha.example/x", "//evil.test/x", "https://alpha.example/x"),
        ("https://alpha.example/x?utm_source=a", None, "https://alpha.example/x"),
        ("https://alpha.example/x", "  ", "https://alpha.example/x"),
        ("https://alpha.example/x", "http://[broken/", "https://alpha.example/x"),
    ],
)
def test_document_url_accepts_a_canonical_only_on_the_pages_own_site(page, claimed, key):
    assert document_url(page, claimed) == key


def test_a_page_without_a_web_address_keeps_its_claim_or_its_address():
    assert document_url("", "https://alpha.example/guide?fbclid=1") == "https://alpha.example/guide"
    assert document_url("page.html", "/guide") == "page.html"


@pytest.mark.parametrize(
    "url", ["file:///tmp/a.html", "javascript:alert(1)", "https://", "http://[x"]
)
def test_only_http_urls_with_a_host_are_web_urls(url):
    assert not is_web_url(url)
