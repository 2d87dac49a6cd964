"""Bytes per stored article on SQLite and Postgres, with revisions (issue 12).

Usage:
    python bench/storage_size.py [--data DIR] [--database-url URL] [--revised N] [--corpus import|crawl|both]

The corpus: ``dev.jsonl`` of dedup-dev imported through ``import_paths`` (the ``newsdedup
import`` path: store, paragraph stage, syndication stage), each record under a stable
URL of its own (the data set has none, and a URL made from the text would change with
it). Then two more imports of the same records, the first with every ``N``-th record
(default 2) edited (a closing paragraph added, one word of the first changed), the
second with every ``2N``-th edited again: new revisions of the same articles, as a
crawler's revisits store them. So half the articles have two revisions, a quarter three.

Printed per engine: articles, revisions, paragraphs; the database's size and bytes per
article; the share of the tables holding text (``articles``, ``article_revisions``,
``paragraphs``). SQLite: file size after VACUUM (tables from ``dbstat`` when the library
has it). Postgres (a fresh schema at ``--database-url``, dropped after): the sum of
``pg_total_relation_size`` over the schema's tables after VACUUM FULL.

``--corpus crawl`` (or ``both``, the default) measures a second corpus the same way: the fixture news web
(``newsweb.build_test_site``) crawled with ``newsdedup crawl``, then twice more after
each article that has one published its next revision and the stored fetches were
moved two hours back (past the first revisit step): fetched pages (compressed HTML)
included, as a crawler stores them.

Run it at two commits side by side to compare (it uses only the import path and SQL).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import yaml
from sqlalchemy import create_engine, text

from newsdedup.core.config import Config
from newsdedup.pipeline.imports import import_paths
from newsdedup.storage.db import Database
from newsdedup.storage.frontier import backdate_url_state
from newsdedup.storage.migrate import upgrade

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dedup import fresh_postgres  # the sibling benchmark's helper

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO / ".." / "shared" / "data" / "dedup-dev"
TEXT_TABLES = ("articles", "article_revisions", "paragraphs")
#: Tables whose size is printed: those holding text, and the fetched pages.
SIZE_TABLES = (*TEXT_TABLES, "pages")
_EDIT_WORDS = ("revised", "updated", "amended", "corrected")


def corpus(source: Path, folder: Path, every: int) -> list[Path]:
    """Three JSONL files to import one after the other: the records under stable URLs,
    then with every ``every``-th edited, then every ``2 * every``-th edited again."""
    rows = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    base = [
        {"url": f"https://bench.example/{row['id']}",
         "source": row.get("source") or "bench", "title": row.get("title"), "text": row["text"]}
        for row in rows
    ]
    paths = []
    for step in range(3):
        records = [dict(record) for record in base]
        for number, record in enumerate(records):
            for edit in range(step):
                if number % (every * (edit + 1)) == 0:
                    record["text"] = _edited(record["text"], edit)
        path = folder / f"pass{step}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        paths.append(path)
    return paths


def _edited(body: str, edit: int) -> str:
    """The body with its first word replaced and a closing paragraph added."""
    first, _, rest = body.partition(" ")
    word = _EDIT_WORDS[edit % len(_EDIT_WORDS)]
    return f"{word.capitalize()} {rest or first}\n\nThis article was {word} after publication (edit {edit + 1})."


def build(url: str, paths: list[Path]) -> None:
    db = Database(url)
    try:
        upgrade(db)
        for path in paths:
            import_paths(Config(), db, [path], source=None, fmt="jsonl")
    finally:
        db.dispose()


def crawl(url: str, workdir: Path) -> None:
    """The fixture web crawled into ``url``, then revisited twice with new revisions."""
    sys.path.insert(0, str(REPO / "tests"))
    import newsdedup
    from newsweb import NewsWeb, build_test_site

    site = build_test_site(crawl_delay=None)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("NEWSDEDUP_") and k.lower() not in ("http_proxy", "no_proxy")}
    env.update(PYTHONPATH=str(Path(newsdedup.__file__).resolve().parent.parent),
               NEWSDEDUP_DATABASE_URL=url)
    mapping = site.config_mapping(url, timeout=3, retries=1)
    (workdir / "config.yaml").write_text(yaml.safe_dump(mapping, allow_unicode=True), "utf-8")
    with NewsWeb(site) as web:
        env["http_proxy"] = web.proxy_url
        for step in range(3):
            if step:
                for truth in site.expected_articles():
                    with contextlib.suppress(ValueError):
                        site.update_article(truth.url)
                with Database(url) as db, db.session() as session:
                    backdate_url_state(session, timedelta(hours=2))  # the clock of a later crawl
            done = subprocess.run([sys.executable, "-m", "newsdedup", "crawl"], cwd=workdir, env=env,
                                  capture_output=True, text=True)
            if done.returncode != 0:
                sys.exit(f"crawl failed ({done.returncode}):\n{done.stderr[-3000:]}")


def counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {table: int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
                    for table in TEXT_TABLES}
    finally:
        engine.dispose()


def sqlite_sizes(path: Path) -> tuple[int, dict[str, int]]:
    """File size after VACUUM, and bytes per text table (with its indexes) from dbstat."""
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        connection.execute("VACUUM")
        tables: dict[str, int] = {}
        try:
            for table in SIZE_TABLES:
                tables[table] = int(connection.execute(
                    "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = ? OR name IN "
                    "(SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?)",
                    (table, table)).fetchone()[0])
        except sqlite3.OperationalError:  # no dbstat in this SQLite
            tables = {}
    finally:
        connection.close()
    return path.stat().st_size, tables


def postgres_sizes(url: str) -> tuple[int, dict[str, int]]:
    """Summed pg_total_relation_size of the schema's tables after VACUUM FULL, and per text table."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            names = connection.execute(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")).scalars().all()
            for name in names:  # only this schema's: a database-wide one deadlocks with another run's
                connection.execute(text(f'VACUUM FULL "{name}"'))
            rows = connection.execute(text(
                "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind = 'r'")).all()
    finally:
        engine.dispose()
    sizes = {name: int(size) for name, size in rows}
    return sum(sizes.values()), {t: sizes.get(t, 0) for t in SIZE_TABLES}


