"""Touch navigation from synthetic Qt touch events (QTest touch sequences on a touch
screen QPointingDevice), and the info card on a tap."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from cimviewer.core.camera import CameraState, heading_pitch, top_down_camera
from cimviewer.core.sensors import SensorLayer
from cimviewer.testing import buildings_layer, roof_target
from cimviewer.ui.kiosk.touch import orbit_by, pan_by, zoom_by

STATE = CameraState((0.0, -100.0, 100.0), (0.0, 0.0, 0.0))


def _distance(state: CameraState) -> float:
    return float(np.linalg.norm(np.subtract(state.position, state.focal_point)))


def test_camera_moves_keep_what_they_should():
    turned = orbit_by(STATE, 90.0, 0.0)
    assert turned.focal_point == STATE.focal_point
    assert _distance(turned) == pytest.approx(_distance(STATE))
    assert heading_pitch(turned)[0] == pytest.approx((heading_pitch(STATE)[0] + 90) % 360)
    assert heading_pitch(orbit_by(STATE, 0, 80))[1] == pytest.approx(89.0)  # clamped
    closer = zoom_by(STATE, 0.5)
    assert _distance(closer) == pytest.approx(_distance(STATE) / 2)
    assert zoom_by(STATE, 1e-6).focal_point == STATE.focal_point
    assert _distance(zoom_by(STATE, 1e-6)) == pytest.approx(5.0)
    moved = pan_by(STATE, 100.0, 0.0, 800)
    assert moved.focal_point[0] < 0 and moved.focal_point[1] == pytest.approx(0.0)
    assert moved.focal_point[2] == 0.0 and _distance(moved) == pytest.approx(_distance(STATE))




def _touch(window):
    return window.view.vtk_widget, QTest.createTouchDevice()


def _drag(widget, device, starts, ends, steps=3):
    seq = QTest.touchEvent(widget, device)
    for i, p in enumerate(starts):
        seq.press(i, p)
    seq.commit()
    for k in range(1, steps + 1):
        seq = QTest.touchEvent(widget, device)
        for i, (a, b) in enumerate(zip(starts, ends, strict=True)):
            seq.move(i, a + (b - a) * k / steps)
        seq.commit()
    seq = QTest.touchEvent(widget, device)
    for i, p in enumerate(ends):
        seq.release(i, p)
    seq.commit()


@pytest.mark.gui
def test_one_finger_orbits_two_fingers_pan_and_pinch(kiosk_window):
    window = kiosk_window()
    widget, device = _touch(window)
    camera = window.project.camera
    start = camera.state
    _drag(widget, device, [QPoint(500, 300)], [QPoint(700, 300)])
    assert window.state == "visitor"
    orbited = camera.state
    assert np.allclose(orbited.focal_point, start.focal_point)
    assert _distance(orbited) == pytest.approx(_distance(start), rel=1e-6)
    assert abs(heading_pitch(orbited)[0] - heading_pitch(start)[0]) > 20
    # pinch out: the fingers spread, the camera comes closer
    _drag(widget, device, [QPoint(450, 300), QPoint(550, 300)],
          [QPoint(350, 300), QPoint(650, 300)])
    pinched = camera.state
    assert _distance(pinched) == pytest.approx(_distance(orbited) / 3, rel=0.05)
    # two fingers moved together: a pan, same distance, another focal point
    _drag(widget, device, [QPoint(400, 300), QPoint(500, 300)],
          [QPoint(400, 450), QPoint(500, 450)])
    panned = camera.state
    assert _distance(panned) == pytest.approx(_distance(pinched), rel=1e-6)
    assert np.linalg.norm(np.subtract(panned.focal_point, pinched.focal_point)) > 10
    assert panned.focal_point[2] == pytest.approx(pinched.focal_point[2])


@pytest.mark.gui
def test_tap_picks_a_building_and_shows_its_card(kiosk_window, qtbot):
    window = kiosk_window()
    layer = buildings_layer(window.project)
    index, roof = roof_target(layer)
    window.project.camera.state = top_down_camera(roof, 300)
    window.view.render()
    x, y = window.view.world_to_display(roof)
    widget, device = _touch(window)
    # QTest stamps events when it sends them, and a loaded test machine may draw a
    # frame between press and release: the tap is judged by movement here
    window.touch.tap_max_s = 60.0
    QTest.touchEvent(widget, device).press(0, QPoint(round(x), round(y))).commit()
    QTest.touchEvent(widget, device).release(0, QPoint(round(x), round(y))).commit()
    assert window.project.selection.items == ((layer.uid, index),)
    card = window.info_card
    assert card.isVisible() and card.item == (layer.uid, index)
    assert layer.model.objects.ids[index] in card.body.text() + card.title.text()
    assert card.close_button.height() >= 64
    assert max(card.title.font().pixelSize(), card.title.fontInfo().pixelSize()) >= 30
    QTest.mouseClick(card.close_button, Qt.MouseButton.LeftButton)
    assert not card.isVisible()
    # a sensor's card: its value now (replayed or live)
    sensors = next(lay for lay in window.project.layers if isinstance(lay, SensorLayer))
    assert card.show_item((sensors.uid, 3))
    value = float(sensors.current()[0][3])
    assert card.title.text() == sensors.table.ids[3]
    assert f"{value:.1f} {sensors.table.units[3]}" in card.body.text()

