"""Checking and unpacking the input layers: one-line messages that name the input."""

from __future__ import annotations

from typing import Any

import numpy as np

from cimviewer.api import AlgorithmError, VectorLayer


def _crs_info(crs: Any) -> tuple[Any, bool | None]:
    """(pyproj CRS or None, is it geographic)."""
    if not crs:
        return None, None
    try:
        from pyproj import CRS

        parsed = CRS.from_user_input(crs)
    except Exception:
        return None, None
    return parsed, bool(parsed.is_geographic)


def check_crs(layers: dict[str, Any]) -> str | None:
    """All given layers in one projected CRS (metres); the CRS text, else None if unknown.

    ``layers`` maps the input's name (as the user knows it) to a layer or None."""
    seen: list[tuple[str, Any, Any]] = []
    for name, layer in layers.items():
        if layer is None:
            continue
        crs = getattr(getattr(layer, "data", None), "crs", None) or getattr(layer, "crs", None)
        parsed, geographic = _crs_info(crs)
        if geographic:
            raise AlgorithmError(f"{name}: layer {layer.name!r} is in a geographic CRS "
                                 "(degrees); distances need a projected CRS in metres")
        seen.append((name, crs, parsed))
    known = [s for s in seen if s[1]]
    for name, crs, parsed in known[1:]:
        first_name, first_crs, first_parsed = known[0]
        same = (parsed == first_parsed) if parsed is not None and first_parsed is not None \
            else crs == first_crs
        if not same:
            raise AlgorithmError(f"{name}: layer is in {_short(crs)} but {first_name} is in "
                                 f"{_short(first_crs)}; reproject one of them")
    return known[0][1] if known else None


def _short(crs: Any) -> str:
    parsed, _ = _crs_info(crs)
    if parsed is not None:
        auth = parsed.to_authority()
        if auth:
            return f"{auth[0]}:{auth[1]}"
        return parsed.name
    return str(crs)[:40]


def vector_data(layer: Any, name: str, kinds: tuple[str, ...]) -> Any:
    if not isinstance(layer, VectorLayer):
        raise AlgorithmError(f"{name}: expected a vector layer")
    data = layer.data
    if data.kind not in kinds:
        raise AlgorithmError(f"{name}: layer {layer.name!r} has {data.kind} features; "
                             f"expected {' or '.join(kinds)}")
    if data.n_features == 0:
        raise AlgorithmError(f"{name}: layer {layer.name!r} is empty")
    return data


def point_xy(layer: Any, name: str) -> np.ndarray:
    """(n, 2) coordinates of a point layer (polygons: their centroids)."""
    data = vector_data(layer, name, ("point", "polygon"))
    if data.kind == "point":
        xy = np.asarray(data.vertices[: data.n_features, :2], float)
    else:
        import shapely

        xy = shapely.get_coordinates(shapely.centroid(polygons_of(data)))
    finite = np.isfinite(xy).all(axis=1)
    if not finite.all():
        raise AlgorithmError(f"{name}: layer {layer.name!r} has {int((~finite).sum())} "
                             "features without valid coordinates")
    return xy


def numeric_column(layer: Any, field: str, name: str, default: float = 1.0) -> np.ndarray:
    data = layer.data
    if field not in data.columns:
        raise AlgorithmError(f"{name}: layer {layer.name!r} has no field {field!r}")
    values = np.array([np.nan if v is None or v == "" else v for v in data.columns[field]],
                      dtype=object)
    try:
        out = values.astype(float)
    except (TypeError, ValueError):
        raise AlgorithmError(f"{name}: field {field!r} of layer {layer.name!r} is not "
                             "numeric") from None
    return np.where(np.isfinite(out), out, default)


def lines_of(data: Any) -> Any:
    """Shapely LineStrings, one per part, and the feature index of each part."""
    import shapely

    counts = np.diff(data.vertex_offsets)
    part_ids = np.repeat(np.arange(len(counts)), counts)
    lines = shapely.linestrings(data.vertices[:, :2], indices=part_ids)
    return lines, data.feature_of_part()


def polygons_of(data: Any) -> Any:
    """One shapely polygon per feature (its first part: outer ring and holes ignored)."""
    import shapely

    first_part = data.part_offsets[:-1]
    starts = data.vertex_offsets[first_part]
    ends = data.vertex_offsets[first_part + 1]
    counts = ends - starts
    index = np.concatenate([np.arange(s, e) for s, e in zip(starts, ends, strict=True)]) \
        if len(starts) else np.zeros(0, np.int64)
    rings = shapely.linearrings(data.vertices[index, :2],
                                indices=np.repeat(np.arange(len(counts)), counts))
    return shapely.polygons(rings)


def building_points(layer: Any, name: str = "buildings", with_ids: bool = False) -> Any:
    """Centroid (x, y) of each building with geometry and its attributes: a city model
    (mean of its triangle corners) or polygons (centroids). ``with_ids`` adds the object
    (city model) or feature (footprints) index of each point, as the building rasters
    of :mod:`pole_siting.sightlines` number them."""
    from cimviewer.api import CityModelLayer

    if isinstance(layer, CityModelLayer):
        model = layer.model
        mesh = model.mesh_for_lod(layer.lod)
        if mesh.n_triangles == 0:
            raise AlgorithmError(f"{name}: layer {layer.name!r} has no surfaces")
        obj = np.repeat(mesh.tri_object, 3)
        xy = mesh.vertices[mesh.triangles.ravel(), :2]
        n = len(model.objects.ids)
        counts = np.bincount(obj, minlength=n)
        has = np.flatnonzero(counts > 0)
        centre = np.column_stack([np.bincount(obj, xy[:, 0], n), np.bincount(obj, xy[:, 1], n)])
        attrs = model.objects.attributes
        out = (centre[has] / counts[has, None], [attrs[i] if i < len(attrs) else {}
                                                 for i in has])
        return (*out, has.astype(np.int64)) if with_ids else out
    data = vector_data(layer, name, ("polygon", "point"))
    xy = point_xy(layer, name)
    attributes = [data.attributes(i) for i in range(data.n_features)]
    if not with_ids:
        return xy, attributes
    ids = np.arange(len(xy)) if data.kind == "polygon" else np.full(len(xy), -1)
    return xy, attributes, ids.astype(np.int64)
