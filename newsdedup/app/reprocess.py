"""Processing without fetching: ``process`` (pending pages) and ``reprocess`` (rebuild)."""

from __future__ import annotations

from collections.abc import Sequence

from newsdedup.app.runner import RunResult, hold_sources
from newsdedup.core.config import Config, SourceConfig
from newsdedup.core.records import utcnow
from newsdedup.storage.db import Database
from newsdedup.storage.migrate import ensure_schema
from newsdedup.storage.pages import reset_processed

__all__ = ["process_sources"]


def process_sources(config: Config, sources: Sequence[SourceConfig], *, rebuild: bool = False,
                    rebuild_dedup: bool = False, wait: bool = False) -> list[RunResult]:
    """Extract and deduplicate the stored pages of ``sources``, holding their locks.

    ``rebuild`` marks the newest page of every URL pending again first (new extractor
    or thresholds); ``rebuild_dedup`` also drops and rebuilds the dedup data
    (signatures, templates, clusters) of those sources. Nothing is fetched.
    """
    from newsdedup.pipeline.dedup import DedupStage
    from newsdedup.pipeline.process import Processor

    with Database(config.database.url) as db:
        ensure_schema(db)
        trigger = "reprocess" if rebuild or rebuild_dedup else None
        with hold_sources(db, config, sources, trigger=trigger, wait=wait) as leases:
            started = utcnow()
            source_ids = [lease.source_id for lease in leases]
            reset = 0
            if rebuild or rebuild_dedup:
                with db.session() as session:
                    reset = reset_processed(session, source_ids)
            if rebuild_dedup:
                DedupStage(config.dedup, db).reset(source_ids)
            report = Processor(config, db).run(source_ids)
            finished = utcnow()
            results = []
            for lease in leases:
                result = RunResult(lease.source.name, lease.run_id, "success",
                                   started_at=started, finished_at=finished)
                result.stats.update(report.by_source.get(lease.source.name, {}))
                result.stats.update(report.by_source.get("*", {}))
                if reset:
                    result.stats["pages/reset"] = reset
                results.append(result)
            if trigger is not None:
                from newsdedup.storage.runs import finish_run

                with db.session() as session:
                    for lease, result in zip(leases, results, strict=True):
                        if lease.run_id is not None:
                            finish_run(session, lease.run_id, status="success", now=finished,
                                       counts=result.counts, stats=dict(result.stats))
            return results
