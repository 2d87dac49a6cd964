"""Reading, substituting and validating the config file; formatting its problems."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails

from newsdedup.core.config.base import Section
from newsdedup.core.config.crawl import CrawlConfig, SourceConfig
from newsdedup.core.config.daemon import DaemonConfig
from newsdedup.core.config.dedup import DedupConfig
from newsdedup.core.config.extract import ExtractConfig
from newsdedup.core.config.process import ProcessConfig
from newsdedup.core.errors import ConfigError

__all__ = [
    "DEFAULT_CONFIG_NAME",
    "SNAPSHOT_ENV",
    "Config",
    "DatabaseConfig",
    "config_from_mapping",
    "load_config",
    "resolve_config_path",
]

DEFAULT_CONFIG_NAME = "config.yaml"
#: Set to "1" for the daemon's children: their --config file is a validated snapshot.
SNAPSHOT_ENV = "NEWSDEDUP_CONFIG_SNAPSHOT"
_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


class DatabaseConfig(Section):
    """Where articles are stored: any SQLAlchemy URL (SQLite file or Postgres)."""

    url: str = "sqlite:///data/newsdedup.db"

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError(f"not a database URL {value!r}") from None
        if url.get_backend_name() not in ("sqlite", "postgresql"):
            raise ValueError(
                f"unsupported database {url.get_backend_name()!r} in {value!r}: "
                "use sqlite:///path or postgresql+psycopg://user@host/db"
            )
        return value


class Config(Section):
    """The whole configuration. ``path`` is the file it came from (None when built in code)."""

    database: DatabaseConfig = DatabaseConfig()
    crawl: CrawlConfig = CrawlConfig()
    extract: ExtractConfig = ExtractConfig()
    process: ProcessConfig = ProcessConfig()
    dedup: DedupConfig = DedupConfig()
    daemon: DaemonConfig = DaemonConfig()
    sources: tuple[SourceConfig, ...] = ()

    @model_validator(mode="after")
    def _known_priorities(self) -> Config:
        names = {source.name for source in self.sources}
        problems = [
            f"dedup.{key}[{index}]: unknown source {name!r}"
            for key, listed in (("wire_sources", self.dedup.wire_sources),
                                ("source_priority", self.dedup.source_priority))
            for index, name in enumerate(listed)
            if name not in names
        ]
        if problems:
            raise ConfigError(problems)
        return self

    def source(self, name: str) -> SourceConfig:
        """The source called ``name``; raises KeyError when there is none."""
        for source in self.sources:
            if source.name == name:
                return source
        raise KeyError(name)

    @property
    def enabled_sources(self) -> tuple[SourceConfig, ...]:
        return tuple(source for source in self.sources if source.enabled)

    def crawl_for(self, source: SourceConfig) -> CrawlConfig:
        return source.crawl_settings(self.crawl)


def resolve_config_path(path: str | os.PathLike[str] | None, environ: Mapping[str, str]) -> Path:
    """The file to read: ``path``, else ``$NEWSDEDUP_CONFIG``, else ./config.yaml."""
    if path is not None:
        return Path(path)
    if environ.get("NEWSDEDUP_CONFIG"):
        return Path(environ["NEWSDEDUP_CONFIG"])
    return Path(DEFAULT_CONFIG_NAME)


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a key given twice in one mapping (PyYAML keeps the last)."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node)
    return mapping


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: config file not found (pass --config PATH or set NEWSDEDUP_CONFIG)"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc}") from None
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        what = exc.problem or exc.context or "invalid YAML"
        raise ConfigError(f"{where}: YAML syntax error: {what}") from None
    except yaml.reader.ReaderError as exc:
        raise ConfigError(f"{path}: character {exc.position + 1}: {exc.reason} "
                          f"#x{exc.character:04x} (YAML allows no control characters)"
                          if isinstance(exc.character, int) else
                          f"{path}: cannot read config file: {exc.reason}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: YAML syntax error: {' '.join(str(exc).split())}") from None


def _path_text(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text or "(top level)"


def _substitute(value: Any, loc: tuple[int | str, ...], environ: Mapping[str, str],
                problems: list[str]) -> Any:
    if isinstance(value, str):
        def replace(match: re.Match[str]) -> str:
            name, default = match.group(1), match.group(2)
            if name in environ:
                return environ[name]
            if default is not None:
                return default
            problems.append(
                f"{_path_text(loc)}: environment variable {name} is not set (in {value!r})"
            )
            return match.group(0)

        return _ENV_REF.sub(replace, value)
    if isinstance(value, dict):
        return {k: _substitute(v, (*loc, k), environ, problems) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, (*loc, i), environ, problems) for i, v in enumerate(value)]
    return value


_TYPE_WORDS = {
    "int_type": "an integer",
    "int_parsing": "an integer",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "a string",
    "tuple_type": "a list",
    "list_type": "a list",
    "model_type": "a mapping",
    "dict_type": "a mapping",
}


def _describe(error: ErrorDetails) -> str:
    kind = error["type"]
    value = error.get("input")
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "required key is missing"
    if kind == "value_error":
        message = str(error["ctx"]["error"]) if "ctx" in error else error["msg"]
        return message.removeprefix("Value error, ")
    if kind in _TYPE_WORDS:
        return f"expected {_TYPE_WORDS[kind]}, got {value!r}"
    return f"{error['msg'][:1].lower()}{error['msg'][1:]}, got {value!r}"


def _format_errors(errors: list[ErrorDetails]) -> list[str]:
    lines = []
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] == "value_error" and isinstance(error.get("ctx", {}).get("error"), ConfigError):
            lines.extend(error["ctx"]["error"].problems)
            continue
        lines.append(f"{_path_text(loc)}: {_describe(error)}")
    return lines


#: A stand-in for a value found wrong where leaving it out would raise a problem the user
#: did not make (a source's required name, its only entry points).
_STAND_IN_URL = "http://invalid.invalid/"
_ENTRY_POINTS = ("feeds", "sitemaps", "start_urls")


def _without(data: Any, loc: tuple[int | str, ...]) -> tuple[int | str, ...] | None:
    """Take out of ``data`` (in place) what ``loc`` found wrong: the key of the innermost
    mapping on the path, or a stand-in where a missing value would be a problem of its
    own; return the path taken out (None when the path leads nowhere)."""
    if _is_whole_source(data, loc):
        _stand_in_source(data["sources"], loc[1])  # type: ignore[arg-type]
        return loc[:2]
    parent, dropped = _innermost_mapping(data, loc)
    if parent is None or dropped is None:
        return None
    _take_out(data, parent, dropped)
    return dropped


def _is_whole_source(data: Any, loc: tuple[int | str, ...]) -> bool:
    """Whether ``loc`` is an existing source as a whole (``("sources", index)``)."""
    if len(loc) != 2 or loc[0] != "sources" or not isinstance(data, dict) or "sources" not in data:
        return False
    sources, index = data["sources"], loc[1]
    return isinstance(sources, list) and isinstance(index, int) and 0 <= index < len(sources)


def _stand_in_source(sources: list[Any], index: int) -> None:
    """Replace a source wrong as a whole, keeping its name (other keys refer to it)."""
    name = sources[index].get("name") if isinstance(sources[index], dict) else None
    sources[index] = {"name": name if isinstance(name, str) else f"invalid-name-{index}",
                      "start_urls": [_STAND_IN_URL]}


def _innermost_mapping(data: Any, loc: tuple[int | str, ...]
                       ) -> tuple[dict[Any, Any] | None, tuple[int | str, ...] | None]:
    """Follow ``loc`` as far as it leads: the innermost mapping on the way and the path
    to its key (None, None when no mapping is on the way)."""
    node, dropped = data, None
    parent: dict[Any, Any] | None = None
    for depth, part in enumerate(loc):
        if isinstance(node, dict) and part in node:
            parent, dropped = node, loc[: depth + 1]
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            break
    return parent, dropped


def _take_out(data: Any, parent: dict[Any, Any], dropped: tuple[int | str, ...]) -> None:
    """Remove the key ``dropped`` ends with from ``parent``, or put a stand-in in its place
    for a source's name or entry points."""
    in_source = len(dropped) == 3 and dropped[0] == "sources"
    if in_source and dropped[-1] == "name":
        _stand_in_name(data, parent, dropped[1])
    elif in_source and dropped[-1] in _ENTRY_POINTS:
        parent[dropped[-1]] = [_STAND_IN_URL]
    else:
        del parent[dropped[-1]]


