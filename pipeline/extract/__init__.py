"""The extraction stage: a fetched page becomes an Article or a Rejection with its reason."""

from __future__ import annotations

import collections
import contextlib
import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

from lxml import etree

from newsdedup.core.config import ExtractConfig, SelectorsConfig, SourceConfig
from newsdedup.core.records import (
    Article,
    DateOrigin,
    FetchedPage,
    ParagraphKind,
    Rejection,
    RejectionReason,
    limit_paragraphs,
)
from newsdedup.core.urls import canonicalize_url, host_of, same_site
from newsdedup.pipeline.extract.authors import is_byline_line
from newsdedup.pipeline.extract.blocks import Block
from newsdedup.pipeline.extract.body import BodyExtractor, BodyResult
from newsdedup.pipeline.extract.classify import (
    HOME_PAGE,
    JSONLD_LISTING,
    LISTING_URL,
    gallery_without_text,
    has_article_markup,
    headline_links,
    is_listing,
    is_short_error_page,
    is_teaser_list,
    link_heavy_page,
    link_index_reason,
    listing_reason,
    soft_404_phrase,
)
from newsdedup.pipeline.extract.decode import Decoded, DecodeError, decode_html, is_html_media_type
from newsdedup.pipeline.extract.disclosure import in_panels
from newsdedup.pipeline.extract.headline import h1_text
from newsdedup.pipeline.extract.hydration import state_html
from newsdedup.pipeline.extract.jsonld import NOT_ARTICLE_TYPES
from newsdedup.pipeline.extract.language import detect_language
from newsdedup.pipeline.extract.lead import find_lead
from newsdedup.pipeline.extract.metadata import PageMetadata, read_metadata
from newsdedup.pipeline.extract.page_declared import declared_kind
from newsdedup.pipeline.extract.page_kind import LINK_INDEX, decide, rule_reasons
from newsdedup.pipeline.extract.page_model import (
    BodyFacts,
    PageModel,
    Verdict,
    load_page_model,
    page_vector,
)
from newsdedup.pipeline.extract.page_signals import PageSignals, read_signals
from newsdedup.pipeline.extract.parse import HtmlParser
from newsdedup.pipeline.extract.safety import recovers
from newsdedup.pipeline.extract.text import (
    CONTROL_CHARS,
    length_in_words,
    normalize_space,
    overlap,
    prose_paragraphs,
    shown_texts,
)

__all__ = ["Extractor"]

_NO_SELECTORS = SelectorsConfig()
_BINARY_MAGIC = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"PK\x03\x04": "a ZIP archive",
    b"\x1f\x8b": "gzip-compressed bytes",
    b"RIFF": "a RIFF media file",
    b"OggS": "an Ogg media file",
    b"ID3": "an MP3 file",
}
_AMP_CACHE_SUFFIX = ".cdn.ampproject.org"
_SOFT_404_MAX_WORDS = 150
_VISIBLE_TEXT_CHARS = 5000
# A blog whose root URL shows its one latest post, dated in the text: it stays an article
# when its body holds this many paragraphs of prose (40 words or more). On the wcxb tuning
# part, the dated root pages that were not articles had none.
_HOME_MIN_PROSE = 3
# A short body is kept from this share of ``min_words`` on a page that declares itself a
# dated article (``_declared_story``): on the wcxb tuning part, the non-articles with such
# short bodies all lacked a byline and a single headline.
_BRIEF_SHARE = 0.5
# The share of the shorter of headline and title whose words the longer has, for them to
# say the same thing.
_HEADLINE_TITLE_OVERLAP = 0.6
_DOCUMENT_TITLES = etree.XPath("(//head/title)[1]/text() | //meta[@property='og:title']/@content")


