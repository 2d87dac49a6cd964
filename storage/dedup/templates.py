"""Paragraph groups per source (the template counts) and their LSH band keys."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table
from sqlalchemy.orm import Session

from newsdedup.storage.dedup.bulk import (
    insert_rows,
    json_value,
    key_set,
    select_rows,
    timestamp,
    update_rows,
)
from newsdedup.storage.models import ParagraphBandRow, ParagraphGroupRow

__all__ = ["StoredGroup", "add_group_bands", "group_band_members", "insert_groups", "load_groups",
           "update_groups"]

_groups = cast(Table, ParagraphGroupRow.__table__)
_bands = cast(Table, ParagraphBandRow.__table__)


@dataclass(frozen=True, slots=True)
class StoredGroup:
    """A ``paragraph_fingerprints`` row."""

    source_id: int
    fingerprint: int
    article_count: int
    first_articles: list[int]
    is_template: bool
    signature: bytes | None


def load_groups(session: Session, keys: Iterable[tuple[int, int]]) -> list[StoredGroup]:
    """The stored groups among ``(source_id, fingerprint)`` keys."""
    wanted = set(keys)
    if not wanted:
        return []
    condition, params = key_set(session, "fingerprint", "fingerprints", {f for _s, f in wanted})
    rows = select_rows(
        session,
        "SELECT source_id, fingerprint, article_count, first_articles, is_template, signature "
        f"FROM {_groups.name} WHERE {condition}",
        params,
    )
    found: list[StoredGroup] = []
    for s, f, count, first, template, signature in rows:
        if (s, f) in wanted:
            articles = json.loads(first) if isinstance(first, str) else first
            found.append(StoredGroup(s, f, count, list(articles or []), bool(template),
                                     bytes(signature) if signature is not None else None))
    return found


def group_band_members(session: Session,
                       keys: Iterable[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """``(source_id, band_key, fingerprint)`` rows of these ``(source_id, band_key)``."""
    wanted = set(keys)
    if not wanted:
        return []
    condition, params = key_set(session, "band_key", "keys", {k for _s, k in wanted})
    rows = select_rows(
        session, f"SELECT source_id, band_key, fingerprint FROM {_bands.name} WHERE {condition}",
        params,
    )
    return [(s, k, f) for s, k, f in rows if (s, k) in wanted]


def insert_groups(session: Session, groups: Sequence[StoredGroup], now: datetime) -> None:
    created = timestamp(session, now)
    insert_rows(
        session, _groups,
        ["source_id", "fingerprint", "article_count", "first_articles", "is_template", "signature",
         "created_at"],
        [
            (g.source_id, g.fingerprint, g.article_count, json_value(g.first_articles),
             g.is_template, g.signature, created)
            for g in groups
        ],
    )


def update_groups(session: Session, groups: Sequence[StoredGroup]) -> None:
    """Store the counts, first articles and template flag of existing groups."""
    update_rows(
        session, _groups, ["fingerprint", "source_id"],
        ["article_count", "first_articles", "is_template"],
        [
            (g.fingerprint, g.source_id, g.article_count, json_value(g.first_articles), g.is_template)
            for g in groups
        ],
        ["BIGINT", "INTEGER", "INTEGER", "JSONB", "BOOLEAN"],
    )


def add_group_bands(session: Session, rows: Sequence[tuple[int, int, int]]) -> None:
    """Insert ``(source_id, band_key, fingerprint)`` rows."""
    insert_rows(session, _bands, ["source_id", "band_key", "fingerprint"], rows, integers=True)
