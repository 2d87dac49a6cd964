"""One crawl per source across processes: manual crawls beside the daemon, and crashes."""

from __future__ import annotations

import os
import re
import signal
import subprocess
from collections.abc import Iterator

import pytest
from sched_helpers import REPO_ROOT, Deployment, stop, wait_until

from newsdedup.core.records import utcnow
from newsdedup.storage.locks import LockHolder
from newsweb import NewsWeb

pytestmark = pytest.mark.slow

#: A crawl slowed down so that a test can act while it runs (about 25 s for this outlet).
SLOW = {"download_delay": 1.0, "per_host_concurrency": 1}
SOURCE = "kyiv-daily"


@pytest.fixture(scope="module")
def reference_articles(news_web: NewsWeb, tmp_path_factory: pytest.TempPathFactory,
                       ) -> Iterator[list[str]]:
    """The articles an uninterrupted crawl of SOURCE stores."""
    workdir = tmp_path_factory.mktemp("reference")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDEDUP_")}
    env.update(http_proxy=news_web.proxy_url, no_proxy="",
               PYTHONPATH=os.pathsep.join([str(REPO_ROOT), *filter(None, [env.get("PYTHONPATH")])]))
    news_web.site.reset()
    deployment = Deployment(news_web, workdir, f"sqlite:///{workdir / 'ref.db'}", env)
    deployment.configure(kyiv_daily={})
    result = deployment.cli("crawl", "--source", SOURCE)
    assert result.returncode == 0, result.stderr[-3000:]
    articles = deployment.articles(SOURCE)
    deployment.close()
    news_web.site.reset()
    assert articles
    yield articles


def first_pages(deployment: Deployment, crawl: subprocess.Popen[str]) -> None:
    """Wait until the running ``crawl`` has stored pages of SOURCE (fail if it ended)."""
    def stored() -> bool:
        if crawl.poll() is not None:
            pytest.fail(f"the crawl ended (exit {crawl.returncode}) before it stored pages:\n"
                        + "\n".join(path.read_text()[-3000:]
                                    for path in deployment.workdir.glob("*.err")))
        return deployment.pages(SOURCE) > 0

    wait_until(stored, timeout=120, what="the crawl to store its first pages")


def held_by_other(deployment: Deployment, source: str) -> LockHolder | None:
    holder = deployment.lock_holder(source)
    return holder if holder is not None and holder.pid != os.getpid() else None


def test_a_manual_crawl_is_refused_or_waits_while_the_daemon_crawls_the_source(
        deployment: Deployment) -> None:
    deployment.configure(kyiv_daily={"schedule": "every 1h", **SLOW},
                         steppe_wire={"schedule": "every 1h", "enabled": False})
    daemon = deployment.start("daemon", name="daemon")
    waiting: subprocess.Popen[str] | None = None
    try:
        holder = wait_until(lambda: held_by_other(deployment, SOURCE), timeout=60,
                            what="the daemon's run to take the lock")
        waiting_since = utcnow()
        waiting = deployment.start("crawl", "--source", SOURCE, "--wait", name="waiting")
        refused = deployment.cli("crawl", "--source", SOURCE)
        assert refused.returncode == 3, refused.stderr
        assert re.fullmatch(rf"newsdedup: error: source {SOURCE} is being crawled by pid "
                            rf"{holder.pid} since \d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00\n",
                            refused.stderr), refused.stderr
        # Another source is not blocked by it.
        other = deployment.cli("crawl", "--source", "steppe-wire")
        assert other.returncode == 0, other.stderr[-3000:]
        assert waiting.wait(timeout=180) == 0, deployment.output("waiting")[1][-3000:]
        assert stop(daemon, timeout=60) == 0
    finally:
        for process in (daemon, waiting):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()
    runs = deployment.runs(SOURCE)
    assert [(run.trigger, run.status) for run in runs] == [("schedule", "success"),
                                                           ("manual", "success")]
    scheduled, manual = runs
    assert scheduled.finished_at is not None
    assert waiting_since < scheduled.finished_at, "the daemon's run ended before the test waited"
    assert manual.started_at >= scheduled.finished_at
    assert [(run.trigger, run.status) for run in deployment.runs("steppe-wire")] == [
        ("manual", "success")]


