"""Cross-process source locks: one crawl per source at a time, on any backend.

A lock is a row in ``source_locks`` keyed by the source. Taking it is an insert that
either succeeds or meets the holder's row; a holder whose process is dead (same host)
or whose heartbeat is older than ``stale_after`` is taken over, and its run marked
``abandoned``. Holders refresh their heartbeat; release deletes the row (by token,
so a process that lost its lock never deletes its successor's).
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from newsdedup.storage.models import CrawlRunRow, SourceLockRow, SourceRow
from newsdedup.storage.rows import record_of
from newsdedup.storage.upsert import insert_ignore

__all__ = [
    "LockHolder",
    "heartbeat",
    "holders",
    "pid_alive",
    "release",
    "release_process",
    "this_host",
    "try_acquire",
]


def this_host() -> str:
    return socket.gethostname()


def pid_alive(pid: int) -> bool:
    """Whether a process with ``pid`` exists on this host (a zombie counts as alive)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True, slots=True)
class LockHolder:
    """Who holds a source's lock."""

    source_id: int
    run_id: int | None
    pid: int
    hostname: str
    acquired_at: datetime
    heartbeat_at: datetime

    def is_dead(self, now: datetime, stale_after: timedelta) -> bool:
        if now - self.heartbeat_at > stale_after:
            return True
        return self.hostname == this_host() and not pid_alive(self.pid)


def _holder(row: SourceLockRow) -> LockHolder:
    return record_of(LockHolder, row)


def try_acquire(
    session: Session,
    source_id: int,
    *,
    token: str,
    run_id: int | None,
    pid: int,
    hostname: str,
    now: datetime,
    stale_after: timedelta,
) -> LockHolder | None:
    """Take the lock of ``source_id``. Returns None when taken, else the live holder.

    Call inside a write transaction; the lock is held once it commits.
    """
    values = {
        "source_id": source_id,
        "run_id": run_id,
        "token": token,
        "pid": pid,
        "hostname": hostname,
        "acquired_at": now,
        "heartbeat_at": now,
    }
    inserted = session.execute(
        insert_ignore(session, SourceLockRow.__table__, keys=["source_id"])  # type: ignore[arg-type]
        .values(**values)
        .returning(SourceLockRow.__table__.c.source_id)
    ).scalar_one_or_none()
    if inserted is not None:
        return None
    row = session.scalars(
        select(SourceLockRow).where(SourceLockRow.source_id == source_id).with_for_update()
    ).one_or_none()
    if row is None:  # released between our insert and select: try once more
        return try_acquire(
            session, source_id, token=token, run_id=run_id, pid=pid, hostname=hostname,
            now=now, stale_after=stale_after,
        )
    holder = _holder(row)
    if not holder.is_dead(now, stale_after):
        return holder
    if holder.run_id is not None:
        session.execute(
            update(CrawlRunRow)
            .where(CrawlRunRow.id == holder.run_id, CrawlRunRow.status == "running")
            .values(
                status="abandoned",
                finished_at=now,
                error=f"process {holder.pid} on {holder.hostname} died holding the lock "
                f"(last heartbeat {holder.heartbeat_at.isoformat(timespec='seconds')})",
            )
        )
    for key, value in values.items():
        setattr(row, key, value)
    return None


def heartbeat(session: Session, source_id: int, token: str, now: datetime) -> bool:
    """Refresh the lock (and its run's heartbeat). False when the lock is no longer ours."""
    result = session.execute(
        update(SourceLockRow)
        .where(SourceLockRow.source_id == source_id, SourceLockRow.token == token)
        .values(heartbeat_at=now)
    )
    owned = bool(result.rowcount)  # type: ignore[attr-defined]
    if owned:
        run_id = session.scalar(
            select(SourceLockRow.run_id).where(SourceLockRow.source_id == source_id)
        )
        if run_id is not None:
            session.execute(
                update(CrawlRunRow).where(CrawlRunRow.id == run_id).values(heartbeat_at=now)
            )
    return owned


def release(session: Session, source_id: int, token: str) -> None:
    session.execute(
        delete(SourceLockRow).where(
            SourceLockRow.source_id == source_id, SourceLockRow.token == token
        )
    )


def release_process(session: Session, pid: int, hostname: str) -> list[int]:
    """Drop every lock held by process ``pid`` on ``hostname``; returns their source ids.

    For a supervisor whose child died (it knows the pid is dead: it reaped it), so the
    next run need not wait for the dead-pid or stale-heartbeat takeover.
    """
    rows = session.scalars(
        select(SourceLockRow).where(SourceLockRow.pid == pid, SourceLockRow.hostname == hostname)
    ).all()
    for row in rows:
        session.delete(row)
    return [row.source_id for row in rows]


def holders(session: Session) -> dict[str, LockHolder]:
    """Source name -> current lock holder (live or not)."""
    query = select(SourceLockRow, SourceRow.name).join(
        SourceRow, SourceRow.id == SourceLockRow.source_id
    )
    return {name: _holder(row) for row, name in session.execute(query)}
