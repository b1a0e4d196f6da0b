"""Demand points from layers: building centroids (city models) or points / polygon
centres (vector layers), with weights, aggregated onto square cells so that the edge
placement model stays small (one demand centre per occupied cell, at the weighted mean
position, carrying the summed weight)."""

from __future__ import annotations

from typing import Any

import numpy as np

from cimviewer.api import CityModelLayer, VectorLayer


def layer_points(layer: Any, weight_field: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(xy, weight) of a city model's objects with geometry or a vector layer's features."""
    if isinstance(layer, CityModelLayer):
        model = layer.model
        mesh = model.mesh_for_lod(layer.lod)
        n = len(model.objects.ids)
        obj = np.repeat(mesh.tri_object, 3)
        xy = mesh.vertices[mesh.triangles.ravel(), :2]
        count = np.bincount(obj, minlength=n)
        has = np.flatnonzero(count)
        centre = np.column_stack([np.bincount(obj, xy[:, 0], n),
                                  np.bincount(obj, xy[:, 1], n)])[has] / count[has, None]
        if weight_field:
            attrs = model.objects.attributes
            w = np.array([_number(attrs[i].get(weight_field)) for i in has])
        else:
            w = np.ones(len(has))
        return centre, w
    if isinstance(layer, VectorLayer):
        data = layer.data
        if data.kind == "point":
            xy = np.asarray(data.vertices[: data.n_features, :2], float)
        else:
            first = data.vertex_offsets[data.part_offsets[:-1]].astype(int)
            last = data.vertex_offsets[data.part_offsets[:-1] + 1].astype(int)
            csum = np.vstack([np.zeros((1, 2)), np.cumsum(data.vertices[:, :2], axis=0)])
            xy = (csum[last] - csum[first]) / np.maximum(last - first, 1)[:, None]
        w = (np.array([_number(v) for v in data.columns[weight_field]]) if weight_field
             else np.ones(len(xy)))
        return xy, w
    raise ValueError(f"layer {getattr(layer, 'name', layer)!r} is neither a city model nor "
                     "a vector layer")


def _number(value: Any) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return 0.0
    return v if np.isfinite(v) and v > 0 else 0.0


def aggregate(xy: np.ndarray, weight: np.ndarray, cell: float) -> tuple[np.ndarray, np.ndarray]:
    """Weighted centres and summed weights per occupied ``cell`` x ``cell`` square
    (vectorised: one np.unique over cell keys); cell <= 0 keeps the points."""
    keep = weight > 0
    xy, weight = xy[keep], weight[keep]
    if cell <= 0 or len(xy) == 0:
        return xy, weight
    keys = np.floor((xy - xy.min(axis=0)) / cell).astype(np.int64)
    _, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    total = np.bincount(inverse, weight)
    centre = np.column_stack([np.bincount(inverse, weight * xy[:, 0]),
                              np.bincount(inverse, weight * xy[:, 1])]) / total[:, None]
    return centre, total
