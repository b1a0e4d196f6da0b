"""Imagery draped on terrain; buildings set on the terrain."""

from __future__ import annotations

import json

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from cimviewer.core.camera import top_down_camera
from cimviewer.core.project import Project
from cimviewer.geometry.placement import drape_layers
from cimviewer.io.layers import open_layer
from cimviewer.render.snapshot import OffscreenView

pytestmark = pytest.mark.render


def _dem(path, x0=500000.0, y0=2500200.0):
    z = np.add.outer(np.linspace(20, 0, 100), np.linspace(0, 10, 100)).astype("float32")
    with rasterio.open(path, "w", driver="GTiff", width=100, height=100, count=1,
                       dtype="float32", crs="EPSG:32650",
                       transform=from_origin(x0, y0, 2, 2)) as dst:
        dst.write(z, 1)


def test_imagery_is_draped_on_the_terrain(tmp_path):
    _dem(tmp_path / "dem.tif")
    rgb = np.zeros((3, 50, 50), np.uint8)
    rgb[0, :, :25] = 255  # west half red
    rgb[2, :, 25:] = 255  # east half blue
    with rasterio.open(tmp_path / "ortho.tif", "w", driver="GTiff", width=50, height=50,
                       count=3, dtype="uint8", crs="EPSG:32650",
                       transform=from_origin(500000, 2500200, 4, 4)) as dst:
        dst.write(rgb)
    project = Project()
    layer = project.add_layer(open_layer(tmp_path / "dem.tif",
                                         options={"imagery": "ortho.tif"}))
    assert layer.grid.colors is not None
    project.camera.state = top_down_camera(np.array([500100.0, 2500100.0, 10.0]), 300)
    view = OffscreenView(project, (200, 200))
    img = view.image().astype(int)
    view.close()
    west, east = img[100, 60], img[100, 140]
    assert west[0] > 120 and west[2] < 60  # red, shaded
    assert east[2] > 120 and east[0] < 60  # blue


def test_buildings_are_set_on_the_terrain(tmp_path):
    _dem(tmp_path / "dem.tif")
    doc = {"type": "CityJSON", "version": "2.0",
           "transform": {"scale": [0.01, 0.01, 0.01], "translate": [500050, 2500150, 0]},
           "metadata": {"referenceSystem": "https://www.opengis.net/def/crs/EPSG/0/32650"},
           "CityObjects": {"B": {"type": "Building", "geometry": [{
               "type": "MultiSurface", "lod": "1",
               "boundaries": [[[0, 1, 2, 3]], [[4, 5, 6, 7]]]}]}},
           "vertices": [[0, 0, 0], [1000, 0, 0], [1000, 1000, 0], [0, 1000, 0],
                        [0, 0, 900], [1000, 0, 900], [1000, 1000, 900], [0, 1000, 900]]}
    (tmp_path / "b.city.json").write_text(json.dumps(doc), encoding="utf-8")
    terrain = open_layer(tmp_path / "dem.tif")
    building = open_layer(tmp_path / "b.city.json", options={"on_terrain": True})
    drape_layers([terrain, building])
    z = building.model.meshes["1"].vertices[:, 2]
    # terrain at the footprint: lowest sample under its corners
    from cimviewer.geometry.terrain import sample_heights

    xy = building.model.meshes["1"].vertices[:, :2]
    ground = sample_heights(terrain.grid, xy[:, 0], xy[:, 1]).min()
    assert z.min() == pytest.approx(ground, abs=1e-6)
    assert z.max() - z.min() == pytest.approx(9.0)
