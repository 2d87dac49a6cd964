"""Which member of a syndication cluster is the original: the evidence and its order.

Two members are compared part by part; the first part that tells them apart decides:

1. ``attribution``: an article that credits another outlet ("This article originally
   appeared on X", "LONDON (Reuters) -", "Source: X") says it is a copy;
2. ``wire``: a source marked as a wire in ``dedup.wire_sources`` originates stories;
3. ``published``: the earlier publication time, only when both are dated (a copy that
   prints a date never beats an undated member on its date alone) and a bare date is
   not compared with a time on the same day;
4. ``fullest``: the member that tells clearly more of the story (story words the other
   lacks, ``fullness.py``): copies cut the end of the story, the original does not;
5. ``framing``: the member with fewer frame paragraphs the other lacks (editor's notes,
   teasers for the full story, inserts): copies add a frame;
6. ``first_seen``, ``priority`` (``dedup.source_priority``), ``oldest`` (the older article).

:func:`decide` says which of two :class:`Candidate` leads and the part that decided it
(stored as ``clusters.canonical_reason``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from newsdedup.pipeline.dedup.fullness import StoryText, unique_frames, unique_story_words

__all__ = ["REASONS", "Candidate", "credited_outlet", "decide", "election_key"]

#: The parts of the election, in order (``clusters.canonical_reason``); ``only`` for a
#: cluster of one.
REASONS = ("attribution", "wire", "published", "fullest", "framing", "first_seen", "priority",
           "oldest")

# Story words one member must tell beyond the other's to be the fuller: a changed
# headline or a short unrecognised frame line is not a cut story.
_FULLER_WORDS = 15

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


@dataclass(frozen=True, slots=True)
class Candidate:
    """What a cluster member brings to the election of its canonical."""

    credited: bool
    wire: bool
    published_at: datetime | None
    first_seen_at: datetime
    priority: int
    article_id: int
    story: StoryText = field(default_factory=lambda: StoryText(()), compare=False, repr=False)


def election_key(*, credited: bool, wire: bool, published_at: datetime | None,
                 first_seen_at: datetime, priority: int, article_id: int,
                 story: StoryText | None = None) -> Candidate:
    """A member of a cluster as the election sees it (see the module docstring)."""
    return Candidate(credited, wire, published_at, first_seen_at, priority, article_id,
                     story if story is not None else StoryText(()))


def _dated_pair(mine: datetime | None, theirs: datetime | None) -> bool:
    """Whether two publication times can be compared: both known and, when one of them
    is a bare date (midnight), not on the same day."""
    if mine is None or theirs is None or mine == theirs:
        return False
    return not (mine.date() == theirs.date() and (_bare(mine) or _bare(theirs)))


def _bare(moment: datetime) -> bool:
    return moment.hour == moment.minute == moment.second == moment.microsecond == 0


def _fuller(mine: StoryText, theirs: StoryText) -> int:
    """+1 when ``mine`` tells clearly more of the story than ``theirs``, -1 when less."""
    more = unique_story_words(mine, theirs) - unique_story_words(theirs, mine)
    if abs(more) < _FULLER_WORDS:
        return 0
    return 1 if more > 0 else -1


def _evidence(a: Candidate, b: Candidate) -> Iterator[int]:
    """Per part of the election, in order: -1 when ``a`` leads, +1 when ``b`` does, 0
    when that part does not tell them apart."""
    yield (a.credited > b.credited) - (a.credited < b.credited)
    yield (b.wire > a.wire) - (b.wire < a.wire)
    if _dated_pair(a.published_at, b.published_at):
        assert a.published_at is not None and b.published_at is not None
        yield (a.published_at > b.published_at) - (a.published_at < b.published_at)
    else:
        yield 0
    yield -_fuller(a.story, b.story)
    frames_a, frames_b = unique_frames(a.story, b.story), unique_frames(b.story, a.story)
    yield (frames_a > frames_b) - (frames_a < frames_b)
    yield (a.first_seen_at > b.first_seen_at) - (a.first_seen_at < b.first_seen_at)
    yield (a.priority > b.priority) - (a.priority < b.priority)
    yield (a.article_id > b.article_id) - (a.article_id < b.article_id)


def decide(a: Candidate, b: Candidate) -> tuple[bool, int]:
    """Whether ``a`` leads ``b``, and the index (into :data:`REASONS`) of the part of the
    election that decided."""
    for index, verdict in enumerate(_evidence(a, b)):
        if verdict:
            return verdict < 0, index
    return False, len(REASONS) - 1
