"""Reading a Retry-After header (RFC 9110, 10.2.3): delay seconds or an HTTP date."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsdedup.crawler.middlewares import retry_after_seconds

NOW = datetime(2026, 12, 6, 10, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (b"120", 120.0),
        (" 5 ", 5.0),
        (b"Sun, 06 Dec 2026 10:01:30 GMT", 90.0),
        ("Sun, 06 Dec 2026 09:00:00 GMT", 0.0),
        (b"", None),
        (None, None),
        (b"soon", None),
        (b"-3", None),
        (b"1.5", None),
        (b"\xb2", None),  # a superscript two: a digit to str.isdigit(), not to int()
    ],
)
def test_retry_after_reads_seconds_or_a_date(value: bytes | str | None, seconds: float | None) -> None:
    assert retry_after_seconds(value, NOW) == seconds
