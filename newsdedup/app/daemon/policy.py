"""When a source is due, how long it backs off after failures, and whether it is healthy.

Rules (documented for operators in docs/deployment.md):

- **Due**: a source is due when its schedule has fired since the start of its last
  successful crawl run (never succeeded: due at once), and it is not backing off. An
  ``every N`` schedule is due up to 5% of N early (at most 30 s), so a cron job that
  starts ``run-due`` every minute does not miss an ``every 10m`` slot by a second.
- **Backoff**: after ``k >= 1`` consecutive failures, the source waits at least
  ``min(backoff_base_seconds * 2**(k-1), backoff_max_seconds)`` after the end of the
  last failure. The schedule still decides when it fires; the backoff only holds it back.
- **Dead**: a source whose runs have all failed for ``dead_after_hours`` (from the end
  of its last success, or its first run, to the end of its last failure) waits
  ``dead_retry_hours`` after each failure instead: one try a day by default, until a
  run succeeds. Manual crawls ignore backoff and death alike.
- **Health**: ``disabled`` (never unhealthy); ``dead`` as above; ``unhealthy`` when it
  has ``unhealthy_after_failures`` consecutive failures, when it never succeeded and a
  run failed, or when its schedule fired ``unhealthy_after_missed_runs`` times (plus its
  ``max_run_minutes``) since its last success (never succeeded: since its first run),
  i.e. it has not succeeded within its expected interval, or when none of its last
  ``unhealthy_after_rejected_pages`` processed pages was an article (its runs succeed,
  and store nothing: the extractor no longer reads the site, or a wall answers in its
  place); ``failing`` with fewer
  consecutive failures; ``new`` when it has not run yet; else ``ok``. ``dead`` and
  ``unhealthy`` make ``newsdedup status`` exit 1.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from newsdedup.core.config import Config, DaemonConfig, SourceConfig
from newsdedup.core.schedules import Schedule
from newsdedup.storage.health import SourceHistory
from newsdedup.storage.runs import RunView

__all__ = [
    "HEALTH_STATES",
    "Health",
    "assess_health",
    "backoff_delay",
    "backoff_until",
    "due_tolerance",
    "failing_since",
    "is_dead",
    "is_due",
    "next_due",
    "ran_this_period",
]

HEALTH_STATES = ("ok", "failing", "unhealthy", "dead", "new", "disabled")

_MAX_TOLERANCE = timedelta(seconds=30)


def backoff_delay(failures: int, config: DaemonConfig) -> timedelta:
    """The wait after ``failures`` consecutive failures (zero for none)."""
    if failures <= 0:
        return timedelta(0)
    # Cap the exponent first: 2**k for a long-failing source would overflow a float.
    seconds = config.backoff_base_seconds * 2 ** min(failures - 1, 62)
    return timedelta(seconds=min(seconds, config.backoff_max_seconds))


def failing_since(history: SourceHistory) -> datetime | None:
    """When the source's current run of failures began: the end of its last success (or
    its first run); None when its last run did not fail."""
    if history.consecutive_failures <= 0 or history.last_failure is None:
        return None
    success = history.last_success
    if success is not None:
        return success.finished_at or success.started_at
    return history.first_run_at


def _ended(run: RunView) -> datetime:
    return run.finished_at or run.started_at


def is_dead(history: SourceHistory, config: DaemonConfig) -> bool:
    """Whether every run of the source failed for ``dead_after_hours`` (0: never dead)."""
    since = failing_since(history)
    if since is None or history.last_failure is None or config.dead_after_hours <= 0:
        return False
    return _ended(history.last_failure) - since >= timedelta(hours=config.dead_after_hours)


def backoff_until(history: SourceHistory, config: DaemonConfig) -> datetime | None:
    """The time before which the source must not run because of its failures, if any
    (a dead source: ``dead_retry_hours`` after its last failure)."""
    failure = history.last_failure
    if history.consecutive_failures <= 0 or failure is None:
        return None
    hold = _ended(failure) + backoff_delay(history.consecutive_failures, config)
    if is_dead(history, config):
        hold = max(hold, _ended(failure) + timedelta(hours=config.dead_retry_hours))
    return hold


def due_tolerance(schedule: Schedule) -> timedelta:
    """How early an ``every N`` schedule counts as due (zero for cron: it fires on the minute)."""
    if schedule.interval is None:
        return timedelta(0)
    return min(schedule.interval * 0.05, _MAX_TOLERANCE)


def next_due(source: SourceConfig, history: SourceHistory, config: Config) -> datetime | None:
    """When ``source`` is next due for a scheduled or cron run; None means at once."""
    schedule = source.parsed_schedule
    due = None
    if history.last_success is not None:
        due = schedule.next_after(history.last_success.started_at) - due_tolerance(schedule)
    hold = backoff_until(history, config.daemon)
    if hold is not None and (due is None or hold > due):
        due = hold
    return due


def is_due(source: SourceConfig, history: SourceHistory, config: Config, now: datetime) -> bool:
    due = next_due(source, history, config)
    return due is None or due <= now


def ran_this_period(source: SourceConfig, history: SourceHistory, now: datetime) -> datetime | None:
    """When the run that makes a scheduled firing at ``now`` redundant started, if any.

    Several daemons on one database each fire every source on their own clock; without
    this each would run it once per period. A cron firing is redundant when the last
    success started at or after this firing's slot (the slots are the same for every
    daemon); an ``every N`` firing when the last success started less than N/2 ago (each
    daemon has its own phase, so at most about two runs a period remain).
    """
    success = history.last_success
    if success is None:
        return None
    schedule = source.parsed_schedule
    if schedule.interval is not None:
        recent = now - success.started_at < schedule.interval / 2
    else:
        recent = schedule.next_after(success.started_at) > now
    return success.started_at if recent else None


@dataclass(frozen=True, slots=True)
class Health:
    """A source's health; ``reason`` says why it is not ``ok``."""

    state: str
    reason: str | None = None

    @property
    def unhealthy(self) -> bool:
        """Whether monitoring should hear of it (``newsdedup status`` exits 1)."""
        return self.state in ("unhealthy", "dead")


