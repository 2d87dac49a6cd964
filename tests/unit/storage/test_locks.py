"""Source locks on both backends: one holder at a time, dead holders taken over, token release."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from newsdedup.storage.db import Database
from newsdedup.storage.locks import (
    LockHolder,
    heartbeat,
    holders,
    release,
    release_process,
    this_host,
    try_acquire,
)
from newsdedup.storage.models import CrawlRunRow, SourceLockRow
from newsdedup.storage.runs import start_run
from newsdedup.storage.sources import ensure_sources

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
STALE = timedelta(seconds=120)


def source_id(db: Database, name: str = "alpha") -> int:
    with db.session() as session:
        return ensure_sources(session, [name])[name]


def acquire(db: Database, sid: int, token: str, *, pid: int | None = None,
            host: str | None = None, now: datetime = NOW, run: bool = False) -> LockHolder | None:
    with db.session() as session:
        run_id = None
        if run:
            run_id = start_run(session, source_id=sid, trigger="schedule", now=now,
                               pid=pid or os.getpid(), hostname=host or this_host())
        return try_acquire(session, sid, token=token, run_id=run_id, pid=pid or os.getpid(),
                           hostname=host or this_host(), now=now, stale_after=STALE)


def dead_pid() -> int:
    """The pid of a process that has exited and been reaped."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_free_lock_is_taken_and_a_held_one_names_its_holder(db: Database) -> None:
    sid = source_id(db)
    assert acquire(db, sid, "first") is None
    holder = acquire(db, sid, "second", now=NOW + timedelta(seconds=5))
    assert holder is not None
    assert holder.pid == os.getpid()
    assert holder.acquired_at == NOW
    with db.reader() as session:
        assert set(holders(session)) == {"alpha"}


def test_concurrent_acquires_let_exactly_one_win(db: Database) -> None:
    sid = source_id(db)
    start = threading.Barrier(6)
    outcomes: list[LockHolder | None] = []
    lock = threading.Lock()

    def contender(index: int) -> None:
        start.wait()
        got = acquire(db, sid, f"token-{index}")
        with lock:
            outcomes.append(got)

    threads = [threading.Thread(target=contender, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(outcomes) == 6
    assert sum(1 for got in outcomes if got is None) == 1
    with db.reader() as session:
        assert len(session.scalars(select(SourceLockRow)).all()) == 1


def test_a_stale_heartbeat_is_taken_over_and_its_run_abandoned(db: Database) -> None:
    sid = source_id(db)
    # A holder on another host: only its heartbeat can tell whether it is alive.
    assert acquire(db, sid, "old", pid=4242, host="elsewhere", run=True) is None
    assert acquire(db, sid, "new", now=NOW + STALE - timedelta(seconds=1)) is not None
    assert acquire(db, sid, "new", now=NOW + STALE + timedelta(seconds=1)) is None
    with db.reader() as session:
        token = session.scalars(select(SourceLockRow.token)).one()
        status, error = session.execute(select(CrawlRunRow.status, CrawlRunRow.error)).one()
    assert token == "new"
    assert status == "abandoned"
    assert error is not None
    assert "process 4242 on elsewhere died" in error


def test_a_dead_pid_on_this_host_is_taken_over_at_once(db: Database) -> None:
    sid = source_id(db)
    assert acquire(db, sid, "old", pid=dead_pid(), run=True) is None
    assert acquire(db, sid, "new", now=NOW + timedelta(seconds=1)) is None
    with db.reader() as session:
        assert session.scalars(select(SourceLockRow.token)).one() == "new"
        assert session.scalars(select(CrawlRunRow.status)).one() == "abandoned"


def test_a_live_pid_with_a_fresh_heartbeat_is_not_taken_over(db: Database) -> None:
    sid = source_id(db)
    assert acquire(db, sid, "old", pid=os.getppid()) is None
    assert acquire(db, sid, "new", now=NOW + timedelta(seconds=30)) is not None


def test_release_needs_the_holders_token(db: Database) -> None:
    sid = source_id(db)
    assert acquire(db, sid, "mine") is None
    with db.session() as session:
        release(session, sid, "not-mine")
    with db.reader() as session:
        assert set(holders(session)) == {"alpha"}
    with db.session() as session:
        release(session, sid, "mine")
    with db.reader() as session:
        assert holders(session) == {}
    assert acquire(db, sid, "next") is None


def test_heartbeat_refreshes_only_the_current_holder(db: Database) -> None:
    sid = source_id(db)
    assert acquire(db, sid, "mine", run=True) is None
    later = NOW + timedelta(seconds=50)
    with db.session() as session:
        assert heartbeat(session, sid, "mine", later)
        assert not heartbeat(session, sid, "someone-else", later)
    with db.reader() as session:
        assert holders(session)["alpha"].heartbeat_at == later
        assert session.scalars(select(CrawlRunRow.heartbeat_at)).one() == later
    # Not stale at NOW + 120 s any more: the heartbeat moved.
    assert acquire(db, sid, "other", pid=4242, now=NOW + STALE + timedelta(seconds=1)) is not None


def test_release_process_drops_only_that_process_locks(db: Database) -> None:
    first, second = source_id(db, "alpha"), source_id(db, "beta")
    assert acquire(db, first, "a", pid=111) is None
    assert acquire(db, second, "b", pid=222) is None
    with db.session() as session:
        assert release_process(session, 111, this_host()) == [first]
        assert release_process(session, 111, "another-host") == []
    with db.reader() as session:
        assert set(holders(session)) == {"beta"}


@pytest.mark.parametrize("age", [0, 119])
def test_lock_holder_is_dead_only_when_stale_or_gone(age: int) -> None:
    holder = LockHolder(1, None, os.getpid(), this_host(), NOW, NOW)
    assert not holder.is_dead(NOW + timedelta(seconds=age), STALE)
    assert holder.is_dead(NOW + STALE + timedelta(seconds=1), STALE)
    gone = LockHolder(1, None, dead_pid(), this_host(), NOW, NOW)
    assert gone.is_dead(NOW + timedelta(seconds=age), STALE)
