"""Bodies split into chunks (around ads, images, embeds) are joined into their first chunk."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from lxml import etree
from lxml.html import HtmlElement

from newsdedup.pipeline.extract.prune import ASIDE_ROLES, CHROME_REGIONS, CHROME_ROLES, text_length

__all__ = ["body_chunks", "join_body_chunks"]

_PROSE_CHARS = 80
_CONTAINERS = frozenset({"div", "section", "article"})
_CHROME_ROLES = CHROME_ROLES | ASIDE_ROLES
# The chunks together must hold most of the page's prose to be taken for its body.
_MIN_PROSE_SHARE = 0.5
_MIN_CHUNK_PARAGRAPHS = 2
_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
# More headings than this between two chunks is a block of its own, not a subheading.
_MAX_HEADINGS_BETWEEN = 2


def _in_chrome(element: HtmlElement) -> bool:
    return any(
        ancestor.tag in CHROME_REGIONS or ancestor.get("role") in _CHROME_ROLES
        for ancestor in element.iterancestors()
    )


def _container(paragraph: HtmlElement) -> HtmlElement | None:
    """The paragraph's nearest container; None inside a footer, sidebar or menu (a site's
    page builder sets the "about us" text there in the same boxes as the body)."""
    if _in_chrome(paragraph):
        return None
    return next((ancestor for ancestor in paragraph.iterancestors() if ancestor.tag in _CONTAINERS), None)


def _prose_by_container(tree: HtmlElement) -> tuple[dict[HtmlElement, int], dict[HtmlElement, int], int]:
    """Prose characters and prose paragraphs per classed container, and the page's prose."""
    prose: dict[HtmlElement, int] = defaultdict(int)
    paragraphs: dict[HtmlElement, int] = defaultdict(int)
    total = 0
    for paragraph in tree.iter("p"):
        length = text_length(paragraph)
        if length < _PROSE_CHARS:
            continue
        total += length
        container = _container(paragraph)
        if container is not None and container.get("class"):
            prose[container] += length
            paragraphs[container] += 1
    return prose, paragraphs, total


def _chunk_group(tree: HtmlElement) -> list[HtmlElement] | None:
    """The same-tag, same-class containers holding most of the page's prose, if any."""
    prose, paragraphs, total = _prose_by_container(tree)
    groups: dict[tuple[str, str], list[HtmlElement]] = defaultdict(list)
    for container in prose:
        # One paragraph per wrapper is a block layout, not a body cut into chunks.
        if paragraphs[container] >= _MIN_CHUNK_PARAGRAPHS:
            groups[(container.tag, container.get("class", ""))].append(container)
    best = max(
        (members for members in groups.values() if len(members) > 1),
        key=lambda members: sum(prose[m] for m in members),
        default=None,
    )
    if best is None or sum(prose[m] for m in best) < _MIN_PROSE_SHARE * total:
        return None
    return best


def _joinable(tree: HtmlElement, chunks: list[HtmlElement]) -> bool:
    """Chunks in document order, not nested, with different parents (sibling chunks a
    content finder takes whole) and no headline between them (a second article)."""
    if len({chunk.getparent() for chunk in chunks}) == 1:
        return False
    position = {element: index for index, element in enumerate(tree.iter())}
    chunks.sort(key=lambda element: position[element])
    first, rest = chunks[0], chunks[1:]
    if any(first in chunk.iterancestors() or chunk in first.iterancestors() for chunk in rest):
        return False
    start, end = position[first], position[chunks[-1]]
    return not any(start < position[h1] < end for h1 in tree.iter("h1"))


def body_chunks(tree: HtmlElement) -> list[HtmlElement] | None:
    """The chunks ``join_body_chunks`` would join, in document order; None when none."""
    chunks = _chunk_group(tree)
    return chunks if chunks is not None and _joinable(tree, chunks) else None


def join_body_chunks(tree: HtmlElement) -> int:
    """Move the content of sibling body chunks into the first one; returns chunks joined.

    A content finder takes the first element that looks like the article body; CMSs that
    cut the body into several same-class containers (one per text run between ads and
    pictures) lose everything after the first cut. Chunks are the containers, sharing one
    tag and class but not one parent, that hold two or more prose paragraphs each; they are
    joined only when together they
    hold most of the page's prose and no other headline (<h1>) sits between them, which
    would mean a second article appended below the first. A subheading set between two
    chunks (in the section wrapper around a chunk, outside it) moves with the chunk after
    it, so that it stays above its text.
    """
    chunks = body_chunks(tree)
    if chunks is None:
        return 0
    headings = _headings_between(tree, chunks)
    first, rest = chunks[0], chunks[1:]
    for chunk in rest:
        for child in [*headings.get(chunk, ()), *chunk]:
            first.append(child)
    return len(rest)


def _events(root: HtmlElement) -> Iterator[tuple[str, HtmlElement]]:
    """The tree in reading order: ("start", e), ("text", e), its children, ("end", e),
    ("tail", e); "text" and "tail" only where they are not blank, no text of comments."""
    for event, element in etree.iterwalk(root, events=("start", "end", "comment", "pi")):
        if event != "end":
            yield "start", element
            if event == "start":
                if element.text and element.text.strip():
                    yield "text", element
                continue
        yield "end", element
        if element is not root and element.tail and element.tail.strip():
            yield "tail", element


def _headings_between(tree: HtmlElement, chunks: list[HtmlElement]) -> dict[HtmlElement, list[HtmlElement]]:
    """For each chunk but the first, the subheadings (h2-h6, outside chrome) that lead into
    it: after the chunk before it, with no text between them and the chunk but other such
    headings. A heading over text that is no chunk (a box of pros and cons) stays there."""
    starts = {chunk: index for index, chunk in enumerate(chunks)}
    found: dict[HtmlElement, list[HtmlElement]] = {}
    heads: list[HtmlElement] = []
    inside: HtmlElement | None = None  # the chunk or heading being read through
    for event, element in _events(tree):
        if inside is not None:
            if event == "end" and element is inside:
                inside = None
            continue
        if event == "start" and element in starts:
            if starts[element] > 0 and 0 < len(heads) <= _MAX_HEADINGS_BETWEEN:
                found[element] = heads
            heads, inside = [], element
        elif event == "start" and isinstance(element.tag, str) and element.tag in _HEADINGS:
            if text_length(element) > 0 and not _in_chrome(element):
                heads.append(element)
            inside = element
        elif event in ("text", "tail"):
            heads = []  # text between: the headings before it head that text
    return found
