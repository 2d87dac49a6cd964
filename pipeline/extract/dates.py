"""Date strings as pages write them (ISO 8601, RFC 2822, numeric, month names) to UTC datetimes."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newsdedup.core.dates import civil_date
from newsdedup.core.dates import parse_date as parse_machine_date

__all__ = ["local_zone", "parse_date", "parse_relative_date", "parse_text_date", "url_date"]

# Dates written for readers rarely name their zone; they are in the newsroom's civil
# time. For languages spoken (almost) entirely in one zone, that zone is the best guess;
# other languages (English, Spanish, Portuguese, Arabic...) fall back to UTC.
_LANGUAGE_ZONES = {
    "uk": "Europe/Kyiv", "ru": "Europe/Moscow", "be": "Europe/Minsk", "de": "Europe/Berlin",
    "fr": "Europe/Paris", "it": "Europe/Rome", "nl": "Europe/Amsterdam", "pl": "Europe/Warsaw",
    "cs": "Europe/Prague", "sk": "Europe/Bratislava", "hu": "Europe/Budapest",
    "ro": "Europe/Bucharest", "bg": "Europe/Sofia", "el": "Europe/Athens", "tr": "Europe/Istanbul",
    "sv": "Europe/Stockholm", "no": "Europe/Oslo", "da": "Europe/Copenhagen", "fi": "Europe/Helsinki",
    "lt": "Europe/Vilnius", "lv": "Europe/Riga", "et": "Europe/Tallinn", "is": "Atlantic/Reykjavik",
    "hr": "Europe/Zagreb", "sl": "Europe/Ljubljana", "sr": "Europe/Belgrade", "ka": "Asia/Tbilisi",
    "hy": "Asia/Yerevan", "he": "Asia/Jerusalem", "fa": "Asia/Tehran", "ja": "Asia/Tokyo",
    "ko": "Asia/Seoul", "zh": "Asia/Shanghai", "vi": "Asia/Ho_Chi_Minh", "th": "Asia/Bangkok",
}


def local_zone(language: str | None) -> tzinfo:
    """The civil time zone a page in ``language`` most likely writes its dates in (UTC when
    the language spans several zones or the zone database is missing)."""
    name = _LANGUAGE_ZONES.get(language or "")
    if name is None:
        return UTC
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:
        return UTC

_URL_DATE = re.compile(
    r"/(?P<y>(?:19|20)\d{2})[/-](?P<m>0?[1-9]|1[0-2])[/-](?P<d>0?[1-9]|[12]\d|3[01])(?:/|$|[-_])"
    r"|/(?P<y2>(?:19|20)\d{2})(?P<m2>0[1-9]|1[0-2])(?P<d2>0[1-9]|[12]\d|3[01])(?:/|$|[-_])"
)
_NUMERIC = re.compile(
    r"\b(?P<d>[0-3]?\d)\.\s?(?P<m>[01]?\d)\.\s?(?P<y>(?:19|20)\d{2})"
    r"(?:,?\s*(?:um\s)?(?P<H>[0-2]?\d)[:.](?P<M>[0-5]\d))?"
)
# Slashes are the US way of writing dates (month first); a first number over 12 can only
# be a day, as in Britain.
_SLASHED = re.compile(
    r"\b(?P<a>[01]?\d|[23]\d)/(?P<b>[0-3]?\d)/(?P<y>(?:19|20)\d{2})"
    r"(?:,?\s*(?P<H>[0-2]?\d):(?P<M>[0-5]\d)(?::\d{2})?\s*(?P<ampm>[ap]\.?m\.?)?)?",
    re.IGNORECASE,
)
_MONTHS = {
    # English
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    # German
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "mai": 5, "juni": 6, "juli": 7,
    "oktober": 10, "dezember": 12, "okt": 10, "dez": 12,
    # French
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
    # Spanish
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
    "diciembre": 12,
    # Russian (genitive, as dates are written)
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7,
    "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
    # Ukrainian (genitive)
    "січня": 1, "лютого": 2, "березня": 3, "квітня": 4, "травня": 5, "червня": 6,
    "липня": 7, "серпня": 8, "вересня": 9, "жовтня": 10, "листопада": 11, "грудня": 12,
}
_MONTH_ALT = "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True))
_TIME = r"(?:,?\s*(?:at\s|um\s|à\s|a las\s|в\s|о\s)?(?P<H>[0-2]?\d)[:.h](?P<M>[0-5]\d)\s*(?P<ampm>[ap]\.?m\.?)?)?"
_DAY_MONTH_YEAR = re.compile(
    rf"\b(?P<d>[0-3]?\d)\.?\s+(?:de\s+)?(?P<mon>{_MONTH_ALT})\.?,?\s+(?:de\s+)?(?P<y>(?:19|20)\d{{2}}){_TIME}",
    re.IGNORECASE,
)
_MONTH_DAY_YEAR = re.compile(
    rf"\b(?P<mon>{_MONTH_ALT})\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{{2}}){_TIME}",
    re.IGNORECASE,
)


def parse_date(value: str | None) -> datetime | None:
    """A machine-written date (see ``newsdedup.core.dates.parse_date``), or failing that the
    first date written for readers in it, in UTC."""
    return parse_machine_date(value, fallback=parse_text_date)


def _hour(match: re.Match[str]) -> int:
    hour = int(match.group("H") or 0)
    ampm = (match.groupdict().get("ampm") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    return hour


def parse_text_date(text: str, zone: tzinfo = UTC) -> datetime | None:
    """The first date written for readers in ``text`` ("7 June 2025", "June 7, 2025, 6:17 PM",
    "22.04.2024, 06:00 Uhr", "3 de mayo de 2024"), read as civil time in ``zone`` (see
    local_zone), returned in UTC."""
    snippet = text[:400]
    best: tuple[int, datetime] | None = None
    for pattern in (_MONTH_DAY_YEAR, _DAY_MONTH_YEAR, _NUMERIC, _SLASHED):
        match = pattern.search(snippet)
        if not match:
            continue
        groups = match.groupdict()
        month: int | None
        if pattern is _SLASHED:
            first, second = int(groups["a"]), int(groups["b"])
            month, day = (second, first) if first > 12 else (first, second)
        else:
            month_text = groups.get("mon")
            month = _MONTHS.get(month_text.lower()) if month_text else int(groups["m"])
            day = int(groups["d"])
        if month is None:
            continue
        stamp = civil_date(int(groups["y"]), month, day, _hour(match), int(groups.get("M") or 0), tz=zone)
        if stamp is not None and (best is None or match.start() < best[0]):
            best = (match.start(), stamp)
    return best[1] if best else None


def url_date(url: str) -> datetime | None:
    """The date spelled in a URL path (``/2024/05/03/`` or ``/20240503/``), at midnight UTC."""
    match = _URL_DATE.search(url)
    if not match:
        return None
    if match.group("y"):
        return civil_date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
    return civil_date(int(match.group("y2")), int(match.group("m2")), int(match.group("d2")))


# "3 hours ago" as pages write it for recent stories, by language: a number (or the word
# for one) and a unit of minutes, hours or days. Longer spans ("2 months ago") say too
# little of the day to be a publication date and are not read.
_ONE = r"an?|one|eine[mr]?|ein|une?|una?|un|een|uma?"
_RELATIVE = re.compile(
    r"(?:^|\b)(?:"
    rf"(?P<n1>\d{{1,3}}|{_ONE})\s+(?P<u1>min(?:ute)?s?|mins?|h(?:ou)?rs?|hours?|days?)\s+ago"
    rf"|vor\s+(?P<n2>\d{{1,3}}|{_ONE})\s+(?P<u2>Min(?:ute|uten)?|Std|Stunden?|Tag(?:en)?)"
    rf"|il\s+y\s+a\s+(?P<n3>\d{{1,3}}|{_ONE})\s+(?P<u3>min(?:ute)?s?|heures?|h|jours?)"
    rf"|hace\s+(?P<n4>\d{{1,3}}|{_ONE})\s+(?P<u4>min(?:uto)?s?|horas?|d[ií]as?)"
    rf"|(?P<n5>\d{{1,3}}|{_ONE})\s+(?P<u5>minut[oi]|or[ae]|giorn[oi])\s+fa"
    rf"|(?P<n6>\d{{1,3}}|{_ONE})\s+(?P<u6>minuut|minuten|uur|dagen|dag)\s+geleden"
    rf"|h[aá]\s+(?P<n7>\d{{1,3}}|{_ONE})\s+(?P<u7>minutos?|horas?|dias?)"
    r"|(?P<n8>\d{1,3})\s+(?P<u8>минут\w*|час\w*|дн\w*|день|хвилин\w*|годин\w*)\s+(?:назад|тому)"
    r"|(?P<n9>\d{1,3})\s+(?P<u9>dakika|saat|gün)\s+önce"
    r"|(?P<n10>\d{1,3})\s+(?P<u10>minut[aęy]?|godzin[aęy]?|dni|dzień)\s+temu"
    r"|منذ\s+(?P<n11>\d{1,3})\s+(?P<u11>دقيقة|دقائق|ساعة|ساعات|يوم|أيام)"
    r")(?:\b|$)",
    re.IGNORECASE,
)
# Chinese, Japanese and Korean write the span with no space and no word boundary around
# it ("3小时前", "3時間前", "3시간 전"). A day count after a month ("12月3日前", "before
# 3 December") is a date, not a span.
_RELATIVE_CJK = re.compile(r"(?<![月\d])(?P<n>\d{1,3})\s*(?P<u>分钟|分鐘|分|時間|小时|小時|日|天|시간|분|일)\s*(?:前|전)")
# A unit's minutes by the first prefix it starts with, in this order: a longer prefix
# stands before a shorter one it starts with ("dak", Turkish minutes, before "d", days).
_UNIT_MINUTES = (("min", 1), ("хв", 1), ("мин", 1), ("dak", 1), ("دق", 1), ("分", 1), ("분", 1), ("h", 60),
                 ("std", 60), ("stund", 60), ("heure", 60), ("hora", 60), ("or", 60), ("uur", 60), ("час", 60),
                 ("год", 60), ("godz", 60), ("saat", 60), ("ساع", 60), ("時間", 60), ("小", 60), ("시간", 60),
                 ("d", 1440), ("tag", 1440), ("jour", 1440), ("día", 1440), ("dia", 1440), ("giorn", 1440),
                 ("dag", 1440), ("дн", 1440), ("день", 1440), ("gün", 1440), ("يوم", 1440), ("أيام", 1440),
                 ("日", 1440), ("天", 1440), ("일", 1440))
_MAX_RELATIVE_DAYS = 31


def parse_relative_date(text: str, now: datetime) -> datetime | None:
    """The time ``text`` says a moment was before ``now`` ("3 hours ago", "vor 2 Tagen",
    "il y a 5 minutes", "hace 1 día"), in UTC, a span of days as a bare date (midnight);
    None when it says no such span, or one of more than a month."""
    match = _RELATIVE.search(text[:200]) or _RELATIVE_CJK.search(text[:200])
    if not match:
        return None
    groups = {k[0]: v for k, v in match.groupdict().items() if v}
    count_text, unit = groups["n"], groups["u"].lower()
    count = int(count_text) if count_text.isdigit() else 1
    minutes = next((per for prefix, per in _UNIT_MINUTES if unit.startswith(prefix)), None)
    if minutes is None or count * minutes > _MAX_RELATIVE_DAYS * 1440:
        return None
    moment = (now - timedelta(minutes=count * minutes)).astimezone(UTC)
    # "2 days ago" names a day, not a time: a bare date, which the dedup stage does not
    # weigh against a time on the same day (``dedup.origin._dated_pair``).
    return moment.replace(hour=0, minute=0, second=0, microsecond=0) if minutes >= 1440 else moment
