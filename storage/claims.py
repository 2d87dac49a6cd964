"""Claims on pending pages: each batch is taken by one process, whoever has capacity.

A process claims the oldest pending pages nobody holds (on Postgres with
``FOR UPDATE SKIP LOCKED``: two processes claiming at once take different pages without
waiting for each other; SQLite's write transactions are exclusive already), processes
them and marks them processed, which ends the claim. A claim lapses at
``claimed_until``: the pages of a process killed mid-batch go to the next claimer then,
or at once when that process was on the claimer's own host (seen dead by its pid).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from newsdedup.storage.locks import pid_alive, this_host
from newsdedup.storage.models import PageRow

__all__ = ["claim_pages", "claimer_name", "release_claims", "release_dead_claims"]


def claimer_name() -> str:
    """A name for one processing run: host, pid and a random part (at most 120 chars)."""
    return f"{this_host()[:80]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def release_dead_claims(session: Session, now: datetime) -> int:
    """End the live claims of processes of this host that are gone (killed mid-batch),
    so their pages need not wait for the claims to lapse; returns how many pages."""
    host = this_host()[:80]
    claimers = session.scalars(
        select(PageRow.claimed_by).distinct()
        .where(PageRow.processed_at.is_(None), PageRow.claimed_until >= now)
    )
    dead = []
    for claimer in claimers:
        name, _, rest = (claimer or "").rpartition(":")[0].rpartition(":")
        if name == host and rest.isdecimal() and not pid_alive(int(rest)):
            dead.append(claimer)
    if not dead:
        return 0
    result = session.execute(
        update(PageRow)
        .where(PageRow.claimed_by.in_(dead), PageRow.processed_at.is_(None))
        .values(claimed_by=None, claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def claim_pages(session: Session, source_ids: Sequence[int] | None, *, claimer: str,
                limit: int, now: datetime, seconds: int) -> list[int]:
    """Claim up to ``limit`` pending pages (of ``source_ids``, or all), oldest first, for
    ``claimer`` until ``now + seconds``; returns their ids in order. The caller commits."""
    query = (
        select(PageRow.id)
        .where(
            PageRow.processed_at.is_(None),
            or_(PageRow.claimed_until.is_(None), PageRow.claimed_until < now),
        )
        .order_by(PageRow.id)
        .limit(limit)
    )
    if source_ids is not None:
        query = query.where(PageRow.source_id.in_(list(source_ids)))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    ids = list(session.scalars(query))
    if ids:
        session.execute(
            update(PageRow)
            .where(PageRow.id.in_(ids))
            .values(claimed_by=claimer, claimed_until=now + timedelta(seconds=seconds))
            .execution_options(synchronize_session=False)
        )
    return ids


def release_claims(session: Session, claimer: str) -> int:
    """End ``claimer``'s claims on pages it did not finish (a run stopped early);
    returns how many."""
    result = session.execute(
        update(PageRow)
        .where(PageRow.claimed_by == claimer, PageRow.processed_at.is_(None))
        .values(claimed_by=None, claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
