"""Bytes to text: HTTP charset, BOM, <meta> declaration, then detection; mojibake repaired."""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from newsdedup.core.errors import PageError

__all__ = ["DecodeError", "Decoded", "decode_html", "is_html_media_type"]

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
# <meta charset="x"> and <meta http-equiv="content-type" content="text/html; charset=x">;
# both forms carry "charset=" so one pattern over the prescan window finds either.
_META_CHARSET = re.compile(rb"<meta[^>]{0,400}?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_PRESCAN_BYTES = 16_384
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Browsers treat these labels as windows-1252 (WHATWG Encoding), and so do pages in practice:
# a page labelled latin-1 routinely holds curly quotes from the 0x80-0x9F range.
_WHATWG_ALIASES = {
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "l1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "x-user-defined": "cp1252",
    "iso-8859-9": "cp1254",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-sjis": "shift_jis",
    "unicode": "utf-16-le",
}
_DISPLAY_NAMES = {
    "cp1250": "windows-1250",
    "cp1251": "windows-1251",
    "cp1252": "windows-1252",
    "cp1253": "windows-1253",
    "cp1254": "windows-1254",
    "cp1255": "windows-1255",
    "cp1256": "windows-1256",
    "cp1257": "windows-1257",
    "cp1258": "windows-1258",
    "euc_jp": "euc-jp",
    "euc_kr": "euc-kr",
}
# UTF-8 read as a single-byte code page leaves these pairs behind ("Ã©", "â€™", "Ð¿").
_MOJIBAKE = re.compile("[\u00c2\u00c3][\u0080-\u00bf]|\u00e2\u20ac[\u0080-\u00bf\u2122\u0153\u02dc\u201c\u201d\u00a6]|[\u00d0\u00d1][\u0080-\u00bf\u2018-\u201e\u2020-\u2122]")
_MOJIBAKE_LEADS = ("\u00c2", "\u00c3", "\u00e2\u20ac", "\u00d0", "\u00d1")
_MOJIBAKE_MIN = 3
# The repair hands ftfy a long line in pieces of about this many characters.
_REPAIR_PIECE = 10_000
_LINES = re.compile(r"[^\n]*\n|[^\n]+$")
_ASCII = re.compile(r"[\x00-\x7f]")
# What a reader never sees: scripts, styles, templates, comments, and the tags themselves
# (attribute values included). Mojibake there (a tracking script's double-encoded
# string, an old comment) does not make the page unreadable.
_INVISIBLE = re.compile(
    r"<(script|style|template)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>", re.IGNORECASE | re.DOTALL
)
_MAX_REPLACEMENTS = 3
_DETECT_BYTES = 65_536
# Detection only considers what web pages are actually written in; exotic code pages
# "fit" short samples better by accident. Single-byte code pages come in order of use on
# the web: a tie between two readings goes to the first.
_WEB_ENCODINGS = (
    "cp1252", "cp1251", "cp1250", "iso8859_2", "koi8_r", "koi8_u", "cp1253", "cp1254",
    "cp1255", "cp1256", "cp1257", "cp1258", "cp874", "iso8859_15", "shift_jis", "euc_jp",
    "euc_kr", "gb18030", "big5", "iso8859_6", "iso8859_7", "iso8859_8",
)
# ISO-2022 text is 7-bit: escape sequences switch between ASCII and a double-byte set.
# An escape that designates one of ISO-2022-JP's sets (JIS X 0208 1978/1983, JIS X 0212,
# JIS X 0201 Roman or katakana) or ISO-2022-KR's (KS X 1001) names the encoding.
# Only a double-byte set's escape names it: a lone "ESC ( J" (JIS Roman) in a page
# declared otherwise is no evidence.
_ISO2022 = (
    (re.compile(rb"\x1b(?:\$[@B]|\$\(D)"), ("iso2022_jp", "iso2022_jp_2", "iso2022_jp_ext")),
    (re.compile(rb"\x1b\$\)C"), ("iso2022_kr",)),
)
# 7-bit encodings that switch sets by escapes or shifts: a declaration of one is read
# before the escapes are looked at.
_SEVEN_BIT = frozenset({"iso2022_jp", "iso2022_jp_1", "iso2022_jp_2", "iso2022_jp_2004", "iso2022_jp_3",
                        "iso2022_jp_ext", "iso2022_kr", "hz"})
# NUL bytes in this many first bytes: UTF-16 or UTF-32 without a byte-order mark, read
# only when the text holds markup, or else a binary payload.
_WIDE_SNIFF_BYTES = 4096
_WIDE_MIN_UNITS = 16
_WIDE_NUL_SHARE = 0.25
_WIDE_OTHER_SHARE = 0.01
_MARKUP = re.compile(r"<\s*(?:!doctype|html|head|body|meta|title|div|p)\b", re.IGNORECASE)
# Readings of single-byte code pages share their ASCII, blanks included: split at those,
# their words line up. At most this many differing words vote.
_ASCII_BLANKS = re.compile(r"[ \t\r\n\f]+")
_MAX_VOTES = 60
_NON_ASCII_LETTER = re.compile(r"[^\x00-\x7f]")
# Characters past ASCII that valid UTF-8 must hold to beat a double-byte declaration.
_UTF8_EVIDENCE = 16
_LATIN_SHARE = 0.9
_NON_ASCII_WORD = re.compile(r"[^\W\d_]{3,}")
_MULTI_BYTE = frozenset(
    {
        "utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be",
        "shift_jis", "euc_jp", "euc_kr", "gb18030", "big5", "iso2022_jp", "cp932", "cp949",
        "big5hkscs", "euc_jis_2004", "shift_jis_2004", "hz",
    }
)
_HTML_MEDIA_TYPES = frozenset({"text/html", "application/xhtml+xml", "application/xml", "text/xml"})


class DecodeError(PageError):
    """The bytes cannot be turned into trustworthy text: the page is rejected as
    ``undecodable``, ``detail`` says why."""

    def __init__(self, detail: str) -> None:
        super().__init__("undecodable", detail)


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text and the encoding used (a lower-case label such as ``windows-1251``).

    ``repaired``: the visible text was double-encoded UTF-8 ("Ã©" for "é") and ``text``
    is the repaired reading.
    """

    text: str
    encoding: str
    repaired: bool = False


def is_html_media_type(media_type: str) -> bool:
    """Whether a Content-Type (without parameters) may hold a page; empty means unknown."""
    return not media_type or media_type in _HTML_MEDIA_TYPES or media_type.endswith("+xml")


def _codec(label: str | None) -> str | None:
    """The Python codec name for a charset label, or None when unknown."""
    if not label:
        return None
    cleaned = label.strip().strip("\"'").lower()
    cleaned = _WHATWG_ALIASES.get(cleaned, cleaned)
    try:
        return codecs.lookup(cleaned).name
    except LookupError:
        return None


def _display(codec: str) -> str:
    name = _DISPLAY_NAMES.get(codec, codec)
    return re.sub(r"^iso(\d)", r"iso-\1", name).replace("_", "-")


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _tolerant(body: bytes, codec: str) -> str | None:
    try:
        text = body.decode(codec, errors="replace")
    except LookupError:
        return None
    bad = text.count("\ufffd")
    return text if bad <= max(_MAX_REPLACEMENTS, len(text) // 5000) else None


def _looks_mojibake(text: str) -> bool:
    # The regex is slow over a whole page; the lead characters are found at memchr speed.
    if not any(char in text for char in _MOJIBAKE_LEADS):
        return False
    matches = _MOJIBAKE.finditer(text)
    return sum(1 for _, _ in zip(range(_MOJIBAKE_MIN), matches, strict=False)) >= _MOJIBAKE_MIN


def _visible_mojibake(text: str) -> bool:
    """Whether the text a reader sees (not scripts, styles, comments or markup) is mojibake."""
    return _looks_mojibake(text) and _looks_mojibake(_INVISIBLE.sub(" ", text))


def _repair(text: str) -> str:
    """``text`` with double-encoded UTF-8 runs decoded once more (ftfy), nothing else changed.

    ftfy fixes a text line by line, and its cost grows with the line where it finds
    something to fix (seconds on a 3-million-character line of a script's data). So it is
    handed each line apart, and a long line in pieces (``_repair_pieces``); pure ASCII,
    where there is nothing to fix, not at all.
    """
    # ftfy is imported late: only the rare double-encoded page needs it.
    import ftfy

    config = ftfy.TextFixerConfig(
        unescape_html=False, remove_terminal_escapes=False, fix_latin_ligatures=False,
        fix_character_width=False, uncurl_quotes=False, fix_line_breaks=False,
        fix_surrogates=False, remove_control_chars=False, normalization=None, explain=False,
    )
    return "".join(piece if piece.isascii() else ftfy.fix_text(piece, config) for piece in _repair_pieces(text))


def _repair_pieces(text: str) -> Iterator[str]:
    """``text`` in its lines (ends kept), a line longer than ``_REPAIR_PIECE`` cut after
    the first ASCII character past each ``_REPAIR_PIECE`` characters. A double-encoded
    character reads as two to four characters none of which is ASCII, so no cut falls
    inside one. Lines end at ``\n`` only, as ftfy's do: a double-encoded "Å" reads as "Ã"
    and U+0085, which ``str.splitlines`` would take for a line break."""
    for line in _LINES.findall(text):
        start = 0
        while len(line) - start > _REPAIR_PIECE and (ascii_char := _ASCII.search(line, start + _REPAIR_PIECE)):
            yield line[start : ascii_char.end()]
            start = ascii_char.end()
        yield line[start:]


def _is_single_byte(codec: str) -> bool:
    return codec not in _MULTI_BYTE


def _detect(body: bytes) -> str | None:
    # charset_normalizer comes with trafilatura; imported late because only rare pages need it.
    from charset_normalizer import from_bytes

    matches = list(from_bytes(body[:_DETECT_BYTES], cp_isolation=list(_WEB_ENCODINGS)))
    if not matches:
        return None
    # The readings of the least chaos often differ in a few letters only (Spanish "año" in
    # windows-1252 is "ańo" in windows-1250, Hungarian "jövőre" "jövõre" the other way),
    # and the detector's coherence among them is no evidence: the words decide. In Latin
    # script every such reading is a candidate (its coherence favoured windows-1252 for
    # Polish "ł", read "³"); across scripts (Hebrew or Thai for the same bytes) the words
    # of one reading cannot be weighed against the other's, so only exact ties are.
    best = matches[0]
    least_chaos = [(match, str(match)) for match in matches if match.chaos == best.chaos]
    latin = [(match.encoding, text) for match, text in least_chaos if _is_latin(text)]
    if latin and latin[0][0] == best.encoding:
        return _codec(_best_reading(latin))
    tied = [(match.encoding, text) for match, text in least_chaos if match.coherence == best.coherence]
    return _codec(_best_reading(tied))


def _is_latin(text: str) -> bool:
    """Whether nine in ten or more of the non-ASCII letters of ``text`` are Latin ones."""
    letters = [char for char in _NON_ASCII_LETTER.findall(text) if char.isalpha()]
    latin = sum(1 for char in letters if unicodedata.name(char, "").startswith("LATIN"))
    return latin >= _LATIN_SHARE * len(letters)


def _best_reading(readings: list[tuple[str, str]]) -> str:
    """The encoding whose reading's words read best as a language: each word that differs
    between the readings is a vote for the readings that spell it most like some
    language (``language_fit``); ties go to the code page more of the web uses."""
    split = {encoding: _ASCII_BLANKS.split(text) for encoding, text in readings}
    lengths = {len(words) for words in split.values()}
    votes = dict.fromkeys(split, 0)
    if len(lengths) == 1:
        from newsdedup.pipeline.extract.language import language_fit

        differing = [i for i in range(lengths.pop()) if len({words[i] for words in split.values()}) > 1]
        for index in differing[:_MAX_VOTES]:
            fits = {encoding: language_fit(words[index]) for encoding, words in split.items()}
            best = max(fits.values())
            for encoding, fit in fits.items():
                votes[encoding] += fit == best
    return min(votes, key=lambda encoding: (-votes[encoding], _prevalence(encoding)))


def _prevalence(encoding: str) -> int:
    """Rank of ``encoding`` in ``_WEB_ENCODINGS`` (the most used first)."""
    codec = _codec(encoding)
    return next((i for i, name in enumerate(_WEB_ENCODINGS) if _codec(name) == codec), len(_WEB_ENCODINGS))


def _header_charset(headers: Mapping[str, str]) -> str | None:
    match = _HEADER_CHARSET.search(headers.get("content-type", ""))
    return match.group(1) if match else None


def _meta_charset(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:_PRESCAN_BYTES])
    return match.group(1).decode("ascii", "replace") if match else None


def decode_html(body: bytes, headers: Mapping[str, str]) -> Decoded:
    """Decode a page. Raises DecodeError for binary payloads and bytes no candidate decodes.

    A byte-order mark is unambiguous and wins. Otherwise the declarations are tried in
    order (HTTP header, then <meta>); a declaration must decode strictly, and when the
    declarations disagree, or a single-byte one is declared over bytes that are valid
    multi-byte UTF-8, UTF-8 wins: legacy text is almost never valid UTF-8 by chance,
    while any bytes "decode" as a single-byte code page, into mojibake.

    Only the visible text is judged: mojibake in scripts, styles or comments is left as
    it is. Visible text that was UTF-8 encoded twice is repaired (``Decoded.repaired``);
    DecodeError only for what cannot be read even so.
    """
    with_bom = _bom_decoded(body)
    if with_bom is not None:
        return with_bom
    declared = _declared(body, headers)
    if b"\x00" in body[:_WIDE_SNIFF_BYTES]:
        return _wide_reading(body, declared)
    # Without NULs the bytes are no UTF-16 or UTF-32 whatever is declared: markup in them
    # would be half NULs (browsers read a <meta> that says UTF-16 as UTF-8).
    declared = [codec for codec in declared if not codec.startswith(("utf-16", "utf-32"))]
    if body.isascii():
        return _seven_bit(body, declared) or Decoded(body.decode("ascii"), _display(declared[0]) if declared else "utf-8")
    as_utf8 = _strict(body, "utf-8")
    if as_utf8 is not None and (_utf8_wins(declared) or _many_multi_byte(as_utf8)):
        # Valid multi-byte UTF-8: see the docstring for why it beats a single-byte label.
        return _checked(as_utf8, "utf-8")
    from_label = _declared_reading(body, declared)
    if from_label is not None:
        return from_label
    if as_utf8 is not None:
        # The declaration is wrong (a "gb2312" page re-encoded as UTF-8 by a proxy, say).
        return _checked(as_utf8, "utf-8")
    return _tolerant_reading(body, declared) or _detected_reading(body, declared)


def _seven_bit(body: bytes, declared: list[str]) -> Decoded | None:
    """The reading of 7-bit bytes in a declared ISO-2022 or HZ encoding, or in ISO-2022-JP
    or -KR as their escape sequences name them whatever else is declared (read as ASCII,
    such text is "$B%K%e!<%9(B"); None for other bytes. The Japanese variants are tried
    from the plainest, each a superset of the one before; a handful of characters none
    of them has (NEC's circled numbers) are replaced rather than losing the page."""
    tried = [codec for codec in declared if codec in _SEVEN_BIT]
    if b"\x1b" in body:
        tried += [codec for escape, codecs_to_try in _ISO2022 if escape.search(body) for codec in codecs_to_try]
    for read in (_strict, _tolerant):
        for codec in tried:
            # An escape the decoder does not know (a terminal's colour code) makes it
            # pass the rest through as it is: not a reading.
            if (text := read(body, codec)) is not None and "\x1b" not in text:
                return Decoded(text, _display(codec))
    return None


def _wide_reading(body: bytes, declared: list[str]) -> Decoded:
    """The reading of bytes with NULs and no byte-order mark: UTF-16 or UTF-32 declared so
    in the HTTP header, or UTF-16 recognised by where its NUL bytes fall (markup is ASCII,
    so every other byte of it is NUL, on one side only). DecodeError when they are not
    such a page: a binary payload."""
    head = body[:_WIDE_SNIFF_BYTES]
    by_nuls = _utf16_by_nuls(head)
    codec = next((c for c in declared if c.startswith(("utf-16", "utf-32"))), None) or by_nuls
    if codec in ("utf-16", "utf-32"):
        # No byte order declared: the NULs tell it, else little-endian as browsers assume.
        codec = by_nuls if codec == "utf-16" and by_nuls else f"{codec}-le"
    text = _strict(body, codec) if codec else None
    if codec is None or text is None or not _MARKUP.search(text[:_WIDE_SNIFF_BYTES]):
        raise DecodeError("binary content (NUL bytes), not text")
    return Decoded(text, _display(codec))


def _utf16_by_nuls(head: bytes) -> str | None:
    """``utf-16-le`` or ``-be`` when NULs fill a quarter or more of the odd (even) bytes
    and almost none of the others; None otherwise."""
    half = len(head) // 2
    if half < _WIDE_MIN_UNITS:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd >= _WIDE_NUL_SHARE * half and even <= _WIDE_OTHER_SHARE * half:
        return "utf-16-le"
    if even >= _WIDE_NUL_SHARE * half and odd <= _WIDE_OTHER_SHARE * half:
        return "utf-16-be"
    return None


def _bom_decoded(body: bytes) -> Decoded | None:
    """The text after a byte-order mark (which is unambiguous and wins), None without one."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            text = _strict(body[len(bom):], codec)
            if text is None:
                raise DecodeError(f"bytes are not valid {codec} despite the byte-order mark")
            return Decoded(text, _display(codecs.lookup(codec).name))
    return None


def _declared(body: bytes, headers: Mapping[str, str]) -> list[str]:
    """The known codecs declared by the HTTP header, then <meta>, without repeats."""
    declared: list[str] = []
    for label in (_header_charset(headers), _meta_charset(body)):
        found = _codec(label)
        if found is not None and found not in declared:
            declared.append(found)
    return declared


def _utf8_wins(declared: list[str]) -> bool:
    """Whether bytes valid as UTF-8 are read as UTF-8 whatever is declared."""
    return not declared or "utf-8" in declared or any(_is_single_byte(c) for c in declared)


def _many_multi_byte(text: str) -> bool:
    """Whether ``text``, read as UTF-8, holds ``_UTF8_EVIDENCE`` characters or more past
    ASCII. So many valid UTF-8 sequences are no double-byte text by chance: on a Chinese
    text of our own in GBK, 24 of 178 characters were one alone and no run of four was
    (EUC-JP 8 of 103, EUC-KR 3 of 125, Big5 and Shift_JIS none). Yet GBK and Shift_JIS
    read UTF-8's two-byte sequences (accented Latin, Cyrillic, Greek) without an error:
    such a UTF-8 page under an old "gb2312" meta was read as mojibake."""
    return sum(1 for _ in zip(range(_UTF8_EVIDENCE), _NON_ASCII_LETTER.finditer(text), strict=False)) >= _UTF8_EVIDENCE


def _declared_reading(body: bytes, declared: list[str]) -> Decoded | None:
    """The declared codec that decodes strictly into readable text, None when none does."""
    decoded = [
        (text, codec)
        for codec in declared
        if (text := _strict(body, codec)) is not None and not _visible_mojibake(text)
    ]
    if len(decoded) > 1:
        # Two single-byte code pages both "decode": keep the one whose words look like words.
        decoded.sort(key=lambda item: -_plausibility(item[0]))
    return Decoded(decoded[0][0], _display(decoded[0][1])) if decoded else None


def _tolerant_reading(body: bytes, declared: list[str]) -> Decoded | None:
    """A declared or UTF-8 reading with a handful of replacements, None when none fits.

    A stray bad byte (a truncated sequence, a character pasted from elsewhere) should not
    cost the page.
    """
    for codec in (*declared, "utf-8"):
        if (text := _tolerant(body, codec)) is not None and not _visible_mojibake(text):
            return Decoded(text, _display(codec))
    return None


def _detected_reading(body: bytes, declared: list[str]) -> Decoded:
    """The reading in the detected encoding; DecodeError when detection fails too."""
    detected = _detect(body)
    text = _strict(body, detected) if detected else None
    if detected is None or text is None:
        tried = ", ".join(_display(c) for c in declared) or "no declared charset"
        raise DecodeError(f"bytes decode with none of: {tried}, utf-8, and detection failed")
    return _checked(text, detected)


def _checked(text: str, codec: str) -> Decoded:
    """``text`` as decoded, or repaired when its visible text is double-encoded UTF-8;
    DecodeError when it still reads as mojibake after the repair."""
    if not _visible_mojibake(text):
        return Decoded(text, _display(codec))
    repaired = _repair(text)
    if _visible_mojibake(repaired):
        raise DecodeError(f"text decoded as {_display(codec)} reads as mojibake, also after repair")
    return Decoded(repaired, _display(codec), repaired=True)


def _plausibility(text: str) -> float:
    """Share of non-ASCII words that are cased like words (lower, UPPER or Capitalised)."""
    words = [w for w in _NON_ASCII_WORD.findall(text[:200_000]) if not w.isascii()]
    if not words:
        return 0.0
    good = sum(1 for w in words if w.islower() or w.isupper() or w.istitle())
    return good / len(words)
