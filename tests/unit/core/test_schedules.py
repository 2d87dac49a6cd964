"""Schedules: cron with crontab's weekday numbers, and every-N intervals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsdedup.core.schedules import Schedule, parse_schedule

MONDAY_NOON = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("*/30 * * * *", datetime(2026, 11, 23, 12, 30, tzinfo=UTC)),
        ("every 45s", MONDAY_NOON + timedelta(seconds=45)),
        ("every 10m", MONDAY_NOON + timedelta(minutes=10)),
        ("every 2h", MONDAY_NOON + timedelta(hours=2)),
        ("0 6 * * 1-5", datetime(2026, 11, 24, 6, 0, tzinfo=UTC)),  # weekdays: Tuesday next
        ("0 6 * * 0", datetime(2026, 11, 29, 6, 0, tzinfo=UTC)),  # 0 is Sunday, as in crontab
        ("0 6 * * 7", datetime(2026, 11, 29, 6, 0, tzinfo=UTC)),  # 7 is Sunday too
        ("0 6 * * sat", datetime(2026, 11, 28, 6, 0, tzinfo=UTC)),
        # crontab's nicknames
        ("@hourly", datetime(2026, 11, 23, 13, 0, tzinfo=UTC)),
        ("@DAILY", datetime(2026, 11, 24, 0, 0, tzinfo=UTC)),
        ("@midnight", datetime(2026, 11, 24, 0, 0, tzinfo=UTC)),
        ("@weekly", datetime(2026, 11, 29, 0, 0, tzinfo=UTC)),
        ("@monthly", datetime(2026, 12, 1, 0, 0, tzinfo=UTC)),
        ("@yearly", datetime(2027, 1, 1, 0, 0, tzinfo=UTC)),
        ("every 366d", MONDAY_NOON + timedelta(days=366)),
    ],
)
def test_next_run(expression: str, expected: datetime) -> None:
    assert parse_schedule(expression).next_after(MONDAY_NOON) == expected


@pytest.mark.parametrize(
    "expression", ["61 * * * *", "* * *", "every 0m", "every 5 minutes", "0 0 * * 8", "", "@reboot",
                   # past a year: "every 99999999d" overflowed the date of the next run
                   "every 367d", "every 99999999d", "every 100000000000000000000d"]
)
def test_invalid_schedules_are_refused(expression: str) -> None:
    with pytest.raises(ValueError, match="invalid"):
        parse_schedule(expression)


def test_due_since_last_run() -> None:
    schedule = parse_schedule("*/30 * * * *")
    assert schedule.is_due(None, MONDAY_NOON)
    assert not schedule.is_due(MONDAY_NOON, MONDAY_NOON + timedelta(minutes=29))
    assert schedule.is_due(MONDAY_NOON, MONDAY_NOON + timedelta(minutes=30))


@pytest.mark.parametrize("expression", ["0 0 31 2 *", "0 0 30 2 *", "0 0 31 4,6,9,11 *"])
def test_a_cron_that_never_fires_is_refused(expression: str) -> None:
    with pytest.raises(ValueError, match="never fires"):
        parse_schedule(expression)


def test_rare_but_real_dates_are_accepted() -> None:
    leap_day = parse_schedule("0 0 29 2 *")
    assert leap_day.next_after(MONDAY_NOON) == datetime(2028, 2, 29, tzinfo=UTC)


def test_a_schedule_built_without_parsing_fails_with_a_value_error_not_an_assertion() -> None:
    # A Schedule made in code skips parse_schedule's check; next_after must still say why.
    never = Schedule("0 0 31 2 *", cron=("0", "0", "31", "2", "*"))
    with pytest.raises(ValueError, match="never fires"):
        never.next_after(MONDAY_NOON)
    with pytest.raises(ValueError, match="neither"):
        Schedule("broken").trigger()
