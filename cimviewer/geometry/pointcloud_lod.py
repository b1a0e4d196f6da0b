"""Ordering a point cloud once for level of detail (potree-like nested subsamples).

Points are grouped into nodes, cubes of one size on a grid over the cloud (about
``NODE_POINTS`` points each, at most ``MAX_NODES`` nodes: each drawn node is one VTK
actor). Inside a node, points are sorted by Morton code on a 128^3 grid, so each cell of
every coarser grid (4^3, 8^3, ... 64^3) is a run of points. Every point gets a random key;
a point's level is the coarsest grid on which it has the smallest key of its cell. Such
a point is also the smallest of its cell on every finer grid, so the levels nest: levels
``0..l`` hold exactly one point per occupied cell of grid ``l`` (an even subsample, at
any density), and the last level holds the rest. Points are then sorted by node and
level (Morton order inside a level): the first ``level_ends[i, l]`` points of node ``i``
are an even subsample of it, and the renderer draws whole levels.

Everything is vectorised (no Python loop per point): two stable radix sorts by 16-bit
digits (linear time) and a few passes; about 40 bytes a point of scratch memory.
"""

from __future__ import annotations

import math

import numpy as np

from cimviewer.core.pointcloud import PointLod

#: points per node aimed at (fewer, larger nodes above MAX_NODES * NODE_POINTS)
NODE_POINTS = 100_000
#: nodes at most: each node in view is one actor (VTK costs ~0.1 ms an actor in software)
MAX_NODES = 256
#: clouds up to this size are one node
SINGLE_NODE_POINTS = 150_000
#: grid levels inside a node: 4^3, 8^3, ... 128^3 cells (then the rest of the points)
FIRST_LEVEL_BITS = 2
GRID_BITS = 7
N_GRID_LEVELS = GRID_BITS - FIRST_LEVEL_BITS + 1


def _spread_table(bits: int) -> np.ndarray:
    """Morton spreading of ``bits``-bit integers: bit k of i goes to bit 3k."""
    values = np.arange(1 << bits, dtype=np.int64)
    out = np.zeros_like(values)
    for k in range(bits):
        out |= ((values >> k) & 1) << (3 * k)
    return out


_SPREAD = _spread_table(GRID_BITS)


def node_size_for(extent: np.ndarray, n_points: int) -> float:
    """Side of the node cubes: about n / NODE_POINTS nodes over a surface or a volume."""
    target = min(max(n_points / NODE_POINTS, 1.0), MAX_NODES)
    ex, ey, ez = (max(float(e), 1e-6) for e in extent)
    surface = math.sqrt(ex * ey / target)
    volume = (ex * ey * ez / target) ** (1 / 3)
    return max(surface, volume, 1e-3)


def build_lod(local: np.ndarray, *, seed: int = 0) -> tuple[np.ndarray, PointLod]:
    """The LoD order of points ``local`` ((n, 3) float32) and the node structure of the
    points taken in that order. ``order`` is a permutation (int64)."""
    n = len(local)
    if n == 0:
        return np.zeros(0, np.int64), PointLod.single(0)
    lo = local.min(axis=0).astype(np.float64)
    hi = local.max(axis=0).astype(np.float64)
    extent = hi - lo
    size = (float(extent.max()) * (1 + 1e-6) + 1e-3 if n <= SINGLE_NODE_POINTS
            else node_size_for(extent, n))
    dims = np.maximum(np.ceil(extent / size + 1e-9).astype(np.int64), 1)
    key, node = _cell_keys(local, lo, size, dims)
    used, node = _compact(node, int(np.prod(dims)))  # occupied nodes, compact ids
    n_nodes = len(used)
    key |= node << (3 * GRID_BITS)
    del node
    order = radix_argsort(key, 3 * GRID_BITS + max(int(n_nodes - 1).bit_length(), 1))
    key = np.take(key, order)
    rng = np.random.default_rng(seed)
    rand = rng.integers(0, 1 << 31, n, dtype=np.uint32)
    level = _levels(key, rand)
    del rand
    n_levels = N_GRID_LEVELS + 1
    # by node and level, in Morton order inside a level (a stable radix sort: O(n))
    bucket = (key >> (3 * GRID_BITS)) * n_levels + level
    del key, level
    second = radix_argsort(bucket, max(int(n_nodes * n_levels - 1).bit_length(), 1))
    order = np.take(order, second)
    bucket = np.take(bucket, second)
    del second
    counts = np.bincount(bucket, minlength=n_nodes * n_levels).reshape(n_nodes, n_levels)
    del bucket
    offsets = np.r_[0, np.cumsum(counts.sum(axis=1))].astype(np.int64)
    level_ends = np.cumsum(counts, axis=1).astype(np.int64)
    spacing = np.empty((n_nodes, n_levels))
    spacing[:, :N_GRID_LEVELS] = size / (1 << (FIRST_LEVEL_BITS + np.arange(N_GRID_LEVELS)))
    # the last level fills in: its spacing shrinks with the points it adds (a surface)
    grid_points = np.maximum(level_ends[:, N_GRID_LEVELS - 1], 1)
    spacing[:, -1] = spacing[:, -2] * np.sqrt(grid_points / np.maximum(level_ends[:, -1], 1))
    lod = PointLod(offsets, level_ends, spacing, np.zeros((n_nodes, 6)))
    lod.bounds = node_bounds(np.take(local, order, axis=0), offsets)
    return order, lod


