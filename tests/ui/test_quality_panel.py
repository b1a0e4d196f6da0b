"""The data-quality panel lists what the reader found by kind and object; a click
selects the object and flies to it."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from tests.io.test_geometry_problems import write_cityjson

pytestmark = pytest.mark.gui


def test_problems_listed_by_kind_and_a_click_flies_to_the_object(
        cim_main_window, qtbot, tmp_path):
    path = write_cityjson(tmp_path / "dirty.city.json", bad=7, face=1, kind="TOO_FEW_POINTS")
    window = cim_main_window(language="zh_CN")
    panel = window.quality_panel
    assert panel.tree.topLevelItemCount() == 0
    window.open_path(path)
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() == 1, timeout=20000)
    assert "dirty.city.json" in window.statusBar().currentMessage()
    layer_item = panel.tree.topLevelItem(0)
    assert layer_item.text(0) == "dirty" and layer_item.text(1) == "1"
    kind_item = layer_item.child(0)
    assert "TOO_FEW_POINTS" in kind_item.text(0)
    assert kind_item.text(0) != "TOO_FEW_POINTS" and "少于" in kind_item.text(0)  # Chinese
    object_item = kind_item.child(0)
    assert object_item.text(0) == "b7"
    # where it is in the file: the ring of the second face of b7's solid
    assert object_item.text(2) == "CityObjects/b7/geometry/0/boundaries/0/1/0"
    assert panel.tree.headerItem().text(2) in ("Where", "位置")  # until the lead merges
    assert "CityObjects/b7/geometry/0/boundaries/0/1/0" in object_item.toolTip(2)
    panel.copy_action.trigger()
    copied = QApplication.clipboard().text().splitlines()
    assert copied[1:] == ["dirty\tTOO_FEW_POINTS\tb7\tCityObjects/b7/geometry/0/boundaries/0/1/0"]
    assert len(copied[0].split("\t")) == 4
    layer = window.project.layers[-1]
    camera = window.project.camera
    before = np.array(camera.state.focal_point) if camera.state else None
    panel.tree.itemClicked.emit(object_item, 0)
    assert list(window.project.selection.items) == [(layer.uid, 7)]
    box = layer.model.object_bbox(7)
    centre = (box[:3] + box[3:]) / 2
    qtbot.waitUntil(lambda: np.linalg.norm(
        np.array(camera.state.focal_point)[:2] - centre[:2]) < 5.0, timeout=10000)
    assert before is None or np.linalg.norm(before[:2] - centre[:2]) > 5.0
    # closing the layer empties the panel
    window.project.layers.remove(layer)
    assert panel.tree.topLevelItemCount() == 0
