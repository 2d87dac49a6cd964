"""Source schedules: a 5-field cron expression, one of cron's nicknames (``@hourly``,
``@daily``...), or ``every N[smhd]`` up to a year, parsed once.

Cron day-of-week numbers follow cron (0 and 7 are Sunday), not APScheduler's own
numbering (0 is Monday), so ``0 6 * * 1-5`` means weekdays as a crontab user expects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

__all__ = ["Schedule", "parse_schedule"]

_EVERY = re.compile(r"^every\s+(\d+)\s*([smhd])$", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
#: The longest interval: a source crawled less than once a year is no schedule (and
#: "every 99999999d" overflowed the date of its next run).
_MAX_INTERVAL = timedelta(days=366)
#: Cron's nicknames (Vixie cron, as crontab(5) lists them; @reboot has no time).
_NICKNAMES = {
    "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
}
_DOW_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
#: Any fixed instant: a cron expression that fires at all fires again after it.
_REFERENCE = datetime(2000, 1, 1, tzinfo=UTC)
_DOW_ITEM = re.compile(r"^(\*|\d+)(?:-(\d+))?(?:/(\d+))?$")


def _cron_dow_to_names(field: str) -> str:
    """Rewrite a numeric cron day-of-week field into APScheduler's day names."""
    if not any(ch.isdigit() for ch in field):
        return field
    days: list[int] = []
    for item in field.split(","):
        match = _DOW_ITEM.match(item)
        if match is None:
            raise ValueError(f"bad day-of-week item {item!r}")
        start_s, end_s, step_s = match.groups()
        if start_s == "*":
            start, end = 0, 6
        else:
            start = int(start_s)
            end = int(end_s) if end_s is not None else (6 if step_s else start)
        step = int(step_s) if step_s else 1
        if not (0 <= start <= 7 and 0 <= end <= 7) or start > end or step < 1:
            raise ValueError(f"day-of-week {item!r} is out of range 0-7")
        days.extend(d % 7 for d in range(start, end + 1, step))
    return ",".join(_DOW_NAMES[d] for d in sorted(set(days)))


@dataclass(frozen=True, slots=True)
class Schedule:
    """A parsed schedule. ``interval`` is set for ``every`` schedules, ``cron`` otherwise."""

    expression: str
    interval: timedelta | None = None
    cron: tuple[str, str, str, str, str] | None = None

    def trigger(self, timezone: Any = UTC) -> BaseTrigger:
        """An APScheduler 3 trigger firing on this schedule."""
        if self.interval is not None:
            return IntervalTrigger(seconds=self.interval.total_seconds(), timezone=timezone)
        if self.cron is None:
            raise ValueError(f"schedule {self.expression!r} is neither cron nor an interval")
        minute, hour, day, month, dow = self.cron
        return CronTrigger(
            minute=minute,
            hour=hour,
            day=day,
            month=month,
            day_of_week=_cron_dow_to_names(dow),
            timezone=timezone,
        )

    def next_after(self, previous: datetime, timezone: Any = UTC) -> datetime:
        """The first time this schedule fires strictly after ``previous``."""
        if self.interval is not None:
            return previous + self.interval
        trigger = self.trigger(timezone)
        fire = trigger.get_next_fire_time(None, previous + timedelta(microseconds=1))
        if fire is None:  # parse_schedule refuses these; a Schedule built in code may not
            raise ValueError(f"cron expression {self.expression!r} never fires (no such date)")
        result: datetime = fire.astimezone(UTC)
        return result

    def is_due(self, last_run: datetime | None, now: datetime, timezone: Any = UTC) -> bool:
        """Whether the schedule has fired since ``last_run`` (never run: always due)."""
        return last_run is None or self.next_after(last_run, timezone) <= now


def parse_schedule(expression: str) -> Schedule:
    """Parse ``expression``; raise ValueError with a message fit for the config report."""
    text = " ".join(expression.split())
    every = _EVERY.match(text)
    if every is not None:
        amount = int(every.group(1))
        if amount <= 0:
            raise ValueError(f"invalid interval {expression!r}: must be positive")
        seconds = amount * _UNIT_SECONDS[every.group(2).lower()]
        if seconds > _MAX_INTERVAL.total_seconds():  # compared before timedelta overflows
            raise ValueError(f"invalid interval {expression!r}: at most a year (every {_MAX_INTERVAL.days}d)")
        return Schedule(text, interval=timedelta(seconds=seconds))
    fields = _NICKNAMES.get(text.lower(), text).split(" ")
    if len(fields) != 5:
        raise ValueError(
            f"invalid schedule {expression!r}: expected 5 cron fields "
            "(minute hour day month weekday), a nickname such as '@hourly', or 'every N[smhd]'"
        )
    cron = (fields[0], fields[1], fields[2], fields[3], fields[4])
    schedule = Schedule(text, cron=cron)
    try:
        trigger = schedule.trigger()
    except ValueError as exc:
        raise ValueError(f"invalid cron expression {expression!r}") from exc
    # Day 30 or 31 of a month too short for it (``0 0 31 2 *``) parses, then never fires;
    # APScheduler gives up on it after a few hundred years of search, a fraction of a second.
    if trigger.get_next_fire_time(None, _REFERENCE) is None:
        raise ValueError(f"cron expression {expression!r} never fires (no such date)")
    return schedule
