"""Config loading: every problem one line naming the key and value; overrides; defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdedup.core.config import Config, config_from_mapping, load_config
from newsdedup.core.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parents[3]

GOOD_SOURCE = {"name": "good", "feeds": ["https://example.org/feed.xml"]}


def problems_of(data: object, environ: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(ConfigError) as info:
        config_from_mapping(data, environ=environ or {})
    return list(info.value.problems)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(
            {"sources": [GOOD_SOURCE, GOOD_SOURCE, {**GOOD_SOURCE, "schedule": "61 * * * *"}]},
            "sources[2].schedule: invalid cron expression '61 * * * *'",
            id="bad-cron",
        ),
        pytest.param({"crawl": {"concurency": 3}}, "crawl.concurency: unknown key", id="unknown-key"),
        pytest.param(
            {"crawl": {"timeout": "soon"}}, "crawl.timeout: expected a number, got 'soon'",
            id="wrong-type",
        ),
        pytest.param(
            {"sources": [{**GOOD_SOURCE, "article_url_pattern": "/news/(\\d+"}]},
            "sources[0].article_url_pattern: invalid regular expression '/news/(\\\\d+'",
            id="bad-regex",
        ),
        pytest.param(
            {"sources": [GOOD_SOURCE, GOOD_SOURCE]},
            "sources[1].name: duplicate source name 'good' (also sources[0])",
            id="duplicate-name",
        ),
        pytest.param(
            {"sources": [{"name": "x", "feeds": ["ftp://example.org/feed"]}]},
            "sources[0].feeds[0]: not an http(s) URL 'ftp://example.org/feed'",
            id="non-http-url",
        ),
        # Each of these passed, and every fetch of its source failed or was never made (a
        # port out of range made the feed vanish and the run report success).
        pytest.param(
            {"sources": [{"name": "x", "feeds": ["https://example.org:99999/feed"]}]},
            "sources[0].feeds[0]: port out of range (0-65535) in 'https://example.org:99999/feed'",
            id="port-out-of-range",
        ),
        pytest.param(
            {"sources": [{"name": "x", "sitemaps": ["https://exa mple.org/sitemap.xml"]}]},
            "sources[0].sitemaps[0]: not a valid host name 'exa mple.org' in 'https://exa mple.org/sitemap.xml'",
            id="space-in-host",
        ),
        pytest.param(
            {"sources": [{"name": "x", "start_urls": ["https://news..example.org/"]}]},
            "sources[0].start_urls[0]: not a valid host name 'news..example.org' in 'https://news..example.org/'",
            id="empty-label",
        ),
        pytest.param(
            {"sources": [{"name": "x", "feeds": ["https://xn--zz.example/feed"]}]},
            "sources[0].feeds[0]: not a valid host name 'xn--zz.example' in 'https://xn--zz.example/feed'",
            id="broken-punycode",
        ),
        pytest.param(
            {"sources": [{"name": "Bad Name", "feeds": ["https://e.org/f"]}]},
            "sources[0].name: invalid source name 'Bad Name': use lower-case letters, digits and '-', "
            "at most 100 characters",
            id="bad-name",
        ),
        pytest.param(
            {"sources": [{"name": "n" * 101, "feeds": ["https://e.org/f"]}]},
            f"sources[0].name: invalid source name '{'n' * 101}'",
            id="long-name",
        ),
        pytest.param(
            {"sources": [{"name": "x"}]},
            "sources[0]: needs at least one of feeds, sitemaps or start_urls",
            id="no-entry-points",
        ),
        pytest.param(
            {"sources": [{**GOOD_SOURCE, "selectors": {"body": "div[["}}]},
            "sources[0].selectors.body: invalid CSS selector 'div[['",
            id="bad-css",
        ),
        pytest.param(
            {"sources": [{**GOOD_SOURCE, "selectors": {"remove": ["div", "p::before"]}}]},
            "sources[0].selectors.remove: invalid CSS selector 'p::before'",
            id="pseudo-element",
        ),
        pytest.param(
            {"database": {"url": "mysql://u@h/db"}},
            "database.url: unsupported database 'mysql'",
            id="unsupported-db",
        ),
        pytest.param(
            {"database": {"url": "sqlite:///${NO_SUCH_VAR}"}},
            "database.url: environment variable NO_SUCH_VAR is not set",
            id="missing-env",
        ),
        pytest.param(
            {"dedup": {"source_priority": ["nobody"]}, "sources": [GOOD_SOURCE]},
            "dedup.source_priority[0]: unknown source 'nobody'",
            id="unknown-priority-source",
        ),
        # Past any real setting, and past what a date or a database integer holds: these
        # passed and crashed `status` (an OverflowError) once a run had failed.
        pytest.param({"crawl": {"max_run_minutes": 1e308}},
                     "crawl.max_run_minutes: input should be less than or equal to 10080", id="huge-run-time"),
        pytest.param({"daemon": {"backoff_max_seconds": 1e308}},
                     "daemon.backoff_max_seconds: input should be less than or equal to", id="huge-backoff"),
        pytest.param({"daemon": {"dead_after_hours": 1e308}},
                     "daemon.dead_after_hours: input should be less than or equal to", id="huge-dead-after"),
        pytest.param({"crawl": {"max_pages_per_run": 10**30}},
                     "crawl.max_pages_per_run: input should be less than or equal to", id="huge-page-budget"),
        pytest.param({"sources": [{**GOOD_SOURCE, "max_age_days": 10**9}]},
                     "sources[0].max_age_days: input should be less than or equal to 36500", id="huge-age"),
        pytest.param(
            {"daemon": {"metrics": "127.0.0.1:²"}},
            "daemon.metrics: '127.0.0.1:²' is not HOST:PORT",
            id="superscript-port",
        ),
    ],
)
def test_each_problem_is_one_line_naming_key_and_value(data: object, expected: str) -> None:
    problems = problems_of(data)
    assert any(line.startswith(expected) for line in problems), problems
    assert all("\n" not in line for line in problems)



@pytest.mark.parametrize(
    "url",
    ["https://bücher.example/feed", "https://xn--bcher-kva.example/feed", "http://[::1]:8080/feed",
     "http://127.0.0.1:8080/feed", "https://news.example.org./rss", "https://my_host.example.org/rss",
     "https://user:secret@example.org:443/rss", "https://xn--strae-oqa.de/rss", "https://xn--mxac2c.gr/rss",
     "https://news.xn--p1ai/rss"],
)
def test_host_names_dns_can_be_asked_for_pass(url: str) -> None:
    config = config_from_mapping({"sources": [{"name": "x", "feeds": [url]}]})
    assert config.sources[0].feeds == (url,)

def test_all_problems_are_reported_at_once() -> None:
    problems = problems_of(
        {
            "crawl": {"concurrency": "many", "bogus": 1},
            "sources": [
                {"name": "a", "feeds": ["ftp://x"]},
                {"name": "a", "feeds": ["https://x.org/f"], "schedule": "every 0m"},
            ],
        }
    )
    keys = {line.split(":", 1)[0] for line in problems}
    assert {"crawl.concurrency", "crawl.bogus", "sources[0].feeds[0]", "sources[1].name",
            "sources[1].schedule"} <= keys


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param({"dedup": {"bands": 100, "rows": 2, "threshold": 5}},
                     "dedup: bands * rows (100 * 2) must not exceed num_perm (128)", id="bands"),
        pytest.param({"daemon": {"heartbeat_seconds": 100, "max_parallel_runs": 0}},
                     "daemon: stale_lock_seconds (120) must be at least twice", id="heartbeat"),
        pytest.param({"dedup": {"source_priority": ["nobody"]}, "sources": [GOOD_SOURCE]},
                     "dedup.source_priority[0]: unknown source 'nobody'", id="priority"),
        pytest.param({"sources": [{"name": "Bad Name"}]},
                     "sources[0]: needs at least one of feeds, sitemaps or start_urls",
                     id="entry-points"),
    ],
)
def test_cross_field_problems_are_reported_beside_the_others(data: dict[str, object],
                                                             expected: str) -> None:
    # Every example also has a plain field problem: the cross-field check must still run.
    broken = {**data, "crawl": {"timeout": -1}}
    problems = problems_of(broken)
    assert any(line.startswith(expected) for line in problems), problems
    assert any(line.startswith("crawl.timeout:") for line in problems), problems
    assert len(problems) == len(set(problems))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param({"sources": [{"name": "x", "feeds": ["ftp://x.org/f"]}]},
                     ["sources[0].feeds[0]"], id="bad-feed"),
        pytest.param({"sources": [{"name": "x"}], "dedup": {"source_priority": ["x"]}},
                     ["sources[0]"], id="priority-of-a-broken-source"),
        pytest.param({"sources": [{"name": "Bad Name", "feeds": ["https://e.org/f"]}],
                      "dedup": {"source_priority": ["Bad Name"]}},
                     ["sources[0].name"], id="priority-of-a-bad-name"),
    ],
)
def test_looking_for_hidden_problems_invents_none(data: dict[str, object],
                                                  expected: list[str]) -> None:
    # Validating again without the wrong keys must not report their absence (no
    # "needs at least one of feeds" for a bad feed, no "unknown source" for a bad source).
    problems = problems_of(data)
    assert [line.split(":", 1)[0] for line in problems] == expected, problems


def test_a_never_firing_schedule_is_a_config_problem() -> None:
    problems = problems_of({"sources": [{**GOOD_SOURCE, "schedule": "0 0 31 2 *"}]})
    assert problems == ["sources[0].schedule: cron expression '0 0 31 2 *' never fires "
                        "(no such date)"], problems


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("database:\n  url: sqlite:///x.db\nsources:\n  - name: a\n    feeds: [unclosed\n")
    with pytest.raises(ConfigError) as info:
        load_config(path, environ={})
    (line,) = info.value.problems
    assert line.startswith(f"{path}:")
    assert "YAML syntax error" in line
    assert int(line.split(":")[1]) >= 5


def test_duplicate_yaml_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("crawl:\n  timeout: 3\n  timeout: 4\n")
    with pytest.raises(ConfigError, match="duplicate key 'timeout'"):
        load_config(path, environ={})


def test_missing_file_says_how_to_point_elsewhere(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"config file not found.*NEWSDEDUP_CONFIG"):
        load_config(tmp_path / "nope.yaml", environ={})


def test_environment_overrides(tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text("database:\n  url: sqlite:///${DBNAME:-fallback}.db\n")
    config = load_config(None, environ={"NEWSDEDUP_CONFIG": str(other)})
    assert config.database.url == f"sqlite:///{tmp_path / 'fallback.db'}"
    config = load_config(None, environ={"NEWSDEDUP_CONFIG": str(other), "DBNAME": "named"})
    assert config.database.url.endswith("/named.db")
    config = load_config(
        None,
        environ={
            "NEWSDEDUP_CONFIG": str(other),
            "NEWSDEDUP_DATABASE_URL": "postgresql+psycopg://u@h/db",
        },
    )
    assert config.database.url == "postgresql+psycopg://u@h/db"


def test_relative_sqlite_path_is_anchored_at_the_config_folder(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "etc"
    folder.mkdir()
    (folder / "config.yaml").write_text("database:\n  url: sqlite:///data/news.db\n")
    monkeypatch.chdir(tmp_path)
    config = load_config(folder / "config.yaml", environ={})
    assert config.database.url == f"sqlite:///{folder / 'data' / 'news.db'}"


def test_per_source_overrides_and_default_domains() -> None:
    config = config_from_mapping(
        {
            "crawl": {"download_delay": 1.0, "timeout": 20},
            "sources": [
                {"name": "a", "feeds": ["https://www.a.example/feed", "https://cdn.a.example/x"],
                 "download_delay": 3},
                {"name": "b", "sitemaps": ["https://b.example/sitemap.xml"],
                 "allowed_domains": ["B.example"]},
            ],
        },
        environ={},
    )
    a, b = config.sources
    assert config.crawl_for(a).download_delay == 3
    assert config.crawl_for(a).timeout == 20
    assert config.crawl_for(b).download_delay == 1.0
    assert a.domains == ("a.example", "cdn.a.example")
    assert b.domains == ("b.example",)


def test_config_objects_are_frozen() -> None:
    config = config_from_mapping({"sources": [GOOD_SOURCE]}, environ={})
    with pytest.raises(Exception, match="frozen"):
        config.crawl.timeout = 1  # type: ignore[misc]


def test_the_shipped_config_is_valid() -> None:
    config = load_config(REPO_ROOT / "config.yaml", environ={})
    assert isinstance(config, Config)
    names = {source.name for source in config.sources}
    assert {"kyiv-independent", "euromaidan-press", "rt", "menafn"} <= names


def test_every_crawl_key_can_be_overridden_per_source() -> None:
    from newsdedup.core.config import CRAWL_KEYS, SourceConfig

    assert set(CRAWL_KEYS) <= set(SourceConfig.model_fields)


SECTIONS = ("database", "crawl", "extract", "dedup", "daemon")


@pytest.mark.parametrize("section", SECTIONS)
def test_the_shipped_config_sets_every_key_of_each_section_to_its_default(section: str) -> None:
    # config.yaml is the reference of the keys: each one present, documented, at the
    # default the code uses (the database URL aside, which is the user's).
    import yaml

    shipped = yaml.safe_load((REPO_ROOT / "config.yaml").read_text(encoding="utf-8"))[section]
    model = Config.model_fields[section].annotation
    assert model is not None
    assert set(shipped) == set(model.model_fields)
    if section != "database":
        defaults = getattr(Config(), section).model_dump(mode="json")
        assert {key: shipped[key] for key in shipped} == {
            key: list(value) if isinstance(value, tuple) else value for key, value in defaults.items()
        }


def test_every_source_key_is_documented_in_the_shipped_config() -> None:
    from newsdedup.core.config import SourceConfig

    text = (REPO_ROOT / "config.yaml").read_text(encoding="utf-8")
    documented = text[text.index("# Sources. Keys:"):text.index("\nsources:")]
    own = [key for key in SourceConfig.model_fields if key not in Config.model_fields["crawl"].annotation.model_fields]  # type: ignore[union-attr]
    missing = [key for key in own if f"#   {key} " not in documented]
    assert missing == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (["1h", "soon"], "crawl.revisit_after: not a duration 'soon'"),
        (["6h", "1h"], "crawl.revisit_after: revisit_after must increase"),
        (["0m"], "crawl.revisit_after: revisit_after durations must be positive"),
        # YAML's `revisit_after: no` and a bare number: a config error, not a TypeError.
        (False, "crawl.revisit_after: revisit_after must be a duration or a list of durations, not False"),
        (3600, "crawl.revisit_after: revisit_after must be a duration or a list of durations, not 3600"),
    ],
)
def test_bad_revisit_schedules_are_refused_with_the_key(value: object, expected: str) -> None:
    problems = problems_of({"crawl": {"revisit_after": value}, "sources": [GOOD_SOURCE]})
    assert any(expected in problem for problem in problems), problems


def test_revisit_schedule_is_overridden_per_source_and_empty_turns_it_off() -> None:
    from datetime import timedelta

    config = config_from_mapping(
        {"crawl": {"revisit_after": ["30m", "2d"]},
         "sources": [GOOD_SOURCE, {**GOOD_SOURCE, "name": "quiet", "revisit_after": []}]},
        environ={},
    )
    good, quiet = (source.crawl_settings(config.crawl) for source in config.sources)
    assert good.revisit_delays == (timedelta(minutes=30), timedelta(days=2))
    assert quiet.revisit_delays == ()
