"""The supervisor records what a child could not, even across a database outage."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from newsdedup.app.daemon.supervise import Outbox, RunContext, run_in_child, write_config_snapshot
from newsdedup.core.config import config_from_mapping
from newsdedup.core.records import utcnow
from newsdedup.storage.db import Database
from newsdedup.storage.health import source_histories
from newsdedup.storage.runs import finish_run, list_runs, start_run
from newsdedup.storage.sources import ensure_sources

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere?connect_timeout=2"


def config_for(database_url: str):  # type: ignore[no-untyped-def]
    return config_from_mapping(
        {"database": {"url": database_url},
         "sources": [{"name": "alpha", "feeds": ["http://alpha.test/feed.xml"]}]},
        environ={},
    )


@pytest.mark.slow
def test_a_child_failing_before_its_run_is_recorded_with_its_error(db: Database,
                                                                   tmp_path: Path) -> None:
    config = config_for(db.url.render_as_string(hide_password=False))
    broken = tmp_path / "broken.yaml"
    broken.write_text("sources: [unclosed\n", encoding="utf-8")
    ctx = RunContext(config, broken, db)
    outcome = run_in_child(ctx, config.sources[0], trigger="schedule", outbox=Outbox())
    assert outcome.status == "failed"
    assert outcome.exit_code == 2
    assert outcome.error is not None and "YAML syntax error" in outcome.error
    with db.reader() as session:
        (run,) = list_runs(session)
        history = source_histories(session, ["alpha"], now=utcnow())["alpha"]
    assert (run.source, run.trigger, run.status) == ("alpha", "schedule", "failed")
    assert run.error is not None and "exited with code 2" in run.error
    assert history.consecutive_failures == 1


def test_records_wait_for_an_unreachable_database(db: Database) -> None:
    failed_at = datetime(2026, 3, 2, 12, tzinfo=UTC)

    def write(session: Session) -> None:
        source_id = ensure_sources(session, ["alpha"])["alpha"]
        run_id = start_run(session, source_id=source_id, trigger="schedule", now=failed_at)
        finish_run(session, run_id, status="failed", now=failed_at, error="database gone")

    outbox = Outbox()
    with Database(UNREACHABLE) as down:
        outbox.write(down, source="alpha", failed_at=failed_at, description="database gone",
                     write=write)
        assert len(outbox) == 1
        assert outbox.failures("alpha") == (1, failed_at)
        assert outbox.failures("beta") == (0, None)
    outbox.flush(db)
    assert len(outbox) == 0
    with db.reader() as session:
        assert [(run.status, run.error) for run in list_runs(session)] == [
            ("failed", "database gone")]


def test_the_config_snapshot_is_private_and_loads_back(tmp_path: Path) -> None:
    from newsdedup.core.config import load_config

    config = config_for(f"sqlite:///{tmp_path / 'x.db'}")
    path = write_config_snapshot(config, tmp_path / "snapshots")
    assert path.stat().st_mode & 0o077 == 0
    assert load_config(path, environ={}) == config
    assert write_config_snapshot(config, tmp_path / "snapshots") != path


def test_a_relative_sqlite_path_stays_where_it_was(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from newsdedup.core.config import load_config

    monkeypatch.chdir(tmp_path)
    path = write_config_snapshot(config_for("sqlite:///data/x.db"), tmp_path / "snapshots")
    assert load_config(path, environ={}).database.url == f"sqlite:///{tmp_path}/data/x.db"
