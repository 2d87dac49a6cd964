"""The one machine-date parser both the crawler and extraction use."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsdedup.core.dates import parse_date


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-05-03T10:15:00+02:00", datetime(2024, 5, 3, 8, 15, tzinfo=UTC)),
    ("2024-05-03", datetime(2024, 5, 3, tzinfo=UTC)),
    ("20240503T1015Z", datetime(2024, 5, 3, 10, 15, tzinfo=UTC)),
    ("Fri, 03 May 2024 10:15:00 GMT", datetime(2024, 5, 3, 10, 15, tzinfo=UTC)),
    ("1714731300", datetime(2024, 5, 3, 10, 15, tzinfo=UTC)),
    ("1714731300000", datetime(2024, 5, 3, 10, 15, tzinfo=UTC)),
])
def test_machine_written_dates_in_utc(text: str, expected: datetime) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["", "   ", None, "soon", "1850-01-01", "2024-02-30",
                                  "2024-05-03T10:15:00+19:00"])
def test_implausible_or_unreadable_dates_are_none(text: str | None) -> None:
    assert parse_date(text) is None


def test_periods_only_where_asked() -> None:
    assert parse_date("2024-05") is None
    assert parse_date("2024-05", periods=True) == datetime(2024, 5, 1, tzinfo=UTC)
    assert parse_date("2024", periods=True) == datetime(2024, 1, 1, tzinfo=UTC)


def test_the_fallback_reads_what_is_not_machine_written() -> None:
    seen: list[str] = []

    def fallback(text: str) -> datetime | None:
        seen.append(text)
        return datetime(2024, 5, 3, tzinfo=UTC)

    assert parse_date("3 May 2024", fallback=fallback) == datetime(2024, 5, 3, tzinfo=UTC)
    assert seen == ["3 May 2024"]
    assert parse_date("2024-05-03", fallback=fallback) == datetime(2024, 5, 3, tzinfo=UTC)
    assert seen == ["3 May 2024"]
