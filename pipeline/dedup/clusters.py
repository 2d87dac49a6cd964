"""Syndication clusters: each article joins the story it copies, or starts its own.

A :class:`Clusterer` is the view of one batch: the stored stories, band buckets and
canonical sketches the batch can reach (read from the database up front) plus what the
batch adds, in memory, so each article sees the ones placed before it. Candidates come
from shared LSH band keys within the date window; each candidate story is verified
against its canonical (not the member that made it a candidate), so a story never grows
by chaining near neighbours. A body equal to a stored one joins it as an exact copy.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from newsdedup.core.config import DedupConfig
from newsdedup.pipeline.dedup.origin import Candidate, decide
from newsdedup.pipeline.dedup.sketch import DocumentSketch
from newsdedup.pipeline.dedup.verify import Match, Sketch, verify

__all__ = ["Body", "Clusterer", "Placement", "Story"]

OrderKey = Candidate

# A bucket member is one int, article id and day packed, and a bucket of one is that int
# alone: a batch holds tens of thousands of them, and ints cost the garbage collector
# nothing where lists and tuples of them would be scanned over and over.
_DAY_BITS = 21
_DAY_OFFSET = 1 << 20  # days from 1970 in [-2**20, 2**20): any plausible date
_DAY_MASK = (1 << _DAY_BITS) - 1


def _pack(article_id: int, day: int) -> int:
    return (article_id << _DAY_BITS) | ((day + _DAY_OFFSET) & _DAY_MASK)


def _day_of(member: int) -> int:
    return (member & _DAY_MASK) - _DAY_OFFSET


@dataclass(frozen=True, slots=True)
class Body:
    """An article to place: its sketch, ``day`` (for the window), canonical ``order`` and
    band keys (None when the body is too short to be matched at all)."""

    article_id: int
    day: int
    order: OrderKey
    sketch: DocumentSketch
    keys: Sequence[int] | None


@dataclass(slots=True)
class Story:
    """A cluster as the batch sees it. ``key`` is its id, or negative while it is new.

    ``reason``: the part of the election key (``newsdedup.pipeline.dedup.origin.REASONS``) where the
    canonical beats the runner-up, None while the story has one member (or an older
    stored story never said)."""

    key: int
    canonical: int
    size: int
    stored_canonical: int | None = None
    dirty: bool = False
    reason: int | None = None

    @property
    def stored(self) -> bool:
        return self.key > 0


@dataclass(slots=True)
class Placement:
    """Where a batch article went: its story and, for a copy, how it matched."""

    story: int
    match: Match | None = None


@dataclass(slots=True)
class Clusterer:
    """Places the bodies of one batch, oldest first; see the module docstring."""

    config: DedupConfig
    stories: dict[int, Story] = field(default_factory=dict)
    #: article id -> story key, for every article the batch can reach
    members: dict[int, int] = field(default_factory=dict)
    #: article id -> (sketch, day, order) of the canonicals (and of the batch's bodies)
    sketches: dict[int, tuple[Sketch, int, OrderKey]] = field(default_factory=dict)
    #: band key -> packed member, or list of them, within the batch's reach
    buckets: dict[int, int | list[int]] = field(default_factory=dict)
    #: content hash -> an article id with that clean body
    exact: dict[str, int] = field(default_factory=dict)
    placements: dict[int, Placement] = field(default_factory=dict)
    #: band keys a batch body was not added under (its bucket was full)
    skipped: dict[int, set[int]] = field(default_factory=dict)
    #: stored articles that stopped being canonical: article id -> its match with the new one
    demoted: dict[int, Match] = field(default_factory=dict)
    _placed: list[Body] = field(default_factory=list)
    _next_key: int = -1

    def add_buckets(self, rows: Iterable[tuple[int, int, int]]) -> None:
        """Stored band rows ``(band key, day, article id)`` the batch can reach."""
        for key, day, article_id in rows:
            self._add(key, _pack(article_id, day))

    def new_bands(self) -> Iterator[tuple[int, int, int]]:
        """``(band key, day, article id)`` rows of the bodies placed, to store."""
        for body in self._placed:
            if body.keys is None:
                continue
            skipped = self.skipped.get(body.article_id, ())
            for key in body.keys:
                if key not in skipped:
                    yield key, body.day, body.article_id

    def place(self, body: Body) -> tuple[Placement, str]:
        """Put ``body`` in a story; returns the placement and what happened
        (``too_short``, ``exact_copy``, ``cluster_joined`` or ``cluster_new``)."""
        config = self.config
        if body.keys is None:
            self._placed.append(body)
            return self._found(body), "too_short"
        known = self.exact.get(body.sketch.content_hash)
        if known is not None and known in self.members:
            outcome = "exact_copy"
            placement = self._join(body, self.members[known], Match("exact", 1.0, 1.0))
        else:
            best: tuple[Match, int] | None = None
            for story_key in self._candidates(body):
                story = self.stories[story_key]
                canonical, day, _order = self.sketches[story.canonical]
                if not self._in_window(day, body.day):
                    continue
                match = verify(body.sketch, canonical, config)
                if match is not None and (best is None or match.jaccard > best[0].jaccard):
                    best = (match, story_key)
            if best is None:
                placement, outcome = self._found(body), "cluster_new"
            else:
                placement, outcome = self._join(body, best[1], best[0]), "cluster_joined"
        self._remember(body)
        return placement, outcome

    def _candidates(self, body: Body) -> list[int]:
        config = self.config
        found: dict[int, None] = {}
        members = self.members
        assert body.keys is not None
        for key in body.keys:
            bucket = self.buckets.get(key)
            if bucket is None:
                continue
            stories = {
                members[member >> _DAY_BITS]
                for member in ((bucket,) if isinstance(bucket, int) else bucket)
                if (member >> _DAY_BITS) in members and self._in_window(_day_of(member), body.day)
            }
            # A key many different stories share is boilerplate or a stock phrase: it
            # says nothing about this body.
            if len(stories) <= config.max_bucket_stories:
                found.update(dict.fromkeys(stories))
        return list(found)

    def _in_window(self, day: int, other: int) -> bool:
        window = self.config.date_window_days
        return window == 0 or abs(day - other) <= window

    def _found(self, body: Body) -> Placement:
        key = self._next_key
        self._next_key -= 1
        self.stories[key] = Story(key, body.article_id, 1, None, dirty=True)
        self.members[body.article_id] = key
        self.sketches[body.article_id] = (body.sketch, body.day, body.order)
        placement = self.placements[body.article_id] = Placement(key)
        return placement

    def _join(self, body: Body, story_key: int, match: Match) -> Placement:
        story = self.stories[story_key]
        story.size += 1
        story.dirty = True
        self.members[body.article_id] = story_key
        self.sketches[body.article_id] = (body.sketch, body.day, body.order)
        placement = self.placements[body.article_id] = Placement(story_key, match)
        _sketch, _day, canonical_order = self.sketches[story.canonical]
        leads, reason = decide(body.order, canonical_order)
        if leads:
            # The new article leads: it becomes the canonical; the old one a copy. The
            # old canonical led every other member, so it is the runner-up now.
            story.reason = reason
            previous = story.canonical
            story.canonical = body.article_id
            placement.match = None
            if previous in self.placements:
                self.placements[previous].match = match
            else:
                self.demoted[previous] = match
        else:
            # Of the members the canonical leads, the closest differs from it latest.
            story.reason = reason if story.reason is None else max(story.reason, reason)
        return placement

    def _remember(self, body: Body) -> None:
        self.exact.setdefault(body.sketch.content_hash, body.article_id)
        self._placed.append(body)
        assert body.keys is not None
        member = _pack(body.article_id, body.day)
        buckets = self.buckets
        for key in body.keys:
            bucket = buckets.get(key)
            # The common cases inline: a new bucket, a bucket of one.
            if bucket is None:
                buckets[key] = member
            elif isinstance(bucket, int):
                buckets[key] = [bucket, member]
            elif not self._add(key, member, body.day):
                self.skipped.setdefault(body.article_id, set()).add(key)

    def _add(self, key: int, member: int, day: int | None = None) -> bool:
        """Add ``member`` to a bucket; False when the bucket is full (within the window
        of ``day``) and stops growing, so look-ups stay bounded."""
        bucket = self.buckets.get(key)
        if bucket is None:
            self.buckets[key] = member
        elif isinstance(bucket, int):
            self.buckets[key] = [bucket, member]
        else:
            limit = self.config.max_bucket_size
            if day is not None and len(bucket) >= limit and sum(
                1 for other in bucket if self._in_window(_day_of(other), day)
            ) >= limit:
                return False
            bucket.append(member)
        return True