class Extractor:
    """Turns fetched pages into articles or rejections; one instance serves a whole run.

    ``extract`` never raises for bad input: every page gives an Article or a Rejection
    whose ``detail`` says why. ``stats`` counts outcomes as ``extract/<reason>``.
    """

    name = "extract"

    def __init__(self, config: ExtractConfig, sources: Mapping[str, SourceConfig] | None = None) -> None:
        self.config = config
        self.sources: Mapping[str, SourceConfig] = sources or {}
        self.stats: collections.Counter[str] = collections.Counter()
        #: The first line dropped as chrome under each kind (``extract/dropped/<kind>``).
        self.dropped_examples: dict[str, tuple[str, str]] = {}
        self._parser = HtmlParser()
        self._body = BodyExtractor()
        #: The page-kind model (None: only the rules decide, as when the model is trained).
        self.page_model: PageModel | None = load_page_model()
        #: Called with each page's signal vector (``bench/train_page_kind.py`` records them).
        self.on_page_vector: Callable[[dict[str, float]], None] | None = None

    def run(self, pages: Iterable[FetchedPage]) -> Iterator[Article | Rejection]:
        """``extract`` over a stream of pages, lazily."""
        for page in pages:
            yield self.extract(page)

    def extract(self, page: FetchedPage) -> Article | Rejection:
        """The article in ``page``, or why there is none."""
        result = self._extract(page)
        key = "article" if isinstance(result, Article) else result.reason
        self.stats[f"{self.name}/{key}"] += 1
        return result

    def _reject(
        self, page: FetchedPage, reason: RejectionReason, detail: str, *, title: str | None = None,
        encoding: str | None = None,
    ) -> Rejection:
        return Rejection(
            source=page.source, url=page.url, reason=reason, detail=detail, title=title,
            encoding=encoding, http_status=page.status, page_id=page.page_id,
        )

    def _refuse_bytes(self, page: FetchedPage) -> Rejection | None:
        """A rejection when the response is no HTML page at all (before decoding)."""
        if page.status >= 400:
            return self._reject(page, "http_error", f"HTTP status {page.status}")
        media_type = page.content_type
        if not is_html_media_type(media_type):
            return self._reject(page, "not_html", f"content type {media_type} is not HTML")
        for magic, what in _BINARY_MAGIC.items():
            if page.body.startswith(magic):
                return self._reject(page, "not_html", f"body is {what}, not HTML")
        if not page.body.strip():
            return self._reject(page, "too_short", "empty body")
        return None

    def _extract(self, page: FetchedPage) -> Article | Rejection:
        refused = self._refuse_bytes(page)
        if refused is not None:
            return refused
        try:
            decoded = decode_html(page.body, page.headers)
        except DecodeError as exc:
            return self._reject(page, "undecodable", exc.detail)
        tree = self._parser.parse(decoded.text)
        if tree is None:
            return self._reject(page, "too_short", "no HTML document in the body", encoding=decoded.encoding)
        result = self._extract_tree(page, decoded, tree)
        if decoded.repaired and isinstance(result, Article):
            self.stats[f"{self.name}/encoding_repaired"] += 1
            result = dataclasses.replace(result, encoding_repaired=True)
        return result

    def _count_body(self, page: FetchedPage, body: BodyResult) -> None:
        for kind, count in body.dropped.items():
            self.stats[f"{self.name}/dropped/{kind}"] += count
        for kind, line in body.dropped_examples.items():
            self.dropped_examples.setdefault(kind, (line, page.url))
        self.stats[f"{self.name}/body/{body.method}"] += 1
        if body.framed:
            self.stats[f"{self.name}/body/framed"] += 1
        if body.doubted is not None:
            self.stats[f"{self.name}/safety/doubted"] += 1
        if body.recovered is not None:
            self.stats[f"{self.name}/safety/recovered"] += 1

    def _extract_tree(self, page: FetchedPage, decoded: Decoded, tree: etree._Element) -> Article | Rejection:
        """Metadata, the early page-type checks, the body, then the article or why not."""
        source = self.sources.get(page.source)
        selectors = source.selectors if source is not None else _NO_SELECTORS
        url = page.final_url or page.url
        outlets = [page.source, host_of(url)] + ([source.name] if source else [])
        zone = ZoneInfo(source.timezone) if source is not None and source.timezone else None
        meta = read_metadata(tree, url, selectors, outlets, zone, page.fetched_at)
        title = meta.title or page.hints.title

        headline = " ".join(filter(None, (meta.title, h1_text(tree))))
        if phrase := soft_404_phrase(headline):
            return self._reject(page, "soft_404", f"headline says {phrase!r}", title=title, encoding=decoded.encoding)
        # Measured before the body extractor prunes the tree: the teaser cards are chrome to it.
        signals = read_signals(
            tree, meta, url, declared_article=has_article_markup(meta, tree),
            hinted_date=page.hints.published_at is not None,
        )
        # A product on sale or a forum thread by its own markup, else a listing by its URL.
        reason = declared_kind(meta, tree) or listing_reason(
            url, meta, tree, early=True, dated=signals.strong_date, undated=not signals.has_date
        )
        # A root or listing URL on a page with article evidence of its own is judged on its body.
        deferred = reason if reason and _url_hint_deferred(reason, signals, _headline_is_title(tree)) else None
        if reason and not deferred:
            return self._reject(page, "not_article", reason, title=title, encoding=decoded.encoding)

        images = len(tree.xpath("//img | //picture"))
        lead = find_lead(tree, meta.descriptions, meta.title)
        body = self._body.extract(
            tree, title=meta.title, lead=lead, selectors=selectors, fresh=lambda: self._parser.parse(decoded.text),
        )
        body = self._body_from_state(body, decoded, meta.title, lead, selectors)
        body = self._body_from_candidates(body, decoded, meta, lead)
        self._count_body(page, body)
        return self._classify_body(
            page, meta, body, tree, title, decoded.encoding, images, signals, url_hint=deferred,
        )

    def _body_from_state(
        self, body: BodyResult, decoded: Decoded, title: str | None, lead: str | None, selectors: SelectorsConfig,
    ) -> BodyResult:
        """``body``, or when it is too short the longer body a script-rendered page keeps
        in its inline state (``hydration``)."""
        words = length_in_words(" ".join(text for _, text in body.blocks))
        if words >= self.config.min_words:
            return body
        fresh = self._parser.parse(decoded.text)
        html = state_html(fresh) if fresh is not None else None
        state = self._parser.parse(f"<html><body><article>{html}</article></body></html>") if html else None
        if state is None:
            return body
        found = self._body.extract(state, title=title, lead=lead, selectors=selectors)
        if length_in_words(" ".join(text for _, text in found.blocks)) <= words:
            return body
        found.method = f"state/{found.method}"
        return found

    def _body_from_candidates(
        self, body: BodyResult, decoded: Decoded, meta: PageMetadata, lead: str | None,
    ) -> BodyResult:
        """``body``, or when it is too short the page's independent candidate that holds a
        full body (``safety.recovers``): trafilatura's full pass on a fresh parse, then the
        JSON-LD ``articleBody``. The page-kind rules judge the recovered body as any other."""
        words = length_in_words(" ".join(text for _, text in body.blocks))
        if words >= self.config.min_words:
            return body
        found = self._body.candidate(lambda: self._parser.parse(decoded.text), meta.title, lead)
        candidates = [found] if found is not None else []
        # Read once: the property reads the JSON-LD value and its markup on every call.
        if ld_body := meta.article_body:
            blocks: list[Block] = [("text", line) for line in _lines(ld_body)]
            candidates.append(BodyResult(blocks, "ld_body"))
        for candidate in candidates:
            why = recovers(
                words, [text for _, text in candidate.blocks],
                min_words=self.config.min_words, link_share=candidate.link_word_share,
            )
            if why is not None:
                candidate.method = f"recovered/{candidate.method}"
                candidate.recovered = why
                return candidate
        return body

    def _classify_body(
        self, page: FetchedPage, meta: PageMetadata, body: BodyResult, tree: etree._Element,
        title: str | None, encoding: str, images: int, signals: PageSignals, *, url_hint: str | None = None,
    ) -> Article | Rejection:
        body.blocks = _without_byline_lines(body.blocks, meta.authors, body.dropped)
        # JSON on the page (an articleBody, a framework's state) can spell control
        # characters the parser never saw: none reaches the record.
        limited, cut = limit_paragraphs(list(_all_without_control(text for _, text in body.blocks)))
        paragraphs = tuple(limited)
        # Past the paragraph limit the body walk stops early: the count is a lower bound.
        truncated = cut or body.dropped["over_max_paragraphs"] > 0
        if truncated:
            self.stats[f"{self.name}/truncated"] += 1
        # The page kind is judged on the body as it reads without the collapsed panels
        # shown to the pass: a listing's "show more" pane does not make it a story.
        judged, judged_body = _without_panels(paragraphs, body)
        why = _without_prose(judged, url_hint) if url_hint else None
        why = why or self._why_not_article(meta, judged_body, tree, judged, images, signals)
        why = why or self._passed_not_article(meta, body, tree, signals)
        if why is not None:
            reason, detail = why
            return self._reject(page, reason, detail, title=title, encoding=encoding)
        kinds: tuple[ParagraphKind, ...] = tuple(
            "text" if kind == "item" else kind for kind, _ in body.blocks[: len(paragraphs)]
        )
        source = self.sources.get(page.source)
        published_at, published_from = meta.published_at, meta.published_from
        if published_at is None and page.hints.published_at is not None:
            published_at = page.hints.published_at
            published_from = page.hints.published_from or _hint_origin(page.hints.discovered_from)
        if published_at is None and meta.shown_date is not None:
            published_at, published_from = meta.shown_date, "text"
        # What the page (else the source's config) declares is evidence, weighed against
        # what the text reads as: a template's default lang="en" over a German body loses.
        language = detect_language(
            "\n\n".join(paragraphs), declared=meta.language or (source.language if source else None)
        )
        canonical_url, canonical_note, served = self._canonical(page, meta, source)
        # Redirected, the article's url is the URL that served it, so that fetching one
        # story through an alias that redirects to it (a bare host, an old path) does not
        # change its ``url`` with the order of the fetches.
        redirected = bool(page.final_url) and page.final_url != page.url
        return Article(
            source=page.source,
            url=served if redirected else page.url,
            canonical_url=canonical_url,
            canonical_note=canonical_note,
            title=_without_control(title),
            paragraphs=paragraphs,
            kinds=kinds,
            authors=_all_without_control(meta.authors),
            published_at=published_at,
            published_from=published_from,
            modified_at=meta.modified_at,
            modified_from=meta.modified_from,
            language=language,
            encoding=encoding,
            http_status=page.status,
            page_id=page.page_id,
            truncated=truncated,
        )

    def _why_not_article(
        self, meta: PageMetadata, body: BodyResult, tree: etree._Element,
        paragraphs: tuple[str, ...], images: int, signals: PageSignals,
    ) -> tuple[RejectionReason, str] | None:
        """The rejection (reason, detail) the extracted body calls for, or None."""
        text = "\n\n".join(paragraphs)
        words = length_in_words(text)
        min_words = self.config.min_words
        if words < min_words or length_in_words(body.raw_text) <= _SOFT_404_MAX_WORDS:
            # Little text: the page may be an error page in an article's template.
            visible = body.raw_text or _visible_text(tree)
            if phrase := is_short_error_page(length_in_words(visible), visible):
                return "soft_404", f"short page says {phrase!r}"
        dated = signals.has_date
        if why := self._page_kind(meta, body, tree, paragraphs, signals):
            return "not_article", why
        # Read once for both tests below: the property reads the JSON-LD value and its
        # markup on every call.
        ld_body = meta.article_body
        if not dated and gallery_without_text(images, words, min_words) and not ld_body:
            return "not_article", f"gallery: {images} images and {words} words of text"
        # A brief marked up as an article, with its body in JSON-LD, is short on purpose;
        # so is one that declares itself an article, dated and under a byline or its one
        # headline, down to half the minimum.
        brief = (ld_body and words > 0 and has_article_markup(meta, tree)) or (
            words >= min_words * _BRIEF_SHARE and _declared_story(signals)
        )
        if words < min_words and not brief:
            return "too_short", f"{words} words after cleaning (minimum {min_words})"
        return None

    def _passed_not_article(
        self, meta: PageMetadata, body: BodyResult, tree: etree._Element, signals: PageSignals,
    ) -> tuple[RejectionReason, str] | None:
        """Where the safety net's candidate replaced our pass's body, the page-kind rules'
        verdict on our pass's body as well: the net recovers an article our pass cut short,
        it does not turn a page of buttons into a story. Only the page-kind rules are
        asked of it (a short body of our pass is what the net replaces, not a reason)."""
        passed = body.passed
        if passed is None:
            return None
        paragraphs = tuple(limit_paragraphs([text for _, text in passed.blocks])[0])
        # Nor is the body the net replaced an index of links: a link list our pass took
        # for the story is what the net exists to replace.
        why = self._page_kind(meta, passed, tree, paragraphs, signals, index_rule=False)
        return ("not_article", f"{why} (judged on our pass's body, which the safety net replaced)") if why else None

    def _page_kind(
        self, meta: PageMetadata, body: BodyResult, tree: etree._Element, paragraphs: tuple[str, ...],
        signals: PageSignals, *, index_rule: bool = True,
    ) -> str | None:
        """Why the page-kind rules and model call the page no article, or None."""
        marked = has_article_markup(meta, tree)
        # A publication date is the one article signal that held on unseen sites: the body's
        # link-share rules misjudged dated articles with big menus or link lists.
        facts, rules = _body_listing(paragraphs, body, tree)
        if index_rule and (index := link_index_reason(body.link_word_share, len(paragraphs))):
            rules[LINK_INDEX] = index
        rules.update(rule_reasons(signals, paragraphs))
        verdict = self._page_verdict(signals, facts, frozenset(rules))
        return decide(verdict, rules, body_rules_apply=not marked and not signals.has_date, paginated=signals.paginated)

    def _page_verdict(self, signals: PageSignals, facts: BodyFacts, rules: frozenset[str]) -> Verdict | None:
        """The page-kind model's verdict on the page (None when the extractor has no model)."""
        vector = page_vector(signals, facts, rules)
        if self.on_page_vector is not None:
            self.on_page_vector(vector)
        return self.page_model.judge(vector) if self.page_model is not None else None

    def _canonical(
        self, page: FetchedPage, meta: PageMetadata, source: SourceConfig | None
    ) -> tuple[str, str | None, str]:
        """The article's identity, why its rel=canonical was not taken (or None), and the
        identity of the URL that served the page (after redirects, canonicalised with the
        source's tracking parameters).

        rel=canonical (or og:url) is the identity when it stays on the site and names a
        page of its own; else the fetched URL's identity. A cross-site canonical is the
        syndication credit of a copy: the copy keeps its own identity so that dedup can
        link it to the original rather than overwrite it. A canonical naming the site
        root or a section page (a start URL of the source, or a path the article's own
        path lies under) is a CMS misconfiguration: taken as identity, it would merge
        every article of the section into one row.
        """
        base = page.final_url or page.url
        tracking = source.tracking if source is not None else frozenset()
        try:
            own = canonicalize_url(base, tracking)
        except ValueError:
            own = page.url
        domains = source.domains if source is not None else ()
        from_amp_cache = (urlsplit(base).hostname or "").endswith(_AMP_CACHE_SUFFIX)
        for href in (meta.canonical_href, meta.og_url):
            if not href:
                continue
            try:
                candidate = canonicalize_url(urljoin(base, href), tracking)
            except ValueError:
                continue
            if not (same_site(candidate, own, domains) or from_amp_cache):
                self.stats[f"{self.name}/cross_site_canonical"] += 1
                break
            reason = _misplaced_canonical(candidate, own, source, tracking)
            if reason is None:
                return candidate, None, own
            self.stats[f"{self.name}/canonical_ignored/{reason}"] += 1
            return own, f"{reason}: {candidate}", own
        return own, None, own


