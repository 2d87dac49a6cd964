"""A progress line for long runs: rewritten in place on a terminal, silent elsewhere.

Logs and data stay untouched: the line goes to stderr only when stderr is a terminal,
at most a few times a second, and is cleared before the command prints its summary.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

__all__ = ["Progress"]


class Progress:
    """One status line. ``show`` is cheap to call often; it redraws at most every
    ``interval`` seconds. Thread-safe (the crawl reports from the reactor thread)."""

    def __init__(self, stream: TextIO | None = None, *, enabled: bool | None = None,
                 interval: float = 0.25) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.interval = interval
        # The first line is always drawn, however young the monotonic clock is.
        self._last = -float("inf")
        self._width = 0
        self._lock = threading.Lock()

    def show(self, text: str, *, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        with self._lock:
            if not force and now - self._last < self.interval:
                return
            self._last = now
            line = text[:119]
            pad = max(0, self._width - len(line))
            self.stream.write("\r" + line + " " * pad)
            self.stream.flush()
            self._width = len(line)

    def clear(self) -> None:
        if not self.enabled:
            return
        with self._lock:
            if self._width:
                self.stream.write("\r" + " " * self._width + "\r")
                self.stream.flush()
            self._width = 0

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.clear()
