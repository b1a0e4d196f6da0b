"""Tools > Kiosk settings… in the desktop window writes the project's kiosk section."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from cimviewer.core.bookmarks import Bookmark
from cimviewer.core.camera import CameraState
from cimviewer.core.kiosk import verify_pin
from cimviewer.io.project.file import kiosk_settings, save_project

pytestmark = pytest.mark.gui
CAMERA = CameraState((0.0, -10.0, 10.0), (0.0, 0.0, 0.0))


def test_editor_from_the_tools_menu_writes_the_section(cim_main_window, tmp_path, qtbot):
    window = cim_main_window()
    project = window.project
    for name in ("Harbour", "Towers", "Park"):
        project.bookmarks.append(Bookmark(name, CAMERA))
    assert window.kiosk_action in window.tools_menu.actions()
    seen = {}

    def fill() -> None:
        editor = QApplication.activeModalWidget()
        seen["editor"] = editor
        editor.stops.item(1, 0).setCheckState(Qt.CheckState.Unchecked)  # not "Towers"
        editor.stops.item(0, 2).setText("港口")
        editor.timing["idle_timeout_s"].setValue(45)
        editor.language.setCurrentIndex(editor.language.findData("en"))
        editor.pin.setText("12")
        editor.pin_again.setText("12")
        editor.accept()  # refused: too short, the error is shown in the dialog
        seen["error"] = editor.error.text()
        editor.pin.setText("97531")
        editor.pin_again.setText("97531")
        editor.accept()

    QTimer.singleShot(0, fill)
    window.kiosk_action.trigger()
    assert seen["error"] == "The PIN must be at least 4 digits."
    settings = kiosk_settings(project)
    assert [s.bookmark for s in settings.stops] == ["Harbour", "Park"]
    assert settings.stops[0].caption_zh == "港口" and settings.stops[0].caption_en == "Harbour"
    assert settings.idle_timeout_s == 45 and settings.language == "en"
    assert verify_pin("97531", settings.pin_hash)
    assert project.modified
    path = save_project(project, tmp_path / "hall.cimproj")
    text = path.read_text(encoding="utf-8")
    assert "97531" not in text
    assert json.loads(text)["kiosk"]["stops"][1]["bookmark"] == "Park"
