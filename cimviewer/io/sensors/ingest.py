"""The ingest queue: readings parsed on a network thread, drained in batches by the GUI.

The network thread calls :meth:`IngestQueue.put` per message (a list append under a
lock); the GUI drains the queue at a fixed rate (10 Hz) and applies one batch to the
model. The queue is bounded: when the consumer stalls, the oldest readings are dropped
and counted, so memory stays bounded.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cimviewer.io.sensors.payload import MalformedMessageError, PayloadParser

log = logging.getLogger("cimviewer.sensors")

MAX_PENDING = 500_000
LOG_INTERVAL_S = 5.0


@dataclass
class Batch:
    ids: list[str]
    times: np.ndarray  # epoch seconds (reading time)
    values: np.ndarray
    units: list[str]
    received: np.ndarray  # epoch seconds when each message arrived
    #: positions the messages gave (NaN: none), in the mapping's position CRS
    x: np.ndarray = field(default_factory=lambda: np.zeros(0))
    y: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class IngestStats:
    received: int = 0  # every message, malformed included
    malformed: int = 0
    dropped: int = 0  # readings dropped because the queue was full
    last_error: str = ""
    malformed_topics: dict[str, int] = field(default_factory=dict)


class IngestQueue:
    """Thread-safe queue of parsed readings with counters."""

    def __init__(self, parser: PayloadParser | None = None, max_pending: int = MAX_PENDING):
        self.parser = parser or PayloadParser()
        self.max_pending = max_pending
        self.stats = IngestStats()
        self._lock = threading.Lock()
        self._ids: list[str] = []
        self._times: list[float] = []
        self._values: list[float] = []
        self._units: list[str] = []
        self._received: list[float] = []
        self._x: list[float] = []
        self._y: list[float] = []
        self._last_log = 0.0

    def on_message(self, topic: str, payload: bytes) -> None:
        """Parse one message and queue it (called on the network thread)."""
        arrived = time.time()
        try:
            sid, when, value, unit, x, y = self.parser.parse_full(topic, payload)
        except MalformedMessageError as exc:
            self._malformed(topic, str(exc))
            return
        except Exception as exc:  # one odd message never kills the network thread
            self._malformed(topic, f"{type(exc).__name__}: {exc}")
            return
        with self._lock:
            self.stats.received += 1
            self._ids.append(sid)
            self._times.append(when)
            self._values.append(value)
            self._units.append(unit)
            self._received.append(arrived)
            self._x.append(x)
            self._y.append(y)
            if len(self._ids) > self.max_pending:
                self._drop_oldest(len(self._ids) - self.max_pending)

    def _drop_oldest(self, n: int) -> None:
        for buf in (self._ids, self._times, self._values, self._units, self._received,
                    self._x, self._y):
            del buf[:n]
        self.stats.dropped += n

    def _malformed(self, topic: str, reason: str) -> None:
        with self._lock:
            stats = self.stats
            stats.received += 1
            stats.malformed += 1
            stats.last_error = f"{topic}: {reason}"
            if len(stats.malformed_topics) < 1000 or topic in stats.malformed_topics:
                stats.malformed_topics[topic] = stats.malformed_topics.get(topic, 0) + 1
            now = time.monotonic()
            quiet = now - self._last_log < LOG_INTERVAL_S
            if not quiet:
                self._last_log = now
        if not quiet:  # rate-limited: a flood of bad messages must not flood the log
            log.warning("malformed sensor message on %s: %s (%d malformed so far)",
                        topic, reason, stats.malformed)

    def pending(self) -> int:
        with self._lock:
            return len(self._ids)

    def drain(self) -> Batch:
        """Everything queued so far, as arrays (called on the consumer's thread)."""
        with self._lock:
            ids, times, values = self._ids, self._times, self._values
            units, received, x, y = self._units, self._received, self._x, self._y
            self._ids, self._times, self._values = [], [], []
            self._units, self._received, self._x, self._y = [], [], [], []
        return Batch(ids, np.array(times, np.float64), np.array(values, np.float64), units,
                     np.array(received, np.float64), np.array(x, np.float64),
                     np.array(y, np.float64))

    def drain_into(self, layer: Any) -> tuple[Batch, int]:
        """Drain the queue and apply the readings to a ``SensorLayer`` (None: drop them);
        returns the batch (for positions) and how many readings were applied."""
        batch = self.drain()
        if layer is None or not len(batch):
            return batch, 0
        return batch, layer.apply_batch(batch.ids, batch.times, batch.values, batch.units)
