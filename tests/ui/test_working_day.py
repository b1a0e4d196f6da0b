"""Issue #18, "A planner's working day": search, navigation, time, styling and layout in
the real window (pixels, picks and state)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from cimviewer.testing import buildings_layer, roof_target

pytestmark = pytest.mark.gui


def _settle(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not window.view._fly_timer.isActive(), timeout=5000)
    window.view.render()


def _distance(state) -> float:
    return float(np.linalg.norm(np.subtract(state.position, state.focal_point)))


def _centre_pick(view):
    width, height = view.vtk_widget.width(), view.vtk_widget.height()
    return view.scene.pick(*view.display_to_vtk(width / 2, height / 2))


def _on_screen(view, world) -> bool:
    x, y = view.world_to_display(np.asarray(world, float))
    return 0 <= x < view.vtk_widget.width() and 0 <= y < view.vtk_widget.height()


def _box_corners(box):
    lo, hi = box[:3], box[3:]
    return [np.array([(lo, hi)[i][0], (lo, hi)[j][1], (lo, hi)[k][2]])
            for i in (0, 1) for j in (0, 1) for k in (0, 1)]


def test_search_enter_frames_the_building(cim_demo_window, qtbot):
    window = cim_demo_window
    layer = buildings_layer(window.project)
    index = layer.model.objects.ids.index("BLD-000100")
    panel = window.search_panel
    panel.query.setText("BLD-000100")
    QTest.keyClick(panel.query, Qt.Key.Key_Return)
    assert window.project.selection.items == ((layer.uid, index),)
    _settle(qtbot, window)
    state = window.project.camera.state
    assert 50 < _distance(state) < 400  # building scale, not 100 km up
    assert _centre_pick(window.view) == (layer.uid, index)
    for corner in _box_corners(layer.model.object_bbox(index)):
        assert _on_screen(window.view, corner)
    # going somewhere else and clicking the result comes back to it
    window.view.scene.reset_camera()
    window.view.render()
    panel.results.setCurrentRow(0)
    item = panel.results.item(0)
    rect = panel.results.visualItemRect(item)
    QTest.mouseClick(panel.results.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, rect.center())
    _settle(qtbot, window)
    assert _distance(window.project.camera.state) < 400
    assert _centre_pick(window.view) == (layer.uid, index)


def test_search_street_name_frames_all_its_buildings(cim_demo_window, qtbot):
    window = cim_demo_window
    layer = buildings_layer(window.project)
    hits = window.search_panel.search("塘头村二巷")
    assert len(hits) >= 2
    _settle(qtbot, window)
    boxes = np.array([layer.model.object_bbox(i) for _, i in hits])
    extent = max(np.ptp(boxes[:, [0, 3]]), np.ptp(boxes[:, [1, 4]]))
    assert _distance(window.project.camera.state) < 2.5 * extent + 300
    for _uid, index in hits:
        _, roof = roof_target(layer, index)
        assert _on_screen(window.view, roof)
