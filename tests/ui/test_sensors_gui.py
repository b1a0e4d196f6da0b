"""Sensors in the real main window (Xvfb): time slider, chart on click, alarm fly-to."""

from __future__ import annotations

from datetime import datetime
from time import perf_counter

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from cimviewer.core.camera import top_down_camera
from cimviewer.core.sensors import ALARM, SensorLayer

pytestmark = pytest.mark.gui


def _sensors(window) -> SensorLayer:
    return next(lay for lay in window.project.layers if isinstance(lay, SensorLayer))


def test_time_slider_moves_glyph_colours(cim_demo_window, qtbot):
    layer = _sensors(cim_demo_window)
    adapter = cim_demo_window.view.scene.adapters[layer.uid]
    panel = cim_demo_window.sensor_controller.time_panel
    time = cim_demo_window.project.time
    assert time.start is not None and not time.live
    row = layer.index_of("SEN-050")  # pm25, smog on the evening of the 19th
    panel.set_time(datetime.fromisoformat("2024-11-18T04:00:00+08:00"))
    cim_demo_window.view.render()
    calm = adapter.sensor_color(row)
    assert adapter.states[row] != ALARM
    target = datetime.fromisoformat("2024-11-19T20:00:00+08:00")
    frac = (target - time.start) / (time.end - time.start)
    panel.slider.setValue(round(frac * 1000))  # as a user drags it
    cim_demo_window.view.render()
    assert abs((time.current - target).total_seconds()) < 600
    assert adapter.states[row] == ALARM
    assert adapter.sensor_color(row) != calm
    alarms = cim_demo_window.sensor_controller.alarm_panel
    qtbot.waitUntil(lambda: alarms.item_of("SEN-050") is not None, timeout=2000)  # 10 Hz


def test_clicking_a_sensor_opens_its_chart(cim_demo_window, qtbot):
    layer = _sensors(cim_demo_window)
    row = layer.index_of("SEN-050")
    xyz = layer.table.xyz[row]
    cim_demo_window.project.camera.state = top_down_camera(xyz, 150)
    cim_demo_window.view.render()
    x, y = cim_demo_window.view.world_to_display(xyz)
    QTest.mouseClick(cim_demo_window.view.vtk_widget, Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, QPoint(round(x), round(y)))
    qtbot.wait(100)
    assert cim_demo_window.project.selection.items == ((layer.uid, row),), \
        cim_demo_window.view.scene.pick(*cim_demo_window.view.display_to_vtk(x, y))
    # the inspector shows the sensor and its reading (it was empty for sensors)
    inspector = cim_demo_window.inspector
    assert inspector.value_of("Sensor") == "SEN-050"
    values, _times = layer.current()
    assert inspector.value_of("Value").startswith(f"{values[row]:.4g}")
    assert inspector.value_of("Quantity") == layer.table.quantities[row]
    chart = cim_demo_window.sensor_controller.chart_panel
    assert cim_demo_window.sensor_controller.chart_dock.isVisible()
    t, v = chart.curve_data(layer, row)
    _, expected_v = layer.history.series(row)
    np.testing.assert_array_equal(v, expected_v)
    assert len(t) == 288
    # a second sensor on the same chart (Ctrl+click == toggle into the selection)
    other = layer.index_of("SEN-051")
    cim_demo_window.project.selection.toggle((layer.uid, other))
    assert set(chart.curves) == {(layer.uid, row), (layer.uid, other)}
    legend = chart.plot.plotItem.legend
    assert len(legend.items) == 2
    cim_demo_window.project.selection.toggle((layer.uid, other))  # and out again
    assert set(chart.curves) == {(layer.uid, row)} and len(legend.items) == 1
    # the time axis speaks the data's time zone (+08:00), whatever the machine's
    axis = chart.plot.getAxis("bottom")
    evening = datetime.fromisoformat("2024-11-19T20:00:00+08:00").timestamp()
    chart.plot.setXRange(evening - 6 * 3600, evening + 6 * 3600, padding=0)  # hourly ticks
    qtbot.waitUntil(lambda: getattr(axis, "zoomLevel", None) is not None, timeout=3000)
    qtbot.wait(100)  # painted at this range
    assert axis.tickStrings([evening], 1.0, 3600) == ["20:00"]


