"""What a page declares itself to be, when that is no article: a product on sale, a forum
thread, a page of a documentation site.

A shop's product page marks its product up for search engines (a schema.org ``Product``
with its ``offers``, in JSON-LD or microdata, or ``og:type`` ``product``); a forum marks
its thread up as a ``DiscussionForumPosting`` or a ``QAPage``. A page that declares an
article (any schema.org article type, in JSON-LD or microdata) is never judged here: a
story about a product may carry the product's markup too, and so may a review (a
``Review`` of an ``itemReviewed``). On the tuning part of the dev sets
(docs/benchmarks.md) it fires on 106 pages (53 products, 40 forum threads, 13 listings and
collections, 1 service page), 33 of them kept before, and on no article.

A documentation site says so in the name it gives itself (``og:site_name``,
``application-name``, its publisher), which ends in "Documentation" or "Docs". Its pages
are manuals, even where a template marks them ``og:type article`` and dates them; a name
that also says blog, news or magazine is a section of stories, and a page declaring an
article in JSON-LD or microdata is not judged. On the tuning part it names 6 pages, all
documentation, 3 of them kept before.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from lxml.html import HtmlElement

from newsdedup.pipeline.extract.jsonld import ARTICLE_TYPES, type_names
from newsdedup.pipeline.extract.metadata import PageMetadata

__all__ = ["DECLARED", "declared_kind"]

#: How the reason given for a page that declares itself no article begins.
DECLARED = "the page declares"

_PRODUCTS = frozenset({"product", "productgroup"})
_OFFERS = frozenset({"offer", "aggregateoffer"})
#: A shop's category page may declare the set of products it shows.
_PRODUCT_SETS = frozenset({"someproducts"})
_FORUMS = frozenset({"discussionforumposting", "qapage"})
_REVIEWS = frozenset({"review", "criticreview", "employerreview", "userreview"})
_MAX_ITEMS = 2_000
# A site name that ends by calling the site documentation, in a few languages ("Kettle
# Documentation", "Teapot Docs"). At the end only: a name that starts so may be a
# publisher of official reports. German "Dokumentation" is also a documentary, Japanese
# "ドキュメント" names TV series, and "文档" sits inside "中文档案" (Chinese archives):
# left out.
_DOCS_SITE = re.compile(
    r"\b(?:documentation|docs|documentación|documentação|documentazione|documentatie|dokumentacja"
    r"|документация)\W*$",
    re.IGNORECASE,
)
_STORY_SITE = re.compile(r"\b(?:blog|news|magazine|journal|press|stories)\b", re.IGNORECASE)


def _microdata_types(tree: HtmlElement) -> set[str]:
    """The lower-case schema.org type names of the page's microdata (``itemtype``), the
    first ``_MAX_ITEMS`` items only."""
    names: set[str] = set()
    for count, value in enumerate(tree.xpath("//@itemtype")):
        if count >= _MAX_ITEMS:
            break
        names.update(part.rstrip("/").rsplit("/", 1)[-1].lower() for part in str(value).split())
    return names


def _reviews_an_item(objects: tuple[dict[str, Any], ...]) -> bool:
    return any(type_names(obj) & _REVIEWS and "itemReviewed" in obj for obj in objects)


def _declares_article(meta: PageMetadata, microdata: set[str], tree: HtmlElement) -> bool:
    return (
        meta.linked.article is not None
        or bool(meta.linked.types & ARTICLE_TYPES)
        or bool(microdata & ARTICLE_TYPES)
        or _reviews_an_item(meta.linked.objects)
        or bool(microdata & _REVIEWS and tree.xpath('boolean(//*[@itemprop="itemReviewed"])'))
    )


def _docs_site(meta: PageMetadata) -> str | None:
    """The site name that calls the site documentation (not a blog or news), or None."""
    for name in meta.site_names:
        shown = unicodedata.normalize("NFC", name)
        if _DOCS_SITE.search(shown) and not _STORY_SITE.search(shown):
            return name
    return None


def declared_kind(meta: PageMetadata, tree: HtmlElement) -> str | None:
    """Why the page's own markup says it is a product, a forum thread or a manual, or None.

    - a product: JSON-LD or microdata with a ``Product`` (or ``ProductGroup``) and an
      ``Offer``, or ``og:type`` ``product`` (``product.group``...);
    - a shop's category: a ``SomeProducts`` item;
    - a forum thread: JSON-LD or microdata with a ``DiscussionForumPosting`` or a ``QAPage``;
    - a manual: a site name that calls the site documentation (see the module's docstring).

    None when the page declares an article anywhere in its markup (or reviews an item).
    """
    og_product = (meta.og_type or "").startswith("product")
    microdata = _microdata_types(tree)
    types = meta.linked.types | microdata
    docs_site = _docs_site(meta)
    if not (og_product or docs_site or types & (_PRODUCTS | _PRODUCT_SETS | _FORUMS)):
        return None
    if _declares_article(meta, microdata, tree):
        return None
    if types & _PRODUCTS and types & _OFFERS:
        return f"{DECLARED} a product on sale ({', '.join(sorted(types & (_PRODUCTS | _OFFERS)))})"
    if types & _PRODUCT_SETS:
        return f"{DECLARED} a set of products ({', '.join(sorted(types & _PRODUCT_SETS))})"
    if og_product:
        return f"{DECLARED} a product (og:type {meta.og_type})"
    if types & _FORUMS:
        return f"{DECLARED} a forum thread ({', '.join(sorted(types & _FORUMS))})"
    if docs_site:
        return f"{DECLARED} a documentation site ({docs_site!r})"
    return None

