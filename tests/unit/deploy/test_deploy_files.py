"""The deployment examples in deploy/ are valid: the systemd unit and the crontab line."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newsdedup.core.schedules import parse_schedule

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
VENV_BIN = "/opt/newsdedup/venv/bin/"


def unit_text() -> str:
    return (DEPLOY / "newsdedup.service").read_text(encoding="utf-8")


def unit_settings() -> dict[str, list[str]]:
    settings: dict[str, list[str]] = {}
    for line in unit_text().splitlines():
        if line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            settings.setdefault(key, []).append(value)
    return settings


def newsdedup_args(command: str) -> list[str]:
    """The arguments after the newsdedup executable in a shell command line."""
    words = shlex.split(command.split("&&")[-1].split(">>")[0])
    assert words[0].endswith("/newsdedup"), command
    return words[1:]


def assert_cli_accepts(args: list[str]) -> None:
    """The real CLI parses the command line (global options, command name): ``--help``
    appended shows the command's help instead of running it."""
    result = subprocess.run([sys.executable, "-m", "newsdedup", *args, "--help"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert f"Usage: newsdedup {args[-1]}" in result.stdout.replace("python -m ", "")


def test_systemd_unit_verifies(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed; the parser test below still runs")
    # verify needs the executables to exist: point them at this interpreter's newsdedup.
    local = str(Path(sys.executable).parent) + "/"
    unit = tmp_path / "newsdedup.service"
    unit.write_text(unit_text().replace(VENV_BIN, local), encoding="utf-8")
    result = subprocess.run([analyze, "verify", str(unit)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr


def test_systemd_unit_runs_the_daemon_and_leaves_it_the_grace_period() -> None:
    settings = unit_settings()
    assert newsdedup_args(settings["ExecStart"][0])[-1] == "daemon"
    assert_cli_accepts(newsdedup_args(settings["ExecStart"][0]))
    assert_cli_accepts(newsdedup_args(settings["ExecStartPre"][0]))
    assert settings["KillMode"] == ["mixed"]  # SIGTERM to the daemon only
    assert settings["ExecReload"] == ["/bin/kill -HUP $MAINPID"]
    from newsdedup.core.config import DaemonConfig

    assert int(settings["TimeoutStopSec"][0]) > DaemonConfig().grace_period_seconds


def test_crontab_line_is_valid_and_runs_run_due() -> None:
    jobs = []
    for line in (DEPLOY / "crontab").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        head = line.split(None, 1)[0]
        if "=" in head and not head[0].isdigit() and head[0] != "*":
            name = head.partition("=")[0]
            assert name.isidentifier(), line
            continue
        fields = line.split(None, 5)
        assert len(fields) == 6, f"a cron job needs 5 time fields and a command: {line!r}"
        parse_schedule(" ".join(fields[:5]))  # raises ValueError on a bad field
        jobs.append(fields[5])
    assert len(jobs) == 1
    args = newsdedup_args(jobs[0])
    assert args[-1] == "run-due"
    assert_cli_accepts(args)
