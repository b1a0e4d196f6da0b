"""Camera, bookmarks, measurement, search and style editing in the real window."""

from __future__ import annotations

import time

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from cimviewer.core.camera import CameraState, top_down_camera
from cimviewer.testing import buildings_layer, roof_target

pytestmark = pytest.mark.gui


def _wait_camera(qtbot, window, target: CameraState):
    qtbot.waitUntil(lambda: not window.view._fly_timer.isActive(), timeout=5000)
    state = window.project.camera.state
    np.testing.assert_allclose(state.position, target.position, atol=0.01)
    np.testing.assert_allclose(state.focal_point, target.focal_point, atol=0.01)


def test_bookmark_flies_back_smoothly(cim_demo_window, qtbot):
    project = cim_demo_window.project
    layer = buildings_layer(project)
    _, target = roof_target(layer)
    saved = top_down_camera(target, 200)
    project.camera.state = saved
    bookmark = cim_demo_window.bookmarks_panel.add_current("Tower")
    assert cim_demo_window.bookmarks_panel.list.count() == 1
    assert bookmark.camera == saved
    project.camera.state = top_down_camera(target + np.array([800, 300, 0]), 900)
    seen = []
    project.camera.changed.connect(seen.append)
    cim_demo_window.bookmarks_panel.list.setCurrentRow(0)
    cim_demo_window.bookmarks_panel._go(cim_demo_window.bookmarks_panel.list.currentItem())
    _wait_camera(qtbot, cim_demo_window, saved)
    assert len(seen) >= 5  # animated: many intermediate views, not a jump


def test_measure_distance_and_area(cim_demo_window, qtbot):
    project = cim_demo_window.project
    layer = buildings_layer(project)
    _, target = roof_target(layer)
    project.camera.state = top_down_camera(target - np.array([0, 0, target[2]]), 900)
    view = cim_demo_window.view
    view.render()
    cim_demo_window.measure_actions["distance"].setChecked(True)
    widget = view.vtk_widget
    points = []
    for qx, qy in ((100, 100), (400, 120), (420, 400)):
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         QPoint(qx, qy))
        qtbot.wait(30)
        points.append(view.measure_points[-1])
    pts = np.array(points)
    segments = np.linalg.norm(np.diff(pts, axis=0), axis=1)
    expected = segments.sum()
    assert expected > 100
    message = cim_demo_window.statusBar().currentMessage()
    assert f"{expected:,.2f}" in message
    assert all(f"{s:,.1f}" in message for s in segments)  # the segments are listed
    # ... and labelled in the view at their middles, the total at the last point
    labels = view.measure_actor.label_texts
    assert labels[:2] == [f"{s:,.1f} m" for s in segments]
    assert f"{expected:,.2f}" in labels[2]
    cim_demo_window.measure_actions["area"].setChecked(True)
    assert not cim_demo_window.measure_actions["distance"].isChecked()
    for qx, qy in ((100, 100), (400, 100), (400, 400)):
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         QPoint(qx, qy))
        qtbot.wait(30)
    tri = np.array(view.measure_points)
    area = 0.5 * abs(np.cross(tri[1, :2] - tri[0, :2], tri[2, :2] - tri[0, :2]))
    assert f"{area:,.1f}" in cim_demo_window.statusBar().currentMessage()
    assert project.selection.items == ()  # measuring clicks do not select


def test_map_mode_is_top_down_orthographic_and_picks(cim_demo_window, qtbot):
    project = cim_demo_window.project
    layer = buildings_layer(project)
    index, target = roof_target(layer)
    project.camera.state = top_down_camera(target, 300)
    cim_demo_window.map_mode_action.setChecked(True)
    camera = cim_demo_window.view.scene.renderer.GetActiveCamera()
    assert camera.GetParallelProjection()
    direction = np.subtract(camera.GetFocalPoint(), camera.GetPosition())
    assert direction[2] < 0 and np.hypot(direction[0], direction[1]) < 1e-6
    cim_demo_window.view.render()
    x, y = cim_demo_window.view.world_to_display(target)
    QTest.mouseClick(cim_demo_window.view.vtk_widget, Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, QPoint(round(x), round(y)))
    qtbot.waitUntil(lambda: project.selection.items == ((layer.uid, index),), timeout=3000)
    cim_demo_window.map_mode_action.setChecked(False)
    assert not camera.GetParallelProjection()
    # back in 3D over the same place, not the whole project again (#18)
    state = project.camera.state
    assert np.hypot(*np.subtract(state.focal_point, target)[:2]) < 5
    assert 100 < np.linalg.norm(np.subtract(state.position, state.focal_point)) < 2000
    cim_demo_window.view.render()
    x, y = cim_demo_window.view.world_to_display(target)
    vx, vy = cim_demo_window.view.display_to_vtk(x, y)
    w, h = cim_demo_window.view.render_window.GetSize()
    assert 0 <= vx < w and 0 <= vy < h  # the building is still on screen