def _stand_in_name(data: Any, source: dict[Any, Any], index: int | str) -> None:
    """Give a source a stand-in name, and the priority entries that named it too."""
    old, source["name"] = source["name"], f"invalid-name-{index}"
    priority = data.get("dedup", {}).get("source_priority") if isinstance(
        data.get("dedup"), dict) else None
    if isinstance(priority, list):  # the stand-in is the source those entries name
        data["dedup"]["source_priority"] = [
            source["name"] if entry == old else entry for entry in priority]


def _hidden_problems(data: dict[str, Any], exc: ValidationError) -> list[str]:
    """Problems a first validation could not see: a section's cross-field checks
    (``bands * rows <= num_perm``, heartbeat vs stale lock, known priority sources, a
    source's entry points) run only once its fields are valid, so validate again with
    every key found wrong left out (its default in its place) until nothing new shows.
    """
    import copy

    trimmed = copy.deepcopy(data)
    errors = exc.errors()
    seen = {(tuple(e["loc"]), e["type"]) for e in errors}
    dropped: list[tuple[int | str, ...]] = []
    found: list[str] = []
    for _round in range(5):  # each round can only uncover checks one level further out
        for error in errors:
            path = _without(trimmed, tuple(error["loc"]))
            if path is not None:
                dropped.append(path)
        try:
            Config.model_validate(trimmed)
        except ConfigError as again:
            return [*found, *again.problems]
        except ValidationError as again:
            errors = [
                e for e in again.errors()
                if (tuple(e["loc"]), e["type"]) not in seen
                and not any(tuple(e["loc"])[: len(path)] == path for path in dropped)
            ]
            seen.update((tuple(e["loc"]), e["type"]) for e in errors)
            found.extend(_format_errors(errors))
            if errors:
                continue
        break
    return found


