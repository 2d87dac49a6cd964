"""The demo and bench webs, and the text generators behind all webs."""

from __future__ import annotations

import gzip
import itertools
import re
import tracemalloc
from datetime import timedelta

import lxml.etree
import pytest
from newsweb_client import fetch_through

from newsweb import NewsWeb, build_bench_site, build_demo_site
from newsweb.content.series import markets_report, weather_report
from newsweb.content.textgen import TOPICS, generate_story

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _shingles(paragraphs: tuple[str, ...], size: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", " ".join(paragraphs).lower())
    return {tuple(words[i:i + size]) for i in range(len(words) - size + 1)}


def _jaccard(a: set[tuple[str, ...]], b: set[tuple[str, ...]]) -> float:
    return len(a & b) / len(a | b)


def test_demo_site_is_small_with_two_syndicated_stories_and_one_broken_page() -> None:
    site = build_demo_site()
    assert len(site.outlets) == 3
    assert len(site.articles) == 15
    assert set(site.syndication_groups) == {"istanbul-agreement", "second-group"}
    (broken,) = site.bad_pages.values()
    assert broken.status == 403 and broken.expected == "http_error"
    assert len(site.expected_articles()) == 15
    with NewsWeb(site) as web:
        assert fetch_through(web, broken.url).status == 403
        for outlet in site.outlets.values():
            assert "Crawl-delay" not in fetch_through(web, f"{outlet.base_url}/robots.txt").text()
        for article in site.articles:
            assert fetch_through(web, article.url).status == 200
        assert not web.errors


def test_bench_site_needs_two_thousand_articles() -> None:
    with pytest.raises(ValueError, match="at least 2000"):
        build_bench_site(1999)


def test_bench_site_of_twenty_thousand_articles_costs_little_memory() -> None:
    tracemalloc.start()
    try:
        site = build_bench_site(20_000, seed=3)
        sample = [site.articles[i] for i in range(0, 20_000, 997)]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(site.articles) == 20_000
    assert peak < 8_000_000, f"building and sampling took {peak:,} bytes"
    assert all(site.now - a.published_at < timedelta(days=30) for a in sample)


def test_bench_site_is_deterministic() -> None:
    first, again, other = build_bench_site(2000, 5), build_bench_site(2000, 5), build_bench_site(2000, 6)
    assert [a.title for a in first.articles[:50]] == [a.title for a in again.articles[:50]]
    assert [a.title for a in first.articles[:50]] != [a.title for a in other.articles[:50]]


def test_bench_sitemaps_list_every_article_once_and_pages_serve() -> None:
    site = build_bench_site(2000, seed=2)
    listed: list[str] = []
    with NewsWeb(site) as web:
        for outlet in site.outlets.values():
            (index_url,) = outlet.sitemaps
            index = lxml.etree.fromstring(fetch_through(web, index_url).body)
            for loc in index.iter(f"{SITEMAP}loc"):
                body = fetch_through(web, loc.text or "").body
                if (loc.text or "").endswith(".gz"):
                    urlset = lxml.etree.fromstring(gzip.decompress(body))
                    listed += [u.text or "" for u in urlset.iter(f"{SITEMAP}loc")]
        assert sorted(listed) == sorted(a.url for a in site.articles)
        for article in site.articles[::211]:
            response = fetch_through(web, article.url)
            assert response.status == 200
            assert article.body[0].replace("'", "&#x27;").replace('"', "&quot;") in response.text()
        assert not web.errors


def test_bench_copies_share_their_story_with_another_outlet() -> None:
    site = build_bench_site(2000, seed=4)
    groups = site.syndication_groups
    assert len(groups) == 200
    for urls in itertools.islice(groups.values(), 20):
        copy, original = (site.article(url) for url in urls)
        if copy.role == "original":
            copy, original = original, copy
        assert copy.outlet != original.outlet
        assert copy.role == "copy" and copy.published_at > original.published_at
        assert copy.clean[0] == original.clean[0]


def test_generated_stories_are_deterministic_and_unrelated_to_each_other() -> None:
    assert generate_story(42) == generate_story(42)
    stories = [generate_story(seed) for seed in range(120)]
    shingles = [_shingles(story.paragraphs) for story in stories]
    worst = max(_jaccard(a, b) for a, b in itertools.combinations(shingles, 2))
    assert worst < 0.3, f"two unrelated generated stories overlap at Jaccard {worst:.2f}"
    for story in stories:
        assert len(story.paragraphs) == len(set(story.paragraphs)) >= 5


@pytest.mark.parametrize("topic", sorted(TOPICS))
def test_every_topic_generates_without_unknown_slots(topic: str) -> None:
    for seed in range(40):
        story = generate_story(seed, topic=topic)
        assert "{" not in " ".join(story.paragraphs) + story.title
        head = generate_story(seed, topic=topic, head_only=True)
        assert (head.title, head.paragraphs[0], head.authors) == (
            story.title, story.paragraphs[0], story.authors)


@pytest.mark.parametrize("report", [markets_report, weather_report])
def test_series_days_share_their_template_but_not_their_numbers(report: object) -> None:
    site = build_demo_site()
    days = [report(site.now - timedelta(days=n), seed=n) for n in range(3)]  # type: ignore[operator]
    assert len({day.paragraphs for day in days}) == 3
    first, second = (_shingles(day.paragraphs, 3) for day in days[:2])
    assert _jaccard(first, second) > 0.3