def test_sigkill_of_a_daemon_run_is_recovered_by_the_next_run(
        deployment: Deployment, reference_articles: list[str]) -> None:
    deployment.configure(kyiv_daily={"schedule": "every 2s", **SLOW})
    daemon = deployment.start("daemon", name="daemon")
    try:
        holder = wait_until(lambda: held_by_other(deployment, SOURCE), timeout=60,
                            what="the daemon's run to take the lock")
        wait_until(lambda: deployment.pages(SOURCE) > 0, timeout=120,
                   what="the run to store its first pages",
                   context=lambda: deployment.output("daemon")[1][-3000:])
        os.kill(holder.pid, signal.SIGKILL)
        wait_until(lambda: any(run.status == "success" for run in deployment.runs(SOURCE)),
                   timeout=120, what="a later run to succeed")
        assert stop(daemon, timeout=60) == 0
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.wait()
    runs = deployment.runs(SOURCE)
    killed = runs[0]
    assert killed.pid == holder.pid
    assert killed.status == "failed"
    assert killed.error is not None and "killed by SIGKILL" in killed.error
    assert runs[1].started_at >= (killed.finished_at or killed.started_at)
    assert deployment.articles(SOURCE) == reference_articles  # complete, each once
    assert deployment.pending_pages() == 0


def test_sigkill_of_a_manual_crawl_leaves_a_lock_the_next_crawl_takes_over(
        deployment: Deployment, reference_articles: list[str]) -> None:
    deployment.configure(kyiv_daily=SLOW)
    crawl = deployment.start("crawl", "--source", SOURCE, name="killed")
    try:
        first_pages(deployment, crawl)
    finally:
        crawl.kill()
        crawl.wait()  # reaped: its pid is dead, not a zombie
    assert deployment.lock_holder(SOURCE) is not None  # left behind by the crash
    deployment.sources[SOURCE] = {}  # full speed for the recovery
    deployment.write_config()
    again = deployment.cli("crawl", "--source", SOURCE)
    assert again.returncode == 0, again.stderr[-3000:]
    runs = deployment.runs(SOURCE)
    assert [run.status for run in runs] == ["abandoned", "success"]
    assert runs[0].error is not None and f"process {crawl.pid}" in runs[0].error
    assert deployment.lock_holder(SOURCE) is None
    assert deployment.articles(SOURCE) == reference_articles
    assert deployment.pending_pages() == 0


def test_sigterm_of_a_manual_crawl_records_it_interrupted_and_releases_the_lock(
        deployment: Deployment) -> None:
    deployment.configure(kyiv_daily=SLOW)
    crawl = deployment.start("crawl", "--source", SOURCE, name="stopped")
    try:
        first_pages(deployment, crawl)
        crawl.send_signal(signal.SIGTERM)
        code = crawl.wait(timeout=60)
    finally:
        if crawl.poll() is None:
            crawl.kill()
            crawl.wait()
    assert code == 128 + signal.SIGTERM
    assert "stopped by" in deployment.output("stopped")[1]
    runs = deployment.runs(SOURCE)
    assert [run.status for run in runs] == ["interrupted"]
    assert deployment.lock_holder(SOURCE) is None
    pages_before = deployment.pages(SOURCE)
    assert pages_before > 0
    again = deployment.cli("crawl", "--source", SOURCE, timeout=180)
    assert again.returncode == 0, again.stderr[-3000:]
    assert deployment.pending_pages() == 0


def test_a_plain_crawl_crawls_the_free_sources_and_exits_3_naming_the_locked_one(
        deployment: Deployment) -> None:
    from newsdedup.app.leases import acquire_all, holding
    from newsdedup.core.config import load_config
    from newsdedup.storage.db import Database
    from newsdedup.storage.migrate import ensure_schema

    deployment.configure(kyiv_daily={}, steppe_wire={})
    config = load_config(deployment.config_path, environ={})
    db = Database(config.database.url)
    try:
        ensure_schema(db)
        # This test process holds kyiv-daily's lock, as another crawl would.
        leases = acquire_all(db, config, [config.source(SOURCE)], trigger=None)
        with holding(db, config, leases):
            busy = deployment.cli("crawl")
            assert busy.returncode == 3, busy.stderr[-3000:]
            assert f"newsdedup: error: source {SOURCE} is being crawled by pid {os.getpid()}" \
                in busy.stderr
            assert f"newsdedup: skipped (being crawled elsewhere): {SOURCE}" in busy.stderr
            assert "steppe-wire: run " in busy.stdout and SOURCE not in busy.stdout
            assert [(run.source, run.status) for run in deployment.runs()] == [
                ("steppe-wire", "success")]
        after = deployment.cli("crawl")
        assert after.returncode == 0, after.stderr[-3000:]
        assert sorted(run.source for run in deployment.runs(SOURCE)) == [SOURCE]
    finally:
        db.dispose()
