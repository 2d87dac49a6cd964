"""Is this page an article? Soft 404s, listings, home pages and galleries, with the reason."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from newsdedup.pipeline.extract.chrome import SOFT_404
from newsdedup.pipeline.extract.jsonld import NOT_ARTICLE_TYPES
from newsdedup.pipeline.extract.metadata import PageMetadata
from newsdedup.pipeline.extract.prune import text_length
from newsdedup.pipeline.extract.text import normalize_space

__all__ = [
    "HOME_PAGE",
    "JSONLD_LISTING",
    "LISTING_URL",
    "gallery_without_text",
    "has_article_markup",
    "headline_links",
    "is_listing",
    "is_short_error_page",
    "is_teaser_list",
    "link_heavy_page",
    "link_index_reason",
    "listing_reason",
    "soft_404_phrase",
]

_SOFT_404_MAX_WORDS = 150
_HEADLINE_WORDS = 4
_MIN_HEADLINES = 4
_HEADLINE_SHARE = 0.3
_MIN_PAGE_HEADLINES = 2
_LINK_SHARE = 0.3
_PAGINATED_LINK_SHARE = 0.2
_PAGINATION = (
    '//link[@rel="next" or @rel="prev"] | //a[@rel="next" or @rel="prev"] | '
    '//*[contains(concat(" ", normalize-space(@class), " "), " pagination ")]'
)
_LISTING_PATH = re.compile(
    r"^/(?:[a-z]{2}(?:-[a-z]{2})?/)?(?:tags?|topics?|themen?|thema|schlagworte?|stichworte?|"
    r"authors?|autor(?:en)?|auteurs?|autores?|category|categories|kategorie|kategorien|rubrik|"
    r"section|sections|search|suche|recherche|busqueda|buscar|archives?|archiv|page/\d+|"
    r"tema|temas|etiqueta|rubrique|sujet|теги?|тема|автор|пошук|поиск|"
    # Italian, Portuguese, Dutch, Polish, Czech, Turkish, the Scandinavian languages, Indonesian
    r"argomenti|argomento|categoria|categorie|autore|autori|cerca|ricerca|assuntos?|busca|pesquisa|"
    r"onderwerpen?|auteur|zoeken|kategoria|szukaj|tagi|stitky|štítky|hledat|rubrika|"
    r"kategori|etiket|yazar|arama|konu|emne|ämne|amne|sok|sök|søk|topik|penulis|cari)(?:/[^/]+){0,2}/?$",
    re.IGNORECASE,
)
_HOME_PATH = re.compile(r"^/(?:[a-z]{2}(?:[-_][a-z]{2})?/?)?(?:index\.\w+|home|start)?/?$", re.IGNORECASE)
_SEARCH_QUERY = re.compile(r"(?:^|&)(?:s|q|query|search|suche)=", re.IGNORECASE)
_GALLERY_MIN_IMAGES = 5
# A body whose words are nearly all link text, over several paragraphs, is an index of
# other pages whatever the page declares of itself. On the tuning part (both sets) the
# articles' bodies held at most 0.67 of their words in links; the pages at 0.9 and more
# were a listing and a collection.
_INDEX_LINK_SHARE = 0.9
_INDEX_MIN_PARAGRAPHS = 5
#: The reason given for a page at a site's root URL.
HOME_PAGE = "home page (site root URL)"
#: How the reason given for a page whose URL path names a listing (``/tag/...``) begins.
LISTING_URL = "listing URL"
#: How the reason given for a page whose JSON-LD declares a listing type begins.
JSONLD_LISTING = "JSON-LD declares a"


def soft_404_phrase(text: str | None) -> str | None:
    """The "page not found" wording in ``text``, if any."""
    if not text:
        return None
    match = SOFT_404.search(text)
    return match.group(0) if match else None


def has_article_markup(meta: PageMetadata, tree: HtmlElement) -> bool:
    """Whether the page declares itself one article (JSON-LD, Open Graph, microdata)."""
    if meta.linked.article is not None or meta.og_type == "article":
        return True
    return bool(tree.xpath('//*[@itemprop="articleBody"] | //*[contains(@itemtype, "Article")]'))


def listing_reason(
    url: str, meta: PageMetadata, tree: HtmlElement, *, early: bool, dated: bool = False, undated: bool = False
) -> str | None:
    """Why the page is a home/listing/search/author page rather than an article, or None.

    ``early`` checks run before the body is extracted and need no body; they only fire
    when the page does not declare itself an article; the URL hints also need ``dated``
    false (no publication date of the page's own, see ``page_signals``). A site root that
    is ``undated`` (no date of its own at all, not even in its text) is a home page even
    when it declares an article: a template's ``og:type``, or its teasers marked up as
    articles (on the tuning part, both articles at a site root showed a date).
    """
    marked = has_article_markup(meta, tree)
    parts = urlsplit(url)
    if early:
        if meta.linked.types & NOT_ARTICLE_TYPES and meta.linked.article is None:
            kinds = ", ".join(sorted(meta.linked.types & NOT_ARTICLE_TYPES))
            return f"{JSONLD_LISTING} {kinds}"
        home = _HOME_PATH.match(parts.path or "/") is not None and not parts.query
        if home and undated:
            return HOME_PAGE
        # A dated page is left to the body rules: on unseen sites, dated pages that these
        # URL hints call listings were mostly articles.
        if marked or dated:
            return None
        if home:
            return HOME_PAGE
        if _LISTING_PATH.match(parts.path or "/"):
            return f"{LISTING_URL} {parts.path}"
        if _SEARCH_QUERY.search(parts.query):
            return "search results URL"
    return None


def gallery_without_text(images: int, words: int, min_words: int) -> bool:
    """Many pictures (counted before chrome pruning) and almost no prose: a photo gallery."""
    return words < min_words and images >= _GALLERY_MIN_IMAGES


def is_teaser_list(link_word_share: float, paragraphs: int, longest: int) -> bool:
    """A body made of link texts, with no paragraph of real length: a list of teasers."""
    return link_word_share > 0.6 and paragraphs >= 5 and longest < 250


def link_index_reason(link_word_share: float, paragraphs: int) -> str | None:
    """Why a body made of link texts is an index of other pages, or None."""
    if link_word_share < _INDEX_LINK_SHARE or paragraphs < _INDEX_MIN_PARAGRAPHS:
        return None
    return f"an index of links: {link_word_share:.0%} of the words of its {paragraphs} paragraphs are link text"


def headline_links(paragraphs: Sequence[str], tree: HtmlElement) -> int:
    """How many paragraphs are the text of a link of four words or more: the headlines
    of a listing ("headline | date" table rows count by their first cell)."""
    anchors = {
        text
        for anchor in tree.iter("a")
        if len((text := normalize_space("".join(anchor.itertext()))).split()) >= _HEADLINE_WORDS
    }
    return sum(1 for paragraph in paragraphs if paragraph.split(" | ", 1)[0] in anchors)


def link_heavy_page(tree: HtmlElement) -> str | None:
    """Why a (chrome-pruned) page reads as a list of links, or None.

    After chrome is pruned, an article's text is mostly its own prose; a listing is
    mostly headline links (the dev set's unmarked articles stay under 21% link text).
    Pagination lowers the bar: listings page, articles rarely do.
    """
    body = tree.find("body")
    if body is None:
        return None
    total = text_length(body)
    if total == 0:
        return None
    anchors = list(body.iter("a"))
    share = sum(text_length(a) for a in anchors) / total
    headlines = sum(
        1 for a in anchors if len(normalize_space("".join(a.itertext())).split()) >= _HEADLINE_WORDS
    )
    paginated = bool(tree.xpath(_PAGINATION))
    limit = _PAGINATED_LINK_SHARE if paginated else _LINK_SHARE
    if headlines >= _MIN_PAGE_HEADLINES and share >= limit:
        where = " on a paginated page" if paginated else ""
        return f"a listing: {share:.0%} of its text is links, {headlines} headlines{where}"
    return None


def is_listing(headlines: int, paragraphs: int) -> bool:
    """Headline links make a good share of the body: teaser cards, not an article."""
    return headlines >= _MIN_HEADLINES and headlines >= _HEADLINE_SHARE * paragraphs


def is_short_error_page(words: int, text: str) -> str | None:
    """The soft-404 wording in a short body (a long article may quote an error message)."""
    if words > _SOFT_404_MAX_WORDS:
        return None
    return soft_404_phrase(text)

