"""A recurring story's frame is not its source's template.

The days of a weather report or a markets wrap repeat their sentences with other figures
and a word or two changed; a source that runs one story at several URLs repeats all of
it. Those paragraphs reach the template bar (three articles of one source) and must stay
content: removing them would take the prices out of the markets wrap. A paragraph such
a series shares with an article of another story is the source's template after all.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from dedup_helpers import NOW, articles, fates, run, store
from dedup_stories import EARNINGS, MATCH, TRAM, UNRELATED, edited

from newsdedup.core.config import DedupConfig
from newsdedup.core.normalise import fingerprint, key, mask_digits
from newsdedup.pipeline.dedup.templates import Counted, one_recurring_story
from newsdedup.storage.db import Database
from newsweb.content.series import markets_report, weather_report

THRESHOLD = DedupConfig().series_threshold
FOOTER = "Support independent journalism: subscribe to the Harbour Post for one pound a week."


def counted(paragraphs: tuple[str, ...]) -> Counted:
    # Groups as the template index would make them for these texts: digit-masked keys.
    return [(key(p), fingerprint(mask_digits(key(p)))) for p in paragraphs]


def days(report: object, count: int) -> list[tuple[str, ...]]:
    start = datetime(2026, 11, 1, tzinfo=UTC)
    return [report(start + timedelta(days=i), 500 + i).paragraphs  # type: ignore[operator]
            for i in range(count)]


@pytest.mark.parametrize("report", [weather_report, markets_report], ids=["weather", "markets"])
def test_days_of_a_series_are_one_recurring_story(report: object) -> None:
    series = days(report, 6)
    for first in series:
        for second in series:
            if first is not second:
                assert one_recurring_story(counted(first), counted(second), THRESHOLD)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param(TRAM, MATCH, id="tram-match"),
        pytest.param(MATCH, EARNINGS, id="match-earnings"),
        pytest.param(TRAM, UNRELATED, id="tram-unrelated"),
    ],
)
def test_different_stories_sharing_a_template_are_not_one_story(
        first: tuple[str, ...], second: tuple[str, ...]) -> None:
    assert not one_recurring_story(counted((*first, FOOTER)), counted((*second, FOOTER)), THRESHOLD)


def test_a_story_at_another_url_is_one_story_and_a_page_of_only_template_is_not() -> None:
    assert one_recurring_story(counted(TRAM), counted(TRAM), THRESHOLD)
    assert one_recurring_story(counted(TRAM), counted(edited(TRAM)), THRESHOLD)
    assert not one_recurring_story(counted((FOOTER,)), counted((*TRAM, FOOTER)), THRESHOLD)


def test_a_series_keeps_its_figures_until_another_story_prints_its_frame(db: Database) -> None:
    series = days(markets_report, 4)
    ids = [
        store(db, "gulf", f"https://gulf.example/markets-{i}", body, seen=NOW + timedelta(hours=i))
        for i, body in enumerate(series)
    ]
    stats = run(db)
    found = articles(db)
    assert stats["dedup/templates_learned"] == 0
    assert stats["dedup/recurring_story"] > 0
    for article_id, body in zip(ids, series, strict=True):
        assert found[article_id].text == "\n\n".join(body)  # every figure is still there
    assert len({found[i].cluster_id for i in ids}) == len(ids)  # and each day its own story

    # An article of another story that prints one of the series' sentences: that
    # sentence is the source's template after all, in the series' articles too.
    frame = series[0][3]
    other = store(db, "gulf", "https://gulf.example/tram", (*TRAM, frame),
                  seen=NOW + timedelta(hours=5))
    stats = run(db)
    assert stats["dedup/templates_learned"] == 1
    assert fates(db, other)[-1] == "template"
    run(db)  # the retroactive pass over the series' first articles
    found = articles(db)
    for article_id, body in zip(ids, series, strict=True):
        assert found[article_id].text == "\n\n".join(p for p in body if p != body[3])
        assert fates(db, article_id)[3] == "template"


def test_one_story_at_three_urls_of_a_source_keeps_its_text(db: Database) -> None:
    ids = [
        store(db, "post", f"https://post.example/tram{suffix}", body,
              seen=NOW + timedelta(minutes=i))
        for i, (suffix, body) in enumerate([("", TRAM), ("-updated", edited(TRAM)),
                                            ("-print", (*TRAM[:-1],))])
    ]
    stats = run(db)
    found = articles(db)
    assert stats["dedup/templates_learned"] == 0
    assert all(fate != "template" for i in ids for fate in fates(db, i))
    assert found[ids[0]].text == "\n\n".join(TRAM)
    assert len({found[i].cluster_id for i in ids}) == 1
