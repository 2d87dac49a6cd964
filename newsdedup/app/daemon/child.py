"""One crawl run in a child process: start it, pass its logs through, stop or kill it.

Why a fresh interpreter (``python -m newsdedup crawl``) rather than a fork or a
multiprocessing worker: Twisted's reactor runs once per process, so the daemon itself
never runs one; the child starts clean (no threads, locks or sockets inherited from the
daemon), and everything it allocated goes back to the system when it exits, so the
daemon's memory does not grow with the number of runs. The child runs the same code
path as a manual ``crawl`` (locks, run records, signal handling), with the hidden
``--trigger`` saying who started it, and its exit code means what the CLI documents.

The child gets a session of its own, so a Ctrl-C on the daemon's terminal reaches only
the daemon, which decides when runs are stopped (grace period, then SIGTERM, then SIGKILL).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Mapping, Sequence
from datetime import datetime

from newsdedup.core.config import SNAPSHOT_ENV
from newsdedup.core.records import utcnow

__all__ = ["ChildRun", "child_environment", "crawl_command"]

log = logging.getLogger(__name__)

_STDERR_LOCK = threading.Lock()


def crawl_command(source: str, *, trigger: str, config_path: str, log_format: str,
                  verbose: int) -> list[str]:
    """The argv of a child that runs ``source`` once."""
    argv = [sys.executable, "-m", "newsdedup", "--log-format", log_format]
    if verbose:
        argv.append("-" + "v" * verbose)
    return [*argv, "--config", config_path, "crawl", "--source", source, "--trigger", trigger]


class ChildRun:
    """A running child process, its stderr passed through to ours line by line.

    The last lines of its stderr are kept in ``tail`` (the reason of a failure).
    ``stop_reason`` is set when the supervisor stopped it (``timeout`` or ``interrupted``).
    """

    def __init__(self, source: str, argv: Sequence[str], *,
                 env: Mapping[str, str] | None = None, tail_lines: int = 20) -> None:
        self.source = source
        self.started_at: datetime = utcnow()
        self.started_monotonic = time.monotonic()
        self.stop_reason: str | None = None
        self.tail: deque[str] = deque(maxlen=tail_lines)
        self.exited = threading.Event()
        self.proc = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,  # the summary; the run's log lines carry the counts
            stderr=subprocess.PIPE,
            env=dict(env) if env is not None else None,
            start_new_session=True,
            text=True,
            errors="replace",
        )
        self.pid = self.proc.pid
        self._pump = threading.Thread(target=self._pass_through, name=f"child-{self.pid}",
                                      daemon=True)
        self._pump.start()

    def _pass_through(self) -> None:
        assert self.proc.stderr is not None
        with self.proc.stderr as stream:
            for line in stream:
                self.tail.append(line.rstrip("\n"))
                with _STDERR_LOCK:
                    sys.stderr.write(line if line.endswith("\n") else line + "\n")
                    sys.stderr.flush()
        self.proc.wait()  # stderr closes when the child exits; reap it now
        self.exited.set()

    @property
    def returncode(self) -> int | None:
        return self.proc.returncode if self.exited.is_set() else None

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the child has exited (and was reaped); False on timeout."""
        return self.exited.wait(timeout)

    def elapsed(self) -> float:
        return time.monotonic() - self.started_monotonic

    def signal(self, signum: int, reason: str | None = None) -> None:
        """Send ``signum`` unless the child is gone; the first ``reason`` given is kept."""
        if reason is not None and self.stop_reason is None:
            self.stop_reason = reason
        if self.exited.is_set():
            return
        with contextlib.suppress(ProcessLookupError):
            self.proc.send_signal(signum)

    def terminate(self, reason: str) -> None:
        self.signal(signal.SIGTERM, reason)

    def kill(self, reason: str) -> None:
        self.signal(signal.SIGKILL, reason)

    def describe_exit(self) -> str:
        """``exited with code N`` or ``killed by SIGNAME``, with the last stderr line."""
        code = self.proc.returncode
        if code is None:
            what = "still running"
        elif code < 0:
            what = f"killed by {signal.Signals(-code).name}"
        else:
            what = f"exited with code {code}"
        reason = self.reason_line()
        return f"child process {self.pid} {what}" + (f": {reason}" if reason else "")

    def reason_line(self) -> str | None:
        """The child's error line (``newsdedup: error: ...``), else its last stderr line."""
        lines = [line.strip() for line in self.tail if line.strip()]
        for line in reversed(lines):
            if line.startswith("newsdedup: error:"):
                return line.removeprefix("newsdedup: error:").strip()
        return lines[-1][:500] if lines else None


def child_environment() -> dict[str, str]:
    """Our environment for the child, with Python output unbuffered (lines arrive as logged).

    The child's ``--config`` is a snapshot of the config the parent validated, with
    ``${VAR}`` and ``NEWSDEDUP_DATABASE_URL`` applied and a relative SQLite path made
    absolute: ``NEWSDEDUP_CONFIG_SNAPSHOT=1`` has it read as it is. Applied again, a
    relative SQLite path in the variable was anchored to the snapshot's temporary folder
    (the run crawled into a throwaway database), and a value holding ``${`` after
    substitution (a password) was read as a variable again (every run failed).
    """
    env = dict(os.environ)
    env[SNAPSHOT_ENV] = "1"
    env["PYTHONUNBUFFERED"] = "1"
    return env
