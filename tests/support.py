"""What tests share besides fixtures: services and development data that must be there
under CI=true, the environment of a ``newsdedup`` child process, and the clock of a later
crawl, and a CPU-time hang guard. Import it as ``support`` (``tests/`` is on the test
path)."""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from types import ModuleType

import pytest

from newsdedup.storage.db import Database
from newsdedup.storage.frontier import backdate_url_state

REPO_ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

__all__ = ["IN_CI", "REPO_ROOT", "age_fetches", "cli_env", "cpu_hang_guard", "dev_data_dir", "load_bench",
           "require_service"]


def require_service(reason: str) -> None:
    """Skip on a laptop without the service; fail under CI=true, where it must exist."""
    if IN_CI:
        pytest.fail(f"{reason} (required when CI=true)")
    pytest.skip(reason)


def dev_data_dir(name: str, *markers: str) -> Path:
    """``../shared/data/<name>`` (or $NEWSDEDUP_DEV_DATA/<name>), holding ``markers``
    (files a set must have); skip where absent, fail under CI=true."""
    base = Path(os.environ.get("NEWSDEDUP_DEV_DATA", REPO_ROOT.parent / "shared" / "data"))
    path = base / name
    if not path.is_dir() or not all((path / marker).exists() for marker in markers):
        require_service(f"development data {path} is absent; the quality gates need it")
    return path


def cli_env(*, without: Iterable[str] = (), **extra: str) -> dict[str, str]:
    """The environment of a ``newsdedup`` child process: this one's, less every
    ``NEWSDEDUP_`` setting (a test sets its own) and the variables named in ``without``
    (any case, e.g. proxies), with the checkout on PYTHONPATH, then ``extra``."""
    dropped = {name.lower() for name in without}
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDEDUP_") and k.lower() not in dropped}
    env["PYTHONPATH"] = str(REPO_ROOT)
    env.update(extra)
    return env


def age_fetches(database_url: str, hours: float) -> None:
    """Move every stored fetch ``hours`` into the past: the clock of a later crawl."""
    with Database(database_url) as db, db.session() as session:
        backdate_url_state(session, timedelta(hours=hours))


@contextmanager
def cpu_hang_guard(seconds: float, what: str) -> Iterator[None]:
    """Fail when the block spends more than ``seconds`` of this thread's CPU time: a guard
    against runaway work (a loop that never ends, a quadratic blow-up), never a speed
    check; set ``seconds`` an order of magnitude over the worst case measured. CPU time,
    unlike wall time, does not grow when other processes load the machine."""
    started = time.thread_time()
    try:
        yield
    finally:  # a block that ends in an exception is held to the bound too
        used = time.thread_time() - started
        if used >= seconds:
            raise AssertionError(f"{what} used {used:.1f} s of CPU (hang guard {seconds:g} s)")


def load_bench(name: str, module_name: str | None = None) -> ModuleType:
    """The benchmark script ``bench/<name>.py`` as a module (``bench/`` is no package),
    registered in ``sys.modules`` under ``module_name`` (default ``name``)."""
    spec = importlib.util.spec_from_file_location(module_name or name, REPO_ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
