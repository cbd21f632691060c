"""Time, injected: the real monotonic clock and a virtual one for tests and `--fast`.

Everything that schedules (countdowns, speech, reminders) asks a `Clock` for the
time instead of reading the wall clock, so the same code runs in real time on a
user's floor and instantly, with identical timings, in tests and the simulator.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol


class Clock(Protocol):
    """A monotonic source of seconds that can also wait."""

    def now(self) -> float:
        """Seconds since an arbitrary fixed origin; never goes backwards."""
        ...

    def sleep_until(self, t: float) -> None:
        """Return once `now() >= t` (at once if that is already so)."""
        ...


class MonotonicClock:
    """The real clock: `time.monotonic`, measured from when the clock was made."""

    def __init__(self) -> None:
        self._origin = time.monotonic()

    def now(self) -> float:
        return time.monotonic() - self._origin

    def sleep_until(self, t: float) -> None:
        # Sleep in slices so a late wake-up is corrected rather than compounded.
        while (remaining := t - self.now()) > 0:
            time.sleep(min(remaining, 0.05))


class VirtualClock:
    """A clock that only moves when told to; sleeping jumps straight to the deadline."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._now

    def sleep_until(self, t: float) -> None:
        self.advance_to(t)

    def advance_to(self, t: float) -> None:
        """Move time forward to `t`; a time in the past is ignored."""
        with self._lock:
            self._now = max(self._now, t)

    def advance(self, seconds: float) -> None:
        """Move time forward by `seconds` (never backwards)."""
        with self._lock:
            self._now += max(0.0, seconds)
