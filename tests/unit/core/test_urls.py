"""URL canonicalisation: spellings of one article collapse; different articles stay apart."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdedup.core.urls import (
    canonicalize_url,
    host_of,
    is_amp_url,
    is_dns_host,
    same_site,
    tracking_set,
)

CANONICAL = "https://news.example/world/2025/06/07/pow-exchange"


@pytest.mark.parametrize(
    "variant",
    [
        CANONICAL,
        "https://news.example/world/2025/06/07/pow-exchange/",
        "https://NEWS.Example/world/2025/06/07/pow-exchange",
        "https://news.example:443/world/2025/06/07/pow-exchange",
        "https://news.example/world/2025/06/07/pow-exchange#comments",
        "https://news.example/world/2025/06/07/pow-exchange?utm_source=rss&utm_medium=feed",
        "https://news.example/world/2025/06/07/pow-exchange?fbclid=IwAR0abc&gclid=x",
        "https://news.example/world/2025/06/07/pow-exchange/amp/",
        "https://news.example/amp/world/2025/06/07/pow-exchange",
        "https://news.example/world/2025/06/07/pow-exchange?amp=1",
        "https://amp.news.example/world/2025/06/07/pow-exchange",
        "  https://news.example/world/2025/06/07/pow-exchange  ",
    ],
)
def test_variants_collapse(variant: str) -> None:
    assert canonicalize_url(variant) == CANONICAL


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://news.example/a", "https://news.example/b"),
        ("https://news.example/story?id=1", "https://news.example/story?id=2"),
        ("http://news.example/a", "https://news.example/a"),
        ("https://news.example/A", "https://news.example/a"),  # paths are case-sensitive
    ],
)
def test_different_articles_stay_apart(a: str, b: str) -> None:
    assert canonicalize_url(a) != canonicalize_url(b)


@pytest.mark.parametrize("name", ["sid", "src", "from", "ref", "share", "feature", "via", "rss"])
def test_generic_parameters_that_may_name_the_article_are_kept(name: str) -> None:
    # article.pl?sid=24/05/03/1234 and ?sid=24/05/04/5678 are two stories on slashcode sites.
    first = canonicalize_url(f"https://news.example/article.pl?{name}=24/05/03/1234")
    second = canonicalize_url(f"https://news.example/article.pl?{name}=24/05/04/5678")
    assert first != second
    assert name in first


@pytest.mark.parametrize(
    "query", ["utm_source=x", "utm_campaign=y&utm_medium=z", "fbclid=abc", "gclid=1", "mc_cid=2&mc_eid=3"]
)
def test_known_tracking_parameters_are_stripped(query: str) -> None:
    assert canonicalize_url(f"https://news.example/a?id=1&{query}") == "https://news.example/a?id=1"


def test_a_source_extends_the_tracking_list() -> None:
    extra = tracking_set(["ICID", "trk_*"])
    url = "https://news.example/a?id=1&icid=x&trk_from=home&trkx=1"
    assert canonicalize_url(url, extra) == "https://news.example/a?id=1&trkx=1"
    assert "icid" in canonicalize_url(url)


def test_meaningful_query_parameters_are_kept_and_sorted() -> None:
    assert (
        canonicalize_url("http://news.example:80/story.php?b=2&id=7&utm_campaign=x")
        == "http://news.example/story.php?b=2&id=7"
    )


@pytest.mark.parametrize("url", ["ftp://x.example/a", "/relative/path", "mailto:a@b.example", ""])
def test_non_http_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError, match="http"):
        canonicalize_url(url)


@pytest.mark.parametrize("url", ["http://www\x00.news.example/a", "http://a b.news.example/a",
                                 "http://news\x7f.example/a"])
def test_hosts_with_control_characters_or_blanks_are_no_hosts(url: str) -> None:
    with pytest.raises(ValueError, match="http"):
        canonicalize_url(url)
    assert host_of(url) == ""


def test_amp_detection() -> None:
    assert is_amp_url("https://news.example/a/amp")
    assert is_amp_url("https://news.example/a.amp.html")
    assert not is_amp_url("https://news.example/amplifier-story")


def test_same_site() -> None:
    assert same_site("https://www.news.example/a", "https://news.example/b")
    assert not same_site("https://news.example/a", "https://copier.example/a")
    assert same_site("https://cdn.news.example/a", "https://news.example/b", ("news.example",))


@given(
    path=st.lists(st.text(alphabet="abcXYZ019-_.~%", min_size=1, max_size=8), max_size=4),
    query=st.dictionaries(st.sampled_from(["id", "p", "utm_source", "ref", "q"]),
                          st.text(alphabet="ab12 ", max_size=5), max_size=3),
    slash=st.booleans(),
)
def test_canonicalisation_is_idempotent(path: list[str], query: dict[str, str], slash: bool) -> None:
    from urllib.parse import urlencode

    url = "https://News.Example/" + "/".join(path) + ("/" if slash else "")
    if query:
        url += "?" + urlencode(query)
    once = canonicalize_url(url)
    assert canonicalize_url(once) == once


@pytest.mark.parametrize(("host", "valid"), [
    ("news.example", True),
    ("news.example.", True),
    ("127.0.0.1", True),
    ("::1", True),
    ("xn--strae-oqa.de", True),       # IDNA 2008 (straße), which Python's IDNA 2003 codec refuses
    ("bücher.example", True),
    ("_dmarc.news.example", True),
    ("news example", False),
    ("news..example", False),
    ("a" * 64 + ".example", False),
    ("xn--a-ecp.ru", True),
    ("xn--ab\u00e9.example", False),
    ("xn--99999999999999999.example", False),
])
def test_a_dns_host_is_an_ip_address_or_labels_dns_can_be_asked_for(host: str, valid: bool) -> None:
    assert is_dns_host(host) is valid
    if valid:  # what the strict test takes, canonicalisation keeps
        assert canonicalize_url(f"https://[{host}]/" if ":" in host else f"https://{host}/")


def test_an_ipv6_host_keeps_its_brackets() -> None:
    assert canonicalize_url("http://[::1]:8080/a/?utm_source=x") == "http://[::1]:8080/a"
    assert canonicalize_url("https://[2001:DB8::1]/story") == "https://[2001:db8::1]/story"
    assert host_of("https://[2001:db8::1]/story") == "2001:db8::1"
    with pytest.raises(ValueError, match="not an absolute"):
        canonicalize_url("http://[::1]x/a")
