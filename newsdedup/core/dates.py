"""Machine-written dates (ISO 8601 and its relatives, RFC 2822, epoch seconds) to UTC.

One parser for every layer: feeds and sitemaps (the crawler), JSON-LD and meta tags
(extraction). Dates written for readers ("7 June 2025") are extraction's business
(``pipeline/extract/dates.py``), which hands its text parser in as ``fallback``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime

__all__ = ["MAX_YEAR", "MIN_YEAR", "civil_date", "parse_date"]

MIN_YEAR = 1990
MAX_YEAR = 2100
_ISO_LIKE = re.compile(
    r"(?P<y>\d{4})-?(?P<m>\d{2})-?(?P<d>\d{2})"
    r"(?:[T ](?P<H>\d{1,2}):?(?P<M>\d{2})(?::?(?P<S>\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?",
    re.IGNORECASE,
)
_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


def civil_date(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0,
    tz: tzinfo | None = None,
) -> datetime | None:
    """That moment (in ``tz``, default UTC) in UTC; None when it does not exist or its
    year is not plausible for news (``MIN_YEAR`` to ``MAX_YEAR``)."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        stamp = datetime(year, month, day, hour, minute, second, tzinfo=tz or UTC)
    except ValueError:
        return None
    return stamp.astimezone(UTC)


def _zone(text: str | None) -> timezone | None:
    if not text or text.upper() in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 14 or minutes > 59:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _epoch(text: str) -> datetime | None:
    seconds = int(text) / (1000 if len(text) == 13 else 1)
    stamp = datetime.fromtimestamp(seconds, UTC)
    return stamp if MIN_YEAR <= stamp.year <= MAX_YEAR else None


def _iso(match: re.Match[str]) -> datetime | None:
    zone = _zone(match.group("tz"))
    if zone is None:
        return None
    return civil_date(
        int(match.group("y")), int(match.group("m")), int(match.group("d")),
        int(match.group("H") or 0), int(match.group("M") or 0), int(match.group("S") or 0),
        zone,
    )


def parse_date(value: str | None, *, periods: bool = False,
               fallback: Callable[[str], datetime | None] | None = None) -> datetime | None:
    """``value`` as an aware UTC datetime, or None when nothing plausible is found.

    A value without a zone is taken as UTC. With ``periods`` a bare ``YYYY`` or
    ``YYYY-MM`` (the W3C profile sitemaps use) is the first day of that period.
    ``fallback`` reads what is neither ISO-like nor RFC 2822.
    """
    text = (value or "").strip()[:100]
    if not text:
        return None
    if text.isdecimal() and 9 <= len(text) <= 13:  # isdigit() also takes "²", int() not
        return _epoch(text)
    match = _ISO_LIKE.search(text)
    if match and match.start() <= 2:
        return _iso(match)
    if periods and (period := _PERIOD.match(text)):
        return civil_date(int(period[1]), int(period[2] or 1), 1)
    try:
        stamp = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return fallback(text) if fallback else None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return stamp.astimezone(UTC) if MIN_YEAR <= stamp.year <= MAX_YEAR else None
