"""Leases of a run's sources on both backends: all or none, waiting, nothing left running."""

from __future__ import annotations

import threading

import pytest

from newsdedup.app.leases import acquire_all, hold_sources, holding
from newsdedup.core.config import Config, config_from_mapping
from newsdedup.core.errors import SourceBusy
from newsdedup.core.stopguard import StopRun
from newsdedup.storage.db import Database
from newsdedup.storage.locks import holders
from newsdedup.storage.runs import list_runs


def make_config(db: Database) -> Config:
    return config_from_mapping(
        {"database": {"url": db.url.render_as_string(hide_password=False)},
         "daemon": {"heartbeat_seconds": 0.2, "stale_lock_seconds": 30},
         "sources": [{"name": name, "feeds": [f"http://{name}.test/feed"]}
                     for name in ("alpha", "beta", "gamma")]},
        environ={},
    )


def test_busy_source_means_no_lock_and_no_run_for_any_source(db: Database) -> None:
    config = make_config(db)
    alpha, beta, gamma = config.sources
    with hold_sources(db, config, [beta], trigger="manual"):
        with pytest.raises(SourceBusy, match=r"source beta is being crawled by pid \d+"):
            acquire_all(db, config, [alpha, beta, gamma], trigger="schedule")
        with db.reader() as session:
            assert set(holders(session)) == {"beta"}
            assert [run.source for run in list_runs(session)] == ["beta"]


def test_a_run_left_running_is_finished_on_the_way_out(db: Database) -> None:
    config = make_config(db)
    with pytest.raises(RuntimeError), hold_sources(db, config, config.sources[:2],
                                                   trigger="reprocess"):
        raise RuntimeError("bug in the middle")
    with pytest.raises(StopRun), hold_sources(db, config, config.sources[2:], trigger="cron"):
        raise StopRun("timeout", "time limit of 1 min reached", 4)
    with db.reader() as session:
        runs = {run.source: run for run in list_runs(session)}
        assert holders(session) == {}
    assert runs["alpha"].status == runs["beta"].status == "failed"
    assert runs["alpha"].error == "RuntimeError: bug in the middle"
    assert (runs["gamma"].status, runs["gamma"].error) == ("timeout", "time limit of 1 min reached")


def test_wait_takes_the_lock_once_the_holder_releases_it(db: Database) -> None:
    config = make_config(db)
    alpha = config.sources[0]
    first = acquire_all(db, config, [alpha], trigger="manual")
    got: list[int | None] = []
    polls = threading.Semaphore(0)

    def waiter() -> None:
        def pause(_seconds: float) -> None:
            polls.release()  # tell the test one look found the lock busy
            threading.Event().wait(0.05)

        leases = acquire_all(db, config, [alpha], trigger="manual", wait=True, pause=pause)
        got.append(leases[0].run_id)
        with holding(db, config, leases):
            pass

    thread = threading.Thread(target=waiter)
    with holding(db, config, first):
        thread.start()
        assert polls.acquire(timeout=30), "the waiter never found the lock busy"
        assert got == []
    thread.join(timeout=30)
    assert got and got[0] not in (None, first[0].run_id)
    with db.reader() as session:
        assert holders(session) == {}
