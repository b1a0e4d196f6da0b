"""Triangulation: areas, orientation, holes, concave and degenerate polygons."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cimviewer.geometry.triangulate import newell_normals, triangulate_polygons


def layout(polygons: list[list[list[int]]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Flat layout from nested polygons (list of rings of vertex indices)."""
    rv, ro, po = [], [0], [0]
    for rings in polygons:
        for ring in rings:
            rv += ring
            ro.append(len(rv))
        po.append(len(ro) - 1)
    return np.array(rv, np.int64), np.array(ro), np.array(po)


def tri_vector_areas(vertices: np.ndarray, tris: np.ndarray) -> np.ndarray:
    a, b, c = (vertices[tris[:, i]] for i in range(3))
    return 0.5 * np.cross(b - a, c - a)


def per_polygon_area(vertices, tris, owner, n):
    out = np.zeros((n, 3))
    np.add.at(out, owner, tri_vector_areas(vertices, tris))
    return out


def shoelace(pts: np.ndarray) -> float:
    x, y = pts[:, 0], pts[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def test_square_with_hole_area_and_orientation():
    v = np.array([[0, 0, 0], [4, 0, 0], [4, 4, 0], [0, 4, 0],
                  [1, 1, 0], [1, 2, 0], [2, 2, 0], [2, 1, 0]], float)
    tris, owner = triangulate_polygons(v, *layout([[[0, 1, 2, 3], [4, 5, 6, 7]]]))
    area = per_polygon_area(v, tris, owner, 1)[0]
    np.testing.assert_allclose(area, [0, 0, 15])  # counter-clockwise: +z, 16 - 1
    assert tris.dtype == np.int32


def test_concave_l_shape_and_clockwise_ring():
    v = np.array([[0, 0, 5], [3, 0, 5], [3, 1, 5], [1, 1, 5], [1, 3, 5], [0, 3, 5]], float)
    ccw = [0, 1, 2, 3, 4, 5]
    tris, owner = triangulate_polygons(v, *layout([[ccw], [ccw[::-1]]]))
    areas = per_polygon_area(v, tris, owner, 2)
    np.testing.assert_allclose(areas[0], [0, 0, 5])
    np.testing.assert_allclose(areas[1], [0, 0, -5])
    # no triangle lies outside the L: every centroid is inside
    cent = v[tris].mean(axis=1)
    assert not ((cent[:, 0] > 1) & (cent[:, 1] > 1)).any()


def test_vertical_walls_and_large_coordinates():
    base = np.array([500000.0, 5400000.0, 100.0])
    v = base + np.array([[0, 0, 0], [10, 0, 0], [10, 0, 5], [0, 0, 5],
                         [10, 10, 0], [10, 10, 5]], float)
    tris, owner = triangulate_polygons(v, *layout([[[0, 1, 2, 3]], [[1, 4, 5, 2]]]))
    areas = per_polygon_area(v, tris, owner, 2)
    np.testing.assert_allclose(areas[0], [0, -50, 0], atol=1e-6)
    np.testing.assert_allclose(areas[1], [50, 0, 0], atol=1e-6)


def test_unit_cube_normals_point_outward():
    v = np.array([[x, y, z] for z in (0, 1) for y in (0, 1) for x in (0, 1)], float)
    faces = [[0, 2, 3, 1], [4, 5, 7, 6], [0, 1, 5, 4], [1, 3, 7, 5], [3, 2, 6, 7], [2, 0, 4, 6]]
    tris, _owner = triangulate_polygons(v, *layout([[f] for f in faces]))
    assert len(tris) == 12
    normals = tri_vector_areas(v, tris)
    outward = v[tris].mean(axis=1) - 0.5
    assert (np.einsum("ij,ij->i", normals, outward) > 0).all()
    # closed surface: vector areas sum to zero, total area 6
    np.testing.assert_allclose(normals.sum(axis=0), 0, atol=1e-12)
    assert np.linalg.norm(normals, axis=1).sum() == pytest.approx(6)


def test_degenerate_polygons_give_no_triangles():
    v = np.array([[0, 0, 0], [1, 0, 0], [2, 0, 0], [3, 0, 0]], float)
    polys = [[[0, 1, 2]], [[0, 1]], [], [[0, 0, 0, 0]], [[0, 1, 2, 3]]]
    tris, _owner = triangulate_polygons(v, *layout(polys))
    if len(tris):  # zero-area slivers are allowed, area must be zero
        assert np.abs(tri_vector_areas(v, tris)).max() == 0
    empty, _ = triangulate_polygons(v, np.zeros(0, int), np.zeros(1, int), np.zeros(1, int))
    assert empty.shape == (0, 3)


def test_degenerate_polygons_between_good_ones_do_not_shift_results():
    v = np.array([[0, 0, 0], [2, 0, 0], [2, 2, 0], [0, 2, 0], [0, 0, 1], [0, 2, 1]], float)
    polys = [[[0, 1, 2, 3]], [[0, 1]], [], [[4, 5]], [[0, 3, 5, 4]], [[1, 1]], [[3, 2, 1, 0]]]
    tris, owner = triangulate_polygons(v, *layout(polys))
    areas = per_polygon_area(v, tris, owner, len(polys))
    np.testing.assert_allclose(areas, [[0, 0, 4], [0, 0, 0], [0, 0, 0], [0, 0, 0],
                                       [2, 0, 0], [0, 0, 0], [0, 0, -4]])


def test_many_polygons_span_several_chunks():
    """More vertices than one processing chunk: results equal a one-by-one run."""
    rng = np.random.default_rng(3)
    n = 30_000
    centres = rng.uniform(0, 1000, (n, 2))
    k = rng.integers(3, 9, n)
    rings, verts = [], []
    for c, kk in zip(centres, k, strict=True):
        step = 2 * np.pi / kk  # jittered angles, gaps below pi: simple, often concave
        ang = np.arange(kk) * step + rng.uniform(0, 0.4 * step, kk)
        r = rng.uniform(1, 3, kk)
        base = len(verts)
        verts += [[c[0] + ri * np.cos(a), c[1] + ri * np.sin(a), 5.0] for a, ri in zip(ang, r,
                                                                                    strict=True)]
        rings.append([[base + i for i in range(kk)]])
    v = np.array(verts)
    tris, owner = triangulate_polygons(v, *layout(rings))
    areas = per_polygon_area(v, tris, owner, n)[:, 2]
    expected = [shoelace(v[r[0]][:, :2]) for r in rings]
    np.testing.assert_allclose(areas, expected, rtol=1e-9, atol=1e-9)


def test_closing_vertex_and_repeated_vertices_are_ignored():
    v = np.array([[0, 0, 0], [2, 0, 0], [2, 2, 0], [0, 2, 0]], float)
    tris, owner = triangulate_polygons(v, *layout([[[0, 1, 1, 2, 3, 0]]]))
    assert len(tris) == 2
    assert per_polygon_area(v, tris, owner, 1)[0][2] == pytest.approx(4)


def test_hole_with_too_few_vertices_is_dropped():
    v = np.array([[0, 0, 0], [4, 0, 0], [4, 4, 0], [0, 4, 0], [1, 1, 0]], float)
    tris, owner = triangulate_polygons(v, *layout([[[0, 1, 2, 3], [4], []]]))
    assert per_polygon_area(v, tris, owner, 1)[0][2] == pytest.approx(16)


def test_newell_normals_of_rings():
    v = np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0]], float)
    n = newell_normals(v, np.array([0, 1, 2, 3, 3, 2, 1, 0]), np.array([0, 4, 8]))
    np.testing.assert_allclose(n, [[0, 0, 2], [0, 0, -2]])


