"""Polygon problems by val3dity's names, found over flat polygon arrays."""

from __future__ import annotations

import numpy as np
import pytest

from cimviewer.geometry import validity as v


def flat(polygons):
    """[[ring, ring...], ...] of (x, y, z) points -> the flat arrays readers pass."""
    vertices, ring_vertices, ring_offsets, polygon_offsets = [], [], [0], [0]
    for rings in polygons:
        for ring in rings:
            for point in ring:
                ring_vertices.append(len(vertices))
                vertices.append(point)
            ring_offsets.append(len(ring_vertices))
        polygon_offsets.append(len(ring_offsets) - 1)
    return (np.array(vertices, float).reshape(-1, 3), np.array(ring_vertices),
            np.array(ring_offsets), np.array(polygon_offsets))


SQUARE = [(0, 0, 0), (10, 0, 0), (10, 10, 0), (0, 10, 0)]
HOLE = [(2, 2, 0), (2, 4, 0), (4, 4, 0), (4, 2, 0)]


def kinds(polygons):
    found = v.polygon_problems(*flat(polygons))
    return {kind: np.flatnonzero(mask).tolist() for kind, mask in found.items()}


def test_valid_polygons_have_no_problem_even_far_from_the_origin():
    far = [(x + 4.5e5, y + 4.4e6, z + 1200.0) for x, y, z in SQUARE]
    tilted = [(0, 0, 0), (10, 0, 5), (10, 10, 5), (0, 10, 0)]  # planar, not horizontal
    assert kinds([[SQUARE, HOLE], [far], [tilted]]) == {}


def test_each_problem_is_named_on_its_polygon_only():
    repeated = [SQUARE[0], SQUARE[1], SQUARE[1], SQUARE[2], SQUARE[3]]
    closed = [*SQUARE, SQUARE[0]]  # the first point repeated at the end
    two_points = [(0, 0, 0), (5, 0, 0), (0, 0, 0)]
    on_a_line = [(0, 0, 0), (5, 0, 0), (10, 0, 0)]
    bent = [(0, 0, 0), (10, 0, 0), (10, 10, 0.05), (0, 10, 0)]
    slightly = [(0, 0, 0), (10, 0, 0), (10, 10, 0.004), (0, 10, 0)]  # under 1 cm
    bad_hole = [SQUARE, [(2, 2, 0), (4, 4, 0)]]
    found = kinds([[SQUARE], [repeated], [closed], [two_points], [on_a_line], [bent],
                   [slightly], bad_hole])
    assert found == {
        v.CONSECUTIVE_POINTS_SAME: [1, 2],
        v.TOO_FEW_POINTS: [3, 7],
        v.DEGENERATE_POLYGON: [4],
        v.NON_PLANAR: [5],
    }


@pytest.mark.parametrize("height", [0.011, 0.5, 30.0])
def test_planarity_tolerance_is_one_centimetre(height):
    # one corner of a square lifted by 4h: every corner is about h from the polygon's
    # plane (through the centroid, Newell normal), just over the 1 cm tolerance at least
    bent = [(0, 0, 0), (10, 0, 0), (10, 10, 4 * height), (0, 10, 0)]
    assert v.NON_PLANAR in kinds([[bent]])


def test_empty_input():
    assert v.polygon_problems(np.zeros((0, 3)), np.zeros(0, int), np.zeros(1, int),
                              np.zeros(1, int)) == {}
