"""Helpers shared by render and GUI tests."""

from __future__ import annotations

import numpy as np

from cimviewer.core.citymodel import CityModel, TriangleMesh
from cimviewer.core.layers import CityModelLayer
from cimviewer.core.project import Project
from cimviewer.core.semantics import SEMANTIC_CODES


def buildings_layer(project: Project) -> CityModelLayer:
    return next(layer for layer in project.layers if isinstance(layer, CityModelLayer))


def roof_target(layer: CityModelLayer, object_index: int | None = None) -> tuple[int, np.ndarray]:
    """(object index, a point on its largest roof triangle) — a spot that shows the building.

    Without ``object_index``, takes the tallest building with a roof.
    """
    mesh = layer.model.mesh_for_lod(layer.lod)
    roof = mesh.tri_semantic == SEMANTIC_CODES["RoofSurface"]
    if not roof.any():
        roof = np.ones(mesh.n_triangles, bool)
    tri = mesh.vertices[mesh.triangles]
    if object_index is None:
        top = np.where(roof, tri[:, :, 2].max(axis=1), -np.inf)
        object_index = int(mesh.tri_object[int(np.argmax(top))])
    mine = np.nonzero(roof & (mesh.tri_object == object_index))[0]
    a, b, c = tri[mine, 0], tri[mine, 1], tri[mine, 2]
    area = np.linalg.norm(np.cross(b - a, c - a), axis=1)
    best = mine[int(np.argmax(area))]
    return object_index, tri[best].mean(axis=0)


BOX_FACES = np.array([
    [0, 2, 1], [0, 3, 2],  # ground (down)
    [4, 5, 6], [4, 6, 7],  # roof (up)
    [0, 1, 5], [0, 5, 4], [1, 2, 6], [1, 6, 5], [2, 3, 7], [2, 7, 6], [3, 0, 4], [3, 4, 7],
])
BOX_SEMANTICS = np.array([3, 3, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2], np.uint8)


def make_city(n: int, seed: int = 7) -> CityModel:
    """n LoD1 boxes on a street grid, 30 m plots, EPSG:4547-like coordinates."""
    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(n)))
    i = np.arange(n)
    x0 = 500000 + (i % side) * 30.0 + rng.uniform(0, 4, n)
    y0 = 2490000 + (i // side) * 30.0 + rng.uniform(0, 4, n)
    w = rng.uniform(10, 22, n)
    d = rng.uniform(10, 22, n)
    h = rng.gamma(2.0, 8.0, n) + 4
    corners = np.stack([
        np.column_stack([x0, y0]), np.column_stack([x0 + w, y0]),
        np.column_stack([x0 + w, y0 + d]), np.column_stack([x0, y0 + d])], axis=1)
    verts = np.empty((n, 8, 3))
    verts[:, :4, :2] = corners
    verts[:, 4:, :2] = corners
    verts[:, :4, 2] = 0.0
    verts[:, 4:, 2] = h[:, None]
    tris = (BOX_FACES[None] + 8 * i[:, None, None]).reshape(-1, 3).astype(np.int32)
    model = CityModel(crs="EPSG:4547", source_format="generated")
    model.objects.ids = [f"B{k}" for k in range(n)]
    model.objects.types = ["Building"] * n
    model.objects.parents = [[] for _ in range(n)]
    model.objects.attributes = [{"height": float(v)} for v in h]
    model.meshes["1"] = TriangleMesh(verts.reshape(-1, 3), tris,
                                     np.repeat(i, 12).astype(np.int32),
                                     np.tile(BOX_SEMANTICS, n))
    return model
