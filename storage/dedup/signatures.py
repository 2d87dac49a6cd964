"""Signature schemes, article signatures and their LSH band keys."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, delete, exists, select
from sqlalchemy.orm import Session

from newsdedup.storage.dedup.bulk import delete_rows, insert_rows, key_set, select_rows, timestamp
from newsdedup.storage.models import ArticleSignatureRow, DedupSchemeRow, LshBandRow

__all__ = [
    "BandMember",
    "StoredSignature",
    "add_bands",
    "band_members",
    "delete_bands",
    "delete_signatures",
    "ensure_scheme",
    "load_schemes",
    "load_signatures",
    "save_signatures",
    "schemes_in_use",
]

_bands = cast(Table, LshBandRow.__table__)
_signatures = cast(Table, ArticleSignatureRow.__table__)


@dataclass(frozen=True, slots=True)
class StoredSignature:
    """An ``article_signatures`` row (signatures as stored bytes)."""

    article_id: int
    scheme_id: int
    revision: int
    day: int
    words: int
    banded: bool
    shingles: int
    signature: bytes
    lead_shingles: int
    lead_signature: bytes
    name_shingles: int
    name_signature: bytes
    paragraph_groups: bytes


_COLUMNS = [f.name for f in fields(StoredSignature)]


@dataclass(frozen=True, slots=True)
class BandMember:
    """A stored band key of a finished article, with the article's day and cluster."""

    band_key: int
    day: int
    article_id: int
    cluster_id: int


def ensure_scheme(session: Session, params: str, now: datetime) -> int:
    """The id of the scheme with these canonical-JSON ``params``, created if new."""
    found = session.scalar(select(DedupSchemeRow.id).where(DedupSchemeRow.params == params))
    if found is not None:
        return found
    row = DedupSchemeRow(params=params, created_at=now)
    session.add(row)
    session.flush()
    return row.id


def load_schemes(session: Session) -> dict[int, dict[str, Any]]:
    """Every stored scheme: id -> its parameters."""
    return {
        scheme_id: json.loads(params)
        for scheme_id, params in session.execute(select(DedupSchemeRow.id, DedupSchemeRow.params))
    }


def schemes_in_use(session: Session) -> list[tuple[int, str]]:
    """``(id, params)`` of every scheme at least one stored signature was made with."""
    used = exists().where(ArticleSignatureRow.scheme_id == DedupSchemeRow.id)
    return [(i, p) for i, p in session.execute(select(DedupSchemeRow.id, DedupSchemeRow.params).where(used))]


def load_signatures(session: Session, article_ids: Iterable[int]) -> dict[int, StoredSignature]:
    """The stored signatures of those articles that have one."""
    ids = sorted(set(article_ids))
    if not ids:
        return {}
    condition, params = key_set(session, "article_id", "ids", ids)
    rows = select_rows(
        session, f"SELECT {', '.join(_COLUMNS)} FROM {_signatures.name} WHERE {condition}", params
    )
    return {row[0]: StoredSignature(*_signature_values(row)) for row in rows}


def _signature_values(row: Sequence[Any]) -> list[Any]:
    values = list(row)
    values[5] = bool(values[5])  # SQLite gives 0/1
    for position in (7, 9, 11, 12):
        values[position] = bytes(values[position])  # Postgres gives memoryview
    return values


def save_signatures(session: Session, rows: Sequence[StoredSignature], now: datetime) -> None:
    """Insert signature rows (the caller removed any previous one of those articles)."""
    created = timestamp(session, now)
    insert_rows(
        session, _signatures, [*_COLUMNS, "created_at"],
        [(*(getattr(row, name) for name in _COLUMNS), created) for row in rows],
    )


def delete_signatures(session: Session, article_ids: Iterable[int]) -> None:
    ids = sorted(set(article_ids))
    if ids:
        session.execute(delete(_signatures).where(_signatures.c.article_id.in_(ids)))


def band_members(session: Session, keys: Iterable[int],
                 days: tuple[int, int] | None) -> list[BandMember]:
    """Rows of these band keys whose article is finished and clustered, within
    ``days`` (inclusive range; None: any day)."""
    wanted = sorted(set(keys))
    if not wanted:
        return []
    condition, params = key_set(session, "band_key", "keys", wanted)
    window = ""
    if days is not None:
        window = " AND day BETWEEN :low AND :high"
        params.update(low=days[0], high=days[1])
    rows = select_rows(
        session, f"SELECT band_key, day, article_id FROM {_bands.name} WHERE {condition}{window}",
        params,
    )
    if not rows:
        return []
    # Clusters in a second query, once per article: an article row is wide (its text),
    # and a band key row per shared key would read it again and again.
    condition, params = key_set(session, "id", "ids", {row[2] for row in rows})
    clusters = dict(select_rows(
        session,
        f"SELECT id, cluster_id FROM articles WHERE {condition} "
        "AND dedup_state = 'done' AND cluster_id IS NOT NULL",
        params,
    ))
    return [
        BandMember(key, day, article_id, clusters[article_id])
        for key, day, article_id in rows
        if article_id in clusters
    ]


def add_bands(session: Session, rows: Sequence[tuple[int, int, int]]) -> None:
    """Insert ``(band_key, day, article_id)`` rows."""
    insert_rows(session, _bands, ["band_key", "day", "article_id"], rows, integers=True)


def delete_bands(session: Session, rows: Sequence[tuple[int, int, int]]) -> None:
    """Delete ``(band_key, day, article_id)`` rows (by primary key; absent ones are fine)."""
    delete_rows(session, _bands, ["band_key", "day", "article_id"], rows, ["BIGINT", "INTEGER", "BIGINT"])
