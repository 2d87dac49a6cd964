"""What tests share besides fixtures: services and development data that must be there
under CI=true. Import it as ``support`` (``tests/`` is on the test path)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

__all__ = ["IN_CI", "REPO_ROOT", "dev_data_dir", "require_service"]


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
