"""Normalisation, shingles and signatures: properties the stages rely on."""

from __future__ import annotations

import numpy as np
import pytest
from datasketch import MinHash
from dedup_stories import EARNINGS, TRAM, UNRELATED

from newsdedup.core.config import DedupConfig
from newsdedup.core.normalise import fingerprint, forms, key, mask_digits, words
from newsdedup.core.records import Article
from newsdedup.pipeline.dedup.minhash import (
    MinHasher,
    band_keys,
    containment,
    from_bytes,
    jaccard,
    to_bytes,
)
from newsdedup.pipeline.dedup.shingles import hash_words, shingle_sets
from newsdedup.pipeline.dedup.sketch import Sketcher, name_flags


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param("Moscow\u2019s \u201clead\u201d negotiator", "Moscow's \"lead\" negotiator", id="quotes"),
        pytest.param("a swap \u2014 the third", "a swap - the third", id="dashes"),
        pytest.param("  Ukraine   and\tRussia\u00a0swap ", "Ukraine and Russia swap", id="whitespace"),
        pytest.param("UKRAINE AND RUSSIA", "ukraine and russia", id="case"),
        pytest.param("\u2022 \u2707Euromaidan Press", "Euromaidan Press", id="bullet"),
        pytest.param("around 1,200 people", "around 1200 people", id="thousands"),
        pytest.param("Russia: Agreement Reached", "Russia Agreement Reached", id="punctuation"),
        pytest.param("\ufb01nal re\u00adsult", "final result", id="nfkc-and-soft-hyphen"),
        pytest.param("\u0627\u0644\u0633\u064e\u0644\u0627\u0645\u064f \u0639\u0644\u0640\u0640\u064a\u0643\u0645",
                     "\u0627\u0644\u0633\u0644\u0627\u0645 \u0639\u0644\u064a\u0643\u0645", id="arabic-harakat-and-tatweel"),
        pytest.param("\u05e9\u05b8\u05c1\u05dc\u05d5\u05b9\u05dd", "\u05e9\u05dc\u05d5\u05dd", id="hebrew-points"),
        pytest.param("\u0661\u0662\u0660\u0660 \u0623\u0633\u064a\u0631", "1200 \u0623\u0633\u064a\u0631", id="arabic-indic-digits"),
        pytest.param("\u0968\u0966\u0968\u096c", "2026", id="devanagari-digits"),
        pytest.param("\u4ea4\u6362\u6218\u4fd8\u3002", "\u4ea4 \u6362 \u6218 \u4fd8", id="han-by-character"),
        # What NFKC leaves of spacing accents, keycaps and variation selectors.
        pytest.param("It\u00b4s \u00af\u00af a test", "It's a test", id="spacing-accents"),
        pytest.param("\uff21\uff22\uffe3\uff23\uff24", "AB CD", id="full-width-macron"),
        pytest.param("1\ufe0f\u20e3 Point", "1 Point", id="keycap"),
        pytest.param("ab\U000e0100cd", "abcd", id="astral-variation-selector"),
        pytest.param("\u0661\u066c\u0662\u0660\u0660", "1,200", id="arabic-thousands-separator"),
    ],
)
def test_spellings_of_one_paragraph_share_a_key(left: str, right: str) -> None:
    assert key(left) == key(right)
    assert fingerprint(key(left)) == fingerprint(key(right))


def test_different_paragraphs_have_different_keys() -> None:
    assert key("1,200 prisoners") != key("1,300 prisoners")
    assert key("Ukraine and Russia") != key("Russia and Ukraine")


@pytest.mark.parametrize(
    ("left", "right"),
    [
        # Hindi "the boy came" / "the girl came": only the vowel signs differ.
        pytest.param("\u0932\u0921\u093c\u0915\u093e \u0906\u092f\u093e",
                     "\u0932\u0921\u093c\u0915\u0940 \u0906\u0908", id="devanagari-vowel-signs"),
        # Thai: two words a tone mark apart ("not" / "wood"), then "good".
        pytest.param("\u0e44\u0e21\u0e48\u0e14\u0e35", "\u0e44\u0e21\u0e49\u0e14\u0e35", id="thai-tone-marks"),
        # Tamil "bridge" / "strength": one vowel sign apart.
        pytest.param("\u0baa\u0bbe\u0bb2\u0bae\u0bcd", "\u0baa\u0bb2\u0bae\u0bcd", id="tamil-vowel-sign"),
    ],
)
def test_marks_belong_to_their_word(left: str, right: str) -> None:
    """A vowel sign or a tone mark is part of the word: words that differ in them differ."""
    assert key(left) != key(right)


