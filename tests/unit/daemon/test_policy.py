"""Due-ness, backoff and health rules, on histories built by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from newsdedup.app.daemon.policy import (
    assess_health,
    backoff_delay,
    backoff_until,
    is_due,
    next_due,
    ran_this_period,
)
from newsdedup.core.config import Config, DaemonConfig, config_from_mapping
from newsdedup.storage.health import RECENT_PAGES, SourceHistory
from newsdedup.storage.runs import RunView

NOW = datetime(2026, 3, 2, 12, 0, 30, tzinfo=UTC)  # a Monday


def make_config(schedule: str = "every 10m", **daemon: Any) -> Config:
    return config_from_mapping(
        {"sources": [{"name": "alpha", "feeds": ["https://a.example/feed"], "schedule": schedule}],
         "crawl": {"max_run_minutes": 5},
         "daemon": daemon},
        environ={},
    )


def run(status: str, started: datetime, *, took: float = 60, error: str | None = None) -> RunView:
    return RunView(id=1, source="alpha", trigger="schedule", status=status, started_at=started,
                   finished_at=started + timedelta(seconds=took), pages_fetched=0,
                   articles_new=0, articles_updated=0, rejected=0, errors=0, error=error,
                   pid=1, stats={})


def history(*, success: datetime | None = None, failures: int = 0,
            failed_at: datetime | None = None, first: datetime | None = None,
            error: str = "boom") -> SourceHistory:
    last_success = run("success", success) if success else None
    last_failure = run("failed", failed_at, error=error) if failed_at else None
    return SourceHistory(name="alpha", last_success=last_success, last_failure=last_failure,
                         consecutive_failures=failures,
                         first_run_at=first or success or failed_at)


@pytest.mark.parametrize(("failures", "seconds"), [(0, 0), (1, 60), (2, 120), (3, 240),
                                                    (7, 3600), (500, 3600)])
def test_backoff_doubles_from_the_base_up_to_the_cap(failures: int, seconds: float) -> None:
    config = DaemonConfig(backoff_base_seconds=60, backoff_max_seconds=3600)
    assert backoff_delay(failures, config) == timedelta(seconds=seconds)


def test_backoff_counts_from_the_end_of_the_last_failure() -> None:
    config = DaemonConfig(backoff_base_seconds=60)
    failed = NOW - timedelta(minutes=10)
    until = backoff_until(history(failures=3, failed_at=failed), config)
    assert until == failed + timedelta(seconds=60) + timedelta(seconds=240)
    assert backoff_until(history(), config) is None


def test_a_source_never_succeeded_is_due_at_once() -> None:
    config = make_config()
    assert next_due(config.sources[0], history(), config) is None
    assert is_due(config.sources[0], history(), config, NOW)


def test_an_interval_source_is_due_one_interval_after_its_last_success() -> None:
    config = make_config("every 10m")
    source = config.sources[0]
    last = NOW - timedelta(minutes=9, seconds=50)
    # 10 s early is within the 5% (30 s) tolerance for cron-driven run-due.
    assert is_due(source, history(success=last), config, NOW)
    assert not is_due(source, history(success=NOW - timedelta(minutes=9)), config, NOW)
    assert not is_due(source, history(success=NOW), config, NOW)


def test_a_cron_source_is_due_once_the_schedule_fired_since_its_last_success() -> None:
    config = make_config("0 * * * *")
    source = config.sources[0]
    assert is_due(source, history(success=datetime(2026, 3, 2, 11, 0, 5, tzinfo=UTC)), config, NOW)
    assert not is_due(source, history(success=datetime(2026, 3, 2, 12, 0, 1, tzinfo=UTC)),
                      config, NOW)
    assert next_due(source, history(success=NOW), config) == datetime(2026, 3, 2, 13, tzinfo=UTC)


def test_a_failing_source_waits_for_its_backoff_even_when_its_schedule_fired() -> None:
    config = make_config("every 1m", backoff_base_seconds=300)
    source = config.sources[0]
    failed = NOW - timedelta(minutes=2)
    backing_off = history(success=NOW - timedelta(hours=1), failures=1, failed_at=failed)
    assert not is_due(source, backing_off, config, NOW)
    assert next_due(source, backing_off, config) == failed + timedelta(seconds=60 + 300)
    assert is_due(source, backing_off, config, NOW + timedelta(minutes=4))


def test_health_rules() -> None:
    config = make_config("every 10m", unhealthy_after_failures=3, unhealthy_after_missed_runs=3)
    source = config.sources[0]

    def state(h: SourceHistory, now: datetime = NOW) -> str:
        return assess_health(source, h, config, now).state

    assert state(history()) == "new"
    assert state(history(success=NOW - timedelta(minutes=5))) == "ok"
    assert state(history(success=NOW - timedelta(minutes=5), failures=2,
                         failed_at=NOW)) == "failing"
    unhealthy = assess_health(source, history(success=NOW - timedelta(minutes=5), failures=3,
                                              failed_at=NOW, error="database gone"), config, NOW)
    assert unhealthy.unhealthy and "3 consecutive failed runs" in (unhealthy.reason or "")
    assert "database gone" in (unhealthy.reason or "")
    # Missed: three firings (30 min) plus max_run_minutes (5) since the last success.
    assert state(history(success=NOW - timedelta(minutes=34))) == "ok"
    assert state(history(success=NOW - timedelta(minutes=36))) == "unhealthy"
    # Never succeeded, first run long ago: the schedule kept firing without a success.
    assert state(history(failures=1, failed_at=NOW - timedelta(hours=2))) == "unhealthy"



def test_a_source_none_of_whose_last_pages_was_an_article_is_unhealthy() -> None:
    """Its runs succeed and store nothing: a redesign, a consent wall answering 200."""
    config = make_config("every 10m", unhealthy_after_rejected_pages=4)
    source = config.sources[0]
    ok = history(success=NOW - timedelta(minutes=5))

    def health(*pages: tuple[str, str | None]) -> tuple[str, str | None]:
        judged = assess_health(source, replace(ok, recent_pages=pages), config, NOW)
        return judged.state, judged.reason

    walled = ("rejected", "not_article")
    assert health(walled, walled, ("rejected", "too_short"), ("failed", None), ("article", None)) == (
        "unhealthy", "none of its last 4 pages was an article (failed 1, not_article 2, too_short 1)")
    # An article among them, or too few pages to tell: healthy.
    assert health(walled, walled, ("article", None), walled, walled) == ("ok", None)
    assert health(walled, walled, walled) == ("ok", None)
    off = make_config("every 10m", unhealthy_after_rejected_pages=0)
    assert assess_health(off.sources[0], replace(ok, recent_pages=(walled,) * 50), off, NOW).state == "ok"


def test_the_rejected_pages_rule_asks_for_no_more_pages_than_a_history_holds() -> None:
    assert DaemonConfig(unhealthy_after_rejected_pages=RECENT_PAGES).unhealthy_after_rejected_pages == RECENT_PAGES
    with pytest.raises(ValueError, match="less than or equal to 50"):
        DaemonConfig(unhealthy_after_rejected_pages=RECENT_PAGES + 1)

def test_a_disabled_source_is_never_unhealthy() -> None:
    config = config_from_mapping(
        {"sources": [{"name": "alpha", "feeds": ["https://a.example/feed"], "enabled": False}]},
        environ={},
    )
    failing = history(failures=10, failed_at=NOW - timedelta(days=3))
    assert assess_health(config.sources[0], failing, config, NOW).state == "disabled"


def test_a_source_that_never_succeeded_and_failed_is_unhealthy_at_once() -> None:
    # Issue 11: with no network every source failed, and status said ok.
    config = make_config("every 30m")
    health = assess_health(config.sources[0], history(failures=1, failed_at=NOW, error="refused"),
                           config, NOW)
    assert health.unhealthy and "never succeeded" in (health.reason or "")
    assert "refused" in (health.reason or "")


def test_by_default_a_source_is_unhealthy_once_it_missed_its_expected_interval() -> None:
    config = make_config("every 30m")  # max_run_minutes 5
    source = config.sources[0]
    # A failure since a recent success is only failing...
    recent = history(success=NOW - timedelta(minutes=20), failures=1, failed_at=NOW)
    assert assess_health(source, recent, config, NOW).state == "failing"
    # ...until the schedule fired once more (plus max_run_minutes) without a success.
    late = history(success=NOW - timedelta(minutes=36), failures=1, failed_at=NOW)
    assert assess_health(source, late, config, NOW).unhealthy


def test_a_source_failing_for_dead_after_hours_is_dead_and_tried_once_per_retry_period() -> None:
    config = make_config("every 10m", dead_after_hours=48, dead_retry_hours=24)
    source = config.sources[0]
    failed = NOW - timedelta(hours=1)
    dead = history(success=NOW - timedelta(hours=60), failures=200, failed_at=failed)
    health = assess_health(source, dead, config, NOW)
    assert health.state == "dead" and health.unhealthy
    # The backoff alone would be an hour (backoff_max_seconds); dead waits a day.
    until = backoff_until(dead, config.daemon)
    assert until == failed + timedelta(seconds=60) + timedelta(hours=24)
    assert not is_due(source, dead, config, NOW)
    assert not is_due(source, dead, config, until - timedelta(seconds=1))
    assert is_due(source, dead, config, until)
    # Failing for less than dead_after_hours: backing off, not dead.
    young = history(success=NOW - timedelta(hours=40), failures=200, failed_at=failed)
    assert assess_health(source, young, config, NOW).state == "unhealthy"
    assert backoff_until(young, config.daemon) == failed + timedelta(seconds=60 + 3600)
    # 0 turns the dead state off.
    never = make_config("every 10m", dead_after_hours=0)
    assert assess_health(never.sources[0], dead, never, NOW).state == "unhealthy"


def test_a_source_that_never_succeeded_dies_counting_from_its_first_run() -> None:
    config = make_config("every 10m", dead_after_hours=48)
    failing = SourceHistory(name="alpha", last_failure=run("failed", NOW - timedelta(minutes=2)),
                            consecutive_failures=400, first_run_at=NOW - timedelta(hours=49))
    assert assess_health(config.sources[0], failing, config, NOW).state == "dead"


@pytest.mark.parametrize(("schedule", "ago", "redundant"), [
    ("every 10m", timedelta(minutes=2), True),  # another daemon ran it 2 minutes ago
    ("every 10m", timedelta(minutes=9, seconds=50), False),  # our own run of the last slot
    ("0 * * * *", timedelta(seconds=20), True),  # the 12:00 slot already ran at 12:00:10
    ("0 * * * *", timedelta(minutes=59), False),  # the last run was the 11:00 slot's
])
def test_a_firing_after_another_daemons_run_of_the_same_period_is_redundant(
        schedule: str, ago: timedelta, redundant: bool) -> None:
    config = make_config(schedule)
    found = ran_this_period(config.sources[0], history(success=NOW - ago), NOW)
    assert (found is not None) is redundant
    assert ran_this_period(config.sources[0], history(), NOW) is None
