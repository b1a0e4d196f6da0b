"""Bounded per-sensor history: one ring buffer row per sensor, filled in vectorized batches."""

from __future__ import annotations

import numpy as np

DEFAULT_CAPACITY = 1024


class SensorHistory:
    """Times (epoch seconds, float64) and values (float32) of the last ``capacity`` readings
    of each sensor. Memory is ``rows * capacity * 12`` bytes and never grows with time.

    Readings are kept in arrival order; queries do not assume they arrive sorted.
    """

    def __init__(self, capacity: int = DEFAULT_CAPACITY, rows: int = 0):
        if capacity < 1:
            raise ValueError("history capacity must be at least 1")
        self.capacity = int(capacity)
        self.times = np.full((rows, self.capacity), np.nan)
        self.values = np.full((rows, self.capacity), np.nan, np.float32)
        self.head = np.zeros(rows, np.int64)  # next slot to write
        self.count = np.zeros(rows, np.int64)  # readings held (<= capacity)
        #: the newest reading of each sensor (by reading time), NaN when none
        self.latest_time = np.full(rows, np.nan)
        self.latest_value = np.full(rows, np.nan)

    @property
    def rows(self) -> int:
        return len(self.head)

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.times, self.values, self.head, self.count,
                                      self.latest_time, self.latest_value))

    def grow(self, rows: int) -> None:
        """Make room for ``rows`` sensors (new rows are empty)."""
        extra = rows - self.rows
        if extra <= 0:
            return
        self.times = np.vstack([self.times, np.full((extra, self.capacity), np.nan)])
        self.values = np.vstack([self.values,
                                 np.full((extra, self.capacity), np.nan, np.float32)])
        self.head = np.concatenate([self.head, np.zeros(extra, np.int64)])
        self.count = np.concatenate([self.count, np.zeros(extra, np.int64)])
        self.latest_time = np.concatenate([self.latest_time, np.full(extra, np.nan)])
        self.latest_value = np.concatenate([self.latest_value, np.full(extra, np.nan)])

    def append(self, rows: np.ndarray, times: np.ndarray, values: np.ndarray) -> None:
        """Append readings (sensor row, time, value) in the given order; vectorized."""
        rows = np.asarray(rows, np.int64)
        if not len(rows):
            return
        times = np.asarray(times, np.float64)
        values = np.asarray(values, np.float64)
        order = np.argsort(rows, kind="stable")
        r, t, v = rows[order], times[order], values[order]
        starts = np.flatnonzero(np.r_[True, r[1:] != r[:-1]])
        counts = np.diff(np.r_[starts, len(r)])
        rank = np.arange(len(r)) - np.repeat(starts, counts)
        n_of = np.repeat(counts, counts)
        keep = rank >= n_of - self.capacity  # more than capacity in one batch: the last ones
        r, t, v, rank = r[keep], t[keep], v[keep], rank[keep] - (n_of[keep] - np.minimum(
            n_of[keep], self.capacity))
        slots = (self.head[r] + rank) % self.capacity
        self.times[r, slots] = t
        self.values[r, slots] = v
        unique = r[np.r_[True, r[1:] != r[:-1]]]
        added = np.minimum(counts, self.capacity)
        self.head[unique] = (self.head[unique] + added) % self.capacity
        self.count[unique] = np.minimum(self.count[unique] + added, self.capacity)
        # newest reading per sensor: the last of the maximal time within the batch
        newest = np.lexsort((t, r))
        rs = r[newest]
        last = np.r_[rs[1:] != rs[:-1], True]
        idx, bt, bv = rs[last], t[newest][last], v[newest][last]
        old = self.latest_time[idx]
        newer = ~(bt < old)  # NaN old -> newer
        self.latest_time[idx[newer]] = bt[newer]
        self.latest_value[idx[newer]] = bv[newer]

    def value_at(self, when: float) -> tuple[np.ndarray, np.ndarray]:
        """(value, time) of each sensor's last reading at or before ``when``; NaN if none."""
        if not self.rows:
            return np.zeros(0), np.zeros(0)
        masked = np.where(self.times <= when, self.times, -np.inf)
        k = masked.argmax(axis=1)
        row = np.arange(self.rows)
        t = masked[row, k]
        found = np.isfinite(t)
        return (np.where(found, self.values[row, k], np.nan),
                np.where(found, t, np.nan))

    def series(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        """(times, values) of one sensor sorted by time."""
        n = int(self.count[row])
        t = self.times[row]
        v = self.values[row]
        keep = np.isfinite(t)
        order = np.argsort(t[keep], kind="stable")
        return t[keep][order][-n:] if n else t[:0], v[keep][order][-n:].astype(float) if n \
            else v[:0].astype(float)

    def time_range(self) -> tuple[float, float] | None:
        finite = self.times[np.isfinite(self.times)]
        if not finite.size:
            return None
        return float(finite.min()), float(finite.max())
