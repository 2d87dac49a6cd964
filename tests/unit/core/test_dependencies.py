"""Declared dependencies match what the code imports: none dead, none undeclared."""

from __future__ import annotations

import ast
import configparser
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
OUR_PACKAGES = ("newsdedup", "crawler", "pipeline", "storage")
# Declared but loaded by others at run time, never imported by name in our code.
LOADED_BY_OTHERS = {
    "lxml-html-clean": "trafilatura's jusText imports lxml.html.clean, a package of its own since lxml 5.2",
    "psycopg": "SQLAlchemy loads the driver a postgresql+psycopg:// URL names",
}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> set[str]:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    lines = config["options"]["install_requires"].splitlines()
    return {
        _normal(re.split(r"[\[<>=!~ ;]", line.strip(), maxsplit=1)[0])
        for line in lines
        if line.strip() and not line.strip().startswith("#")
    }


def imported_modules() -> set[str]:
    modules: set[str] = set()
    for package in OUR_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    modules.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    modules.add(node.module.split(".")[0])
    return {m for m in modules if m not in sys.stdlib_module_names and m not in OUR_PACKAGES}


def test_every_imported_package_is_declared() -> None:
    distributions = packages_distributions()
    missing = {
        module: distributions.get(module, [module])
        for module in imported_modules()
        if not {_normal(d) for d in distributions.get(module, [module])} & declared()
    }
    assert not missing, f"imported but not in install_requires: {missing}"


def test_every_declared_package_is_imported_or_says_who_loads_it() -> None:
    distributions = packages_distributions()
    used = {_normal(d) for module in imported_modules() for d in distributions.get(module, [module])}
    dead = declared() - used - set(LOADED_BY_OTHERS)
    assert not dead, f"declared in install_requires but never imported: {sorted(dead)}"
    assert set(LOADED_BY_OTHERS) <= declared()
