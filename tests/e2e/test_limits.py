"""Inputs past the article limits (issue 11): cut, said so, and marked on what is stored."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from support import cli_env


def newsdedup(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = cli_env()
    return subprocess.run([sys.executable, "-m", "newsdedup", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def page(paragraphs: int) -> str:
    body = "".join(
        f"<p>Paragraph {i} of the council's transcript records a speaker who asked about "
        f"the tram timetable for district {i % 13} and got a long answer.</p>"
        for i in range(paragraphs)
    )
    # Dated, as news is: an undated page of short paragraphs with no article metadata
    # reads as a landing page to the page-kind rules.
    return ("<html><head><title>The whole council transcript</title>"
            '<meta property="article:published_time" content="2026-05-04T08:00:00Z"></head><body>'
            f"<article><h1>The whole council transcript</h1>{body}</article></body></html>")


def test_extract_says_when_a_page_is_cut_at_the_paragraph_limit(tmp_path: Path) -> None:
    # Issue 11: 100,000 paragraphs came out as the first 1,999 without a word.
    (tmp_path / "huge.html").write_text(page(100_000), encoding="utf-8")
    (tmp_path / "small.html").write_text(page(12), encoding="utf-8")
    result = newsdedup("extract", "huge.html", "small.html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    huge, small = (json.loads(line) for line in result.stdout.splitlines())
    assert huge["status"] == "article" and huge["truncated"] is True
    assert 1900 <= len(huge["paragraphs"]) <= 2000
    assert small["status"] == "article" and small["truncated"] is False
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1
    assert "huge.html" in warnings[0] and "2000 paragraphs" in warnings[0]
