"""The kiosk window: full screen, frameless, no menus, touch-sized controls, locked."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDockWidget, QMessageBox

from cimviewer.core.kiosk import KioskSettings, hash_pin
from cimviewer.ui.kiosk.lock import OPERATOR_CHORD

pytestmark = pytest.mark.gui
MOD = Qt.KeyboardModifier


def test_full_screen_frameless_without_editing_ui(kiosk_window, qtbot, caplog):
    window = kiosk_window(full_screen=True)
    qtbot.waitUntil(window.isFullScreen, timeout=2000)
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert window.geometry() == QGuiApplication.primaryScreen().geometry()
    assert not window.menuBar().isVisible()
    assert not window.statusBar().isVisible()
    assert not [d for d in window.findChildren(QDockWidget) if d.isVisible()]
    controls = window.controls
    buttons = [controls.home_button, controls.language_button, *controls.story_buttons,
               *controls.layer_buttons.values()]
    assert len(controls.story_buttons) == len(window.story.stops) >= 4  # the built-in tour
    assert list(controls.layer_buttons) == ["Sensors", "Roads", "Poles"]
    for button in buttons:
        assert button.isVisible() and button.height() >= 64, button.text()
        assert button.font().pixelSize() >= 18 or button.fontInfo().pixelSize() >= 18
    # the demo city's sensors are on, with labels, and their readings replay
    sensors = window.project.layer_by_uid(
        next(lay.uid for lay in window.project.layers if lay.name == "Sensors"))
    assert sensors.visible and sensors.settings.labels
    before = window.project.time.current
    qtbot.waitUntil(lambda: window.project.time.current != before, timeout=5000)
    # a monitor that is not there: the primary one, and a line in the log
    window.show_on_monitor(7)
    qtbot.waitUntil(window.isFullScreen, timeout=2000)
    assert window.screen() == QGuiApplication.primaryScreen()
    assert "no monitor 7" in caplog.text


def test_layer_toggles_and_story_buttons(kiosk_window, qtbot):
    window = kiosk_window()
    roads = next(layer for layer in window.project.layers if layer.name == "Roads")
    button = window.controls.layer_buttons["Roads"]
    assert button.isChecked() and roads.visible
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not roads.visible and not button.isChecked()
    roads.visible = True  # the model leads, the button follows
    assert button.isChecked()
    QTest.mouseClick(window.controls.story_buttons[2], Qt.MouseButton.LeftButton)
    target = window.story.cameras[2]
    qtbot.waitUntil(lambda: window.project.camera.state == target, timeout=5000)
    assert window.caption.text() == window.story.stops[2].caption("en")
    assert window.state == "visitor"


def test_chinese_captions_and_language_switch(kiosk_window):
    window = kiosk_window(language="zh_CN")
    assert window.controls.home_button.text() == "首页"
    assert window.controls.language_button.text() == "English"
    assert window.controls.layer_buttons["Roads"].text() == "道路"
    window.show_stop(0)
    assert window.caption.text() == "城区全景"
    QTest.mouseClick(window.controls.language_button, Qt.MouseButton.LeftButton)
    assert window.language == "en"
    assert window.controls.home_button.text() == "Home view"
    assert window.controls.language_button.text() == "中文"
    assert window.caption.text() == "The whole district at a glance"
    window.switch_language("zh_CN")
    assert window.controls.home_button.text() == "首页"


QUIT_CHORDS = [(Qt.Key.Key_Escape, MOD.NoModifier), (Qt.Key.Key_Q, MOD.ControlModifier),
               (Qt.Key.Key_W, MOD.ControlModifier), (Qt.Key.Key_F4, MOD.AltModifier)]


def test_quit_chords_do_not_quit(kiosk_window):
    window = kiosk_window()
    for n, (key, modifiers) in enumerate(QUIT_CHORDS, 1):
        QTest.keyClick(window.view.vtk_widget, key, modifiers)
        QTest.keyClick(window, key, modifiers)
        assert window.isVisible()
        assert window.key_lock.swallowed >= 2 * n
    QTest.qWait(50)
    assert window.close() is False  # what the window manager's Alt+F4 asks
    assert window.isVisible()


def test_operator_leaves_with_chord_and_pin(kiosk_window, qtbot):
    window = kiosk_window(settings=KioskSettings(pin_hash=hash_pin("2468")))
    QTest.keyClick(window, Qt.Key.Key_Q, MOD.ControlModifier)
    assert window.isVisible() and not window.pin_pad.isVisible()
    chord = OPERATOR_CHORD[0]
    QTest.keyClick(window, chord.key(), chord.keyboardModifiers())
    assert window.pin_pad.isVisible()
    QTest.keyClicks(window.pin_pad.field, "1111")
    QTest.mouseClick(window.pin_pad.ok_button, Qt.MouseButton.LeftButton)
    assert window.isVisible() and window.pin_pad.isVisible()
    assert "Wrong PIN" in window.pin_pad.label.text()
    for digit in "2468":  # the on-screen keypad
        button = next(b for b in window.pin_pad.findChildren(type(window.pin_pad.ok_button))
                      if b.text() == digit)
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    QTest.mouseClick(window.pin_pad.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=2000)
    assert window.unlocked


def test_dialogs_are_refused_and_logged(kiosk_window, qtbot, caplog):
    window = kiosk_window()
    box = QMessageBox(QMessageBox.Icon.Warning, "Crash recovery", "Restore the session?",
                      QMessageBox.StandardButton.Ok, window)
    box.open()
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=2000)
    assert "a dialog was refused: Crash recovery" in caplog.text
