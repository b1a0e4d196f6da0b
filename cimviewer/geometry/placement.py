"""Placing layers on one another: city models and vector features on the terrain,
sensors on their poles, buildings or the ground.

Pure array work on core layers; reprojection happens before (in io), so this stays
free of pyproj and file formats.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cimviewer.core.citymodel import CityModel
from cimviewer.core.datasets import TerrainGrid, VectorData
from cimviewer.core.layers import CityModelLayer, Layer, RasterLayer, TerrainLayer, VectorLayer
from cimviewer.core.sensors import SensorLayer
from cimviewer.geometry.terrain import decimate, sample_heights, set_on_terrain

#: the most cells of the interpolated sensor surface
SURFACE_MAX_CELLS = 160 * 160


def drape_layers(layers: Sequence[Layer]) -> None:
    """Set layers that ask for it on the first terrain layer: vector features with
    ``drape_offset``, city models with ``on_terrain``, and value rasters always."""
    grid = next((lay.grid for lay in layers if isinstance(lay, TerrainLayer)), None)
    if grid is None:
        return
    for layer in layers:
        if isinstance(layer, RasterLayer):
            layer.ground = raster_ground(layer, grid)
        offset = layer.load_options.get("drape_offset")
        if isinstance(layer, VectorLayer) and offset is not None:
            drape_on_terrain(layer.data, grid, float(offset))
        if isinstance(layer, CityModelLayer) and layer.load_options.get("on_terrain"):
            if layer.model.streamed:
                layer.model.warnings.append(
                    "streamed from disk: not set on the terrain (open it whole for that)")
                continue
            set_model_on_terrain(layer.model, grid)


def raster_ground(layer: RasterLayer, grid: TerrainGrid) -> np.ndarray:
    """The terrain height under each cell centre of a value raster (outside the
    terrain: its median height, so the raster stays near the ground)."""
    values = layer.grid
    rows, cols = values.shape
    xs = values.x0 + (np.arange(cols) + 0.5) * values.dx
    ys = values.y0 - (np.arange(rows) + 0.5) * values.dy
    gx, gy = np.meshgrid(xs, ys)
    z = sample_heights(grid, gx.ravel(), gy.ravel()).reshape(rows, cols)
    fallback = float(np.nanmedian(grid.heights)) if np.isfinite(grid.heights).any() else 0.0
    return np.where(np.isfinite(z), z, fallback)


def set_model_on_terrain(model: CityModel, grid: TerrainGrid) -> None:
    """Move every object of every LoD so that it stands on the terrain (in place)."""
    for mesh in model.meshes.values():
        if mesh.n_triangles:
            mesh.vertices = set_on_terrain(mesh.vertices, mesh.triangles, mesh.tri_object,
                                           len(model.objects), grid)


def drape_on_terrain(data: VectorData, grid: TerrainGrid, offset: float = 0.0) -> None:
    """Set the z of 2D features to the terrain height (+ offset); in place."""
    if not len(data.vertices):
        return
    z = sample_heights(grid, data.vertices[:, 0], data.vertices[:, 1])
    fallback = float(np.nanmedian(grid.heights)) if np.isfinite(grid.heights).any() else 0.0
    data.vertices[:, 2] = np.where(np.isfinite(z), z, fallback) + offset


# --- sensors on the terrain and on their poles ------------------------------------------
def _anchor_lookup(layers: list[Layer], wanted: set[str] | None) -> dict[str, np.ndarray]:
    """Position of point features with an id column and (if still needed) of city
    objects (centre of the roof, at its top); ``wanted`` None: of every city object."""
    lookup: dict[str, np.ndarray] = {}
    for layer in layers:
        if isinstance(layer, VectorLayer) and layer.data.kind == "point":
            cols = layer.data.columns
            field = next((f for f in ("pole_id", "id", "node_id") if f in cols), None)
            if field:
                lookup.update(zip(map(str, cols[field]), layer.data.vertices, strict=False))
    for layer in layers:
        if isinstance(layer, CityModelLayer) and (wanted is None
                                                  or not wanted <= lookup.keys()):
            if layer.model.streamed:  # no triangles in memory: the objects' boxes
                _anchor_boxes(layer.model, wanted, lookup)
                continue
            mesh = layer.model.mesh_for_lod(None)
            if not len(mesh.triangles):
                continue
            n = len(layer.model.objects.ids)
            _bottom, top = mesh.object_z_extents(n)
            centre = np.zeros((n, 2))
            counts = np.bincount(mesh.tri_object, minlength=n).astype(float)
            for axis in (0, 1):
                sums = np.bincount(mesh.tri_object,
                                   mesh.vertices[mesh.triangles][:, :, axis].mean(axis=1), n)
                centre[:, axis] = sums / np.maximum(counts, 1)
            ok = np.isfinite(top)
            ids = layer.model.objects.ids
            for i in np.flatnonzero(ok):  # once per load, not per frame
                if wanted is None or ids[i] in wanted:
                    lookup[ids[i]] = np.array([*centre[i], top[i]])
    return lookup


def _anchor_boxes(model: CityModel, wanted: set[str] | None,
                  lookup: dict[str, np.ndarray]) -> None:
    """Anchors of a model's objects at the top centre of their boxes."""
    boxes = model.object_boxes()
    ids = model.objects.ids
    rows = (np.flatnonzero(np.isfinite(boxes).all(axis=1)) if wanted is None else
            np.array([i for i, oid in enumerate(ids) if oid in wanted], np.int64))
    for i in rows.tolist():
        box = boxes[i]
        if np.isfinite(box).all():
            lookup[ids[i]] = np.array([(box[0] + box[3]) / 2, (box[1] + box[4]) / 2, box[5]])


