"""``daemon:`` settings: how scheduled runs are started, watched, stopped and backed off.

Keys (all optional):

``max_parallel_runs`` (2)
    runs (child processes) at once, in the daemon and in ``run-due``.
``grace_period_seconds`` (60)
    on SIGTERM/SIGINT, the time running runs get to finish; the last
    ``stop_timeout_seconds`` of it (at most half) are for runs asked to stop, then they
    are killed. The daemon exits within this time.
``stop_timeout_seconds`` (10)
    how long a run asked to stop (SIGTERM) gets to record its end before it is killed;
    also the slack added to ``crawl.max_run_minutes`` before a run that did not stop on
    its own time limit is killed.
``misfire_grace_seconds`` (300)
    a scheduled run started late (daemon busy or asleep) still runs when it is at most
    this late; later ones are skipped until the next fire time.
``heartbeat_seconds`` (10), ``stale_lock_seconds`` (120)
    a run refreshes its source lock every ``heartbeat_seconds``; a lock whose heartbeat
    is older than ``stale_lock_seconds`` (or whose process is dead, same host) is taken over.
``backoff_base_seconds`` (60), ``backoff_max_seconds`` (3600)
    after ``k`` consecutive failed runs (failed, timeout, abandoned) of a source, its next
    scheduled or cron run waits at least ``min(base * 2**(k-1), max)`` after the last
    failure ended. Manual crawls ignore the backoff.
``unhealthy_after_failures`` (3)
    a source with this many consecutive failed runs is unhealthy.
``unhealthy_after_missed_runs`` (1)
    a source whose schedule fired this many times since its last successful run (plus
    its ``max_run_minutes``) is unhealthy: it has not succeeded within its expected
    interval (failing, or the daemon or cron is not running it).
``unhealthy_after_rejected_pages`` (20)
    a source none of whose last this many processed pages was an article is unhealthy:
    a redesign the extractor no longer reads, a consent or bot wall answering 200, a feed
    of dead links. Its runs succeed all the same. 0 turns it off; at most 50.
``dead_after_hours`` (48), ``dead_retry_hours`` (24)
    a source whose runs have all failed for ``dead_after_hours`` (since its last success,
    or its first run) is ``dead``: scheduled and cron runs try it only every
    ``dead_retry_hours`` until it succeeds again (0: never dead). A manual crawl runs it
    at once.
``metrics`` (off)
    ``"HOST:PORT"`` (e.g. ``"127.0.0.1:9788"``; port 0 picks a free one, announced at
    start): the daemon serves Prometheus metrics at ``http://HOST:PORT/metrics``
    (:mod:`newsdedup.app.daemon.metrics`). Changing it takes a restart.
``metrics_textfile`` (off)
    a file ``run-due`` rewrites after each call with the same metrics, for node_exporter's
    textfile collector (``--metrics-textfile`` on the command line wins).
``log_format`` (text)
    ``text`` or ``json`` (one object per line with ``event``, ``source``, ``run_id``):
    the log format of ``daemon`` and ``run-due`` and of their runs when
    ``--log-format`` is not given.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from newsdedup.core.config.base import Section

__all__ = ["DaemonConfig"]

# Upper bounds far past any real setting, below what overflows a date (a backoff of
# 1e308 seconds crashed `status` once a run had failed).
_YEAR_SECONDS = 366 * 86400
Seconds = Annotated[float, Field(gt=0, le=_YEAR_SECONDS)]
PositiveInt = Annotated[int, Field(ge=1, le=1_000_000)]


class DaemonConfig(Section):
    """The scheduler daemon, ``run-due``, the cross-process source locks and source health."""

    max_parallel_runs: PositiveInt = 2
    grace_period_seconds: Seconds = 60
    stop_timeout_seconds: Seconds = 10
    misfire_grace_seconds: Seconds = 300
    heartbeat_seconds: Seconds = 10
    stale_lock_seconds: Seconds = 120
    backoff_base_seconds: Annotated[float, Field(ge=0, le=_YEAR_SECONDS)] = 60
    backoff_max_seconds: Annotated[float, Field(ge=0, le=_YEAR_SECONDS)] = 3600
    unhealthy_after_failures: PositiveInt = 3
    # Each is a step along the schedule when health is judged: a few, not millions.
    unhealthy_after_missed_runs: Annotated[int, Field(ge=1, le=100)] = 1
    # At most storage.health.RECENT_PAGES, the pages a source's history holds.
    unhealthy_after_rejected_pages: Annotated[int, Field(ge=0, le=50)] = 20
    dead_after_hours: Annotated[float, Field(ge=0, le=10 * 366 * 24)] = 48
    dead_retry_hours: Annotated[float, Field(gt=0, le=366 * 24)] = 24
    metrics: str | None = None
    metrics_textfile: str | None = None
    log_format: Literal["text", "json"] = "text"

    @field_validator("metrics")
    @classmethod
    def _host_port(cls, value: str | None) -> str | None:
        if value is None:
            return None
        host, sep, port = value.rpartition(":")
        if not sep or not host or not port.isdecimal() or int(port) > 65535:
            raise ValueError(f"{value!r} is not HOST:PORT (e.g. \"127.0.0.1:9788\")")
        return value

    @property
    def metrics_address(self) -> tuple[str, int] | None:
        """``metrics`` as (host, port), brackets of an IPv6 host removed; None when off."""
        if self.metrics is None:
            return None
        host, _, port = self.metrics.rpartition(":")
        return host.strip("[]"), int(port)

    @model_validator(mode="after")
    def _stale_after_beats(self) -> DaemonConfig:
        if self.stale_lock_seconds < 2 * self.heartbeat_seconds:
            raise ValueError(
                f"stale_lock_seconds ({self.stale_lock_seconds:g}) must be at least twice "
                f"heartbeat_seconds ({self.heartbeat_seconds:g}), or live runs lose their locks"
            )
        return self
