"""Point cloud layers in the window: colour modes in the layer panel, classes in the
Legend panel, a picked point in the inspector."""

from __future__ import annotations

import numpy as np
import pytest

from cimviewer.core.pointcloud import ASPRS_CLASSES
from cimviewer.core.project import Project
from cimviewer.io.layers import open_layer
from tests.io.lasfiles import terrain, write_las

pytestmark = pytest.mark.gui


def test_layer_panel_offers_the_colour_modes_and_the_legend_names_classes(
        cim_main_window, tmp_path):
    xyz = terrain(4000)
    classes = np.where(xyz[:, 0] > 500_100, 6, 2)
    path = write_las(tmp_path / "scan.laz", xyz, crs="EPSG:32650", classification=classes,
                     intensity=np.arange(4000))
    window = cim_main_window(project=Project())
    layer = open_layer(path)
    window.project.add_layer(layer)  # the first layer becomes the current one
    panel = window.layer_panel
    panel.select(layer)
    modes = [panel.color_mode.itemData(i) for i in range(panel.color_mode.count())]
    assert modes == ["intensity", "classification", "height"]  # no RGB in this file
    assert panel._form.isRowVisible(panel.color_mode)
    panel.color_mode.setCurrentIndex(modes.index("classification"))
    assert layer.color_mode == "classification"
    legend = window.legend_panel
    labels = [legend.tree.topLevelItem(i).text(1) for i in range(legend.tree.topLevelItemCount())]
    assert labels == ["Ground", "Building"]
    assert legend.colors() == [ASPRS_CLASSES[2][1], ASPRS_CLASSES[6][1]]
    panel.point_size.setValue(5)
    assert layer.point_size == 5.0
    rows = dict(window.inspector.rows_for(layer.uid, 0))
    assert rows["Class"] in ("2 Ground", "6 Building") and "X" in rows
