"""The "5G coverage" dock in the real main window with the demo city (needs a cim_display)."""

from __future__ import annotations

import numpy as np
import pytest
from coverage_5g.models import path_loss

from cimviewer.testing import show_plugin_dock

pytestmark = pytest.mark.gui
DOCK = "dock_plugin_coverage_5g_panel"


@pytest.fixture
def window(cim_demo_window):
    """The real main window with the demo city (the shared GUI fixture)."""
    return cim_demo_window


def show_dock(window):
    return show_plugin_dock(window, "coverage_5g")


def layer(window, name):
    return next(la for la in window.project.layers if la.name == name)


def click_world(qtbot, window, world):
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    window.view.render()
    x, y = window.view.world_to_display(np.asarray(world, float))
    QTest.mouseClick(window.view.vtk_widget, Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, QPoint(round(x), round(y)))
    qtbot.wait(30)


def look_down_at(window, centre, distance):
    from cimviewer.api import top_down_camera

    window.project.camera.state = top_down_camera(np.asarray(centre, float), distance)
    window.view.render()


def ground_point(window, xy):
    from cimviewer.api import sample_heights

    grid = layer(window, "Terrain").grid
    z = float(sample_heights(grid, np.array([xy[0]]), np.array([xy[1]]))[0])
    return np.array([xy[0], xy[1], z])


def test_dock_follows_the_plugin_enabled_state(window, qtbot):
    from PySide6.QtWidgets import QDockWidget

    show_dock(window)
    host = window.plugin_host
    host.set_enabled("coverage_5g", False)
    qtbot.wait(30)
    assert window.findChild(QDockWidget, DOCK) is None
    host.set_enabled("coverage_5g", True)
    assert show_dock(window) is not None


