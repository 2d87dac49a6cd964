"""Decoding: declarations, byte-order marks, conflicts, detection, and repairing mojibake."""

from __future__ import annotations

import codecs

import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-windows-1252 codec)
import pytest

from newsdedup.pipeline.extract.decode import DecodeError, decode_html, is_html_media_type

RUSSIAN = "Движение по новому мосту открыли в пятницу утром, на два месяца раньше срока."
UKRAINIAN = "У понеділок у Вінниці запустили перший у місті завод із сортування відходів."


def page(text: str, meta: str | None = None) -> str:
    head = f'<meta charset="{meta}">' if meta else ""
    return f"<html><head>{head}<title>t</title></head><body><p>{text}</p></body></html>"


def test_header_charset_is_used() -> None:
    body = page(RUSSIAN).encode("cp1251")
    decoded = decode_html(body, {"content-type": "text/html; charset=windows-1251"})
    assert RUSSIAN in decoded.text
    assert decoded.encoding == "windows-1251"


def test_meta_charset_alone_is_used() -> None:
    body = page(RUSSIAN, meta="windows-1251").encode("cp1251")
    decoded = decode_html(body, {"content-type": "text/html"})
    assert RUSSIAN in decoded.text
    assert decoded.encoding == "windows-1251"


def test_http_equiv_declaration_is_used() -> None:
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=koi8-r">'
        f"</head><body><p>{RUSSIAN}</p></body></html>"
    )
    decoded = decode_html(html.encode("koi8-r"), {})
    assert RUSSIAN in decoded.text
    assert decoded.encoding == "koi8-r"


def test_header_wrong_meta_right_gives_valid_text() -> None:
    # The server says windows-1251; the page (and its meta) is UTF-8.
    body = page(UKRAINIAN, meta="utf-8").encode("utf-8")
    decoded = decode_html(body, {"content-type": "text/html; charset=windows-1251"})
    assert UKRAINIAN in decoded.text
    assert decoded.encoding == "utf-8"


def test_header_utf8_meta_right_legacy_gives_valid_text() -> None:
    body = page(RUSSIAN, meta="windows-1251").encode("cp1251")
    decoded = decode_html(body, {"content-type": "text/html; charset=utf-8"})
    assert RUSSIAN in decoded.text
    assert decoded.encoding == "windows-1251"


def test_two_single_byte_declarations_pick_the_readable_one() -> None:
    body = page(RUSSIAN, meta="koi8-r").encode("koi8-r")
    decoded = decode_html(body, {"content-type": "text/html; charset=windows-1251"})
    assert RUSSIAN in decoded.text


