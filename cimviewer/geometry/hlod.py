"""Hierarchical level of detail: coarse stand-ins for whole tiles of a city.

Far away, a tile of thousands of buildings is drawn as a few hundred merged *block
boxes*: the tile is cut into a regular grid of cells (cells nest in tiles, since the
tile size is a whole number of cells), and the objects whose centre falls in a cell are
replaced by one box that keeps what the eye sees from afar:

* the footprint of their union, shrunk a little towards their area-weighted centre
  (by the ratio of built to union area, to the power ``FOOTPRINT_EXPONENT``) so that
  streets between blocks stay visible;
* the area-weighted mean height of the objects;
* the id of the largest object in the cell, so colour arrays indexed by object (styles,
  selection) and hardware picks map to a real object.

Why not a box of the same built area: seen at an angle, the walls of many separate
buildings fill the streets between them; a box of the summed area has a quarter of their
perimeter and covered 40 % less of the screen than full detail (oblique views of a
generated city). Union footprints match full detail's screen area within a few percent
from above and at an angle (``tests/render/test_hlod.py``).

Each box is 8 vertices and 10 triangles (no floor). Everything is vectorized over all
objects of the layer at once: one sort per level, no Python loop per object or cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from cimviewer.core.semantics import SEMANTIC_CODES

#: triangles of one block box: 4 walls and a roof (corners 0-3 bottom, 4-7 top, ccw)
BOX_TRIANGLES = np.array([
    [4, 5, 6], [4, 6, 7],
    [0, 1, 5], [0, 5, 4], [1, 2, 6], [1, 6, 5], [2, 3, 7], [2, 7, 6], [3, 0, 4], [3, 4, 7],
], dtype=np.int64)
BOX_SEMANTICS = np.array([SEMANTIC_CODES["RoofSurface"]] * 2
                         + [SEMANTIC_CODES["WallSurface"]] * 8, np.uint8)
TRIANGLES_PER_BOX = len(BOX_TRIANGLES)
#: footprint = union of the cell's objects scaled by (built area / union area) ** this
FOOTPRINT_EXPONENT = 0.1


def object_boxes(vertices: np.ndarray, triangles: np.ndarray, tri_object: np.ndarray,
                 n_objects: int) -> np.ndarray:
    """(n_objects, 6) [minx, miny, minz, maxx, maxy, maxz] per object; NaN without triangles.

    Works on vertices (each vertex takes the object of a triangle using it), so it needs
    one int array the size of the vertex list rather than a gather of every corner.
    """
    out = np.full((n_objects, 6), np.nan)
    if not len(triangles):
        return out
    owner = np.full(len(vertices), -1, np.int64)
    owner[np.asarray(triangles).ravel()] = np.repeat(np.asarray(tri_object, np.int64), 3)
    used = np.flatnonzero(owner >= 0)
    owner = owner[used]
    if len(owner) > 1 and bool((np.diff(owner) < 0).any()):
        order = np.argsort(owner, kind="stable")
        used, owner = used[order], owner[order]
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    xyz = vertices[used]
    out[owner[starts], :3] = np.minimum.reduceat(xyz, starts)
    out[owner[starts], 3:] = np.maximum.reduceat(xyz, starts)
    return out


@dataclass
class BlockLevel:
    """Block boxes of one grid level for a whole layer, grouped by tile.

    ``vertices`` are (n_cells * 8, 3) in the caller's coordinates, ``cell_object`` the
    object each box stands for; cells are sorted by tile and ``tile_cells[k]`` is the
    slice of cells of tile key ``tile_keys[k]``.
    """

    cell_size: float
    vertices: np.ndarray
    cell_object: np.ndarray
    tile_keys: list[tuple[int, int]]
    tile_slices: list[slice]

    def __post_init__(self) -> None:
        self._slice_of = dict(zip(self.tile_keys, self.tile_slices, strict=True))
        # the largest tile's triangles, objects and semantics: every tile takes a prefix
        # or slice of these (no per-tile arithmetic; thousands of tiles open at once)
        most = max((p.stop - p.start for p in self.tile_slices), default=0)
        self._tris = (BOX_TRIANGLES[None] + 8 * np.arange(most)[:, None, None]).reshape(-1, 3)
        self._semantics = np.tile(BOX_SEMANTICS, most)
        self._objects = np.repeat(self.cell_object, TRIANGLES_PER_BOX)

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        """The level as plain arrays (names start with ``prefix``), for a cache file."""
        keys = np.array(self.tile_keys, np.int64).reshape(-1, 2)
        bounds = np.array([[p.start, p.stop] for p in self.tile_slices], np.int64)
        return {f"{prefix}cell_size": np.array(self.cell_size),
                f"{prefix}vertices": self.vertices, f"{prefix}cell_object": self.cell_object,
                f"{prefix}tile_keys": keys, f"{prefix}tile_bounds": bounds.reshape(-1, 2)}

    @classmethod
    def from_arrays(cls, data: dict[str, np.ndarray], prefix: str) -> BlockLevel:
        """The level :meth:`to_arrays` made."""
        keys = [(int(i), int(j)) for i, j in data[f"{prefix}tile_keys"].tolist()]
        slices = [slice(int(a), int(b)) for a, b in data[f"{prefix}tile_bounds"].tolist()]
        return cls(float(data[f"{prefix}cell_size"]), data[f"{prefix}vertices"],
                   data[f"{prefix}cell_object"], keys, slices)

    def for_tile(self, key: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                     np.ndarray]:
        """(vertices, triangles, tri_object, tri_semantic) of one tile's boxes."""
        part = self._slice_of.get(key, slice(0, 0))
        n = part.stop - part.start
        verts = self.vertices[8 * part.start: 8 * part.stop]
        tris = self._tris[:TRIANGLES_PER_BOX * n]
        objects = self._objects[TRIANGLES_PER_BOX * part.start: TRIANGLES_PER_BOX * part.stop]
        semantics = self._semantics[:TRIANGLES_PER_BOX * n]
        return verts, tris, objects, semantics


