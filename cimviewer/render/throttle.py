"""A rate limit for costly per-frame refreshes that never drops the last change."""

from __future__ import annotations

import time
from collections.abc import Callable


class Throttle:
    """Lets a refresh run at most once per ``interval`` seconds.

    :meth:`wait` answers 0 when the refresh may run now (and counts it as run), or the
    seconds left; a refresh asked for too soon stays :attr:`pending`, so the caller can
    schedule one more frame and the last value is always shown.
    """

    def __init__(self, interval: float, clock: Callable[[], float] = time.perf_counter):
        self.interval = interval
        self.clock = clock
        self.last = -float("inf")
        self.pending = False

    def wait(self) -> float:
        now = self.clock()
        left = self.last + self.interval - now
        if left > 0:
            self.pending = True
            return left
        self.last = now
        self.pending = False
        return 0.0

    def reset(self) -> None:
        """The next :meth:`wait` answers 0 (after a change that must show at once)."""
        self.last = -float("inf")
