"""``newsdedup demo``: the packaged static web, crawled end to end, and kept equal to the
fixture generator it was taken from."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest
from support import cli_env

from newsdedup.app.demo import DemoWeb
from newsweb.demo_snapshot import snapshot_files


def _newsdedup(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = cli_env()
    return subprocess.run([sys.executable, "-m", "newsdedup", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_demo_crawls_the_packaged_web_and_finds_its_syndicated_stories(tmp_path: Path) -> None:
    done = _newsdedup("demo", "--folder", "demo", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Syndicated stories (2):" in done.stdout
    exported = _newsdedup("--config", "demo/config.yaml", "export", "-o", "all.jsonl",
                          cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    records = [json.loads(line) for line in
               (tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()]
    web = DemoWeb()
    assert len(records) == 15
    assert all(web.pages[r["url"]]["status"] == 200 for r in records)
    copies = [r for r in records if not r["is_canonical"]]
    assert {r["source"] for r in copies} == {"menafeed"}
    assert len(copies) == 2
    # The 403 page that carries a story is rejected, not stored.
    assert "http_error" in done.stdout


def test_the_demo_web_answers_like_a_web(tmp_path: Path) -> None:
    web = DemoWeb()
    robots = [url for url in web.pages if url.endswith("/robots.txt")]
    assert robots
    status, headers, body = web.answer(robots[0])
    assert status == 200 and body
    status, headers, body = web.answer("http://kyiv-daily.test/no/such/page")
    assert status == 404
    assert ("Content-Type", "text/html; charset=utf-8") in headers


@pytest.mark.slow
def test_the_packaged_demo_web_is_the_fixture_generators_snapshot() -> None:
    """Regenerate with ``PYTHONPATH=tests python -m newsweb.demo_snapshot newsdedup/demo_site``."""
    root = files("newsdedup") / "demo_site"
    expected = snapshot_files()
    shipped = {name: (root / name).read_bytes() for name in expected}
    assert shipped.keys() == expected.keys()
    stale = sorted(name for name in expected if shipped[name] != expected[name])
    assert not stale, f"demo_site is out of date: {stale[:5]}"
