"""Source templates: paragraphs a source prints on many of its articles.

A :class:`TemplateIndex` is the view of one batch: the paragraph groups the batch can
touch (read from the database up front) plus what the batch adds, in memory, so the
articles of a batch are counted one after the other without a query each. A paragraph
joins a group by exact fingerprint, or, when long enough to shingle, by an estimated
Jaccard of at least ``paragraph_threshold`` with the group's first paragraph (found
through LSH bands within the same source). A group counted in ``template_min_articles``
distinct articles of its source becomes a template, for good; its first articles are
then reported, so the stage cleans them again (retroactive).

Unless those articles are one recurring story: the days of a weather report or a
markets wrap, or one story the source ran under several URLs, repeat their sentences
by design, with other figures and a few other words. A group whose articles, beyond the
paragraphs they share, still overlap in the rest of their text (digit-masked word
shingles, Jaccard of at least ``series_threshold``) is that story's text, not the
source's template: it stays content until an article of another story prints it too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from newsdedup.core.normalise import mask_digits
from newsdedup.pipeline.dedup.bands import short_keys
from newsdedup.pipeline.dedup.minhash import Signature, band_keys, jaccard
from newsdedup.pipeline.dedup.paragraphs import Verdict
from newsdedup.pipeline.dedup.sketch import ParagraphSketch

__all__ = ["PARAGRAPH_BANDS", "PARAGRAPH_ROWS", "Counted", "CountedLoader", "Group", "GroupKey",
           "TemplateIndex", "TemplateResult", "one_recurring_story", "paragraph_band_keys"]

#: LSH bands and rows of a paragraph signature (its first 8 values): a near copy with an
#: estimated Jaccard of 1 (the same text, other figures) always shares a bucket, at 0.9
#: with 88% chance, at 0.8 with 65%; a template recurs, so a miss is made up later.
#: Two bands keep the rows per paragraph down: every paragraph a source prints has them.
PARAGRAPH_BANDS = 2
PARAGRAPH_ROWS = 4

#: Groups of one band bucket compared with a new paragraph, at most.
_MAX_BUCKET_GROUPS = 64

GroupKey = tuple[int, int]  # (source id, fingerprint)
#: An article's counted paragraphs in reading order: (paragraph key, group fingerprint).
Counted = list[tuple[bytes, int]]
#: Reads the counted paragraphs of stored articles (absent: nothing stored).
CountedLoader = Callable[[Sequence[int]], dict[int, Counted]]


def paragraph_band_keys(signatures: Sequence[Signature], source_ids: Sequence[int]) -> list[list[int]]:
    """The LSH keys of paragraph signatures, each salted with its source, so paragraphs
    of different sources never share a bucket."""
    if not signatures:
        return []
    matrix = np.stack(signatures)
    keys = band_keys(matrix, PARAGRAPH_BANDS, PARAGRAPH_ROWS, salt=np.asarray(source_ids, dtype=np.int64))
    return short_keys(keys)


@dataclass(slots=True)
class Group:
    """A paragraph group of one source; ``stored`` says whether its row exists yet."""

    source_id: int
    fingerprint: int
    article_count: int
    first_articles: list[int]
    is_template: bool
    signature: Signature | None
    stored: bool = True
    dirty: bool = False

    @property
    def key(self) -> GroupKey:
        return (self.source_id, self.fingerprint)


@dataclass(slots=True)
class TemplateResult:
    """One article's outcome: fates with templates applied, the fingerprint stored for
    each paragraph, the groups it was counted under, and articles to clean again."""

    verdicts: list[Verdict]
    fingerprints: list[int]
    groups: list[int]
    learned: int = 0
    retroactive: list[int] = field(default_factory=list)
    #: Groups that reached the bar within one recurring story and stayed content.
    recurring: int = 0
    #: Groups learned after more than ``min_articles`` articles (a recurring story held
    #: them back): their articles beyond the first ones are cleaned again too.
    late: list[GroupKey] = field(default_factory=list)


class TemplateIndex:
    """Groups and their band keys as the batch sees them (stored ones plus new ones)."""

    def __init__(self, *, min_articles: int, threshold: float, series_threshold: float = 0.3,
                 shingle_size: int = 3, groups: Iterable[Group] = (),
                 bands: Iterable[tuple[int, int, int]] = (),
                 load_counted: CountedLoader | None = None) -> None:
        self.min_articles = min_articles
        self.threshold = threshold
        self.series_threshold = series_threshold
        self.shingle_size = shingle_size
        # Counted paragraphs of the articles counted in this batch, and of the stored
        # articles read for a recurring-story check (read only then: it is rare).
        self._counted: dict[int, Counted] = {}
        self._load_counted = load_counted
        self.groups: dict[GroupKey, Group] = {group.key: group for group in groups}
        # band key -> fingerprint, or a list of them (keys are salted with the source, so
        # a key belongs to one source); plain ints keep the garbage collector out of it.
        self.bands: dict[int, int | list[int]] = {}
        for _source_id, key, fingerprint in bands:
            self._band(key, fingerprint)
        #: (source id, band key, fingerprint, day of the article that made the group)
        self.new_bands: list[tuple[int, int, int, int]] = []

    def count(self, article_id: int, source_id: int, paragraphs: Sequence[ParagraphSketch],
              verdicts: Sequence[Verdict], keys: Sequence[Sequence[int]],
              day: int = 0) -> TemplateResult:
        """Count the article's kept paragraphs under their groups; apply templates.

        ``keys`` are the paragraphs' band keys (:func:`paragraph_band_keys`; empty for a
        paragraph without signature).
        """
        result = TemplateResult(list(verdicts), [p.fingerprint for p in paragraphs], [])
        members: dict[int, list[int]] = {}
        counted: Counted = []
        for position, paragraph in enumerate(paragraphs):
            if verdicts[position].fate != "kept":
                continue
            group = self._group_of(source_id, paragraph, keys[position], day)
            result.fingerprints[position] = group.fingerprint
            members.setdefault(group.fingerprint, []).append(position)
            counted.append((paragraph.key, group.fingerprint))
        self._counted[article_id] = counted
        for fingerprint, positions in members.items():
            group = self.groups[(source_id, fingerprint)]
            group.article_count += 1
            group.dirty = True
            if len(group.first_articles) < self.min_articles:
                group.first_articles.append(article_id)
            if group.article_count >= self.min_articles and not group.is_template:
                if self._one_story(article_id, source_id, group):
                    result.recurring += 1
                else:
                    group.is_template = True
                    result.learned += 1
                    result.retroactive.extend(a for a in group.first_articles if a != article_id)
                    if group.article_count > self.min_articles:
                        result.late.append(group.key)
            if group.is_template:
                for position in positions:
                    result.verdicts[position] = Verdict("template")
            result.groups.append(fingerprint)
        return result

    def apply(self, source_id: int, result: TemplateResult) -> None:
        """Mark as template the kept paragraphs of ``result`` whose group became one
        after it was counted (later in the same batch)."""
        for position, verdict in enumerate(result.verdicts):
            if verdict.fate == "kept":
                group = self.groups.get((source_id, result.fingerprints[position]))
                if group is not None and group.is_template:
                    result.verdicts[position] = Verdict("template")

    def release(self, article_id: int, source_id: int, fingerprints: Iterable[int]) -> None:
        """Take back an article's counts (it is being deduplicated again)."""
        for fingerprint in fingerprints:
            group = self.groups.get((source_id, fingerprint))
            if group is None:
                continue
            group.article_count = max(0, group.article_count - 1)
            if article_id in group.first_articles:
                group.first_articles.remove(article_id)
            group.dirty = True

    def _group_of(self, source_id: int, paragraph: ParagraphSketch, keys: Sequence[int],
                  day: int) -> Group:
        group = self.groups.get((source_id, paragraph.fingerprint))
        if group is not None:
            return group
        if paragraph.signature is not None:
            group = self._near(source_id, paragraph.signature, keys)
            if group is not None:
                return group
        group = Group(source_id, paragraph.fingerprint, 0, [], False, paragraph.signature,
                      stored=False, dirty=True)
        self.groups[group.key] = group
        for key in keys:
            self._band(key, group.fingerprint)
            self.new_bands.append((source_id, key, group.fingerprint, day))
        return group

    def _band(self, key: int, fingerprint: int) -> None:
        found = self.bands.get(key)
        if found is None:
            self.bands[key] = fingerprint
        elif isinstance(found, int):
            self.bands[key] = [found, fingerprint]
        else:
            found.append(fingerprint)

    def _near(self, source_id: int, signature: Signature, keys: Sequence[int]) -> Group | None:
        best: tuple[float, Group] | None = None
        seen: set[int] = set()
        for key in keys:
            found = self.bands.get(key)
            if found is None:
                continue
            # A bucket a source fills with thousands of look-alike groups would make each
            # new paragraph cost thousands of comparisons: its first groups are enough
            # (a template is found through the group it started).
            for fingerprint in (found,) if isinstance(found, int) else found[:_MAX_BUCKET_GROUPS]:
                if fingerprint in seen:
                    continue
                seen.add(fingerprint)
                group = self.groups.get((source_id, fingerprint))
                if group is None or group.signature is None:
                    continue
                similarity = jaccard(signature, group.signature)
                if similarity >= self.threshold and (best is None or similarity > best[0]):
                    best = (similarity, group)
        return best[1] if best else None

    def _one_story(self, article_id: int, source_id: int, group: Group) -> bool:
        """Whether the article and the group's first articles are one recurring story."""
        others = [a for a in group.first_articles if a != article_id]
        unread = [a for a in others if a not in self._counted]
        if unread and self._load_counted is not None:
            loaded = self._load_counted(unread)
            for other in unread:
                self._counted[other] = loaded.get(other, [])
        known = [self._counted[a] for a in others if self._counted.get(a)]
        if not known:
            return False

        def content(items: Counted) -> Counted:
            # Paragraphs already known as templates say nothing about the story.
            return [
                (text_key, f) for text_key, f in items
                if not (found := self.groups.get((source_id, f))) or not found.is_template
            ]

        article = content(self._counted[article_id])
        return all(
            one_recurring_story(article, content(other), self.series_threshold, self.shingle_size)
            for other in known
        )

    def changed(self) -> tuple[list[Group], list[Group]]:
        """Groups to insert and groups to update since the index was built."""
        new = [g for g in self.groups.values() if g.dirty and not g.stored]
        updated = [g for g in self.groups.values() if g.dirty and g.stored]
        return new, updated


