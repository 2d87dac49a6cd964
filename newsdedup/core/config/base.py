"""The base of every config model: frozen, typed, unknown keys refused."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["Section"]


class Section(BaseModel):
    """A config section: immutable once loaded, and strict about the keys it accepts."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)
