"""Language: declared tags normalised to ISO 639-1, and the cheap detector."""

from __future__ import annotations

import pytest

from pipeline.extract.language import detect_language, normalize_language


@pytest.mark.parametrize(
    ("tag", "code"),
    [("de-DE", "de"), ("en_US", "en"), ("EN", "en"), ("deu", "de"), ("iw", "he"), ("nb-NO", "no"),
     ("zh-Hans-CN", "zh"), ("x-klingon", None), ("", None), (None, None), ("english", None)],
)
def test_normalize_language(tag: str | None, code: str | None) -> None:
    assert normalize_language(tag) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The council said on Tuesday that the new bridge would open in September and that it was built to last.", "en"),
        ("Die Landesregierung verweist auf die gestiegene Lebenserwartung und auf den Personalmangel in den Wachen.", "de"),
        ("Le gouvernement a annoncé mardi que la réforme des retraites serait présentée au conseil des ministres.", "fr"),
        ("El gobierno anunció el martes que la reforma de las pensiones se presentará en el consejo de ministros.", "es"),
        ("Движение по новому мосту открыли в пятницу утром, на два месяца раньше срока, сообщили в мэрии.", "ru"),
        ("У понеділок у Вінниці запустили перший у місті завод із сортування побутових відходів.", "uk"),
        ("南海トラフ地震の評価検討会は、巨大地震の発生可能性が高まったとは考えられないと発表した。", "ja"),
        ("习近平主席向首届中国拉美和加勒比国家航天合作论坛致贺信，为中拉深化航天合作指明方向。", "zh"),
        ("장동혁 국민의힘 대표가 당권을 위협하던 한동훈 전 대표를 제명했지만 어깨는 한층 무거워졌다.", "ko"),
        ("وقالت الوزارة في بيان إن المفاوضات ستستأنف الأسبوع المقبل في العاصمة القطرية الدوحة.", "ar"),
    ],
)
def test_detect_language(text: str, code: str) -> None:
    assert detect_language(text) == code


@pytest.mark.parametrize("text", ["", "12345 67890", "OK", "Lorem ipsum dolor sit amet consectetur adipiscing"])
def test_detector_says_none_when_unsure(text: str) -> None:
    assert detect_language(text) is None
