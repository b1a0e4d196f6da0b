"""The plugin's own tests, run as a third-party plugin's would: the folder that holds the
plugin goes on sys.path (the tests import it as ``pole_siting``), and fixtures come from
``cimviewer.testing``."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

PLUGINS = str(Path(__file__).resolve().parents[2])  # the folder holding pole_siting/
if PLUGINS not in sys.path:
    sys.path.insert(0, PLUGINS)

#: A 700 m x 700 m piece of the demo district (EPSG:4547)
DEMO_BOUNDS = (498700.0, 2492700.0, 499400.0, 2493400.0)


def _inside(xy, bounds=DEMO_BOUNDS):
    return ((xy[:, 0] > bounds[0]) & (xy[:, 0] < bounds[2])
            & (xy[:, 1] > bounds[1]) & (xy[:, 1] < bounds[3]))


@pytest.fixture(scope="session")
def demo_area():
    """DEMO_BOUNDS as a PolygonParam value ("x1,y1;x2,y2;...")."""
    x0, y0, x1, y1 = DEMO_BOUNDS
    return ";".join(f"{x},{y}" for x, y in [(x0, y0), (x1, y0), (x1, y1), (x0, y1)])


@pytest.fixture(scope="session")
def demo_layers(cim_demo_project_session):
    return {layer.name: layer for layer in cim_demo_project_session.layers}


@pytest.fixture(scope="session")
def demo_instance(demo_layers):
    """Existing poles (candidates) and building centroids weighted by height (demand) in a
    piece of the demo city."""
    poles = demo_layers["Poles"].data
    cand = np.asarray(poles.vertices[: poles.n_features, :2])
    city = demo_layers["Buildings"].model
    mesh = city.meshes[next(iter(city.meshes))]
    obj = np.repeat(mesh.tri_object, 3)
    xy = mesh.vertices[mesh.triangles.ravel(), :2]
    n = int(obj.max()) + 1
    counts = np.bincount(obj, minlength=n)
    has = counts > 0
    centre = np.column_stack([np.bincount(obj, xy[:, 0], n), np.bincount(obj, xy[:, 1], n)])
    centre = centre[has] / counts[has, None]
    zmin, zmax = mesh.object_z_extents(n)
    height = (zmax - zmin)[has]
    keep_c, keep_d = _inside(cand), _inside(centre)
    return {"candidates": cand[keep_c], "demand": centre[keep_d],
            "weights": np.round(height[keep_d], 1), "crs": poles.crs}
