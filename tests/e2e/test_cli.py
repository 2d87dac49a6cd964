"""The CLI in subprocesses: one-line errors with their exit codes, and the commands that
need no web (export output handling, extract, import)."""

from __future__ import annotations

import gzip
import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from support import cli_env


def newsdedup(*args: str, cwd: Path, env: dict[str, str] | None = None,
              stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    base = cli_env()
    return subprocess.run([sys.executable, "-m", "newsdedup", *args], cwd=cwd,
                          env={**base, **(env or {})}, input=stdin, capture_output=True,
                          text=True, timeout=120)


def write_config(folder: Path, text: str) -> Path:
    path = folder / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """
database:
  url: sqlite:///news.db
sources:
  - name: good
    feeds: [https://good.example/feed.xml]
"""


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        pytest.param(GOOD.replace("feeds:", "feedz:"), "sources[0].feedz: unknown key", id="unknown-key"),
        pytest.param(GOOD + '    schedule: "61 * * * *"\n',
                     "sources[0].schedule: invalid cron expression '61 * * * *'", id="bad-cron"),
        pytest.param(GOOD + "    article_url_pattern: '('\n",
                     "sources[0].article_url_pattern: invalid regular expression '('", id="bad-regex"),
        pytest.param(GOOD + "  - name: good\n    feeds: [https://x.example/f]\n",
                     "sources[1].name: duplicate source name 'good'", id="duplicate"),
        pytest.param(GOOD.replace("https://good", "ftp://good"),
                     "sources[0].feeds[0]: not an http(s) URL", id="non-http"),
        pytest.param(GOOD.replace("url: sqlite", "url: [sqlite"), "YAML syntax error", id="yaml"),
        pytest.param(GOOD + '    schedule: "0 0 31 2 *"\n',
                     "sources[0].schedule: cron expression '0 0 31 2 *' never fires",
                     id="never-fires"),
        pytest.param("crawl:\n  timeout: soon\n", "crawl.timeout: expected a number, got 'soon'",
                     id="wrong-type"),
    ],
)
def test_bad_config_is_one_line_per_problem_exit_2_and_nothing_written(
        tmp_path: Path, config: str, expected: str) -> None:
    write_config(tmp_path, config)
    for command in (["check-config"], ["crawl"], ["export"]):
        done = newsdedup(*command, cwd=tmp_path)
        assert done.returncode == 2, done.stderr
        lines = done.stderr.strip().splitlines()
        assert all(line.startswith("newsdedup: error: ") for line in lines), done.stderr
        assert any(expected in line for line in lines), done.stderr
        assert done.stdout == ""
    assert not (tmp_path / "news.db").exists()


def test_missing_config_file_names_it(tmp_path: Path) -> None:
    done = newsdedup("crawl", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "newsdedup: error: config.yaml: config file not found (pass --config PATH or set "
        "NEWSDEDUP_CONFIG)"
    )
    done = newsdedup("export", cwd=tmp_path, env={"NEWSDEDUP_CONFIG": str(tmp_path / "x.yaml")})
    assert done.returncode == 2 and "x.yaml: config file not found" in done.stderr


def test_config_option_after_the_command_and_env_overrides(tmp_path: Path) -> None:
    config = write_config(tmp_path, GOOD)
    other = tmp_path / "elsewhere"
    other.mkdir()
    done = newsdedup("check-config", "--config", str(config), cwd=other)
    assert done.returncode == 0, done.stderr
    assert "config OK: 1 sources" in done.stdout
    done = newsdedup("db", "upgrade", cwd=tmp_path,
                     env={"NEWSDEDUP_DATABASE_URL": f"sqlite:///{tmp_path / 'other.db'}"})
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "other.db").exists() and not (tmp_path / "news.db").exists()


def test_unreachable_database_is_one_line_exit_1(tmp_path: Path) -> None:
    write_config(tmp_path, GOOD)
    done = newsdedup("export", cwd=tmp_path, env={
        "NEWSDEDUP_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2"})
    assert done.returncode == 1
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("newsdedup: error: database postgresql+psycopg://nobody@127.0.0.1:9/none")


