"""Dumps as old scrapers left them: any bytes, any JSON, records with any field of any
type. Reading gives articles or a one-line UsageError naming the file (and line for
JSON lines); ``newsdedup import`` exits 0 or 2 with no traceback and what it stored
stays exportable."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsdedup.app.cli import main
from newsdedup.core.errors import UsageError
from newsdedup.pipeline.imports import read_jsonl, read_text

pytestmark = pytest.mark.slow

PROSE = ("The regional council met on Tuesday to discuss the repair of the old bridge, "
         "which has been closed to lorries since the spring floods damaged its supports.")

FIELD_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=60),
    st.lists(st.text(max_size=10), max_size=3), st.dictionaries(st.text(max_size=5),
                                                                st.integers(), max_size=2),
    st.sampled_from([PROSE, PROSE + "\n\n" + PROSE[::-1], "2025-06-01", "2025-13-45",
                     "https://good.example/a", "http://[::1", "not a url", "import://good/x",
                     "good", "no-such-source", "Bad Name", "\x00", "\ud800"[:0] + "\u2028"]),
)
RECORDS = st.dictionaries(
    st.sampled_from(["text", "url", "title", "published_at", "source", "extra"]),
    FIELD_VALUES, max_size=6)
LINES = st.one_of(
    RECORDS.map(lambda r: json.dumps(r, ensure_ascii=False)),
    st.text(max_size=80),
    FIELD_VALUES.map(json.dumps),
    st.just('{"text": "' + PROSE + '", "source": "good"'),
)
FILES = st.one_of(
    st.lists(LINES, max_size=8).map(lambda lines: "\n".join(lines).encode("utf-8", "surrogatepass")),
    st.binary(max_size=400),
)

SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])


def one_line(error: UsageError, path: Path) -> None:
    message = str(error)
    assert message.startswith(str(path)), message
    assert "\n" not in message and "Traceback" not in message


@SETTINGS
@given(FILES)
@example(b"\xff\xfe{}")
@example(b'{"text": "a"}\n\xe2\x28\xa1\n')
@example(b'[1, 2]\n{"text": 1}')
def test_reading_any_dump_gives_articles_or_one_line_naming_the_place(
        tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "dump.jsonl"
    path.write_bytes(content)
    try:
        for number, article in read_jsonl(path, "good"):
            assert number >= 1
            assert article is None or (article.paragraphs and article.source)
    except UsageError as exc:
        one_line(exc, path)
    text_path = tmp_path / "dump.txt"
    text_path.write_bytes(content)
    try:
        article = read_text(text_path, "good")
        assert article is None or article.paragraphs
    except UsageError as exc:
        one_line(exc, text_path)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "config.yaml").write_text(
        f"database:\n  url: sqlite:///{tmp_path / 'news.db'}\n"
        "sources:\n  - name: good\n    feeds: [https://good.example/feed.xml]\n",
        encoding="utf-8")
    return tmp_path


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(FILES, st.sampled_from(["jsonl", "text"]), st.booleans())
@example(b'{"text": "' + PROSE.encode() + b'", "url": "not a url"}', "jsonl", False)
@example(b'{"text": "' + PROSE.encode() + b'", "source": "no-such-source"}', "jsonl", False)
def test_import_of_any_dump_exits_0_or_2_and_the_store_stays_readable(
        workdir: Path, content: bytes, fmt: str, create: bool) -> None:
    path = workdir / f"dump.{fmt}"
    path.write_bytes(content)
    config = ["--config", str(workdir / "config.yaml")]
    args = [*config, "import", str(path), "--source", "good", "--format", fmt]
    result = CliRunner().invoke(main, [*args, "--create-sources"] if create else args)
    assert result.exit_code in (0, 2), (result.exit_code, result.output, repr(result.exception))
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        repr(result.exception))
    if result.exit_code == 2:
        errors = [line for line in result.output.splitlines() if "error:" in line]
        assert errors and errors[-1].startswith(f"newsdedup: error: {path}"), result.output
    exported = CliRunner().invoke(main, [*config, "export"])
    assert exported.exit_code == 0, exported.output
    for line in exported.output.splitlines():
        record: dict[str, Any] = json.loads(line)
        # text may be empty: every paragraph of an article can turn out template or repeat
        # once the same lines recur across the dumps of one source.
        assert record["source"] and record["url"] and isinstance(record["text"], str)
