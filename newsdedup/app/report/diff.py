"""What a copy changed against its story's original: paragraphs dropped, added and edited.

Paragraphs are aligned as whole units first (a copy usually keeps the original's
paragraphs in order, drops a few and adds its own); a paragraph replaced by a similar
one is an edit, shown word by word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Literal

__all__ = ["Change", "CopyDiff", "Word", "diff_paragraphs", "split_paragraphs"]

#: Two paragraphs at least this similar (difflib ratio of their words) are one edited.
EDIT_SIMILARITY = 0.5
#: An edit shows its words; past this many changed paragraphs a copy's list is cut.
MAX_CHANGES = 12


@dataclass(frozen=True, slots=True)
class Word:
    """A run of words of an edited paragraph: kept, removed (``-``) or inserted (``+``)."""

    op: Literal[" ", "-", "+"]
    text: str


@dataclass(frozen=True, slots=True)
class Change:
    """One changed paragraph: ``dropped`` and ``added`` carry ``text``; ``edited`` its
    words."""

    kind: Literal["dropped", "added", "edited"]
    text: str = ""
    words: tuple[Word, ...] = ()


@dataclass(slots=True)
class CopyDiff:
    """A copy against the original: counts, and the changes in reading order (at most
    ``MAX_CHANGES``; ``more`` says how many were left out)."""

    same: int = 0
    dropped: int = 0
    added: int = 0
    edited: int = 0
    changes: list[Change] = field(default_factory=list)
    more: int = 0

    @property
    def identical(self) -> bool:
        return not (self.dropped or self.added or self.edited)

    def note(self, change: Change) -> None:
        setattr(self, change.kind, getattr(self, change.kind) + 1)
        if len(self.changes) < MAX_CHANGES:
            self.changes.append(change)
        else:
            self.more += 1


def split_paragraphs(text: str) -> list[str]:
    """An article's clean text (paragraphs joined by a blank line) as its paragraphs."""
    return [part.strip() for part in text.split("\n\n") if part.strip()]


def _key(paragraph: str) -> str:
    return " ".join(paragraph.casefold().split())


def _words(before: str, after: str) -> tuple[tuple[Word, ...], float]:
    old, new = before.split(), after.split()
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    words: list[Word] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            words.append(Word(" ", " ".join(old[i1:i2])))
            continue
        if i2 > i1:
            words.append(Word("-", " ".join(old[i1:i2])))
        if j2 > j1:
            words.append(Word("+", " ".join(new[j1:j2])))
    return tuple(words), matcher.ratio()


def _replace(diff: CopyDiff, old: list[str], new: list[str]) -> None:
    """A block of original paragraphs replaced by a block of the copy's, paired in order
    while they look alike."""
    i = j = 0
    while i < len(old) and j < len(new):
        words, ratio = _words(old[i], new[j])
        if ratio >= EDIT_SIMILARITY:
            diff.note(Change("edited", words=words))
            i, j = i + 1, j + 1
        elif len(old) - i >= len(new) - j:
            diff.note(Change("dropped", old[i]))
            i += 1
        else:
            diff.note(Change("added", new[j]))
            j += 1
    for text in old[i:]:
        diff.note(Change("dropped", text))
    for text in new[j:]:
        diff.note(Change("added", text))


def diff_paragraphs(original: list[str], copy: list[str]) -> CopyDiff:
    """How ``copy`` differs from ``original``, paragraph by paragraph (case and spacing
    aside)."""
    diff = CopyDiff()
    matcher = SequenceMatcher(None, [_key(p) for p in original], [_key(p) for p in copy],
                              autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            diff.same += i2 - i1
        elif op == "delete":
            for text in original[i1:i2]:
                diff.note(Change("dropped", text))
        elif op == "insert":
            for text in copy[j1:j2]:
                diff.note(Change("added", text))
        else:
            _replace(diff, original[i1:i2], copy[j1:j2])
    return diff
