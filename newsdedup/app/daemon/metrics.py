"""Prometheus metrics of scheduled runs: served by the daemon, written to a file by run-due.

Counters count the runs this process supervised (the daemon since it started; run-due
adds each call's runs to the totals already in its textfile), from what each run
recorded in ``crawl_runs``, so they agree with ``newsdedup runs``:

``newsdedup_runs_total{source,status}``, ``newsdedup_pages_fetched_total{source,outcome}``
(fetch outcomes: ok, not_modified, http_error, timeout...),
``newsdedup_articles_total{source,change}`` (new, updated, deleted),
``newsdedup_rejections_total{source,reason}``, ``newsdedup_run_seconds_total{source}``,
``newsdedup_dedup_batches_total{source}`` and ``newsdedup_dedup_batch_seconds_total{source}``.

Gauges are read from the database at each scrape (or write), as ``status`` reads it:
``newsdedup_last_success_timestamp_seconds{source}``,
``newsdedup_consecutive_failures{source}``, ``newsdedup_pending_pages{source}``, and
``newsdedup_last_run_duration_seconds{source}`` (of the last run seen here);
``newsdedup_database_up`` is 0 when the database could not be read.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    start_http_server,
    write_to_textfile,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.registry import Collector
from sqlalchemy.exc import SQLAlchemyError

from newsdedup.app.daemon.supervise import Outcome
from newsdedup.core.errors import StorageError
from newsdedup.storage.db import Database
from newsdedup.storage.frontier import FETCH_OUTCOMES
from newsdedup.storage.metrics import source_gauges
from newsdedup.storage.runs import FINAL_STATUSES, RunView

__all__ = ["MetricsServer", "RunMetrics"]

log = logging.getLogger(__name__)


class _DatabaseGauges(Collector):
    """Reads the per-source gauges when scraped (one grouped read for all sources)."""

    def __init__(self, db: Callable[[], Database], names: Callable[[], Sequence[str]]) -> None:
        self._db = db
        self._names = names

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("newsdedup_database_up",
                               "1 when the database could be read for this scrape")
        last = GaugeMetricFamily("newsdedup_last_success_timestamp_seconds",
                                 "start of the last successful crawl run (Unix time)",
                                 labels=["source"])
        streak = GaugeMetricFamily("newsdedup_consecutive_failures",
                                   "failed crawl runs since the last success", labels=["source"])
        pending = GaugeMetricFamily("newsdedup_pending_pages",
                                    "fetched pages waiting to be processed", labels=["source"])
        try:
            with self._db().reader() as session:
                gauges = source_gauges(session, self._names())
        except (StorageError, SQLAlchemyError) as exc:  # a scrape must never stop the daemon
            log.warning("metrics: cannot read the database: %s", exc)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        for name, values in gauges.items():
            if values.last_success_at is not None:
                last.add_metric([name], values.last_success_at.timestamp())
            streak.add_metric([name], values.consecutive_failures)
            pending.add_metric([name], values.pending_pages)
        yield from (up, last, streak, pending)


class RunMetrics:
    """The metrics of one daemon or run-due process, in a registry of their own.

    ``db`` and ``names`` are called at each collection, so a config reload (another
    database, other sources) is followed.
    """

    def __init__(self, db: Callable[[], Database], names: Callable[[], Sequence[str]]) -> None:
        self.registry = CollectorRegistry()
        self._lock = threading.Lock()
        self.runs = Counter("newsdedup_runs", "finished crawl runs by final status",
                            ["source", "status"], registry=self.registry)
        self.pages = Counter("newsdedup_pages_fetched", "requests of crawl runs by fetch outcome",
                             ["source", "outcome"], registry=self.registry)
        self.articles = Counter("newsdedup_articles", "articles stored by crawl runs, by change",
                                ["source", "change"], registry=self.registry)
        self.rejections = Counter("newsdedup_rejections",
                                  "processed pages that did not become articles, by reason",
                                  ["source", "reason"], registry=self.registry)
        self.seconds = Counter("newsdedup_run_seconds", "time spent in crawl runs",
                               ["source"], registry=self.registry)
        self.batches = Counter("newsdedup_dedup_batches", "dedup batches committed by runs",
                               ["source"], registry=self.registry)
        self.batch_seconds = Counter("newsdedup_dedup_batch_seconds",
                                     "time the committed dedup batches took", ["source"],
                                     registry=self.registry)
        self.last_duration = Gauge("newsdedup_last_run_duration_seconds",
                                   "duration of the source's last run seen by this process",
                                   ["source"], registry=self.registry)
        self.registry.register(_DatabaseGauges(db, names))
        #: The counters by the family name the text format gives them (without _total).
        self._counters = {
            "newsdedup_runs": self.runs, "newsdedup_pages_fetched": self.pages,
            "newsdedup_articles": self.articles, "newsdedup_rejections": self.rejections,
            "newsdedup_run_seconds": self.seconds, "newsdedup_dedup_batches": self.batches,
            "newsdedup_dedup_batch_seconds": self.batch_seconds,
        }

    def observe(self, outcome: Outcome) -> None:
        """Count a supervised run (nothing for one that did not start, or was busy)."""
        with self._lock:
            if outcome.runs:
                for run in outcome.runs:
                    status = run.status if run.status != "running" else outcome.status
                    self._count_run(run, status)
            elif outcome.status in FINAL_STATUSES:
                # The child failed before recording a run: the supervisor recorded one.
                self.runs.labels(outcome.source, outcome.status).inc()
                self.seconds.labels(outcome.source).inc(outcome.duration_s)
                self.last_duration.labels(outcome.source).set(outcome.duration_s)

    def _count_run(self, run: RunView, status: str) -> None:
        source = run.source or "?"
        stats: dict[str, Any] = dict(run.stats or {})
        self.runs.labels(source, status).inc()
        for outcome in FETCH_OUTCOMES:
            if stats.get(f"fetch/{outcome}"):
                self.pages.labels(source, outcome).inc(int(stats[f"fetch/{outcome}"]))
        self.articles.labels(source, "new").inc(run.articles_new)
        self.articles.labels(source, "updated").inc(run.articles_updated)
        self.articles.labels(source, "deleted").inc(int(stats.get("articles/deleted", 0)))
        for key, value in stats.items():
            if key.startswith("extract/") and key != "extract/article" and value:
                self.rejections.labels(source, key.removeprefix("extract/")).inc(int(value))
        if stats.get("process/failed"):
            self.rejections.labels(source, "failed").inc(int(stats["process/failed"]))
        if run.finished_at is not None:
            took = max((run.finished_at - run.started_at).total_seconds(), 0.0)
            self.seconds.labels(source).inc(took)
            self.last_duration.labels(source).set(took)
        self.batches.labels(source).inc(int(stats.get("dedup/batches", 0)))
        self.batch_seconds.labels(source).inc(int(stats.get("dedup/batch_ms", 0)) / 1000)

    # -- textfile (run-due) --------------------------------------------------------------

    def load_textfile(self, path: Path) -> None:
        """Start the counters from the totals a previous call wrote to ``path`` (a missing
        or unreadable file starts them at zero, as a restarted daemon does)."""
        try:
            text = path.read_text("utf-8")
        except OSError:
            return
        try:
            families = list(text_string_to_metric_families(text))
        except ValueError as exc:
            log.warning("metrics textfile %s unreadable (%s); counters start at zero", path, exc)
            return
        for family in families:
            counter = self._counters.get(family.name)
            if counter is None or family.type != "counter":
                continue
            for sample in family.samples:
                if sample.name.endswith("_total") and sample.value > 0:
                    counter.labels(**sample.labels).inc(sample.value)

    def write_textfile(self, path: Path) -> None:
        """Write every metric to ``path`` at once (a temporary file renamed into place)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        write_to_textfile(str(path), self.registry)


class MetricsServer:
    """The daemon's ``/metrics`` endpoint on ``(host, port)``; port 0 picks a free one."""

    def __init__(self, metrics: RunMetrics, address: tuple[str, int]) -> None:
        self._server, self._thread = start_http_server(address[1], address[0],
                                                       registry=metrics.registry)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else str(host)
        shown = f"[{name}]" if ":" in name else name
        return f"http://{shown}:{port}/metrics"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
