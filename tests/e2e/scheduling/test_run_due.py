"""``newsdedup run-due`` (cron mode), ``status``, ``sources`` and ``runs`` in subprocesses."""

from __future__ import annotations

import json
import os

import pytest
from sched_helpers import FAST_SOURCES, Deployment

from newsdedup.app.leases import acquire_all, holding
from newsdedup.core.config import load_config
from newsdedup.storage.db import Database

pytestmark = pytest.mark.slow

RUNS_JSONL_FIELDS = ["id", "source", "trigger", "status", "started_at", "finished_at",
                     "pages_fetched", "articles_new", "articles_updated", "rejected", "errors",
                     "error"]


def test_run_due_twice_in_a_row_runs_each_due_source_once(any_deployment: Deployment) -> None:
    deployment = any_deployment.configure(
        kyiv_daily={"schedule": "*/30 * * * *"},
        steppe_wire={"schedule": "every 1h"},
        menafeed={"schedule": "every 1h", "enabled": False},
    )
    first = deployment.cli("run-due")
    assert first.returncode == 0, first.stderr[-3000:]
    runs = deployment.runs()
    assert sorted((run.source, run.trigger, run.status) for run in runs) == [
        (name, "cron", "success") for name in FAST_SOURCES]
    assert sorted(line.split(":")[0] for line in first.stdout.splitlines()) == list(FAST_SOURCES)
    second = deployment.cli("run-due")
    assert second.returncode == 0, second.stderr[-3000:]
    assert second.stdout == ""
    assert deployment.runs() == runs

    listed = deployment.cli("runs", "--format", "jsonl")
    assert listed.returncode == 0, listed.stderr
    objects = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [list(obj) for obj in objects] == [RUNS_JSONL_FIELDS] * 2
    assert {obj["trigger"] for obj in objects} == {"cron"}
    assert all(obj["finished_at"] > obj["started_at"] for obj in objects)

    status = deployment.cli("status")
    assert status.returncode == 0, status.stdout + status.stderr
    assert "kyiv-daily: ok" in status.stdout and "menafeed: disabled" in status.stdout


def test_a_relative_sqlite_url_from_the_environment_is_the_database_the_runs_write(
        deployment: Deployment) -> None:
    """NEWSDEDUP_DATABASE_URL=sqlite:///newsdedup.db (relative: next to the config) names
    the database of run-due's children too. They used to inherit the variable, which
    overrode their config snapshot, and anchored the path to the snapshot's temporary
    folder: each run crawled into a throwaway database and was recorded `failed`."""
    deployment.configure(kyiv_daily={"schedule": "every 1h"})
    text = deployment.config_path.read_text("utf-8")
    deployment.config_path.write_text(
        text.replace(deployment.database_url, "sqlite:///elsewhere.db"), "utf-8")
    deployment.env["NEWSDEDUP_DATABASE_URL"] = "sqlite:///newsdedup.db"
    assert deployment.database_url == f"sqlite:///{deployment.workdir / 'newsdedup.db'}"

    result = deployment.cli("run-due")
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert [(run.source, run.trigger, run.status) for run in deployment.runs()] == [
        ("kyiv-daily", "cron", "success")]
    assert deployment.articles("kyiv-daily")
    assert not (deployment.workdir / "elsewhere.db").exists()


def test_a_value_holding_a_dollar_brace_after_substitution_is_not_substituted_again(
        deployment: Deployment) -> None:
    """`${UA}` read from the environment gives `... (${CONTACT})`: that is the value.
    run-due's children read their config snapshot (values already substituted) through
    the same substitution, failed on `CONTACT is not set`, exit 2, for every run, though
    `check-config` said OK. A password holding `${` did the same."""
    deployment.crawl["user_agent"] = "${UA}"
    deployment.configure(kyiv_daily={"schedule": "every 1h"})
    deployment.env["UA"] = "newsdedup-test (${CONTACT})"
    assert deployment.cli("check-config").returncode == 0
    result = deployment.cli("run-due")
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert [(run.source, run.status) for run in deployment.runs()] == [("kyiv-daily", "success")]


def test_run_due_skips_a_source_another_process_is_crawling(deployment: Deployment) -> None:
    deployment.configure(kyiv_daily={"schedule": "every 1h"}, steppe_wire={"schedule": "every 1h"})
    config = load_config(deployment.config_path, environ={})
    db = Database(config.database.url)
    try:
        from newsdedup.storage.migrate import ensure_schema

        ensure_schema(db)
        # This test process holds kyiv-daily's lock, as a manual crawl would.
        leases = acquire_all(db, config, [config.source("kyiv-daily")], trigger=None)
        with holding(db, config, leases):
            busy = deployment.cli("run-due")
            assert busy.returncode == 0, busy.stderr[-3000:]
            assert "kyiv-daily: skipped, being crawled by another process" in busy.stdout
            assert f"being crawled by pid {os.getpid()}" in busy.stderr
            assert [run.source for run in deployment.runs()] == ["steppe-wire"]
        after = deployment.cli("run-due")
        assert after.returncode == 0, after.stderr[-3000:]
        assert sorted(run.source for run in deployment.runs()) == ["kyiv-daily", "steppe-wire"]
    finally:
        db.dispose()


def test_a_run_over_its_time_limit_is_recorded_as_timeout_and_makes_the_source_unhealthy(
        deployment: Deployment) -> None:
    deployment.daemon["unhealthy_after_failures"] = 1
    deployment.configure(kyiv_daily={"schedule": "every 1h", "max_run_minutes": 0.03,
                                     "download_delay": 0.8, "per_host_concurrency": 1},
                         steppe_wire={"schedule": "every 1h"})
    result = deployment.cli("run-due")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "runs failed: kyiv-daily" in result.stderr
    statuses = {run.source: run for run in deployment.runs()}
    assert statuses["kyiv-daily"].status == "timeout"
    assert "max_run_minutes" in (statuses["kyiv-daily"].error or "")
    assert statuses["steppe-wire"].status == "success"

    status = deployment.cli("status", "--format", "json")
    assert status.returncode == 1
    report = {obj["source"]: obj for obj in map(json.loads, status.stdout.splitlines())}
    assert report["kyiv-daily"]["health"] == "unhealthy"
    assert report["kyiv-daily"]["consecutive_failures"] == 1
    assert report["kyiv-daily"]["last_failure"]["status"] == "timeout"
    assert report["steppe-wire"]["health"] == "ok"
    assert report["steppe-wire"]["articles_24h"] > 0
    assert "unhealthy sources: kyiv-daily" in status.stderr

    table = deployment.cli("sources")
    assert table.returncode == 0, table.stderr
    header, *rows = table.stdout.splitlines()
    assert header.split()[:3] == ["SOURCE", "ENABLED", "SCHEDULE"]
    kyiv = next(row for row in rows if row.startswith("kyiv-daily"))
    assert "timeout" in kyiv and kyiv.rstrip().endswith("unhealthy")
