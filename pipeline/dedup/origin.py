"""Which member of a syndication cluster is the original: the evidence and its order.

An article that credits another outlet ("This article originally appeared on X",
"LONDON (Reuters) -", "Source: X") says it is a copy. Then a source marked as a wire in
``dedup.wire_sources``, the earliest publication (else first seen) time, the first seen
time, ``dedup.source_priority``, and the older article decide, in that order.
:func:`election_key` puts that in one sortable tuple; :func:`deciding_reason` names the
part of it that made one article lead another (stored as ``clusters.canonical_reason``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

__all__ = ["REASONS", "ElectionKey", "credited_outlet", "deciding_reason", "election_key"]

#: (credits another outlet, not a wire, undated, published else first seen, first seen,
#: priority rank, article id): lower leads.
ElectionKey = tuple[bool, bool, bool, datetime, datetime, int, int]

#: The reason for each part of an :data:`ElectionKey`; ``only`` for a cluster of one.
REASONS = ("attribution", "wire", "published", "published", "first_seen", "priority", "oldest")

# A credit line is short; a long paragraph that mentions a source is reporting, not a credit.
_MAX_CREDIT_WORDS = 40
_NAME = r"(?P<name>[^\n.,;:!?()\[\]]{2,80})"
_CREDITS = [
    re.compile(p, re.IGNORECASE) for p in (
        r"\b(?:originally|first)\s+(?:appeared|published|ran|posted|printed)\s+(?:on|in|by|at)\s+" + _NAME,
        r"\brepublished\s+(?:here\s+)?(?:from|courtesy\s+of|with\s+(?:the\s+)?permission\s+(?:of|from))\s+" + _NAME,
        r"^\W*(?:source|sources|courtesy(?:\s+of)?|via)\s*[:\u2013\u2014-]\s*" + _NAME,
    )
]
# A wire dateline opens the story: "KYIV (Reuters) - ...", "(AP) -- ...".
_DATELINE = re.compile(
    r"^\W*(?:[A-Z][\w'.\- ]{0,40}?\s)?\((?P<name>[A-Z][\w&'.\- ]{1,40})\)\s*(?:[-\u2013\u2014]{1,2}|:)\s"
)
# Where a credited name stops: "on Kyiv Daily and is republished ...".
_NAME_END = re.compile(
    r"\s+(?:and|under|with|who|which|that|as|for|is|was|has|on|in|at|from|website|site|"
    r"newspaper|web\s*site)\b.*$", re.IGNORECASE)
_NOT_NAMES = re.compile(
    r"^(?:the\s+)?(?:\d|january|february|march|april|may|june|july|august|september|october|"
    r"november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|"
    r"yesterday|this|our|an?\s+earlier|here)\b", re.IGNORECASE)


def _squash(name: str) -> str:
    return re.sub(r"\W+|_", "", name.casefold())


def _clean_name(raw: str) -> str | None:
    name = _NAME_END.sub("", raw.strip()).strip(" '\"\u2018\u2019\u201c\u201d-")
    name = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
    if not name or _NOT_NAMES.match(name) or not name[0].isupper() or len(name) > 60:
        return None
    return name


def _is_self(name: str, own: Iterable[str]) -> bool:
    credited = _squash(name)
    for mine in own:
        squashed = _squash(mine)
        if len(squashed) >= 3 and (squashed in credited or credited in squashed):
            return True
    return False


def credited_outlet(paragraphs: Iterable[str], own_names: Iterable[str]) -> str | None:
    """The outlet a body credits as the original (the first credit line naming an outlet
    that is not one of ``own_names``, the article's source name and host), or None.

    Every extracted paragraph counts, template ones too: an outlet that republishes under
    one standing footer still says so on each copy."""
    own = [name for name in own_names if name]
    for paragraph in paragraphs:
        if len(paragraph.split()) > _MAX_CREDIT_WORDS:
            continue
        for pattern in (*_CREDITS, _DATELINE):
            match = pattern.search(paragraph)
            if match is None:
                continue
            name = _clean_name(match.group("name"))
            if name is not None and not _is_self(name, own):
                return name
    return None


def election_key(*, credited: bool, wire: bool, published_at: datetime | None,
                 first_seen_at: datetime, priority: int, article_id: int) -> ElectionKey:
    """The sort key of a cluster's canonical candidates (see the module docstring)."""
    return (credited, not wire, published_at is None, published_at or first_seen_at,
            first_seen_at, priority, article_id)


def deciding_reason(leader: tuple[Any, ...], other: tuple[Any, ...]) -> int:
    """Index (into :data:`REASONS`) of the first part where ``leader`` beats ``other``."""
    for index, (mine, theirs) in enumerate(zip(leader, other, strict=True)):
        if mine != theirs:
            return index
    return len(REASONS) - 1
