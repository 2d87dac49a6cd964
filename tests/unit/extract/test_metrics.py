"""The extraction metric, exactly as extraction-dev's README defines it."""

from __future__ import annotations

import pytest

from newsdedup.pipeline.extract.metrics import PageScore, score_page, shingles, summarize


def test_shingles_are_token_4grams_with_case_kept() -> None:
    assert shingles("A b, c d e") == {("A", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}
    assert shingles("Two words") == {("Two", "words"): 1}
    assert not shingles("  ... ")


def test_identical_text_scores_one() -> None:
    assert score_page("one two three four five", "one two three four five") == PageScore(1.0, 1.0, 1.0)


def test_extra_text_costs_precision_missing_text_costs_recall() -> None:
    gold = "alpha beta gamma delta epsilon zeta"
    longer = score_page(gold + " eta theta iota", gold)
    assert longer.recall == 1.0 and longer.precision is not None and longer.precision < 1.0
    shorter = score_page("alpha beta gamma delta", gold)
    assert shorter.precision == 1.0 and shorter.recall == pytest.approx(1 / 3)


def test_multisets_count_repeats() -> None:
    # five shingles predicted, one of them in the gold text (counted once)
    assert score_page("a b c d a b c d", "a b c d").precision == pytest.approx(1 / 5)


def test_empty_prediction_has_no_precision_and_zero_recall() -> None:
    assert score_page(None, "a b c d") == PageScore(None, 0.0, 0.0)
    assert score_page("", "a b c d") == PageScore(None, 0.0, 0.0)


def test_summary_uses_means_and_skips_empty_predictions_for_precision() -> None:
    scores = [PageScore(1.0, 1.0, 1.0), PageScore(0.5, 0.5, 0.5), PageScore(None, 0.0, 0.0)]
    summary = summarize(scores)
    assert summary.precision == pytest.approx(0.75)
    assert summary.recall == pytest.approx(0.5)
    assert summary.f1 == pytest.approx(2 * 0.75 * 0.5 / 1.25)
    assert summary.mean_page_f1 == pytest.approx(0.5)
    assert summary.share_f1_90 == pytest.approx(1 / 3)
