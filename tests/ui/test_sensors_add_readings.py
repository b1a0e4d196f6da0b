"""Adding a readings file from the Sensors menu: columns, layouts, time zones, positions
from a file or from the poles the sensors are named after; it survives save and open."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cimviewer.core.layers import VectorLayer
from cimviewer.core.sensors import SensorLayer
from cimviewer.io.project.file import open_project, save_project
from cimviewer.resources import demo_dir

pytestmark = pytest.mark.gui
CST = timezone(timedelta(hours=8))


def _poles(window) -> VectorLayer:
    return next(lay for lay in window.project.layers
                if isinstance(lay, VectorLayer) and "pole_id" in lay.data.columns)


def _add(window, qtbot, dialog) -> SensorLayer:
    assert dialog.problem() is None, dialog.problem()
    before = len(window.project.layers)
    window.sensor_controller.add_readings(dialog.layer_name(), dialog.replay(),
                                          dialog.positions_path())
    qtbot.waitUntil(lambda: len(window.project.layers) == before + 1, timeout=15000)
    layer = window.project.layers[-1]
    assert isinstance(layer, SensorLayer)
    return layer


def test_long_readings_named_after_poles_go_on_them_and_reopen(cim_demo_window, qtbot,
                                                               tmp_path):
    from cimviewer.ui.sensor_add_dialog import AddReadingsDialog

    poles = _poles(cim_demo_window)
    ids = [str(v) for v in poles.data.columns["pole_id"][:3]]
    start = datetime(2025, 3, 1, 8, 0)  # local time, no offset in the file
    rows = [{"Timestamp": (start + timedelta(minutes=10 * k)).isoformat(), "Station": sid,
             "Reading": 10.0 * (i + 1) + k, "UOM": "dB(A)", "quantity": "noise"}
            for k in range(6) for i, sid in enumerate(ids)]
    path = tmp_path / "noise.csv"
    pd.DataFrame(rows).to_csv(path, index=False)

    dialog = AddReadingsDialog(cim_demo_window)
    qtbot.addWidget(dialog)
    dialog.set_readings(path)
    assert (dialog.time_col.currentData(), dialog.id_col.currentData(),
            dialog.value_col.currentData(), dialog.unit_col.currentData()) == (
        "Timestamp", "Station", "Reading", "UOM")  # guessed from the header
    dialog.timezone.setCurrentText("+08:00")
    layer = _add(cim_demo_window, qtbot, dialog)
    assert layer.name == "noise" and layer.n_sensors == 3
    for i, sid in enumerate(ids):  # on their poles (and following them)
        row = layer.index_of(sid)
        np.testing.assert_allclose(layer.table.xyz[row], poles.data.vertices[i], atol=1e-6)
        assert layer.table.anchors[row] == sid
    at = datetime(2025, 3, 1, 8, 20, tzinfo=CST)  # the third reading, in +08:00
    np.testing.assert_allclose(layer.value_at(at)[[layer.index_of(s) for s in ids]],
                               [12.0, 22.0, 32.0])
    assert layer.table.units[layer.index_of(ids[0])] == "dB(A)"
    assert layer.table.quantities[layer.index_of(ids[0])] == "noise"  # for the surface

    saved = save_project(cim_demo_window.project, tmp_path / "noise.cimproj")
    again = next(lay for lay in open_project(saved).project.layers if lay.name == "noise")
    assert again.source is None  # no positions file: rebuilt from the readings
    np.testing.assert_allclose(again.table.xyz, layer.table.xyz)
    np.testing.assert_allclose(again.value_at(at), layer.value_at(at))


def test_wide_parquet_with_chosen_columns_and_a_positions_file(cim_demo_window, qtbot, tmp_path):
    from PySide6.QtCore import Qt

    from cimviewer.ui.sensor_add_dialog import AddReadingsDialog

    times = pd.date_range("2025-03-01T00:00:00Z", periods=4, freq="h")
    table = pd.DataFrame({"time": times, "SEN-001": [1.0, 2, 3, 4],
                          "SEN-002": [5.0, 6, 7, 8], "SEN-003": [9.0, 9, 9, 9]})
    path = tmp_path / "wide.parquet"
    table.to_parquet(path)
    dialog = AddReadingsDialog(cim_demo_window)
    qtbot.addWidget(dialog)
    dialog.set_readings(path)
    dialog.layout_box.setCurrentIndex(dialog.layout_box.findData("wide"))
    assert dialog.chosen_sensor_columns() == ["SEN-001", "SEN-002", "SEN-003"]
    dialog.sensor_cols.item(1).setCheckState(Qt.CheckState.Unchecked)  # not SEN-002
    dialog.positions.setText(str(Path(demo_dir()) / "sensors.gpkg"))
    layer = _add(cim_demo_window, qtbot, dialog)
    assert layer.placed().all()  # every sensor of the positions file
    count = layer.history.count
    assert count[layer.index_of("SEN-001")] == 4 and count[layer.index_of("SEN-003")] == 4
    assert count[layer.index_of("SEN-002")] == 0
    at = datetime(2025, 3, 1, 2, 0, tzinfo=timezone.utc)
    assert layer.value_at(at)[layer.index_of("SEN-001")] == 3.0


def test_the_dialog_says_what_is_wrong(cim_demo_window, qtbot, tmp_path):
    from cimviewer.ui.sensor_add_dialog import AddReadingsDialog

    dialog = AddReadingsDialog(cim_demo_window)
    qtbot.addWidget(dialog)
    dialog.set_readings(tmp_path / "missing.csv")
    assert "does not exist" in dialog.problem()
    bad = tmp_path / "ok.csv"
    bad.write_text("time,sensor_id,value\n2025-01-01T00:00:00,A,1\n")
    dialog.set_readings(bad)
    dialog.timezone.setCurrentText("Mars/Olympus")
    assert "time zone" in dialog.problem()
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted and dialog.error.text()


def test_a_file_without_readings_is_reported_and_nothing_else_changes(cim_demo_window, qtbot,
                                                                     tmp_path):
    from PySide6.QtWidgets import QMessageBox

    from cimviewer.io.sensors.readings import ReplaySource

    path = tmp_path / "empty.csv"
    path.write_text("time,sensor_id,value\n2025-01-01T00:00:00,A,n/a\n")
    layers = list(cim_demo_window.project.layers)
    cim_demo_window.sensor_controller.add_readings("empty", ReplaySource(path=str(path)))

    def message():
        box = cim_demo_window.findChild(QMessageBox, "sensor_message")
        return box if box is not None and box.isVisible() else None

    qtbot.waitUntil(lambda: message() is not None, timeout=10000)
    assert "no readings" in message().text() and "empty.csv" in message().text()
    assert list(cim_demo_window.project.layers) == layers
    message().close()