def test_words_of_unspaced_scripts_are_characters_with_their_marks() -> None:
    assert [w.decode() for w in words("\u4e2d\u56fd\u5916\u4ea4\u90e8")] == list("\u4e2d\u56fd\u5916\u4ea4\u90e8")
    assert [w.decode() for w in words("\u30ed\u30b7\u30a2\u3068")] == list("\u30ed\u30b7\u30a2\u3068")
    # Thai: a consonant keeps the vowel sign and the tone mark written on it.
    assert [w.decode() for w in words("\u0e44\u0e21\u0e48\u0e14\u0e35")] == ["\u0e44", "\u0e21\u0e48", "\u0e14\u0e35"]
    # Devanagari and Korean are written with spaces: a word stays whole.
    assert [w.decode() for w in words("\u0939\u093f\u0928\u094d\u0926\u0940 \u0938\u092e\u093e\u091a\u093e\u0930")] == [
        "\u0939\u093f\u0928\u094d\u0926\u0940", "\u0938\u092e\u093e\u091a\u093e\u0930"]
    assert len(words("\ub7ec\uc2dc\uc544\uc640 \uc6b0\ud06c\ub77c\uc774\ub098\uac00")) == 2
    # Latin words inside Chinese text stay words.
    assert [w.decode() for w in words("WTO\u7ec4\u7ec7 2026\u5e74")] == ["wto", "\u7ec4", "\u7ec7", "2026", "\u5e74"]


def test_masking_digits_makes_counters_alike() -> None:
    assert mask_digits(key("20,000 people joined")) == mask_digits(key("21,500 people joined"))


def names_in(*texts: str) -> list[bytes]:
    raw, words_form = zip(*(forms(text) for text in texts), strict=True)
    hashed = hash_words(list(words_form))
    flags = name_flags(b" ".join(raw) + b" ", hashed)
    return [word for word, flag in zip(b" ".join(words_form).split(), flags, strict=True) if flag]


def test_names_are_capitalised_words_inside_sentences_and_numbers() -> None:
    found = names_in(
        "The council met on Tuesday. Margaret Okonjo said 620 million was fine.\n"
        "Later \"Nobody came\" and (Reuters) said: Trump",
        "Second text starts with a Capital",
    )
    assert found == [b"tuesday", b"okonjo", b"620", b"trump", b"capital"]


def test_signatures_are_datasketch_affine32_minhashes() -> None:
    sets = shingle_sets(hash_words([key(" ".join(TRAM))]), 5)
    ours = MinHasher(128).signatures(sets)[0]
    reference = MinHash(num_perm=128, seed=1, scheme="affine32", hashfunc=lambda value: value)
    reference.update_batch([int(value) for value in sets.of(0)])
    assert np.array_equal(ours, reference.hashvalues)


def test_a_batch_sketches_each_text_as_alone() -> None:
    texts = [key(" ".join(story)) for story in (TRAM, EARNINGS, UNRELATED)]
    together = MinHasher(64).signatures(shingle_sets(hash_words(texts), 5))
    for index, text in enumerate(texts):
        alone = MinHasher(64).signatures(shingle_sets(hash_words([text]), 5))[0]
        assert np.array_equal(together[index], alone)


def test_identical_texts_have_similarity_one_and_unrelated_near_zero() -> None:
    sketcher = Sketcher(DedupConfig())
    tram, copy, other = sketcher.documents_of([TRAM, TRAM, UNRELATED])
    assert jaccard(tram.signature, copy.signature) == 1.0
    assert tram.content_hash == copy.content_hash
    assert jaccard(tram.signature, other.signature) < 0.05


