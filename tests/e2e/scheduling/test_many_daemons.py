"""Three daemons on one Postgres, one killed with SIGKILL mid-run, against the fixture web.

Three daemons share one config and one database. One is killed, with its crawl
children (what losing its host does), while one of its runs holds a source;
the others take over its leases once its heartbeat is stale and its page claims once they
lapse. Afterwards the export holds every article once, grouped into the same clusters
with the same canonicals as a single ``newsdedup crawl`` of the same web.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from sched_helpers import TEST_DAEMON, Deployment, wait_until

from newsweb import NewsWeb

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

SOAK_SECONDS = 120
CLAIM_SECONDS = 10


def _export(deployment: Deployment) -> list[dict[str, Any]]:
    done = deployment.cli("export", timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def _shape(records: list[dict[str, Any]]) -> tuple[set[frozenset[str]], dict[frozenset[str], str]]:
    """Clusters as sets of URLs (ids differ between databases), and each one's canonical."""
    members: dict[Any, set[str]] = {}
    for record in records:
        members.setdefault(record["cluster_id"] or f"alone-{record['id']}", set()).add(record["url"])
    by_url = {record["url"]: record for record in records}
    canonicals = {}
    for urls in members.values():
        key = frozenset(urls)
        chosen = [url for url in urls if by_url[url]["is_canonical"]]
        canonicals[key] = ",".join(sorted(chosen))
    return {frozenset(urls) for urls in members.values()}, canonicals


def _write(deployment: Deployment) -> None:
    deployment.write_config()
    mapping = yaml.safe_load(deployment.config_path.read_text("utf-8"))
    mapping["process"] = {"claim_seconds": CLAIM_SECONDS}
    deployment.config_path.write_text(yaml.safe_dump(mapping, allow_unicode=True), "utf-8")


@pytest.fixture
def deployments(fresh_news_web: NewsWeb, tmp_path: Path, postgres_url: str,
                module_postgres_url: str, deployment_env: dict[str, str]
                ) -> Iterator[tuple[Deployment, Deployment]]:
    shared = Deployment(fresh_news_web, tmp_path / "shared", postgres_url, deployment_env,
                        daemon=dict(TEST_DAEMON, max_parallel_runs=2))
    single = Deployment(fresh_news_web, tmp_path / "single", module_postgres_url, deployment_env)
    for deployment in (shared, single):
        deployment.workdir.mkdir()
        deployment.sources = {name: {"schedule": "every 15s"} for name in fresh_news_web.site.outlets}
        _write(deployment)
    try:
        yield shared, single
    finally:
        shared.close()
        single.close()


def _start_daemon(deployment: Deployment, name: str) -> subprocess.Popen[str]:
    with (deployment.workdir / f"{name}.out").open("w") as out, \
            (deployment.workdir / f"{name}.err").open("w") as err:
        return subprocess.Popen(deployment.command("daemon"), env=deployment.env,
                                cwd=deployment.workdir, text=True, stdout=out, stderr=err)


def _parent_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def _family(pid: int) -> list[int]:
    """``pid`` and its descendants (its crawl children run in sessions of their own)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            parent = _parent_of(int(entry.name))
            if parent is not None:
                children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def test_three_daemons_share_one_postgres_and_survive_a_killed_one(
        deployments: tuple[Deployment, Deployment]) -> None:
    shared, single = deployments
    outlets = list(shared.sources)
    started = time.monotonic()
    daemons = [_start_daemon(shared, f"daemon{i}") for i in range(3)]
    try:
        # Kill the daemon (with its children) whose run holds a source right now.
        def victim() -> subprocess.Popen[str] | None:
            for outlet in outlets:
                holder = shared.lock_holder(outlet)
                parent = _parent_of(holder.pid) if holder is not None else None
                for daemon in daemons:
                    if parent == daemon.pid:
                        return daemon
            return None

        killed = wait_until(victim, timeout=90, interval=0.05, what="a daemon's run holding a source")
        for pid in _family(killed.pid):  # the daemon first: it must not see its children die
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        killed.wait(timeout=30)
        killed_at = time.monotonic()
        survivors = [daemon for daemon in daemons if daemon is not killed]

        # Every source runs again after its lease went stale and the claims lapsed,
        # and nothing stays pending.
        def finished() -> bool:
            for daemon in survivors:
                assert daemon.poll() is None, shared.output(f"daemon{daemons.index(daemon)}")[1][-3000:]
            settled = time.monotonic() - killed_at > TEST_DAEMON["stale_lock_seconds"] + CLAIM_SECONDS
            done = settled and all(
                any(run.status == "success" and run.finished_at is not None
                    for run in shared.runs(outlet)[-2:])
                for outlet in outlets
            )
            return done and shared.pending_pages() == 0 and time.monotonic() - started > SOAK_SECONDS

        wait_until(finished, timeout=SOAK_SECONDS + 180, interval=1,
                   what="every source run again by the other daemons with nothing pending")
        for daemon in survivors:
            daemon.send_signal(signal.SIGTERM)
        for daemon in survivors:
            assert daemon.wait(timeout=TEST_DAEMON["grace_period_seconds"] + 30) == 0
    finally:
        for daemon in daemons:
            if daemon.poll() is None:
                for pid in _family(daemon.pid):
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                daemon.wait()
    assert shared.pending_pages() == 0
    pids = {run.pid for outlet in outlets for run in shared.runs(outlet)}
    assert len(pids) > 2, "the runs were not shared between the daemons"

    reference = single.cli("crawl", timeout=300)
    assert reference.returncode == 0, reference.stderr[-3000:]
    many, one = _export(shared), _export(single)
    urls = [record["url"] for record in many]
    assert len(urls) == len(set(urls)), "an article was stored twice"
    assert sorted(urls) == sorted(record["url"] for record in one)
    clusters, canonicals = _shape(many)
    expected_clusters, expected_canonicals = _shape(one)
    assert clusters == expected_clusters
    assert canonicals == expected_canonicals
