"""The box a camera frames to show objects: search hits, the selection, a sensor."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from cimviewer.core.layers import CityModelLayer
from cimviewer.core.project import Project
from cimviewer.core.sensors import SensorLayer

#: at most this many objects are measured for a frame (a search can find thousands)
MAX_FRAMED = 200


def frame_boxes(boxes: Iterable[np.ndarray | None], pad_fraction: float = 0.2,
                min_pad: float = 30.0) -> np.ndarray | None:
    """The joint bbox of ``boxes`` (xmin, ymin, zmin, xmax, ymax, zmax), padded in x
    and y by ``pad_fraction`` of its larger plan extent (at least ``min_pad`` metres).

    Each axis is measured on its own: x and y are projected coordinates millions of
    metres apart, and mixing them once padded a single building by hundreds of km.
    """
    arr = np.array([np.asarray(b, np.float64) for b in boxes if b is not None])
    if arr.size == 0:
        return None
    arr = arr[np.isfinite(arr).all(axis=1)]
    if not len(arr):
        return None
    lo, hi = arr[:, :3].min(axis=0), arr[:, 3:].max(axis=0)
    extent = float(max(hi[0] - lo[0], hi[1] - lo[1]))
    pad = max(min_pad, extent * pad_fraction)
    lo[:2] -= pad
    hi[:2] += pad
    return np.concatenate([lo, hi])


def object_box(project: Project, uid: str, index: int) -> np.ndarray | None:
    """World bbox of one object of a layer (a city object or a sensor), or None."""
    layer = project.layer_by_uid(uid)
    if isinstance(layer, CityModelLayer):
        if 0 <= index < len(layer.model.objects.ids):
            return layer.model.object_bbox(index, layer.lod)
    elif isinstance(layer, SensorLayer) and 0 <= index < layer.n_sensors:
        xyz = np.asarray(layer.table.xyz[index], np.float64)
        if np.isfinite(xyz).all():
            return np.concatenate([xyz, xyz])
    return None


def objects_frame(project: Project, items: Iterable[tuple[str, int]]) -> np.ndarray | None:
    """The padded box that frames ``items`` ((layer uid, object index) pairs)."""
    boxes = []
    for n, (uid, index) in enumerate(items):
        if n >= MAX_FRAMED:
            break
        boxes.append(object_box(project, uid, int(index)))
    return frame_boxes(boxes)
