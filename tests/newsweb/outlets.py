"""The four fictional outlets: hosts, templates, discovery paths and recurring text."""

from __future__ import annotations

from newsweb.model import Outlet
from newsweb.outlet import Discovery

__all__ = ["DNIPRO", "KYIV", "MENAFEED", "OUTLETS", "STEPPE", "STEPPE_BARE_HOST"]

KYIV_PATHS = Discovery(rss="/feed/rss.xml", listing="/news", listing_heading="News", page_size=5)
KYIV = KYIV_PATHS.apply(Outlet(
    key="kyiv-daily",
    name="Kyiv Daily",
    host="kyiv-daily.test",
    language="en",
    template="kyiv",
    metadata="json-ld-body",
    article_url_pattern=r"(?i)kyiv-daily\.test(:80)?/news/[a-z0-9-]+/?$",
    template_paragraphs=(
        "More than 20,000 readers support Kyiv Daily's independent reporting every month. "
        "Become one of them today.",
    ),
    disallow=("/news/draft-", "/search"),
))

STEPPE_PATHS = Discovery(atom="/feeds/all.atom", sitemap_index="/sitemap.xml",
                         news_sitemap="/sitemaps/news.xml")
#: The bare host answers every request with a 301 to the www host.
STEPPE_BARE_HOST = "steppe-wire.test"
STEPPE = STEPPE_PATHS.apply(Outlet(
    key="steppe-wire",
    name="Steppe Wire",
    host="www.steppe-wire.test",
    language="en",
    template="steppe",
    metadata="meta",
    article_url_pattern=r"(?i)steppe-wire\.test(:80)?/news/\d+-[a-z0-9-]+/?$",
    template_paragraphs=(
        "Dear readers! We have moved to a new comment system. To join the discussion you now "
        "need to sign in. If something does not work, write to us, and please read our "
        "discussion rules first.",
    ),
    disallow=("/private/", "/search"),
))

MENAFEED_PATHS = Discovery(rss="/rss/latest.xml", listing="/latest",
                           listing_heading="Latest News", page_size=6)
MENAFEED = MENAFEED_PATHS.apply(Outlet(
    key="menafeed",
    name="MENA Feed",
    host="menafeed.test",
    language="en",
    template="menafeed",
    metadata="json-ld",
    article_url_pattern=r"(?i)menafeed\.test(:80)?/\d{6,}/",
    disallow=("/search", "/Account/"),
))

DNIPRO_PATHS = Discovery(sitemap="/sitemap.xml", listing="/novyny", listing_heading="Новини",
                         page_size=3)
DNIPRO = DNIPRO_PATHS.apply(Outlet(
    key="dnipro-pravda",
    name="Дніпровська правда",
    host="dnipro-pravda.test",
    language="uk",
    template="dnipro",
    metadata="visible",
    article_url_pattern=r"(?i)dnipro-pravda\.test(:80)?/novyny/\d{4}/\d{2}/[a-z0-9-]+\.html$",
    template_paragraphs=(
        "Підписуйтеся на «Дніпровську правду» в Telegram, щоб першими дізнаватися головні "
        "новини регіону.",
    ),
    disallow=("/admin/", "/poshuk"),
))

#: Each outlet with its discovery paths, by key.
OUTLETS: dict[str, tuple[Outlet, Discovery]] = {
    KYIV.key: (KYIV, KYIV_PATHS),
    STEPPE.key: (STEPPE, STEPPE_PATHS),
    MENAFEED.key: (MENAFEED, MENAFEED_PATHS),
    DNIPRO.key: (DNIPRO, DNIPRO_PATHS),
}
