"""``process:`` settings: how many worker processes extract pages, and page claims."""

from __future__ import annotations

import os
from typing import Annotated

from pydantic import Field

from newsdedup.core.config.base import Section

__all__ = ["ProcessConfig", "usable_cpus"]


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return max(1, os.cpu_count() or 1)


class ProcessConfig(Section):
    """``workers``: processes extracting pages in parallel (1: in the run's own process;
    default: the usable CPUs). Dedup and writes always stay in the run's process, in
    page order, so the results do not depend on it. ``claim_seconds``: how long a batch
    of pages claimed by a process stays its own; a process killed mid-batch leaves its
    pages to others once that passes."""

    workers: Annotated[int, Field(ge=1, le=256)] = Field(default_factory=usable_cpus)
    claim_seconds: Annotated[int, Field(ge=5, le=86400)] = 600
