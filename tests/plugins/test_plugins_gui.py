"""The GUI side: menus/docks/actions come and go, algorithm dialogs run, hang and fail."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDockWidget, QMenu, QToolBar

from cimviewer.cli import main as cli_main
from cimviewer.io.demo import demo_building_path
from cimviewer.io.registry import plugin_readers

pytestmark = pytest.mark.gui


def menu_titles(window):
    return [a.text() for a in window.menuBar().actions()]


def test_enable_disable_round_trip(cim_main_window, samples, qtbot):
    from cimviewer.ui.plugin_manager import PluginManagerDialog

    window = cim_main_window(samples / "cimtest_hello")
    host = window.plugin_host
    assert "&Algorithms" in menu_titles(window)
    assert window.findChild(QMenu, "algorithms_cimtest_hello") is not None
    assert "Hello" in menu_titles(window)
    toolbar = window.findChild(QToolBar, "plugins_toolbar")
    assert [a.text() for a in toolbar.actions()] == ["Greet"]
    assert toolbar.windowTitle() == "Plugins"  # translated, not the toolbar's id
    toggle = window.findChild(type(toolbar.actions()[0]), "plugin_dock_toggle_cimtest_hello_panel")
    toggle.setChecked(True)
    dock = window.findChild(QDockWidget, "dock_plugin_cimtest_hello_panel")
    assert dock is not None and dock.isVisible()
    assert dock.widget().text() == "hello from cimtest_hello"

    dialog = PluginManagerDialog(host, window)
    qtbot.addWidget(dialog)
    dialog.set_checked("cimtest_hello", False)
    qtbot.wait(50)  # deleteLater
    assert "Hello" not in menu_titles(window)
    assert window.findChild(QMenu, "algorithms_cimtest_hello") is None
    assert window.findChild(QDockWidget, "dock_plugin_cimtest_hello_panel") is None
    assert window.findChild(QToolBar, "plugins_toolbar") is None
    assert "cimtest_hello.hello" not in plugin_readers()
    assert host.disabled_names() == {"cimtest_hello"}

    dialog.set_checked("cimtest_hello", True)
    assert "Hello" in menu_titles(window)
    assert window.findChild(QMenu, "algorithms_cimtest_hello") is not None
    assert host.disabled_names() == set()
    dialog.close()


def test_actions_state_and_styles(cim_main_window, samples):
    import numpy as np

    from cimviewer.core.datasets import VectorData
    from cimviewer.core.layers import VectorLayer

    window = cim_main_window(samples / "cimtest_hello")
    layer = window.project.add_layer(VectorLayer("p", VectorData("point", np.zeros((1, 3)),
                                                                 n_features=1)))
    window.findChild(type(window.open_action), "plugin_action_cimtest_hello_greet").trigger()
    assert window.project.plugin_state["cimtest_hello"]["version"] == 3
    window.plugin_host.apply_style("cimtest_hello.red", layer)
    assert layer.style.color == (255, 0, 0)


def test_broken_plugins_are_reported(cim_main_window, samples):
    window = cim_main_window(samples)  # every sample plugin
    host = window.plugin_host
    records = host.manager.records
    assert records["cimtest_future"].status == "refused"
    window.findChild(type(window.open_action), "plugin_action_cimtest_raising_explode").trigger()
    window.findChild(type(window.open_action), "plugin_action_cimtest_broken_act").trigger()
    host.create_dock("cimtest_raising", host.manager.contributions("cimtest_raising", "docks")[0])
    assert ("cimtest_raising", "action 'explode' failed: ValueError: the action exploded") \
        in host.manager.problems
    assert records["cimtest_broken"].status == "failed"
    assert any("not a QWidget" in m for _, m in host.manager.problems)
    # the working plugin still works
    assert host.open_algorithm("cimtest_hello.squares") is not None


def wait_done(qtbot, dialog, timeout=20000):
    qtbot.waitUntil(lambda: not dialog.running, timeout=timeout)


def test_exception_in_algorithm_dialog(cim_main_window, samples, qtbot):
    window = cim_main_window(samples / "cimtest_raising")
    dialog = window.plugin_host.open_algorithm("cimtest_raising.boom")
    dialog.run()
    wait_done(qtbot, dialog)
    assert "RuntimeError: the algorithm exploded" in dialog.status.text()
    assert window.plugin_host.manager.problems[-1][0] == "cimtest_raising"
    # Details: the traceback, for the plugin's author
    assert dialog.details_button.isEnabled()
    dialog.details_button.click()
    assert "Traceback" in dialog.results.toPlainText()
    assert "algo.py" in dialog.results.toPlainText()
    # an algorithm that does not split has no dask controls on screen
    assert not dialog.dask_box.isVisible() and not dialog.scheduler.isVisible()


def test_hanging_algorithm_is_abandoned(cim_main_window, samples, qtbot):
    from cimviewer.ui.algorithm_dialog import AlgorithmDialog

    window = cim_main_window(samples)
    dialog = window.plugin_host.open_algorithm("cimtest_hanging.hang")
    hang = sys.modules["cimtest_hanging.algo"]
    try:
        dialog.GRACE_SECONDS = 0.3
        dialog.run()
        assert hang.STARTED.wait(5)
        dialog.cancel()
        wait_done(qtbot, dialog, 5000)
        assert "abandoned" in dialog.status.text()
        assert any(p == "cimtest_hanging" and "did not stop" in m
                   for p, m in window.plugin_host.manager.problems)
        assert dialog.run_button.isEnabled()
        # the app stays responsive: another algorithm runs to the end
        other = window.plugin_host.open_algorithm("cimtest_hello.squares")
        assert isinstance(other, AlgorithmDialog)
        other.run()
        wait_done(qtbot, other)
        assert other.last_summary["total"]["value"] == sum(i * i for i in range(100))
    finally:
        hang.RELEASE.set()


def test_gui_and_cli_write_the_same_table(cim_main_window, tmp_path, qtbot, capsys):
    from cimviewer.core.project import Project
    from cimviewer.io.layers import open_layer

    project = Project()
    project.add_layer(open_layer(demo_building_path(), name="Town"))
    project.path = tmp_path / "town.cimproj"
    window = cim_main_window(project=project)
    dialog = window.plugin_host.open_algorithm("building_stats.summary")
    dialog.set_value("storey_height", 3.2)
    dialog.set_value("group_by", "roofType")
    dialog.run()
    wait_done(qtbot, dialog)
    gui = dialog.last_summary
    assert gui["buildings"]["value"] > 100, dialog.status.text()

    code = cli_main(["run", "building_stats.summary", "-p", f"layer={demo_building_path()}",
                     "-p", "storey_height=3.2", "-p", "group_by=roofType",
                     "--out", str(tmp_path / "cli"), "--json"])
    cli = json.loads(capsys.readouterr().out)
    assert code == 0
    for name in ("groups", "attributes"):
        gui_text = Path(gui[name]["path"]).read_text(encoding="utf-8")
        cli_text = Path(cli["outputs"][name]["path"]).read_text(encoding="utf-8")
        assert gui_text == cli_text
    assert gui["total_floor_area"] == cli["outputs"]["total_floor_area"]


def test_output_layers_join_the_project(cim_main_window, samples, qtbot):
    window = cim_main_window(samples / "cimtest_hello")
    dialog = window.plugin_host.open_algorithm("cimtest_hello.points")
    dialog.set_value("count", 7)
    dialog.run()
    wait_done(qtbot, dialog)
    layer = window.project.layers[-1]
    assert layer.kind == "vector" and layer.data.n_features == 7
    assert layer.source is not None and layer.source.suffix == ".gpkg"


def test_invalid_input_is_not_run(cim_main_window, samples):
    window = cim_main_window()  # no city model in the project
    dialog = window.plugin_host.open_algorithm("building_stats.summary")
    assert dialog.run() is None
    assert "parameter 'layer'" in dialog.status.text()
