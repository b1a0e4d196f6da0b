"""The level-of-detail order of point clouds: nested, spatially even subsamples."""

from __future__ import annotations

import numpy as np
import pytest

from cimviewer.geometry import pointcloud_lod
from cimviewer.geometry.pointcloud_lod import FIRST_LEVEL_BITS, N_GRID_LEVELS, build_lod


def _cells(local: np.ndarray, lo: np.ndarray, size: float, dims: np.ndarray, bits: int):
    """(node, cell) of points on the grid of ``2**bits`` cells per node side."""
    t = (local.astype(np.float64) - lo) / size
    node = np.minimum(t.astype(np.int64), dims - 1)
    sub = np.clip(((t - node) * (1 << bits)).astype(np.int64), 0, (1 << bits) - 1)
    return [tuple(r) for r in np.hstack([node, sub]).tolist()]


def test_order_is_a_permutation_grouped_by_node_and_level(monkeypatch):
    monkeypatch.setattr(pointcloud_lod, "SINGLE_NODE_POINTS", 1000)
    monkeypatch.setattr(pointcloud_lod, "NODE_POINTS", 5000)
    rng = np.random.default_rng(1)
    local = (rng.random((40_000, 3)) * [400, 300, 5]).astype(np.float32)
    order, lod = build_lod(local)
    assert np.array_equal(np.sort(order), np.arange(len(local)))
    assert lod.n_nodes > 4 and lod.offsets[-1] == len(local)
    assert (np.diff(lod.level_ends, axis=1) >= 0).all()
    np.testing.assert_array_equal(lod.level_ends[:, -1], lod.counts())
    sorted_local = local[order]
    for i in range(lod.n_nodes):  # each node's box holds its points
        pts = sorted_local[lod.offsets[i]:lod.offsets[i + 1]]
        assert (pts >= lod.bounds[i, :3] - 1e-4).all() and (pts <= lod.bounds[i, 3:] + 1e-4).all()
    assert (np.diff(lod.spacing, axis=1) < 0).all()  # finer level by level


def test_every_level_holds_one_point_of_each_occupied_cell():
    rng = np.random.default_rng(2)
    # uneven density: a dense cluster in one corner, sparse points elsewhere
    sparse = rng.random((3000, 3)) * [100, 100, 2]
    dense = rng.random((30_000, 3)) * [10, 10, 2]
    local = np.vstack([sparse, dense]).astype(np.float32)
    order, lod = build_lod(local)
    assert lod.n_nodes == 1  # a small cloud is one node: its grid is over the whole cloud
    pts = local[order]
    lo = local.min(axis=0).astype(np.float64)
    size = float(np.ptp(local, axis=0).max()) * (1 + 1e-6) + 1e-3
    dims = np.ones(3, np.int64)
    for level in range(N_GRID_LEVELS):
        bits = FIRST_LEVEL_BITS + level
        prefix = pts[: lod.level_ends[0, level]]
        wanted = set(_cells(local, lo, size, dims, bits))
        got = _cells(prefix, lo, size, dims, bits)
        assert len(got) == len(set(got))  # one point per cell, no more
        assert set(got) == wanted  # every occupied cell, the sparse ones too


def test_indices_of_prefixes():
    _order, lod = build_lod(np.random.default_rng(3).random((500, 3)).astype(np.float32))
    idx = lod.indices(np.array([7]))
    np.testing.assert_array_equal(idx, np.arange(7))


def test_numba_and_numpy_passes_agree(monkeypatch):
    if pointcloud_lod._numba_kernels is None:
        pytest.skip("numba is not installed")
    rng = np.random.default_rng(4)
    local = (rng.random((60_000, 3)) * [300, 200, 30]).astype(np.float32)
    monkeypatch.setattr(pointcloud_lod, "SINGLE_NODE_POINTS", 1000)
    monkeypatch.setattr(pointcloud_lod, "NODE_POINTS", 8000)
    monkeypatch.setattr(pointcloud_lod, "NUMBA_MIN_POINTS", 10**12)
    order_np, lod_np = build_lod(local)
    monkeypatch.setattr(pointcloud_lod, "NUMBA_MIN_POINTS", 0)
    order_nb, lod_nb = build_lod(local)
    np.testing.assert_array_equal(order_np, order_nb)
    np.testing.assert_array_equal(lod_np.level_ends, lod_nb.level_ends)