@pytest.mark.parametrize(
    ("bom", "codec"),
    [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
    ids=["utf-8", "utf-16-le", "utf-16-be"],
)
def test_byte_order_mark_wins_over_a_wrong_header(bom: bytes, codec: str) -> None:
    body = bom + page(UKRAINIAN).encode(codec)
    decoded = decode_html(body, {"content-type": "text/html; charset=iso-8859-1"})
    assert UKRAINIAN in decoded.text
    assert not decoded.text.startswith("\ufeff")


def test_latin1_label_reads_as_windows_1252() -> None:
    body = page("“Quoted” – café").encode("cp1252")
    decoded = decode_html(body, {"content-type": "text/html; charset=ISO-8859-1"})
    assert "“Quoted” – café" in decoded.text
    assert decoded.encoding == "windows-1252"


def test_undeclared_utf8_is_recognised() -> None:
    decoded = decode_html(page(UKRAINIAN).encode("utf-8"), {})
    assert UKRAINIAN in decoded.text
    assert decoded.encoding == "utf-8"


def test_undeclared_legacy_text_is_detected() -> None:
    decoded = decode_html(page(RUSSIAN * 3).encode("cp1251"), {})
    assert RUSSIAN in decoded.text


def test_a_stray_bad_byte_does_not_cost_the_page() -> None:
    body = page(UKRAINIAN, meta="utf-8").encode("utf-8").replace(b"</p>", b"\xff</p>")
    decoded = decode_html(body, {})
    assert UKRAINIAN in decoded.text


@pytest.mark.parametrize(
    ("codec", "content_type", "encoding"),
    [
        ("utf-16-le", "text/html; charset=utf-16le", "utf-16-le"),
        ("utf-16-be", "text/html; charset=UTF-16BE", "utf-16-be"),
        # "utf-16" names no byte order: where the NULs fall tells it.
        ("utf-16-be", "text/html; charset=utf-16", "utf-16-be"),
        ("utf-32-le", "text/html; charset=utf-32", "utf-32-le"),
        # Undeclared: markup is ASCII, so every other byte is NUL, on one side only.
        ("utf-16-le", "text/html", "utf-16-le"),
        ("utf-16-be", "", "utf-16-be"),
    ],
)
def test_utf16_and_utf32_without_a_byte_order_mark_are_read(codec: str, content_type: str, encoding: str) -> None:
    # NUL bytes everywhere: such a page was refused as a binary payload.
    decoded = decode_html(page(UKRAINIAN).encode(codec), {"content-type": content_type})
    assert UKRAINIAN in decoded.text
    assert decoded.encoding == encoding


def test_nul_bytes_that_spell_no_page_are_still_binary() -> None:
    # UTF-16 text, but no markup in it: a payload of another kind.
    with pytest.raises(DecodeError, match="binary"):
        decode_html(("column_a,column_b\n" * 300).encode("utf-16-le"), {})


def test_binary_payload_is_refused() -> None:
    with pytest.raises(DecodeError, match="binary"):
        decode_html(b"\x00\x01\x02" + bytes(range(256)) * 20, {})


FRENCH = "L'été à Paris, c’est l’été des fêtes: on déjeune dehors et l'on dîne tard."
GERMAN = "Die Brücke über den Fluss wird größer gebaut, als die Stadt zunächst plante."


def double_encoded(text: str) -> str:
    """``text`` as it reads after its UTF-8 bytes were taken for windows-1252 once (as
    browsers read it: the five bytes windows-1252 leaves undefined become C1 controls)."""
    return text.encode("utf-8").decode("sloppy-windows-1252")


@pytest.mark.parametrize("text", [FRENCH, GERMAN, RUSSIAN], ids=["french", "german", "russian"])
def test_double_encoded_visible_text_is_repaired(text: str) -> None:
    mojibake = double_encoded(text)
    assert mojibake != text
    decoded = decode_html(page(mojibake).encode("utf-8"), {"content-type": "text/html; charset=utf-8"})
    assert decoded.repaired
    assert decoded.encoding == "utf-8"
    assert text.replace("’", "'")[:30] in decoded.text.replace("’", "'")
    assert double_encoded(text)[:12] not in decoded.text


def test_a_long_line_is_repaired_whole_wherever_it_is_cut() -> None:
    # One line of markup (minified), far longer than the pieces ftfy is handed: every
    # double-encoded run on it is repaired, those next to a cut included. The runs are
    # shifted by one character from paragraph to paragraph, so that cuts fall everywhere.
    paragraphs = [f"<p>{'x' * (n % 7)}{text}</p>" for n, text in enumerate([FRENCH, GERMAN, RUSSIAN] * 500)]
    clean = "<html><head><title>t</title></head><body>" + "".join(paragraphs) + "</body></html>"
    assert "\n" not in clean and len(clean) > 100_000
    decoded = decode_html(double_encoded(clean).encode("utf-8"), {"content-type": "text/html; charset=utf-8"})
    assert decoded.repaired
    assert decoded.text == clean


def test_mojibake_only_in_scripts_styles_and_comments_is_left_alone() -> None:
    hidden = double_encoded(FRENCH)
    markup = (
        f"<html><head><title>t</title><script>var label = '{hidden}';</script>"
        f"<style>/* {hidden} */</style></head><body><!-- {hidden} -->"
        f'<p>{GERMAN}</p><img alt="x"></body></html>'
    )
    decoded = decode_html(markup.encode("utf-8"), {})
    assert not decoded.repaired
    assert decoded.text == markup
    assert GERMAN in decoded.text


def test_clean_utf8_page_is_not_repaired() -> None:
    decoded = decode_html(page(FRENCH + " " + RUSSIAN).encode("utf-8"), {})
    assert not decoded.repaired
    assert FRENCH in decoded.text


JAPANESE = "東京都議会は火曜日、市の中心部を走る新しい路面電車の計画を承認した。"
KOREAN = "시의회는 화요일 도심을 지나는 새로운 노면전차 계획을 승인했다."
ARABIC = "وافق مجلس المدينة يوم الثلاثاء على خطة جديدة للترام في وسط المدينة، وقال رئيس البلدية إن العمل سيبدأ العام المقبل."


@pytest.mark.parametrize("meta", ["iso-2022-jp", None])
def test_iso_2022_jp_is_read_declared_or_not(meta: str | None) -> None:
    # ISO-2022-JP is 7-bit: its bytes are ASCII, and read as ASCII the text is
    # "$BEl5~ET5D2q..." whatever the page declares.
    body = page(JAPANESE, meta=meta).encode("iso2022_jp")
    assert body.isascii()
    decoded = decode_html(body, {})
    assert JAPANESE in decoded.text
    assert decoded.encoding == "iso-2022-jp"


def test_iso_2022_kr_is_read_by_its_escape() -> None:
    decoded = decode_html(page(KOREAN).encode("iso2022_kr"), {})
    assert KOREAN in decoded.text
    assert decoded.encoding == "iso-2022-kr"


def test_a_character_no_iso_2022_jp_variant_has_costs_the_character_not_the_page() -> None:
    # NEC's circled digit one (row 13 of JIS X 0208 as Windows extends it).
    body = page(JAPANESE).encode("iso2022_jp").replace(b"</p>", b"\x1b$B-!\x1b(B</p>")
    decoded = decode_html(body, {})
    assert JAPANESE in decoded.text
    assert decoded.encoding == "iso-2022-jp"


def test_a_declared_iso_2022_jp_2_page_is_read_in_its_declared_encoding() -> None:
    # Simplified Chinese through ISO-2022-JP-2's escape to GB 2312, which no escape
    # sniffing of ISO-2022-JP names.
    text = "议论这样"
    body = page(text).encode("iso2022_jp_2")
    assert b"\x1b$B" not in body
    decoded = decode_html(body, {"content-type": "text/html; charset=ISO-2022-JP-2"})
    assert text in decoded.text


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # A lone JIS-Roman escape: a single-byte set, no evidence against the declaration.
        ("C:\\path\\to ~user \x1b(J", "C:\\path\\to ~user"),
        # A terminal's colour codes: no ISO-2022 set at all.
        ("build log: \x1b[32mok\x1b[0m", "\x1b[32mok"),
    ],
)
def test_an_escape_of_no_double_byte_set_leaves_a_declared_page_as_it_is(text: str, kept: str) -> None:
    decoded = decode_html(page(text).encode("ascii"), {"content-type": "text/html; charset=utf-8"})
    assert kept in decoded.text
    assert decoded.encoding == "utf-8"