def test_keyboard_orbits_and_zooms(cim_demo_window, qtbot):
    project = cim_demo_window.project
    layer = buildings_layer(project)
    _, target = roof_target(layer)
    project.camera.state = CameraState(tuple(target + np.array([0, -500, 300])), tuple(target))
    view = cim_demo_window.view
    view.vtk_widget.setFocus()
    before = project.camera.state
    QTest.keyClick(view.vtk_widget, Qt.Key.Key_Left)
    after = project.camera.state
    assert after != before
    np.testing.assert_allclose(after.focal_point, before.focal_point, atol=1e-6)
    d0 = np.linalg.norm(np.subtract(before.position, before.focal_point))
    QTest.keyClick(view.vtk_widget, Qt.Key.Key_Plus)
    d1 = np.linalg.norm(np.subtract(project.camera.state.position,
                                    project.camera.state.focal_point))
    assert d1 < d0 * 0.9
    QTest.keyClick(view.vtk_widget, Qt.Key.Key_W)  # VTK's wireframe key does nothing here
    actor = view.scene.adapters[layer.uid].actors[0]
    assert actor.GetProperty().GetRepresentation() == 2  # surface


def test_search_by_id_and_attribute_selects_and_flies(cim_demo_window, qtbot):
    project = cim_demo_window.project
    layer = buildings_layer(project)
    objects = layer.model.objects
    wanted = objects.ids[42]
    hits = cim_demo_window.search_panel.search(wanted)
    assert (layer.uid, 42) in hits
    assert project.selection.items[0][1] in [i for _, i in hits]
    _ = qtbot.waitUntil(lambda: not cim_demo_window.view._fly_timer.isActive(), timeout=5000)
    focal = np.array(project.camera.state.focal_point)
    box = layer.model.object_bbox(42)
    if len(hits) == 1:
        assert np.linalg.norm(focal[:2] - (box[:2] + box[3:5]) / 2) < 5
    function = objects.attributes[42]["function"]
    by_value = cim_demo_window.search_panel.search(function)
    matching = sum(a.get("function") == function for a in objects.attributes)
    assert len(by_value) == min(matching, 1000)  # the list stops at 1000 hits


def test_style_panel_applies_graduated_style(cim_demo_window, qtbot):
    panel = cim_demo_window.layer_panel
    layer = buildings_layer(cim_demo_window.project)
    panel.tree.setCurrentItem(panel.item_of(layer))
    style = panel.style_panel
    style.mode.setCurrentIndex(style.mode.findData("graduated"))
    style.attribute.setCurrentIndex(style.attribute.findData("yearOfConstruction"))
    style.classification.setCurrentIndex(style.classification.findData("equal_interval"))
    style.classes.setValue(4)
    assert layer.style.mode == "graduated"
    assert layer.style.attribute == "yearOfConstruction"
    assert layer.style.classes == 4
    assert cim_demo_window.view.scene.legend.actor.GetVisibility() == 1
    assert len(cim_demo_window.view.scene.legend.rows) == 4


def test_point_and_polygon_parameters_are_picked_on_the_map(cim_demo_window, qtbot):
    from PySide6.QtWidgets import QPushButton

    from cimviewer.algorithms.base import Algorithm
    from cimviewer.algorithms.parameters import PointParam, PolygonParam
    from cimviewer.ui.algorithm_dialog import AlgorithmDialog

    class Zone(Algorithm):
        title = "Zone"
        qualified_name = "cimtest.zone"

        def parameters(self):
            return [PointParam("centre", "Centre"), PolygonParam("area", "Area")]

        def outputs(self):
            return []

    layer = buildings_layer(cim_demo_window.project)
    _, target = roof_target(layer)
    cim_demo_window.project.camera.state = top_down_camera(target, 300)
    dialog = AlgorithmDialog(cim_demo_window.plugin_host, Zone(), cim_demo_window)
    qtbot.addWidget(dialog)
    dialog.show()
    view = cim_demo_window.view

    def click(world) -> np.ndarray:
        """Click where ``world`` shows; returns the surface point under that pixel."""
        view.render()
        x, y = view.world_to_display(np.asarray(world, float))
        under = view.scene.world_point(*view.display_to_vtk(round(x), round(y)))
        QTest.mouseClick(view.vtk_widget, Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier, QPoint(round(x), round(y)))
        qtbot.wait(30)
        return under

    centre_pick = dialog.widgets["centre"].findChild(QPushButton, "pick")
    centre_pick.setChecked(True)
    click(target)
    assert not centre_pick.isChecked()  # one click for a point
    picked = dialog.algorithm.parameters()[0].validate(dialog.raw_values()["centre"])
    assert np.hypot(picked[0] - target[0], picked[1] - target[1]) < 1.0

    area_pick = dialog.widgets["area"].findChild(QPushButton, "pick")
    area_pick.setChecked(True)
    corners = [target + np.array(d) for d in ((-40, -40, 0), (40, -40, 0), (0, 40, 0))]
    corners = [click(corner) for corner in corners]  # roofs or ground under the cursor
    area_pick.setChecked(False)
    click(target)  # no longer picking: the polygon keeps its three corners
    polygon = dialog.algorithm.parameters()[1].validate(dialog.raw_values()["area"])
    assert len(polygon) == 3
    for (x, y), corner in zip(polygon, corners, strict=True):
        assert np.hypot(x - corner[0], y - corner[1]) < 0.02