def test_fill_place_run_and_clear(window, qtbot):
    dock = show_dock(window)
    dock.count_spin.setValue(3)
    dock.fill_button.click()
    assert dock.table.rowCount() == 3
    assert window.project.plugin_state["coverage_5g"]["version"] == 1
    assert len(window.project.plugin_state["coverage_5g"]["data"]["sites"]) == 3

    # place a fourth site by clicking on a pole's foot in a top-down view
    poles = layer(window, "Poles").data.vertices
    target = ground_point(window, poles[len(poles) // 2, :2] + (3.0, 0.0))
    look_down_at(window, target, 250)
    dock.place_button.setChecked(True)
    click_world(qtbot, window, target)
    assert dock.table.rowCount() == 4 and not dock.place_button.isChecked()
    placed = dock.sites()[-1]
    assert np.hypot(placed["x"] - target[0], placed["y"] - target[1]) < 2.0

    buildings = layer(window, "Buildings")
    original_style = buildings.style
    dock.form.set_value("cell_m", 16)
    dock.form.set_value("max_radius_m", 400)
    dock.form.set_value("facades", True)
    n_layers = len(window.project.layers)
    assert dock.run_coverage() is not None
    qtbot.waitUntil(lambda: not dock.running, timeout=30000)
    assert dock.last_outputs is not None, dock.status.text()
    assert len(window.project.layers) == n_layers + 1
    assert dock.overlay_layer in list(window.project.layers)
    _xs, counts = dock.hist_curve.getData()
    assert counts is not None and counts.sum() > 0
    assert dock.stats_table.rowCount() == 5  # 4 sites + total
    attrs = buildings.model.objects.attributes
    assert sum("facade_rsrp_dbm" in a for a in attrs) > 100
    assert buildings.style.mode == "graduated"
    assert buildings.style.attribute == "facade_rsrp_dbm"

    dock.clear_button.click()
    assert dock.overlay_layer is None and len(window.project.layers) == n_layers
    assert buildings.style == original_style
    assert not any("facade_rsrp_dbm" in a for a in attrs)


def test_link_budget_between_two_clicks(window, qtbot):
    dock = show_dock(window)
    dock.tabs.setCurrentIndex(2)
    poles = layer(window, "Poles").data.vertices
    a = ground_point(window, poles[0, :2] + (3.0, 0.0))
    near = np.hypot(*(poles[:, :2] - poles[0, :2]).T)
    b = ground_point(window, poles[int(np.argmin(np.where(near > 150, near, np.inf))), :2]
                     + (3.0, 0.0))
    look_down_at(window, (a + b) / 2, 2.2 * np.hypot(*(b - a)[:2]) + 200)
    dock.link_model.setCurrentIndex(dock.link_model.findData("uma"))
    dock.link_button.setChecked(True)
    click_world(qtbot, window, a)
    click_world(qtbot, window, b)
    result = dock.link_result
    assert result is not None and not dock.link_button.isChecked()
    assert result.distance_m == pytest.approx(np.hypot(*(b - a)[:2]), abs=3.0)
    expected = float(path_loss("uma", dock.link_freq.value(), result.distance_m,
                               dock.link_tx_h.value(), dock.link_rx_h.value(), los=result.los))
    assert result.by_model["uma"]["path_loss_db"] == pytest.approx(expected, abs=1e-6)
    surface = np.asarray(result.profile["surface_m"])[1:-1]
    ray = np.asarray(result.profile["ray_m"])[1:-1]
    assert result.los == (not bool((surface > ray + 0.5).any()))
    assert dock.link_table.item(2, 1).text() == f"{expected:.1f}"
    xs, _ys = dock.ray_curve.getData()
    assert xs is not None and len(xs) > 2


def test_sites_round_trip_through_a_project_file(window, qtbot, tmp_path):
    from cimviewer.testing import open_project, save_project

    dock = show_dock(window)
    dock.count_spin.setValue(2)
    dock.fill_button.click()
    dock.table.item(0, 0).setText("North")
    dock.table.item(0, 8).setText("sector")
    sites = dock.sites()
    path = tmp_path / "city.cimproj"
    save_project(window.project, path)
    dock.set_sites([])
    assert dock.table.rowCount() == 0
    open_project(path, window.project)
    qtbot.wait(10)
    assert dock.sites() == sites
    assert dock.sites()[0]["name"] == "North" and dock.sites()[0]["antenna"] == "sector"


def test_sites_stand_in_the_view_and_the_result_has_a_legend(window, qtbot):
    from coverage_5g.algorithms import RSRP_CLASSES, area_bounds
    from coverage_5g.markers import site_markers

    dock = show_dock(window)
    dock.count_spin.setValue(6)  # well spread: the extremes of the poles layer
    dock.fill_button.click()
    bounds = area_bounds(layer(window, "Buildings").model, layer(window, "Terrain").grid)
    assert all(bounds[0] < s["x"] < bounds[2] and bounds[1] < s["y"] < bounds[3]
               for s in dock.sites())  # only where coverage can be computed
    markers = dock.marker_layer
    assert markers is not None and markers in list(window.project.layers)
    assert markers not in dock.point_layers()  # not offered as a source of sites
    sites = dock.sites()
    np.testing.assert_allclose(markers.data.vertices[:, :2],
                               [[s["x"], s["y"]] for s in sites])
    # the mast is in the view: a pick on it finds the marker layer
    site = sites[0]
    top = markers.data.vertices[0] + (0.0, 0.0, 0.6 * site["height_m"])
    foot = ground_point(window, np.array([site["x"], site["y"]]))
    look_down_at(window, foot, 300)
    cam = window.project.camera.state
    from cimviewer.api import CameraState

    side = np.asarray(foot, float) + np.array([0.0, -120.0, 40.0])  # look at it from the side
    window.project.camera.state = CameraState(tuple(side), tuple(top), (0.0, 0.0, 1.0),
                                              cam.view_angle)
    window.view.render()
    x, y = window.view.world_to_display(top)
    vx, vy = window.view.display_to_vtk(x, y)
    assert window.view.scene.pick(vx, vy) == (markers.uid, 0)
    # a roof site stands on the roof, a ground site on the terrain beside it
    vertices = layer(window, "Buildings").model.mesh_for_lod(None).vertices
    peak = vertices[np.argmax(vertices[:, 2])]
    terrain = layer(window, "Terrain").grid
    at_peak = dict(site, x=float(peak[0]), y=float(peak[1]))
    data = site_markers([dict(at_peak, mount="roof"), dict(at_peak, mount="ground")],
                        terrain, layer(window, "Buildings").model, None)
    assert data.vertices[0, 2] == pytest.approx(peak[2])
    assert data.vertices[1, 2] == pytest.approx(ground_point(window, peak[:2])[2])
    assert data.vertices[1, 2] < peak[2] - 10

    dock.form.set_value("cell_m", 24)
    dock.form.set_value("max_radius_m", 300)
    assert dock.run_coverage() is not None
    qtbot.waitUntil(lambda: not dock.running, timeout=30000)
    overlay = dock.overlay_layer
    assert dock.last_outputs is not None, dock.status.text()
    assert overlay is not None and overlay.grid.unit == "dBm"
    assert window.layer_panel.current_layer() is overlay  # so the view shows its legend
    legend = window.view.scene.legend
    assert [c for _label, c in legend.rows] == [c for _lower, c in RSRP_CLASSES]
    assert [label for label, _c in legend.rows] == dock.class_labels
    assert legend.actor.GetVisibility()
    assert overlay.ground is not None  # lies on the terrain, not at height 0
    assert np.nanmax(np.abs(overlay.surface_heights() - overlay.ground - 1.0)) < 1e-9


def test_facades_take_the_legends_rsrp_classes_and_no_signal_is_grey(window, qtbot):
    """Building colours mean what the RSRP legend says: the same bands, and buildings no
    site reaches in a grey class of their own (not a colour of the scale)."""
    from coverage_5g.algorithms import RSRP_CLASSES
    from coverage_5g.dock import NO_SIGNAL_RGB

    from cimviewer.testing import roof_target, window_frame

    dock = show_dock(window)
    dock.count_spin.setValue(2)
    dock.fill_button.click()
    dock.form.set_value("cell_m", 16)
    dock.form.set_value("max_radius_m", 250)  # small reach: many buildings get nothing
    dock.form.set_value("facades", True)
    assert dock.run_coverage() is not None
    qtbot.waitUntil(lambda: not dock.running, timeout=30000)
    assert dock.last_outputs is not None, dock.status.text()
    buildings = layer(window, "Buildings")
    # the legend of the buildings, as the view shows it: the overlay's bands + no signal
    window.layer_panel.tree.setCurrentItem(window.layer_panel.item_of(buildings))
    rows = window.view.scene.legend.rows
    assert [c for _label, c in rows[:-1]] == [c for _lower, c in RSRP_CLASSES]
    assert rows[-1][1] == NO_SIGNAL_RGB
    values = np.array([a.get("facade_rsrp_dbm", np.nan)
                       for a in buildings.model.objects.attributes])
    far = np.flatnonzero(values < RSRP_CLASSES[-1][0])
    assert len(far), "some building must be out of reach"
    # on screen: a building without signal is drawn grey (neutral), not in a band colour
    window.view.scene.legend.actor.SetVisibility(False)
    index, point = roof_target(buildings, int(far[0]))
    look_down_at(window, point, 120)
    x, y = window.view.world_to_display(point)
    vx, vy = window.view.display_to_vtk(x, y)
    assert window.view.scene.pick(vx, vy) == (buildings.uid, index)
    pixel = window_frame(window)[vy, vx]
    assert int(pixel.max()) - int(pixel.min()) < 25, pixel  # grey, not red/green
    # the results table reads as a table
    headers = [dock.stats_table.horizontalHeaderItem(c).text()
               for c in range(dock.stats_table.columnCount())]
    assert "Site" in headers and not any("_" in h for h in headers)
    cells = [dock.stats_table.item(r, c).text() for r in range(dock.stats_table.rowCount())
             for c in range(dock.stats_table.columnCount())]
    assert "None" not in cells and "Total" in cells
