"""Footprint extrusion: closed, outward-facing prisms with holes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cimviewer.core.semantics import SEMANTIC_CODES
from cimviewer.geometry.extrude import extrude_footprints


def _volumes(mesh, n_poly: int) -> np.ndarray:
    """Signed volume per polygon by the divergence theorem (positive = outward faces)."""
    centre = mesh.vertices.mean(axis=0) if len(mesh.vertices) else np.zeros(3)
    a, b, c = (mesh.vertices[mesh.triangles[:, i]] - centre for i in range(3))
    return np.bincount(mesh.tri_polygon, weights=np.einsum("ij,ij->i", a, np.cross(b, c)) / 6,
                       minlength=n_poly)


def _edges_paired(mesh) -> bool:
    """Every directed edge has its reverse exactly once: a closed, consistently oriented mesh."""
    t = mesh.triangles
    edges = np.concatenate([t[:, [0, 1]], t[:, [1, 2]], t[:, [2, 0]]])
    fwd = {tuple(e) for e in edges.tolist()}
    return len(fwd) == len(edges) and all((b, a) in fwd for a, b in fwd)


SQUARE_CW_WITH_HOLE = np.array(
    [[0, 0], [0, 10], [10, 10], [10, 0], [0, 0],  # exterior, clockwise, closed
     [2, 2], [4, 2], [4, 4], [2, 4], [2, 2]], float)  # hole, counter-clockwise, closed
TRIANGLE_OPEN = np.array([[20, 0], [25, 0], [25, 5]], float)  # open ring


def test_volume_area_height_with_hole_and_any_orientation() -> None:
    xy = np.concatenate([SQUARE_CW_WITH_HOLE, TRIANGLE_OPEN])
    mesh = extrude_footprints(xy, [0, 5, 10, 13], [0, 2, 3], base_z=[1.0, -2.0],
                              height=[3.0, 4.0])
    assert _volumes(mesh, 2) == pytest.approx([(100 - 4) * 3, 12.5 * 4])
    assert _edges_paired(mesh)
    assert mesh.triangles.dtype == np.int32 and mesh.tri_semantic.dtype == np.uint8
    z = mesh.vertices[:, 2]
    assert set(np.round(z, 6)) == {1.0, 4.0, -2.0, 2.0}


def test_faces_point_outward() -> None:
    mesh = extrude_footprints(SQUARE_CW_WITH_HOLE, [0, 5, 10], [0, 2], 0.0, 5.0)
    a, b, c = (mesh.vertices[mesh.triangles[:, i]] for i in range(3))
    normal = np.cross(b - a, c - a)
    centre = (a + b + c) / 3
    roof = mesh.tri_semantic == SEMANTIC_CODES["RoofSurface"]
    ground = mesh.tri_semantic == SEMANTIC_CODES["GroundSurface"]
    walls = mesh.tri_semantic == SEMANTIC_CODES["WallSurface"]
    assert (normal[roof, 2] > 0).all() and (normal[ground, 2] < 0).all()
    assert (np.abs(normal[walls, 2]) < 1e-9).all()
    # exterior walls face away from the square's centre, hole walls face into the hole
    in_hole = (np.abs(centre[:, 0] - 3) <= 1 + 1e-9) & (np.abs(centre[:, 1] - 3) <= 1 + 1e-9)
    away = np.einsum("ij,ij->i", normal[:, :2], centre[:, :2] - 5)
    toward_hole = np.einsum("ij,ij->i", normal[:, :2], centre[:, :2] - 3)
    assert (away[walls & ~in_hole] > 0).all()
    assert (toward_hole[walls & in_hole] < 0).all()
    # 4 + 4 edges -> 16 wall triangles; roof and ground of a square with a hole: 8 each
    assert walls.sum() == 16 and roof.sum() == ground.sum() == 8


def test_roof_area_equals_footprint_area() -> None:
    mesh = extrude_footprints(SQUARE_CW_WITH_HOLE, [0, 5, 10], [0, 2], 0.0, 5.0)
    roof = mesh.triangles[mesh.tri_semantic == SEMANTIC_CODES["RoofSurface"]]
    a, b, c = (mesh.vertices[roof[:, i]] for i in range(3))
    assert (np.linalg.norm(np.cross(b - a, c - a), axis=1) / 2).sum() == pytest.approx(96)


def test_empty_input() -> None:
    mesh = extrude_footprints(np.zeros((0, 2)), [0], [0], np.zeros(0), np.zeros(0))
    assert mesh.vertices.shape == (0, 3) and mesh.triangles.shape == (0, 3)


def test_bad_heights_raise() -> None:
    with pytest.raises(ValueError, match="positive"):
        extrude_footprints(TRIANGLE_OPEN, [0, 3], [0, 1], 0.0, 0.0)
    with pytest.raises(ValueError):
        extrude_footprints(TRIANGLE_OPEN, [0, 3], [0, 1], np.nan, 3.0)


def test_duplicate_points_make_no_degenerate_walls() -> None:
    xy = np.array([[0, 0], [4, 0], [4, 0], [4, 3], [0, 3], [0, 0]], float)
    mesh = extrude_footprints(xy, [0, 6], [0, 1], 0.0, 2.0)
    walls = mesh.tri_semantic == SEMANTIC_CODES["WallSurface"]
    assert walls.sum() == 8
    assert _volumes(mesh, 1) == pytest.approx([24.0])


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(3, 12),
    radius=st.floats(1, 100),
    height=st.floats(0.5, 200),
    base=st.floats(-100, 1000),
    clockwise=st.booleans(),
)
def test_convex_prisms_volume(n: int, radius: float, height: float, base: float,
                              clockwise: bool) -> None:
    angles = np.linspace(0, 2 * np.pi, n, endpoint=False)
    xy = np.column_stack([np.cos(angles), np.sin(angles)]) * radius + [5e5, 4e6]
    if clockwise:
        xy = xy[::-1]
    area = 0.5 * n * radius**2 * np.sin(2 * np.pi / n)
    mesh = extrude_footprints(xy, [0, n], [0, 1], base, height)
    assert _volumes(mesh, 1)[0] == pytest.approx(area * height, rel=1e-6)
    assert _edges_paired(mesh)
