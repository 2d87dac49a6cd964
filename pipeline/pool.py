"""Extraction in worker processes: pages go out one at a time, results come back by page.

The run's own process keeps the database: it reads pages, hands them to the pool and
stores what comes back, batch by batch in page order, so a run's results do not depend
on the number of workers. A thread of the run's process talks to the workers, so they
keep extracting while the run stores the previous batch. Workers are forked from a
fork server that has imported the extractor once (not from the run's process, which has
threads), so starting or replacing one is cheap.

Each worker holds at most one page. A worker that dies (killed, out of memory, a crash
in a C library) loses only that page: it is given to a fresh worker, and after
``retries`` more deaths it comes back as :class:`WorkerLost`, recorded as a failed page.
A worker is replaced after ``max_pages`` pages, which bounds what a slow leak can take.

The run's process hands a page over as the database stores it (body compressed) and
the worker decompresses it. Given the dedup configuration, the worker also sketches
each article's paragraphs (``newsdedup.pipeline.dedup.presketch``) for the dedup stage,
so that the run's process, the part that cannot be spread over workers, does less.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import multiprocessing.connection
import resource
import signal
import threading
from collections import Counter, deque
from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING, Any, NamedTuple

from newsdedup.core.config import DedupConfig, ExtractConfig, SourceConfig
from newsdedup.core.records import Article, ExtractResult, FetchedPage
from newsdedup.storage.pages import decompress_body

if TYPE_CHECKING:
    from newsdedup.pipeline.dedup.presketch import ArticleSketch
    from newsdedup.pipeline.dedup.sketch import Sketcher

__all__ = ["Extracted", "ExtractionFailed", "ExtractionPool", "WorkerLost", "failure_reason"]

log = logging.getLogger(__name__)

_MAX_PAGES_PER_WORKER = 2000


class ExtractionFailed(Exception):
    """Extraction raised in a worker; ``reason`` is ``Type: message`` as raised there."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class WorkerLost(Exception):
    """The worker extracting the page died, on every attempt."""


class Extracted(NamedTuple):
    """What a worker made of a page: its Article or Rejection, or the exception that
    failed it (:class:`ExtractionFailed`, :class:`WorkerLost`); and the article's
    paragraph sketches when the pool was given the dedup configuration (None otherwise,
    or when sketching failed: the dedup stage then computes them itself)."""

    result: ExtractResult | Exception
    sketch: ArticleSketch | None = None


def failure_reason(error: Exception) -> str:
    """What is recorded for a page whose extraction failed with ``error``."""
    if isinstance(error, ExtractionFailed):
        return error.reason
    return f"{type(error).__name__}: {error}"


def _worker_main(connection: multiprocessing.connection.Connection, config: ExtractConfig,
                 sources: dict[str, SourceConfig], dedup: DedupConfig | None = None) -> None:
    """A worker's life: extract each page received, send back the result, until told to stop."""
    from newsdedup.pipeline.dedup.sketch import Sketcher
    from newsdedup.pipeline.extract import Extractor

    # The run's process decides when to stop; a Ctrl-C sent to the whole group must not
    # kill a worker in the middle of a page.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    extractor = Extractor(config, sources)
    sketcher = Sketcher(dedup) if dedup is not None else None
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):  # the run's process is gone
            return
        if task is None:
            return
        seq, page, compressed = task
        result: ExtractResult | ExtractionFailed
        try:
            if compressed:
                page = replace(page, body=decompress_body(page.body))
            result = extractor.extract(page)
        except Exception as exc:  # a bug on one page must not stop the worker
            log.exception("extraction failed for %s", page.url)
            result = ExtractionFailed(f"{type(exc).__name__}: {exc}")
        sketch = _sketch(sketcher, result)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        try:
            connection.send((seq, Extracted(result, sketch), _peak_kib(), usage.ru_utime + usage.ru_stime))
        except (BrokenPipeError, OSError):
            return


