"""File > Open offers the readers' load options: footprints extruded into buildings
standing on the terrain, a layer of a multi-layer file, streaming for sequences."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Polygon

from cimviewer.core.layers import CityModelLayer, TerrainLayer
from cimviewer.ui.open_options import OpenOptionsDialog, has_options

pytestmark = pytest.mark.gui


def footprints(path, x0, y0):
    rows = {"name": ["low", "tall"], "function": ["shop", "office"],
            "height": [9.0, 42.0], "floors": [3, 12],
            "geometry": [Polygon([(x0, y0), (x0 + 20, y0), (x0 + 20, y0 + 15), (x0, y0 + 15)]),
                         Polygon([(x0 + 40, y0), (x0 + 60, y0), (x0 + 60, y0 + 20),
                                  (x0 + 40, y0 + 20)])]}
    frame = gpd.GeoDataFrame(rows, crs="EPSG:4547")
    frame.to_file(path, layer="buildings", driver="GPKG")
    frame.drop(columns=["height"]).to_file(path, layer="other", driver="GPKG")
    return path


def test_footprints_open_as_buildings_on_the_terrain(cim_demo_window, qtbot, tmp_path):
    window = cim_demo_window
    terrain = next(la for la in window.project.layers if isinstance(la, TerrainLayer))
    grid = terrain.grid
    x0 = grid.x0 + grid.dx * grid.shape[1] / 2
    y0 = grid.y0 - grid.dy * grid.shape[0] / 2
    path = footprints(tmp_path / "plots.gpkg", x0, y0)
    assert has_options(path)
    dialog = OpenOptionsDialog(path)
    # two layers: the choice is offered; numbers only as height fields; found by name
    assert dialog.layer.count() == 2
    fields = [dialog.height_field.itemText(i) for i in range(dialog.height_field.count())]
    assert "height" in fields and "floors" in fields and "function" not in fields
    assert dialog.height_field.currentData() == "height"
    assert dialog.storeys_field.currentData() == "floors"
    assert dialog.extrude.isChecked()
    options = dialog.options()
    assert options["extrude"] is True and options["height_attribute"] == "height"
    assert options["layer"] == "buildings" and options["on_terrain"] is True
    dialog.deleteLater()
    window.open_path(path, options)
    qtbot.waitUntil(lambda: window.project.layers[-1].name == "plots", timeout=20000)
    layer = window.project.layers[-1]
    assert isinstance(layer, CityModelLayer) and layer.load_options == options
    model = layer.model
    from cimviewer.geometry.terrain import sample_heights

    for index, height in ((0, 9.0), (1, 42.0)):
        box = model.object_bbox(index)
        ground = sample_heights(grid, np.array([(box[0] + box[3]) / 2]),
                                np.array([(box[1] + box[4]) / 2]))[0]
        assert box[5] - box[2] == pytest.approx(height, abs=0.01)
        assert abs(box[2] - ground) < 3.0  # stands on the terrain, not at z = 0


def test_the_other_layer_and_plain_vector_options(tmp_path):
    path = footprints(tmp_path / "plots.gpkg", 500000.0, 2490000.0)
    dialog = OpenOptionsDialog(path)
    dialog.layer.setCurrentIndex(dialog.layer.findData("other"))
    # no height field there: not extruded by default, storeys still found
    assert dialog.height_field.currentData() is None
    assert dialog.storeys_field.currentData() == "floors"
    dialog.extrude.setChecked(False)
    dialog.drape.setChecked(True)
    dialog.drape_offset.setValue(0.5)
    assert dialog.options() == {"layer": "other", "drape_offset": 0.5}
    dialog.deleteLater()
