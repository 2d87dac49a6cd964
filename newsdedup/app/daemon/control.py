"""The daemon's coordination pieces: run slots, and the timeline of a graceful shutdown."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

__all__ = ["RunSlots", "ShutdownPlan"]


class RunSlots:
    """At most ``limit`` runs at once. Resizable (config reload); closing it wakes every
    waiter and refuses them (shutdown)."""

    def __init__(self, limit: int) -> None:
        self._cond = threading.Condition()
        self._limit = limit
        self._used = 0
        self._closed = False

    def acquire(self) -> bool:
        """Wait for a free slot; False when the slots were closed meanwhile."""
        with self._cond:
            self._cond.wait_for(lambda: self._closed or self._used < self._limit)
            if self._closed:
                return False
            self._used += 1
            return True

    def release(self) -> None:
        with self._cond:
            self._used -= 1
            self._cond.notify_all()

    def resize(self, limit: int) -> None:
        with self._cond:
            self._limit = limit
            self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    @property
    def used(self) -> int:
        with self._cond:
            return self._used


@dataclass
class ShutdownPlan:
    """When, after a stop signal at ``started`` (monotonic seconds), runs are asked to stop
    (SIGTERM) and then killed: the whole stop fits in ``grace`` seconds.

    Runs get ``grace - window`` seconds to finish on their own, then ``window`` seconds
    (``stop_timeout``, at most half the grace period) to record their stop, then they
    are killed and the daemon records them. ``give_up`` bounds the wait for that record.
    """

    started: float
    terminate_at: float
    kill_at: float
    give_up_at: float
    phase: str = "waiting"  # waiting -> terminated -> killed

    @classmethod
    def start(cls, grace: float, stop_timeout: float, now: float | None = None) -> ShutdownPlan:
        now = time.monotonic() if now is None else now
        window = min(stop_timeout, grace / 2)
        return cls(now, now + grace - window, now + grace, now + grace + min(stop_timeout, 5))

    def hurry(self, stop_timeout: float, now: float | None = None) -> None:
        """A second stop signal: ask the runs to stop now, kill them ``stop_timeout`` later."""
        now = time.monotonic() if now is None else now
        if self.phase == "waiting":
            self.terminate_at = min(self.terminate_at, now)
            self.kill_at = min(self.kill_at, now + stop_timeout)
            self.give_up_at = min(self.give_up_at, self.kill_at + min(stop_timeout, 5))

    def due_action(self, now: float | None = None) -> str | None:
        """``terminate``, ``kill`` or ``give_up`` when its time has come (advancing the phase)."""
        now = time.monotonic() if now is None else now
        if self.phase == "waiting" and now >= self.terminate_at:
            self.phase = "terminated"
            return "terminate"
        if self.phase == "terminated" and now >= self.kill_at:
            self.phase = "killed"
            return "kill"
        if self.phase == "killed" and now >= self.give_up_at:
            return "give_up"
        return None

    def seconds_to_next(self, now: float | None = None) -> float:
        now = time.monotonic() if now is None else now
        target = {"waiting": self.terminate_at, "terminated": self.kill_at}.get(
            self.phase, self.give_up_at
        )
        return max(target - now, 0.0)
