"""Shared fixtures: databases (SQLite files and Postgres schemas), options, dev data."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from support import require_service

from newsdedup.storage.db import Database
from newsdedup.storage.migrate import upgrade
from newsweb import NewsWeb, build_test_site

REPO_ROOT = Path(__file__).resolve().parents[1]
# No test asserts speed on the wall clock: hypothesis' deadline (200 ms an example by
# default) fails on a loaded machine. Where a test guards against a hang, it bounds CPU
# time with ``support.cpu_hang_guard``.
settings.register_profile("newsdedup", deadline=None)
settings.load_profile("newsdedup")

POSTGRES_URL = os.environ.get(
    "NEWSDEDUP_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the golden files from the current output (review the diff!)",
    )


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The URL of a reachable Postgres server (the tests' own schemas are made in it)."""
    try:
        engine = create_engine(POSTGRES_URL)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # any driver or network failure means "not here"
        require_service(f"PostgreSQL at {make_url(POSTGRES_URL).render_as_string()} unreachable: {exc}")
    return POSTGRES_URL


def _schema_url(server: str) -> Iterator[str]:
    """A URL whose connections live in a fresh, empty schema, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(server).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh Postgres schema for one test."""
    yield from _schema_url(postgres_server)


@pytest.fixture(scope="module")
def module_postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh Postgres schema shared by the tests of one module."""
    yield from _schema_url(postgres_server)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'newsdedup.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """Each test using this runs twice: on a SQLite file and on a Postgres schema."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def module_database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Like ``database_url`` for a module's tests that share one database: a SQLite file,
    then a Postgres schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'newsdedup.db'}"
    return str(request.getfixturevalue("module_postgres_url"))


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """An upgraded, empty database on each backend."""
    database = Database(database_url)
    upgrade(database)
    try:
        yield database
    finally:
        database.dispose()


@pytest.fixture(scope="session")
def news_web() -> Iterator[NewsWeb]:
    """The fixture news web (``build_test_site()``) behind a proxy on 127.0.0.1, for the
    whole session. Prefer ``fresh_news_web``, which also resets its log and state."""
    with NewsWeb(build_test_site()) as web:
        yield web


@pytest.fixture
def fresh_news_web(news_web: NewsWeb) -> Iterator[NewsWeb]:
    """``news_web`` with an empty request log and the site as built (first revisions,
    the flaky page failing again); fails the test if a page handler of the web crashed."""
    news_web.reset_log()
    news_web.site.reset()
    news_web.errors.clear()
    yield news_web
    assert not news_web.errors, "the fixture news web failed:\n" + "\n".join(news_web.errors)


@pytest.fixture
def news_web_env(fresh_news_web: NewsWeb) -> dict[str, str]:
    """Environment for a subprocess that must reach the news web: ``http_proxy`` set,
    ``no_proxy`` and other proxy variables cleared."""
    proxy_names = {"http_proxy", "https_proxy", "all_proxy", "no_proxy"}
    env = {k: v for k, v in os.environ.items() if k.lower() not in proxy_names}
    env.update(http_proxy=fresh_news_web.proxy_url, HTTP_PROXY=fresh_news_web.proxy_url)
    return env
