"""``daemon:`` settings: how scheduled runs are started, watched and stopped."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from newsdedup.config.base import Section

__all__ = ["DaemonConfig"]

PositiveFloat = Annotated[float, Field(gt=0)]


class DaemonConfig(Section):
    """The scheduler daemon and the cross-process source locks."""

    max_parallel_runs: Annotated[int, Field(ge=1)] = 2
    grace_period_seconds: PositiveFloat = 60
    misfire_grace_seconds: PositiveFloat = 300
    heartbeat_seconds: PositiveFloat = 10
    stale_lock_seconds: PositiveFloat = 120
