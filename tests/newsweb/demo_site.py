"""``build_demo_site()``: the small web ``newsdedup demo`` serves (3 outlets, 15 articles).

Two stories are syndicated (Kyiv Daily -> MENA Feed, Steppe Wire -> MENA Feed), one
page is broken (MENA Feed's HTTP 403 page carrying a story), and each outlet has its
own chrome. No Crawl-delay, so the demo crawl takes seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from newsdedup.core.records import utcnow
from newsweb import badpages
from newsweb.build import TEST_CRAWL, make_site_catalog, where_linked
from newsweb.content.series import markets_report, weather_report
from newsweb.content.stories_en import STORIES_EN
from newsweb.content.story import Story
from newsweb.content.textgen import slugify
from newsweb.fixture_site import COMMENTS, NOTE_AFTER, article, generated
from newsweb.model import BadPage, Channel, Link
from newsweb.outlet import OutletSite
from newsweb.outlets import (
    KYIV,
    KYIV_PATHS,
    MENAFEED,
    MENAFEED_PATHS,
    STEPPE,
    STEPPE_BARE_HOST,
    STEPPE_PATHS,
)
from newsweb.sections import add_section_pages
from newsweb.site import Site

__all__ = ["build_demo_site"]

S = STORIES_EN
_LISTED: frozenset[Channel] = frozenset({"feed", "listing"})
_MAPPED: frozenset[Channel] = frozenset({"feed", "sitemap", "news_sitemap"})


def build_demo_site(now: datetime | None = None) -> Site:
    """The demo web; dates relative to ``now`` (default: the current time)."""
    moment = (now or utcnow()).replace(microsecond=0)

    def ago(hours: float) -> datetime:
        return moment - timedelta(hours=hours)

    # Kyiv Daily: the original of one syndicated story, a weather report, generated news.
    kyiv_path: Callable[[Story], str] = lambda s: f"/news/{slugify(s.title)}"  # noqa: E731
    weather = weather_report(ago(5), seed=5)
    kyiv_entries = [
        article(KYIV, S["istanbul-agreement"], "/news/ukraine-russia-agree-prisoner-swap-istanbul",
                ago(30), _LISTED, role="original", comments=COMMENTS,
                caption="Soldiers freed in an earlier exchange arrive at a hospital."),
        article(KYIV, S["postponed-dispute"], "/news/kyiv-denies-russia-postponed-exchange", ago(6), _LISTED),
        article(KYIV, S["red-cross-access"], "/news/red-cross-visited-fraction-of-prisoners", ago(50), _LISTED,
                podcast=("Ukraine Unfiltered: the prisoners nobody counts", "24:55")),
        article(KYIV, weather, kyiv_path(weather), ago(5), _LISTED, series="kyiv-weather"),
        generated(KYIV, 11, 9, ago, set(_LISTED), kyiv_path),
        generated(KYIV, 12, 20, ago, set(_LISTED), kyiv_path),
    ]
    kyiv = OutletSite(KYIV, make_site_catalog(kyiv_entries), KYIV_PATHS)
    add_section_pages(kyiv)

    # Steppe Wire: the original of the other syndicated story.
    counter = iter(range(700001, 700100))
    steppe_path: Callable[[Story], str] = lambda s: f"/news/{next(counter)}-{slugify(s.title)}"  # noqa: E731
    lead = {"lead": True}
    steppe_entries = [
        article(STEPPE, S["second-group"], "/news/618301-moscow-kyiv-complete-second-stage-of-swap",
                ago(28), _MAPPED, role="original", compose_args=lead,
                podcast=("Going Underground: inside the swap", "24:55")),
        article(STEPPE, S["negotiator-claims"], "/news/618210-voronin-says-kyiv-refusing-1000-prisoners",
                ago(40), _MAPPED, compose_args=lead),
        article(STEPPE, S["remains-returned"], "/news/618355-remains-of-1212-soldiers-returned",
                ago(26), _MAPPED, compose_args=lead),
        generated(STEPPE, 21, 3, ago, set(_MAPPED), steppe_path),
        generated(STEPPE, 22, 15, ago, set(_MAPPED), steppe_path),
    ]
    steppe = OutletSite(STEPPE, make_site_catalog(steppe_entries), STEPPE_PATHS)

    # MENA Feed: two syndicated copies, a markets wrap, one broken page.
    counter_m = iter(range(1109500001, 1109500099))
    mena_path: Callable[[Story], str] = lambda s: f"/{next(counter_m)}/{slugify(s.title)}"  # noqa: E731
    markets = markets_report(ago(4), seed=4)
    mena_entries = [
        article(MENAFEED, S["istanbul-agreement"], "/1109500101/ukraine-russia-agree-to-swap-1000-prisoners",
                ago(27), _LISTED, role="copy", compose_args={"after": (NOTE_AFTER,)}),
        article(MENAFEED, S["second-group"], "/1109500102/moscow-and-kyiv-complete-second-stage-of-swap",
                ago(20), _LISTED, role="copy", compose_args={"prefix": "(MENAFEED) ", "drop_last": 2}),
        article(MENAFEED, markets, mena_path(markets), ago(4), _LISTED, series="gulf-markets"),
        generated(MENAFEED, 31, 12, ago, set(_LISTED), mena_path),
    ]
    negotiator = S["negotiator-claims"]
    broken_entry = article(MENAFEED, negotiator, "/1109500120/moscow-negotiator-says-kyiv-refusing-prisoners",
                           ago(38), set(), compose_args={"prefix": "(MENAFEED) "})
    broken = Link(broken_entry.first.url, negotiator.title, ago(38))
    mena = OutletSite(MENAFEED, make_site_catalog(mena_entries, extra={"listing": [broken], "feed": [broken]}),
                      MENAFEED_PATHS)
    mena.routes[broken_entry.path] = badpages.error_with_article(mena, broken_entry, 403)
    bad = [BadPage(url=broken.url, kind="error_403_with_article", expected="http_error",
                   outlet=MENAFEED.key, status=403, linked_from=where_linked(mena, broken.url),
                   note="HTTP 403 error page that still carries a story")]
    return Site(name="demo", now=moment, outlets=[kyiv, steppe, mena], bad_pages=bad,
                host_redirects={STEPPE_BARE_HOST: STEPPE.host}, crawl_defaults=TEST_CRAWL)
