"""The attract loop, visitors taking over (mouse and touch), countdown and reset."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from cimviewer.core.camera import CameraState
from cimviewer.testing import buildings_layer

pytestmark = pytest.mark.gui


def _close(a: CameraState, b: CameraState, atol: float = 0.5) -> bool:
    return (np.allclose(a.position, b.position, atol=atol)
            and np.allclose(a.focal_point, b.focal_point, atol=atol))


def test_attract_loop_starts_by_itself_and_flies_between_bookmarks(kiosk_window, qtbot):
    window = kiosk_window(attract_delay_s=0.3, flight_s=1.5, dwell_s=1.0)
    assert window.state == "waiting"
    qtbot.waitUntil(lambda: window.state == "attract", timeout=3000)
    arrivals: list[tuple[int, CameraState]] = []
    window.tour.arrived.connect(lambda i: arrivals.append((i, window.project.camera.state)))
    views: list[CameraState] = []
    window.project.camera.changed.connect(views.append)
    qtbot.waitUntil(lambda: len(arrivals) >= 2, timeout=15000)
    indexes = [i for i, _ in arrivals]
    assert indexes[:2] in ([0, 1], [1, 2])
    for index, state in arrivals:  # each flight ends exactly on its bookmark
        assert _close(state, window.story.cameras[index])
    # smooth: the flight passes through intermediate views between its two ends
    positions = np.array([v.position for v in views])
    ends = [window.story.cameras[i].position for i, _ in arrivals[:2]]
    between = [p for p in positions
               if 0.05 < np.linalg.norm(p - ends[0]) / np.linalg.norm(
                   np.subtract(ends[1], ends[0])) < 0.95]
    assert len(between) >= 3
    # captions follow the stops and fade in
    assert window.caption.text() == window.story.stops[window.tour.index].caption("en")
    qtbot.waitUntil(lambda: window.caption.opacity() > 0.3, timeout=3000)
    # at a stop: a slow orbit about the bookmark's focal point, at its distance
    qtbot.waitUntil(lambda: window.tour.phase == "dwell", timeout=5000)
    first = window.project.camera.state
    qtbot.waitUntil(lambda: window.project.camera.state != first, timeout=3000)
    later = window.project.camera.state
    if window.tour.phase == "dwell":
        assert np.allclose(first.focal_point, later.focal_point)
        radius = lambda s: np.linalg.norm(np.subtract(s.position, s.focal_point))  # noqa: E731
        assert radius(first) == pytest.approx(radius(later), rel=1e-6)


def _assert_taken_over(window, qtbot) -> None:
    assert window.state == "visitor"
    assert not window.tour.running
    still = window.project.camera.state
    qtbot.wait(150)
    assert window.project.camera.state == still  # the tour no longer moves it


def test_mouse_click_and_touch_stop_the_tour(kiosk_window, qtbot):
    window = kiosk_window()
    widget = window.view.vtk_widget
    window.start_attract()
    qtbot.waitUntil(lambda: window.tour.phase == "fly", timeout=2000)
    QTest.mousePress(widget, Qt.MouseButton.LeftButton, pos=QPoint(300, 300))
    _assert_taken_over(window, qtbot)
    QTest.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=QPoint(300, 300))
    window.start_attract()
    qtbot.waitUntil(lambda: window.tour.phase == "fly", timeout=2000)
    device = QTest.createTouchDevice()
    QTest.touchEvent(widget, device).press(0, QPoint(400, 300)).commit()
    _assert_taken_over(window, qtbot)
    QTest.touchEvent(widget, device).release(0, QPoint(400, 300)).commit()


def test_idle_countdown_then_reset_restores_the_kiosk(kiosk_window, qtbot):
    window = kiosk_window(idle_timeout_s=0.6, countdown_s=1.0)
    project = window.project
    roads = next(layer for layer in project.layers if layer.name == "Roads")
    buildings = buildings_layer(project)
    style, opacity = buildings.style, buildings.opacity
    window.start_attract()
    # a visitor: taps, hides the roads, recolours and fades the buildings, moves away
    QTest.mouseClick(window.controls.layer_buttons["Roads"], Qt.MouseButton.LeftButton)
    assert window.state == "visitor" and not roads.visible
    buildings.style = style.with_(color=(0, 0, 255))
    buildings.opacity = 0.3
    away = CameraState((0.0, 0.0, 5000.0), (1.0, 1.0, 0.0))
    project.camera.state = away
    window.info_card.show_item((buildings.uid, 0))
    qtbot.waitUntil(lambda: window.state == "countdown", timeout=3000)
    assert window.countdown.isVisible()
    assert "Returning to the start in 1 s" in window.countdown.label.text()
    assert window.countdown.stay_button.height() >= 64
    qtbot.waitUntil(lambda: window.state == "attract", timeout=3000)
    assert not window.countdown.isVisible()
    assert roads.visible and window.controls.layer_buttons["Roads"].isChecked()
    assert buildings.style == style and buildings.opacity == opacity
    assert not window.info_card.isVisible()
    assert window.tour.running and window.tour.index == 0  # home, then the tour
    qtbot.waitUntil(lambda: window.tour.phase == "dwell", timeout=3000)
    assert window.project.camera.state != away


def test_stay_button_keeps_the_visitor(kiosk_window, qtbot):
    window = kiosk_window(idle_timeout_s=0.4, countdown_s=30.0)
    window.start_attract()
    QTest.mouseClick(window.controls.home_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.countdown.isVisible(), timeout=3000)
    QTest.mouseClick(window.countdown.stay_button, Qt.MouseButton.LeftButton)
    assert window.state == "visitor" and not window.countdown.isVisible()
    assert window.idle.armed  # the idle time starts again
