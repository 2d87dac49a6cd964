"""The spider's database reads and the item pipeline's batch writes run off the reactor's
thread, on SQLite and on Postgres.

A read or a write on the reactor's thread stops every download until the database
answers (a remote Postgres: every discovery batch, every batch of pages). Two real crawls of the fixture web (the second
one conditional, with 304 sitemaps and revisits due) run in a subprocess that records,
through an SQLAlchemy ``before_cursor_execute`` listener on every engine, the thread of
each statement and whether the spider's or the item pipeline's code issued it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from crawl_helpers import CRAWL_MAIN, FAST_CRAWL, Crawler, CrawlResult
from support import age_fetches

from newsweb import NewsWeb, build_test_site

pytestmark = pytest.mark.slow

# Runs tests/crawl_main.py (argv[2:]) with a listener that writes one JSON line per SQL
# statement to argv[1]: on the reactor's thread or not, and the qualified names of the
# spider's and of the item pipeline's functions on the stack when it ran (none: not theirs).
PROBE = '''
import json, os, runpy, sys
from sqlalchemy import event
from sqlalchemy.engine import Engine
from twisted.python import threadable

out_path, main_path = sys.argv[1], sys.argv[2]
spider_file = os.path.join("crawler", "spider.py")
pipeline_file = os.path.join("crawler", "pipeline.py")
lines = []

@event.listens_for(Engine, "before_cursor_execute")
def _record(conn, cursor, statement, parameters, context, executemany):
    spider, pipeline, batch, frame = [], [], None, sys._getframe()
    while frame is not None:
        if frame.f_code.co_filename.endswith(spider_file):
            spider.append(frame.f_code.co_qualname)
        elif frame.f_code.co_filename.endswith(pipeline_file):
            pipeline.append(frame.f_code.co_qualname)
            # The pipeline (one per source) and the batch's start time tell one batch's
            # statements from another's.
            if "started" in frame.f_locals:
                batch = [id(frame.f_locals["self"]), frame.f_locals["started"]]
        frame = frame.f_back
    lines.append({"reactor": threadable.isInIOThread(), "spider": spider, "pipeline": pipeline,
                  "batch": batch, "statement": " ".join(statement.split())[:200]})

sys.argv = [main_path, *sys.argv[3:]]
try:
    runpy.run_path(main_path, run_name="__main__")
finally:
    with open(out_path, "w", encoding="utf-8") as out:
        out.writelines(json.dumps(line) + "\\n" for line in lines)
'''


@dataclass
class ProbedCrawler(Crawler):
    """A :class:`Crawler` whose crawls record their SQL statements in ``out``."""

    probe: Path = Path()
    out: Path = Path()

    def command(self, *args: str) -> list[str]:
        return [CRAWL_MAIN[0], str(self.probe), str(self.out), *super().command(*args)[1:]]

    def statements(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.out.read_text("utf-8").splitlines()]


@dataclass
class Probed:
    first: CrawlResult
    second: CrawlResult
    statements: list[dict[str, Any]]




@pytest.fixture(scope="module")
def probed(module_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Probed]:
    workdir = tmp_path_factory.mktemp("reads")
    url = module_database_url
    probe = workdir / "probe.py"
    probe.write_text(PROBE, "utf-8")
    site = build_test_site(crawl_delay=None)
    with NewsWeb(site) as web:
        crawler = ProbedCrawler(site, web, url, workdir, crawl=dict(FAST_CRAWL), probe=probe,
                                out=workdir / "first.jsonl")
        # Batches of one record in the first crawl: items come faster than they are
        # written, so the pipeline has batches waiting behind the one being written.
        first = crawler.run("--set", "NEWSDEDUP_BATCH_SIZE=1")
        statements = crawler.statements()
        age_fetches(url, hours=2)  # past the first revisit step (1h)
        crawler.out = workdir / "second.jsonl"
        second = crawler.run()
        yield Probed(first, second, statements + crawler.statements())


def test_the_spider_reads_only_off_the_reactor_thread(probed: Probed) -> None:
    spider = [line for line in probed.statements if line["spider"]]
    # Every read path ran: start (entries, frontier), revisits, feed/sitemap/listing links,
    # sitemap index children and the children of a 304 sitemap index.
    functions = {part for line in spider for name in line["spider"] for part in name.split(".")}
    assert {"start", "_revisit_requests", "_consider", "_child_sitemaps",
            "_known_children"} <= functions, functions
    on_reactor = [line for line in spider if line["reactor"]]
    assert on_reactor == []
    assert any(line["reactor"] for line in probed.statements), "the probe saw no reactor thread"


def test_the_pipeline_writes_only_off_the_reactor_thread(probed: Probed) -> None:
    pipeline = [line for line in probed.statements if line["pipeline"]]
    # Pages and their fetch outcomes were written by the pipeline's batches.
    assert any(line["statement"].startswith("INSERT INTO pages") for line in pipeline)
    assert any(line["statement"].startswith("INSERT INTO url_state") for line in pipeline)
    on_reactor = [line for line in pipeline if line["reactor"]]
    assert on_reactor == []
    # One batch of a source at a time: its statements are not interleaved with those of
    # the source's other batches (the sources of a crawl write side by side).
    assert all(line["batch"] is not None for line in pipeline)
    for source in {line["batch"][0] for line in pipeline}:
        batches = [tuple(line["batch"]) for line in pipeline if line["batch"][0] == source]
        runs = [batch for index, batch in enumerate(batches) if index == 0 or batches[index - 1] != batch]
        assert len(runs) == len(set(runs))
    assert probed.first.stats and all(
        stats["db/batches"] > 0 for stats in probed.first.stats.values()
    )


def test_the_probed_crawls_did_their_work(probed: Probed) -> None:
    """The crawls under the probe found articles, then revisited them conditionally."""
    first = sum(probed.first.stats.values(), Counter[str]())
    second = sum(probed.second.stats.values(), Counter[str]())
    assert first["pages/stored"] > 0
    assert second["revisit/requested"] > 0
    assert second["article_fetch/not_modified"] > 0
    assert second["fetch/not_modified"] > second["article_fetch/not_modified"]
