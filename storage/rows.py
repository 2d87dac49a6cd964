"""Rows and records: a frozen dataclass filled from an ORM row's columns of the same names,
and rows updated by key in one statement."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import fields
from typing import Any, TypeVar

from sqlalchemy import Table, bindparam, update
from sqlalchemy.orm import Session

__all__ = ["record_of", "update_rows"]

T = TypeVar("T")


def record_of(cls: type[T], row: object, **given: Any) -> T:
    """``cls`` with each field read from ``row``'s attribute of that name, except those
    in ``given`` (fields that are not a column, or not stored as they are read)."""
    values = {f.name: getattr(row, f.name) for f in fields(cls)  # type: ignore[arg-type]
              if f.name not in given}
    return cls(**values, **given)


def update_rows(session: Session, table: Table, key: str, rows: Sequence[Mapping[str, Any]],
                **same: Any) -> None:
    """Update ``table`` once per entry of ``rows``, in their order, as one statement run
    with many parameter sets (executemany): the row whose column ``key`` equals
    ``entry[key]`` gets each other column of the entry set to its value, and each column
    of ``same`` set to that one value (the same for every row).

    Every entry names the same columns (``ValueError`` otherwise). A Core statement, not
    the ORM's bulk update, which would look for the rows in the session one by one.
    """
    if not rows:
        return
    names = list(rows[0])
    if key not in names or any(list(entry) != names for entry in rows):
        raise ValueError(f"every row must name the same columns, {key!r} among them")
    # A bind parameter may not share a column's name in an UPDATE's WHERE or SET: prefix.
    values: dict[str, Any] = {name: bindparam(f"b_{name}") for name in names if name != key}
    session.execute(
        update(table).where(table.c[key] == bindparam(f"b_{key}")).values({**values, **same}),
        [{f"b_{name}": value for name, value in entry.items()} for entry in rows],
    )
