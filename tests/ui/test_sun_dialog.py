"""The sun dialog edits the project's sun: remembered, in the project's time zone."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cimviewer.core.project import Project
from cimviewer.ui.sun_dialog import SunDialog, wall_clock

pytestmark = pytest.mark.gui


def test_dialog_remembers_the_time_and_lights_the_scene(cim_main_window):
    window = cim_main_window(project=Project())
    dialog = SunDialog(window.project, window)
    # no CRS: the place defaults to Shenzhen, and so does its time zone (UTC+8)
    zone = ZoneInfo(dialog.time_zone.currentText())
    assert datetime(2024, 1, 1, tzinfo=zone).utcoffset() == timedelta(hours=8)
    dialog.when.setDateTime(wall_clock(datetime(2024, 6, 21, 15, 0)))
    dialog.shadows.setChecked(True)
    assert dialog.apply()
    assert "elevation" in dialog.result.text()
    dialog.close()
    scene = window.view.scene
    assert scene.shadows and scene.sun_elevation > 30  # afternoon, not night
    again = SunDialog(window.project, window)
    assert again.when.dateTime().toPython().replace(tzinfo=None) == datetime(2024, 6, 21, 15)
    assert again.time_zone.currentText() == window.project.sun.time_zone
    assert again.shadows.isChecked()
    again.close()


def test_unknown_time_zone_is_refused(cim_main_window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    window = cim_main_window(project=Project())
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warned.append(a[2]))
    dialog = SunDialog(window.project, window)
    dialog.time_zone.setCurrentText("Nowhere/Atlantis")
    assert not dialog.apply()
    assert warned and window.project.sun.time_zone is None
    dialog.close()
