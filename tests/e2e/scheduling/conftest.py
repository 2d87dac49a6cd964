"""Fixtures of the scheduling tests (helpers live in ``sched_helpers``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sched_helpers import REPO_ROOT, Deployment

from newsweb import NewsWeb


@pytest.fixture
def deployment_env(news_web_env: dict[str, str]) -> dict[str, str]:
    env = {key: value for key, value in news_web_env.items()
           if not key.startswith("NEWSDEDUP_")}
    env["PYTHONPATH"] = os.pathsep.join(
        [str(REPO_ROOT), *filter(None, [env.get("PYTHONPATH")])])
    return env


def _deployment(fresh_news_web: NewsWeb, tmp_path: Path, database_url: str,
                env: dict[str, str]) -> Iterator[Deployment]:
    deployment = Deployment(fresh_news_web, tmp_path, database_url, env)
    try:
        yield deployment
    finally:
        deployment.close()


@pytest.fixture
def deployment(fresh_news_web: NewsWeb, tmp_path: Path, sqlite_url: str,
               deployment_env: dict[str, str]) -> Iterator[Deployment]:
    """A deployment on a SQLite file."""
    yield from _deployment(fresh_news_web, tmp_path, sqlite_url, deployment_env)


@pytest.fixture
def any_deployment(fresh_news_web: NewsWeb, tmp_path: Path, database_url: str,
                   deployment_env: dict[str, str]) -> Iterator[Deployment]:
    """A deployment on each backend (SQLite file, Postgres schema)."""
    yield from _deployment(fresh_news_web, tmp_path, database_url, deployment_env)
