"""Tools > Kiosk settings…: the desktop app's editor of the project's kiosk section."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cimviewer.core.kiosk import LIMITS, KioskSettings, StoryStop, hash_pin
from cimviewer.core.project import Project
from cimviewer.io.project.file import kiosk_settings, set_kiosk_settings

CHECKED, UNCHECKED = Qt.CheckState.Checked, Qt.CheckState.Unchecked


class KioskEditor(QDialog):
    """Which bookmarks make the story (with captions), timings, layers, overlays,
    language, monitor and the operator PIN. OK writes the project's kiosk section."""

    def __init__(self, project: Project, parent: QWidget | None = None):
        super().__init__(parent)
        self.project = project
        self.current = kiosk_settings(project) or KioskSettings()
        self.setWindowTitle(self.tr("Kiosk settings"))
        self.setObjectName("kiosk_editor")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Story: the bookmarks the tour visits, in order"),
                                self))
        self.stops = QTableWidget(0, 3, self)
        self.stops.setHorizontalHeaderLabels([self.tr("Bookmark"), self.tr("English caption"),
                                              self.tr("Chinese caption")])
        self.stops.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.stops.verticalHeader().setVisible(False)
        layout.addWidget(self.stops)
        self._fill_stops()

        form = QFormLayout()
        labels = {"idle_timeout_s": self.tr("Idle time before the countdown (s)"),
                  "countdown_s": self.tr("Countdown (s)"),
                  "attract_delay_s": self.tr("Tour starts after launch (s)"),
                  "flight_s": self.tr("Flight between stops (s)"),
                  "dwell_s": self.tr("Time at each stop (s)"),
                  "orbit_deg_per_s": self.tr("Orbit speed (degrees/s)")}
        self.timing: dict[str, QDoubleSpinBox] = {}
        for name, (lo, hi) in LIMITS.items():
            box = QDoubleSpinBox(self)
            box.setRange(lo, hi)
            box.setDecimals(1)
            box.setValue(getattr(self.current, name))
            form.addRow(labels[name], box)
            self.timing[name] = box
        self.language = QComboBox(self)
        self.language.addItem("中文", "zh_CN")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(self.language.findData(self.current.language))
        form.addRow(self.tr("Start language"), self.language)
        self.monitor = QSpinBox(self)
        self.monitor.setRange(0, 63)
        self.monitor.setValue(self.current.monitor)
        form.addRow(self.tr("Monitor (0 = first)"), self.monitor)
        self.labels = QCheckBox(self.tr("Sensor value labels"), self)
        self.labels.setChecked(self.current.sensor_labels)
        form.addRow("", self.labels)
        self.surface = QLineEdit(self.current.sensor_surface or "", self)
        self.surface.setPlaceholderText(self.tr("as saved with the layer"))
        form.addRow(self.tr("Sensor surface quantity"), self.surface)
        layout.addLayout(form)

        lists = QHBoxLayout()
        names = [layer.name for layer in project.layers]
        shown = set(names if self.current.layers is None else self.current.layers)
        self.shown = self._names_list(names, shown, self.tr("Layers shown"), lists)
        self.toggles = self._names_list(names, set(self.current.toggle_layers),
                                        self.tr("Layer buttons for visitors"), lists)
        layout.addLayout(lists)

        pin = QFormLayout()
        self.pin = QLineEdit(self)
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText(self.tr("unchanged") if self.current.pin_hash
                                    else self.tr("none"))
        self.pin_again = QLineEdit(self)
        self.pin_again.setEchoMode(QLineEdit.EchoMode.Password)
        pin.addRow(self.tr("New operator PIN"), self.pin)
        pin.addRow(self.tr("Repeat the PIN"), self.pin_again)
        self.remove_pin = QCheckBox(self.tr("No PIN (the key chord alone leaves)"), self)
        pin.addRow("", self.remove_pin)
        layout.addLayout(pin)
        self.error = QLabel(self)
        self.error.setObjectName("kiosk_editor_error")
        self.error.setStyleSheet("color: #c0392b;")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 720)

    def _fill_stops(self) -> None:
        by_name = {stop.bookmark: stop for stop in self.current.stops}
        marks = [mark.name for mark in self.project.bookmarks]
        order = [s.bookmark for s in self.current.stops if s.bookmark in marks] + [
            name for name in marks if name not in by_name]
        self.stops.setRowCount(len(order))
        for row, name in enumerate(order):
            stop = by_name.get(name)
            item = QTableWidgetItem(name)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(CHECKED if stop is not None or not by_name else UNCHECKED)
            self.stops.setItem(row, 0, item)
            self.stops.setItem(row, 1, QTableWidgetItem(stop.caption_en if stop else name))
            self.stops.setItem(row, 2, QTableWidgetItem(stop.caption_zh if stop else ""))

    def _names_list(self, names: list[str], checked: set[str], title: str,
                    row: QHBoxLayout) -> QListWidget:
        column = QVBoxLayout()
        column.addWidget(QLabel(title, self))
        widget = QListWidget(self)
        for name in names:
            item = QListWidgetItem(name, widget)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(CHECKED if name in checked else UNCHECKED)
        column.addWidget(widget)
        row.addLayout(column)
        return widget

    @staticmethod
    def _checked(widget: QListWidget) -> tuple[str, ...]:
        return tuple(widget.item(i).text() for i in range(widget.count())
                     if widget.item(i).checkState() == CHECKED)

    def settings(self) -> KioskSettings:
        """The settings in the form; ValueError (translated) when the PIN is not right."""
        stops = []
        for row in range(self.stops.rowCount()):
            if self.stops.item(row, 0).checkState() == CHECKED:
                stops.append(StoryStop(self.stops.item(row, 0).text(),
                                       self.stops.item(row, 1).text().strip(),
                                       self.stops.item(row, 2).text().strip()))
        pin_hash = None if self.remove_pin.isChecked() else self.current.pin_hash
        if self.pin.text() or self.pin_again.text():
            if self.pin.text() != self.pin_again.text():
                raise ValueError(self.tr("The two PINs differ."))
            try:
                pin_hash = hash_pin(self.pin.text())
            except ValueError:
                raise ValueError(self.tr("The PIN must be at least 4 digits.")) from None
        shown = self._checked(self.shown)
        all_names = tuple(layer.name for layer in self.project.layers)
        return self.current.with_(
            stops=tuple(stops),
            layers=None if set(shown) == set(all_names) else shown,
            toggle_layers=self._checked(self.toggles),
            sensor_labels=self.labels.isChecked(),
            sensor_surface=self.surface.text().strip() or None,
            language=self.language.currentData(), pin_hash=pin_hash,
            monitor=self.monitor.value(),
            **{name: box.value() for name, box in self.timing.items()})

    def accept(self) -> None:
        try:
            settings = self.settings()
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        set_kiosk_settings(self.project, settings)
        super().accept()
