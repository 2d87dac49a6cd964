"""The declarative base, naming convention and column types shared by every model."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Integer, MetaData
from sqlalchemy.dialects import sqlite
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator, TypeEngine

__all__ = ["SQLITE_TIME_FORMAT", "Base", "BigId", "Json", "UTCDateTime", "sqlite_time"]

# Stable constraint names on every backend, so migrations can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: 64-bit ids on Postgres; on SQLite only INTEGER PRIMARY KEY is the auto-incrementing rowid.
BigId = BigInteger().with_variant(Integer(), "sqlite")

#: JSONB on Postgres (indexable, compact), JSON text elsewhere.
Json = JSON().with_variant(JSONB(), "postgresql")


#: How SQLite stores a time: ISO 8601 in UTC with a fixed width, so that text comparisons
#: with ISO 8601 strings (``'2025-06-01'``, ``'2025-06-01T12:00'``,
#: ``'2025-06-01T12:00:00+00:00'``) order correctly. Older rows (a space between date and
#: time) are still read; migration 0007 rewrote them.
SQLITE_TIME_FORMAT = (
    "%(year)04d-%(month)02d-%(day)02dT%(hour)02d:%(minute)02d:%(second)02d"
    ".%(microsecond)06d+00:00"
)


def sqlite_time(moment: datetime) -> str:
    """``moment`` (aware) as SQLite stores it: :data:`SQLITE_TIME_FORMAT` in UTC."""
    utc = moment.astimezone(UTC)
    return SQLITE_TIME_FORMAT % {
        "year": utc.year, "month": utc.month, "day": utc.day, "hour": utc.hour,
        "minute": utc.minute, "second": utc.second, "microsecond": utc.microsecond,
    }


_SQLITE_TIME = sqlite.DATETIME(  # type: ignore[no-untyped-call]
    storage_format=SQLITE_TIME_FORMAT,
    regexp=r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{6}))?",
)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend.

    SQLite has no time zones and gives back naive values; Postgres gives them in the
    session's zone. Both come back here as aware UTC; naive input is refused. On SQLite
    the text is :data:`SQLITE_TIME_FORMAT`.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(_SQLITE_TIME)
        return dialect.type_descriptor(self.impl)

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: newsdedup stores aware UTC datetimes")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
        return value.astimezone(UTC)  # type: ignore[no-any-return]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
