"""Historical sensor readings (CSV, Parquet; long or wide) and sensor positions.

Long format: one reading per row (``time, sensor_id, value[, unit, quantity]``).
Wide format: one row per time, one column per sensor. Times are ISO 8601 text with or
without an offset, datetimes or epoch seconds; times without a time zone are read in
``timezone`` ("+08:00", "UTC", "Asia/Shanghai").
"""

from __future__ import annotations

import contextlib
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any

import numpy as np

from cimviewer.core.layers import VectorLayer
from cimviewer.core.sensors import SensorLayer, SensorSettings, SensorTable
from cimviewer.io.errors import ReadError

ID_FIELDS = ("sensor_id", "id", "name")


@dataclass(frozen=True)
class ReplaySource:
    """Where and how to read historical readings (saved in the project file)."""

    path: str
    layout: str = "long"  # or "wide"
    time: str = "time"
    id: str = "sensor_id"  # long
    value: str = "value"  # long
    unit: str | None = "unit"  # long, optional column
    quantity: str | None = None  # long: keep only rows whose "quantity" column is this
    columns: list[str] = field(default_factory=list)  # wide: sensor columns (empty: all)
    timezone: str = "UTC"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReplaySource:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        if "columns" in known:
            known["columns"] = list(known["columns"])
        return cls(**known)


@dataclass
class Readings:
    ids: list[str]
    times: np.ndarray  # epoch seconds
    values: np.ndarray
    units: list[str] | None
    tzinfo: tzinfo | None
    quantities: list[str] | None = None  # long files with a "quantity" column


def parse_timezone(text: str) -> tzinfo:
    text = (text or "UTC").strip()
    if text.upper() in ("UTC", "Z"):
        return timezone.utc
    if text[0] in "+-":
        sign = -1 if text[0] == "-" else 1
        hours, _, minutes = text[1:].partition(":")
        try:
            return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes or 0)))
        except ValueError:
            raise ValueError(f"time zone {text!r} is not like +08:00") from None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {text!r}") from None


def _epoch_seconds(column, tz: tzinfo) -> tuple[np.ndarray, tzinfo | None]:
    """Epoch seconds of a pandas column; the offset of the data when it carries one."""
    import pandas as pd

    if pd.api.types.is_numeric_dtype(column):  # epoch s, ms, µs or ns (by size)
        values = column.to_numpy(np.float64)
        scale = np.select([np.abs(values) < 1e11, np.abs(values) < 1e14,
                           np.abs(values) < 1e17], [1.0, 1e-3, 1e-6], 1e-9)
        return values * scale, None
    try:
        parsed = pd.to_datetime(column, format="ISO8601")
    except (ValueError, TypeError):  # mixed offsets
        parsed = pd.to_datetime(column, format="ISO8601", utc=True)
    data_tz = None
    if parsed.dt.tz is None:
        parsed = parsed.dt.tz_localize(tz)
    else:
        first = parsed.iloc[0] if len(parsed) else None
        if first is not None and first.tzinfo is not None:
            offset = first.utcoffset()
            data_tz = timezone(offset) if offset is not None else None
    seconds = (parsed - pd.Timestamp(0, tz="UTC")).dt.total_seconds()
    return seconds.to_numpy(np.float64), data_tz


def _table(path: Path):
    import pandas as pd

    suffix = path.suffix.lower()
    try:
        if suffix in (".parquet", ".pq"):
            return pd.read_parquet(path)
        return pd.read_csv(path)
    except FileNotFoundError:
        raise ReadError("file does not exist", path) from None
    except ImportError as exc:
        raise ReadError(f"cannot read Parquet here ({exc})", path) from None
    except Exception as exc:  # pandas / pyarrow raise many kinds
        raise ReadError(f"not a readable table ({type(exc).__name__}: {exc})", path) from None


def table_columns(path: str | Path) -> list[str]:
    """Column names of a CSV or Parquet file (its header only), for choosing columns."""
    path = Path(path)
    try:
        if path.suffix.lower() in (".parquet", ".pq"):
            import pyarrow.parquet as pq

            return [str(c) for c in pq.read_schema(path).names]
        import pandas as pd

        return [str(c) for c in pd.read_csv(path, nrows=0).columns]
    except FileNotFoundError:
        raise ReadError("file does not exist", path) from None
    except Exception as exc:  # pandas / pyarrow raise many kinds
        raise ReadError(f"not a readable table ({type(exc).__name__}: {exc})", path) from None


def open_readings_layer(name: str, replay: ReplaySource, positions: str | Path | None = None,
                        project_crs: str | None = None) -> SensorLayer:
    """A sensor layer from a readings file, with its sensors' positions from a point
    dataset, or (without one) known by id only: :func:`anchor_unplaced` then puts those
    named after a pole or a building on it."""
    settings = SensorSettings(replay=replay.to_dict())
    if positions is not None:
        layer = open_sensor_layer(positions, name=name, project_crs=project_crs,
                                  settings=settings)
    else:
        layer = SensorLayer(name, crs=project_crs, settings=settings)
        load_replay(layer)
    if not int(layer.history.count.sum()):
        raise ReadError("no readings with a time and a numeric value", replay.path)
    return layer


