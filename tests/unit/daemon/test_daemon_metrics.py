"""RunMetrics without a daemon: what a supervised run adds to the counters, the textfile
round trip, and the database gauges of a real (empty or unreachable) database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from newsdedup.app.daemon.metrics import RunMetrics
from newsdedup.app.daemon.supervise import Outcome
from newsdedup.core.config import config_from_mapping
from newsdedup.core.errors import ConfigError
from newsdedup.storage.db import Database
from newsdedup.storage.runs import RunView

START = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def samples(path: Path) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    found = {}
    for family in text_string_to_metric_families(path.read_text("utf-8")):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def metrics_for(db: Database, *names: str) -> RunMetrics:
    return RunMetrics(lambda: db, lambda: list(names))


def test_a_run_is_counted_by_status_outcome_change_and_reason(db: Database, tmp_path: Path) -> None:
    metrics = metrics_for(db, "alpha")
    stats = {"fetch/ok": 7, "fetch/http_error": 2, "articles/new": 5, "extract/soft_404": 1,
             "extract/article": 5, "dedup/batches": 2, "dedup/batch_ms": 1500}
    view = RunView(1, "alpha", "schedule", "success", START, START + timedelta(seconds=90), 7, 5, 0,
                   1, 0, None, 1, stats)
    metrics.observe(Outcome("alpha", "schedule", "success", runs=[view]))
    metrics.observe(Outcome("alpha", "schedule", "busy"))  # nothing ran: nothing counted
    metrics.observe(Outcome("alpha", "schedule", "failed", duration_s=3.0))  # died before its run
    path = tmp_path / "m.prom"
    metrics.write_textfile(path)
    got = samples(path)

    def value(name: str, **labels: str) -> float:
        return got[(name, frozenset(labels.items()))]

    assert value("newsdedup_runs_total", source="alpha", status="success") == 1
    assert value("newsdedup_runs_total", source="alpha", status="failed") == 1
    assert value("newsdedup_pages_fetched_total", source="alpha", outcome="ok") == 7
    assert value("newsdedup_pages_fetched_total", source="alpha", outcome="http_error") == 2
    assert value("newsdedup_articles_total", source="alpha", change="new") == 5
    assert value("newsdedup_rejections_total", source="alpha", reason="soft_404") == 1
    assert ("newsdedup_rejections_total", frozenset({("source", "alpha"), ("reason", "article")})) not in got
    assert value("newsdedup_dedup_batch_seconds_total", source="alpha") == 1.5
    assert value("newsdedup_run_seconds_total", source="alpha") == 93
    assert value("newsdedup_database_up") == 1
    assert value("newsdedup_pending_pages", source="alpha") == 0

    again = metrics_for(db, "alpha")
    again.load_textfile(path)
    again.observe(Outcome("alpha", "schedule", "success", runs=[view]))
    again.write_textfile(path)
    assert samples(path)[("newsdedup_runs_total",
                          frozenset({("source", "alpha"), ("status", "success")}))] == 2


def test_an_unreachable_database_is_a_gauge_not_a_crash(tmp_path: Path) -> None:
    missing = Database(f"sqlite:///{tmp_path / 'absent' / 'x.db'}")
    try:
        metrics = metrics_for(missing, "alpha")
        path = tmp_path / "m.prom"
        metrics.write_textfile(path)
        assert samples(path)[("newsdedup_database_up", frozenset())] == 0
    finally:
        missing.dispose()


@pytest.mark.parametrize("value", ["9788", "localhost:", ":9788", "host:99999", "host:http"])
def test_metrics_address_must_be_host_and_port(value: str) -> None:
    with pytest.raises(ConfigError, match=r"daemon\.metrics"):
        config_from_mapping({"daemon": {"metrics": value}})


def test_log_format_key_takes_text_or_json() -> None:
    assert config_from_mapping({"daemon": {"log_format": "json"}}).daemon.log_format == "json"
    with pytest.raises(ConfigError, match=r"daemon\.log_format"):
        config_from_mapping({"daemon": {"log_format": "xml"}})
