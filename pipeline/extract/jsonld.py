"""JSON-LD blocks of a page: parsed tolerantly, flattened, and the article object picked out."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml.html import HtmlElement

__all__ = ["ARTICLE_TYPES", "NOT_ARTICLE_TYPES", "LinkedData", "read_linked_data"]

#: schema.org types that describe one article.
ARTICLE_TYPES = frozenset(
    {
        "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle",
        "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle",
        "askpublicnewsarticle", "blogposting", "liveblogposting", "socialmediaposting",
        "report", "scholarlyarticle", "techarticle", "satiricalarticle", "advertisercontentarticle",
    }
)
#: schema.org types a page declares when it is a list, a profile or a search, not an article.
NOT_ARTICLE_TYPES = frozenset(
    {
        "collectionpage", "itemlist", "searchresultspage", "profilepage", "imagegallery",
        "mediagallery", "videogallery", "aboutpage", "contactpage",
    }
)
_MAX_SCRIPT_CHARS = 2_000_000
_MAX_DEPTH = 12
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True, slots=True)
class LinkedData:
    """What the page's JSON-LD says. ``article`` is the article object, if any."""

    article: dict[str, Any] | None = None
    types: frozenset[str] = frozenset()
    publisher_names: tuple[str, ...] = ()
    objects: tuple[dict[str, Any], ...] = field(default=(), repr=False)


def _parse(text: str) -> Any:
    cleaned = text.strip()
    if cleaned.startswith("<!--"):
        cleaned = cleaned[4:]
    if cleaned.endswith("-->"):
        cleaned = cleaned[:-3]
    cleaned = cleaned.strip().removeprefix("//<![CDATA[").removesuffix("//]]>").strip()
    # RecursionError: arrays or objects nested past the parser's stack, broken or hostile
    # markup the page's other blocks and body must survive.
    try:
        return json.loads(cleaned)
    except ValueError:
        pass
    except RecursionError:
        return None
    try:
        # Raw newlines and tabs inside strings are the usual breakage in hand-built JSON-LD.
        return json.loads(_CONTROL.sub(" ", cleaned.replace("\n", " ").replace("\r", " ").replace("\t", " ")))
    except (ValueError, RecursionError):
        return None


def _walk(node: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > _MAX_DEPTH:
        return
    if isinstance(node, dict):
        yield node
        for key, value in node.items():
            if key == "@graph" or isinstance(value, (dict, list)):
                yield from _walk(value, depth + 1)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item, depth + 1)


def type_names(obj: dict[str, Any]) -> set[str]:
    """The lower-case schema.org type names of ``obj`` (``@type`` may be a string or a list)."""
    raw = obj.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return {v.rsplit("/", 1)[-1].lower() for v in values if isinstance(v, str)}


def text_value(value: Any) -> str | None:
    """A plain string from a JSON-LD value (string, list of strings, or {"name"|"@value"})."""
    if isinstance(value, str):
        cleaned = html.unescape(value).strip()
        return cleaned or None
    if isinstance(value, list):
        for item in value:
            found = text_value(item)
            if found:
                return found
        return None
    if isinstance(value, dict):
        return text_value(value.get("@value") or value.get("name"))
    return None


def _article_score(obj: dict[str, Any]) -> int:
    score = 0
    if obj.get("headline"):
        score += 2
    if isinstance(obj.get("articleBody"), str):
        score += 3
    if obj.get("datePublished"):
        score += 1
    if "newsarticle" in type_names(obj):
        score += 1
    return score


def read_linked_data(tree: HtmlElement) -> LinkedData:
    """Parse every ``application/ld+json`` script; broken blocks are skipped, never raised."""
    objects: list[dict[str, Any]] = []
    for script in tree.iterfind(".//script"):
        kind = (script.get("type") or "").lower()
        if "ld+json" not in kind:
            continue
        text = script.text or ""
        if not text.strip() or len(text) > _MAX_SCRIPT_CHARS:
            continue
        objects.extend(_walk(_parse(text)))
    types: set[str] = set()
    articles: list[dict[str, Any]] = []
    publishers: list[str] = []
    for obj in objects:
        names = type_names(obj)
        types |= names
        if names & ARTICLE_TYPES:
            articles.append(obj)
        # A blog's publisher may be its writer, declared a Person: a person, not an outlet.
        if names & {"organization", "newsmediaorganization"} and "person" not in names:
            name = text_value(obj.get("name"))
            if name:
                publishers.append(name)
        publisher = obj.get("publisher")
        if isinstance(publisher, (dict, list)) and not (isinstance(publisher, dict) and "person" in type_names(publisher)):
            name = text_value(publisher)
            if name:
                publishers.append(name)
    article = max(articles, key=_article_score) if articles else None
    return LinkedData(
        article=article,
        types=frozenset(types),
        publisher_names=tuple(dict.fromkeys(publishers)),
        objects=tuple(objects),
    )