def _misplaced_canonical(
    candidate: str, own: str, source: SourceConfig | None, tracking: frozenset[str]
) -> str | None:
    """``canonical_root`` or ``canonical_section`` when ``candidate`` (a same-site
    canonical of the page at ``own``) names the site root or a section page, else None."""
    if candidate == own:
        return None
    parts = urlsplit(candidate)
    path = parts.path.rstrip("/")
    if not path and not parts.query:
        return "canonical_root"
    entries: set[str] = set()
    for url in source.entry_urls if source is not None else ():
        with contextlib.suppress(ValueError):
            entries.add(canonicalize_url(url, tracking))
    own_path = urlsplit(own).path
    if candidate in entries or (not parts.query and own_path.startswith(path + "/")):
        return "canonical_section"
    return None


def _body_listing(
    paragraphs: tuple[str, ...], body: BodyResult, tree: etree._Element
) -> tuple[BodyFacts, dict[str, str]]:
    """What the older listing rules measure on the extracted body, and those that call
    the page a listing, by name (``page_kind.BODY_RULES``) with their reason."""
    longest = max((len(p) for p in paragraphs), default=0)
    headlines = headline_links(paragraphs, tree)
    rules: dict[str, str] = {}
    if is_teaser_list(body.link_word_share, len(paragraphs), longest):
        rules["teasers"] = f"a list of {len(paragraphs)} teaser links, no paragraph over {longest} characters"
    if is_listing(headlines, len(paragraphs)):
        rules["headlines"] = f"a listing: {headlines} of {len(paragraphs)} paragraphs are headline links"
    if heavy := link_heavy_page(tree):
        rules["link_heavy"] = heavy
    kinds = tuple(kind for kind, _ in body.blocks[: len(paragraphs)])
    return BodyFacts(paragraphs, body.link_word_share, headlines, kinds), rules


