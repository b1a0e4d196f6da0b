"""A picked 3D Tiles feature in the inspector: its batch-table values as rows."""

from __future__ import annotations

import os

import numpy as np
import pytest

from cimviewer.core.project import Project
from cimviewer.io.layers import open_layer
from cimviewer.render.snapshot import OffscreenView
from cimviewer.ui.inspector import Inspector
from tests.io.tiles3d_data import quad_tileset
from tests.render.test_tiles3d_view import SIZE, look_down

pytestmark = pytest.mark.gui
if os.name != "nt" and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
    pytest.skip("needs a display (scripts/dev.py test starts Xvfb)", allow_module_level=True)


def test_picked_feature_shows_its_batch_properties(qtbot, tmp_path):
    project = Project()
    layer = project.add_layer(open_layer(quad_tileset(tmp_path, levels=2)))
    inspector = Inspector(project)
    qtbot.addWidget(inspector)
    view = OffscreenView(project, SIZE)
    try:
        look_down(project, 1 / 8, 1 / 8, 80)  # the first box of the level-1 tile r00
        view.image()
        hit = view.scene.pick(SIZE[0] // 2, SIZE[1] // 2)
        assert hit is not None
        project.selection.set([hit])
        rows = dict(inspector.rows_for(*hit))
        assert rows["Object id"] == "tiles/r00.b3dm#0" and rows["Type"] == "Feature"
        assert rows["name"] == "r00-0" and rows["level"] == "1" and rows["height"] == "21.0"
        # the selection is drawn highlighted (yellow) where the feature is
        img = view.image()
        centre = img[SIZE[1] // 2, SIZE[0] // 2].astype(int)
        assert centre[0] > 150 and centre[1] > 120 and centre[2] < 90
        assert np.isfinite(layer.model.object_bbox(hit[1])).all()
    finally:
        view.close()
