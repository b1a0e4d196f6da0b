"""The GUI half of the plugin API (ctx.gui), used by a sample planning plugin whose dock
needs nothing from cimviewer.ui: its form, its run as a host task, colours on screen,
actions, layout parts, following opened projects, and everything undone on disable."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QDoubleSpinBox

from cimviewer.testing import show_plugin_dock, window_frame

pytestmark = pytest.mark.gui
PLANNER = "cimtest_planner"


@pytest.fixture
def planner(cim_main_window, samples, cim_demo_project):
    window = cim_main_window(samples / PLANNER, project=cim_demo_project)
    return window, show_plugin_dock(window, PLANNER)


def buildings(window):
    return next(la for la in window.project.layers if la.kind == "citymodel")


def test_the_form_has_the_declared_defaults_and_layers(planner):
    window, dock = planner
    weight = dock.form.widgets["weight"]
    assert isinstance(weight, QDoubleSpinBox)
    assert weight.value() == 2.5 and weight.maximum() == 10 and weight.suffix() == " x"
    assert dock.form.row_label("weight").text() == "Weight *"
    assert dock.form.values()["buildings"] is buildings(window)


def test_a_run_colours_the_buildings_on_screen_as_the_legend_says(planner, qtbot):
    from cimviewer.core.camera import top_down_camera
    from cimviewer.core.styling import legend_entries

    window, dock = planner
    layer = buildings(window)
    original = layer.style
    assert dock.run() is not None
    assert window.progress.isVisible()  # the host shows the task
    qtbot.waitUntil(lambda: dock.outputs is not None, timeout=20000)
    assert not window.tasks
    scores = dock.outputs["scores"].columns
    best = scores["object_index"][int(np.argmax(scores["score"]))]
    assert layer.style.mode == "graduated" and layer.style.attribute == "planner_score"
    assert layer.model.objects.attributes[best]["planner_score"] == pytest.approx(
        max(scores["score"]))
    # the tallest building, seen from above, has the colour of the highest class
    mesh = layer.model.mesh_for_lod(None)
    roof = mesh.vertices[mesh.triangles[mesh.tri_object == best]].reshape(-1, 3)
    centre = np.array([*roof[:, :2].mean(axis=0), roof[:, 2].max()])
    window.project.camera.state = top_down_camera(centre, 150)
    image = window_frame(window)
    x, y = window.view.world_to_display(centre)
    vx, vy = window.view.display_to_vtk(x, y)
    assert window.view.scene.pick(vx, vy) == (layer.uid, best)
    pixel = image[vy, vx].astype(float)
    legend = legend_entries(layer.style, layer.model.objects.attributes)
    colours = np.array([c for _label, c in legend], float)
    # shading darkens a colour but keeps its direction: compare normalised colours
    unit = colours / np.linalg.norm(colours, axis=1, keepdims=True)
    nearest = int(np.argmax(unit @ (pixel / np.linalg.norm(pixel))))
    assert nearest == len(legend) - 1, (pixel, legend)

    window.findChild(QAction, "planner_clear").trigger()
    assert layer.style == original
    assert not any("planner_score" in a for a in layer.model.objects.attributes)


def test_cancel_stops_the_run_and_the_status_bar(planner, qtbot):
    window, dock = planner
    dock.form.set_value("step_s", 1.0)
    task = dock.run()
    qtbot.waitUntil(lambda: bool(window.tasks), timeout=2000)
    window.cancel_tasks()  # the status bar's Cancel reaches the plugin's task
    qtbot.waitUntil(lambda: dock.status.text() == "cancelled", timeout=5000)
    assert not task.running and not window.tasks and dock.outputs is None


def test_invalid_values_are_refused_before_running(planner):
    window, dock = planner
    window.project.layers.remove(buildings(window))
    assert dock.run() is None
    assert "buildings" in dock.status.text().lower()
    assert not window.tasks


def test_layout_parts_and_state_follow_the_project(planner, tmp_path, qtbot):
    window, dock = planner
    dock.runs = 7
    dock.form.set_value("weight", 4.0)
    dock.ctx.set_state({"weight": 4.0})
    path = tmp_path / "plan.cimproj"
    assert window.project_controller.save_to(path)
    dock.runs = 0
    dock.form.set_value("weight", 1.0)
    task = window.project_controller.open_file(path)
    qtbot.waitUntil(lambda: task.future.done() and window.project.path == path.resolve(),
                    timeout=20000)
    qtbot.wait(50)
    assert dock.runs == 7  # the layout part came back
    assert dock.form.values()["weight"] == 4.0  # the dock reloaded the plugin state


def test_disabling_the_plugin_undoes_everything(planner, qtbot):
    window, _dock = planner
    host = window.plugin_host
    assert window.findChild(QAction, "planner_clear") is not None
    assert f"{PLANNER}.panel" in window.shell.layout_parts
    host.set_enabled(PLANNER, False)
    qtbot.wait(50)
    assert window.findChild(QAction, "planner_clear") is None
    assert f"{PLANNER}.panel" not in window.shell.layout_parts
    assert window.findChild(QDockWidget, f"dock_plugin_{PLANNER}_panel") is None


def test_the_form_speaks_the_plugins_language(cim_main_window, samples):
    from cimviewer.ui.parameter_form import ParameterForm

    window = cim_main_window(samples / PLANNER)
    manager = window.plugin_host.manager
    manager.language = "zh_CN"
    form = ParameterForm(manager.algorithm(f"{PLANNER}.score"), window.project,
                         parent=window, texts=manager.texts(PLANNER))
    assert form.row_label("weight").text() == "权重 *"
    assert form.row_label("step_s").text() == "每步等待 *"


def test_the_form_says_when_a_value_changes(planner, qtbot):
    _window, dock = planner
    with qtbot.waitSignal(dock.form.changed, timeout=1000):
        dock.form.widgets["weight"].setValue(3.5)
    with qtbot.waitSignal(dock.form.changed, timeout=1000):
        dock.form.set_value("step_s", 0.5)


def test_a_plugin_makes_a_layer_current_so_its_legend_shows(planner):
    window, dock = planner
    city = buildings(window)
    roads = next(la for la in window.project.layers if la.kind == "vector")
    dock.gui.set_current_layer(roads)
    assert window.layer_panel.current_layer() is roads
    dock.gui.set_current_layer(city)
    assert window.layer_panel.current_layer() is city
    assert dock.gui.current_layer() is city
