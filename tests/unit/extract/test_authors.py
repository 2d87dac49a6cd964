"""Author cleaning: prepositions, roles, outlets and dates go; one person per name."""

from __future__ import annotations

import pytest

from newsdedup.pipeline.extract.authors import clean_authors, is_byline_line


@pytest.mark.parametrize(
    ("raw", "outlets", "expected"),
    [
        (["By Jane Doe and John Roe, Reuters"], [], ("Jane Doe", "John Roe")),
        (["Von Erika Beispiel"], [], ("Erika Beispiel",)),
        (["by Daria Shulzhenko June 7, 2025 6:17 PM 3 min read"], [], ("Daria Shulzhenko",)),
        (["Jane E. Doe, Senior Political Correspondent"], [], ("Jane E. Doe",)),
        (["Amelia Hart", "amelia hart"], [], ("Amelia Hart",)),
        (["Автор: Иван Петров и Мария Иванова"], [], ("Иван Петров", "Мария Иванова")),
        (["Por María García y José López | EFE"], [], ("María García", "José López")),
        (["Par Jean Dupont et Marie Curie"], [], ("Jean Dupont", "Marie Curie")),
        (["Di Maio"], [], ("Di Maio",)),
        (["The Kyiv Ledger"], ["The Kyiv Ledger"], ()),
        (["Associated Press"], [], ()),
        (["Staff Writer"], [], ()),
        (["https://www.facebook.com/jane.doe"], [], ()),
        (["10 Jun, 2025 19:34"], [], ()),
        (["Harbour Herald reporters"], ["Harbour Herald"], ()),
        # Names joined in other languages, roles and newsrooms named in them.
        (["Jan Příklad a Petra Vzorová"], [], ("Jan Příklad", "Petra Vzorová")),
        (["Ayşe Örnek ve Mehmet Örnek"], [], ("Ayşe Örnek", "Mehmet Örnek")),
        (["Siti Contoh dan Budi Contoh"], [], ("Siti Contoh", "Budi Contoh")),
        (["王示例、李示例"], [], ("王示例", "李示例")),
        (["Mario Esempio, giornalista"], [], ("Mario Esempio",)),
        (["Jan Przykład, dziennikarz"], [], ("Jan Przykład",)),
        (["Redaktion Beispielstadt"], [], ()),
        (["Redazione Esempio"], [], ()),
        (["홍예시·김예시"], [], ("홍예시", "김예시")),
        (["Jane Doe · Staff Writer"], [], ("Jane Doe",)),
    ],
)
def test_clean_authors(raw: list[str], outlets: list[str], expected: tuple[str, ...]) -> None:
    assert clean_authors(raw, outlets) == expected


@pytest.mark.parametrize(
    ("line", "authors", "expected"),
    [
        ("Ann Example", ["Ann Example"], True),
        ("By Ann Example and Bo Sample", ["Ann Example", "Bo Sample"], True),
        ("Author: ANN EXAMPLE", ["Ann Example"], True),
        ("— Ann Example", ["Ann Example"], False),  # a signature under a letter or column
        ("Ann Example said the pier would reopen in May.", ["Ann Example"], False),
        ("Ann Example and the harbour board", ["Ann Example"], False),
        ("Ann Example", [], False),
    ],
)
def test_a_line_of_nothing_but_the_authors_names_is_a_byline(line: str, authors: list[str], expected: bool) -> None:
    assert is_byline_line(line, authors) is expected