def test_text_shorter_than_a_shingle_is_one_shingle_and_empty_text_none() -> None:
    sets = shingle_sets(hash_words([b"two words", b"", b"a b c d e f"]), 5)
    assert list(sets.sizes()) == [1, 0, 2]


def test_signature_bytes_round_trip() -> None:
    signature = Sketcher(DedupConfig()).documents_of([TRAM])[0].signature
    assert np.array_equal(from_bytes(to_bytes(signature)), signature)


def test_band_keys_depend_on_band_and_salt() -> None:
    signature = Sketcher(DedupConfig()).documents_of([TRAM])[0].signature[None, :]
    keys = band_keys(signature, 64, 2)
    assert len(set(keys[0].tolist())) == 64
    assert np.array_equal(keys, band_keys(signature.copy(), 64, 2))
    assert not set(keys[0].tolist()) & set(band_keys(signature, 64, 2, salt=7)[0].tolist())


@pytest.mark.parametrize(
    ("similarity", "sizes", "expected"),
    [
        pytest.param(1.0, (100, 100), 1.0, id="identical"),
        pytest.param(0.5, (100, 50), 1.0, id="half-size-subset"),
        pytest.param(0.0, (100, 100), 0.0, id="disjoint"),
        pytest.param(0.25, (100, 100), 0.4, id="partial"),
    ],
)
def test_containment_from_jaccard_and_sizes(similarity: float, sizes: tuple[int, int],
                                            expected: float) -> None:
    assert containment(similarity, *sizes) == pytest.approx(expected)


def test_stored_band_keys_put_recent_articles_together_and_windows_find_them() -> None:
    from newsdedup.pipeline.dedup.bands import (
        BUCKET_DAYS,
        bucket_days,
        lookup_keys,
        short_key,
        stored_key,
    )

    width = bucket_days(14)
    day = 20_000
    key = 0x12_3456_789A
    stored = stored_key(key, day, width)
    assert short_key(stored) == key
    # Same bucket for the same month: the keys of recent articles sit side by side.
    assert stored_key(1, day, width) >> 40 == stored_key(2, day + 1, width) >> 40 or (day + 1) % BUCKET_DAYS == 0
    # A copy dated up to the window away looks in every bucket the window touches.
    for other in (day - 14, day + 14, day + BUCKET_DAYS - 1 - day % BUCKET_DAYS):
        if abs(other - day) <= 14:
            assert stored_key(key, other, width) in set(lookup_keys([key], day, 14, width))
    # No window: no buckets.
    assert list(lookup_keys([key], day, 0, bucket_days(0))) == [stored_key(key, 0, 0)] == [key]


def test_stored_rows_are_stored_keys() -> None:
    from newsdedup.pipeline.dedup.bands import bucket_days, stored_key, stored_rows

    rows = [(key, day, article) for key in (0, 1, 2**40 - 1) for day in (-3, 0, 31, 32, 20_000) for article in (1, 2)]
    for width in (bucket_days(14), bucket_days(0)):
        assert stored_rows(iter(rows), width) == [
            (stored_key(key, day, width), day, article) for key, day, article in rows
        ]


@pytest.mark.parametrize("paragraphs", [
    ("The council approved the budget on Tuesday.", "Work starts in May."),
    ("भारत सरकार ने आज नई नीति की घोषणा की।", "मंत्री ने कहा कि यह लागू होगी।"),
    ("東京都は今日、新しい政策を発表した。", "知事は記者会見で説明した。"),
    ("รัฐบาลประกาศนโยบายใหม่วันนี้", "Ông ấy nói rằng chính sách mới sẽ có hiệu lực."),
])
def test_a_stored_article_counts_its_words_as_the_dedup_stage_does(paragraphs: tuple[str, ...]) -> None:
    # The word_count column is written when the article is saved and again by the dedup
    # stage; a reader must not see it change meaning in between (a Hindi word is not cut
    # at its vowel signs, a Japanese clause is not one word).
    article = Article(source="s", url="https://news.example/a", canonical_url="https://news.example/a",
                      title=None, paragraphs=paragraphs)
    [sketch] = Sketcher(DedupConfig()).documents_of([paragraphs])
    assert article.word_count == sketch.words
