"""The "Add sensor readings" dialog: a CSV or Parquet file of readings (long or wide),
its columns and time zone, and optionally a point dataset with the sensors' positions."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from cimviewer.io.errors import ReadError
from cimviewer.io.sensors.readings import ReplaySource, parse_timezone, table_columns

GUESSES = {
    "time": ("time", "timestamp", "datetime", "date_time", "date", "phenomenontime"),
    "id": ("sensor_id", "id", "sensor", "station", "name"),
    "value": ("value", "result", "reading", "measurement"),
    "unit": ("unit", "units", "uom"),
}
TIME_ZONES = ("UTC", "+08:00", "Asia/Shanghai", "Europe/Berlin", "America/New_York")


def guess(columns: list[str], role: str) -> str | None:
    lower = {c.lower(): c for c in columns}
    return next((lower[g] for g in GUESSES[role] if g in lower), None)


class AddReadingsDialog(QDialog):
    """Returns a :class:`ReplaySource`, the positions file (or None) and a layer name."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add sensor readings"))
        self.setMinimumWidth(560)
        self.columns: list[str] = []
        form = QFormLayout(self)
        self.readings = QLineEdit(self)
        self.readings.setPlaceholderText(self.tr("CSV or Parquet file"))
        self.readings.editingFinished.connect(self._read_header)
        form.addRow(self.tr("Readings"), self._with_browse(self.readings, self._browse_readings))
        self.layout_box = QComboBox(self)
        self.layout_box.addItem(self.tr("Long: one reading per row"), "long")
        self.layout_box.addItem(self.tr("Wide: one column per sensor"), "wide")
        self.layout_box.currentIndexChanged.connect(self._show_layout)
        form.addRow(self.tr("Layout"), self.layout_box)
        self.time_col = QComboBox(self)
        self.id_col = QComboBox(self)
        self.value_col = QComboBox(self)
        self.unit_col = QComboBox(self)
        form.addRow(self.tr("Time column"), self.time_col)
        form.addRow(self.tr("Sensor id column"), self.id_col)
        form.addRow(self.tr("Value column"), self.value_col)
        form.addRow(self.tr("Unit column"), self.unit_col)
        self.time_col.currentIndexChanged.connect(self._fill_sensor_columns)
        self.sensor_cols = QListWidget(self)
        form.addRow(self.tr("Sensor columns"), self.sensor_cols)
        self.timezone = QComboBox(self)
        self.timezone.setEditable(True)
        self.timezone.addItems(TIME_ZONES)
        self.timezone.setToolTip(self.tr("For times written without an offset"))
        form.addRow(self.tr("Time zone"), self.timezone)
        self.positions = QLineEdit(self)
        self.positions.setPlaceholderText(
            self.tr("optional: points with a sensor_id column; else ids name poles or buildings"))
        form.addRow(self.tr("Positions"), self._with_browse(self.positions,
                                                            self._browse_positions))
        self.name = QLineEdit(self)
        form.addRow(self.tr("Layer name"), self.name)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.form = form
        self._show_layout()

    def _with_browse(self, edit: QLineEdit, slot) -> QWidget:
        box = QWidget(self)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(edit)
        button = QPushButton(self.tr("Browse…"), box)
        button.clicked.connect(slot)
        row.addWidget(button)
        return box

    def _browse_readings(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Sensor readings"), "",
            self.tr("Tables (*.csv *.parquet *.pq);;All files (*)"))
        if path:
            self.set_readings(path)

    def _browse_positions(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Sensor positions"), "",
            self.tr("Point data (*.gpkg *.geojson *.json *.shp *.fgb);;All files (*)"))
        if path:
            self.positions.setText(path)

    def set_readings(self, path: str | Path) -> None:
        self.readings.setText(str(path))
        self._read_header()

    def _read_header(self) -> None:
        text = self.readings.text().strip()
        self.columns = []
        self.error.clear()
        if text:
            try:
                self.columns = table_columns(text)
            except ReadError as exc:
                self.error.setText(exc.one_line())
        if text and not self.name.text():
            self.name.setText(Path(text).stem)
        none = self.tr("(none)")
        for box, role, optional in ((self.time_col, "time", False), (self.id_col, "id", False),
                                    (self.value_col, "value", False),
                                    (self.unit_col, "unit", True)):
            box.clear()
            if optional:
                box.addItem(none, None)
            for column in self.columns:
                box.addItem(column, column)
            found = guess(self.columns, role)
            if found is not None:
                box.setCurrentIndex(box.findData(found))
        self._fill_sensor_columns()

    def _fill_sensor_columns(self) -> None:
        self.sensor_cols.clear()
        time_col = self.time_col.currentData()
        for column in self.columns:
            if column == time_col:
                continue
            item = QListWidgetItem(column, self.sensor_cols)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)

    def _show_layout(self) -> None:
        wide = self.layout_box.currentData() == "wide"
        for widget, show in ((self.id_col, not wide), (self.value_col, not wide),
                             (self.unit_col, not wide), (self.sensor_cols, wide)):
            self.form.setRowVisible(widget, show)

    def chosen_sensor_columns(self) -> list[str]:
        items = (self.sensor_cols.item(i) for i in range(self.sensor_cols.count()))
        return [it.text() for it in items if it.checkState() == Qt.CheckState.Checked]

    def replay(self) -> ReplaySource:
        wide = self.layout_box.currentData() == "wide"
        return ReplaySource(
            path=self.readings.text().strip(), layout="wide" if wide else "long",
            time=self.time_col.currentData() or "time",
            id=self.id_col.currentData() or "sensor_id",
            value=self.value_col.currentData() or "value",
            unit=self.unit_col.currentData(),
            columns=self.chosen_sensor_columns() if wide else [],
            timezone=self.timezone.currentText().strip() or "UTC")

    def positions_path(self) -> str | None:
        return self.positions.text().strip() or None

    def layer_name(self) -> str:
        return self.name.text().strip() or self.tr("Sensors")

    def problem(self) -> str | None:
        """What keeps the dialog from being accepted, or None."""
        if not self.columns:
            return self.error.text() or self.tr("Choose a readings file")
        try:
            parse_timezone(self.timezone.currentText())
        except ValueError as exc:
            return str(exc)
        if self.layout_box.currentData() == "wide" and not self.chosen_sensor_columns():
            return self.tr("Choose at least one sensor column")
        positions = self.positions_path()
        if positions and not Path(positions).exists():
            return self.tr("The positions file does not exist")
        return None

    def accept(self) -> None:
        problem = self.problem()
        if problem:
            self.error.setText(problem)
            return
        super().accept()
