"""The main window in a real X window (Xvfb): clicking, docks, menus, files."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from cimviewer.core.camera import top_down_camera
from cimviewer.testing import buildings_layer, roof_target

pytestmark = pytest.mark.gui


def _click_world(window, qtbot, world, modifier=Qt.KeyboardModifier.NoModifier):
    x, y = window.view.world_to_display(world)
    widget = window.view.vtk_widget
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton, modifier, QPoint(round(x), round(y)))
    qtbot.wait(50)


def test_click_on_a_building_shows_its_id_in_the_inspector(cim_demo_window, qtbot):
    project = cim_demo_window.project
    layer = buildings_layer(project)
    index, target = roof_target(layer)
    project.camera.state = top_down_camera(target, 150)
    cim_demo_window.view.render()
    _click_world(cim_demo_window, qtbot, target)
    building_id = layer.model.objects.ids[index]
    assert project.selection.items == ((layer.uid, index),)
    assert cim_demo_window.inspector.value_of("Object id") == building_id
    assert cim_demo_window.inspector.value_of("Type") in ("Building", "BuildingPart")


def test_ctrl_click_adds_to_selection_and_click_on_sky_clears(cim_demo_window, qtbot):
    project = cim_demo_window.project
    layer = buildings_layer(project)
    mesh = layer.model.mesh_for_lod(None)
    first, target = roof_target(layer)
    # a neighbour: the other object closest to the target
    centroids = mesh.vertices[mesh.triangles].mean(axis=1)
    d = np.linalg.norm(centroids[:, :2] - target[:2], axis=1)
    d[mesh.tri_object == first] = np.inf
    second, target2 = roof_target(layer, int(mesh.tri_object[int(np.argmin(d))]))
    project.camera.state = top_down_camera((target + target2) / 2, 400)
    cim_demo_window.view.render()
    _click_world(cim_demo_window, qtbot, target)
    _click_world(cim_demo_window, qtbot, target2, Qt.KeyboardModifier.ControlModifier)
    assert {i for _, i in project.selection.items} == {first, second}
    inspector = cim_demo_window.inspector
    ids = [inspector.item(r, 1).text() for r in range(inspector.rowCount())
           if inspector.item(r, 0).text() == "Object id"]
    assert sorted(ids) == sorted(layer.model.objects.ids[i] for i in (first, second))


def test_layer_panel_visibility_and_opacity_drive_the_layer(cim_demo_window, qtbot):
    panel = cim_demo_window.layer_panel
    layer = buildings_layer(cim_demo_window.project)
    item = panel.item_of(layer)
    item.setCheckState(0, Qt.CheckState.Unchecked)
    assert layer.visible is False
    assert cim_demo_window.view.scene.adapters[layer.uid].actor.GetVisibility() == 0
    layer.visible = True
    assert item.checkState(0) == Qt.CheckState.Checked
    panel.tree.setCurrentItem(item)
    panel.opacity.setValue(40)
    assert layer.opacity == pytest.approx(0.4)
    assert cim_demo_window.view.scene.adapters[layer.uid].actor.GetProperty().GetOpacity() == \
        pytest.approx(0.4)
    lods = [panel.lod.itemData(i) for i in range(panel.lod.count())]
    assert lods[0] is None and "1" in lods
    panel.lod.setCurrentIndex(lods.index("1"))
    assert layer.lod == "1"


def test_status_bar_shows_world_coordinates(cim_demo_window, qtbot):
    project = cim_demo_window.project
    layer = buildings_layer(project)
    _, target = roof_target(layer)
    project.camera.state = top_down_camera(target, 150)
    cim_demo_window.view.render()
    x, y = cim_demo_window.view.world_to_display(target)
    QTest.mouseMove(cim_demo_window.view.vtk_widget, QPoint(round(x), round(y)))
    qtbot.waitUntil(lambda: "X —" not in cim_demo_window.coords_label.text(), timeout=3000)
    text = cim_demo_window.coords_label.text()
    assert f"X {target[0]:.0f}"[:-1] in text and "EPSG:4547" in text


def test_open_bad_file_reports_and_keeps_layers(cim_demo_window, qtbot, tmp_path):
    bad = tmp_path / "broken.city.json"
    bad.write_text('{"type": "CityJSON", "version": "2.0", "CityObjects": {', encoding="utf-8")
    before = len(cim_demo_window.project.layers)
    cim_demo_window.open_path(bad)
    from PySide6.QtWidgets import QMessageBox

    qtbot.waitUntil(lambda: cim_demo_window.findChild(QMessageBox, "open_error") is not None,
                    timeout=10000)
    assert len(cim_demo_window.project.layers) == before
    box = cim_demo_window.findChild(QMessageBox, "open_error")
    assert "broken.city.json" in box.text()
    assert "broken.city.json" in cim_demo_window.log_panel.toPlainText()


def test_open_file_adds_layer_and_recent_entry(cim_demo_window, qtbot, tmp_path):
    doc = {"type": "CityJSON", "version": "2.0",
           "transform": {"scale": [0.01, 0.01, 0.01], "translate": [498900, 2492900, 0]},
           "metadata": {"referenceSystem": "https://www.opengis.net/def/crs/EPSG/0/4547"},
           "CityObjects": {"NEW-1": {"type": "Building", "geometry": [{
               "type": "MultiSurface", "lod": "1",
               "boundaries": [[[0, 1, 2, 3]]]}]}},
           "vertices": [[0, 0, 100], [1000, 0, 100], [1000, 1000, 100], [0, 1000, 100]]}
    path = tmp_path / "new.city.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    cim_demo_window.open_path(path)
    qtbot.waitUntil(lambda: cim_demo_window.project.layers[-1].name == "new", timeout=10000)
    assert cim_demo_window.recent.entries()[0] == str(path.resolve())


def test_about_reports_versions():
    from cimviewer.ui.about import version_info

    info = version_info()
    assert info["VTK"].count(".") >= 1 and info["Qt"].startswith("6.")
    assert info["Python"].startswith("3.")


def test_docks_can_be_rearranged(cim_demo_window):
    from PySide6.QtCore import Qt as QtNS

    cim_demo_window.addDockWidget(QtNS.DockWidgetArea.LeftDockWidgetArea,
                                  cim_demo_window.inspector_dock)
    assert cim_demo_window.dockWidgetArea(cim_demo_window.inspector_dock) == \
        QtNS.DockWidgetArea.LeftDockWidgetArea
    state = cim_demo_window.saveState()
    cim_demo_window.addDockWidget(QtNS.DockWidgetArea.RightDockWidgetArea,
                                  cim_demo_window.inspector_dock)
    assert cim_demo_window.restoreState(state)
    assert cim_demo_window.dockWidgetArea(cim_demo_window.inspector_dock) == \
        QtNS.DockWidgetArea.LeftDockWidgetArea


def test_click_picks_the_right_building_on_a_hidpi_screen(cim_display, tmp_path):
    """Device pixels are twice the logical ones: clicks must still hit the building."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = dict(os.environ, QT_SCALE_FACTOR="2")
    script = Path(__file__).with_name("hidpi_click.py")
    out = subprocess.run([sys.executable, str(script), str(tmp_path / "s.ini")], env=env,
                         capture_output=True, text=True, timeout=120)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["ratio"] == 2
    assert result["selected"] == [result["expected"]]
