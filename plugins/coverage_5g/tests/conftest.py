"""The plugin's own tests, run as a third-party plugin's would: the folder that holds the
plugin goes on sys.path (the tests import it as ``coverage_5g``), and fixtures come from
``cimviewer.testing``, the pytest plugin cimviewer installs."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from cimviewer.testing import box

PLUGINS = str(Path(__file__).resolve().parents[2])  # the folder holding coverage_5g/
if PLUGINS not in sys.path:
    sys.path.insert(0, PLUGINS)

#: A 800 m x 800 m piece of the demo district (EPSG:4547).
DEMO_BOUNDS = (498700.0, 2492700.0, 499500.0, 2493500.0)


@pytest.fixture(scope="session")
def demo_arrays(cim_demo_project_session):
    """Plain arrays of the demo city: DEM tuple, LoD 2.2 mesh, pole xyz and heights."""
    terrain = next(la for la in cim_demo_project_session.layers if la.kind == "terrain").grid
    city = next(la for la in cim_demo_project_session.layers if la.kind == "citymodel").model
    poles = next(la for la in cim_demo_project_session.layers if la.name == "Poles").data
    xyz = poles.vertices.copy()
    xyz[:, 2] = np.asarray(poles.columns["z"], float)
    return {
        "dem": (terrain.heights, terrain.x0, terrain.y0, terrain.dx, terrain.dy),
        "mesh": city.meshes["2.2"],
        "poles": xyz,
        "pole_heights": np.asarray(poles.columns["height_m"], float),
        "crs": terrain.crs,
    }


@pytest.fixture(scope="session")
def demo_raster(demo_arrays):
    from coverage_5g import build_height_raster

    mesh = demo_arrays["mesh"]
    return build_height_raster(DEMO_BOUNDS, 2.0, dem=demo_arrays["dem"], vertices=mesh.vertices,
                               triangles=mesh.triangles, tri_object=mesh.tri_object,
                               crs=demo_arrays["crs"])


@pytest.fixture(scope="session")
def make_box():
    return box
