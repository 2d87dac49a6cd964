"""The log lines of a run's start and end, readable as text and structured for JSON logs.

Each line carries ``fields`` (see ``JsonLogFormatter`` in newsdedup/cli/app.py), so
``--log-format json`` gives collectors ``event``, ``source``, ``trigger``, ``run_id``,
``status``, ``duration_s`` and the run's counts as separate keys.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType
from typing import Any

from newsdedup.storage.runs import RunCounts

__all__ = ["log_fields", "log_run_end", "log_run_start", "run_fields"]

log = logging.getLogger("newsdedup.runs")

#: Fields every JSON log line of the current run carries (``source``, ``run_id``).
_RUN_FIELDS: ContextVar[Mapping[str, Any]] = ContextVar(
    "newsdedup_run_fields", default=MappingProxyType({}))


@contextmanager
def run_fields(**fields: Any) -> Iterator[None]:
    """Within the block, JSON log lines carry ``fields`` (a run of one source binds its
    ``source`` and ``run_id``, so a shipper can group every line of that run)."""
    token = _RUN_FIELDS.set({**_RUN_FIELDS.get(), **fields})
    try:
        yield
    finally:
        _RUN_FIELDS.reset(token)


def log_fields() -> Mapping[str, Any]:
    """The fields :func:`run_fields` bound in this context."""
    return _RUN_FIELDS.get()


def log_run_start(*, source: str, trigger: str, run_id: int | None, pid: int) -> None:
    fields: dict[str, Any] = {
        "event": "run_start", "source": source, "trigger": trigger, "run_id": run_id, "pid": pid,
    }
    log.info("run %s start: source=%s trigger=%s pid=%d", run_id, source, trigger, pid,
             extra={"fields": fields})


def log_run_end(*, source: str, trigger: str, run_id: int | None, status: str,
                duration_s: float | None, counts: RunCounts | None = None,
                error: str | None = None) -> None:
    """One line per finished run; a failure is logged as a warning."""
    counts = counts or RunCounts()
    fields: dict[str, Any] = {
        "event": "run_end",
        "source": source,
        "trigger": trigger,
        "run_id": run_id,
        "status": status,
        "duration_s": round(duration_s, 3) if duration_s is not None else None,
        "pages_fetched": counts.pages_fetched,
        "articles_new": counts.articles_new,
        "articles_updated": counts.articles_updated,
        "rejected": counts.rejected,
        "errors": counts.errors,
        "error": error,
    }
    took = f"{duration_s:.1f}s" if duration_s is not None else "?"
    tail = f" error={error}" if error else ""
    level = logging.INFO if status == "success" else logging.WARNING
    log.log(
        level,
        "run %s end: source=%s trigger=%s status=%s duration=%s pages=%d new=%d updated=%d "
        "rejected=%d errors=%d%s",
        run_id, source, trigger, status, took, counts.pages_fetched, counts.articles_new,
        counts.articles_updated, counts.rejected, counts.errors, tail,
        extra={"fields": fields},
    )
