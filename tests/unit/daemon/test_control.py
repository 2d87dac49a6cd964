"""Run slots and the shutdown timeline of the daemon."""

from __future__ import annotations

import threading

import pytest

from newsdedup.app.daemon.control import RunSlots, ShutdownPlan
from newsdedup.core.config import DaemonConfig


def test_slots_admit_at_most_the_limit_and_closing_refuses_waiters() -> None:
    slots = RunSlots(2)
    assert slots.acquire() and slots.acquire()
    outcome: list[bool] = []
    waiter = threading.Thread(target=lambda: outcome.append(slots.acquire()))
    waiter.start()
    waiter.join(timeout=0.2)
    assert waiter.is_alive(), "a third run must wait for a slot"
    slots.release()
    waiter.join(timeout=10)
    assert outcome == [True]
    late = threading.Thread(target=lambda: outcome.append(slots.acquire()))
    late.start()
    slots.close()
    late.join(timeout=10)
    assert outcome == [True, False]
    assert not slots.acquire()


def test_resizing_slots_wakes_waiters() -> None:
    slots = RunSlots(1)
    assert slots.acquire()
    outcome: list[bool] = []
    waiter = threading.Thread(target=lambda: outcome.append(slots.acquire()))
    waiter.start()
    slots.resize(2)
    waiter.join(timeout=10)
    assert outcome == [True] and slots.used == 2


def test_shutdown_plan_fits_the_grace_period() -> None:
    plan = ShutdownPlan.start(grace=60, stop_timeout=10, now=0)
    assert plan.due_action(now=49) is None
    assert plan.seconds_to_next(now=49) == pytest.approx(1)
    assert plan.due_action(now=50) == "terminate"
    assert plan.due_action(now=55) is None
    assert plan.due_action(now=60) == "kill"
    assert plan.due_action(now=64) is None
    assert plan.due_action(now=65) == "give_up"


def test_a_short_grace_period_keeps_half_for_the_runs() -> None:
    plan = ShutdownPlan.start(grace=4, stop_timeout=10, now=0)
    assert (plan.terminate_at, plan.kill_at) == (2, 4)


def test_a_second_signal_hurries_the_stop() -> None:
    plan = ShutdownPlan.start(grace=600, stop_timeout=10, now=0)
    plan.hurry(stop_timeout=10, now=5)
    assert plan.due_action(now=5) == "terminate"
    assert plan.kill_at == 15


def test_daemon_config_documents_every_key_in_its_module() -> None:
    from newsdedup.core.config import daemon

    for key in DaemonConfig.model_fields:
        assert f"``{key}``" in (daemon.__doc__ or ""), key