def test_alarm_list_flies_to_the_sensor(cim_demo_window, qtbot):
    layer = _sensors(cim_demo_window)
    controller = cim_demo_window.sensor_controller
    controller.time_panel.set_time(datetime.fromisoformat("2024-11-19T20:00:00+08:00"))
    controller.tick()
    item = controller.alarm_panel.item_of("SEN-050")
    assert item is not None and item.text(3) == "Alarm"
    panel = controller.alarm_panel
    panel.tree.itemClicked.emit(item, 0)
    row = layer.index_of("SEN-050")
    xyz = layer.table.xyz[row]
    qtbot.waitUntil(lambda: np.linalg.norm(
        np.subtract(cim_demo_window.project.camera.state.focal_point[:2], xyz[:2])) < 5,
        timeout=3000)
    assert cim_demo_window.project.selection.items == ((layer.uid, row),)


def test_labels_show_the_last_value_of_a_burst(cim_demo_window, qtbot):
    """Labels are re-placed at most 4 times a second, yet the last value always shows."""
    from cimviewer.render.adapters import sensors as sensor_adapter

    layer = _sensors(cim_demo_window)
    adapter = cim_demo_window.view.scene.adapters[layer.uid]
    layer.display_time = None  # live: the latest readings
    row = layer.index_of("SEN-050")
    unit = layer.table.units[row]
    now = datetime.now().timestamp()
    shown = []
    throttle = adapter.label_throttle
    burst_start = perf_counter()
    throttle.clock = lambda: burst_start  # the whole burst inside one label interval
    for k in range(6):
        layer.apply_batch(["SEN-050"], np.array([now + k]), np.array([500.0 + k]))
        cim_demo_window.view.render()
        shown.append(list(adapter.label_text))
    throttle.clock = perf_counter
    assert f"505.0 {unit}" not in shown[-1]  # not re-placed on every frame...
    assert throttle.pending
    aa = cim_demo_window.view.antialiasing
    assert aa.last_was_fast or not aa.adaptive  # a burst draws fast frames (software GL)
    # ...but a frame follows by itself and shows the final value
    qtbot.waitUntil(lambda: f"505.0 {unit}" in adapter.label_text,
                    timeout=int(sensor_adapter.LABEL_INTERVAL_S * 1000) + 2000)
    # and once the view is quiet a still (smooth) frame is drawn
    qtbot.waitUntil(lambda: not aa.last_was_fast, timeout=2000)


def test_live_dialog_refuses_bad_input_and_sets_the_history(cim_demo_window, qtbot, tmp_path):
    from cimviewer.ui.sensor_live_dialog import LiveDialog

    dialog = LiveDialog(None, cim_demo_window, history=500)
    qtbot.addWidget(dialog)
    assert dialog.history.value() == 500
    dialog.broker.setText("mqtt://")  # no host
    dialog.accept()
    assert dialog.result() != LiveDialog.DialogCode.Accepted and dialog.broker.toolTip()
    dialog.broker.setText("mqtts://127.0.0.1:8883")
    dialog.ca_file.setText(str(tmp_path / "nope.pem"))
    dialog.accept()
    assert dialog.result() != LiveDialog.DialogCode.Accepted
    assert "nope.pem" in dialog.ca_file.toolTip()
    dialog.ca_file.setText("")
    dialog.accept()
    assert dialog.result() == LiveDialog.DialogCode.Accepted
    assert dialog.config().tls or dialog.config().broker.startswith("mqtts")


def test_the_surface_shows_the_chosen_quantity(cim_demo_window, qtbot):
    controller = cim_demo_window.sensor_controller
    layer = _sensors(cim_demo_window)
    assert {"pm25", "noise_db"} <= set(controller.quantities())
    controller._fill_surface_menu()
    names = [a.text() for a in controller.surface_menu.actions()]
    assert names == controller.quantities()
    noise = next(a for a in controller.surface_menu.actions() if a.text() == "noise_db")
    noise.trigger()
    assert layer.settings.surface_quantity == "noise_db"
    assert controller.surface_action.isChecked()
    adapter = cim_demo_window.view.scene.adapters[layer.uid]
    cim_demo_window.view.render()
    qtbot.waitUntil(lambda: not adapter.surface.busy, timeout=5000)
    rows = [i for i, q in enumerate(layer.table.quantities) if q == "noise_db"]
    values = layer.current()[0][rows]
    finite = values[np.isfinite(values)]
    surface = adapter.surface.values[np.isfinite(adapter.surface.values)]
    assert surface.min() >= finite.min() - 1e-6 and surface.max() <= finite.max() + 1e-6
    controller.surface_action.setChecked(False)
    assert layer.settings.surface_quantity is None
