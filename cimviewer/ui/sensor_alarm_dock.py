"""The alarm list: sensors over their warning or alarm threshold; click one to fly to it."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from cimviewer.core.project import Project
from cimviewer.core.sensors import ALARM, WARNING, SensorLayer

MAX_ROWS = 500


class AlarmPanel(QWidget):
    """Lists (layer, sensor) over threshold, alarms first; emits ``activated`` on click."""

    activated = Signal(object, int)  # SensorLayer, sensor row

    def __init__(self, project: Project, parent: QWidget | None = None):
        super().__init__(parent)
        self.project = project
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels([self.tr("Sensor"), self.tr("Quantity"), self.tr("Value"),
                                   self.tr("State")])
        self.tree.setRootIsDecorated(False)
        self.tree.itemClicked.connect(self._on_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree)
        self._shown: list[tuple[str, int, int, str]] = []

    def refresh(self) -> None:
        """Rebuild the list if the set or values changed (called at the GUI tick)."""
        rows: list[tuple[SensorLayer, int, int, float]] = []
        for layer in self.project.layers:
            if not isinstance(layer, SensorLayer) or not layer.visible:
                continue
            values = layer.current()[0]
            states = layer.states(values)
            over = np.flatnonzero(states >= WARNING)
            order = np.lexsort((-np.nan_to_num(layer.normalized(values)[over]), -states[over]))
            for i in over[order][:MAX_ROWS]:
                rows.append((layer, int(i), int(states[i]), float(values[i])))
        rows.sort(key=lambda r: -r[2])
        rows = rows[:MAX_ROWS]
        key = [(lay.uid, i, s, f"{v:.1f}") for lay, i, s, v in rows]
        if key == self._shown:
            return
        self._shown = key
        self.tree.clear()
        alarm_brush = QBrush(QColor(230, 20, 40))
        warn_brush = QBrush(QColor(230, 140, 0))
        for layer, i, state, value in rows:
            table = layer.table
            text = self.tr("Alarm") if state == ALARM else self.tr("Warning")
            item = QTreeWidgetItem([table.ids[i], table.quantities[i],
                                    f"{value:.1f} {table.units[i]}".strip(), text])
            item.setForeground(3, alarm_brush if state == ALARM else warn_brush)
            item.setData(0, 256, (layer.uid, i))
            self.tree.addTopLevelItem(item)

    def item_of(self, sensor_id: str) -> QTreeWidgetItem | None:
        for k in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(k)
            if item.text(0) == sensor_id:
                return item
        return None

    def _on_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        uid, row = item.data(0, 256)
        layer = self.project.layer_by_uid(uid)
        if isinstance(layer, SensorLayer):
            self.activated.emit(layer, row)
