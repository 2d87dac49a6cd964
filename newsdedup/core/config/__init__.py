"""The configuration: ``config.yaml`` loaded once into frozen, validated objects.

Resolution: an explicit path, else ``$NEWSDEDUP_CONFIG``, else ``./config.yaml``.
``$NEWSDEDUP_DATABASE_URL`` overrides ``database.url``; ``${VAR}`` (or ``${VAR:-default}``)
in any string value reads the environment. Every problem found is reported at once as
one line naming the key path and the value, in a :class:`~newsdedup.core.errors.ConfigError`.
"""

from __future__ import annotations

from newsdedup.core.config.base import Section
from newsdedup.core.config.crawl import (
    CRAWL_KEYS,
    SOURCE_NAME_RULE,
    STORED_NAME_RULE,
    CrawlConfig,
    SourceConfig,
    is_source_name,
    is_storable_source_name,
)
from newsdedup.core.config.daemon import DaemonConfig
from newsdedup.core.config.dedup import DedupConfig
from newsdedup.core.config.extract import ExtractConfig, SelectorsConfig
from newsdedup.core.config.loader import (
    DEFAULT_CONFIG_NAME,
    SNAPSHOT_ENV,
    Config,
    DatabaseConfig,
    config_from_mapping,
    load_config,
    resolve_config_path,
)
from newsdedup.core.config.process import ProcessConfig, usable_cpus

__all__ = [
    "CRAWL_KEYS",
    "DEFAULT_CONFIG_NAME",
    "SNAPSHOT_ENV",
    "SOURCE_NAME_RULE",
    "STORED_NAME_RULE",
    "Config",
    "CrawlConfig",
    "DaemonConfig",
    "DatabaseConfig",
    "DedupConfig",
    "ExtractConfig",
    "ProcessConfig",
    "Section",
    "SelectorsConfig",
    "SourceConfig",
    "config_from_mapping",
    "is_source_name",
    "is_storable_source_name",
    "load_config",
    "resolve_config_path",
    "usable_cpus",
]
