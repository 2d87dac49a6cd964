"""Config files as users write them: any text, any YAML, the shipped config with any key
set to anything. Loading gives a Config or a ConfigError of one-line problems, never
another exception; ``check-config`` exits 0 or 2 with no traceback."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from support import cpu_hang_guard

from newsdedup.app.cli import main
from newsdedup.core.config import Config, config_from_mapping, load_config
from newsdedup.core.errors import ConfigError

# A hang guard on CPU time, not a performance assertion (hypothesis' wall-clock deadline,
# 200 ms by default, failed on a loaded machine): ~10x the worst example measured (0.19 s).
HANG_GUARD_CPU_SECONDS = 2.0

REPO_ROOT = Path(__file__).resolve().parents[3]
SHIPPED: dict[str, Any] = yaml.safe_load((REPO_ROOT / "config.yaml").read_text(encoding="utf-8"))

#: Keys of every section and of a source, and a few that do not exist.
KEYS = sorted({key for section in SHIPPED.values() if isinstance(section, dict) for key in section}
              | {key for source in SHIPPED["sources"] for key in source}
              | set(SHIPPED) | {"bogus", "", "0", "schedule"})
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["0 0 31 2 *", "0 0 30 2 *", "61 * * * *", "every 0m", "every 5m",
                     "* * * * *", "${NOPE}", "${HOME}", "${X:-1}", "https://e.org/f",
                     "ftp://e.org", "sqlite:///x.db", "mysql://u@h/db", "(", "div[[", "en",
                     "Europe/Kyiv", "Mars/Olympus", "1e309", "-0", "yes", "~"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(KEYS), inner, max_size=5)),
    max_leaves=20,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


SHIPPED_PATHS = _paths(SHIPPED)


@st.composite
def mutated_shipped(draw: st.DrawFn) -> Any:
    """The shipped config with up to four keys set to arbitrary values (or removed)."""
    data = copy.deepcopy(SHIPPED)
    for path in draw(st.lists(st.sampled_from(SHIPPED_PATHS), max_size=4)):
        node = data
        for part in path[:-1]:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                break
        else:
            if isinstance(node, dict | list):
                try:
                    if draw(st.booleans()) and isinstance(node, dict):
                        node.pop(path[-1], None)
                    else:
                        node[path[-1]] = draw(VALUES)
                except (IndexError, TypeError):
                    pass
    return data


def assert_loads_or_reports(data: Any) -> Config | None:
    try:
        with cpu_hang_guard(HANG_GUARD_CPU_SECONDS, "loading the config"):
            return config_from_mapping(data, environ={"HOME": "/root"})
    except ConfigError as exc:
        assert exc.problems, "a ConfigError must say what is wrong"
        for line in exc.problems:
            assert line.strip() and "\n" not in line, exc.problems
            assert "Traceback" not in line
        return None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_shipped())
def test_the_shipped_config_with_any_keys_changed_loads_or_is_reported(data: Any) -> None:
    assert_loads_or_reports(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VALUES)
@example({"dedup": {"bands": 100, "rows": 2, "threshold": 5}})
@example({"sources": [{"name": None, "feeds": None}]})
@example({"sources": {"name": "x"}})
@example({"sources": [1, "a", None]})
def test_any_yaml_value_loads_or_is_reported(data: Any) -> None:
    assert_loads_or_reports(data)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(max_size=300), VALUES.map(lambda v: yaml.safe_dump(v)),
                 mutated_shipped().map(lambda v: yaml.safe_dump(v, allow_unicode=True))))
@example("key: [unclosed")
@example("a: 1\na: 2\n")
@example("\ufeffdatabase: {url: 'sqlite:///x.db'}")
@example("!!python/object:os.system ['true']")
@example("&a [*a]")
def test_any_config_file_gives_a_config_or_one_line_problems_and_exit_2(
        tmp_path: Path, text: str) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        load_config(path, environ={})
    except ConfigError as exc:
        assert all(line.strip() and "\n" not in line for line in exc.problems), exc.problems
    result = CliRunner().invoke(main, ["--config", str(path), "check-config"])
    assert result.exit_code in (0, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        repr(result.exception))
    assert "Traceback" not in result.output
