"""The wheel: one top-level package, ``newsdedup``, with its data files and no test fixture."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.slow
def test_the_wheel_installs_one_namespace_with_its_data_and_no_fixture(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", str(REPO_ROOT),
                    "-w", str(tmp_path)], check=True, capture_output=True, timeout=300)
    (wheel,) = tmp_path.glob("newsdedup-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert top == {"newsdedup"}
    for layer in ("core", "storage", "pipeline", "crawler", "app"):
        assert f"newsdedup/{layer}/__init__.py" in names
    assert not [name for name in names if "newsweb" in name or name.startswith("tests/")]
    assert "newsdedup/storage/migrations/script.py.mako" in names
    assert sum(name.startswith("newsdedup/storage/migrations/versions/0") for name in names) >= 8
    assert "newsdedup/app/report/templates/report.html.j2" in names
    assert "newsdedup/demo_site/index.json" in names
    assert sum(name.startswith("newsdedup/demo_site/") for name in names) > 20
    entry_points = zipfile.ZipFile(wheel).read(
        next(name for name in names if name.endswith("entry_points.txt"))).decode()
    assert "newsdedup = newsdedup.app.cli:main" in entry_points