def _without_panels(paragraphs: tuple[str, ...], body: BodyResult) -> tuple[tuple[str, ...], BodyResult]:
    """``paragraphs`` and ``body`` without the blocks that come from the collapsed panels
    shown to the pass (``disclosure``); as they are when none was shown."""
    if not body.panels:
        return paragraphs, body
    kept = [
        index for index, text in enumerate(paragraphs) if not in_panels(text, body.panels)
    ]
    if len(kept) == len(paragraphs):
        return paragraphs, body
    blocks = [body.blocks[index] for index in kept] + body.blocks[len(paragraphs):]
    return tuple(paragraphs[index] for index in kept), dataclasses.replace(body, blocks=blocks)


def _declared_story(signals: PageSignals) -> bool:
    """Article markup, a date of the page's own, and a byline or one ``<h1>``: a story."""
    return signals.declared_article and signals.has_date and (signals.has_author or signals.layout.h1 == 1)


def _url_hint_deferred(reason: str, signals: PageSignals, headline_is_title: bool = False) -> bool:
    """Whether a page the URL or its JSON-LD calls a home page or a listing shows enough
    of an article to be judged on its body.

    - a home page: a date of its own (a blog root showing its latest post);
    - a listing URL: a date, or a byline over the page's one headline (a story filed
      under ``/topics/``), or one headline that is the page's title over a page of prose
      (``_HOME_MIN_PROSE`` paragraphs of 40+ words before pruning): a guide filed under
      a topic path, undated and unsigned;
    - JSON-LD that declares only an ``ItemList`` (no collection or search page): a page
      that declares itself a story (``_declared_story``), its one headline the title: a
      "top ten" story lists its items in JSON-LD.

    Deferred, the body still has to hold ``_HOME_MIN_PROSE`` paragraphs of prose
    (``_without_prose``) and pass the page-kind rules.
    """
    if reason == HOME_PAGE:
        return signals.has_date
    single = signals.layout.h1 == 1
    if reason.startswith(LISTING_URL):
        prose_page = single and headline_is_title and signals.layout.prose_paragraphs >= _HOME_MIN_PROSE
        return signals.has_date or (signals.has_author and single) or prose_page
    if reason.startswith(JSONLD_LISTING) and signals.ld_types & NOT_ARTICLE_TYPES == {"itemlist"}:
        return single and headline_is_title and _declared_story(signals)
    return False


