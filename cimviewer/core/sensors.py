"""The sensor layer: city sensors, their thresholds and a bounded history of readings.

Qt-free and VTK-free. Readings arrive in batches (from a file replay or a live feed
drained at a fixed GUI rate), never one event per message: :meth:`SensorLayer.apply_batch`
appends a whole batch with numpy and emits ``values_changed`` once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timezone, tzinfo
from pathlib import Path
from typing import Any

import numpy as np
from psygnal import Signal

from cimviewer.core.datasets import TerrainGrid
from cimviewer.core.layers import Layer
from cimviewer.core.sensor_buffer import DEFAULT_CAPACITY, SensorHistory
from cimviewer.core.style import LayerStyle

#: states of a sensor against its thresholds
OK, WARNING, ALARM = 0, 1, 2
#: the most sensors a live feed may add to a layer (unknown ids beyond it are dropped)
MAX_SENSORS = 200_000


@dataclass(frozen=True)
class SensorSettings:
    """How a sensor layer shows and feeds its data (saved in the project file)."""

    history: int = DEFAULT_CAPACITY  # readings kept per sensor
    colormap: str = "rdylgn_r"
    labels: bool = True
    glyph_size: float = 6.0  # metres
    surface_quantity: str | None = None  # interpolated surface of this quantity (IDW)
    surface_power: float = 2.0
    surface_neighbours: int = 12  # IDW from the nearest sensors (ArcGIS's default)
    #: historical source: {"path", "layout": "long"|"wide", "time", "id", "value",
    #: "quantity", "unit", "timezone"} (see io/sensor_sources.ReplaySource)
    replay: dict[str, Any] | None = None
    #: live source: {"broker", "topics", "username", "tls", "mapping"} (never a password)
    live: dict[str, Any] | None = None

    def with_(self, **changes: Any) -> SensorSettings:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return {"history": self.history, "colormap": self.colormap, "labels": self.labels,
                "glyph_size": self.glyph_size, "surface_quantity": self.surface_quantity,
                "surface_power": self.surface_power,
                "surface_neighbours": self.surface_neighbours, "replay": self.replay,
                "live": self.live}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SensorSettings:
        known = {k: data[k] for k in cls().to_dict() if k in data}
        return cls(**known)


@dataclass
class SensorTable:
    """Static description of the sensors: parallel arrays/lists, one entry per sensor."""

    ids: list[str] = field(default_factory=list)
    xyz: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))  # world, NaN unknown
    kinds: list[str] = field(default_factory=list)
    quantities: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    warning: np.ndarray = field(default_factory=lambda: np.zeros(0))  # NaN: none
    alarm: np.ndarray = field(default_factory=lambda: np.zeros(0))
    height: np.ndarray = field(default_factory=lambda: np.zeros(0))  # above ground/anchor
    anchors: list[str | None] = field(default_factory=list)  # pole / city object id

    def __len__(self) -> int:
        return len(self.ids)


class SensorLayer(Layer):
    """Sensors at positions (or attached to poles / city objects) with live values."""

    kind = "sensors"

    values_changed = Signal()
    sensors_changed = Signal()  # sensors added or moved
    settings_changed = Signal(object)
    display_time_changed = Signal(object)

    def __init__(self, name: str, table: SensorTable | None = None,
                 source: str | Path | None = None, crs: str | None = None,
                 settings: SensorSettings | None = None):
        super().__init__(name, source, crs)
        self.table = table or SensorTable()
        self._settings = settings or SensorSettings()
        self.history = SensorHistory(self._settings.history, len(self.table))
        self._index = {sid: i for i, sid in enumerate(self.table.ids)}
        self._display_time: float | None = None  # epoch seconds; None = latest (live)
        self._style = LayerStyle(mode="graduated", colormap="rdylgn")
        self.dropped = 0  # readings of unknown sensors beyond MAX_SENSORS
        #: time zone the data is shown in (the replay source's offset); None: UTC
        self.tzinfo: tzinfo | None = None
        #: terrain the interpolated surface is draped on (set when the layer is placed)
        self.surface_grid: TerrainGrid | None = None

    # --- settings -------------------------------------------------------------------
    @property
    def settings(self) -> SensorSettings:
        return self._settings

    @settings.setter
    def settings(self, value: SensorSettings) -> None:
        if value == self._settings:
            return
        if value.history != self._settings.history:
            self._resize_history(value.history)
        self._settings = value
        self.settings_changed.emit(value)

    def _resize_history(self, capacity: int) -> None:
        old = self.history
        new = SensorHistory(capacity, old.rows)
        for row in range(old.rows):  # rare (a settings change), not a hot path
            t, v = old.series(row)
            new.append(np.full(len(t), row), t, v)
        self.history = new

    # --- sensors ----------------------------------------------------------------------
    @property
    def n_sensors(self) -> int:
        return len(self.table)

    def index_of(self, sensor_id: str) -> int | None:
        return self._index.get(sensor_id)

    def add_sensors(self, ids: list[str], xyz: np.ndarray | None = None) -> np.ndarray:
        """Add sensors not known yet (no thresholds; position NaN unless given)."""
        new = [sid for sid in dict.fromkeys(ids) if sid not in self._index]
        room = MAX_SENSORS - self.n_sensors
        new = new[:max(room, 0)]
        if new:
            t = self.table
            start = len(t)
            n = len(new)
            t.ids.extend(new)
            pos = np.full((n, 3), np.nan) if xyz is None else np.asarray(xyz, float)[:n]
            t.xyz = np.vstack([t.xyz, pos])
            t.kinds.extend([""] * n)
            t.quantities.extend([""] * n)
            t.units.extend([""] * n)
            t.warning = np.concatenate([t.warning, np.full(n, np.nan)])
            t.alarm = np.concatenate([t.alarm, np.full(n, np.nan)])
            t.height = np.concatenate([t.height, np.zeros(n)])
            t.anchors.extend([None] * n)
            self._index.update({sid: start + i for i, sid in enumerate(new)})
            self.history.grow(len(t))
            self.sensors_changed.emit()
        return np.array([self._index.get(sid, -1) for sid in ids], np.int64)

    def placed(self) -> np.ndarray:
        """Which sensors have a position (live feeds may bring sensors known by id only)."""
        return np.isfinite(self.table.xyz).all(axis=1)

    def set_positions(self, xyz: np.ndarray) -> None:
        self.table.xyz = np.asarray(xyz, np.float64).reshape(-1, 3)
        self.sensors_changed.emit()

    def bbox(self) -> np.ndarray | None:
        xyz = self.table.xyz
        ok = np.isfinite(xyz).all(axis=1) if len(xyz) else np.zeros(0, bool)
        if not ok.any():
            return None
        return np.concatenate([xyz[ok].min(axis=0), xyz[ok].max(axis=0)])

    # --- readings ---------------------------------------------------------------------
    def apply_batch(self, ids: list[str], times: np.ndarray, values: np.ndarray,
                    units: list[str] | None = None, *, add_unknown: bool = True) -> int:
        """Append a batch of readings (epoch seconds); one ``values_changed`` event.

        Returns how many readings were kept (unknown sensors are added when
        ``add_unknown``, otherwise their readings are dropped).
        """
        if not len(ids):
            return 0
        index = self._index
        rows = np.fromiter((index.get(i, -1) for i in ids), np.int64, len(ids))
        missing = rows < 0
        if missing.any() and add_unknown:
            unknown = [ids[k] for k in np.flatnonzero(missing)]
            self.add_sensors(unknown)
            rows[missing] = [index.get(i, -1) for i in unknown]
            if units is not None:
                self._learn_units(rows, units)
            missing = rows < 0
        self.dropped += int(missing.sum())
        keep = ~missing
        values = np.asarray(values, np.float64)
        times = np.asarray(times, np.float64)
        ok = keep & np.isfinite(values) & np.isfinite(times)
        self.history.append(rows[ok], times[ok], values[ok])
        self.values_changed.emit()
        return int(ok.sum())

    def _learn_units(self, rows: np.ndarray, units: list[str]) -> None:
        table_units = self.table.units
        for row, unit in zip(rows.tolist(), units, strict=False):  # new sensors only
            if row >= 0 and unit and not table_units[row]:
                table_units[row] = unit

    # --- display time ---------------------------------------------------------------------
    @property
    def display_time(self) -> float | None:
        """Epoch seconds shown on the map, or None for the latest values (live)."""
        return self._display_time

    @display_time.setter
    def display_time(self, value: float | datetime | None) -> None:
        if isinstance(value, datetime):
            value = value.timestamp()
        if value != self._display_time:
            self._display_time = value
            self.display_time_changed.emit(value)

    def current(self) -> tuple[np.ndarray, np.ndarray]:
        """(values, times) shown now: at the display time, or the latest."""
        if self._display_time is None:
            return self.history.latest_value.copy(), self.history.latest_time.copy()
        return self.history.value_at(self._display_time)

    def value_at(self, when: float | datetime) -> np.ndarray:
        """Each sensor's last reading at or before ``when``; NaN before its first."""
        if isinstance(when, datetime):
            when = when.timestamp()
        return self.history.value_at(float(when))[0]

    def states(self, values: np.ndarray | None = None) -> np.ndarray:
        """OK / WARNING / ALARM per sensor for ``values`` (default: the current ones)."""
        v = self.current()[0] if values is None else values
        t = self.table
        with np.errstate(invalid="ignore"):
            alarm = np.isfinite(t.alarm) & (v >= t.alarm)
            warning = np.isfinite(t.warning) & (v >= t.warning)
        return np.where(alarm, ALARM, np.where(warning, WARNING, OK)).astype(np.int8)

    def normalized(self, values: np.ndarray) -> np.ndarray:
        """Values in [0, 1] for colouring: against each sensor's alarm threshold, else
        against the range of its quantity's current values."""
        t = self.table
        out = np.full(len(values), np.nan)
        has = np.isfinite(t.alarm) & (t.alarm > 0)
        out[has] = values[has] / t.alarm[has]
        rest = ~has & np.isfinite(values)
        if rest.any():
            quantities = np.asarray(t.quantities, dtype=object)[rest]
            vals = values[rest]
            keys, inverse = np.unique(quantities.astype(str), return_inverse=True)
            lo = np.full(len(keys), np.inf)
            hi = np.full(len(keys), -np.inf)
            np.minimum.at(lo, inverse, vals)
            np.maximum.at(hi, inverse, vals)
            span = np.where(hi > lo, hi - lo, 1.0)
            out[rest] = (vals - lo[inverse]) / span[inverse]
        return np.clip(out, 0, 1)

    def time_range(self) -> tuple[datetime, datetime] | None:
        span = self.history.time_range()
        if span is None:
            return None
        tz = self.tzinfo or timezone.utc
        return datetime.fromtimestamp(span[0], tz), datetime.fromtimestamp(span[1], tz)


__all__ = ["ALARM", "MAX_SENSORS", "OK", "WARNING", "SensorLayer", "SensorSettings",
           "SensorTable"]
