"""Page chrome removed from the parsed tree before the body is looked for."""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree
from lxml.html import HtmlElement

from newsdedup.pipeline.extract.select import select
from newsdedup.pipeline.extract.text import shown_texts, tokens

__all__ = [
    "ASIDE_ROLES", "CHROME_REGIONS", "CHROME_ROLES", "aside_boxes", "drop", "drop_teaser_grids", "is_chrome_box",
    "prune_chrome", "text_length",
]

#: The page's own regions that are chrome on every kind of page (menus, the site's header
#: and footer, sidebars), by tag and by ARIA landmark role: their links are menus, their
#: text is not a story. Read on the unpruned page (``page_layout``, ``page_signals``) and
#: when body chunks are grouped (``chunks``); not pruned by themselves (a page may set its
#: story's headline in a ``<header>``).
CHROME_REGIONS = frozenset({"nav", "header", "footer", "aside", "menu"})
CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo"})
#: What the page itself marks as aside from its main content (ARIA's ``complementary``: a
#: sidebar, a fact box; a ``dialog``: a pop-up, shown over the page when asked), whatever
#: its tag: pruned below a size (``prune_chrome``).
ASIDE_ROLES = frozenset({"complementary", "dialog", "alertdialog"})

# Tags that never hold article prose. <figure> goes with its caption and credit.
_CHROME_TAGS = ("figcaption", "figure", "template", "dialog", "svg", "math", "noscript")
# ...but a <figure> holding one of these is a block of text set as a figure.
_FIGURE_TEXT_TAGS = ("table", "pre")
# So is a quotation of a paragraph's length that the page does not show elsewhere (a pull
# quote repeats a line of the story, or highlights one short line): kept as a <div>, since
# trafilatura discards every <figure> but those holding a table.
_QUOTE_MIN_WORDS = 20
_QUOTE_KEY_WORDS = 8
# Lists whose text is mostly link text are teasers ("related", "most read", tag lists);
# a list in the prose links a word or two per item.
_LINK_LIST_SHARE = 0.7
_LINK_LIST_MIN_ITEMS = 2
# A class/id token naming a chrome box (beyond what trafilatura already discards).
_CHROME_CLASS = re.compile(
    r"(?:^|[\s_-])(?:newsletter|subscribe|donat(?:e|ion)|membership|"
    r"promo|recommend(?:ed|ations)?|read-?more|more-?stories|also-?read|"
    r"(?:related|recent|popular)-?(?:posts?|articles?|stories)|outbrain|taboola|podcast|audio-?player|video-?player|player-?controls|"
    r"author-?(?:bio|box|info|card|profile|desc(?:ription)?)|about-?(?:the-?)?authors?|comments?|disqus|"
    r"feedback|rating|reactions|inline-?teaser|teaser-?(?:list|box|widget)|(?:article|post|story)-cards?|"
    r"caption|credits?|copyright|cookies?|consent|gdpr|privacy-?(?:box|notice|wall)|"
    r"fact-?box(?:es)?|info-?box(?:es)?|polls?|umfragen?|sondages?|encuestas?|"
    r"whatsapp|telegram|deals?|offers?|affiliate)(?:$|[\s_-])",
    re.IGNORECASE,
)
# The same names joined to another word in camel case, as CSS modules write them
# ("Article_elementPoll__x1"): only the kinds that are never the story; and a card that
# stands for another article, post or story ("PostCard_card__x1": its headline and excerpt).
_CHROME_CLASS_CAMEL = re.compile(
    r"[a-z](?:Poll|Survey|Newsletter|Promo)(?:$|[\s_A-Z])|(?:^|[\s_-]|[a-z])(?:Article|Post|Story)Cards?(?:$|[\s_A-Z])",
)
# A call to action: "try it free", "book a demo", "get in touch" boxes of product blogs. A
# class that only places a box by one ("above-cta", "has-cta-link") is not one.
_CTA_CLASS = re.compile(
    r"(?:^|[\s_-])(?<!above-)(?<!below-)(?<!has-)(?:cta|call-?to-?action)(?:$|[\s_-])",
    re.IGNORECASE,
)
# The author's card marked up as a schema.org Person (itemprop="author") holding a bio: a
# byline is a name, the card adds paragraphs or a description about them.
_AUTHOR_CARD = etree.XPath(
    ".//*[@itemscope and contains(concat(' ', normalize-space(@itemprop), ' '), ' author ')]"
    "[.//p or .//*[@itemprop='description']]",
)
# Teasers of other posts set as a grid of sibling <article>s, each headed by a link to its
# post: another story's headline and excerpt, not this one. The grid goes as one box (a
# list of items set as <article>s that is most of the page is the page).
_TEASER_ARTICLES = etree.XPath(
    ".//article[preceding-sibling::article or following-sibling::article]"
    "[(.//h2|.//h3|.//h4)[a[@href] and string-length(normalize-space(.)) = string-length(normalize-space(a))]]",
)
# A gallery of pictures that numbers its slides ("3 of 12", "3 / 12", in any language: two
# numbers and a short word or a slash between them), in a box named as a gallery: its
# texts are the pictures' captions. Slides counted 1..M of one M, two at least.
_GALLERY_NAME = re.compile(
    r"(?:^|[\s_-])(?:carousels?|slideshows?|galler(?:y|ies)|sliders?|swiper)(?:$|[\s_-])", re.IGNORECASE,
)
_SLIDE_COUNTER = re.compile(r"^\s*(\d{1,3})\s*(?:/|[^\W\d_]{1,4})\s*(\d{1,3})\s*[|/·•]?\s*$")
_SLIDE_COUNTER_MAX_CHARS = 16
# A caption set in the paragraph of its picture, without a <figure>: "<p><img><br>
# <em>The pier at dawn</em></p>". Only a short line, all of it set in one of these.
_CAPTION_TAGS = ("em", "i", "small", "cite")
_CAPTION_MAX_WORDS = 40
_BOX_TAGS = frozenset({"div", "section", "aside", "ul", "ol", "form", "footer", "blockquote"})
_COMPLEMENTARY = etree.XPath(".//*[" + " or ".join(f"@role='{role}'" for role in sorted(ASIDE_ROLES)) + "]")
# A box the page names as set beside its story (a fact or info box): its prose is not the
# story's, whatever its length.
_ASIDE_CLASS = re.compile(r"(?:^|[\s_-])(?:fact-?box(?:es)?|info-?box(?:es)?)(?:$|[\s_-])", re.IGNORECASE)
# Third-party embeds: the quoted post is not the article's text.
_EMBED_CLASS = re.compile(
    r"twitter-tweet|twitter-timeline|instagram-media|tiktok-embed|fb-post|reddit-card|"
    r"bluesky-embed|mastodon-embed|telegram-post|embed-(?:social|tweet|instagram|video)",
    re.IGNORECASE,
)
# Navigation of the site or of the page itself, never the story: a breadcrumb trail
# ("Home > News > Politics", schema.org's BreadcrumbList) and a table of contents of the
# page's sections. Named by class, id or the label a screen reader reads, in several
# languages; marked as schema.org microdata (itemtype) or RDFa (typeof).
_BREADCRUMB_NAME = re.compile(
    r"bread-?crumbs?|brotkr(?:u|ü|ue)mel|fil-?d-?ariane|miga(?:s|-?de-?pan)|briciole|broodkruimel|kruimelpad|"
    r"okruszki|хлебн",
    re.IGNORECASE,
)
_BREADCRUMB_TYPE = re.compile(r"breadcrumblist", re.IGNORECASE)
# A trail is a line of a few links; a box named so that holds more is a wrapper of more.
_BREADCRUMB_MAX_CHARS = 300
_TOC_NAME = re.compile(
    r"(?:^|[\s_-])(?:toc|table-?of-?contents|tableofcontents|contents|inhaltsverzeichnis|sommaire|"
    r"indice|índice|inhoudsopgave|spis-?treści|sisällys(?:luettelo)?|innehåll(?:sförteckning)?|"
    r"содержание|оглавление|目次|目录)(?:$|[\s_-])",
    re.IGNORECASE,
)
# The same joined to another word in camel case ("articleToc", "PostTableOfContents").
_TOC_NAME_CAMEL = re.compile(r"[a-z](?:Toc|TableOfContents)(?:$|[\s_A-Z])")
_NAV_TAGS = frozenset({"nav", "div", "section", "aside", "ul", "ol", "details", "p", "span", "li"})
# A table of contents links mostly within the page ("#section-2").
_TOC_MIN_ANCHORS = 2
_TOC_ANCHOR_SHARE = 0.6
# ...and its text is mostly the text of its links (a title, "Contents", beside them).
_TOC_LINK_TEXT_SHARE = 0.6
# Tabs: of the panels of one tab list (role="tabpanel" siblings), the page shows the one
# it marks open ("active", aria-hidden="false") or does not mark hidden; the others are
# other views of the page (a summary of the story beside the story, another section's list),
# hidden until the reader clicks their tab.
_OPEN_PANEL_CLASS = re.compile(r"(?:^|\s)(?:active|is-active|show|shown|selected|is-selected|open|is-open|current)(?:$|\s)")
# Text set for screen readers only ("sr-only", "visually-hidden"): a label the page does
# not show ("Release date", "Share this article", "Opens in a new window"). Their class
# attributes found by XPath (in C), the class token confirmed.
_READER_ONLY_XPATH = etree.XPath(".//@class[contains(., 'sr-only') or contains(., 'isually') or contains(., 'creen')]")
_READER_ONLY_CLASS = re.compile(
    r"(?:^|\s)(?:[\w-]*[_-])?(?:sr-only|visually-?hidden|screen-?reader(?:-text|-only)?|screenreader(?:-only)?)(?:$|\s)",
    re.IGNORECASE,
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# What a page shows over itself for a moment: a tooltip or popover (a term's definition,
# "Copy link", a note on a badge), a toast ("Link copied"). A box so named, or marked
# role=tooltip; an inline one (a <span> in a sentence) only when another element names it
# as what describes or labels it, since a class "tooltip" may also be the word it explains.
_TIP_CLASS = re.compile(
    r"(?:^|[\s_-])(?<!has-)(?<!with-)(?:tooltips?|popovers?|toasts?)(?:$|[\s_-])", re.IGNORECASE,
)
# The attributes these rules read, in one pass: tab panels, tooltips, and the ids of
# what describes or labels an element.
_MARKS = etree.XPath(".//@role[. = 'tabpanel' or . = 'tooltip'] | .//@aria-describedby | .//@aria-labelledby")


class _Marked:
    """The tab panels, the tooltips marked by role and the ids named as describing or
    labelling an element, read from ``_MARKS``."""

    def __init__(self, tree: HtmlElement) -> None:
        self.panels: list[HtmlElement] = []
        self.tips: list[HtmlElement] = []
        self.described: set[str] = set()
        for value in _MARKS(tree):
            if value.attrname == "role":
                (self.panels if value == "tabpanel" else self.tips).append(value.getparent())
            else:
                self.described.update(str(value).split())
# Never remove a box holding this share of the page's text: that is the article, whatever
# its class says ("article-body has-comments").
_MAX_PRUNED_SHARE = 0.3


_TEXT_LENGTH = etree.XPath("string-length(normalize-space(.))")


def text_length(element: HtmlElement) -> int:
    """Characters of text under ``element``, whitespace runs counted as one (in C, via XPath)."""
    return int(_TEXT_LENGTH(element))


def aside_boxes(tree: HtmlElement) -> list[HtmlElement]:
    """The outermost boxes that the page sets beside its story: a fact or info box by its
    class or id, or an element it marks ``role=complementary``."""
    found = [
        element for element in tree.iter(etree.Element)
        if element.get("role") == "complementary"
        or (element.tag in _BOX_TAGS and _ASIDE_CLASS.search(f"{element.get('class', '')} {element.get('id', '')}"))
    ]
    inside = set(found)
    return [element for element in found if not any(ancestor in inside for ancestor in element.iterancestors())]


def drop(element: HtmlElement) -> None:
    """Remove ``element`` and its subtree, keeping the text that follows it (its tail)."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail and tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _attached(element: HtmlElement, root: HtmlElement) -> bool:
    """Whether ``element`` is still in the tree under ``root``. A removed subtree stays in
    lxml's document, so ``getroottree().getroot()`` still answers ``root`` for it: only the
    chain of parents tells."""
    ancestors = list(element.iterancestors())
    return bool(ancestors) and ancestors[-1] is root


def _link_text_share(element: HtmlElement, total: int) -> float:
    if total == 0:
        return 0.0
    linked = sum(text_length(a) for a in element.iter("a"))
    return linked / total


def _is_link_list(element: HtmlElement) -> bool:
    items = [child for child in element if child.tag == "li"]
    if len(items) < _LINK_LIST_MIN_ITEMS:
        return False
    total = text_length(element)
    return total > 0 and _link_text_share(element, total) > _LINK_LIST_SHARE


# A run of links set in a line ("See also: A | B | C", "Tags: a, b, c"): at least this
# many links, nothing between them but separators, at most a short label before them.
_INLINE_LINKS_MIN = 3
_INLINE_LABEL_WORDS = 6
_INLINE_LINK_WORDS = 10
_INLINE_MAX_CHARS = 300
_SEPARATORS_ONLY = re.compile(r"^[\s|·•/,;–—-]*$")
# Links that lead to no other page of a site: a footnote, an e-mail address, a phone.
_NOT_A_PAGE = re.compile(r"^\s*(?:#|mailto:|tel:|sms:|javascript:)", re.IGNORECASE)
_HOST = re.compile(r"^\s*(?:https?:)?//([^/?#]+)", re.IGNORECASE)
_INLINE_LINK_HOSTS = ("p", "div", "span", "strong", "b", "em", "small")


def _is_inline_link_run(element: HtmlElement) -> bool:
    """Whether ``element`` holds only links to pages of one site, separators between them
    and at most a short label ending in a colon before them. A list of sources on other
    sites, of footnotes or of contacts, and a sentence (it ends in a full stop) are not
    such a line."""
    links = [child for child in element if child.tag == "a"]
    if len(links) < _INLINE_LINKS_MIN or len(links) != len(element):
        return False
    label = (element.text or "").strip()
    if label and (not label.endswith(":") or len(label.split()) > _INLINE_LABEL_WORDS):
        return False
    if not all(_SEPARATORS_ONLY.match(link.tail or "") for link in links[:-1]) or (links[-1].tail or "").strip():
        return False
    if not all(0 < len(link.text_content().split()) <= _INLINE_LINK_WORDS for link in links):
        return False
    return text_length(element) <= _INLINE_MAX_CHARS and _links_within_one_site(links)


def _links_within_one_site(links: list[HtmlElement]) -> bool:
    """Whether every link leads to a page, and all those given with a host to one host."""
    hrefs = [link.get("href") or "" for link in links]
    if any(not href.strip() or _NOT_A_PAGE.match(href) for href in hrefs):
        return False
    hosts = {match.group(1).lower().removeprefix("www.") for href in hrefs if (match := _HOST.match(href))}
    return len(hosts) <= 1


def _line_box(line: HtmlElement) -> HtmlElement:
    """The outermost inline host or paragraph that holds ``line`` and nothing else."""
    parent = line.getparent()
    while parent is not None and parent.tag in _INLINE_LINK_HOSTS and len(parent) == 1 and not (
        (parent.text or "").strip() or (line.tail or "").strip()
    ):
        line, parent = parent, parent.getparent()
    return line


def _inline_link_runs(tree: HtmlElement) -> list[HtmlElement]:
    """Lines made of links to other pages and the separators between them, with at most a
    short label ending in a colon before them: a "see also" or "tags" line inside the
    story's box. The box (a paragraph, a div) goes when the line is all it holds."""
    return [_line_box(element) for element in tree.iter(*_INLINE_LINK_HOSTS) if _is_inline_link_run(element)]


def _holds_text_block(figure: HtmlElement) -> bool:
    return next(figure.iter(*_FIGURE_TEXT_TAGS), None) is not None


class _PageWords:
    """The words the page's body shows, as one string, read once when first asked."""

    def __init__(self, tree: HtmlElement) -> None:
        self._tree = tree
        self._words: str | None = None

    def count(self, sequence: str) -> int:
        """How many times the words ``sequence`` stand in the page."""
        if self._words is None:
            shown = [text for body in self._tree.iter("body") for text in shown_texts(body)]
            self._words = " ".join(tokens(" ".join(shown)))
        return self._words.count(sequence)


def _is_quotation(figure: HtmlElement, page_words: _PageWords) -> bool:
    """A <figure> holding a quotation of a paragraph's length found nowhere else on the page."""
    quote = next(figure.iter("blockquote"), None)
    if quote is None:
        return False
    words = tokens(quote.text_content())
    if len(words) < _QUOTE_MIN_WORDS:
        return False
    return page_words.count(" ".join(words[:_QUOTE_KEY_WORDS])) == 1


def _drop_chrome_tags(tree: HtmlElement) -> int:
    """Remove the ``_CHROME_TAGS`` elements but figures of text; returns how many."""
    removed = 0
    page_words = _PageWords(tree)
    for element in list(tree.iter(*_CHROME_TAGS)):
        if element.tag == "figure" and _holds_text_block(element):
            # Block editors wrap tables and code in <figure>: text, not a picture.
            continue
        if element.tag == "figure" and _is_quotation(element, page_words):
            element.tag = "div"
            continue
        if element.getparent() is not None:
            drop(element)
            removed += 1
    return removed


def _teaser_grids(tree: HtmlElement, limit: int) -> list[HtmlElement]:
    """The teaser <article>s of each grid of two or more whose text together is at most ``limit``."""
    grids: dict[HtmlElement, list[HtmlElement]] = {}
    for teaser in _TEASER_ARTICLES(tree):
        grids.setdefault(teaser.getparent(), []).append(teaser)
    return [
        teaser
        for teasers in grids.values()
        if len(teasers) >= 2 and sum(text_length(teaser) for teaser in teasers) <= limit
        for teaser in teasers
    ]


def _size_guard(tree: HtmlElement) -> int:
    """The most text a box may hold to be pruned: ``_MAX_PRUNED_SHARE`` of the page's."""
    body = tree.find("body")
    return max(200, int((text_length(body) if body is not None else 0) * _MAX_PRUNED_SHARE))


def _names_chrome(names: str) -> bool:
    """Whether a box's names (``_names``) say chrome in words (newsletter, promo, related
    posts, comments, a call to action...): ``_CHROME_CLASS`` or ``_CTA_CLASS``."""
    return bool(_CHROME_CLASS.search(names) or _CTA_CLASS.search(names))


def is_chrome_box(element: HtmlElement) -> bool:
    """Whether ``element`` is a box whose names say chrome (``_names_chrome``;
    ``prune_chrome`` also reads camel-case and tooltip names)."""
    return element.tag in _BOX_TAGS and _names_chrome(_names(element))


def drop_teaser_grids(tree: HtmlElement) -> int:
    """Remove only the teaser grids (``_teaser_grids``) from ``tree``; returns how many
    teasers went. What the safety net's unpruned second opinion is spared: other posts'
    headlines and excerpts are never this page's story."""
    teasers = _teaser_grids(tree, _size_guard(tree))
    for teaser in teasers:
        drop(teaser)
    return len(teasers)


def _slide_counts(box: HtmlElement) -> list[tuple[int, int]]:
    """The "N of M" counters of the slides in ``box``: short texts of small elements."""
    counts = []
    for element in box.iter(etree.Element):
        if len(element) > 2 or text_length(element) > _SLIDE_COUNTER_MAX_CHARS:
            continue
        match = _SLIDE_COUNTER.match(element.text_content())
        if match:
            counts.append((int(match.group(1)), int(match.group(2))))
    return counts


def _numbered_galleries(named: list[HtmlElement]) -> list[HtmlElement]:
    """Of the boxes ``named`` as galleries, the outermost that number their slides 1..M of one M."""
    inside = set(named)
    found = []
    for box in named:
        if any(ancestor in inside for ancestor in box.iterancestors()):
            continue
        counts = _slide_counts(box)
        totals = {total for _, total in counts}
        slides = [number for number, _ in counts]
        if (
            len(counts) >= 2 and len(totals) == 1 and len(set(slides)) == len(slides)
            and all(1 <= number <= total for number, total in counts)
        ):
            found.append(box)
    return found


def _names(element: HtmlElement) -> str:
    """A box's names: its class, id and ``aria-label``, space-separated."""
    return f"{element.get('class', '')} {element.get('id', '')} {element.get('aria-label', '')}"


def _is_breadcrumb(element: HtmlElement, names: str) -> bool:
    """A short trail of links the page names (``names``: ``_names``) or marks as its
    breadcrumbs."""
    marked = _BREADCRUMB_TYPE.search(f"{element.get('itemtype', '')} {element.get('typeof', '')}")
    if not marked and not _BREADCRUMB_NAME.search(names):
        return False
    return text_length(element) <= _BREADCRUMB_MAX_CHARS


def _is_table_of_contents(element: HtmlElement, names: str) -> bool:
    """A box named (``names``: ``_names``) as a table of contents whose links are mostly to
    places in the page."""
    if not (_TOC_NAME.search(names) or _TOC_NAME_CAMEL.search(names)):
        return False
    links = [link.get("href", "") for link in element.iter("a")]
    anchors = sum(1 for href in links if href.startswith("#") and len(href) > 1)
    if anchors < _TOC_MIN_ANCHORS or anchors < _TOC_ANCHOR_SHARE * len(links):
        return False
    return _link_text_share(element, text_length(element)) >= _TOC_LINK_TEXT_SHARE


def _page_navigation(tree: HtmlElement) -> list[HtmlElement]:
    """The outermost breadcrumb trails and tables of contents."""
    found = []
    for element in tree.iter(*_NAV_TAGS):
        # A box with no attributes is neither named nor marked as either.
        if not element.attrib:
            continue
        names = _names(element)
        if _is_breadcrumb(element, names) or (element.tag != "li" and _is_table_of_contents(element, names)):
            found.append(element)
    inside = set(found)
    return [element for element in found if not any(ancestor in inside for ancestor in element.iterancestors())]


def _is_hidden_panel(panel: HtmlElement) -> bool:
    return panel.get("hidden") is not None or panel.get("aria-hidden") == "true"


def _is_open_panel(panel: HtmlElement) -> bool:
    if _is_hidden_panel(panel):
        return False
    return panel.get("aria-hidden") == "false" or bool(_OPEN_PANEL_CLASS.search(panel.get("class", "")))


def _closed_tab_panels(marked: _Marked) -> list[HtmlElement]:
    """The tab panels hidden beside the one their tab list shows: those the page marks
    hidden, and, when it marks one open, the others. None of a tab list whose panels are
    all hidden or all open, or none marked either way (the page's script decides)."""
    groups: dict[HtmlElement, list[HtmlElement]] = {}
    for panel in marked.panels:
        parent = panel.getparent()
        if parent is not None:
            groups.setdefault(parent, []).append(panel)
    closed = []
    for panels in groups.values():
        if len(panels) < 2:
            continue
        if any(_is_open_panel(panel) for panel in panels):
            shut = [panel for panel in panels if not _is_open_panel(panel)]
        else:
            shut = [panel for panel in panels if _is_hidden_panel(panel)]
        if len(shut) < len(panels):
            closed.extend(shut)
    return closed


def _reader_only(tree: HtmlElement) -> list[HtmlElement]:
    """The elements whose class says they are read by screen readers, not shown; but those
    in a heading, where they join its parts ("Kicker<span class=sr-only>: </span>Title")."""
    return [
        value.getparent() for value in _READER_ONLY_XPATH(tree)
        if _READER_ONLY_CLASS.search(value)
        and not any(ancestor.tag in _HEADINGS for ancestor in value.getparent().iterancestors())
    ]


def _tooltips(tree: HtmlElement, marked: _Marked) -> list[HtmlElement]:
    """Tooltips marked by role, and the inline ones named by class that describe another
    element (boxes named so are found with the other named boxes)."""
    found = list(marked.tips)
    if marked.described:
        found += [
            span for span in tree.iter("span")
            if span.get("id") in marked.described and _TIP_CLASS.search(span.get("class", ""))
        ]
    return found


def _inline_caption(paragraph: HtmlElement) -> HtmlElement | None:
    """The caption element of a paragraph holding a picture and its caption, if it is one."""
    image = paragraph.find(".//img")
    if image is None:
        return None
    shown = paragraph.text_content().strip()
    if not shown or len(tokens(shown)) > _CAPTION_MAX_WORDS:
        return None
    for caption in paragraph.iter(*_CAPTION_TAGS):
        # All the paragraph's text is the caption's, and the picture comes before it.
        if caption.text_content().strip() == shown:
            in_order = list(paragraph.iter())
            return caption if in_order.index(image) < in_order.index(caption) else None
    return None


def _drop_inline_captions(tree: HtmlElement) -> int:
    """Remove the captions set in the paragraph of their picture; returns how many."""
    captions = [caption for caption in map(_inline_caption, tree.iter("p")) if caption is not None]
    for caption in captions:
        drop(caption)
    return len(captions)


def prune_chrome(tree: HtmlElement, extra_selectors: Iterable[str] = ()) -> int:
    """Remove chrome from ``tree`` in place; returns how many subtrees were removed.

    ``extra_selectors`` are CSS selectors from the source's config (``selectors.remove``);
    they are trusted and removed whatever their size.
    """
    removed = 0
    selectors = list(extra_selectors)
    root = tree.getroottree().getroot()
    # One selector list, one pass; a match inside one already dropped goes with it.
    for element in select(tree, ", ".join(selectors)) if selectors else ():
        if _attached(element, root):
            drop(element)
            removed += 1
    removed += _drop_chrome_tags(tree)
    removed += _drop_inline_captions(tree)
    limit = _size_guard(tree)
    candidates = _COMPLEMENTARY(tree) + _AUTHOR_CARD(tree) + _teaser_grids(tree, limit) + _page_navigation(tree)
    candidates += _inline_link_runs(tree)
    marked = _Marked(tree)
    candidates += _closed_tab_panels(marked) + _reader_only(tree) + _tooltips(tree, marked)
    galleries = []
    # Paragraphs are never pruned by class: sites mark body paragraphs "paywall",
    # "premium" or "comment-worthy"; chrome sits in boxes around them.
    for element in tree.iter(*_BOX_TAGS):
        # The name the page gives a box for screen readers ("Newsletter signup", "Comments")
        # says what it is as plainly as its class.
        names = _names(element)
        if _GALLERY_NAME.search(names):
            galleries.append(element)
        if _EMBED_CLASS.search(names):
            # Embeds go whatever their size: a long quoted post is still someone else's.
            drop(element)
            removed += 1
        elif (element.tag in ("ul", "ol") and _is_link_list(element)) or (
            element.tag != "blockquote"
            and (
                _names_chrome(names) or _CHROME_CLASS_CAMEL.search(names) or _TIP_CLASS.search(names)
            )
        ):
            candidates.append(element)
    candidates += _numbered_galleries(galleries)
    for element in candidates:
        # An ancestor may already be gone; and a large box is more likely the article.
        if not _attached(element, root) or text_length(element) > limit:
            continue
        drop(element)
        removed += 1
    return removed
