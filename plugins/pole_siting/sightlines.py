"""Line of sight between poles and demand points past the buildings, for many pairs at once.

The buildings become a raster of building heights above their own ground (``height``)
with the building each cell belongs to (``owner``, -1 = street): a city model's
triangles through the 5G coverage plugin's rasterizer (the highest roof above each cell
centre), or footprint polygons with a height field. Heights are above local ground and
the antenna and receiver heights too: terrain is taken as flat along a link (links here
are at most a few hundred metres).

A pair is visible when the straight 3D segment from the antenna to the receiver passes
above every cell it crosses. The kernel walks the cells each segment crosses exactly
(Amanatides-Woo grid traversal) and compares the segment's lowest height inside the cell
(at the cell's entry or exit) with the cell's height: no sampling step to miss a thin
wall. It runs as a numba kernel in parallel over pairs, or without numba as numpy over
all pairs one cell crossing at a time (a loop over crossings, never over pairs).

Each pair may ignore the cells of one building (``own``): the demand point of a
building is its footprint centroid, and ignoring its own building puts the receiver on
the facade where the line towards the pole leaves the building (the facade facing the
pole). The first metre at the pole is not tested (a pole within half a cell of a wall
would otherwise stand inside it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

try:  # numba is optional
    from numba import njit, prange
except ImportError:  # pragma: no cover - exercised when numba is absent
    njit = None
    prange = range

#: names of a footprint layer's height field, first found wins
HEIGHT_FIELDS = ("height_m", "height", "measuredHeight", "building_height", "h")
MAX_CELLS = 40_000_000


@dataclass
class BuildingGrid:
    """Building heights above ground (``height``, float32) and owners (``owner``, int32,
    -1 = no building) on a north-up grid: cell (r, c) spans ``x0 + c*cell`` ..
    ``x0 + (c+1)*cell`` and ``y0 - (r+1)*cell`` .. ``y0 - r*cell``."""

    height: np.ndarray
    owner: np.ndarray
    x0: float
    y0: float
    cell: float

    def owner_at(self, xy: np.ndarray) -> np.ndarray:
        c = np.floor((xy[:, 0] - self.x0) / self.cell).astype(np.int64)
        r = np.floor((self.y0 - xy[:, 1]) / self.cell).astype(np.int64)
        rows, cols = self.height.shape
        inside = (r >= 0) & (c >= 0) & (r < rows) & (c < cols)
        out = np.full(len(xy), -1, np.int64)
        out[inside] = self.owner[r[inside], c[inside]]
        return out


def _grid_frame(bounds: tuple[float, float, float, float], cell: float) -> tuple:
    xmin, ymin, xmax, ymax = bounds
    area = max(xmax - xmin, 1.0) * max(ymax - ymin, 1.0)
    cell = max(float(cell), math.sqrt(area / MAX_CELLS))
    cols = max(math.ceil((xmax - xmin) / cell), 1)
    rows = max(math.ceil((ymax - ymin) / cell), 1)
    return float(xmin), float(ymin + rows * cell), cell, (rows, cols)


def grid_from_mesh(vertices: np.ndarray, triangles: np.ndarray, tri_object: np.ndarray,
                   bounds: tuple[float, float, float, float], cell: float = 1.0) -> BuildingGrid:
    """Raster of a city model's triangles: each cell takes the highest roof above its
    centre, as a height above the lowest point of that building."""
    from pole_siting.radio import load_coverage_5g

    if not load_coverage_5g():
        raise ImportError("the 5G coverage plugin (coverage_5g) is not available")
    from coverage_5g.height_raster import rasterize_triangles

    x0, y0, cell, shape = _grid_frame(bounds, cell)
    tri = np.asarray(triangles, np.int64)
    obj = np.asarray(tri_object, np.int64)
    corners = np.asarray(vertices, float)[tri]  # (n, 3, 3)
    # keep the triangles that reach into the grid
    lo, hi = corners[:, :, :2].min(axis=1), corners[:, :, :2].max(axis=1)
    xmax, ymin = x0 + shape[1] * cell, y0 - shape[0] * cell
    near = (hi[:, 0] >= x0) & (lo[:, 0] <= xmax) & (hi[:, 1] >= ymin) & (lo[:, 1] <= y0)
    corners, obj = corners[near], obj[near]
    if not len(obj):
        return BuildingGrid(np.zeros(shape, np.float32), np.full(shape, -1, np.int32), x0, y0,
                            cell)
    n = int(obj.max()) + 1
    zmin = np.full(n, np.inf)
    np.minimum.at(zmin, obj, corners[:, :, 2].min(axis=1))
    corners[:, :, 2] -= zmin[obj][:, None]
    flat = corners.reshape(-1, 3)
    z, owner = rasterize_triangles(flat, np.arange(len(flat)).reshape(-1, 3), obj, x0, y0,
                                   cell, shape)
    height = np.where(owner >= 0, np.maximum(z, 0.0), 0.0)
    return BuildingGrid(height.astype(np.float32), owner.astype(np.int32), x0, y0, cell)


def grid_from_polygons(polygons: Any, heights: np.ndarray,
                       bounds: tuple[float, float, float, float],
                       cell: float = 1.0) -> BuildingGrid:
    """Raster of footprints with heights: a cell belongs to the footprint holding its
    centre (the tallest one if several)."""
    import shapely

    x0, y0, cell, shape = _grid_frame(bounds, cell)
    rows, cols = shape
    height = np.zeros(rows * cols, np.float32)
    owner = np.full(rows * cols, -1, np.int32)
    polys = np.asarray(polygons)
    h = np.nan_to_num(np.asarray(heights, float), nan=0.0)
    ok = ~shapely.is_empty(polys) & (h > 0)
    idx = np.flatnonzero(ok)
    if not len(idx):
        return BuildingGrid(height.reshape(shape), owner.reshape(shape), x0, y0, cell)
    b = shapely.bounds(polys[idx])
    c_lo = np.maximum(np.ceil((b[:, 0] - x0) / cell - 0.5), 0).astype(np.int64)
    c_hi = np.minimum(np.floor((b[:, 2] - x0) / cell - 0.5), cols - 1).astype(np.int64)
    r_lo = np.maximum(np.ceil((y0 - b[:, 3]) / cell - 0.5), 0).astype(np.int64)
    r_hi = np.minimum(np.floor((y0 - b[:, 1]) / cell - 0.5), rows - 1).astype(np.int64)
    w = np.maximum(c_hi - c_lo + 1, 0)
    n = w * np.maximum(r_hi - r_lo + 1, 0)
    which = np.repeat(np.arange(len(idx)), n)
    k = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
    cc = c_lo[which] + k % w[which]
    rr = r_lo[which] + k // w[which]
    inside = shapely.contains_xy(polys[idx][which], x0 + (cc + 0.5) * cell,
                                 y0 - (rr + 0.5) * cell)
    flat = rr[inside] * cols + cc[inside]
    fid, fh = idx[which[inside]], h[idx[which[inside]]]
    order = np.lexsort((fh, flat))  # per cell the tallest last
    flat, fid, fh = flat[order], fid[order], fh[order]
    last = np.r_[flat[1:] != flat[:-1], True] if len(flat) else np.zeros(0, bool)
    height[flat[last]] = fh[last]
    owner[flat[last]] = fid[last]
    return BuildingGrid(height.reshape(shape), owner.reshape(shape), x0, y0, cell)


# --- the kernel ----------------------------------------------------------------------
def _blocked_py(height, owner, x0, y0, cell, ax, ay, az, bx, by, bz, own,
                out):  # pragma: no cover - compiled by numba
    rows, cols = height.shape
    for p in prange(ax.shape[0]):
        u0 = (ax[p] - x0) / cell
        v0 = (y0 - ay[p]) / cell
        du = (bx[p] - x0) / cell - u0
        dv = (y0 - by[p]) / cell - v0
        dz = bz[p] - az[p]
        c = math.floor(u0)
        r = math.floor(v0)
        if du > 0.0:
            sc, tc, dc = 1, (c + 1.0 - u0) / du, 1.0 / du
        elif du < 0.0:
            sc, tc, dc = -1, (c - u0) / du, -1.0 / du
        else:
            sc, tc, dc = 0, np.inf, np.inf
        if dv > 0.0:
            sr, tr, dr = 1, (r + 1.0 - v0) / dv, 1.0 / dv
        elif dv < 0.0:
            sr, tr, dr = -1, (r - v0) / dv, -1.0 / dv
        else:
            sr, tr, dr = 0, np.inf, np.inf
        t = 0.0
        hit = False
        while True:
            t_next = min(tc, tr, 1.0)
            if t_next - t > 1e-12 and 0 <= r < rows and 0 <= c < cols:
                zlow = az[p] + (t if dz >= 0.0 else t_next) * dz
                if height[r, c] > zlow:
                    o = owner[r, c]
                    if o < 0 or o != own[p]:
                        hit = True
                        break
            if t_next >= 1.0:
                break
            if tc <= tr:
                c += sc
                t = tc
                tc += dc
            else:
                r += sr
                t = tr
                tr += dr
        out[p] = hit


_blocked_nb = (njit(parallel=True, cache=True, nogil=True)(_blocked_py) if njit is not None
               else None)


def _blocked_numpy(height, owner, x0, y0, cell, ax, ay, az, bx, by, bz, own, out,
                   chunk: int = 1_000_000) -> None:
    """The same traversal for all pairs of a chunk at once, one crossing per step."""
    rows, cols = height.shape
    for s in range(0, len(ax), chunk):
        sl = slice(s, s + chunk)
        u0 = (ax[sl] - x0) / cell
        v0 = (y0 - ay[sl]) / cell
        du = (bx[sl] - x0) / cell - u0
        dv = (y0 - by[sl]) / cell - v0
        a, dz, own_s = az[sl], bz[sl] - az[sl], own[sl]
        c = np.floor(u0).astype(np.int64)
        r = np.floor(v0).astype(np.int64)
        with np.errstate(divide="ignore", invalid="ignore"):
            sc = np.sign(du).astype(np.int64)
            sr = np.sign(dv).astype(np.int64)
            tc = np.where(du > 0, (c + 1.0 - u0) / du, np.where(du < 0, (c - u0) / du, np.inf))
            tr = np.where(dv > 0, (r + 1.0 - v0) / dv, np.where(dv < 0, (r - v0) / dv, np.inf))
            dc = np.where(du != 0, np.abs(1.0 / du), np.inf)
            dr = np.where(dv != 0, np.abs(1.0 / dv), np.inf)
        t = np.zeros(len(u0))
        hit = np.zeros(len(u0), bool)
        act = np.arange(len(u0))
        while len(act):
            tn = np.minimum(np.minimum(tc[act], tr[act]), 1.0)
            ra, ca = r[act], c[act]
            ok = ((tn - t[act]) > 1e-12) & (ra >= 0) & (ca >= 0) & (ra < rows) & (ca < cols)
            hh = np.zeros(len(act), np.float32)
            oo = np.full(len(act), -1, np.int64)
            hh[ok] = height[ra[ok], ca[ok]]
            oo[ok] = owner[ra[ok], ca[ok]]
            zlow = a[act] + np.where(dz[act] >= 0, t[act], tn) * dz[act]
            block = ok & ((oo < 0) | (oo != own_s[act])) & (hh > zlow)
            hit[act[block]] = True
            go = ~block & (tn < 1.0)
            act, tn = act[go], tn[go]
            step_c = tc[act] <= tr[act]
            ic, ir = act[step_c], act[~step_c]
            c[ic] += sc[ic]
            t[ic] = tc[ic]
            tc[ic] += dc[ic]
            r[ir] += sr[ir]
            t[ir] = tr[ir]
            tr[ir] += dr[ir]
        out[sl] = hit


def blocked(grid: BuildingGrid, a: np.ndarray, b: np.ndarray, own: np.ndarray | None = None,
            backend: str = "auto") -> np.ndarray:
    """True where the segment a -> b ((n, 3) each: x, y, height above ground) passes
    below the top of a building cell it crosses; cells of building ``own[i]`` are
    ignored for pair i (-1: none). ``backend``: "numba", "numpy" or "auto"."""
    a = np.asarray(a, float)
    b = np.asarray(b, float)
    n = len(a)
    out = np.zeros(n, bool)
    if not n:
        return out
    own_arr = (np.full(n, -1, np.int64) if own is None
               else np.ascontiguousarray(own, dtype=np.int64))
    args = (np.ascontiguousarray(grid.height, np.float32),
            np.ascontiguousarray(grid.owner, np.int32), float(grid.x0), float(grid.y0),
            float(grid.cell), *(np.ascontiguousarray(a[:, i]) for i in range(3)),
            *(np.ascontiguousarray(b[:, i]) for i in range(3)), own_arr, out)
    if backend == "numba" or (backend == "auto" and _blocked_nb is not None):
        if _blocked_nb is None:
            raise RuntimeError("numba is not installed")
        _blocked_nb(*args)
    else:
        _blocked_numpy(*args)
    return out


def has_numba() -> bool:
    return _blocked_nb is not None


# --- poles and demand ----------------------------------------------------------------
@dataclass
class Sight:
    """The buildings as seen from the poles: ``visible(...)`` for pairs of pole and
    demand point. ``owners[n]`` holds the building of each demand point of requirement
    n (-1 = none: the building under the point, if any, is used)."""

    grid: BuildingGrid
    owners: dict[int, np.ndarray]
    clear_m: float = 1.0
    backend: str = "auto"

    def visible(self, r_i: int | None, poles_xy: np.ndarray, tx_h: np.ndarray,
                demand_xy: np.ndarray, rx_h: float | np.ndarray, i: np.ndarray,
                j: np.ndarray) -> np.ndarray:
        """Line of sight of pairs (demand i, pole j); ``tx_h`` per pole, ``rx_h`` per
        demand point or one value, both above ground."""
        # pairs of one pole run together: the cells they read stay in cache (twice as
        # fast on the benchmark's 3M pairs as pairs in search order)
        order = np.argsort(j, kind="stable")
        out = np.empty(len(i), bool)
        out[order] = self._visible(r_i, poles_xy, tx_h, demand_xy, rx_h, i[order], j[order])
        return out

    def _visible(self, r_i: int | None, poles_xy: np.ndarray, tx_h: np.ndarray,
                 demand_xy: np.ndarray, rx_h: float | np.ndarray, i: np.ndarray,
                 j: np.ndarray) -> np.ndarray:
        owners = self.owners.get(r_i) if r_i is not None else None
        if owners is None or len(owners) != len(demand_xy):
            owners = self.grid.owner_at(demand_xy)
        else:
            owners = np.where(owners >= 0, owners, self.grid.owner_at(demand_xy))
        tx = np.column_stack([poles_xy[j], np.asarray(tx_h, float)[j]])
        rx_h_arr = np.broadcast_to(np.asarray(rx_h, float), (len(demand_xy),))
        rx = np.column_stack([demand_xy[i], rx_h_arr[i]])
        # start the test clear_m from the pole, towards the receiver
        d = np.hypot(*(rx[:, :2] - tx[:, :2]).T)
        f = np.where(d > self.clear_m, self.clear_m / np.maximum(d, 1e-9), 0.0)[:, None]
        start = tx + (rx - tx) * f
        return ~blocked(self.grid, start, rx, owners[i], self.backend)


def sight_from_layer(layer: Any, extent_xy: np.ndarray, margin: float,
                     cell: float = 1.0) -> tuple[BuildingGrid | None, str | None]:
    """The building grid of a city model or footprint layer around ``extent_xy``; (None,
    a note) when the layer gives no heights."""
    from cimviewer.api import CityModelLayer
    from pole_siting.inputs import polygons_of

    xy = np.asarray(extent_xy, float)
    bounds = (float(xy[:, 0].min() - margin), float(xy[:, 1].min() - margin),
              float(xy[:, 0].max() + margin), float(xy[:, 1].max() + margin))
    if isinstance(layer, CityModelLayer):
        mesh = layer.model.mesh_for_lod(layer.lod)
        try:
            return grid_from_mesh(mesh.vertices, mesh.triangles, mesh.tri_object, bounds,
                                  cell), None
        except ImportError:
            return None, ("the 5G coverage plugin is not available to rasterize the city "
                          "model: no line of sight (every pair taken as visible / NLOS)")
    data = layer.data
    if data.kind != "polygon":
        return None, ("buildings are points (no footprints): no line of sight (cameras see "
                      "everything in range, 5G pairs NLOS)")
    field = next((f for f in HEIGHT_FIELDS if f in data.columns), None)
    if field is None:
        return None, ("buildings have no height field (" + ", ".join(HEIGHT_FIELDS)
                      + "): no line of sight (cameras see everything in range, 5G pairs "
                        "NLOS)")
    values = np.array([np.nan if v is None or v == "" else v for v in data.columns[field]],
                      dtype=object)
    try:
        heights = values.astype(float)
    except (TypeError, ValueError):
        return None, f"buildings: field {field!r} is not numeric: no line of sight"
    return grid_from_polygons(polygons_of(data), heights, bounds, cell), None
