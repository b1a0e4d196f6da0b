"""The large info card a visitor gets by tapping a building."""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from cimviewer.core.layers import CityModelLayer, VectorLayer
from cimviewer.core.project import Project
from cimviewer.core.sensors import SensorLayer
from cimviewer.ui.inspector import display_value
from cimviewer.ui.kiosk.overlays import panel_style

MAX_ROWS = 8
MAX_VALUE_CHARS = 60


class InfoCard(QWidget):
    """Name, type and the first attributes of one picked object, in large type."""

    def __init__(self, project: Project, parent: QWidget | None = None):
        super().__init__(parent)
        self.project = project
        self.setObjectName("kiosk_info_card")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(panel_style("kiosk_info_card", 24))
        self.setMinimumWidth(460)
        self.setMaximumWidth(620)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(16)
        self.title = QLabel(self)
        self.title.setStyleSheet("font-size: 34px; font-weight: bold;")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.body = QLabel(self)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setWordWrap(True)
        layout.addWidget(self.body)
        self.close_button = QPushButton(self)
        self.close_button.setObjectName("kiosk_card_close")
        self.close_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.close_button.clicked.connect(self.hide)
        layout.addWidget(self.close_button)
        self.item: tuple[str, int] | None = None
        self.hide()

    def show_item(self, item: tuple[str, int] | None) -> bool:
        """Show the card for (layer uid, object index); hide it for None or nothing known."""
        rows = None if item is None else self.rows(*item)
        if not rows:
            self.item = None
            self.hide()
            return False
        self.item = item
        title, pairs = rows
        self.title.setText(title)
        self.body.setText("<table cellspacing='6'>" + "".join(
            f"<tr><td style='color:#9fb8d8'>{html.escape(k)}</td>"
            f"<td>{html.escape(v)}</td></tr>" for k, v in pairs) + "</table>")
        self.close_button.setText(self.tr("Close"))
        self.adjustSize()
        self.show()
        self.raise_()
        return True

    def rows(self, uid: str, index: int) -> tuple[str, list[tuple[str, str]]] | None:
        layer = self.project.layer_by_uid(uid)
        if isinstance(layer, CityModelLayer):
            objects = layer.model.objects
            attrs = objects.attributes[index]
            title = str(attrs.get("name") or objects.ids[index])
            pairs = [(self.tr("Type"), objects.types[index]),
                     (self.tr("Object id"), objects.ids[index])]
        elif isinstance(layer, SensorLayer):
            return self._sensor_rows(layer, index)
        elif isinstance(layer, VectorLayer):
            attrs = layer.data.attributes(index)
            title = str(attrs.get("name") or f"{layer.name} {index}")
            pairs = [(self.tr("Layer"), layer.name)]
        else:
            return None
        pairs += [(str(k), _short(display_value(v))) for k, v in attrs.items()
                  if k != "name" and display_value(v)][:MAX_ROWS]
        return title, pairs

    def _sensor_rows(self, layer: SensorLayer,
                     index: int) -> tuple[str, list[tuple[str, str]]] | None:
        """A sensor: what it measures and its value now (live or replayed)."""
        table = layer.table
        if not 0 <= index < len(table):
            return None
        value = float(layer.current()[0][index])
        shown = "—" if not np.isfinite(value) else f"{value:.1f} {table.units[index]}".strip()
        pairs = [(self.tr("Quantity"), table.quantities[index] or table.kinds[index]),
                 (self.tr("Value"), shown)]
        if table.anchors[index]:
            pairs.append((self.tr("Mounted on"), str(table.anchors[index])))
        return table.ids[index], pairs


def _short(text: str) -> str:
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"