def block_level(boxes: np.ndarray, anchors: np.ndarray, grid_origin: np.ndarray,
                tile_size: float, divisions: int) -> BlockLevel:
    """Block boxes on a grid of ``divisions`` x ``divisions`` cells per tile.

    ``boxes`` are the objects' bounding boxes (NaN rows are skipped); an object belongs
    to the tile and cell of its ``anchors`` point (xy), measured from ``grid_origin``:
    the same points, origin and tile size as the tiling, so that every object's box is
    in the coarse version of the tile that holds the object.
    """
    return block_levels(boxes, anchors, grid_origin, tile_size, [divisions])[0]


def block_levels(boxes: np.ndarray, anchors: np.ndarray, grid_origin: np.ndarray,
                 tile_size: float, divisions: list[int] | tuple[int, ...],
                 objects: np.ndarray | None = None) -> list[BlockLevel]:
    """:func:`block_level` for several ``divisions`` at once (``objects``: the object
    index of each row of ``boxes``, by default the row itself).

    With numba, one pass adds up every level's cells (:func:`grid_groups.cell_sums`);
    otherwise one sort of the objects, by tile, then by cell from the coarsest grid to
    the finest, so that every level's cells (which nest when each division divides the
    next finer one) are runs of the same order. Divisions that do not nest are sorted
    for on their own."""
    from cimviewer.geometry.grid_groups import cell_sums

    if objects is None:
        objects = np.arange(len(boxes))
    summed = cell_sums(boxes, anchors, objects, grid_origin, tile_size, list(divisions))
    if summed is not None:  # rows without an object (-1) are skipped
        return [_summed_level(tile_size / d, *parts) for d, parts in zip(divisions, summed,
                                                                         strict=True)]
    if not np.array_equal(objects, np.arange(len(boxes))):  # rows as objects, then back
        boxes = np.where((objects >= 0)[:, None], boxes, np.nan)
        rows = block_levels(boxes, anchors, grid_origin, tile_size, divisions)
        for level in rows:
            level.cell_object = objects[level.cell_object].astype(np.int32)
            level.__post_init__()
        return rows
    finest = max(divisions)
    if any(finest % d for d in divisions):
        return [block_levels(boxes, anchors, grid_origin, tile_size, [d])[0]
                for d in divisions]
    ok = np.flatnonzero(np.isfinite(boxes).all(axis=1) & np.isfinite(anchors).all(axis=1))
    offset = anchors[ok] - grid_origin[:2]
    tile_ij = np.floor(offset / tile_size).astype(np.int64)
    # the finest cell of each object; coarser cells by integer division (they nest)
    sub = np.floor((offset - tile_ij * tile_size) / (tile_size / finest)).astype(np.int64)
    np.clip(sub, 0, finest - 1, out=sub)
    tkey = tile_ij[:, 0] * 1_000_003 + tile_ij[:, 1]
    chain = sorted(set(divisions))
    key = tkey.copy()
    level_keys = {}
    span = 1
    for d in chain:
        cell = sub // (finest // d)
        level_keys[d] = cell[:, 0] * d + cell[:, 1]
        span *= d * d
    if len(key) and (np.abs(key).max() + 1) * span >= 2**62:  # huge grids: one by one
        if len(divisions) == 1:
            return [_block_level_sorted(boxes, ok, tile_ij, sub, finest, tile_size)]
        return [block_levels(boxes, anchors, grid_origin, tile_size, [d])[0]
                for d in divisions]
    for d in chain:
        key = key * (d * d) + level_keys[d]
    order = np.argsort(key, kind="stable")
    ok, tile_ij, sub = ok[order], tile_ij[order], sub[order]
    b = boxes[ok]
    levels = {}
    for d in chain:
        levels[d] = _cells(b, ok, tile_ij, sub // (finest // d), d, tile_size)
    return [levels[d] for d in divisions]


def _block_level_sorted(boxes: np.ndarray, ok: np.ndarray, tile_ij: np.ndarray,
                        sub: np.ndarray, divisions: int, tile_size: float) -> BlockLevel:
    ij = tile_ij * divisions + sub
    order = np.argsort(ij[:, 0] * 4_000_037 + ij[:, 1], kind="stable")
    tij = tile_ij[order]
    tkey = tij[:, 0] * 1_000_003 + tij[:, 1]
    order = order[np.argsort(tkey, kind="stable")]
    return _cells(boxes[ok[order]], ok[order], tile_ij[order], sub[order], divisions,
                  tile_size)


def _cells(b: np.ndarray, ok: np.ndarray, tile_ij: np.ndarray, cell_ij: np.ndarray,
           divisions: int, tile_size: float) -> BlockLevel:
    """The level of objects sorted by tile and then by cell: ``b`` their boxes, ``ok``
    their object indices, ``cell_ij`` their cell in their tile."""
    cell = tile_size / divisions
    if not len(ok):
        return BlockLevel(cell, np.zeros((0, 3)), np.zeros(0, np.int32), [], [])
    lo, hi = b[:, :3], b[:, 3:]
    centre = (lo[:, :2] + hi[:, :2]) / 2
    tkey = tile_ij[:, 0] * 1_000_003 + tile_ij[:, 1]
    ckey = cell_ij[:, 0] * divisions + cell_ij[:, 1]
    starts = np.flatnonzero(np.r_[True, (tkey[1:] != tkey[:-1]) | (ckey[1:] != ckey[:-1])])
    area = np.maximum((hi[:, 0] - lo[:, 0]) * (hi[:, 1] - lo[:, 1]), 1e-6)
    volume = area * np.maximum(hi[:, 2] - lo[:, 2], 1e-3)
    # each cell's largest object (the first of equals in object order): O(n)
    counts = np.diff(np.r_[starts, len(ok)])
    largest = volume == np.repeat(np.maximum.reduceat(volume, starts), counts)
    representative = np.minimum.reduceat(np.where(largest, ok, np.iinfo(np.int64).max),
                                         starts)
    a_sum = np.add.reduceat(area, starts)
    cx = np.add.reduceat(area * centre[:, 0], starts) / a_sum
    cy = np.add.reduceat(area * centre[:, 1], starts) / a_sum
    z_top = np.add.reduceat(area * hi[:, 2], starts) / a_sum
    z_low = np.minimum.reduceat(lo[:, 2], starts)
    ux0 = np.minimum.reduceat(lo[:, 0], starts)
    uy0 = np.minimum.reduceat(lo[:, 1], starts)
    ux1 = np.maximum.reduceat(hi[:, 0], starts)
    uy1 = np.maximum.reduceat(hi[:, 1], starts)
    verts = _boxes(a_sum, cx, cy, z_top, z_low, ux0, uy0, ux1, uy1)
    cell_object = representative.astype(np.int32)
    # cells come grouped by tile, tiles in key order
    ctkey, tij = tkey[starts], tile_ij[starts]
    return _grouped(cell, verts, cell_object, ctkey, tij)


def _summed_level(cell: float, tile_ij: np.ndarray, sums: np.ndarray, mins: np.ndarray,
                  maxs: np.ndarray, representative: np.ndarray) -> BlockLevel:
    """A level from :func:`grid_groups.cell_sums` (cells in tile, then cell order)."""
    if not len(sums):
        return BlockLevel(cell, np.zeros((0, 3)), np.zeros(0, np.int32), [], [])
    a_sum = sums[:, 0]
    verts = _boxes(a_sum, sums[:, 1] / a_sum, sums[:, 2] / a_sum, sums[:, 3] / a_sum,
                   mins[:, 2], mins[:, 0], mins[:, 1], maxs[:, 0], maxs[:, 1])
    tkey = tile_ij[:, 0] * 1_000_003 + tile_ij[:, 1]
    return _grouped(cell, verts, representative.astype(np.int32), tkey, tile_ij)


def _boxes(a_sum, cx, cy, z_top, z_low, ux0, uy0, ux1, uy1) -> np.ndarray:
    """(n, 8, 3) block boxes from their cells' sums (see the module docstring)."""
    width, depth = ux1 - ux0, uy1 - uy0
    shrink = np.minimum(a_sum / np.maximum(width * depth, 1e-6), 1.0) ** FOOTPRINT_EXPONENT
    half_w, half_d = shrink * width / 2, shrink * depth / 2
    # keep the box inside the union of its objects
    cx = np.clip(cx, ux0 + half_w, ux1 - half_w)
    cy = np.clip(cy, uy0 + half_d, uy1 - half_d)
    verts = np.empty((len(a_sum), 8, 3))
    xs = np.stack([cx - half_w, cx + half_w, cx + half_w, cx - half_w], axis=1)
    ys = np.stack([cy - half_d, cy - half_d, cy + half_d, cy + half_d], axis=1)
    verts[:, :4, 0] = verts[:, 4:, 0] = xs
    verts[:, :4, 1] = verts[:, 4:, 1] = ys
    verts[:, :4, 2] = z_low[:, None]
    verts[:, 4:, 2] = np.maximum(z_top, z_low + 1e-3)[:, None]
    return verts


def _grouped(cell: float, verts: np.ndarray, cell_object: np.ndarray, ctkey: np.ndarray,
             tij: np.ndarray) -> BlockLevel:
    """The level of cells that come grouped by tile (``ctkey``, ``tij`` per cell)."""
    n = len(cell_object)
    bounds = np.r_[0, np.flatnonzero(ctkey[1:] != ctkey[:-1]) + 1, n]
    keys = [(int(i), int(j)) for i, j in tij[bounds[:-1]].tolist()]
    slices = [slice(int(s), int(e)) for s, e in pairwise(bounds.tolist())]
    return BlockLevel(cell, verts.reshape(-1, 3), cell_object, keys, slices)
