"""The item pipeline's queue of batch writes: items waiting for a slow batch.

While a batch is written (SQLite busy behind another process, a slow Postgres), every
item that finds the next batch full waits for it: hundreds when the downloads are fast.
They used to wait on a DeferredLock, which woke each one from inside the previous one's
release; past Python's recursion limit the RecursionError left the lock held, and the
crawl hung for ever, deaf to SIGTERM (the engine waits for those items to close).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from scrapy.settings import Settings
from twisted.internet.defer import Deferred

from newsdedup.core.records import utcnow
from newsdedup.crawler import pipeline as pipeline_module
from newsdedup.crawler.pipeline import PersistPipeline
from newsdedup.storage.frontier import BatchResult, FetchRecord


class _Stats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, amount: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + amount


@pytest.fixture
def threads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Deferred[Any], list[FetchRecord]]]:
    """The batches handed to the thread pool, each with the Deferred its thread fires."""
    calls: list[tuple[Deferred[Any], list[FetchRecord]]] = []

    def defer_to_thread(function: Any, records: list[FetchRecord]) -> Deferred[Any]:
        done: Deferred[Any] = Deferred()
        calls.append((done, records))
        return done

    monkeypatch.setattr(pipeline_module, "deferToThread", defer_to_thread)
    return calls


def _pipeline() -> PersistPipeline:
    settings = Settings({"NEWSDEDUP_BATCH_SIZE": 1, "NEWSDEDUP_FLUSH_SECONDS": 0})
    spider = SimpleNamespace(storage_error=None, source=SimpleNamespace(name="kyiv-daily"))
    crawler = SimpleNamespace(settings=settings, stats=_Stats(), spider=spider)
    return PersistPipeline(crawler)  # type: ignore[arg-type]


def _record(n: int) -> FetchRecord:
    return FetchRecord(url=f"http://kyiv-daily.test/news/{n}", kind="article", outcome="ok",
                       fetched_at=utcnow())


def test_thousands_of_items_waiting_for_a_slow_batch_all_go_on(
    threads: list[tuple[Deferred[Any], list[FetchRecord]]],
) -> None:
    pipeline = _pipeline()
    pipeline.buffer.append(_record(0))
    pipeline.flush()
    assert len(threads) == 1  # the first batch is being written
    woken: list[object] = []
    for _ in range(3000):
        pipeline.written().addBoth(woken.append)
    assert woken == []

    threads[0][0].callback((BatchResult(records=1), 5))

    assert woken == [None] * 3000
    # The queue is not left stuck: the next batch is written at once, and its waiters woken.
    pipeline.buffer.append(_record(1))
    flushed: list[object] = []
    pipeline.flush().addBoth(flushed.append)
    assert len(threads) == 2 and threads[1][1][0].url == _record(1).url
    threads[1][0].callback((BatchResult(records=1), 5))
    assert flushed == [None]
    assert pipeline.crawler.stats.values["db/batches"] == 2


def test_batches_are_written_one_at_a_time_in_the_order_flushed(
    threads: list[tuple[Deferred[Any], list[FetchRecord]]],
) -> None:
    pipeline = _pipeline()
    done: list[int] = []

    def note(_: None, n: int) -> None:
        done.append(n)

    for n in range(3):
        pipeline.buffer.append(_record(n))
        pipeline.flush().addCallback(note, n)
    # One batch in the database at a time: the second waits for the first.
    assert [[r.url for r in records] for _, records in threads] == [[_record(0).url]]
    threads[0][0].callback((BatchResult(records=1), 1))
    assert done == [0]
    assert len(threads) == 2 and threads[1][1][0].url == _record(1).url
    threads[1][0].callback((BatchResult(records=1), 1))
    threads[2][0].callback((BatchResult(records=1), 1))
    assert done == [0, 1, 2]