def _distance_to_edges(ring: np.ndarray) -> float:
    """Distance from the origin to the nearest edge of a ring."""
    a, b = ring, np.roll(ring, -1, axis=0)
    t = np.clip(np.einsum("ij,ij->i", -a, b - a) / np.einsum("ij,ij->i", b - a, b - a), 0, 1)
    return float(np.linalg.norm(a + t[:, None] * (b - a), axis=1).min())


@st.composite
def star_polygons(draw):
    """Random star-shaped (often concave) polygons, some with a hole, in random planes."""
    k = draw(st.integers(3, 14))
    angles = np.sort(np.array(draw(st.lists(st.floats(0, 2 * np.pi - 1e-3), min_size=k,
                                            max_size=k, unique=True))))
    if np.diff(np.concatenate([angles, [angles[0] + 2 * np.pi]])).max() > np.pi * 0.9:
        angles = np.linspace(0, 2 * np.pi, k, endpoint=False)
    radii = np.array(draw(st.lists(st.floats(2.0, 10.0), min_size=k, max_size=k)))
    outer = np.stack([radii * np.cos(angles), radii * np.sin(angles)], axis=1)
    hole = None
    if draw(st.booleans()) and _distance_to_edges(outer) > 0.8:
        hole = 0.5 * np.array([[-1, -1], [-1, 1], [1, 1], [1, -1]], float)  # clockwise
    axis = draw(st.integers(0, 2))
    flip = draw(st.booleans())
    return outer, hole, axis, flip


@settings(max_examples=60, deadline=None)
@given(star_polygons())
def test_random_star_polygons_area(poly):
    outer, hole, axis, flip = poly
    if flip:
        outer = outer[::-1]
        hole = None if hole is None else hole[::-1]
    rings2d = [outer] if hole is None else [outer, hole]
    expected = shoelace(outer) + (0.0 if hole is None else shoelace(hole))
    pts = np.concatenate(rings2d)
    v = np.insert(pts, axis, 7.0, axis=1)  # embed in a plane perpendicular to `axis`
    sizes = [len(r) for r in rings2d]
    ring_offsets = np.concatenate([[0], np.cumsum(sizes)])
    tris, owner = triangulate_polygons(v, np.arange(len(v)), ring_offsets, [0, len(sizes)])
    area = per_polygon_area(v, tris, owner, 1)[0]
    # the area vector is perpendicular to the plane; compare the signed area in 2D
    keep = [a for a in range(3) if a != axis]
    sign = 1 if keep == [(axis + 1) % 3, (axis + 2) % 3] else -1
    assert area[axis] * sign == pytest.approx(expected, rel=1e-9, abs=1e-9)
