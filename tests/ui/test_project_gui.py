"""The project controller in a real window (Xvfb): title, prompts, open/save, autosave."""

from __future__ import annotations

import json
import shutil

import pytest
from PySide6.QtWidgets import QMessageBox

from cimviewer.core.layers import MissingLayer
from cimviewer.io.project.autosave import AutosaveSession, find_recoverable
from tests.io.project.data import build_project, write_dataset

pytestmark = pytest.mark.gui
Button = QMessageBox.StandardButton


@pytest.fixture(scope="module")
def dataset_dir(tmp_path_factory):
    """The project tests' small data files (buildings, DEM, GeoPackage)."""
    folder = tmp_path_factory.mktemp("dataset") / "data"
    write_dataset(folder)
    return folder


@pytest.fixture
def make_window(cim_main_window, monkeypatch):
    """Real main windows (the plugin SDK's fixture), autosaving every second."""
    monkeypatch.setenv("CIMVIEWER_AUTOSAVE_SECONDS", "1")
    return lambda project=None: cim_main_window(project=project)


def answer(monkeypatch, button):
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args, **kw: asked.append(args[2]) or button)
    return asked


def wait_tasks(qtbot, window):
    qtbot.waitUntil(lambda: not window.tasks, timeout=15000)


def test_title_shows_name_and_unsaved_mark(make_window, dataset_dir, tmp_path):
    window = make_window(build_project(dataset_dir))
    controller = window.project_controller
    assert window.windowTitle() == "Untitled[*] — cimviewer"
    assert window.isWindowModified()  # built in code: never saved
    assert controller.save_to(tmp_path / "city.cimproj")
    assert window.windowTitle() == "city[*] — cimviewer" and not window.isWindowModified()
    window.project.layers[0].visible = False
    assert window.isWindowModified()
    assert controller.recent.entries() == [str((tmp_path / "city.cimproj").resolve())]


def test_close_asks_and_cancel_keeps_the_window(make_window, dataset_dir, tmp_path,
                                                monkeypatch):
    window = make_window(build_project(dataset_dir))
    asked = answer(monkeypatch, Button.Cancel)
    assert window.close() is False and window.isVisible() and len(asked) == 1
    answer(monkeypatch, Button.Save)
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "saved"), ""))
    assert window.close() is True
    assert json.loads((tmp_path / "saved.cimproj").read_text(encoding="utf-8"))["layers"]


def test_save_and_reopen_into_the_same_window_with_layout(make_window, dataset_dir, tmp_path,
                                                          monkeypatch, qtbot):
    window = make_window(build_project(dataset_dir))
    project = window.project
    controller = window.project_controller
    window.log_dock.hide()
    path = tmp_path / "p.cimproj"
    assert controller.save_to(path)
    window.log_dock.show()
    project.layers.pop()
    answer(monkeypatch, Button.Discard)
    controller.open_project(path)
    wait_tasks(qtbot, window)
    assert window.project is project and len(project.layers) == 4
    assert [b.name for b in project.bookmarks] == ["east", "west 西"]
    assert not project.modified and window.log_dock.isHidden()
    assert window.layer_panel.tree.topLevelItemCount() == 4
    # a layout from another layout version gives the default layout
    assert controller.restore_layout({"version": 999, "state": "AAAA"}) is False
    assert not window.log_dock.isHidden()


def test_missing_layers_are_marked_and_relocated(make_window, dataset_dir, tmp_path, qtbot):
    data = tmp_path / "data"
    shutil.copytree(dataset_dir, data)
    project = build_project(data)
    from cimviewer.io.project.file import save_project

    path = save_project(project, tmp_path / "p.cimproj")
    moved = tmp_path / "moved"
    shutil.move(data, moved)
    window = make_window()
    controller = window.project_controller
    controller.open_file(path)
    wait_tasks(qtbot, window)
    assert all(isinstance(layer, MissingLayer) for layer in window.project.layers)
    kinds = {window.layer_panel.tree.topLevelItem(i).text(1) for i in range(4)}
    assert kinds == {"Missing data"} and controller.relocate_action.isEnabled()
    controller.relocate(moved)
    wait_tasks(qtbot, window)
    assert not any(isinstance(layer, MissingLayer) for layer in window.project.layers)
    assert window.project.layers[1].lod == "1" and not controller.relocate_action.isEnabled()