def one_recurring_story(first: Counted, second: Counted, threshold: float,
                        shingle_size: int = 3) -> bool:
    """Whether two articles of a source are one recurring story (two days of a weather
    report, one story at two URLs): beyond the paragraph groups they share, the rest of
    their text still overlaps (digit-masked word shingles, Jaccard at least
    ``threshold``), or nothing is left of either. Two different stories that share a
    source's template paragraphs have next to nothing else in common.

    When all of one article is shared with the other, their whole texts are compared: a
    shorter copy of the story overlaps most of it, a page that holds nothing but the
    source's template (a paywall, a failed extraction) overlaps little.
    """
    groups_first = {f for _key, f in first}
    groups_second = {f for _key, f in second}
    rest_first = [text_key for text_key, f in first if f not in groups_second]
    rest_second = [text_key for text_key, f in second if f not in groups_first]
    if not rest_first and not rest_second:
        return True
    if not rest_first or not rest_second:
        rest_first = [text_key for text_key, _f in first]
        rest_second = [text_key for text_key, _f in second]
    a, b = _shingles(rest_first, shingle_size), _shingles(rest_second, shingle_size)
    return len(a & b) >= threshold * len(a | b)


def _shingles(keys: Sequence[bytes], size: int) -> set[tuple[bytes, ...]]:
    found: set[tuple[bytes, ...]] = set()
    for text_key in keys:
        words = mask_digits(text_key).split()
        found.update(tuple(words[i : i + size]) for i in range(max(1, len(words) - size + 1)))
    return found
