"""``crawl:`` defaults and the per-source config under ``sources:``."""

from __future__ import annotations

import itertools
import re
import unicodedata
from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, field_validator, model_validator

from newsdedup.core.config.base import Section
from newsdedup.core.config.extract import SelectorsConfig
from newsdedup.core.schedules import Schedule, parse_schedule
from newsdedup.core.urls import is_dns_host, tracking_set

__all__ = ["CRAWL_KEYS", "SOURCE_NAME_RULE", "STORED_NAME_RULE", "CrawlConfig", "SourceConfig", "is_source_name",
           "is_storable_source_name", "parse_duration"]

_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
_NAME_LENGTH = 100
#: What a source name may hold, as an error message says it.
SOURCE_NAME_RULE = f"use lower-case letters, digits and '-', at most {_NAME_LENGTH} characters"


def is_source_name(value: str) -> bool:
    """Whether ``value`` is a valid source name for the config."""
    return len(value) <= _NAME_LENGTH and _NAME.fullmatch(value) is not None


#: What the name of a source an import creates may hold: an old scraper names its
#: outlets as it likes ("Daily Record Online"), within what the column holds.
STORED_NAME_RULE = f"at most {_NAME_LENGTH} characters, no control characters"


def is_storable_source_name(value: str) -> bool:
    """Whether ``value`` can name a stored source (``STORED_NAME_RULE``): a NUL made
    Postgres refuse the import's batch, a longer name its column."""
    return 0 < len(value) <= _NAME_LENGTH and not any(
        unicodedata.category(char) in ("Cc", "Cs") for char in value)

# Upper bounds far past any real setting, below what overflows a date or a database
# integer (a max_run_minutes of 1e308 crashed `status`; a page budget past 2**63, SQL).
Seconds = Annotated[float, Field(ge=0, le=3600)]
Minutes = Annotated[float, Field(gt=0, le=7 * 24 * 60)]
Days = Annotated[int, Field(gt=0, le=36_500)]
Count = Annotated[int, Field(gt=0, le=1_000_000_000)]


class CrawlConfig(Section):
    """How to fetch. Every key here may be overridden per source."""

    user_agent: str = "newsdedup/0.1 (+https://example.org/newsdedup)"
    obey_robots: bool = True
    concurrency: Annotated[int, Field(gt=0, le=1000)] = 16
    per_host_concurrency: Annotated[int, Field(gt=0, le=1000)] = 2
    download_delay: Seconds = 0.5
    timeout: Annotated[float, Field(gt=0, le=3600)] = 30
    max_page_bytes: Count = 5_000_000
    max_age_days: Days = 30
    max_pages_per_run: Count = 1000
    retries: Annotated[int, Field(ge=0, le=10)] = 3
    max_redirects: Annotated[int, Field(ge=0, le=30)] = 10
    max_listing_pages: Count = 5
    max_run_minutes: Minutes = 60
    #: When to fetch an article again after it was first seen, while it is young
    #: (durations such as "30m", "6h", "3d", increasing); [] turns revisits off.
    revisit_after: tuple[str, ...] = ("1h", "6h", "1d", "3d")

    @field_validator("revisit_after", mode="before")
    @classmethod
    def _revisits(cls, value: Any) -> Any:
        return _check_revisits(value)

    @property
    def revisit_delays(self) -> tuple[timedelta, ...]:
        """``revisit_after`` as durations, shortest first."""
        return tuple(parse_duration(text) for text in self.revisit_after)