def assess_health(source: SourceConfig, history: SourceHistory, config: Config,
                  now: datetime) -> Health:
    """Apply the health rules of this module to one source."""
    if not source.enabled:
        return Health("disabled")
    daemon = config.daemon
    failures = history.consecutive_failures
    last_error = history.last_failure.error if history.last_failure else None
    detail = f" (last: {last_error})" if last_error else ""
    if is_dead(history, daemon):
        start = failing_since(history)
        assert start is not None  # is_dead implies a run of failures
        return Health("dead", f"every run failed since {start.isoformat(timespec='seconds')}; "
                              f"tried every {daemon.dead_retry_hours:g} h until one succeeds"
                              f"{detail}")
    if failures >= daemon.unhealthy_after_failures:
        return Health("unhealthy", f"{failures} consecutive failed runs{detail}")
    if failures and history.last_success is None:
        runs = f"{failures} failed run{'s' * (failures > 1)}"
        return Health("unhealthy", f"never succeeded: {runs}{detail}")
    reference = history.last_success.started_at if history.last_success else history.first_run_at
    if reference is None:
        return Health("new", "never crawled")
    schedule = source.parsed_schedule
    fired = reference
    for _ in range(daemon.unhealthy_after_missed_runs):
        fired = schedule.next_after(fired)
    allowance = timedelta(minutes=config.crawl_for(source).max_run_minutes)
    if fired + allowance < now:
        since = "last success" if history.last_success else "first run"
        return Health(
            "unhealthy",
            f"no successful run since {reference.isoformat(timespec='seconds')} ({since}); "
            f"the schedule fired {daemon.unhealthy_after_missed_runs}+ times since",
        )
    rejecting = _no_article_among_recent_pages(history, daemon.unhealthy_after_rejected_pages)
    if rejecting is not None:
        return Health("unhealthy", rejecting)
    if failures:
        return Health("failing", f"{failures} consecutive failed run{'s' * (failures > 1)}{detail}")
    if history.last_success is None:
        return Health("new", "no successful run yet")
    return Health("ok")


def _no_article_among_recent_pages(history: SourceHistory, pages: int) -> str | None:
    """Why none of the source's last ``pages`` processed pages gave an article, or None
    when one did, or fewer were processed, or the rule is off (0)."""
    recent = history.recent_pages[:pages]
    if pages == 0 or len(recent) < pages or any(outcome == "article" for outcome, _ in recent):
        return None
    reasons = Counter(reason or outcome for outcome, reason in recent)
    kinds = ", ".join(f"{reason} {count}" for reason, count in sorted(reasons.items()))
    return f"none of its last {pages} pages was an article ({kinds})"
