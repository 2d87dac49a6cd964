"""``newsdedup daemon`` in a subprocess against the fixture news web."""

from __future__ import annotations

import ctypes
import json
import os
import signal
import time

import pytest
from sched_helpers import FAST_SOURCES, Deployment, assert_no_overlap, stop, wait_until

pytestmark = pytest.mark.slow


def test_daemon_runs_each_source_repeatedly_and_stops_cleanly(any_deployment: Deployment) -> None:
    deployment = any_deployment.configure(**{name: {"schedule": "every 2s"} for name in FAST_SOURCES})
    daemon = deployment.start("--log-format", "json", "daemon", name="daemon")
    try:
        def three_each() -> bool:
            assert daemon.poll() is None, deployment.output("daemon")[1][-3000:]
            done = [run for run in deployment.runs() if run.finished_at is not None]
            return all(sum(run.source == name for run in done) >= 3 for name in FAST_SOURCES)

        wait_until(three_each, timeout=150, what="three finished runs of each source")
        grace = deployment.daemon["grace_period_seconds"]
        stopped_at = time.monotonic()
        assert stop(daemon, timeout=grace + 15) == 0
        assert time.monotonic() - stopped_at <= grace + 5
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.wait()
    out, err = deployment.output("daemon")
    runs = deployment.runs()
    assert [run for run in runs if run.status == "running"] == []
    for name in FAST_SOURCES:
        mine = [run for run in runs if run.source == name]
        assert all(run.trigger == "schedule" for run in mine)
        assert sum(run.status == "success" for run in mine) >= 3, mine
        assert_no_overlap(mine)
    # Each run had a child process of its own.
    assert len({run.pid for run in runs}) == len(runs)
    assert "daemon started: 2 sources scheduled" in out
    assert all(f"{name} " in out and "next run" in out for name in FAST_SOURCES)
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    ends = [line for line in lines if line.get("event") == "run_end"]
    starts = [line for line in lines if line.get("event") == "run_start"]
    assert len(starts) >= len([run for run in runs if run.status == "success"])
    assert {"source", "trigger", "run_id", "status", "duration_s", "pages_fetched",
            "articles_new", "articles_updated", "rejected", "errors"} <= set(ends[0])
    assert {end["run_id"] for end in ends} == {run.id for run in runs}


def test_sighup_reloads_sources_and_keeps_the_config_when_the_new_one_is_bad(
        deployment: Deployment) -> None:
    deployment.configure(kyiv_daily={"schedule": "every 1h"})
    daemon = deployment.start("daemon", name="daemon")
    try:
        wait_until(lambda: [run for run in deployment.runs("kyiv-daily") if run.finished_at],
                   timeout=90, what="the first run of kyiv-daily")
        # Add a source, drop the first one.
        deployment.configure(steppe_wire={"schedule": "every 1h"})
        daemon.send_signal(signal.SIGHUP)
        wait_until(lambda: [run for run in deployment.runs("steppe-wire") if run.finished_at],
                   timeout=90, what="the added source to run")
        # A broken file is refused; the daemon keeps running on the config it has.
        deployment.config_path.write_text("sources: [unclosed\n", encoding="utf-8")
        daemon.send_signal(signal.SIGHUP)
        wait_until(lambda: "config reload refused" in deployment.output("daemon")[1],
                   timeout=30, what="the reload to be refused")
        assert daemon.poll() is None
        assert stop(daemon, timeout=60) == 0
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.wait()
    _out, err = deployment.output("daemon")
    assert "config reloaded: added steppe-wire; removed kyiv-daily" in err
    assert "YAML syntax error" in err and "keeping the running config" in err
    assert len(deployment.runs("kyiv-daily")) == 1  # removed: not run again
    assert [run.status for run in deployment.runs()] == ["success", "success"]


def test_a_stop_signal_the_kernel_hands_to_another_thread_stops_the_daemon(deployment: Deployment) -> None:
    """Python runs signal handlers on the main thread only. A SIGTERM delivered to another
    thread of the daemon (the kernel picks any) waited for the main thread's next wake-up,
    the next firing an hour away: the daemon did not stop (seen once in CI)."""
    libc = ctypes.CDLL(None, use_errno=True)
    if not hasattr(libc, "tgkill") or not os.path.isdir("/proc/self/task"):
        pytest.skip("needs Linux's tgkill and /proc to signal one thread of another process")
    deployment.configure(kyiv_daily={"schedule": "every 1h"})
    daemon = deployment.start("daemon", name="daemon")
    try:
        wait_until(lambda: [run for run in deployment.runs("kyiv-daily") if run.finished_at],
                   timeout=90, what="the first run of kyiv-daily")
        time.sleep(2)  # the scheduler's main thread asleep until the next firing
        others = sorted(int(tid) for tid in os.listdir(f"/proc/{daemon.pid}/task") if int(tid) != daemon.pid)
        assert others, "the daemon runs threads besides its main one"
        assert libc.tgkill(daemon.pid, others[0], signal.SIGTERM) == 0, ctypes.get_errno()
        assert daemon.wait(timeout=30) == 0
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.wait()