def read_readings(source: ReplaySource, base_dir: Path | None = None) -> Readings:
    """All readings of a CSV or Parquet file, sorted by time."""
    path = Path(source.path)
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    df = _table(path)
    try:
        tz = parse_timezone(source.timezone)
    except ValueError as exc:
        raise ReadError(str(exc), path) from None

    def need(name: str) -> None:
        if name not in df.columns:
            raise ReadError(f"no column {name!r} (has {', '.join(map(str, df.columns))})", path)

    need(source.time)
    if source.layout == "wide":
        columns = source.columns or [c for c in df.columns if c != source.time]
        for c in columns:
            need(c)
        times, data_tz = _epoch_seconds(df[source.time], tz)
        block = df[columns].to_numpy(np.float64)  # (times, sensors)
        n_t, n_s = block.shape
        ids = [str(c) for c in columns] * n_t
        t = np.repeat(times, n_s)
        v = block.ravel()
        units = None
        quantities = None
    elif source.layout == "long":
        need(source.id)
        need(source.value)
        if source.quantity:
            need("quantity")
            df = df[df["quantity"] == source.quantity]
        times, data_tz = _epoch_seconds(df[source.time], tz)
        ids = df[source.id].astype(str).tolist()
        t = times
        import pandas as pd

        v = pd.to_numeric(df[source.value], errors="coerce").to_numpy(np.float64)
        units = (df[source.unit].fillna("").astype(str).tolist()
                 if source.unit and source.unit in df.columns else None)
        quantities = (df["quantity"].fillna("").astype(str).tolist()
                      if "quantity" in df.columns else None)
    else:
        raise ReadError(f"layout must be 'long' or 'wide', not {source.layout!r}", path)
    order = np.argsort(t, kind="stable")
    ids = [ids[i] for i in order] if len(ids) else ids
    units = [units[i] for i in order] if units is not None else None
    quantities = [quantities[i] for i in order] if quantities is not None else None
    return Readings(ids, t[order], v[order], units, data_tz or tz, quantities)


def load_replay(layer: SensorLayer, base_dir: Path | None = None) -> int:
    """Fill a layer's history from its replay source; returns the readings kept."""
    replay = layer.settings.replay
    if not replay:
        return 0
    readings = read_readings(ReplaySource.from_dict(replay), base_dir)
    layer.tzinfo = readings.tzinfo
    kept = layer.apply_batch(readings.ids, readings.times, readings.values, readings.units)
    if readings.quantities is not None:  # sensors known by id only learn what they measure
        quantity_of = dict(zip(readings.ids, readings.quantities, strict=True))
        table = layer.table
        for i, sid in enumerate(table.ids):
            if not table.quantities[i] and quantity_of.get(sid):
                table.quantities[i] = quantity_of[sid]
    return kept


# --- sensor positions -----------------------------------------------------------------
def _numbers(values: list) -> np.ndarray:
    out = np.full(len(values), np.nan)
    for i, v in enumerate(values):
        with contextlib.suppress(TypeError, ValueError):
            out[i] = float(v)
    return out


def table_from_vector(layer: VectorLayer) -> SensorTable:
    data = layer.data
    if data.kind != "point":
        raise ReadError("sensor positions must be points", layer.source)
    cols = data.columns
    id_field = next((f for f in ID_FIELDS if f in cols), None)
    n = data.n_features
    ids = ([str(v) for v in cols[id_field]] if id_field
           else [f"S{i + 1}" for i in range(n)])
    text = lambda name: [("" if v is None else str(v)) for v in cols.get(name, [""] * n)]  # noqa: E731
    anchors: list[str | None] = [v or None for v in text("pole_id")] if "pole_id" in cols else \
        [v or None for v in text("anchor_id")] if "anchor_id" in cols else [None] * n
    height = _numbers(cols["height_m"]) if "height_m" in cols else np.zeros(n)
    return SensorTable(
        ids=ids, xyz=data.vertices.astype(np.float64).copy(), kinds=text("kind"),
        quantities=text("quantity"), units=text("unit"),
        warning=_numbers(cols["warning"]) if "warning" in cols else np.full(n, np.nan),
        alarm=_numbers(cols["alarm"]) if "alarm" in cols else np.full(n, np.nan),
        height=np.where(np.isfinite(height), height, 0.0), anchors=anchors)


def open_sensor_layer(path: str | Path, *, name: str = "Sensors", project_crs: str | None = None,
                      options: dict | None = None, settings: SensorSettings | None = None,
                      base_dir: Path | None = None) -> SensorLayer:
    """Sensor positions from a point dataset (GeoPackage...), plus its replay if set."""
    from cimviewer.io.layers import open_layer

    points = open_layer(path, name=name, project_crs=project_crs, options=options)
    if not isinstance(points, VectorLayer):
        raise ReadError("sensor positions must be a point dataset", path)
    layer = SensorLayer(name, table_from_vector(points), points.source, points.crs, settings)
    layer.load_options = dict(options or {})
    load_replay(layer, base_dir)
    return layer


def epoch(dt: datetime) -> float:
    return dt.timestamp()
