"""A file with several appearance themes: the layer panel offers them, and choosing one
reads the layer again with it (materials change colour on screen), in its place, and
the choice is saved as the layer's ``theme`` load option."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cimviewer.core.layers import CityModelLayer
from cimviewer.testing import open_project, save_project, window_frame

pytestmark = pytest.mark.gui

FACES = [[0, 3, 2, 1], [4, 5, 6, 7], [0, 1, 5, 4], [1, 2, 6, 5], [2, 3, 7, 6], [3, 0, 4, 7]]


def two_theme_city(path):
    vertices = [[0, 0, 0], [60, 0, 0], [60, 60, 0], [0, 60, 0],
                [0, 0, 40], [60, 0, 40], [60, 60, 40], [0, 60, 40]]
    doc = {"type": "CityJSON", "version": "2.0",
           "transform": {"scale": [1, 1, 1], "translate": [500000, 2490000, 0]},
           "metadata": {"referenceSystem": "https://www.opengis.net/def/crs/EPSG/0/4547"},
           "appearance": {"materials": [{"name": "red", "diffuseColor": [0.9, 0.1, 0.1]},
                                        {"name": "blue", "diffuseColor": [0.1, 0.2, 0.9]}],
                          "default-theme-material": "summer"},
           "CityObjects": {"b1": {"type": "Building", "geometry": [{
               "type": "Solid", "lod": "1", "boundaries": [[[f] for f in FACES]],
               "material": {"summer": {"value": 0}, "winter": {"value": 1}}}]}},
           "vertices": vertices}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def dominant(frame: np.ndarray, background: np.ndarray) -> np.ndarray:
    changed = np.abs(frame.astype(int) - background.astype(int)).sum(axis=2) > 60
    return frame[changed].mean(axis=0)


def test_choosing_another_theme_redraws_the_layer_with_it(cim_main_window, qtbot, tmp_path):
    path = two_theme_city(tmp_path / "themes.city.json")
    window = cim_main_window()
    window.open_path(path)
    qtbot.waitUntil(lambda: len(window.project.layers) == 1, timeout=20000)
    layer = window.project.layers[0]
    assert layer.model.themes == ["summer", "winter"] and layer.model.theme == "summer"
    panel = window.layer_panel
    panel.select(layer)
    combo = panel.theme
    assert [combo.itemText(i) for i in range(combo.count())] == ["summer", "winter"]
    assert combo.currentData() == "summer" and not combo.isHidden()
    layer.visible = False
    background = window_frame(window)
    layer.visible = True
    red = dominant(window_frame(window), background)
    assert red[0] > red[2] + 40
    combo.setCurrentIndex(combo.findData("winter"))
    qtbot.waitUntil(lambda: window.project.layers[0] is not layer, timeout=20000)
    again = window.project.layers[0]
    assert isinstance(again, CityModelLayer) and again.model.theme == "winter"
    assert again.name == layer.name and again.load_options["theme"] == "winter"
    assert len(window.project.layers) == 1 and panel.current_layer() is again
    blue = dominant(window_frame(window), background)
    assert blue[2] > blue[0] + 40
    # the choice is saved with the project and comes back
    saved = save_project(window.project, tmp_path / "themes.cimproj")
    assert open_project(saved).layers[0].model.theme == "winter"


def test_a_layer_read_again_with_a_theme_stays_on_the_terrain(cim_demo_window, qtbot,
                                                             tmp_path):
    """Opened with ``on_terrain``, it must stand on the terrain after the re-read too
    (the shared layer replacement set only vector layers on the terrain)."""
    from cimviewer.core.layers import TerrainLayer
    from cimviewer.geometry.terrain import sample_heights

    window = cim_demo_window
    grid = next(la for la in window.project.layers if isinstance(la, TerrainLayer)).grid
    path = two_theme_city(tmp_path / "themes.city.json")
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["transform"]["translate"] = [grid.x0 + grid.dx * grid.shape[1] / 2,
                                     grid.y0 - grid.dy * grid.shape[0] / 2, 0]
    path.write_text(json.dumps(doc), encoding="utf-8")
    window.open_path(path, {"on_terrain": True})
    qtbot.waitUntil(lambda: window.project.layers[-1].name == "themes", timeout=20000)
    layer = window.project.layers[-1]

    def base_above_ground(model) -> float:
        box = model.object_bbox(0)
        ground = sample_heights(grid, np.array([(box[0] + box[3]) / 2]),
                                np.array([(box[1] + box[4]) / 2]))[0]
        return float(box[2] - ground)

    assert abs(base_above_ground(layer.model)) < 3.0
    window.show_theme(layer, "winter")
    qtbot.waitUntil(lambda: window.project.layers[-1] is not layer, timeout=20000)
    again = window.project.layers[-1]
    assert again.model.theme == "winter" and again.load_options["on_terrain"] is True
    assert abs(base_above_ground(again.model)) < 3.0
