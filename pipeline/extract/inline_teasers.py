"""Headlines of other stories set between a body's paragraphs ("inline teasers").

Outlets drop a link to another of their stories between two paragraphs of an article:
a single line, the other story's headline, with no sentence end, that is the text of a
link to another article URL of the same site. trafilatura keeps the line as a paragraph
of its own; it is not part of the story. The line is dropped only when all of these hold:

- it is short and does not end a sentence (a headline, not prose);
- (nearly) all of its words are the text of one link on the page (or of the heading in a
  card linked whole), or all of them after a short label set apart by a bar
  ("READ ALSO | <headline>", in any language);
- the link points to another page of the same site, with a path (not the page itself,
  not an anchor on it, not the home page) - a table of contents links to the page itself;
- it sits between two body paragraphs (prose before and after): a run of links at the
  end of the body is left to the "related" rules and to the list rule below, and a
  linked sub-heading that opens a section of links is not between prose.

Below the story, templates set a list of other stories' headlines with no heading over it
("more from the site"), and sometimes a line or two after it. trafilatura reads the list as
part of the body when it shares the story's container. Such a list is cut, with what
follows it, when all of these hold:

- three or more of those headline lines follow one another;
- the body's text before them is a story (prose, and at least 30% of the text);
- what follows them, other than more such headlines, is at most 20% of the text: with
  more after it the list is one of the story's own (a guide's linked items, each with its
  description, or a list of links the story goes on after).
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from newsdedup.pipeline.extract.blocks import Block
from newsdedup.pipeline.extract.chrome import chrome_rule, is_related_heading
from newsdedup.pipeline.extract.text import CLAUSE_END, WORD

__all__ = ["drop_inline_teasers", "link_targets"]

_MAX_CHARS = 160
_MIN_WORDS = 2
# At most this many lines between two paragraphs (a box of a few links, not a list).
_MAX_RUN = 4
_BOX_LINKS = 2
# A paragraph of prose around the line: this long, ending a sentence.
_PROSE_CHARS = 80
# Share of the line's characters (word characters only) the link's text must cover.
_LINK_COVER = 0.8
# A label set before the link with a bar ("READ THIS TOO | <headline>"), in any language:
# a few words, then the bar.
_LABELLED = re.compile(r"^\W*(?:\w+\W+){0,4}?\w+\s*[|¦]\s*(.+)$")
_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# A list of other stories below the story: this many headlines in a row, after this share
# of the text, with at most this share of other text after them.
_LIST_RUN = 3
_STORY_SHARE = 0.3
_AFTER_SHARE = 0.2


def _key(text: str) -> str:
    return " ".join(WORD.findall(text.lower()))


def _host(url: str) -> str:
    host = urlsplit(url).netloc.lower()
    return host[4:] if host.startswith("www.") else host


def _own_url(tree: HtmlElement) -> str:
    """The page's URL as it declares it (canonical link, then og:url), or ""."""
    for path in ("//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content"):
        found = tree.xpath(path)
        if found and str(found[0]).startswith("http"):
            return str(found[0])
    return ""


def link_targets(tree: HtmlElement) -> dict[str, str]:
    """Link text (lower-cased words) -> the first URL on the page it links to, for links to
    another page of the same site (relative, or on the page's own host)."""
    own = _own_url(tree)
    own_host = _host(own) if own else ""
    own_path = urlsplit(own).path.rstrip("/") if own else None
    if not own_host:
        # No declared URL: the host the page's absolute links point to most.
        hosts = Counter(_host(str(href)) for href in tree.xpath("//a/@href") if str(href).startswith("http"))
        own_host = hosts.most_common(1)[0][0] if hosts else ""
    targets: dict[str, str] = {}
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        url = urljoin(own or "http://page.invalid/", href)
        parts = urlsplit(url)
        host = _host(url)
        if host not in (own_host, "page.invalid") and not host.endswith("." + own_host):
            continue
        path = parts.path.rstrip("/")
        if not path or path == own_path:
            continue
        key = _key(anchor.text_content())
        if key:
            targets.setdefault(key, url)
        # A card linked whole (picture, kicker, headline): its headline is the teaser line.
        for heading in anchor.iter(*_HEADING_TAGS):
            if key := _key(heading.text_content()):
                targets.setdefault(key, url)
    return targets


def _is_prose(block: Block) -> bool:
    kind, text = block
    return kind != "heading" and len(text) >= _PROSE_CHARS and CLAUSE_END.search(text) is not None


def _is_headline(block: Block) -> bool:
    _, text = block
    return len(text) <= _MAX_CHARS and CLAUSE_END.search(text) is None and len(WORD.findall(text)) >= _MIN_WORDS