def _cell_keys(local: np.ndarray, lo: np.ndarray, size: float,
               dims: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each point's node on the grid of ``dims`` cubes of side ``size`` (a raw index)
    and its Morton code on the node's 128^3 grid."""
    n = len(local)
    key = np.empty(n, np.int64)
    node = np.empty(n, np.int64)
    if _numba_kernels is not None and n >= NUMBA_MIN_POINTS:
        _numba_kernels[0](local, lo, float(size), dims.astype(np.int64), _SPREAD, node, key)
        return key, node
    cells = 1 << GRID_BITS
    key[:] = 0
    node[:] = 0
    for axis in range(3):  # one axis at a time: scratch of one float64 column
        t = (local[:, axis].astype(np.float64) - lo[axis]) / size
        cell = np.minimum(t.astype(np.int64), dims[axis] - 1)
        sub = np.clip(((t - cell) * cells).astype(np.int64), 0, cells - 1)
        node += cell * int(np.prod(dims[:axis]))
        key |= _SPREAD[sub] << axis
        del t, cell, sub
    return key, node


def _levels(key: np.ndarray, rand: np.ndarray) -> np.ndarray:
    """The level of each point of Morton-sorted ``key``: the coarsest grid on which it
    has the smallest ``rand`` of its cell (N_GRID_LEVELS: none, the rest)."""
    n = len(key)
    level = np.full(n, N_GRID_LEVELS, np.int64)
    if _numba_kernels is not None and n >= NUMBA_MIN_POINTS:
        _numba_kernels[1](key, rand, level)
        return level
    for lv in range(N_GRID_LEVELS):
        shift = 3 * (GRID_BITS - FIRST_LEVEL_BITS - lv)
        cellkey = key >> shift
        starts = np.flatnonzero(np.r_[True, cellkey[1:] != cellkey[:-1]])
        del cellkey
        smallest = np.minimum.reduceat(rand, starts)
        smallest = np.repeat(smallest, np.diff(np.r_[starts, n]))
        level[(rand == smallest) & (level == N_GRID_LEVELS)] = lv
        del smallest, starts
    return level


try:  # numba is optional: the numpy passes above do the same
    from numba import njit
except ImportError:  # pragma: no cover
    njit = None  # type: ignore[assignment]


def _cell_keys_py(local, lo, size, dims, spread, node_out, key_out):  # pragma: no cover
    cells = spread.shape[0]
    for i in range(local.shape[0]):
        node = 0
        key = 0
        stride = 1
        for a in range(3):
            t = (np.float64(local[i, a]) - lo[a]) / size
            c = int(t)
            if c > dims[a] - 1:
                c = dims[a] - 1
            sub = int((t - c) * cells)
            sub = min(max(sub, 0), cells - 1)
            node += c * stride
            stride *= dims[a]
            key |= spread[sub] << a
        node_out[i] = node
        key_out[i] = key


def _levels_py(key, rand, level_out):  # pragma: no cover
    current = np.full(N_GRID_LEVELS, -1, np.int64)
    best = np.zeros(N_GRID_LEVELS, np.uint32)
    where = np.zeros(N_GRID_LEVELS, np.int64)
    for i in range(key.shape[0]):
        for lv in range(N_GRID_LEVELS):
            cell = key[i] >> (3 * (GRID_BITS - FIRST_LEVEL_BITS - lv))
            if cell != current[lv]:
                if current[lv] >= 0 and level_out[where[lv]] > lv:
                    level_out[where[lv]] = lv
                current[lv] = cell
                best[lv] = rand[i]
                where[lv] = i
            elif rand[i] < best[lv]:
                best[lv] = rand[i]
                where[lv] = i
    for lv in range(N_GRID_LEVELS):
        if current[lv] >= 0 and level_out[where[lv]] > lv:
            level_out[where[lv]] = lv


#: the two per-point passes compiled by numba (one pass each instead of numpy's
#: several, no scratch arrays), or None without numba
_numba_kernels = (None if njit is None else
                  (njit(cache=True, nogil=True)(_cell_keys_py),
                   njit(cache=True, nogil=True)(_levels_py)))

#: below this many points numpy is quick enough (and numba's first compile is not paid)
NUMBA_MIN_POINTS = 1_000_000


def _compact(ids: np.ndarray, n_ids: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of ``ids`` (sorted) and each id's index among them."""
    if n_ids > 1 << 26:
        used, inverse = np.unique(ids, return_inverse=True)
        return used, inverse.astype(np.int64)
    present = np.bincount(ids, minlength=n_ids) > 0
    index = np.cumsum(present) - 1
    return np.flatnonzero(present), index[ids]


def radix_argsort(key: np.ndarray, bits: int) -> np.ndarray:
    """A stable argsort of non-negative integers below ``2**bits``, by 16-bit passes
    (numpy sorts 16-bit integers by radix: linear time)."""
    order: np.ndarray | None = None
    for shift in range(0, max(bits, 1), 16):
        digit = ((key >> shift) & 0xFFFF).astype(np.uint16)
        if order is None:
            order = np.argsort(digit, kind="stable")
        else:
            order = np.take(order, np.argsort(np.take(digit, order), kind="stable"))
        del digit
    assert order is not None
    return order


def node_bounds(sorted_local: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """(n_nodes, 6) box of each node's points (min xyz, max xyz)."""
    starts = offsets[:-1]
    if not len(starts) or not len(sorted_local):
        return np.zeros((len(starts), 6))
    lo = np.minimum.reduceat(sorted_local, starts, axis=0)
    hi = np.maximum.reduceat(sorted_local, starts, axis=0)
    return np.hstack([lo, hi]).astype(np.float64)
