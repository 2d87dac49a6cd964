"""What ``newsdedup status`` and ``newsdedup sources`` show: each source's state and health.

``next_run`` is when the source is next due by the rules of
:mod:`newsdedup.app.daemon.policy` (schedule since the last success, backoff), i.e. when
``run-due`` would next run it; a running daemon fires ``every N`` schedules on its own
rhythm, which matches once it has run the source.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from newsdedup.app.daemon.policy import Health, assess_health, next_due
from newsdedup.core.config import Config, SourceConfig
from newsdedup.storage.db import Database
from newsdedup.storage.dedup import Quarantine, quarantined_by_source
from newsdedup.storage.health import SourceHistory, source_histories
from newsdedup.storage.locks import LockHolder, holders
from newsdedup.storage.runs import RunView

__all__ = ["SourceStatus", "source_statuses"]


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment is not None else None


def _run_json(run: RunView | None) -> dict[str, Any] | None:
    if run is None:
        return None
    return {"id": run.id, "trigger": run.trigger, "status": run.status,
            "started_at": _iso(run.started_at), "finished_at": _iso(run.finished_at),
            "error": run.error}


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """One configured source: its config, its history, its health, when it runs next.

    ``running`` is the live holder of its lock (a run in progress), if any;
    ``quarantine`` its articles the dedup stage set aside, if any.
    """

    source: SourceConfig
    history: SourceHistory
    health: Health
    next_run: datetime | None
    running: LockHolder | None
    quarantine: Quarantine | None = None

    @property
    def name(self) -> str:
        return self.source.name

    def as_json(self) -> dict[str, Any]:
        history = self.history
        return {
            "source": self.name,
            "enabled": self.source.enabled,
            "schedule": self.source.schedule,
            "health": self.health.state,
            "health_reason": self.health.reason,
            "next_run": _iso(self.next_run),
            "running_pid": self.running.pid if self.running else None,
            "last_run": _run_json(history.last_run),
            "last_success": _run_json(history.last_success),
            "last_failure": _run_json(history.last_failure),
            "consecutive_failures": history.consecutive_failures,
            "last_error": history.last_failure.error if history.last_failure else None,
            "articles_total": history.articles_total,
            "articles_24h": history.articles_recent,
            "recent_runs": [
                {"id": run.id, "status": run.status, "started_at": _iso(run.started_at),
                 "pages_fetched": run.pages_fetched, "articles_new": run.articles_new,
                 "articles_updated": run.articles_updated, "errors": run.errors}
                for run in history.recent_runs
            ],
            "quarantined_articles": self.quarantine.count if self.quarantine else 0,
            "quarantine_last": None if self.quarantine is None else {
                "article_id": self.quarantine.article_id, "error": self.quarantine.error,
                "attempts": self.quarantine.attempts,
                "failed_at": _iso(self.quarantine.failed_at),
            },
        }


def source_statuses(config: Config, db: Database, now: datetime) -> list[SourceStatus]:
    """The status of every configured source, in config order: the one place health is
    worked out (``status``, ``sources`` and reports read it)."""
    stale = timedelta(seconds=config.daemon.stale_lock_seconds)
    names = [source.name for source in config.sources]
    with db.reader() as session:
        histories = source_histories(session, names, now=now)
        locks = holders(session)
        quarantines = quarantined_by_source(session, names)
    statuses = []
    for source in config.sources:
        history = histories[source.name]
        holder = locks.get(source.name)
        next_run = None
        if source.enabled:
            due = next_due(source, history, config)
            next_run = now if due is None or due < now else due
        statuses.append(SourceStatus(
            source=source,
            history=history,
            health=assess_health(source, history, config, now),
            next_run=next_run,
            running=holder if holder is not None and not holder.is_dead(now, stale) else None,
            quarantine=quarantines.get(source.name),
        ))
    return statuses
