"""Issue #18, "A planner's working day": search, navigation, time, styling and layout in
the real window (pixels, picks and state)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from cimviewer.testing import buildings_layer, roof_target, window_frame

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


# --- 2. 3D navigation ----------------------------------------------------------------
def _wheel(widget, pos, notches: int) -> None:
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    local = QPointF(pos)
    event = QWheelEvent(local, QPointF(widget.mapToGlobal(pos)), QPoint(0, 0),
                        QPoint(0, 120 * notches), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def _oblique(window, target, distance=600.0):
    from cimviewer.core.camera import CameraState

    offset = np.array([0.0, -np.cos(np.radians(40)), np.sin(np.radians(40))]) * distance
    window.project.camera.state = CameraState(tuple(target + offset), tuple(target))
    window.view.render()


def _eye_clearance(view) -> float:
    eye = view.scene.to_world(view.scene.renderer.GetActiveCamera().GetPosition())
    ground = view.surface_height(eye[:2])
    return float(eye[2] - ground) if ground is not None else np.inf


def test_wheel_zooms_toward_the_cursor_in_3d(cim_demo_window, qtbot):
    from PySide6.QtCore import QPoint

    window = cim_demo_window
    view = window.view
    layer = buildings_layer(window.project)
    index, roof = roof_target(layer)
    centre = roof + np.array([150.0, 100.0, 0.0])  # the building is off the centre
    _oblique(window, centre)
    x, y = view.world_to_display(roof)
    pos = QPoint(round(x), round(y))
    under = view.scene.world_point(*view.display_to_vtk(pos.x(), pos.y()))
    d0 = _distance(window.project.camera.state)
    _wheel(view.vtk_widget, pos, 2)
    view.render()
    state = window.project.camera.state
    assert _distance(state) < d0 * 0.8  # closer
    x1, y1 = view.world_to_display(under)
    assert abs(x1 - pos.x()) < 2 and abs(y1 - pos.y()) < 2  # the point stays put
    assert view.scene.pick(*view.display_to_vtk(pos.x(), pos.y())) == (layer.uid, index)
    _wheel(view.vtk_widget, pos, -2)
    assert _distance(window.project.camera.state) > _distance(state) * 1.3  # and back


def test_wheel_and_orbit_never_go_below_ground(cim_demo_window, qtbot):
    from PySide6.QtCore import QPoint

    from cimviewer.ui.view import CLEARANCE_M

    window = cim_demo_window
    view = window.view
    layer = buildings_layer(window.project)
    _, roof = roof_target(layer)
    _oblique(window, roof, 300)
    width, height = view.vtk_widget.width(), view.vtk_widget.height()
    pos = QPoint(width // 2, height // 2)
    for _ in range(40):  # wheel into the roof under the cursor
        _wheel(view.vtk_widget, pos, 1)
        assert _eye_clearance(view) >= CLEARANCE_M - 1e-6
    # orbit down with the mouse (VTK's terrain style, driven through the interactor)
    _oblique(window, roof - np.array([0, 0, roof[2] - 5]), 200)
    interactor = view.interactor
    interactor.SetEventInformation(width // 2, height // 2, 0, 0)
    interactor.InvokeEvent("LeftButtonPressEvent")
    for step in range(1, 40):
        interactor.SetEventInformation(width // 2, height // 2 + 12 * step, 0, 0)
        interactor.InvokeEvent("MouseMoveEvent")
        assert _eye_clearance(view) >= CLEARANCE_M - 1e-6
    interactor.InvokeEvent("LeftButtonReleaseEvent")
    # and with the keyboard
    _oblique(window, roof, 200)
    view.vtk_widget.setFocus()
    for _ in range(30):
        QTest.keyClick(view.vtk_widget, Qt.Key.Key_Down)
        assert _eye_clearance(view) >= CLEARANCE_M - 1e-6


def test_double_click_flies_to_the_point(cim_demo_window, qtbot):
    from PySide6.QtCore import QPoint

    window = cim_demo_window
    view = window.view
    layer = buildings_layer(window.project)
    _, roof = roof_target(layer)
    _oblique(window, roof + np.array([120.0, 80.0, 0.0]), 800)
    x, y = view.world_to_display(roof)
    pos = QPoint(round(x), round(y))
    under = view.scene.world_point(*view.display_to_vtk(pos.x(), pos.y()))
    QTest.mouseDClick(view.vtk_widget, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier, pos)
    _settle(qtbot, window)
    state = window.project.camera.state
    np.testing.assert_allclose(state.focal_point, under, atol=0.5)
    assert _distance(state) == pytest.approx(400, rel=0.05)


def test_toolbar_and_zoom_to_selection_shortcut(cim_demo_window, qtbot):
    window = cim_demo_window
    bar = window.shell.toolbar("navigation")
    assert bar.isVisible()
    actions = bar.actions()
    for action in (window.reset_action, window.zoom_selection_action,
                   window.measure_actions["distance"], window.map_mode_action,
                   window.search_action):
        assert action in actions
    layer = buildings_layer(window.project)
    index = 321
    window.project.selection.set([(layer.uid, index)])
    window.view.scene.reset_camera()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    window.view.vtk_widget.setFocus()
    QTest.keyClick(window.view.vtk_widget, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    _settle(qtbot, window)
    assert _distance(window.project.camera.state) < 400
    for corner in _box_corners(layer.model.object_bbox(index)):
        assert _on_screen(window.view, corner)
    window.project.selection.clear()
    window.zoom_selection_action.trigger()  # nothing selected: says so, stays
    assert "Nothing selected" in window.statusBar().currentMessage()
    window.search_action.trigger()
    assert window.search_panel.query.hasFocus() or window.search_dock.isVisible()


# --- 3. time playback ----------------------------------------------------------------------
def test_speed_box_and_clock_agree(cim_demo_window, qtbot):
    from cimviewer.core.timestate import DEFAULT_SPEED

    panel = cim_demo_window.sensor_controller.time_panel
    time = cim_demo_window.project.time
    assert time.speed == DEFAULT_SPEED
    assert panel.speed.currentData() == time.speed
    assert panel.speed.currentText() == "900×"
    panel.speed.setCurrentIndex(panel.speed.findData(60.0))  # as a user picks it
    assert time.speed == 60.0
    data = time.to_dict() | {"speed": 1.0}  # a project saved at 1x opens
    time.update_from_dict(data)
    assert panel.speed.currentText() == "1×" and panel.speed.currentData() == 1.0
    time.set(speed=123.0)  # a speed the list lacks
    assert panel.speed.currentData() == 123.0 and panel.speed.currentText() == "123×"


def test_play_at_the_end_starts_from_the_beginning(cim_demo_window, qtbot):
    panel = cim_demo_window.sensor_controller.time_panel
    time = cim_demo_window.project.time
    assert time.current == time.end and panel.slider.value() == panel.slider.maximum()
    time.set(speed=3600.0)
    QTest.mouseClick(panel.play_button, Qt.MouseButton.LeftButton)
    assert panel.play_button.isChecked()
    qtbot.waitUntil(lambda: time.current > time.start, timeout=3000)
    assert time.current < time.end  # it plays, from the start
    assert panel.slider.value() < panel.slider.maximum() // 10
    assert panel.play_button.isChecked()
    start = time.current
    qtbot.wait(300)
    assert time.current > start  # and keeps playing
    QTest.mouseClick(panel.play_button, Qt.MouseButton.LeftButton)
    assert not panel.play_button.isChecked()
    paused = time.current
    QTest.mouseClick(panel.play_button, Qt.MouseButton.LeftButton)  # resumes, not restarts
    assert time.current >= paused
    panel.set_playing(False)


# --- 4. styling ----------------------------------------------------------------------------
def test_graduated_style_offers_numeric_fields_only(cim_demo_window, qtbot):
    from cimviewer.core.styling import numeric_values

    window = cim_demo_window
    panel = window.layer_panel
    layer = buildings_layer(window.project)
    panel.tree.setCurrentItem(panel.item_of(layer))
    style = panel.style_panel
    style.mode.setCurrentIndex(style.mode.findData("graduated"))
    names = [style.attribute.itemData(i) for i in range(style.attribute.count())]
    assert "function" not in names and "roofType" not in names
    assert "measuredHeight" in names
    assert layer.style.mode == "graduated" and layer.style.attribute in names
    values = numeric_values([a.get(layer.style.attribute) for a in layer.model.objects.attributes])
    assert np.isfinite(values).mean() > 0.9
    rows = window.view.scene.legend.rows
    assert len({label for label, _ in rows}) == len(rows) == layer.style.classes
    assert not any(label.startswith("0 – 0") for label, _ in rows)
    style.mode.setCurrentIndex(style.mode.findData("categorical"))  # all fields again
    names = [style.attribute.itemData(i) for i in range(style.attribute.count())]
    assert "function" in names


def test_several_object_types_are_coloured_by_type(cim_main_window, qtbot):
    from cimviewer.core.camera import top_down_camera
    from cimviewer.core.layers import CityModelLayer
    from cimviewer.core.styling import TYPE_FIELD
    from cimviewer.testing import make_city

    model = make_city(16)
    kinds = ["Building", "Road", "WaterBody", "PlantCover", "Bridge"]
    model.objects.types = [kinds[i % len(kinds)] for i in range(16)]
    layer = CityModelLayer("City", model)
    assert layer.style.mode == "categorical" and layer.style.attribute == TYPE_FIELD
    window = cim_main_window()
    window.project.add_layer(layer)
    window.layer_panel.tree.setCurrentItem(window.layer_panel.item_of(layer))
    labels = [label for label, _ in window.view.scene.legend.rows]
    assert sorted(labels) == sorted(kinds)
    assert window.layer_panel.style_panel.attribute.currentData() == TYPE_FIELD
    bbox = layer.bbox()
    window.project.camera.state = top_down_camera((bbox[:3] + bbox[3:]) / 2, 400)
    pixels = window_frame(window)[::-1]  # top row first
    view = window.view
    ratio = view.vtk_widget.devicePixelRatioF()
    seen = set()
    for index in range(5):  # one roof of each type
        lo, hi = model.object_bbox(index)[:3], model.object_bbox(index)[3:]
        x, y = view.world_to_display((lo + hi) / 2 + [0, 0, (hi[2] - lo[2]) / 2])
        seen.add(tuple(int(c) // 8 for c in pixels[round(y * ratio), round(x * ratio)]))
    assert len(seen) == 5  # five types, five colours


def test_a_single_type_city_keeps_semantic_colours():
    from cimviewer.core.layers import CityModelLayer
    from cimviewer.testing import make_city

    assert CityModelLayer("City", make_city(4)).style.mode == "semantic"


# --- 5. layout -----------------------------------------------------------------------------
def test_start_with_the_demo_is_not_modified(cim_main_window, qtbot):
    from cimviewer.ui.app import load_demo_into

    window = cim_main_window()
    window.project_controller.update_title()
    task = load_demo_into(window)
    qtbot.waitUntil(lambda: len(window.project.layers) > 0, timeout=20000)
    qtbot.wait(200)
    assert task is not None
    assert not window.project.modified
    assert not window.isWindowModified()
    assert "Untitled" in window.windowTitle()
