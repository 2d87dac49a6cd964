"""Rows to records: a frozen dataclass filled from the ORM row's columns of the same names."""

from __future__ import annotations

from dataclasses import fields
from typing import Any, TypeVar

__all__ = ["record_of"]

T = TypeVar("T")


def record_of(cls: type[T], row: object, **given: Any) -> T:
    """``cls`` with each field read from ``row``'s attribute of that name, except those
    in ``given`` (fields that are not a column, or not stored as they are read)."""
    values = {f.name: getattr(row, f.name) for f in fields(cls)  # type: ignore[arg-type]
              if f.name not in given}
    return cls(**values, **given)
