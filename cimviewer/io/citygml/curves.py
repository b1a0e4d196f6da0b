"""CityGML curves and points: road centrelines (``lodNMultiCurve``), generic objects'
points, as a city model's ``lines`` and ``points`` per LoD.

``gml:LineString`` and ``gml:LineStringSegment`` (inside ``gml:Curve``) become one
polyline each, ``gml:Point`` one point, owned by the city object being read and at the
LoD of the geometry property around them.
"""

from __future__ import annotations

import numpy as np

from cimviewer.core.citymodel import INDEX, PointSet, PolylineSet
from cimviewer.io.citygml.geometry import GmlError, local_name, where_of

LINE_TAGS = frozenset({"LineString", "LineStringSegment"})
POINT_TAGS = frozenset({"Point"})


def positions(element, default_dim: int) -> np.ndarray:
    """(n, 3) positions of a LineString / LineStringSegment / Point (z 0 in 2D)."""
    dim = _int(element.get("srsDimension"), default_dim)
    rows: list[list[float]] = []
    for child in element:
        if not isinstance(child.tag, str):
            continue
        name = local_name(child.tag)
        try:
            if name == "posList":
                d = _int(child.get("srsDimension"), dim)
                values = [float(v) for v in (child.text or "").split()]
                if d < 2 or len(values) % d:
                    raise GmlError(f"coordinate list has {len(values)} values, not a "
                                   f"multiple of srsDimension {d}", where_of(child))
                rows += [values[i:i + d] for i in range(0, len(values), d)]
            elif name in ("pos", "coordinates"):
                for item in (child.text or "").split() if name == "coordinates" else [
                        child.text or ""]:
                    values = [float(v) for v in item.replace(",", " ").split()]
                    if len(values) >= 2:
                        rows.append(values)
        except ValueError:
            raise GmlError("coordinate list contains a value that is not a number",
                           where_of(child)) from None
    out = np.zeros((len(rows), 3))
    for i, row in enumerate(rows):
        out[i, :min(len(row), 3)] = row[:3]
    if len(out) and not np.isfinite(out).all():
        raise GmlError("coordinate list contains NaN or infinite values", where_of(element))
    return out


class CurveCollector:
    """Lines and points of the objects read so far, by LoD."""

    def __init__(self) -> None:
        self._lines: dict[str, list[tuple[int, np.ndarray]]] = {}
        self._points: dict[str, list[tuple[int, np.ndarray]]] = {}

    def add(self, element, obj: int, lod: str, default_dim: int) -> None:
        xyz = positions(element, default_dim)
        if local_name(element.tag) in POINT_TAGS:
            if len(xyz):
                self._points.setdefault(lod, []).append((obj, xyz[:1]))
        elif len(xyz) >= 2:
            self._lines.setdefault(lod, []).append((obj, xyz))

    def lines(self) -> dict[str, PolylineSet]:
        out = {}
        for lod, parts in self._lines.items():
            lengths = np.array([len(xyz) for _, xyz in parts], np.int64)
            out[lod] = PolylineSet(np.concatenate([xyz for _, xyz in parts]),
                                   np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
                                   np.array([obj for obj, _ in parts], INDEX))
        return out

    def points(self) -> dict[str, PointSet]:
        return {lod: PointSet(np.concatenate([xyz for _, xyz in parts]),
                              np.array([obj for obj, _ in parts], INDEX))
                for lod, parts in self._points.items()}


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text else default
    except ValueError:
        return default