def anchor_positions(layers: list[Layer]) -> dict[str, np.ndarray]:
    """Every id a sensor can be attached to (pole and other point ids, city objects)."""
    return _anchor_lookup([lay for lay in layers if not isinstance(lay, SensorLayer)], None)


def anchor_unplaced(layer: SensorLayer, lookup: dict[str, np.ndarray],
                    first_row: int = 0) -> int:
    """Sensors from ``first_row`` on that have no position (a live feed knows only their
    ids): those whose id names a pole or a city object are attached to it. Returns how
    many were placed."""
    t = layer.table
    rows = [i for i in range(first_row, len(t))
            if t.anchors[i] is None and not np.isfinite(t.xyz[i]).all()
            and t.ids[i] in lookup]
    if not rows:
        return 0
    xyz = t.xyz.copy()
    for i in rows:  # the new sensors of one batch, not every sensor
        t.anchors[i] = t.ids[i]
        xyz[i] = lookup[t.ids[i]]
        xyz[i, 2] += t.height[i]
    layer.set_positions(xyz)
    return len(rows)


def place_by_messages(layer: SensorLayer, rows: np.ndarray, ids: list[str], x: np.ndarray,
                      y: np.ndarray, grid: TerrainGrid | None = None) -> np.ndarray:
    """Put these sensor ``rows`` where their last message of the batch says (``x``/``y``
    already in the project CRS, NaN: none), on the terrain when there is one. Rows the
    batch has no position for stay where they are. Returns the rows moved."""
    t = layer.table
    ok = np.isfinite(x) & np.isfinite(y)
    none = np.zeros(0, np.int64)
    if not len(rows) or not ok.any():
        return none
    where = dict(zip(np.asarray(ids, dtype=object)[ok], zip(x[ok], y[ok], strict=True),
                     strict=True))  # the last message of each sensor wins
    rows = np.array([r for r in rows if t.ids[r] in where], np.int64)
    if not len(rows):
        return none
    points = np.array([[*where[t.ids[r]], 0.0] for r in rows], np.float64)
    if grid is not None:
        z = sample_heights(grid, points[:, 0], points[:, 1])
        points[:, 2] = np.where(np.isfinite(z), z, 0.0)
    points[:, 2] += t.height[rows]
    xyz = t.xyz.copy()
    xyz[rows] = points
    layer.set_positions(xyz)
    return rows


def place_sensor_layers(layers: list[Layer]) -> None:
    """Place every sensor layer among ``layers``: :func:`place_sensors`, then sensors still
    without a position that are named after a pole or a building go on it."""
    place_sensors(layers)
    lookup = None
    for layer in layers:
        if isinstance(layer, SensorLayer) and not layer.placed().all():
            lookup = anchor_positions(layers) if lookup is None else lookup
            anchor_unplaced(layer, lookup)


def place_sensors(layers: list[Layer]) -> None:
    """Put each sensor layer's sensors on their anchor (pole top / roof) or the terrain,
    ``height`` above it; give them the terrain for the interpolated surface."""
    grid = next((lay.grid for lay in layers if isinstance(lay, TerrainLayer)), None)
    sensor_layers = [lay for lay in layers if isinstance(lay, SensorLayer)]
    if not sensor_layers:
        return
    wanted = {a for lay in sensor_layers for a in lay.table.anchors if a}
    lookup = _anchor_lookup([lay for lay in layers if not isinstance(lay, SensorLayer)],
                            wanted)
    for layer in sensor_layers:
        t = layer.table
        xyz = t.xyz.copy()
        base = xyz[:, 2].copy()
        if grid is not None and len(xyz):
            z = sample_heights(grid, xyz[:, 0], xyz[:, 1])
            base = np.where(np.isfinite(z), z, base)
        for i, anchor in enumerate(t.anchors):  # sensors on a pole follow the pole
            pos = lookup.get(anchor) if anchor else None
            if pos is not None:
                xyz[i, :2] = pos[:2]
                base[i] = pos[2]
        xyz[:, 2] = base + t.height
        layer.surface_grid = None if grid is None else decimate(grid, SURFACE_MAX_CELLS)
        layer.set_positions(xyz)