_DURATION = re.compile(r"^\s*(\d+)\s*([smhd])\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> timedelta:
    """``"90m"``, ``"6h"``, ``"3d"`` as a timedelta; ValueError naming the text otherwise."""
    match = _DURATION.match(str(text))
    if match is None:
        raise ValueError(f"not a duration {text!r} (give a number and s, m, h or d, e.g. '6h')")
    return timedelta(seconds=int(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()])


def _check_revisits(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        raise ValueError(f"revisit_after must be a duration or a list of durations, not {value!r}")
    delays = [parse_duration(item) for item in value]
    if any(later <= earlier for earlier, later in itertools.pairwise(delays)):
        raise ValueError(f"revisit_after must increase: {list(value)}")
    if any(delay <= timedelta(0) for delay in delays):
        raise ValueError(f"revisit_after durations must be positive: {list(value)}")
    return tuple(str(item).strip() for item in value)


CRAWL_KEYS = tuple(CrawlConfig.model_fields)


def _check_http_url(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL {value!r}")
    try:
        parts.port  # noqa: B018  (raises on a port out of range)
    except ValueError:
        raise ValueError(f"port out of range (0-65535) in {value!r}") from None
    if not is_dns_host(parts.hostname):
        raise ValueError(f"not a valid host name {parts.hostname!r} in {value!r}")
    return value.strip()


HttpUrl = Annotated[str, AfterValidator(_check_http_url)]


class SourceConfig(Section):
    """One outlet: where to discover its articles, when to crawl it, and overrides."""

    name: str
    feeds: tuple[HttpUrl, ...] = ()
    sitemaps: tuple[HttpUrl, ...] = ()
    start_urls: tuple[HttpUrl, ...] = ()
    article_url_pattern: str | None = None
    allowed_domains: tuple[str, ...] = ()
    schedule: str = "0 * * * *"
    enabled: bool = True
    language: Annotated[str, Field(pattern=r"^[a-z]{2}$")] | None = None
    timezone: str | None = None
    selectors: SelectorsConfig = SelectorsConfig()
    priority: int = 0
    #: Query parameters this source adds for tracking, stripped from its URLs besides
    #: ``newsdedup.core.urls.TRACKING_PARAMS`` (a name, or a prefix ending in ``*``).
    tracking_params: tuple[str, ...] = ()
    # Per-source overrides of ``crawl:``; None means "use the default".
    user_agent: str | None = None
    obey_robots: bool | None = None
    concurrency: Annotated[int, Field(gt=0, le=1000)] | None = None
    per_host_concurrency: Annotated[int, Field(gt=0, le=1000)] | None = None
    download_delay: Seconds | None = None
    timeout: Annotated[float, Field(gt=0, le=3600)] | None = None
    max_page_bytes: Count | None = None
    max_age_days: Days | None = None
    max_pages_per_run: Count | None = None
    retries: Annotated[int, Field(ge=0, le=10)] | None = None
    max_redirects: Annotated[int, Field(ge=0, le=30)] | None = None
    max_listing_pages: Count | None = None
    max_run_minutes: Minutes | None = None
    revisit_after: tuple[str, ...] | None = None

    @field_validator("revisit_after", mode="before")
    @classmethod
    def _revisits(cls, value: Any) -> Any:
        return _check_revisits(value)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not is_source_name(value):
            raise ValueError(f"invalid source name {value!r}: {SOURCE_NAME_RULE}")
        return value

    @field_validator("feeds", "sitemaps", "start_urls", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("article_url_pattern")
    @classmethod
    def _pattern(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"invalid regular expression {value!r}: {exc}") from None
        return value

    @field_validator("allowed_domains", mode="after")
    @classmethod
    def _domains(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        cleaned = []
        for domain in value:
            host = domain.strip().lower().lstrip(".")
            if not host or "/" in host or ":" in host or " " in host:
                raise ValueError(f"not a domain name {domain!r} (give a host such as example.com)")
            cleaned.append(host)
        return tuple(cleaned)

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r}: use an IANA name such as 'Europe/Kyiv'"
            ) from None
        return value

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, value: str) -> str:
        return parse_schedule(value).expression

    @model_validator(mode="after")
    def _has_entry_points(self) -> SourceConfig:
        if not (self.feeds or self.sitemaps or self.start_urls):
            raise ValueError("needs at least one of feeds, sitemaps or start_urls")
        return self

    @property
    def tracking(self) -> frozenset[str]:
        """``tracking_params`` as :func:`newsdedup.core.urls.canonicalize_url` takes them."""
        return tracking_set(self.tracking_params)

    @property
    def parsed_schedule(self) -> Schedule:
        return parse_schedule(self.schedule)

    @property
    def entry_urls(self) -> tuple[str, ...]:
        return self.feeds + self.sitemaps + self.start_urls

    @property
    def domains(self) -> tuple[str, ...]:
        """``allowed_domains``, or by default the hosts of the feed, sitemap and start URLs."""
        if self.allowed_domains:
            return self.allowed_domains
        hosts: dict[str, None] = {}
        for url in self.entry_urls:
            host = (urlsplit(url).hostname or "").lower()
            if host.startswith("www."):
                host = host[4:]
            hosts.setdefault(host, None)
        return tuple(hosts)

    def crawl_settings(self, defaults: CrawlConfig) -> CrawlConfig:
        """The effective crawl config: ``defaults`` with this source's overrides applied."""
        overrides = {
            key: getattr(self, key) for key in CRAWL_KEYS if getattr(self, key) is not None
        }
        return defaults.model_copy(update=overrides) if overrides else defaults
