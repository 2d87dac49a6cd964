"""The exceptions newsdedup raises on purpose, and what each one means for a run.

::

    NewsdedupError                  base of everything below; never raised itself
    +-- ConfigError                 the configuration cannot be used; fatal at start (exit 2)
    +-- UsageError                  a command was given input it cannot use: a missing file,
    |                               an unknown source, a malformed JSON line (exit 2)
    +-- StorageError                the database cannot be used; fatal for the run (exit 1)
    |   +-- SchemaError             the schema is older or newer than this code
    +-- SourceBusy                  another process holds the source's crawl lock (exit 3)
    +-- RunStopped                  a run was stopped by a signal (exit 128+signal) or its
    |                               time limit (exit 4); it was recorded and its locks released
    +-- PageError                   one page could not be turned into an article (e.g.
    |   +-- DecodeError             its bytes cannot be read as text: `undecodable`);
                                    counted by reason, never fatal

The CLI is the only place that turns these into a line on stderr and an exit code.
Programming errors (anything else) keep their traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

__all__ = [
    "ConfigError",
    "NewsdedupError",
    "PageError",
    "RunStopped",
    "SchemaError",
    "SourceBusy",
    "StorageError",
    "UsageError",
]


class NewsdedupError(Exception):
    """Base class; ``exit_code`` is what the CLI exits with."""

    exit_code = 1


class ConfigError(NewsdedupError):
    """The configuration is unusable. ``problems`` holds one line per problem found."""

    exit_code = 2

    def __init__(self, problems: Sequence[str] | str) -> None:
        self.problems: tuple[str, ...] = (
            (problems,) if isinstance(problems, str) else tuple(problems)
        )
        super().__init__("\n".join(self.problems))


class UsageError(NewsdedupError):
    """A command's input is unusable (a missing file, an unknown source name...)."""

    exit_code = 2


class StorageError(NewsdedupError):
    """The database is unreachable or refused an operation the run depends on."""

    exit_code = 1


class SchemaError(StorageError):
    """The database schema does not match this version of newsdedup."""


class SourceBusy(NewsdedupError):
    """Another live process holds the crawl lock of ``source``."""

    exit_code = 3

    def __init__(self, source: str, pid: int, host: str, since: datetime) -> None:
        self.source = source
        self.pid = pid
        self.host = host
        self.since = since
        where = f"pid {pid}" if not host else f"pid {pid} on {host}"
        super().__init__(
            f"source {source} is being crawled by {where} since {since.isoformat(timespec='seconds')}"
        )


class RunStopped(NewsdedupError):
    """A run stopped before it finished; ``exit_code`` says why (4: time limit, 128+N: signal N)."""

    def __init__(self, message: str, exit_code: int = 4) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class PageError(NewsdedupError):
    """One page failed; ``reason`` is the stats key it is counted under."""

    def __init__(self, reason: str, detail: str, url: str | None = None) -> None:
        self.reason = reason
        self.detail = detail
        self.url = url
        super().__init__(f"{url}: {reason}: {detail}" if url else f"{reason}: {detail}")
