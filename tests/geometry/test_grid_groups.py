"""One-pass grouping (geometry.grid_groups, numba) against the sorting it replaces: the
same tiles of features and the same coarse block levels."""

from __future__ import annotations

import numpy as np
import pytest

from cimviewer.geometry import grid_groups, hlod
from cimviewer.io.cityjson import streamed

pytestmark = pytest.mark.skipif(not grid_groups.AVAILABLE, reason="numba not installed")


def _city(n: int, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 3000, n)
    y = rng.uniform(0, 1200, n)
    w = rng.uniform(5, 30, n)
    d = rng.uniform(5, 30, n)
    h = rng.uniform(3, 80, n)
    boxes = np.stack([x, y, np.zeros(n), x + w, y + d, h], axis=1)
    boxes[rng.choice(n, 50, replace=False)] = np.nan  # features without vertices
    lengths = rng.integers(200, 900, n)
    return boxes, lengths


def test_tiles_without_sorting_are_the_sorted_tiles(monkeypatch):
    monkeypatch.setattr(grid_groups, "NUMBA_MIN_ROWS", 0)
    boxes, lengths = _city(20_000)
    ok = np.isfinite(boxes).all(axis=1)
    centres = (boxes[ok, :2] + boxes[ok, 3:5]) / 2
    origin = centres.min(axis=0)
    fast = grid_groups.tile_groups(boxes, lengths, origin, 137.0)
    slow = streamed._sorted_tiles(boxes, lengths, origin, 137.0)
    assert fast is not None
    for a, b in zip(fast, slow, strict=True):
        np.testing.assert_array_equal(a, b)
    order, starts = fast[0], fast[1]
    assert sorted(order.tolist()) == list(range(len(boxes)))
    for k in range(len(starts) - 1):  # each tile's features in file order
        assert (np.diff(order[starts[k]:starts[k + 1]]) > 0).all()


def test_block_levels_in_one_pass_match_the_sorted_levels(monkeypatch):
    monkeypatch.setattr(grid_groups, "NUMBA_MIN_ROWS", 0)
    boxes, _ = _city(20_000)
    anchors = (boxes[:, :2] + boxes[:, 3:5]) / 2
    origin = np.nanmin(anchors, axis=0)
    objects = np.arange(len(boxes)) * 3  # rows stand for other objects
    objects[::97] = -1  # and some for none
    fast = hlod.block_levels(boxes, anchors, origin, 200.0, (16, 8, 4), objects)
    monkeypatch.setattr(grid_groups, "AVAILABLE", False)
    slow = hlod.block_levels(boxes, anchors, origin, 200.0, (16, 8, 4), objects)
    for a, b in zip(fast, slow, strict=True):
        assert a.tile_keys == b.tile_keys
        assert [(s.start, s.stop) for s in a.tile_slices] == \
            [(s.start, s.stop) for s in b.tile_slices]
        for part in a.tile_slices:  # cells within a tile may come in another order
            ca, cb = a.cell_object[part], b.cell_object[part]
            oa, ob = np.argsort(ca), np.argsort(cb)
            np.testing.assert_array_equal(ca[oa], cb[ob])
            va = a.vertices[8 * part.start:8 * part.stop].reshape(-1, 8, 3)
            vb = b.vertices[8 * part.start:8 * part.stop].reshape(-1, 8, 3)
            np.testing.assert_allclose(va[oa], vb[ob], rtol=0, atol=1e-7)
        assert not np.isin(a.cell_object, objects[::97]).any()
        assert (a.cell_object % 3 == 0).all()
    assert len(fast[0].cell_object) > len(fast[1].cell_object) > len(fast[2].cell_object)