def test_measure_line_is_drawn_over_buildings_in_front_of_it(cim_demo_window, qtbot):
    """A line measured behind a tall building stays visible (drawn on top)."""
    from cimviewer.testing import window_frame

    project = cim_demo_window.project
    layer = buildings_layer(project)
    _, target = roof_target(layer)
    view = cim_demo_window.view
    # looking at the roof target from the south, level with it: the building hides
    # what is behind it below its roof
    eye = target + np.array([0.0, -250.0, 10.0])
    project.camera.state = CameraState(tuple(eye), tuple(target), (0, 0, 1), 30.0)
    before = window_frame(cim_demo_window).astype(int)
    behind = target + np.array([0.0, 150.0, -12.0])
    along = np.array([80.0, 0.0, 0.0])
    points = np.array([behind - along, behind + along])
    view.start_measure("distance")
    view.measure_points = list(points)
    view.measure_actor.set_points(points, closed=False)
    frame = window_frame(cim_demo_window).astype(int)
    magenta = (frame[:, :, 0] > 200) & (frame[:, :, 1] < 110) & (frame[:, :, 2] > 100)
    # where the building is drawn (at the target's screen column), the line shows
    tx, ty = view.display_to_vtk(*view.world_to_display(target - [0, 0, 12.0]))
    column = magenta[:, max(0, round(tx) - 3):round(tx) + 4]
    assert column.sum() >= 3
    building = np.abs(before[:, round(tx)] - before[round(ty), round(tx)]).sum(axis=1) < 30
    line_rows = np.flatnonzero(column.any(axis=1))
    assert building[line_rows].any()  # those pixels were the building's before
    view.start_measure(None)
    frame = window_frame(cim_demo_window).astype(int)
    gone = (frame[:, :, 0] > 200) & (frame[:, :, 1] < 110) & (frame[:, :, 2] > 100)
    # (magenta things of the city itself, such as pole tips, were there before)
    was = (before[:, :, 0] > 200) & (before[:, :, 1] < 110) & (before[:, :, 2] > 100)
    assert (gone & ~was).sum() < 5


def test_a_flight_on_slow_frames_takes_longer_instead_of_jumping(cim_demo_window, qtbot):
    """Frames of 0.25 s (a loaded software renderer) and a 0.8 s flight: still drawn in
    MIN_FLIGHT_STEPS frames, evenly, not in three jumps."""
    from cimviewer.ui import view as view_module

    project = cim_demo_window.project
    _, target = roof_target(buildings_layer(project))
    view = cim_demo_window.view
    project.camera.state = top_down_camera(target + np.array([800, 300, 0]), 900)
    slow = view.render_window.AddObserver("StartEvent", lambda *_: time.sleep(0.25))
    seen = []
    project.camera.changed.connect(seen.append)
    goal = top_down_camera(target, 200)
    try:
        view.fly_to(goal, 0.8)
        qtbot.waitUntil(lambda: not view._fly_timer.isActive(), timeout=10_000)
    finally:
        view.render_window.RemoveObserver(slow)
        project.camera.changed.disconnect(seen.append)
    assert len(seen) >= view_module.MIN_FLIGHT_STEPS
    assert np.allclose(seen[-1].position, goal.position)
    heights = [state.position[2] for state in seen]
    steps = np.abs(np.diff(heights))
    assert steps.max() < 0.35 * abs(heights[0] - heights[-1])  # no big jump
