"""Candidate sites as plain arrays: ids, numeric columns and (when known) positions.

Read from a CSV (one row per site, an ``id`` column (layers: ``id`` or the first ``*_id``
field, else the feature index), one column per criterion; optional
``x``/``y`` in the project CRS or ``lon``/``lat``) or from a point / polygon layer
(polygons by the mean of their outer ring's vertices).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from cimviewer.api import ReadError, VectorLayer, open_layer


class SitesError(ValueError):
    """The sites cannot be read or lack something (one line naming it)."""


@dataclass
class Sites:
    ids: list[Any]
    columns: dict[str, list[Any]]
    xy: np.ndarray | None = None          # (n, 2) projected metres, when known
    lonlat: np.ndarray | None = None      # (n, 2) degrees, when known
    z: np.ndarray | None = None           # (n,) heights of a layer's points (draped)
    layer: VectorLayer | None = None
    numeric: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.ids)

    def column(self, name: str, what: str = "criteria") -> np.ndarray:
        """A numeric column (NaN where empty); SitesError naming it when missing."""
        if name in self.numeric:
            return self.numeric[name]
        if name not in self.columns:
            raise SitesError(f"{what}: the sites have no column {name!r} (columns: "
                             f"{', '.join(self.columns)})")
        values = np.full(self.n, np.nan)
        for i, v in enumerate(self.columns[name]):
            if v is None or (isinstance(v, str) and not v.strip()):
                continue
            try:
                values[i] = float(v)
            except (TypeError, ValueError):
                raise SitesError(f"{what}: column {name!r}, site {self.ids[i]}: {v!r} is "
                                 "not a number") from None
        self.numeric[name] = values
        return values

    def numeric_view(self) -> dict[str, np.ndarray]:
        """Every column that converts to numbers (for constraints); others left out."""
        out = {}
        for name in self.columns:
            try:
                out[name] = self.column(name)
            except SitesError:
                continue
        return out

    def set_column(self, name: str, values: np.ndarray) -> None:
        self.numeric[name] = np.asarray(values, float)
        self.columns[name] = [None if not np.isfinite(v) else float(v) for v in values]


def _plain_ids(raw: list[Any]) -> list[Any]:
    """Ids as written; all-integer text ids become ints (``"7"`` -> 7)."""
    text = [str(v).strip() for v in raw]
    if text and all(t.lstrip("-").isdigit() for t in text):
        return [int(t) for t in text]
    return [v if not isinstance(v, str) else v.strip() for v in raw]


def read_csv(path: Path) -> Sites:
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError) as exc:
        raise SitesError(f"sites: cannot read {path} ({exc})") from None
    if not rows:
        raise SitesError(f"sites: {Path(path).name} has no rows")
    columns = {k.strip(): [r.get(k) for r in rows] for k in rows[0] if k is not None}
    return _finish(columns, f"sites: {Path(path).name}")


def from_layer(layer: VectorLayer) -> Sites:
    data = layer.data
    columns = {k: list(v) for k, v in data.columns.items()}
    sites = _finish(columns, f"sites: layer {layer.name!r}", allow_index_ids=True)
    if data.kind == "point":
        sites.xy = np.asarray(data.vertices[: data.n_features, :2], float)
        if data.vertices.shape[1] > 2:
            sites.z = np.asarray(data.vertices[: data.n_features, 2], float)
    elif data.kind == "polygon":
        starts = data.vertex_offsets[data.part_offsets[:-1]]
        ends = data.vertex_offsets[data.part_offsets[:-1] + 1]
        v = np.asarray(data.vertices[:, :2], float)
        csum = np.vstack([np.zeros((1, 2)), np.cumsum(v, axis=0)])
        sums = csum[ends.astype(int)] - csum[starts.astype(int)]
        sites.xy = sums / np.maximum(ends - starts, 1)[:, None]
    else:
        raise SitesError(f"sites: layer {layer.name!r} has lines; give points or polygons")
    if data.crs and "4326" in str(data.crs):
        sites.lonlat, sites.xy = sites.xy, None
    sites.layer = layer
    return sites


def _finish(columns: dict[str, list[Any]], where: str, allow_index_ids: bool = False) -> Sites:
    n = len(next(iter(columns.values()), []))
    id_key = "id" if "id" in columns else next(
        (k for k in columns if k.lower().endswith("_id")), None) if allow_index_ids else None
    if id_key is not None:
        ids = _plain_ids(columns[id_key])
    elif allow_index_ids:  # a layer without ids: feature indices
        ids = list(range(n))
    else:
        raise SitesError(f"{where} has no 'id' column (columns: {', '.join(columns)})")
    if len(set(map(str, ids))) != len(ids):
        raise SitesError(f"{where}: the ids are not unique")
    sites = Sites(ids, columns)
    if "x" in columns and "y" in columns:
        sites.xy = np.column_stack([sites.column("x", "sites"), sites.column("y", "sites")])
    if "lon" in columns and "lat" in columns:
        sites.lonlat = np.column_stack([sites.column("lon", "sites"),
                                        sites.column("lat", "sites")])
    return sites


def read_sites(path: Path) -> Sites:
    """A CSV, or any vector file the app reads (GeoPackage, GeoJSON, shapefile...)."""
    path = Path(path)
    if path.suffix.lower() in (".csv", ".txt"):
        return read_csv(path)
    try:
        layer = open_layer(path)
    except ReadError as exc:
        raise SitesError(f"sites: {exc.one_line()}") from None
    if not isinstance(layer, VectorLayer):
        raise SitesError(f"sites: {path.name} is not a point or polygon layer")
    return from_layer(layer)