def test_undeclared_iso_8859_6_arabic_is_not_read_as_thai() -> None:
    decoded = decode_html(page(ARABIC).encode("iso8859_6"), {})
    assert ARABIC in decoded.text
    assert decoded.encoding == "iso-8859-6"


# Latin readings of the least chaos (scored alike by the detector, or not), and the code
# page each is written in.
_TIED_READINGS = [
    # "año" in windows-1250 is "ańo".
    ("El próximo año el puerto tendrá una grúa nueva, según el pequeño informe de la compañía.", "cp1252"),
    # "på" in windows-1250 is "pĺ".
    ("Kommunfullmäktige godkände på tisdagen en ny plan för hamnen och färjorna.", "cp1252"),
    # ... and the other way: "jövőre" in windows-1252 is "jövõre".
    ("Az önkormányzat szerint a kikötő felújítása jövőre kezdődik és két évig tart.", "cp1250"),
    # Not tied, but the detector's coherence favoured windows-1252 ("ł" as "³", "ś" as "œ").
    ("Władze miasta ogłosiły, że remont nabrzeża zakończy się w przyszłym miesiącu.", "cp1250"),
    ("Městská rada oznámila, že oprava přístavu skončí příští měsíc a lodě se vrátí.", "iso8859_2"),
]


@pytest.mark.parametrize(("text", "codec"), _TIED_READINGS)
def test_latin_readings_of_the_least_chaos_are_told_apart_by_their_words(text: str, codec: str) -> None:
    decoded = decode_html(page(text * 3).encode(codec), {})
    assert text in decoded.text
    assert decoded.encoding == (f"windows-{codec[2:]}" if codec.startswith("cp") else "iso-8859-2")