def _linked(text: str, targets: dict[str, str]) -> bool:
    """Whether (nearly) all of ``text``'s words are one link's text."""
    key = _key(text)
    if key in targets:
        return True
    # A marker before the link ("> Headline", "→ Headline"): the link covers most of it.
    words = key.split()
    for start in range(1, min(3, len(words) - 1) + 1):
        rest = " ".join(words[start:])
        if rest in targets and len(rest) >= _LINK_COVER * len(key):
            return True
    labelled = _LABELLED.match(text)
    return labelled is not None and len(WORD.findall(labelled[1])) >= _MIN_WORDS and _key(labelled[1]) in targets


def _is_label(block: Block) -> bool:
    kind, text = block
    return kind == "heading" or bool(is_related_heading(text)) or chrome_rule(text) is not None


def _runs(blocks: list[Block]) -> list[range]:
    """The runs of short lines that sit between two prose paragraphs."""
    runs: list[range] = []
    start = None
    for index, block in enumerate(blocks):
        if _is_prose(block):
            if start is not None and 0 < index - start <= _MAX_RUN:
                runs.append(range(start, index))
            start = index + 1
        elif start is not None and len(block[1]) > _MAX_CHARS:
            start = None
    return runs


def drop_inline_teasers(
    blocks: list[Block], tree: HtmlElement, dropped: Counter[str], examples: dict[str, str] | None = None,
) -> list[Block]:
    """``blocks`` without the headline lines of other stories set between paragraphs
    (counted under ``inline_teaser`` in ``dropped``) and without a list of other stories'
    headlines below the story and what little follows it (``teaser_list``); the first line
    of each kind goes to ``examples``, when given."""
    runs = [run for run in _runs(blocks) if any(_is_headline(blocks[i]) for i in run)]
    # Dropping inline teasers (headline lines) never joins two runs of headlines: a list
    # below the story is sought only when the body had three headline lines in a row.
    listed = _has_headline_run(blocks)
    if not runs and not listed:
        return blocks
    targets = link_targets(tree)
    drop: set[int] = set()
    for run in runs:
        drop |= _teasers_in(run, blocks, targets)
    dropped["inline_teaser"] += len(drop)
    if drop and examples is not None:
        examples.setdefault("inline_teaser", blocks[min(drop)][1])
    kept = [block for i, block in enumerate(blocks) if i not in drop]
    end = _teaser_list_start(kept, targets) if listed else None
    if end is None:
        return kept
    dropped["teaser_list"] += len(kept) - end
    if examples is not None:
        examples.setdefault("teaser_list", kept[end][1])
    return kept[:end]


def _has_headline_run(blocks: list[Block]) -> bool:
    """Whether ``_LIST_RUN`` headline-shaped lines follow one another (before the links are read)."""
    run = 0
    for block in blocks:
        run = run + 1 if _is_headline(block) else 0
        if run == _LIST_RUN:
            return True
    return False


def _teaser_list_start(blocks: list[Block], targets: dict[str, str]) -> int | None:
    """Where a list of other stories' headlines below the story starts (module docstring), or None."""
    linked = [_is_headline(block) and _linked(block[1], targets) for block in blocks]
    total = sum(len(text) for _, text in blocks)
    run = 0
    for index in range(len(blocks)):
        run = run + 1 if linked[index] else 0
        if run != _LIST_RUN:
            continue
        start = index - run + 1
        before = sum(len(text) for _, text in blocks[:start])
        after = sum(len(text) for (_, text), link in zip(blocks[start:], linked[start:], strict=True) if not link)
        if (before >= _STORY_SHARE * total and after <= _AFTER_SHARE * total
                and any(_is_prose(block) for block in blocks[:start])):
            return start
    return None


def _teasers_in(run: range, blocks: list[Block], targets: dict[str, str]) -> set[int]:
    """The lines of ``run`` (indexes into ``blocks``) that are other stories' headlines."""
    linked = {i for i in run if _is_headline(blocks[i]) and _linked(blocks[i][1], targets)}
    # Every other line of the run must be a label, chrome ("Read more", "Advertisement")
    # or the next section's heading: a linked line within the story's own list is kept.
    if not linked or not all(i in linked or _is_label(blocks[i]) for i in run):
        return set()
    # A linked heading or list item is the story's own outline (a listicle's entries,
    # a described list) unless the run shows a box of teasers: a label, or several links.
    boxed = len(linked) >= _BOX_LINKS or any(is_related_heading(blocks[i][1]) for i in run)
    return {i for i in linked if boxed or blocks[i][0] == "text"}
