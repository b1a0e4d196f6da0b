"""Helpers shared by render and GUI tests."""

from __future__ import annotations

import numpy as np

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
