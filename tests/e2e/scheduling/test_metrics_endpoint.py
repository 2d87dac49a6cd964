"""Prometheus metrics: the daemon's endpoint scraped while it runs two sources of the fixture
web, and run-due's textfile; the counters must say what ``newsdedup runs`` says."""

from __future__ import annotations

import json
import re
import urllib.request
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sched_helpers import FAST_SOURCES, Deployment, stop, wait_until

pytestmark = pytest.mark.slow

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def parse(text: str) -> Samples:
    samples: Samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def total(samples: Samples, name: str, **labels: str) -> float:
    """The sum of ``name`` over the samples whose labels include ``labels``."""
    return sum(value for (sample, have), value in samples.items()
               if sample == name and set(labels.items()) <= set(have))


def runs_jsonl(deployment: Deployment) -> list[dict[str, Any]]:
    done = deployment.cli("runs", "--format", "jsonl", "--limit", "1000")
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def mismatches(samples: Samples, runs: list[dict[str, Any]]) -> list[str]:
    """How the counters differ from the runs ``newsdedup runs`` lists (empty: they agree)."""
    wrong = []
    by_status = Counter((run["source"], run["status"]) for run in runs)
    for (source, status), count in by_status.items():
        got = total(samples, "newsdedup_runs_total", source=source, status=status)
        if got != count:
            wrong.append(f"runs {source} {status}: {got} != {count}")
    for source in {run["source"] for run in runs}:
        mine = [run for run in runs if run["source"] == source]
        expected = {
            ("newsdedup_articles_total", "new"): sum(run["articles_new"] for run in mine),
            ("newsdedup_articles_total", "updated"): sum(run["articles_updated"] for run in mine),
        }
        for (name, change), count in expected.items():
            got = total(samples, name, source=source, change=change)
            if got != count:
                wrong.append(f"{name} {source} {change}: {got} != {count}")
        rejected = total(samples, "newsdedup_rejections_total", source=source) - total(
            samples, "newsdedup_rejections_total", source=source, reason="failed")
        if rejected != sum(run["rejected"] for run in mine):
            wrong.append(f"rejections {source}: {rejected} != {sum(r['rejected'] for r in mine)}")
    return wrong


def test_daemon_metrics_match_the_runs_it_made(any_deployment: Deployment) -> None:
    deployment = any_deployment
    deployment.daemon["metrics"] = "127.0.0.1:0"
    deployment.configure(**{name: {"schedule": "every 1h"} for name in FAST_SOURCES})
    daemon = deployment.start("--log-format", "json", "daemon", name="daemon")
    try:
        def announced() -> str | None:
            assert daemon.poll() is None, deployment.output("daemon")[1][-3000:]
            found = re.search(r"^metrics: (http://\S+)$", deployment.output("daemon")[0], re.M)
            return found.group(1) if found else None

        url = wait_until(announced, timeout=60, what="the metrics address")

        def scrape() -> Samples:
            with urllib.request.urlopen(url, timeout=10) as response:
                assert response.status == 200
                return parse(response.read().decode("utf-8"))

        def both_ran() -> bool:
            assert daemon.poll() is None, deployment.output("daemon")[1][-3000:]
            done = [run for run in deployment.runs() if run.finished_at is not None]
            return {run.source for run in done} == set(FAST_SOURCES)

        wait_until(both_ran, timeout=150, what="a finished run of each source")
        # The daemon counts a run once its child has exited and the run is read back.
        state: dict[str, Any] = {}

        def agree() -> bool:
            state["runs"] = runs_jsonl(deployment)
            state["samples"] = scrape()
            state["wrong"] = mismatches(state["samples"], state["runs"])
            return not state["wrong"]

        wait_until(agree, timeout=30, what="the counters to match `newsdedup runs`",
                   context=lambda: "\n".join(state.get("wrong", [])))
        samples, runs = state["samples"], state["runs"]
        assert {run["source"] for run in runs} == set(FAST_SOURCES)
        assert all(run["status"] == "success" for run in runs)
        for name in FAST_SOURCES:
            mine = [run for run in runs if run["source"] == name]
            assert total(samples, "newsdedup_runs_total", source=name, status="success") == len(mine)
            assert total(samples, "newsdedup_pages_fetched_total", source=name, outcome="ok") > 0
            assert total(samples, "newsdedup_dedup_batches_total", source=name) >= 1
            assert total(samples, "newsdedup_run_seconds_total", source=name) > 0
            last = total(samples, "newsdedup_last_success_timestamp_seconds", source=name)
            latest = max(run["started_at"] for run in mine)
            assert abs(last - datetime.fromisoformat(latest).timestamp()) < 1
            assert total(samples, "newsdedup_consecutive_failures", source=name) == 0
            assert total(samples, "newsdedup_pending_pages", source=name) == 0
        assert total(samples, "newsdedup_database_up") == 1
        # The fixture web's bad pages show up as rejections by reason.
        assert total(samples, "newsdedup_rejections_total", reason="http_error") >= 1
        assert stop(daemon, timeout=deployment.daemon["grace_period_seconds"] + 15) == 0
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.wait()
    # --log-format json: one object per line, each naming its event; the lines a run logs
    # between its start and its end carry its source and run id.
    lines = [json.loads(line) for line in deployment.output("daemon")[1].splitlines()]
    assert all("event" in line and "message" in line for line in lines)
    ids = {run["id"]: run["source"] for run in runs}
    inside = [line for line in lines if line["event"] not in ("run_start", "run_end")
              and line["logger"].startswith(("newsdedup.crawler", "newsdedup.pipeline", "newsdedup.storage"))]
    assert inside, "no log line from inside a run"
    assert all(ids.get(line.get("run_id")) == line.get("source") for line in inside), inside


def test_run_due_textfile_keeps_totals_across_calls(deployment: Deployment,
                                                    tmp_path: Path) -> None:
    deployment.daemon["log_format"] = "json"  # the config key, no --log-format
    deployment.configure(**{name: {"schedule": "every 1h"} for name in FAST_SOURCES})
    textfile = tmp_path / "collector" / "newsdedup.prom"
    first = deployment.cli("run-due", "--metrics-textfile", str(textfile))
    assert first.returncode == 0, first.stderr[-3000:]
    runs = runs_jsonl(deployment)
    assert len(runs) == len(FAST_SOURCES)
    logged = [json.loads(line) for line in first.stderr.splitlines()]
    ends = {(line["source"], line["run_id"]) for line in logged if line["event"] == "run_end"}
    assert ends == {(run["source"], run["id"]) for run in runs}
    samples = parse(textfile.read_text("utf-8"))
    assert mismatches(samples, runs) == []
    # Nothing is due the second time: the totals stay, the gauges are read again.
    second = deployment.cli("run-due", "--metrics-textfile", str(textfile))
    assert second.returncode == 0, second.stderr[-3000:]
    again = parse(textfile.read_text("utf-8"))
    assert runs_jsonl(deployment) == runs
    assert mismatches(again, runs) == []
    assert total(again, "newsdedup_runs_total") == len(FAST_SOURCES)
    assert total(again, "newsdedup_database_up") == 1