def _headline_is_title(tree: etree._Element) -> bool:
    """Whether the page's first ``<h1>`` says what its ``<title>`` (or ``og:title``) says:
    most of the shorter's words are in the longer (a site name or a kicker may be added to
    either). The metadata's title is not asked: it may be the ``<h1>`` itself."""
    headline = h1_text(tree)
    if not headline.strip():
        return False
    titles = [str(text) for text in _DOCUMENT_TITLES(tree)]
    for title in filter(str.strip, titles):
        short, long = sorted((title, headline), key=len)
        if overlap(short, long) >= _HEADLINE_TITLE_OVERLAP:
            return True
    return False


def _without_prose(paragraphs: tuple[str, ...], url_hint: str) -> tuple[RejectionReason, str] | None:
    """The rejection of a page under a home or listing URL whose body is not one story."""
    prose = len(prose_paragraphs(paragraphs))
    if prose >= _HOME_MIN_PROSE:
        return None
    return "not_article", f"{url_hint}, {prose} paragraphs of prose"


# A line of the authors' names is looked for this near the body's start and its end.
_BYLINE_HEAD = 3
_BYLINE_TAIL = 2


def _without_byline_lines(blocks: list[Block], authors: Sequence[str], dropped: collections.Counter[str]) -> list[Block]:
    """``blocks`` without the lines near its start or end that only name the authors (the
    byline the article records in ``authors``)."""
    if not authors:
        return blocks
    kept: list[Block] = []
    for index, block in enumerate(blocks):
        near = index < _BYLINE_HEAD or index >= len(blocks) - _BYLINE_TAIL
        if near and is_byline_line(block[1], authors):
            dropped["byline"] += 1
            continue
        kept.append(block)
    return kept


def _lines(text: str) -> list[str]:
    """The non-blank lines of ``text``, whitespace-normalised."""
    return [line for line in (normalize_space(part) for part in text.splitlines()) if line]


def _visible_text(tree: etree._Element) -> str:
    body = tree.find("body")
    return normalize_space("".join(shown_texts(body)))[:_VISIBLE_TEXT_CHARS] if body is not None else ""


def _hint_origin(discovered_from: str | None) -> DateOrigin:
    return "sitemap" if discovered_from and "sitemap" in discovered_from.lower() else "feed"



def _without_control(text: str | None) -> str | None:
    """``text`` without control characters (``CONTROL_CHARS``)."""
    return CONTROL_CHARS.sub("", text) if text else text


def _all_without_control(texts: Iterable[str]) -> tuple[str, ...]:
    """Each of ``texts`` without control characters."""
    return tuple(CONTROL_CHARS.sub("", text) for text in texts)