def _sketch(sketcher: Sketcher | None, result: object) -> ArticleSketch | None:
    """The paragraph sketches of ``result`` if it is an article and sketching is asked for."""
    from newsdedup.pipeline.dedup.presketch import sketch_article

    if sketcher is None or not isinstance(result, Article):
        return None
    try:
        return sketch_article(sketcher, result.title, result.paragraphs)
    except Exception:  # the dedup stage computes them itself
        log.exception("sketching the paragraphs of %s failed", result.url)
        return None


def _peak_kib() -> int:
    """This process's peak resident memory in KiB (``ru_maxrss`` would carry the
    parent's across the exec of a spawned process)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


@dataclass
class _Task:
    seq: int
    page: FetchedPage
    compressed: bool
    future: Future[Extracted]
    deaths: int = 0


@dataclass
class _Worker:
    process: BaseProcess
    connection: multiprocessing.connection.Connection
    task: _Task | None = None
    pages: int = 0


@dataclass
class PoolStats:
    """What the pool went through: pages done, workers lost and started; per worker pid,
    peak resident memory and CPU seconds spent (the fork server's imports not included)."""

    counts: Counter[str] = field(default_factory=Counter)
    peak_kib: dict[int, int] = field(default_factory=dict)
    cpu_s: dict[int, float] = field(default_factory=dict)


class ExtractionPool:
    """``workers`` processes extracting pages; use as a context manager, then :meth:`submit`.

    ``stats.counts``: ``pool/pages``, ``pool/worker_lost`` (pages whose worker died),
    ``pool/workers_started``; ``stats``: also memory and CPU time per worker.
    """

    def __init__(self, config: ExtractConfig, sources: Mapping[str, SourceConfig], *,
                 workers: int, retries: int = 1, max_pages: int = _MAX_PAGES_PER_WORKER,
                 dedup: DedupConfig | None = None) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        self.config = config
        self.sources = dict(sources)
        self.dedup = dedup
        self.size = workers
        self.retries = retries
        self.max_pages = max_pages
        self.stats = PoolStats()
        # Not fork: the run's process has threads (the lease heartbeat, ours). A fork
        # server started once per run's process, with the extractor imported and the
        # language model loaded (``poolserver``), makes a worker cheap to start or replace.
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["newsdedup.pipeline.extract", "newsdedup.pipeline.pool",
                                              "newsdedup.pipeline.dedup.presketch",
                                              "newsdedup.pipeline.poolserver"])
        self._queue: deque[_Task] = deque()
        self._lock = threading.Lock()
        self._wake_reader, self._wake_writer = self._context.Pipe(duplex=False)
        self._workers: list[_Worker] = []
        self._closing = False
        self._seq = 0
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._deaths_in_a_row = 0

    def __enter__(self) -> ExtractionPool:
        self._workers = [self._start_worker() for _ in range(self.size)]
        self._thread = threading.Thread(target=self._dispatch, name="extraction-pool", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def pids(self) -> dict[int, int | None]:
        """Worker pid -> sequence number of the page it holds (None when idle)."""
        with self._lock:
            return {w.process.pid: (w.task.seq if w.task else None)
                    for w in self._workers if w.process.pid is not None}

    def submit(self, page: FetchedPage, *, compressed: bool = False) -> Future[Extracted]:
        """Queue ``page`` (its body as stored, when ``compressed``); the future gives
        what the worker made of it (:class:`Extracted`)."""
        if self._error is not None:
            raise RuntimeError("the extraction pool stopped") from self._error
        future: Future[Extracted] = Future()
        with self._lock:
            self._seq += 1
            self._queue.append(_Task(self._seq, page, compressed, future))
        self._wake()
        return future

    def close(self) -> None:
        """Stop the workers (pages still queued get WorkerLost) and wait for them."""
        self._closing = True
        self._wake()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None
        for worker in self._workers:
            self._stop_worker(worker)
        with self._lock:
            tasks = list(self._queue) + [w.task for w in self._workers if w.task is not None]
            self._queue.clear()
            self._workers = []
        for task in tasks:
            if not task.future.done():
                task.future.set_result(Extracted(WorkerLost("the extraction pool was closed")))
        self._wake_reader.close()
        self._wake_writer.close()

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_writer.send_bytes(b"")

    def _start_worker(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker_main,
                                        args=(child, self.config, self.sources, self.dedup),
                                        name="newsdedup-extract", daemon=True)
        process.start()
        child.close()
        self.stats.counts["pool/workers_started"] += 1
        return _Worker(process, parent)

    def _stop_worker(self, worker: _Worker) -> None:
        with contextlib.suppress(OSError):
            worker.connection.send(None)
        worker.process.join(timeout=5)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.connection.close()

    def _dispatch(self) -> None:
        try:
            while not self._closing:
                self._hand_out()
                busy = [w for w in self._workers if w.task is not None]
                handles: list[Any] = [self._wake_reader]
                for worker in busy:
                    handles += [worker.connection, worker.process.sentinel]
                ready = multiprocessing.connection.wait(handles)
                if self._wake_reader in ready:
                    while self._wake_reader.poll():
                        self._wake_reader.recv_bytes()
                for worker in busy:
                    if worker.connection in ready or worker.process.sentinel in ready:
                        self._collect(worker)
        except BaseException as exc:
            self._error = exc
            log.exception("the extraction pool's dispatcher failed")
            with self._lock:
                tasks = list(self._queue) + [w.task for w in self._workers if w.task]
            for task in tasks:
                if not task.future.done():
                    task.future.set_exception(exc)

    def _hand_out(self) -> None:
        for index, worker in enumerate(self._workers):
            if worker.task is not None:
                continue
            if worker.pages >= self.max_pages or not worker.process.is_alive():
                self._stop_worker(worker)
                worker = self._workers[index] = self._start_worker()
            with self._lock:
                if not self._queue:
                    return
                worker.task = self._queue.popleft()
            # If it died before taking the page, its sentinel says so.
            with contextlib.suppress(OSError):
                worker.connection.send((worker.task.seq, worker.task.page, worker.task.compressed))

    def _collect(self, worker: _Worker) -> None:
        task = worker.task
        assert task is not None
        try:
            if worker.connection.poll():
                seq, result, peak_kib, cpu_s = worker.connection.recv()
                assert seq == task.seq, f"worker answered page {seq} for page {task.seq}"
                worker.task = None
                worker.pages += 1
                self._deaths_in_a_row = 0
                self.stats.counts["pool/pages"] += 1
                pid = worker.process.pid or 0
                self.stats.peak_kib[pid] = max(self.stats.peak_kib.get(pid, 0), peak_kib)
                self.stats.cpu_s[pid] = cpu_s
                task.future.set_result(result)
                return
        except (EOFError, OSError):  # its end of the pipe closed: it is dying
            worker.process.join(timeout=10)
        if worker.process.is_alive():
            return  # woken for nothing: wait for the rest
        self._lost(worker, task)

    def _lost(self, worker: _Worker, task: _Task) -> None:
        code = worker.process.exitcode
        how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        task.deaths += 1
        self.stats.counts["pool/worker_lost"] += 1
        log.warning("extraction worker %s died (%s) on %s (attempt %d)", worker.process.pid,
                    how, task.page.url, task.deaths)
        self._deaths_in_a_row += 1
        if self._deaths_in_a_row > 2 * self.size + 2:
            # Workers that die whatever they are given (a broken install, no memory):
            # the run fails instead of failing every page one death at a time.
            raise RuntimeError(f"extraction workers keep dying ({how}), "
                               f"{self._deaths_in_a_row} in a row without finishing a page")
        worker.task = None
        worker.connection.close()
        worker.process.join()
        index = self._workers.index(worker)
        self._workers[index] = self._start_worker()
        if task.deaths > self.retries:
            task.future.set_result(Extracted(WorkerLost(f"extraction worker died ({how}) on this page "
                                                        f"{task.deaths} times")))
        else:
            with self._lock:
                self._queue.appendleft(task)