def test_unknown_source_and_bad_since_are_usage_errors(tmp_path: Path) -> None:
    write_config(tmp_path, GOOD)
    done = newsdedup("crawl", "--source", "nope", cwd=tmp_path)
    assert done.returncode == 2
    assert "--source nope: no such source in the config (known: good)" in done.stderr
    done = newsdedup("export", "--since", "last tuesday", cwd=tmp_path)
    assert done.returncode == 2 and "--since 'last tuesday': not an ISO 8601" in done.stderr


def test_export_to_a_file_is_atomic_and_a_fifo_stays_a_fifo(tmp_path: Path) -> None:
    write_config(tmp_path, GOOD)
    target = tmp_path / "out" / "articles.jsonl"
    done = newsdedup("export", "-o", str(target), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert target.read_text() == ""  # an empty database exports nothing
    assert [p.name for p in target.parent.iterdir()] == ["articles.jsonl"]  # no temp file left

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    done = newsdedup("export", "--format", "csv", "-o", str(fifo), cwd=tmp_path)
    reader.join(timeout=60)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert received and received[0].startswith("id,source,url,canonical_url,title")


ARTICLE_HTML = """<!doctype html><html lang="en"><head><title>Swap agreed | Wire</title>
<meta property="og:title" content="Ukraine and Russia agree a new prisoner swap">
<link rel="canonical" href="https://wire.example/news/swap-agreed">
<meta property="article:published_time" content="2025-06-07T18:17:00+03:00"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Ukraine and Russia agree a new prisoner swap</h1>
<p class="byline">By Daria Shulzhenko</p>
{paragraphs}
<div class="share">Share on Facebook Share on X</div></article>
<footer>© Wire 2025. All rights reserved.</footer></body></html>"""


def article_html(n: int = 6) -> str:
    body = "\n".join(
        f"<p>Paragraph {i} of the report says the delegations met in Istanbul and agreed on "
        f"lists of prisoners, with detail number {i} about the families waiting at home.</p>"
        for i in range(n)
    )
    return ARTICLE_HTML.format(paragraphs=body)


def test_extract_files_and_stdin_in_order(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(article_html(), encoding="utf-8")
    zipped = tmp_path / "page2.html.gz"
    zipped.write_bytes(gzip.compress(b"<html><body><p>Page not found</p></body></html>"))
    stdin = "\n".join([
        json.dumps({"id": "inline", "html": article_html(3), "url": "https://wire.example/a"}),
        json.dumps({"id": "missing", "path": str(tmp_path / "nope.html")}),
    ])
    done = newsdedup("extract", "--url", "https://wire.example/news/swap-agreed", str(page),
                     str(zipped), "-", cwd=tmp_path, stdin=stdin)
    assert done.returncode == 1  # one input was unreadable
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["id"] for r in records] == [str(page), str(zipped), "inline", "missing"]
    first = records[0]
    assert first["status"] == "article"
    assert first["title"] == "Ukraine and Russia agree a new prisoner swap"
    assert first["canonical_url"] == "https://wire.example/news/swap-agreed"
    assert first["authors"] == ["Daria Shulzhenko"]
    assert first["published_at"] == "2025-06-07T15:17:00+00:00"
    assert first["paragraphs"][0].startswith("Paragraph 0 of the report")
    assert first["text"] == "\n\n".join(first["paragraphs"])
    assert not any("Share on" in p or "All rights" in p for p in first["paragraphs"])
    assert records[1]["status"] == "rejected"
    assert records[2]["status"] == "article"
    assert records[3]["status"] == "error" and "nope.html" in records[3]["detail"]
    assert "nope.html" in done.stderr



def test_extract_names_a_stdin_line_nested_too_deeply_and_goes_on(tmp_path: Path) -> None:
    """A line of arrays nested 100,000 deep raised RecursionError and ended the run with a
    traceback; it is one input in error, and the next line is still read."""
    stdin = "\n".join([
        "[" * 100_000 + "]" * 100_000,
        json.dumps({"id": "inline", "html": article_html(3), "url": "https://wire.example/a"}),
    ])
    done = newsdedup("extract", "-", cwd=tmp_path, stdin=stdin)
    assert done.returncode == 1
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["status"] for r in records] == ["error", "article"]
    assert "stdin:1: not a JSON object: nested too deeply" in done.stderr
    assert "Traceback" not in done.stderr

