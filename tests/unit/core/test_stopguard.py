"""Signals and the time limit stop a run where it is safe, and say why."""

from __future__ import annotations

import os
import signal
import threading

import pytest

from newsdedup.core.stopguard import StopGuard, StopRun


def test_a_signal_while_raising_stops_at_once() -> None:
    with StopGuard() as guard, pytest.raises(StopRun) as stopped, guard.raising():
        os.kill(os.getpid(), signal.SIGTERM)
        threading.Event().wait(30)  # interrupted by the handler
    assert stopped.value.status == "interrupted"
    assert stopped.value.detail == "stopped by SIGTERM"
    assert stopped.value.exit_code == 128 + signal.SIGTERM


def test_a_signal_while_deferred_is_only_noted_until_checked() -> None:
    with StopGuard() as guard:
        os.kill(os.getpid(), signal.SIGHUP)  # delivered to this thread before kill returns
        assert guard.status == "interrupted"
        with pytest.raises(StopRun):
            guard.check()
        with pytest.raises(StopRun), guard.raising():
            pass  # a stop noted before entering raises on entry


def test_the_time_limit_stops_a_run_as_timeout() -> None:
    with StopGuard(time_limit=0.2, stop_timeout=1) as guard, pytest.raises(StopRun) as stopped:
        guard.start_clock()
        with guard.raising():
            threading.Event().wait(30)
    assert stopped.value.status == "timeout"
    assert stopped.value.exit_code == 4
    assert "crawl.max_run_minutes" in stopped.value.detail


def test_handlers_are_restored_on_exit() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with StopGuard():
        assert signal.getsignal(signal.SIGTERM) != before
    assert signal.getsignal(signal.SIGTERM) == before


def test_the_first_stop_wins() -> None:
    with StopGuard() as guard:
        guard.note_stop("timeout", "time limit")
        guard.note_stop("interrupted", "a signal")
        assert (guard.status, guard.exit_code) == ("timeout", 4)
