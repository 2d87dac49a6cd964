"""An item pipeline for the crawl tests: after ``TEST_STALL_AFTER`` items, every item waits
for a Deferred that never fires. A crawl with it never finishes and cannot stop gracefully
(Scrapy's engine waits for the items in progress before it closes), as a crawl did when
the batch writes' lock was left held (docs/reliability.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

#: The ITEM_PIPELINES setting that puts it after newsdedup's own (items are stored first).
PIPELINES = {"newsdedup.crawler.pipeline.PersistPipeline": 300, "crawl_stall.StallPipeline": 400}


class StallPipeline:
    def __init__(self, after: int) -> None:
        self.after = after
        self.seen = 0
        self.never: Deferred[None] = Deferred()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler.settings.getint("TEST_STALL_AFTER", 2))

    async def process_item(self, item: Any) -> Any:
        self.seen += 1
        if self.seen > self.after:
            await maybe_deferred_to_future(self.never)
        return item