def test_extract_counts_3_hours_ago_back_from_when_the_page_was_saved_or_fetched(tmp_path: Path) -> None:
    # No date declared; the line under the headline says how long ago.
    undated = article_html().replace(
        '<meta property="article:published_time" content="2025-06-07T18:17:00+03:00">', ""
    ).replace('<p class="byline">By Daria Shulzhenko</p>', '<p class="byline">By Daria Shulzhenko · 3 hours ago</p>')
    page = tmp_path / "saved.html"
    page.write_text(undated, encoding="utf-8")
    saved = 1_749_300_000  # 2025-06-07 12:40 UTC
    os.utime(page, (saved, saved))
    stdin = "\n".join([
        json.dumps({"id": "given", "html": undated, "fetched_at": "2025-06-08T09:00:00Z"}),
        json.dumps({"id": "bad", "html": undated, "fetched_at": "last tuesday"}),
    ])
    done = newsdedup("extract", str(page), "-", cwd=tmp_path, stdin=stdin)
    records = {r["id"]: r for r in map(json.loads, done.stdout.splitlines())}
    assert records[str(page)]["published_at"] == "2025-06-07T09:40:00+00:00"
    assert records[str(page)]["published_from"] == "text"
    assert records["given"]["published_at"] == "2025-06-08T06:00:00+00:00"
    assert records["bad"]["status"] == "error"
    assert "stdin:2: fetched_at: not a date: 'last tuesday'" in done.stderr
    assert done.returncode == 1


