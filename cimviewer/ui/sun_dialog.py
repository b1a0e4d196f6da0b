"""Sun direction from date, time and place; shadows on or off.

The dialog edits the project's sun settings (``project.sun``): the scene follows them,
and they are saved with the project, so the time set is there the next time the dialog
opens and after the project is opened again. The time is read in the project's time
zone (found from its location, editable), never in the machine's.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import available_timezones

from PySide6.QtCore import QDate, QDateTime, QTime, QTimeZone
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QWidget,
)

from cimviewer.core.project import Project
from cimviewer.core.sun import time_zone_at, zone
from cimviewer.io.reproject import lon_lat

#: where a project without a CRS is taken to be (the demo city's region)
DEFAULT_PLACE = (22.54, 114.06)


def project_lat_lon(project: Project) -> tuple[float, float]:
    """Latitude and longitude of the project origin (Shenzhen when unknown)."""
    if project.origin is not None and project.crs:
        try:
            lon, lat = lon_lat(project.crs, float(project.origin[0]), float(project.origin[1]))
            return lat, lon
        except Exception:
            pass
    return DEFAULT_PLACE


def wall_clock(when: datetime) -> QDateTime:
    """A naive time for a QDateTimeEdit, kept as typed: held as UTC so that no daylight
    saving gap of the machine's own zone moves it."""
    return QDateTime(QDate(when.year, when.month, when.day),
                     QTime(when.hour, when.minute, when.second), QTimeZone.utc())


class SunDialog(QDialog):
    """Edits ``project.sun``: date and time, time zone, place, shadows."""

    def __init__(self, project: Project, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sun and shadows"))
        self.project = project
        sun = project.sun
        if sun.latitude is not None and sun.longitude is not None:
            lat, lon = sun.latitude, sun.longitude
        else:
            lat, lon = project_lat_lon(project)
        zone_name = sun.time_zone or time_zone_at(lat, lon)
        when = sun.when or datetime.now(zone(zone_name)).replace(tzinfo=None, microsecond=0)
        self.when = QDateTimeEdit(wall_clock(when), self)
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.when.setCalendarPopup(True)
        self.time_zone = QComboBox(self)
        self.time_zone.setEditable(True)
        self.time_zone.addItems(sorted(available_timezones()))
        self.time_zone.setCurrentText(zone_name)
        self.time_zone.setToolTip(self.tr("The time above is read in this time zone"))
        self.latitude = QDoubleSpinBox(self)
        self.latitude.setRange(-90, 90)
        self.latitude.setDecimals(4)
        self.latitude.setValue(lat)
        self.longitude = QDoubleSpinBox(self)
        self.longitude.setRange(-180, 180)
        self.longitude.setDecimals(4)
        self.longitude.setValue(lon)
        self.shadows = QCheckBox(self.tr("Cast shadows"), self)
        self.shadows.setChecked(sun.shadows)
        self.result = QLabel(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Apply
                                   | QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.apply)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Date and time"), self.when)
        form.addRow(self.tr("Time zone"), self.time_zone)
        form.addRow(self.tr("Latitude"), self.latitude)
        form.addRow(self.tr("Longitude"), self.longitude)
        form.addRow(self.shadows)
        form.addRow(self.result)
        form.addRow(buttons)
        self._show_position()

    def apply(self) -> bool:
        """Put the settings into the project (the scene follows); False when the time
        zone is not known."""
        name = self.time_zone.currentText().strip()
        try:
            self.project.sun.set(when=self.when.dateTime().toPython(), time_zone=name,
                                 latitude=self.latitude.value(),
                                 longitude=self.longitude.value(),
                                 shadows=self.shadows.isChecked())
        except ValueError:
            QMessageBox.warning(self, self.tr("Sun and shadows"),
                                self.tr("Unknown time zone: {0}").format(name))
            return False
        self._show_position()
        return True

    def _show_position(self) -> None:
        position = self.project.sun.position()
        if position is None:
            self.result.setText(self.tr("Default light: no date set"))
            return
        self.result.setText(self.tr("Sun azimuth {0:.1f}°, elevation {1:.1f}°").format(
            *position))