def _duplicate_names(sources: Any) -> list[str]:
    """Duplicate source names, checked on the raw data so they show beside other problems."""
    if not isinstance(sources, list):
        return []
    seen: dict[str, int] = {}
    problems = []
    for index, source in enumerate(sources):
        name = source.get("name") if isinstance(source, dict) else None
        if not isinstance(name, str):
            continue
        if name in seen:
            problems.append(
                f"sources[{index}].name: duplicate source name {name!r} (also sources[{seen[name]}])"
            )
        seen.setdefault(name, index)
    return problems


def config_from_mapping(data: Any, *, environ: Mapping[str, str] | None = None,
                        origin: str = "config", verbatim: bool = False) -> Config:
    """Validate an already parsed mapping (env substitution and overrides included,
    unless ``verbatim``: a snapshot of a config validated before, whose values are final)."""
    environ = os.environ if environ is None else environ
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: expected a mapping at the top level, got {type(data).__name__}")
    problems: list[str] = []
    if not verbatim:
        data = _substitute(data, (), environ, problems)
    problems.extend(_duplicate_names(data.get("sources")))
    if not verbatim and environ.get("NEWSDEDUP_DATABASE_URL"):
        database = data.get("database")
        database = dict(database) if isinstance(database, dict) else {}
        database["url"] = environ["NEWSDEDUP_DATABASE_URL"]
        data["database"] = database
    try:
        config = Config.model_validate(data)
    except ConfigError as exc:
        problems.extend(exc.problems)
        raise ConfigError(problems) from None
    except ValidationError as exc:
        problems.extend(_format_errors(exc.errors()))
        problems.extend(p for p in _hidden_problems(data, exc) if p not in problems)
        raise ConfigError(problems) from None
    if problems:
        raise ConfigError(problems)
    return config


def _anchor_sqlite_path(config: Config, base: Path) -> Config:
    """Resolve a relative SQLite path against the config file's folder, not the cwd.

    A daemon started by systemd or cron has an arbitrary working directory; the
    database named next to the config must be the same file whoever starts us.
    """
    from sqlalchemy.engine import make_url

    url = make_url(config.database.url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return config
    if url.database.startswith("file:") or Path(url.database).is_absolute():
        return config
    absolute = url.set(database=str((base / url.database).resolve()))
    database = config.database.model_copy(
        update={"url": absolute.render_as_string(hide_password=False)}
    )
    return config.model_copy(update={"database": database})


def load_config(path: str | os.PathLike[str] | None = None,
                environ: Mapping[str, str] | None = None) -> Config:
    """Load and validate the config; raise ConfigError listing every problem.

    With ``NEWSDEDUP_CONFIG_SNAPSHOT=1`` in ``environ`` (set by the daemon and run-due for
    their children) the file is the snapshot of a config validated before: its values are
    taken as they are, ``${VAR}`` and ``NEWSDEDUP_DATABASE_URL`` having been applied once
    already (a value holding ``${`` after substitution, such as a password, is not read
    as a variable again).
    """
    environ = os.environ if environ is None else environ
    config_path = resolve_config_path(path, environ)
    data = _read_yaml(config_path)
    config = config_from_mapping(data, environ=environ, origin=str(config_path),
                                 verbatim=environ.get(SNAPSHOT_ENV) == "1")
    return _anchor_sqlite_path(config, config_path.resolve().parent)
