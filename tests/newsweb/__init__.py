"""The fixture news web: fictional outlets on ``.test`` hosts, served through a local proxy.

Tests, ``newsdedup demo`` and the benchmarks crawl it instead of the internet::

    site = build_test_site()
    with NewsWeb(site) as web:
        env = {"http_proxy": web.proxy_url}       # every .test host goes through it
        config = site.config_mapping("sqlite:///x.db")
        ...
        assert not web.requests_to(site.disallowed_urls[0])

``Site`` carries the ground truth (articles, bad pages, URL variants, syndication groups)
so tests assert against it instead of hard-coding pages.
"""

from __future__ import annotations

from newsweb.bench_site import MIN_BENCH_ARTICLES, build_bench_site
from newsweb.demo_site import build_demo_site
from newsweb.fixture_site import OVERSIZE_BYTES, build_test_site
from newsweb.model import (
    CHANNELS,
    EXPECTED_OUTCOMES,
    ArticleTruth,
    BadPage,
    Outlet,
    UrlVariant,
)
from newsweb.server import NewsWeb, RequestRecord
from newsweb.site import Site

__all__ = [
    "CHANNELS",
    "EXPECTED_OUTCOMES",
    "MIN_BENCH_ARTICLES",
    "OVERSIZE_BYTES",
    "ArticleTruth",
    "BadPage",
    "NewsWeb",
    "Outlet",
    "RequestRecord",
    "Site",
    "UrlVariant",
    "build_bench_site",
    "build_demo_site",
    "build_test_site",
]
