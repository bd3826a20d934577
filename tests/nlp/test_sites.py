import pytest

from nlp import site_of
from nlp.sites import classify_url, site_matches


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://www.Example.com:8080/a?b=1", "example.com"),
        ("https://docs.python.org/3/library/re.html", "docs.python.org"),
        ("file:///tmp/page.html", ""),
        ("not a url", ""),
        ("http://[::1", ""),
    ],
)
def test_site_of_is_the_hostname_without_www_or_port(url, site):
    assert site_of(url) == site


def test_corrections_of_a_domain_apply_to_its_subdomains_but_not_the_reverse():
    assert site_matches("docs.python.org", "python.org")
    assert not site_matches("python.org", "docs.python.org")
    assert not site_matches("notpython.org", "python.org")


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://docs.python.org/3/library/re.html", "documentation"),
        ("https://stackoverflow.com/questions/1/how", "q&a"),
        ("https://github.com/explosion/spaCy", "repository"),
        ("https://www.coursera.org/learn/machine-learning", "course"),
        ("https://www.youtube.com/watch?v=abc", "video"),
        ("https://www.nytimes.com/2020/08/16/business/x.html", "news"),
        ("https://accounts.example.com/login", "other"),
        ("https://example.com/products/shoe-3", "shop"),
        ("https://blog.example.com/2015/03/a-post/", "article"),
        ("https://forum.example.org/index.php", "forum"),
        ("https://www.owners.example/threads/coolant-loss.144019/", "forum"),
    ],
)
def test_classify_url_knows_common_hosts_and_url_shapes(url, kind):
    assert classify_url(url).source_kind == kind


def test_a_github_profile_is_not_taken_for_a_repository():
    assert classify_url("https://github.com/someone").source_kind != "repository"


@pytest.mark.parametrize(
    "url",
    [
        "https://docs.python.org/3/search.html?q=asyncio",
        "https://stackoverflow.com/questions/tagged/pandas",
        "https://blog.example.com/category/python/",
    ],
)
def test_a_sites_own_search_results_and_listings_are_lists_even_on_known_hosts(url):
    assert classify_url(url).source_kind == "other"