def test_autosave_then_crash_then_recovery(make_window, dataset_dir, tmp_path, qtbot,
                                           monkeypatch):
    from cimviewer.io.project.file import save_project

    project = build_project(dataset_dir)
    real = save_project(project, tmp_path / "real.cimproj")
    window = make_window(project)
    controller = window.project_controller
    assert controller.timer.interval() == 1000
    project.layers[1].opacity = 0.3
    qtbot.waitUntil(lambda: controller.autosave.path.exists(), timeout=5000)
    # crash: the session ends without cleaning up
    crashed = controller.autosave
    controller.autosave = AutosaveSession(crashed.folder)
    crashed.abandon()
    assert len(find_recoverable(crashed.folder)) == 1

    window2 = make_window()
    asked = answer(monkeypatch, Button.Yes)
    assert window2.project_controller.offer_recovery() is True
    wait_tasks(qtbot, window2)
    assert "real.cimproj" in asked[0]
    restored = window2.project
    assert restored.layers[1].opacity == 0.3
    assert restored.path == real and restored.modified
    assert window2.windowTitle().startswith("real[*]")
    assert not crashed.path.exists()  # adopted by the new session
    assert window2.project_controller.save()
    data = json.loads(real.read_text(encoding="utf-8"))
    assert data["layers"][1]["opacity"] == 0.3
    assert find_recoverable(crashed.folder) == []
    # declining the offer deletes the autosave
    window2.project.layers[0].visible = False
    window2.project_controller.autosave_now()
    again = window2.project_controller.autosave
    window2.project_controller.autosave = AutosaveSession(again.folder)
    again.abandon()
    answer(monkeypatch, Button.No)
    assert make_window().project_controller.offer_recovery() is False
    assert find_recoverable(again.folder) == []


def test_a_plugin_dock_comes_back_where_the_layout_had_it(make_window, dataset_dir, tmp_path,
                                                          qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QDockWidget

    window = make_window(build_project(dataset_dir))
    toggle = window.findChild(QAction, "plugin_dock_toggle_coverage_5g_panel")
    assert toggle is not None
    toggle.setChecked(True)
    dock = window.findChild(QDockWidget, "dock_plugin_coverage_5g_panel")
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)  # the user moved it
    path = tmp_path / "docks.cimproj"
    assert window.project_controller.save_to(path)
    layout = json.loads(path.read_text(encoding="utf-8"))["layout"]
    assert layout["plugin_docks"] == ["coverage_5g.panel"]

    other = make_window()  # a new session: the dock does not exist until asked for
    assert other.findChild(QDockWidget, "dock_plugin_coverage_5g_panel") is None
    other.project_controller.open_file(path)
    wait_tasks(qtbot, other)
    again = other.findChild(QDockWidget, "dock_plugin_coverage_5g_panel")
    assert again is not None and again.isVisible()
    assert other.dockWidgetArea(again) == Qt.DockWidgetArea.LeftDockWidgetArea


def test_the_window_size_comes_back_with_the_project(make_window, dataset_dir, tmp_path,
                                                     monkeypatch, qtbot):
    window = make_window(build_project(dataset_dir))
    controller = window.project_controller
    window.resize(1100, 650)
    qtbot.waitUntil(lambda: window.width() == 1100, timeout=2000)
    path = tmp_path / "sized.cimproj"
    assert controller.save_to(path)
    assert "window.geometry" in json.loads(path.read_text(encoding="utf-8"))["layout"]["parts"]
    window.resize(900, 600)
    qtbot.waitUntil(lambda: window.width() == 900, timeout=2000)
    answer(monkeypatch, Button.Discard)
    controller.open_project(path)
    wait_tasks(qtbot, window)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == (1100, 650), timeout=3000)


@pytest.mark.skipif(not hasattr(__import__("time"), "tzset"), reason="TZ is POSIX")
def test_the_recovery_prompt_shows_local_time_to_the_minute(monkeypatch):
    """Not a raw UTC timestamp ('2026-11-26T03:05:12+00:00'): the user's clock."""
    import time

    from cimviewer.ui.project_controller import local_time_text

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        assert local_time_text("2026-11-26T03:05:12+00:00") == "2026-11-26 11:05"
        assert local_time_text("not a time") == "not a time"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