def test_import_legacy_text_dump(tmp_path: Path) -> None:
    write_config(tmp_path, GOOD)
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    lead = ("Medinsky said Russia proposed a new exchange of at least 1,200 prisoners from "
            "each side after the talks in Istanbul, and that lists were being prepared.")
    rest = [
        "Ukraine's coordination headquarters said it had not received the lists and called "
        "the statement an attempt to shift the blame for the delay.",
        "Families of captured soldiers gathered outside the headquarters in Kyiv on Thursday, "
        "holding photographs and asking for news of their relatives.",
        "The last exchange, in May, returned about 1,000 prisoners to each side and was the "
        "largest of the war so far.",
        "Turkish mediators have offered to host a further round of talks, according to a "
        "diplomat familiar with the preparations.",
        "Neither side has said when the bodies of fallen soldiers will be handed over.",
    ]
    (dumps / "a.txt").write_text(
        " date 2025-08-07 403\n" + "\n".join([lead, *rest, *rest[:2], lead[:60]]) + "\n",
        encoding="utf-8")
    done = newsdedup("import", str(dumps), "--source", "legacy", cwd=tmp_path)
    assert done.returncode == 2  # not in the config: a typo must not make a source
    assert done.stderr.strip().splitlines()[-1] == (
        "newsdedup: error: --source legacy: no such source in the config or the database "
        "(known: good); give --create-sources to add it")
    done = newsdedup("import", str(dumps), "--source", "legacy", "--create-sources", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "imported 1 documents from 1 files" in done.stdout
    exported = [json.loads(line) for line in newsdedup("export", cwd=tmp_path).stdout.splitlines()]
    (article,) = exported
    assert article["source"] == "legacy"
    assert article["text"].split("\n\n") == [lead, *rest]  # repeats and the clipped copy gone
    runs = newsdedup("runs", "--format", "jsonl", cwd=tmp_path).stdout.splitlines()
    assert json.loads(runs[0])["trigger"] == "import"


IMPORT_BODY = ("The council approved the new budget on Tuesday after a long debate about the "
               "cost of repairing the bridge and the schools of the eastern district.")


def test_import_refuses_an_unknown_source_or_a_url_that_is_not_one_with_the_line(
        tmp_path: Path) -> None:
    write_config(tmp_path, GOOD)
    lines = [
        {"text": IMPORT_BODY, "source": "good", "url": "https://good.example/a"},
        {"text": IMPORT_BODY + " Second.", "source": "no-such-source"},
    ]
    dump = tmp_path / "dump.jsonl"
    dump.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    done = newsdedup("import", str(dump), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == (
        f"newsdedup: error: {dump}:2: unknown source 'no-such-source' (known: good); "
        "give --create-sources to add it")
    # The line before it was stored; no source was made for the refused one.
    assert newsdedup("export", "--source", "no-such-source", cwd=tmp_path).returncode == 2
    stored = [json.loads(x) for x in newsdedup("export", cwd=tmp_path).stdout.splitlines()]
    assert [a["url"] for a in stored] == ["https://good.example/a"]

    lines[1] = {"text": IMPORT_BODY + " Third.", "source": "good", "url": "not a url"}
    dump.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    done = newsdedup("import", str(dump), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == (
        f"newsdedup: error: {dump}:2: 'url' is not an http(s) URL: 'not a url'")

    lines[1] = {"text": IMPORT_BODY + " Fourth.", "source": "brand-new"}
    dump.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    done = newsdedup("import", str(dump), "--create-sources", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "brand-new: 1" in done.stdout
    # A source known only to the database (not in the config) is exported by name.
    done = newsdedup("export", "--source", "brand-new", cwd=tmp_path)
    assert done.returncode == 0 and len(done.stdout.splitlines()) == 1


def test_export_and_runs_of_an_unknown_source_exit_2_like_the_other_commands(
        tmp_path: Path) -> None:
    write_config(tmp_path, GOOD)
    for command in (["export"], ["runs"], ["crawl"], ["process"]):
        done = newsdedup(*command, "--source", "nope", cwd=tmp_path)
        assert done.returncode == 2, (command, done.stderr)
        line = done.stderr.strip().splitlines()[-1]
        assert line.startswith("newsdedup: error: --source nope: no such source"), line
        assert done.stdout == ""
    for command in (["export"], ["runs"]):
        assert newsdedup(*command, "--source", "good", cwd=tmp_path).returncode == 0


def test_a_source_named_twice_is_crawled_once(tmp_path: Path) -> None:
    """Its second lock waited for its first, held by the same process: `--wait` hung for
    ever, and without it the crawl said the source was being crawled by itself (exit 3)."""
    write_config(tmp_path, GOOD)
    unreachable = {**cli_env(), "http_proxy": "http://127.0.0.1:9"}
    done = subprocess.run(
        [sys.executable, "-m", "newsdedup", "crawl", "--source", "good", "--source", "good",
         "--wait"], cwd=tmp_path, env=unreachable, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr[-2000:]  # the run itself fails: no network
    assert "being crawled" not in done.stderr
    assert done.stdout.startswith("good: run 1 failed")
    process = newsdedup("process", "--source", "good", "--source", "good", cwd=tmp_path)
    assert process.returncode == 0, process.stderr[-2000:]
    runs = newsdedup("runs", "--format", "jsonl", cwd=tmp_path)
    assert [json.loads(line)["trigger"] for line in runs.stdout.splitlines()] == ["manual"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(["export", "--after-change", "99999999999999999999"],
                     "newsdedup: error: --after-change '99999999999999999999': larger than any "
                     "change id (at most 9223372036854775807)", id="change-id"),
        pytest.param(["export", "--since", "0001-01-01T00:00:00+05:00"],
                     "newsdedup: error: --since '0001-01-01T00:00:00+05:00': out of range once "
                     "converted to UTC (years 1 to 9999)", id="since-before-year-1"),
        pytest.param(["export", "--since", "9999-12-31T23:59:59-05:00"],
                     "newsdedup: error: --since '9999-12-31T23:59:59-05:00': out of range once "
                     "converted to UTC (years 1 to 9999)", id="since-after-9999"),
        pytest.param(["report", "-o", "r.html", "--since", "0001-01-01T00:00:00+05:00"],
                     "newsdedup: error: --since '0001-01-01T00:00:00+05:00': give a span such as "
                     "7d, 24h, 30m or 2w, an ISO 8601 date (2025-06-01), or 'all'",
                     id="report-since-before-year-1"),
    ],
)
def test_a_number_or_date_out_of_range_is_a_one_line_usage_error(
        tmp_path: Path, args: list[str], expected: str) -> None:
    """They were tracebacks (OverflowError from SQLite or from datetime)."""
    write_config(tmp_path, GOOD)
    done = newsdedup(*args, cwd=tmp_path)
    assert (done.returncode, done.stderr.strip(), done.stdout) == (2, expected, "")


def test_a_huge_runs_limit_or_report_span_means_everything(tmp_path: Path) -> None:
    write_config(tmp_path, GOOD)
    assert newsdedup("crawl", cwd=tmp_path, env={"http_proxy": "http://127.0.0.1:9"}
                     ).returncode == 1  # a failed run to list
    done = newsdedup("runs", "--limit", "99999999999999999999", "--format", "jsonl", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert [json.loads(line)["status"] for line in done.stdout.splitlines()] == ["failed"]
    done = newsdedup("report", "-o", "r.html", "--since", "1000000d", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "r.html").is_file()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(b"<html><body><p>plain</p></body></html>", "not gzip data", id="plain-html"),
        pytest.param(gzip.compress(b"<html><body>" + b"<p>x</p>" * 200)[:40],
                     "gzip data cut short", id="truncated"),
        pytest.param(gzip.compress(b" " * (65 * 1024 * 1024)), "larger than 67108864 bytes",
                     id="gzip-bomb"),
    ],
)
def test_extract_says_what_is_wrong_with_a_gz_file(tmp_path: Path, content: bytes,
                                                   expected: str) -> None:
    page = tmp_path / "page.html.gz"
    page.write_bytes(content)
    done = newsdedup("extract", str(page), cwd=tmp_path)
    assert done.returncode == 1
    (record,) = [json.loads(line) for line in done.stdout.splitlines()]
    assert record["status"] == "error"
    assert record["detail"].startswith(f"{page}: {expected}"), record["detail"]
    assert "None" not in record["detail"]
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_export_to_a_new_file_respects_the_umask(tmp_path: Path, umask: int, mode: int) -> None:
    write_config(tmp_path, GOOD)
    target = tmp_path / "out.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "newsdedup", "export", "-o", str(target)], cwd=tmp_path,
        env=cli_env(), capture_output=True, text=True, timeout=120,
        preexec_fn=lambda: os.umask(umask))
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(target.stat().st_mode) == mode


def test_export_over_an_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    write_config(tmp_path, GOOD)
    target = tmp_path / "out.csv"
    target.write_text("old\n")
    target.chmod(0o640)
    done = newsdedup("export", "--format", "csv", "-o", str(target), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_text().startswith("id,source,")


@pytest.mark.parametrize("damage", ["garbage", "overwritten-pages"])
def test_a_file_that_is_not_a_sound_sqlite_database_is_one_line_exit_1(
        tmp_path: Path, damage: str) -> None:
    write_config(tmp_path, GOOD)
    database = tmp_path / "news.db"
    if damage == "garbage":
        database.write_bytes(b"this is a text file, not a database\n" * 200)
    else:
        assert newsdedup("export", cwd=tmp_path).returncode == 0  # creates the schema
        for leftover in tmp_path.glob("news.db-*"):
            leftover.unlink()
        data = bytearray(database.read_bytes())
        data[100:len(data)] = b"\xa5" * (len(data) - 100)  # keep the header, wreck the pages
        database.write_bytes(bytes(data))
    for command in (["export"], ["status"], ["runs"], ["crawl"]):
        done = newsdedup(*command, cwd=tmp_path)
        assert done.returncode == 1, (command, done.stderr)
        (line,) = done.stderr.strip().splitlines()
        assert line.startswith(f"newsdedup: error: database sqlite:///{database}: "), line
        assert done.stdout == ""


def test_a_postgres_that_accepts_connections_but_never_answers_times_out_in_one_line(
        tmp_path: Path) -> None:
    write_config(tmp_path, GOOD)
    import socket

    # The kernel completes the TCP handshake for a listening socket nobody accepts on:
    # the client's start-up message is never answered.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        url = f"postgresql+psycopg://nobody@127.0.0.1:{port}/none"
        done = newsdedup("export", cwd=tmp_path, env={"NEWSDEDUP_DATABASE_URL": url})
        assert done.returncode == 1
        (line,) = done.stderr.strip().splitlines()
        assert line.startswith(f"newsdedup: error: database {url}: "), line
        assert "connect_timeout, default 10 s" in line
        # The URL's own connect_timeout wins over the default.
        done = newsdedup("status", cwd=tmp_path,
                         env={"NEWSDEDUP_DATABASE_URL": url + "?connect_timeout=1"})
        assert done.returncode == 1
        assert "timeout expired" in done.stderr
