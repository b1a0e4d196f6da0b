"""Sun direction from date, time and place; shadows on or off."""

from __future__ import annotations

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
)

from cimviewer.core.project import Project
from cimviewer.core.sun import sun_position
from cimviewer.io.reproject import lon_lat
from cimviewer.render.scene import Scene


def project_lat_lon(project: Project) -> tuple[float, float]:
    """Latitude and longitude of the project origin (Shenzhen when unknown)."""
    if project.origin is not None and project.crs:
        try:
            lon, lat = lon_lat(project.crs, float(project.origin[0]), float(project.origin[1]))
            return lat, lon
        except Exception:
            pass
    return 22.54, 114.06


class SunDialog(QDialog):
    def __init__(self, scene: Scene, project: Project, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sun and shadows"))
        self.scene = scene
        lat, lon = project_lat_lon(project)
        self.when = QDateTimeEdit(QDateTime.currentDateTime(), self)
        self.when.setCalendarPopup(True)
        self.latitude = QDoubleSpinBox(self)
        self.latitude.setRange(-90, 90)
        self.latitude.setDecimals(4)
        self.latitude.setValue(lat)
        self.longitude = QDoubleSpinBox(self)
        self.longitude.setRange(-180, 180)
        self.longitude.setDecimals(4)
        self.longitude.setValue(lon)
        self.shadows = QCheckBox(self.tr("Cast shadows"), self)
        self.shadows.setChecked(scene.shadows)
        self.result = QLabel(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Apply
                                   | QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.apply)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Date and time"), self.when)
        form.addRow(self.tr("Latitude"), self.latitude)
        form.addRow(self.tr("Longitude"), self.longitude)
        form.addRow(self.shadows)
        form.addRow(self.result)
        form.addRow(buttons)

    def apply(self) -> None:
        when = self.when.dateTime().toPython()
        if when.tzinfo is None:
            when = when.astimezone()
        azimuth, elevation = sun_position(when, self.latitude.value(), self.longitude.value())
        self.scene.set_sun(azimuth, elevation)
        self.scene.set_shadows(self.shadows.isChecked())
        self.result.setText(self.tr("Sun azimuth {0:.1f}°, elevation {1:.1f}°").format(
            azimuth, elevation))
