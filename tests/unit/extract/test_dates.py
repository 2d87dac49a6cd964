"""Date parsing: machine formats to UTC, dates written for readers, dates in URLs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from newsdedup.pipeline.extract.dates import (
    parse_date,
    parse_day_word,
    parse_relative_date,
    parse_text_date,
    url_date,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-07T09:30:00+02:00", datetime(2024, 5, 7, 7, 30, tzinfo=UTC)),
        ("2024-05-07T09:30:00Z", datetime(2024, 5, 7, 9, 30, tzinfo=UTC)),
        ("2024-05-07T09:30:00.123-0500", datetime(2024, 5, 7, 14, 30, tzinfo=UTC)),
        ("2024-05-07 18:19:08", datetime(2024, 5, 7, 18, 19, 8, tzinfo=UTC)),
        ("2024-05-07", datetime(2024, 5, 7, tzinfo=UTC)),
        ("20240507", datetime(2024, 5, 7, tzinfo=UTC)),
        ("Tue, 07 May 2024 09:30:00 +0200", datetime(2024, 5, 7, 7, 30, tzinfo=UTC)),
        ("1715067000", datetime(2024, 5, 7, 7, 30, tzinfo=UTC)),
        ("1715067000000", datetime(2024, 5, 7, 7, 30, tzinfo=UTC)),
    ],
)
def test_machine_dates_become_utc(value: str, expected: datetime) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["", "   ", "yesterday", "0000-00-00", "1850-01-01", "2024-13-45", None])
def test_implausible_or_missing_dates_give_none(value: str | None) -> None:
    assert parse_date(value) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("June 7, 2025 6:17 PM 3 min read", datetime(2025, 6, 7, 18, 17, tzinfo=UTC)),
        ("Published 7 June 2025", datetime(2025, 6, 7, tzinfo=UTC)),
        ("Stand: 22.04.2024, 06:00 Uhr", datetime(2024, 4, 22, 6, 0, tzinfo=UTC)),
        ("22. April 2024", datetime(2024, 4, 22, tzinfo=UTC)),
        ("le 3 mai 2024 à 14h05", datetime(2024, 5, 3, 14, 5, tzinfo=UTC)),
        ("3 de mayo de 2024", datetime(2024, 5, 3, tzinfo=UTC)),
        ("15 марта 2024, 10:20", datetime(2024, 3, 15, 10, 20, tzinfo=UTC)),
        ("3 червня 2024", datetime(2024, 6, 3, tzinfo=UTC)),
        ("10 Jun, 2025 19:34", datetime(2025, 6, 10, 19, 34, tzinfo=UTC)),
        ("8/7/2025 10:06:07 AM", datetime(2025, 8, 7, 10, 6, tzinfo=UTC)),
        ("25/12/2024", datetime(2024, 12, 25, tzinfo=UTC)),
        # One per language (or script) added to the month names and date shapes.
        ("il 5 marzo 2026 alle 10:30", datetime(2026, 3, 5, 10, 30, tzinfo=UTC)),
        ("5 de dezembro de 2026, às 10:30", datetime(2026, 12, 5, 10, 30, tzinfo=UTC)),
        ("5 maart 2026 om 10:30", datetime(2026, 3, 5, 10, 30, tzinfo=UTC)),
        ("5 augusti 2026 kl. 10:30", datetime(2026, 8, 5, 10, 30, tzinfo=UTC)),
        ("5 grudnia 2026, godz. 10:30", datetime(2026, 12, 5, 10, 30, tzinfo=UTC)),
        ("5 grudnia 2026 o 10:30", datetime(2026, 12, 5, 10, 30, tzinfo=UTC)),
        # Hindi, in Latin and in Devanagari digits; Bengali in its digits; "February" with
        # its nukta letter as one code point and as two
        ("5 \u0926\u093f\u0938\u0902\u092c\u0930 2026, 10:30", datetime(2026, 12, 5, 10, 30, tzinfo=UTC)),
        ("\u096b \u0926\u093f\u0938\u0902\u092c\u0930 \u0968\u0966\u0968\u096c", datetime(2026, 12, 5, tzinfo=UTC)),
        ("\u09eb \u09a1\u09bf\u09b8\u09c7\u09ae\u09cd\u09ac\u09b0 \u09e8\u09e6\u09e8\u09ec", datetime(2026, 12, 5, tzinfo=UTC)),
        ("5 \u095e\u0930\u0935\u0930\u0940 2026", datetime(2026, 2, 5, tzinfo=UTC)),
        ("5 \u092b\u093c\u0930\u0935\u0930\u0940 2026", datetime(2026, 2, 5, tzinfo=UTC)),
        # Thai: the Buddhist era's year (543 ahead), whole or its last two digits, Thai
        # digits, the abbreviated months; a clock after "เวลา"
        ("5 \u0e18\u0e31\u0e19\u0e27\u0e32\u0e04\u0e21 2569", datetime(2026, 12, 5, tzinfo=UTC)),
        ("\u0e51\u0e55 \u0e21\u0e35.\u0e04. \u0e52\u0e55\u0e56\u0e59 \u0e40\u0e27\u0e25\u0e32 14:05 \u0e19.",
         datetime(2026, 3, 15, 14, 5, tzinfo=UTC)),
        ("\u0e27\u0e31\u0e19\u0e17\u0e35\u0e48 5 \u0e18.\u0e04. 69 10:30 \u0e19.", datetime(2026, 12, 5, 10, 30, tzinfo=UTC)),
        # the era named ("พ.ศ.")
        ("5 \u0e18\u0e31\u0e19\u0e27\u0e32\u0e04\u0e21 \u0e1e.\u0e28. 2569", datetime(2026, 12, 5, tzinfo=UTC)),
        ("5 \u0e18\u0e31\u0e19\u0e27\u0e32\u0e04\u0e21 2026 \u0e40\u0e27\u0e25\u0e32 10:30", datetime(2026, 12, 5, 10, 30, tzinfo=UTC)),
        ("5. prosince 2026", datetime(2026, 12, 5, tzinfo=UTC)),
        ("5 Aralık 2026 14:05", datetime(2026, 12, 5, 14, 5, tzinfo=UTC)),
        ("5 MAYIS 2026", datetime(2026, 5, 5, tzinfo=UTC)),
        ("5 decembrie 2026", datetime(2026, 12, 5, tzinfo=UTC)),
        ("5. joulukuuta 2026 klo 10.30", datetime(2026, 12, 5, 10, 30, tzinfo=UTC)),
        ("5 декември 2026", datetime(2026, 12, 5, tzinfo=UTC)),
        ("5 Δεκεμβρίου 2026", datetime(2026, 12, 5, tzinfo=UTC)),
        ("5 Desember 2026", datetime(2026, 12, 5, tzinfo=UTC)),
        ("2026. május 5., 10:30", datetime(2026, 5, 5, 10, 30, tzinfo=UTC)),
        ("٥ ديسمبر ٢٠٢٦", datetime(2026, 12, 5, tzinfo=UTC)),
        ("5 كانون الأول 2026", datetime(2026, 12, 5, tzinfo=UTC)),
        ("2026年12月5日 10:30", datetime(2026, 12, 5, 10, 30, tzinfo=UTC)),
        ("2026年12月5日(土) 10時30分", datetime(2026, 12, 5, 10, 30, tzinfo=UTC)),
        ("2026년 12월 5일", datetime(2026, 12, 5, tzinfo=UTC)),
        ("ngày 5 tháng 12 năm 2026", datetime(2026, 12, 5, tzinfo=UTC)),
        # Year first, in numbers, only after a publication label.
        ("입력 2026.03.05 10:30", datetime(2026, 3, 5, 10, 30, tzinfo=UTC)),
        ("发布时间：2026-03-05 10:30", datetime(2026, 3, 5, 10, 30, tzinfo=UTC)),
        ("Essay - Published: 2026.03.05 |", datetime(2026, 3, 5, tzinfo=UTC)),
    ],
)
def test_dates_written_for_readers(text: str, expected: datetime) -> None:
    assert parse_text_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A number after a date is no clock unless its minutes end it (Spanish "o", "or").
        ("el 3 de mayo de 2024 o 12.500 euros", datetime(2024, 5, 3, tzinfo=UTC)),
        ("3 May 2024, 25.000 people", datetime(2024, 5, 3, tzinfo=UTC)),
        # A Thai two-digit number after a day and month is a year only where the line ends
        # or a clock follows: here it counts cases, there a price.
        ("\u0e1c\u0e39\u0e49\u0e15\u0e34\u0e14\u0e40\u0e0a\u0e37\u0e49\u0e2d 1 \u0e21.\u0e04. 87 \u0e23\u0e32\u0e22", None),
        ("\u0e23\u0e32\u0e04\u0e32 3 \u0e01.\u0e1e. 45,600 \u0e1a\u0e32\u0e17", None),
        # Bengali "মে" (May) ends the word "নামে": no month there.
        ("\u09a4\u09be\u0981\u09b0 \u09a8\u09be\u09ae\u09c7 \u09e7\u09e8, \u09e8\u09e6\u09e8\u09ea", None),
    ],
)
def test_numbers_and_words_that_only_look_like_a_date(text: str, expected: datetime | None) -> None:
    assert parse_text_date(text) == expected


def test_text_without_a_date() -> None:
    assert parse_text_date("The council met on Tuesday to discuss 2024 plans.") is None
    # Thai: a day, a month and a clock, no year (the clock is no two-digit year)
    assert parse_text_date("5 \u0e18.\u0e04. 10:30 \u0e19.") is None


@pytest.mark.parametrize("text", ["Release 2025.3.1 of the tool", "Last updated 2025-02-23", "Build 2026.03.05-1"])
def test_year_first_numbers_without_a_publication_label_are_no_date(text: str) -> None:
    # A manual's version, its last edit, a build stamp: not when a story was published.
    assert parse_text_date(text) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://x.example/news/2024/05/03/port-strike", datetime(2024, 5, 3, tzinfo=UTC)),
        ("https://x.example/2024-5-3/story", datetime(2024, 5, 3, tzinfo=UTC)),
        ("https://x.example/archive/20240503/story.html", datetime(2024, 5, 3, tzinfo=UTC)),
        ("https://x.example/story/3000000218734/title", None),
        ("https://x.example/news/2024/99/99/x", None),
    ],
)
def test_url_dates(url: str, expected: datetime | None) -> None:
    assert url_date(url) == expected


NOW = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "before"),
    [
        ("3 hours ago", timedelta(hours=3)),
        ("Updated 45 mins ago", timedelta(minutes=45)),
        ("an hour ago", timedelta(hours=1)),
        ("2 days ago", timedelta(days=2)),
        ("vor 2 Tagen", timedelta(days=2)),
        ("vor einer Stunde", timedelta(hours=1)),
        ("il y a 5 minutes", timedelta(minutes=5)),
        ("hace 1 día", timedelta(days=1)),
        ("3 ore fa", timedelta(hours=3)),
        ("2 uur geleden", timedelta(hours=2)),
        ("há 4 horas", timedelta(hours=4)),
        ("5 часов назад", timedelta(hours=5)),
        ("3 години тому", timedelta(hours=3)),
        ("5 dakika önce", timedelta(minutes=5)),
        ("2 gün önce", timedelta(days=2)),
        ("3 godziny temu", timedelta(hours=3)),
        ("منذ 3 ساعات", timedelta(hours=3)),
        ("منذ ٥ دقائق", timedelta(minutes=5)),
        ("3小时前", timedelta(hours=3)),
        ("发布于 10分钟前", timedelta(minutes=10)),
        ("2時間前", timedelta(hours=2)),
        ("2日前", timedelta(days=2)),
        ("3시간 전", timedelta(hours=3)),
        ("1일 전", timedelta(days=1)),
    ],
)
def test_spans_before_the_fetch(text: str, before: timedelta) -> None:
    expected = NOW - before
    if before >= timedelta(days=1):  # a day, not a time: a bare date
        expected = expected.replace(hour=0)
    assert parse_relative_date(text, NOW) == expected


@pytest.mark.parametrize(
    "text", ["2 months ago", "10 years ago", "40 days ago", "3 hours", "in 2 days", "March 2026", "12月3日前", "3小时"]
)
def test_spans_too_long_or_not_before_give_none(text: str) -> None:
    assert parse_relative_date(text, NOW) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Today, 10:30", datetime(2026, 3, 6, 8, 30, tzinfo=UTC)),
        ("Вчера в 14:05", datetime(2026, 3, 5, 12, 5, tzinfo=UTC)),
        ("Wczoraj, godz. 14:05", datetime(2026, 3, 5, 12, 5, tzinfo=UTC)),
        ("Gestern, 14:05 Uhr", datetime(2026, 3, 5, 12, 5, tzinfo=UTC)),
        ("Hier à 14h05", datetime(2026, 3, 5, 12, 5, tzinfo=UTC)),
        ("昨天 14:05", datetime(2026, 3, 5, 12, 5, tzinfo=UTC)),
        ("Today at 3:05 pm", datetime(2026, 3, 6, 13, 5, tzinfo=UTC)),
        # the day alone: a bare date
        ("Yesterday", datetime(2026, 3, 5, tzinfo=UTC)),
        # not a date line
        ("Today is the day the pier reopens", None),
        ("hier", None),  # German "here", French "yesterday": only with a clock
        ("Yesterday's storm, 10:30", None),
    ],
)
def test_a_date_line_that_names_the_day_from_the_fetch(text: str, expected: datetime | None) -> None:
    # Fetched at 09:00 UTC, 11:00 in Kyiv, where the site's clock runs.
    now = datetime(2026, 3, 6, 9, 0, tzinfo=UTC)
    assert parse_day_word(text, now, ZoneInfo("Europe/Kyiv")) == expected
