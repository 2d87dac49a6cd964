"""Stopping a run on SIGTERM, SIGINT or SIGHUP, or at its time limit, so its end is recorded.

A run is in one of three modes:

- ``defer`` (the default: starting, recording the end, releasing locks): a stop is only
  noted, so the bookkeeping that makes a stop safe is never cut in half; the run checks
  for it between its steps;
- ``raise`` (processing, waiting for a lock: steps that roll back cleanly): a stop raises
  :class:`StopRun` in the main thread at once, like Ctrl-C raises KeyboardInterrupt;
- ``crawl`` (Scrapy's reactor runs): Scrapy's own handlers take SIGTERM/SIGINT and stop
  the crawl gracefully (a second signal forces it) and the crawl's stats say so
  (``run/interrupted``); an exception raised into the reactor would be swallowed by it,
  so the guard only notes a stop, turns a SIGHUP or the time limit into a SIGTERM for
  Scrapy, and :meth:`StopGuard.check` raises once the crawl is over.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

__all__ = ["STOP_SIGNALS", "StopGuard", "StopRun"]

log = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)

Handler = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None


class StopRun(BaseException):
    """Ends a run at once. A BaseException, so per-page ``except Exception`` blocks let it by.

    ``status`` is what the run is recorded as: ``interrupted`` (a signal), ``timeout``
    (the time limit) or ``failed`` (the run lost its lock).
    """

    def __init__(self, status: str, detail: str, exit_code: int) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.exit_code = exit_code


class StopGuard:
    """Turns stop signals and the time limit into a recorded stop of the current run.

    Use as a context manager in the main thread (signals reach only the main thread;
    elsewhere the guard installs nothing and has no time limit). ``time_limit`` is in
    seconds; ``stop_timeout`` is how long a crawl asked to stop at the time limit gets
    before it is asked again (which makes Scrapy stop at once).
    """

    def __init__(self, *, time_limit: float | None = None, stop_timeout: float = 10) -> None:
        self.time_limit = time_limit
        self.stop_timeout = stop_timeout
        self.status: str | None = None
        self.detail: str | None = None
        self.exit_code = 1
        self._mode = "defer"
        self._previous: dict[int, Handler] = {}
        self._finished = threading.Event()
        self._timer: threading.Thread | None = None

    # -- installation -----------------------------------------------------------------

    def __enter__(self) -> StopGuard:
        if threading.current_thread() is threading.main_thread():
            for signum in STOP_SIGNALS:
                self._previous[signum] = signal.signal(signum, self._on_signal)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._finished.set()
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._previous.clear()

    @property
    def active(self) -> bool:
        return bool(self._previous)

    # -- stopping ---------------------------------------------------------------------

    def _note(self, status: str, detail: str, exit_code: int) -> None:
        if self.status is None:
            self.status, self.detail, self.exit_code = status, detail, exit_code

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        self._note("interrupted", f"stopped by {name}", 128 + signum)
        if self._mode == "raise":
            self.check()
        elif self._mode == "crawl" and signum not in (signal.SIGTERM, signal.SIGINT):
            self._ask_scrapy_to_stop()

    def _ask_scrapy_to_stop(self) -> None:
        if signal.getsignal(signal.SIGTERM) == self._on_signal:
            # Scrapy installed no handlers: nothing can stop the crawl from here; it ends
            # on its own or the supervisor kills it after its stop timeout.
            log.warning("cannot stop the crawl early; it stops when it has finished")
            return
        os.kill(os.getpid(), signal.SIGTERM)

    def note_stop(self, status: str, detail: str) -> None:
        """Record that the run was stopped (e.g. the crawl says a signal ended it);
        :meth:`check` raises. The first stop noted wins."""
        exit_code = {"timeout": 4, "interrupted": 128 + signal.SIGTERM}.get(status, 1)
        self._note(status, detail, exit_code)

    def request_stop(self, status: str, detail: str) -> None:
        """Stop the run from any thread (the time limit, a lost lock)."""
        self.note_stop(status, detail)
        if not self.active:
            return
        if self._mode == "crawl":
            self._ask_scrapy_to_stop()
        elif self._mode == "raise":
            # A real signal wakes the main thread from a blocking call; the handler raises.
            os.kill(os.getpid(), signal.SIGTERM)

    def check(self) -> None:
        """Raise :class:`StopRun` if a stop was requested."""
        if self.status is not None:
            assert self.detail is not None
            raise StopRun(self.status, self.detail, self.exit_code)

    # -- modes ------------------------------------------------------------------------

    @contextmanager
    def raising(self) -> Iterator[None]:
        """Inside the block a stop raises :class:`StopRun` at once (also one noted before)."""
        previous, self._mode = self._mode, "raise"
        try:
            self.check()
            yield
        finally:
            self._mode = previous

    @contextmanager
    def crawling(self) -> Iterator[None]:
        """Let Scrapy take the signals for the block; afterwards ours are back in place."""
        previous, self._mode = self._mode, "crawl"
        try:
            yield
        finally:
            self._mode = "defer"  # no StopRun while the handlers are swapped back
            if self.active:
                # Scrapy leaves its handlers behind (after a signal, its "kill" stage).
                for signum in (signal.SIGTERM, signal.SIGINT):
                    signal.signal(signum, self._on_signal)
            self._mode = previous

    # -- time limit -------------------------------------------------------------------

    def start_clock(self) -> None:
        """Start counting ``time_limit`` (no-op without one, or outside the main thread)."""
        if self.time_limit is None or not self.active or self._timer is not None:
            return
        self._timer = threading.Thread(target=self._watch, name="newsdedup-time-limit",
                                       daemon=True)
        self._timer.start()

    def _watch(self) -> None:
        assert self.time_limit is not None
        if self._finished.wait(self.time_limit):
            return
        minutes = self.time_limit / 60
        self.request_stop("timeout", f"time limit of {minutes:g} min reached "
                                     "(crawl.max_run_minutes)")
        # Scrapy stops gracefully on the first SIGTERM, waiting for requests in flight;
        # a second one makes it stop at once.
        if not self._finished.wait(self.stop_timeout / 2) and self._mode == "crawl":
            self._ask_scrapy_to_stop()