def report(engine: str, total: int, tables: dict[str, int], rows: dict[str, int]) -> None:
    articles = rows["articles"]
    print(f"\n== {engine} ==")
    print(f"articles {articles}  revisions {rows['article_revisions']}  paragraphs {rows['paragraphs']}")
    print(f"database {total} bytes  =  {total / articles:,.0f} bytes per article")
    for table, size in tables.items():
        print(f"  {table:<18} {size:>12} bytes  {size / articles:>10,.0f} per article")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", help="the dedup-dev folder (default ../shared/data/dedup-dev)")
    parser.add_argument("--database-url", help="also measure on this Postgres server (a fresh schema)")
    parser.add_argument("--revised", type=int, default=2, help="edit every N-th record (default 2)")
    parser.add_argument("--corpus", choices=("import", "crawl", "both"), default="both",
                        help="the dedup-dev import, a crawl of the fixture web, or both (default)")
    args = parser.parse_args()
    env = os.environ.get("NEWSDEDUP_DEV_DATA")
    directory = Path(args.data) if args.data else (Path(env) / "dedup-dev" if env else DEFAULT_DATA)
    source = directory / "dev.jsonl"
    if not source.is_file():
        print(f"dedup-dev is absent: {source} not found (set NEWSDEDUP_DEV_DATA or --data)", file=sys.stderr)
        return 2
    import newsdedup

    print(f"code: {Path(newsdedup.__file__).resolve().parent.parent}")
    if args.corpus in ("import", "both"):
        measure_import(source, args.revised, args.database_url)
    if args.corpus in ("crawl", "both"):
        measure_crawl(args.database_url)
    return 0


def measure_import(source: Path, revised: int, server: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        paths = corpus(source, Path(tmp), revised)
        measure(lambda url: build(url, paths), Path(tmp) / "size.db", server, "")


def measure_crawl(server: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        measure(lambda url: crawl(url, Path(tmp)), Path(tmp) / "crawl.db", server,
                "crawl of the fixture web, ")


def measure(fill: Callable[[str], None], database: Path, server: str | None, corpus_name: str) -> None:
    """Fill the SQLite file ``database``, and a fresh schema of ``server`` when given,
    with ``fill(url)``; report the size of each."""
    fill(f"sqlite:///{database}")
    rows = counts(f"sqlite:///{database}")
    total, tables = sqlite_sizes(database)
    report(f"{corpus_name}SQLite (file size after VACUUM)", total, tables, rows)
    if server:
        url, drop = fresh_postgres(server, prefix="storage_bench")
        try:
            fill(url)
            rows = counts(url)
            total, tables = postgres_sizes(url)
        finally:
            drop()
        report(f"{corpus_name}Postgres (pg_total_relation_size of every table, after VACUUM FULL)",
               total, tables, rows)


if __name__ == "__main__":
    sys.exit(main())
