"""``build_test_site()``: the fixture web the test suites crawl, with every hard case in it.

Four outlets (Kyiv Daily, Steppe Wire, MENA Feed, Дніпровська правда), about fifty
articles, syndicated copies, an updatable story, template paragraphs, a repeated block,
recurring templated stories, old feed entries, every bad page of issue 2 and URL
variants. ``Site.bad_pages`` and ``Site.url_variants`` say what a crawl must make of each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from newsdedup.core.records import utcnow
from newsweb import badpages
from newsweb.build import TEST_CRAWL, compose, make_site_catalog, truth, where_linked
from newsweb.content.series import markets_report, weather_report
from newsweb.content.stories_en import STORIES_EN
from newsweb.content.stories_uk import STORIES_UK
from newsweb.content.story import Story
from newsweb.content.textgen import generate_story, slugify
from newsweb.model import BadPage, Channel, Entry, Expected, Link, Outlet, UrlVariant
from newsweb.outlet import OutletSite
from newsweb.outlets import (
    DNIPRO,
    DNIPRO_PATHS,
    KYIV,
    KYIV_PATHS,
    MENAFEED,
    MENAFEED_PATHS,
    STEPPE,
    STEPPE_BARE_HOST,
    STEPPE_PATHS,
)
from newsweb.sections import add_section_pages, add_topic_page, topic_link
from newsweb.site import Site
from newsweb.templates.dnipro import KYIV_OFFSET

__all__ = ["OVERSIZE_BYTES", "REPLACEMENT_SEED", "build_test_site"]

#: Size of the oversized pages: over the default 5 MB cap.
OVERSIZE_BYTES = 6_000_000

S = STORIES_EN
U = STORIES_UK
COMMENTS = (
    ("Mykhailo K.", "Every name on those lists is someone's son. Thank you for covering this."),
    ("anna_from_lviv", "Why does it take weeks to agree on a list? This is inhuman."),
    ("Observer", "Good reporting, but the headline oversells what was actually agreed."),
)
BIO = ("Daria Hnatiuk is a reporter covering human rights and prisoners of war. "
       "She previously worked for a regional newspaper in Chernihiv.")
NOTE_BEFORE = ("Editor's note: This story was first published by Steppe Wire and is "
               "republished under a content-sharing agreement.")
NOTE_AFTER = ("This article was originally published by Kyiv Daily and is republished "
              "with permission.")
EVERYWHERE: frozenset[Channel] = frozenset({"feed", "listing"})

Ago = Callable[[float], datetime]
Built = tuple[OutletSite, list[BadPage], list[UrlVariant]]


def article(outlet: Outlet, story: Story, path: str, published: datetime,
            channels: frozenset[Channel] | set[Channel], *, role: str = "unique",
            series: str | None = None, title: str | None = None, clean: tuple[str, ...] | None = None,
            compose_args: dict[str, Any] | None = None, **entry: Any) -> Entry:
    """An entry with one revision: ``story`` as ``outlet`` prints it at ``path``."""
    composed = compose(outlet, story, **(compose_args or {}))
    first = truth(outlet, story, path, published, composed, channels=channels, role=role,
                  story_key=story.key, series=series, title=title, clean=clean)
    return Entry((first,), path=path, **entry)


def bad_page(site: OutletSite, where: str, kind: str, expected: Expected, status: int | None,
             note: str, article_url: str | None = None) -> BadPage:
    url = where if where.startswith("http") else site.outlet.base_url + where
    return BadPage(url=url, kind=kind, expected=expected, outlet=site.outlet.key, status=status,
                   linked_from=where_linked(site, url), note=note, article_url=article_url)


def variant(site: OutletSite, url: str, canonical: str, kind: str) -> UrlVariant:
    return UrlVariant(url=url, canonical_url=canonical, kind=kind,
                      linked_from=where_linked(site, url))


def generated(outlet: Outlet, seed: int, hours: float, ago: Ago, channels: set[Channel],
              path_for: Callable[[Story], str], **entry: Any) -> Entry:
    story = generate_story(seed)
    return article(outlet, story, path_for(story), ago(hours), channels, **entry)


#: The story of :func:`revised_later`'s third revision: another story under the same URL.
REPLACEMENT_SEED = 170


def revised_later(outlet: Outlet, seed: int, hours: float, ago: Ago, channels: set[Channel],
                  path_for: Callable[[Story], str], **entry: Any) -> Entry:
    """A generated article with a second revision (served after ``Site.update_article``):
    one paragraph extended, one added, ``modified_at`` an hour after publication; and a
    third (after a second ``update_article``): a different story under the same URL, as
    when an outlet reuses a URL, an identity that must not become a revision."""
    story = generate_story(seed)
    path = path_for(story)
    paragraphs = list(story.paragraphs)
    paragraphs[1] += " The figures were corrected later in the day."
    paragraphs.append("Officials confirmed the details in a statement that evening, adding "
                      "that a further round of talks was under discussion.")
    first = truth(outlet, story, path, ago(hours), compose(outlet, story), channels=channels)
    second = truth(outlet, story, path, ago(hours), compose(outlet, story, paragraphs=paragraphs),
                   channels=channels, modified_at=ago(hours - 1), revision=1)
    other = generate_story(REPLACEMENT_SEED)
    third = truth(outlet, other, path, ago(hours - 2), compose(outlet, other), channels=channels,
                  modified_at=ago(hours - 2), revision=2)
    return Entry((first, second, third), path=path, **entry)


# A topic hub at an article-shaped URL, its teasers whole paragraphs: fetched by the
# crawler like an article, it must be rejected by the extractor (issue 9).
KYIV_TOPIC = "/news/prisoner-exchanges-everything-we-know-so-far"
KYIV_TOPIC_HEADING = "Prisoner exchanges: everything we know so far"


def _kyiv(ago: Ago) -> Built:
    o, base = KYIV, KYIV.base_url
    istanbul = article(o, S["istanbul-agreement"], "/news/ukraine-russia-agree-prisoner-swap-istanbul",
                       ago(30), EVERYWHERE, role="original", has_amp=True, author_bio=BIO,
                       caption="Soldiers freed in an earlier exchange arrive at a hospital in the Chernihiv region.",
                       comments=COMMENTS)
    story = S["postponed-dispute"]
    path = "/news/kyiv-denies-russia-postponed-exchange"
    assert story.revised is not None
    postponed = Entry((
        truth(o, story, path, ago(6), compose(o, story), channels=EVERYWHERE),
        truth(o, story, path, ago(6), compose(o, story, paragraphs=story.revised),
              channels=EVERYWHERE, modified_at=ago(1), revision=1),
    ), path=path, comments=COMMENTS[:1])
    red_cross = article(o, S["red-cross-access"], "/news/red-cross-visited-fraction-of-prisoners",
                        ago(50), EVERYWHERE, comments=COMMENTS,
                        podcast=("Ukraine Unfiltered: the prisoners nobody counts", "24:55"))
    remains = article(o, S["remains-returned"], "/news/remains-of-1212-soldiers-returned", ago(20),
                      EVERYWHERE, role="copy")
    children = article(o, S["children-returned"], "/news/eleven-children-reunited-with-families",
                       ago(72), {"listing"}, linkable=False)
    draft = article(o, S["draft-ceasefire-text"], "/news/draft-ceasefire-48-hour-pause", ago(10),
                    {"listing"})
    weather = []
    for hours in (3, 27, 51):
        day = ago(hours)
        forecast = weather_report(day, seed=hours)
        weather.append(article(o, forecast, f"/news/kyiv-weather-{day:%B}-{day.day}".lower(), day,
                               EVERYWHERE, series="kyiv-weather"))
    news_path: Callable[[Story], str] = lambda s: f"/news/{slugify(s.title)}"  # noqa: E731
    others = [
        generated(o, 101, 4, ago, set(EVERYWHERE), news_path, caption="A tram in the city centre, file photo."),
        revised_later(o, 102, 14, ago, set(EVERYWHERE), news_path),
        generated(o, 103, 40, ago, set(EVERYWHERE), news_path, comments=COMMENTS[1:]),
        generated(o, 104, 64, ago, set(EVERYWHERE), news_path),
        generated(o, 105, 40 * 24, ago, {"feed"}, news_path),
        generated(o, 106, 95 * 24, ago, {"feed"}, news_path),
    ]
    chain = ("/news/children-return", "/news/children-return-2", "/news/children-return-3")
    bad_links = [
        Link(f"{base}/news/grain-corridor-talks-resume-in-ankara", "Grain corridor talks resume in Ankara", ago(45)),
        Link(f"{base}/news/mobilisation-law-explained", "Mobilisation law: what changes this month", ago(33)),
        Link(base + chain[0], children.first.title, ago(72)),
        Link(f"{base}/news/loop-sanctions-a", "EU agrees new sanctions package", ago(55)),
    ]
    spellings = {
        "fbclid": (istanbul, istanbul.first.url + "?fbclid=IwAR2fXq9Zk3bLhT0QmPj7"),
        "fragment": (red_cross, red_cross.first.url + "#comments"),
        "upper_case_host": (postponed, postponed.first.url.replace("kyiv-daily.test", "KYIV-DAILY.TEST")),
        "trailing_slash": (remains, remains.first.url + "/"),
    }
    offsite = [
        Link("http://www.steppe-wire.test/news/618301-moscow-kyiv-complete-second-stage-of-swap",
             "From our partners: second stage of the swap completed", ago(28)),
        Link("http://partner-wire.test/world/2025/ceasefire-monitoring-mission",
             "Partner Wire: who would monitor a ceasefire?", ago(30)),
    ]
    sidebar = [Link(url, entry.first.title) for entry, url in spellings.values()] + offsite
    utm_url = weather[0].first.url + "?utm_source=rss&utm_medium=feed&utm_campaign=daily"
    amp_url = istanbul.first.url + "/amp"
    entries = [istanbul, postponed, red_cross, remains, children, draft, *weather, *others]
    catalog = make_site_catalog(
        entries, extra={"listing": [*bad_links, topic_link(base, KYIV_TOPIC, KYIV_TOPIC_HEADING, ago(2))]},
        sidebar=sidebar,
        spelled={"feed": {weather[0].first.url: utm_url, istanbul.first.url: amp_url}})
    site = OutletSite(o, catalog, KYIV_PATHS)
    add_section_pages(site)
    add_topic_page(site, KYIV_TOPIC, KYIV_TOPIC_HEADING, [istanbul, postponed, red_cross, remains, children])
    site.routes.update({
        "/news/mobilisation-law-explained": badpages.soft_404(site),
        chain[0]: badpages.redirect_to(base + chain[1], 301),
        chain[1]: badpages.redirect_to(base + chain[2], 302),
        chain[2]: badpages.redirect_to(children.first.url, 301),
        "/news/loop-sanctions-a": badpages.redirect_to(f"{base}/news/loop-sanctions-b", 302),
        "/news/loop-sanctions-b": badpages.redirect_to(f"{base}/news/loop-sanctions-a", 302),
    })
    bad = [
        bad_page(site, "/news/grain-corridor-talks-resume-in-ankara", "not_found", "http_error", 404,
                 "a removed story: HTTP 404 in the outlet's template"),
        bad_page(site, "/news/mobilisation-law-explained", "soft_404", "soft_404", 200,
                 "HTTP 200 with the outlet's 'Page not found' page"),
        bad_page(site, chain[0], "redirect_chain", "article", 301,
                 "301 -> 302 -> 301 (three hops) to an article linked nowhere else",
                 article_url=children.first.url),
        bad_page(site, "/news/loop-sanctions-a", "redirect_loop", "redirect_loop", 302,
                 "/news/loop-sanctions-a and -b redirect to each other for ever"),
        bad_page(site, draft.first.url, "robots_disallowed", "robots_disallowed", 200,
                 "a real article under 'Disallow: /news/draft-': must never be requested",
                 article_url=draft.first.url),
        bad_page(site, offsite[0].url, "offsite", "offsite", 200,
                 "another outlet's article linked from Kyiv Daily: the kyiv-daily source must not fetch it"),
        bad_page(site, offsite[1].url, "offsite_unknown_host", "offsite", 502,
                 "a host the web does not serve (the proxy answers 502 if it is ever requested)"),
    ]
    variants = [variant(site, url, entry.first.url, kind) for kind, (entry, url) in spellings.items()]
    variants.append(variant(site, utm_url, weather[0].first.url, "utm"))
    variants.append(variant(site, amp_url, istanbul.first.url, "amp"))
    return site, bad, variants


def _steppe(ago: Ago, flaky_failures: int) -> Built:
    o, base = STEPPE, STEPPE.base_url
    news: set[Channel] = {"feed", "sitemap", "news_sitemap"}
    dated: set[Channel] = {"feed", "sitemap"}
    lead = {"lead": True}
    second = article(o, S["second-group"], "/news/618301-moscow-kyiv-complete-second-stage-of-swap",
                     ago(28), news, role="original", compose_args=lead, comments=COMMENTS[:2],
                     caption="Freed servicemen board a bus near the border.",
                     podcast=("Going Underground: inside the swap", "24:55"))
    remains = article(o, S["remains-returned"], "/news/618355-remains-of-1212-soldiers-returned",
                      ago(26), news, role="original", compose_args=lead)
    negotiator = article(o, S["negotiator-claims"], "/news/618210-voronin-says-kyiv-refusing-1000-prisoners",
                         ago(60), dated, role="original", compose_args=lead)
    counter = iter(range(618401, 618500))
    path: Callable[[Story], str] = lambda s: f"/news/{next(counter)}-{slugify(s.title)}"  # noqa: E731
    flaky = generated(o, 201, 12, ago, news, path, fail_first=flaky_failures)
    others = [
        generated(o, 202, 8, ago, news, path, comments=COMMENTS[2:]),
        generated(o, 203, 18, ago, news, path, podcast=("Crosstalk: the week", "31:02")),
        generated(o, 204, 100, ago, dated, path),
        generated(o, 205, 45 * 24, ago, {"sitemap"}, path),
        generated(o, 206, 60 * 24, ago, {"sitemap"}, path),
    ]
    huge = Link(f"{base}/news/618420-full-transcript-of-the-istanbul-press-conference",
                "Full transcript of the Istanbul press conference", ago(20))
    stream = Link(f"{base}/news/618421-live-all-the-updates-from-the-border",
                  "LIVE: all the updates from the border", ago(5))
    slash_url = negotiator.first.url + "/"
    bare_url = remains.first.url.replace("www.steppe-wire.test", STEPPE_BARE_HOST)
    upper_url = second.first.url.replace("www.steppe-wire.test", "WWW.Steppe-Wire.TEST")
    catalog = make_site_catalog(
        [second, remains, negotiator, flaky, *others],
        extra={"sitemap": [huge], "news_sitemap": [stream]},
        spelled={"feed": {negotiator.first.url: slash_url, remains.first.url: bare_url},
                 "sitemap": {second.first.url: upper_url}})
    site = OutletSite(o, catalog, STEPPE_PATHS)
    add_section_pages(site, tag_base="/tags/", author_base=None)
    site.routes.update({
        "/news/618420-full-transcript-of-the-istanbul-press-conference":
            badpages.huge_page(huge.title, OVERSIZE_BYTES, chunked=False),
        "/news/618421-live-all-the-updates-from-the-border":
            badpages.huge_page(stream.title, OVERSIZE_BYTES, chunked=True),
    })
    bad = [
        bad_page(site, flaky.first.url, "flaky_500", "article", 500,
                 f"HTTP 500 for the first {flaky_failures} request(s), then the article "
                 "(count resets with Site.reset())", article_url=flaky.first.url),
        bad_page(site, huge.url, "too_large", "too_large", 200,
                 f"{OVERSIZE_BYTES:,} bytes of HTML with an honest Content-Length"),
        bad_page(site, stream.url, "too_large_chunked", "too_large", 200,
                 f"{OVERSIZE_BYTES:,} bytes streamed chunked, no Content-Length"),
    ]
    variants = [
        variant(site, slash_url, negotiator.first.url, "trailing_slash"),
        variant(site, bare_url, remains.first.url, "bare_host_redirect"),
        variant(site, upper_url, second.first.url, "upper_case_host"),
    ]
    return site, bad, variants


def _repeated_block(paragraphs: tuple[str, ...]) -> tuple[str, ...]:
    """The paragraphs, then paragraphs 2..n again with a copy of the 4th cut mid-word
    (how seed 000 came out of the old scraper)."""
    clipped = paragraphs[3][: int(len(paragraphs[3]) * 0.6)].rstrip()
    return (*paragraphs, paragraphs[1], paragraphs[2], clipped, *paragraphs[4:])


def _menafeed(ago: Ago) -> Built:
    o, base = MENAFEED, MENAFEED.base_url
    prefix = {"prefix": "(MENAFEED) "}
    copies = [
        article(o, S["second-group"], "/1109001001/moscow-and-kyiv-complete-second-stage-of-prisoner-swap",
                ago(20), EVERYWHERE, role="copy", compose_args={**prefix, "drop_last": 2}),
        article(o, S["remains-returned"], "/1109001002/remains-of-1212-soldiers-returned-to-ukraine",
                ago(22), EVERYWHERE, role="copy", compose_args={"before": (NOTE_BEFORE,)}),
        article(o, S["istanbul-agreement"], "/1109001003/ukraine-and-russia-agree-to-swap-1000-prisoners-each",
                ago(27), EVERYWHERE, role="copy", compose_args={"after": (NOTE_AFTER,)},
                title="Ukraine, Russia agree to swap 1,000 prisoners each after Istanbul talks"),
    ]
    petition = S["families-petition"]
    repeated = article(o, petition, "/1109001004/captured-soldiers-families-petition-for-inclusion",
                       ago(15), EVERYWHERE, compose_args={"paragraphs": _repeated_block(petition.paragraphs)},
                       clean=petition.paragraphs)
    markets = []
    for number, hours in ((10, 5), (11, 29), (12, 53)):
        day = ago(hours)
        report = markets_report(day, seed=hours)
        markets.append(article(o, report, f"/11090010{number}/gulf-markets-close-mixed-{day:%Y-%m-%d}",
                               day, EVERYWHERE, series="gulf-markets"))
    counter = iter(range(1109001030, 1109001099))
    path: Callable[[Story], str] = lambda s: f"/{next(counter)}/{slugify(s.title)}"  # noqa: E731
    others = [
        generated(o, 301, 3, ago, set(EVERYWHERE), path),
        generated(o, 302, 33, ago, set(EVERYWHERE), path),
        generated(o, 303, 80, ago, set(EVERYWHERE), path),
        generated(o, 304, 35 * 24, ago, {"feed"}, path),
    ]
    negotiator = S["negotiator-claims"]
    error_entry = article(o, negotiator, "/1109001020/moscow-negotiator-says-kyiv-refusing-1000-prisoners",
                          ago(58), set(), compose_args={**prefix, "paragraphs": _repeated_block(negotiator.paragraphs)})
    refused = Link(error_entry.first.url, negotiator.title, ago(58))
    stalled = Link(f"{base}/1109001021/opec-output-decision-live-updates", "OPEC+ output decision: live updates", ago(2))
    pdf_link = Link(f"{base}/1109001022/gulf-economic-outlook-2025.pdf", "Gulf Economic Outlook 2025 (PDF)", ago(40))
    port_url = repeated.first.url.replace("menafeed.test", "menafeed.test:80")
    catalog = make_site_catalog(
        [*copies, repeated, *markets, *others],
        extra={"listing": [refused, stalled, pdf_link], "feed": [refused]},
        sidebar=[Link(port_url, repeated.first.title)])
    site = OutletSite(o, catalog, MENAFEED_PATHS)
    site.routes.update({
        "/1109001020/moscow-negotiator-says-kyiv-refusing-1000-prisoners":
            badpages.error_with_article(site, error_entry, 403),
        "/1109001021/opec-output-decision-live-updates": badpages.stall(),
        "/1109001022/gulf-economic-outlook-2025.pdf": badpages.pdf("Gulf Economic Outlook 2025"),
    })
    bad = [
        bad_page(site, refused.url, "error_403_with_article", "http_error", 403,
                 "HTTP 403: an error banner ('Sorry!! Error! ...') around a full story with a "
                 "repeated block (seed 000); never an article"),
        bad_page(site, stalled.url, "stall", "timeout", None,
                 "never answers: held until NewsWeb.stop(); a crawl must time out"),
        bad_page(site, pdf_link.url, "pdf", "not_html", 200, "application/pdf behind an article-like link"),
    ]
    variants = [variant(site, port_url, repeated.first.url, "default_port")]
    return site, bad, variants


def _dnipro(ago: Ago) -> Built:
    o = DNIPRO
    listed: set[Channel] = {"listing", "sitemap"}

    def path(slug: str, hours: float) -> str:
        local = ago(hours) + KYIV_OFFSET
        return f"/novyny/{local:%Y/%m}/{slug}.html"

    entries = [
        article(o, U["uk-84-returned"], path("dodomu-povernulysia-shche-84-zakhysnyky", 9), ago(9), listed,
                caption="Звільнені захисники після повернення."),
        article(o, U["uk-families-meeting"], path("rodyny-znyklykh-bezvisty-zustrilysia-zi-shtabom", 30),
                ago(30), listed, comments=(("Оксана", "Дякуємо, що пишете про це."),)),
        article(o, U["uk-rehab-centre"], path("u-dnipri-vidkryly-tsentr-reabilitatsii", 40), ago(40), listed,
                encoding="windows-1251"),
        article(o, U["uk-hospital-fundraiser"], path("volontery-zibraly-koshty-na-obladnannia", 70), ago(70),
                listed),
    ]
    soft = Link(o.base_url + path("zustrich-z-ombudsmanom", 20), "Зустріч з омбудсманом перенесли", ago(20))
    topic_path = path("viina-i-polon-usi-materialy-na-temu", 1)
    topic = topic_link(o.base_url, topic_path, "Війна і полон: усі матеріали на тему", ago(1))
    catalog = make_site_catalog(entries, extra={"listing": [soft, topic]})
    site = OutletSite(o, catalog, DNIPRO_PATHS)
    add_topic_page(site, topic_path, topic.title, entries)
    site.routes[path("zustrich-z-ombudsmanom", 20)] = badpages.soft_404(site)
    bad = [
        bad_page(site, soft.url, "soft_404_uk", "soft_404", 200,
                 "HTTP 200 with 'Сторінку не знайдено' in the outlet's template (Ukrainian)"),
        bad_page(site, entries[2].first.url, "windows_1251", "article", 200,
                 "Ukrainian article encoded in windows-1251, declared only by <meta http-equiv>; "
                 "Content-Type has no charset", article_url=entries[2].first.url),
    ]
    return site, bad, []


def build_test_site(now: datetime | None = None, *, crawl_delay: float | None = 1,
                    flaky_failures: int = 1) -> Site:
    """The fixture web of the test suites. Dates are relative to ``now`` (default: the
    current time, to the second). ``crawl_delay`` is the Crawl-delay in Dnipro Pravda's
    robots.txt (None: no Crawl-delay line); ``flaky_failures`` is how many 500s the flaky
    page gives before it works."""
    moment = (now or utcnow()).replace(microsecond=0)

    def ago(hours: float) -> datetime:
        return moment - timedelta(hours=hours)

    built = [_kyiv(ago), _steppe(ago, flaky_failures), _menafeed(ago), _dnipro(ago)]
    sites = []
    bad: list[BadPage] = []
    variants: list[UrlVariant] = []
    for site, pages, spellings in built:
        if site.outlet.key == DNIPRO.key:
            site.outlet = replace(site.outlet, crawl_delay=crawl_delay)
        sites.append(site)
        bad.extend(pages)
        variants.extend(spellings)
    return Site(name="test", now=moment, outlets=sites, bad_pages=bad, url_variants=variants,
                host_redirects={STEPPE_BARE_HOST: STEPPE.host}, crawl_defaults=TEST_CRAWL)
