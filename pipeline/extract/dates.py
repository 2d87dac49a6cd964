"""Date strings as pages write them (ISO 8601, RFC 2822, numeric, month names) to UTC datetimes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newsdedup.core.dates import civil_date
from newsdedup.core.dates import parse_date as parse_machine_date
from newsdedup.core.scripts import ASCII_DIGITS

__all__ = ["CLOCK_WORD", "MONTH_NAMES", "local_zone", "parse_date", "parse_day_word", "parse_relative_date", "parse_text_date", "url_date"]

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
    # India's languages but those spoken across a border in another zone (Bengali, Punjabi,
    # Urdu); Tamil's Sri Lanka keeps India's time.
    "hi": "Asia/Kolkata", "mr": "Asia/Kolkata", "gu": "Asia/Kolkata", "ta": "Asia/Kolkata",
    "te": "Asia/Kolkata", "kn": "Asia/Kolkata", "ml": "Asia/Kolkata", "or": "Asia/Kolkata",
    "ne": "Asia/Kathmandu",
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
    # Italian
    "gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7,
    "settembre": 9, "ottobre": 10, "dicembre": 12,
    # Portuguese
    "janeiro": 1, "fevereiro": 2, "março": 3, "marco": 3, "maio": 5, "junho": 6, "julho": 7,
    "setembro": 9, "outubro": 10, "novembro": 11, "dezembro": 12,
    # Dutch, Swedish, Danish, Norwegian, Indonesian, Malay (the forms not above)
    "januari": 1, "februari": 2, "maart": 3, "mei": 5, "augustus": 8, "augusti": 8, "maj": 5,
    "marts": 3, "desember": 12, "maret": 3, "agustus": 8, "disember": 12,
    "mac": 3, "julai": 7, "ogos": 8,
    # Polish and Czech (genitive, as dates are written)
    "stycznia": 1, "lutego": 2, "marca": 3, "kwietnia": 4, "maja": 5, "czerwca": 6,
    "lipca": 7, "sierpnia": 8, "września": 9, "października": 10, "listopada": 11, "grudnia": 12,
    "ledna": 1, "února": 2, "března": 3, "dubna": 4, "května": 5, "června": 6, "července": 7,
    "srpna": 8, "září": 9, "října": 10, "listopadu": 11, "prosince": 12,
    # Turkish
    "ocak": 1, "şubat": 2, "mart": 3, "nisan": 4, "mayıs": 5, "haziran": 6, "temmuz": 7,
    "ağustos": 8, "eylül": 9, "ekim": 10, "kasım": 11, "aralık": 12,
    "mayis": 5, "kasim": 11, "aralik": 12,  # capitals lower-cased: "MAYIS" gives a dotted i
    # Hungarian (the forms not above; written year first: "2026. december 5.")
    "január": 1, "február": 2, "március": 3, "április": 4, "május": 5, "június": 6,
    "július": 7, "augusztus": 8, "október": 10,
    # Romanian
    "ianuarie": 1, "februarie": 2, "martie": 3, "aprilie": 4, "iunie": 6, "iulie": 7,
    "septembrie": 9, "octombrie": 10, "noiembrie": 11, "decembrie": 12,
    # Finnish (partitive, as dates are written)
    "tammikuuta": 1, "helmikuuta": 2, "maaliskuuta": 3, "huhtikuuta": 4, "toukokuuta": 5,
    "kesäkuuta": 6, "heinäkuuta": 7, "elokuuta": 8, "syyskuuta": 9, "lokakuuta": 10,
    "marraskuuta": 11, "joulukuuta": 12,
    # Bulgarian
    "януари": 1, "февруари": 2, "март": 3, "април": 4, "май": 5, "юни": 6, "юли": 7,
    "август": 8, "септември": 9, "октомври": 10, "ноември": 11, "декември": 12,
    # Greek (genitive)
    "ιανουαρίου": 1, "φεβρουαρίου": 2, "μαρτίου": 3, "απριλίου": 4, "μαΐου": 5, "ιουνίου": 6,
    "ιουλίου": 7, "αυγούστου": 8, "σεπτεμβρίου": 9, "οκτωβρίου": 10, "νοεμβρίου": 11,
    "δεκεμβρίου": 12,
    # Arabic: the months of Egypt and the Gulf, and of the Levant and Iraq
    "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "إبريل": 4, "ابريل": 4, "مايو": 5,
    "يونيو": 6, "يونيه": 6, "يوليو": 7, "يوليه": 7, "أغسطس": 8, "اغسطس": 8, "سبتمبر": 9,
    "أكتوبر": 10, "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
    "كانون الثاني": 1, "شباط": 2, "آذار": 3, "نيسان": 4, "أيار": 5, "حزيران": 6, "تموز": 7,
    "آب": 8, "أيلول": 9, "تشرين الأول": 10, "تشرين الثاني": 11, "كانون الأول": 12,
    # Hindi (Marathi and Nepali write most of them so), then Bengali, in NFC
    "जनवरी": 1, "फरवरी": 2, "फ़रवरी": 2, "मार्च": 3, "अप्रैल": 4, "मई": 5, "जून": 6,
    "जुलाई": 7, "अगस्त": 8, "सितंबर": 9, "सितम्बर": 9, "अक्टूबर": 10, "अक्तूबर": 10,
    "नवंबर": 11, "नवम्बर": 11, "दिसंबर": 12, "दिसम्बर": 12,
    "জানুয়ারি": 1, "জানুয়ারী": 1, "ফেব্রুয়ারি": 2, "ফেব্রুয়ারী": 2, "মার্চ": 3,
    "এপ্রিল": 4, "মে": 5, "জুন": 6, "জুলাই": 7, "আগস্ট": 8, "সেপ্টেম্বর": 9, "অক্টোবর": 10,
    "নভেম্বর": 11, "ডিসেম্বর": 12,
    # Thai, written and abbreviated (its years are often of the Buddhist era: _THAI_DATE)
    "มกราคม": 1, "กุมภาพันธ์": 2, "มีนาคม": 3, "เมษายน": 4, "พฤษภาคม": 5, "มิถุนายน": 6,
    "กรกฎาคม": 7, "สิงหาคม": 8, "กันยายน": 9, "ตุลาคม": 10, "พฤศจิกายน": 11, "ธันวาคม": 12,
    "ม.ค.": 1, "ก.พ.": 2, "มี.ค.": 3, "เม.ย.": 4, "พ.ค.": 5, "มิ.ย.": 6, "ก.ค.": 7, "ส.ค.": 8,
    "ก.ย.": 9, "ต.ค.": 10, "พ.ย.": 11, "ธ.ค.": 12,
}
# A nukta letter may come as one code point (U+095E, U+09DF), which NFC writes as the
# letter and the nukta.
_MONTHS.update({
    name.replace("\u092b\u093c", "\u095e").replace("\u09af\u09bc", "\u09df"): number
    for name, number in list(_MONTHS.items())
})


def _alternation(words: Iterable[str]) -> str:
    """``words`` as one regex alternation, escaped, the longest first (so that a word is
    not matched by a shorter one it starts with)."""
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


#: The month names and abbreviations read, lower case, as one regex alternation (longest
#: first): what the line rules (``chrome``) know a written date by.
MONTH_NAMES = _alternation(_MONTHS)
#: A word that may stand between a date and its clock ("at 14:05", "um", "à", "às", "a
#: las", "alle", "om", "kl.", "klo", "godz.", Russian "в", Ukrainian "о", Polish "o", Thai
#: "เวลา").
CLOCK_WORD = r"(?:at|um|à|às|a las|alle|om|kl\.?|klo|godz\.?|в|о|o|เวลา)"
# A clock after a date: its minutes end the number ("12.500 euros" is no 12:50).
_TIME = rf"(?:,?\s*(?:{CLOCK_WORD}\s)?(?P<H>[0-2]?\d)[:.h](?P<M>[0-5]\d)(?!\d)\s*(?P<ampm>[ap]\.?m\.?)?)?"
_DAY_MONTH_YEAR = re.compile(
    rf"\b(?P<d>[0-3]?\d)\.?\s+(?:de\s+)?(?P<mon>{MONTH_NAMES})\.?,?\s+(?:de\s+)?(?P<y>(?:19|20)\d{{2}}){_TIME}",
    re.IGNORECASE,
)
# A month name that starts a word: Indic vowel signs and Thai marks are not word
# characters, so "\b" stands inside such words (Bengali "মে", May, ends "নামে").
_WORD_START = r"(?<![\w\u0300-\u036f\u0900-\u0dff\u0e00-\u0eff])"
_MONTH_DAY_YEAR = re.compile(
    rf"{_WORD_START}(?P<mon>{MONTH_NAMES})\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{{2}}){_TIME}",
    re.IGNORECASE,
)
_YEAR_MONTH_DAY = re.compile(
    rf"\b(?P<y>(?:19|20)\d{{2}})\.\s+(?P<mon>{MONTH_NAMES})\s+(?P<d>[0-3]?\d)\.{_TIME}",
    re.IGNORECASE,
)
# Year first, in numbers, after a publication label: "입력 2026.12.05 10:30" (Korean
# sites), "发布时间：2026-12-05 10:30", "投稿日 2026/12/05", "Posted 2026-12-05". Without
# the label such numbers are as often a version or a build stamp (a manual's "2025.3.1"),
# and an "updated" label is left out too: a manual shows when it was last edited.
_LABELLED_YEAR_FIRST = re.compile(
    r"(?:입력|등록|기사입력|发布时间|发布日期|發布時間|发布于|公開日|投稿日|published|posted)\s*[:：]?\s*"
    r"(?P<y>(?:19|20)\d{2})(?P<sep>[./-])\s?(?P<m>[01]?\d)(?P=sep)\s?(?P<d>[0-3]?\d)\b\.?"
    r"(?:,?\s*(?:[(（][^)）]{1,3}[)）]\s*)?(?P<H>[0-2]?\d):(?P<M>[0-5]\d))?",
    re.IGNORECASE,
)
# Chinese, Japanese and Korean: "2026年12月5日 10:30", "2026年12月5日(土) 10時30分", "2026년 12월 5일".
_CJK_DATE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[年년]\s*(?P<m>[01]?\d)\s*[月월]\s*(?P<d>[0-3]?\d)\s*[日일]"
    r"(?:\s*[(（][^)）]{1,3}[)）])?(?:\s*(?P<H>[0-2]?\d)\s*[:：時时시]\s*(?P<M>[0-5]\d)?)?"
)
# Vietnamese: "ngày 5 tháng 12 năm 2026", "5 tháng 12, 2026".
# A Thai date with its year in the Buddhist era ("1 ธันวาคม 2569", "1 ธันวาคม พ.ศ. 2569",
# "1 ธ.ค. 69 10:30 น."):
# 543 years ahead of the common era; a two-digit year is the era's last two digits, read
# only where the date line goes on with a clock or ends ("1 ม.ค. 87 ราย" counts cases).
_TWO_DIGIT_YEAR_END = r"(?=\s*(?:$|[|·•–-]|เวลา|[0-2]?\d[:.][0-5]\d))"
_BUDDHIST_ERA = 543
_THAI_MONTHS = [name for name in _MONTHS if "\u0e00" <= name[0] <= "\u0e7f"]
_THAI_DATE = re.compile(
    rf"(?<!\d)(?P<d>[0-3]?\d)\s*(?P<mon>{_alternation(_THAI_MONTHS)})\s*(?:พ\.ศ\.\s*)?"
    rf"(?P<y>25\d\d(?!\d|[:.,]\d)|\d\d{_TWO_DIGIT_YEAR_END}){_TIME}"
)
_VIETNAMESE_DATE = re.compile(
    r"\b(?P<d>[0-3]?\d)\s+tháng\s+(?P<m>[01]?\d)\s*(?:,\s*|\s+năm\s+)(?P<y>(?:19|20)\d{2})",
    re.IGNORECASE,
)


def parse_date(value: str | None) -> datetime | None:
    """A machine-written date (see ``newsdedup.core.dates.parse_date``), or failing that the
    first date written for readers in it, in UTC."""
    return parse_machine_date(value, fallback=parse_text_date)


def _hour(match: re.Match[str]) -> int:
    hour = int(match.groupdict().get("H") or 0)
    ampm = (match.groupdict().get("ampm") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    return hour


def parse_text_date(text: str, zone: tzinfo = UTC) -> datetime | None:
    """The first date written for readers in ``text`` ("7 June 2025", "June 7, 2025, 6:17 PM",
    "22.04.2024, 06:00 Uhr", "3 de mayo de 2024", "5 grudnia 2026", "2026年12月5日"), read as
    civil time in ``zone`` (see local_zone), returned in UTC. Month names are read in some
    twenty languages (``_MONTHS``), digits in any script."""
    # Every script's digits read as ASCII ones: one character each, so match positions do
    # not move.
    snippet = text[:400].translate(ASCII_DIGITS)
    best: tuple[int, datetime] | None = None
    for pattern in (
        _MONTH_DAY_YEAR, _DAY_MONTH_YEAR, _YEAR_MONTH_DAY, _NUMERIC, _SLASHED, _LABELLED_YEAR_FIRST, _CJK_DATE,
        _VIETNAMESE_DATE, _THAI_DATE,
    ):
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
        year = int(groups["y"])
        if pattern is _THAI_DATE:
            year = (year + 2500 if year < 100 else year) - _BUDDHIST_ERA
        stamp = civil_date(year, month, day, _hour(match), int(groups.get("M") or 0), tz=zone)
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


# "Today, 10:30", "Вчера в 14:05", "Gestern, 14:05 Uhr", "昨天 14:05": the day named
# relative to the fetch, a clock time on it in the site's civil time. A day word alone on
# its line ("Yesterday") names the day only.
_DAY_WORDS = {
    "today": 0, "heute": 0, "aujourd'hui": 0, "aujourd’hui": 0, "hoy": 0, "oggi": 0, "hoje": 0,
    "vandaag": 0, "idag": 0, "i dag": 0, "dzisiaj": 0, "dziś": 0, "bugün": 0, "сегодня": 0,
    "сьогодні": 0, "今天": 0, "今日": 0, "오늘": 0,
    "yesterday": 1, "gestern": 1, "hier": 1, "ayer": 1, "ieri": 1, "ontem": 1, "gisteren": 1,
    "igår": 1, "i går": 1, "wczoraj": 1, "dün": 1, "вчера": 1, "вчора": 1, "昨天": 1, "昨日": 1,
    "어제": 1,
}
# French "hier" is German "here": a date only with a clock after it.
_DAY_WORDS_WITH_A_CLOCK = frozenset({"hier"})
_DAY_WORD = re.compile(
    r"^\W*(?P<w>" + _alternation(_DAY_WORDS) + r")"
    r"(?:(?:\s*,\s*|\s+)(?:" + CLOCK_WORD + r"\s+)?"
    r"(?P<H>[0-2]?\d)\s*[:.h時시]\s*(?P<M>[0-5]\d)(?:\s*(?P<ampm>[ap]\.?m\.?))?(?:\s*(?:uhr|h|分))?)?\W*$",
    re.IGNORECASE,
)


def parse_day_word(text: str, now: datetime, zone: tzinfo = UTC) -> datetime | None:
    """The moment a date line that names the day relative to ``now`` says ("Today, 10:30",
    "Вчера в 14:05", "Yesterday"), the clock read as civil time in ``zone``, in UTC; a day
    word alone gives the bare date (midnight UTC). None for any other text: the line must
    say nothing else (a day word inside a sentence is no date)."""
    match = _DAY_WORD.match(text.strip()[:80])
    if not match:
        return None
    word = match.group("w").lower()
    if match.group("H") is None and word in _DAY_WORDS_WITH_A_CLOCK:
        return None
    day = (now.astimezone(zone) - timedelta(days=_DAY_WORDS[word])).date()
    if match.group("H") is None:
        return datetime(day.year, day.month, day.day, tzinfo=UTC)
    return civil_date(day.year, day.month, day.day, _hour(match), int(match.group("M")), tz=zone)


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