def test_ascii_page_reports_its_declared_encoding() -> None:
    decoded = decode_html(page("plain text").encode("ascii"), {"content-type": "text/html; charset=utf-8"})
    assert decoded.encoding == "utf-8"


@pytest.mark.parametrize(
    ("media_type", "is_html"),
    [("text/html", True), ("application/xhtml+xml", True), ("", True), ("application/pdf", False),
     ("image/png", False), ("application/json", False)],
)
def test_html_media_types(media_type: str, is_html: bool) -> None:
    assert is_html_media_type(media_type) is is_html


CHINESE = "市议会周四批准了新的有轨电车线路计划。工程将于明年春天开始，第一批列车预计两年后投入运营。"


GERMAN = (
    "Der Bürgermeister eröffnete am Freitag die Brücke über die Straße, früher als geplant; "
    "Größe und Kosten blieben unverändert, sagte Müller. Die Fähre über den Fluss fährt "
    "künftig nur noch stündlich, für Radfahrer ändert sich nichts."
)


@pytest.mark.parametrize(
    ("text", "meta"),
    [(RUSSIAN, "gb2312"), (GERMAN, "gbk"), (RUSSIAN, "gb18030"), (GERMAN, "shift_jis")],
    ids=["russian-gb2312", "german-gbk", "russian-gb18030", "german-shift_jis"],
)
def test_a_utf8_page_under_a_double_byte_meta_is_read_as_utf8(text: str, meta: str) -> None:
    # GBK and Shift_JIS decode UTF-8's two-byte sequences without an error: mojibake.
    decoded = decode_html(page(text, meta=meta).encode("utf-8"), {})
    assert text in decoded.text
    assert decoded.encoding == "utf-8"


@pytest.mark.parametrize(("meta", "codec"), [("gb2312", "gbk"), ("big5", "big5"), ("euc-kr", "euc_kr")])
def test_a_page_in_its_declared_double_byte_encoding_stays_so(meta: str, codec: str) -> None:
    text = {"gbk": CHINESE, "big5": "市議會週四批准了新的電車路線計劃，工程將於明年春天開始。",
            "euc_kr": "시의회는 목요일 새로운 노면전차 노선 계획을 승인했다."}[codec]
    decoded = decode_html(page(text, meta=meta).encode(codec), {})
    assert text in decoded.text


@pytest.mark.parametrize("meta", ["utf-16", "utf-16le", "utf-32"])
def test_a_meta_that_says_utf16_over_bytes_without_nuls_is_not_read_as_utf16(meta: str) -> None:
    # Browsers read such a page as UTF-8: markup in UTF-16 would be half NUL bytes.
    body = page(UKRAINIAN, meta=meta).encode("utf-8")
    body += b" " * (len(body) % 4)  # whole UTF-16 and UTF-32 units: read so, no error tells
    decoded = decode_html(body, {})
    assert UKRAINIAN in decoded.text
    assert decoded.encoding == "utf-8"
