"""The inspector: attributes of the selected objects.

Structured values (a CityJSON address, a list of records) are shown as nested rows,
indented under their name, not as raw JSON; sensors show their reading and state.
"""

from __future__ import annotations

import contextlib
import json
import math
from datetime import UTC, datetime
from typing import Any

from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from cimviewer.core.layers import CityModelLayer, PointCloudLayer, VectorLayer
from cimviewer.core.project import Project
from cimviewer.core.sensors import ALARM, WARNING, SensorLayer

INDENT = "    "
#: nesting shown as rows down to this depth; deeper values are shown as JSON
MAX_DEPTH = 4


def display_value(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    if value is None:
        return ""
    return str(value)


def value_rows(key: str, value: Any, depth: int = 0) -> list[tuple[str, str]]:
    """``(name, value)`` rows for one attribute: dicts and lists of records become a
    header row and indented rows below it; lists of plain values one comma list."""
    name = INDENT * depth + key
    if depth < MAX_DEPTH and isinstance(value, dict) and value:
        rows = [(name, "")]
        for k, v in value.items():
            rows += value_rows(str(k), v, depth + 1)
        return rows
    if depth < MAX_DEPTH and isinstance(value, list) and value and any(
            isinstance(v, (dict, list)) for v in value):
        rows = [(name, "")]
        for i, v in enumerate(value, 1):
            rows += value_rows(f"[{i}]", v, depth + 1)
        return rows
    if isinstance(value, list) and not any(isinstance(v, (dict, list)) for v in value):
        return [(name, ", ".join(display_value(v) for v in value))]
    return [(name, display_value(value))]


class Inspector(QTableWidget):
    def __init__(self, project: Project, parent: QWidget | None = None):
        super().__init__(0, 2, parent)
        self.project = project
        self.setHorizontalHeaderLabels([self.tr("Attribute"), self.tr("Value")])
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self._watched: list[SensorLayer] = []
        project.selection.changed.connect(self.show_selection)

    def rows_for(self, layer_uid: str, index: int) -> list[tuple[str, str]]:
        layer = self.project.layer_by_uid(layer_uid)
        if isinstance(layer, CityModelLayer):
            objects = layer.model.objects
            rows = [
                (self.tr("Layer"), layer.name),
                (self.tr("Object id"), objects.ids[index]),
                (self.tr("Type"), objects.types[index]),
            ]
            parents = [objects.ids[p] for p in objects.parents[index]]
            if parents:
                rows.append((self.tr("Parent"), ", ".join(parents)))
            children = objects.children_of(index)
            if children:
                rows.append((self.tr("Children"), ", ".join(objects.ids[c] for c in children)))
            attrs = objects.attributes[index]
        elif isinstance(layer, VectorLayer):
            rows = [(self.tr("Layer"), layer.name), (self.tr("Feature"), str(index))]
            attrs = layer.data.attributes(index)
        elif isinstance(layer, SensorLayer):
            return self.sensor_rows(layer, index)
        elif isinstance(layer, PointCloudLayer):
            return self.point_rows(layer, index)
        else:
            return []
        for k, v in attrs.items():
            rows += value_rows(str(k), v)
        return rows

    def point_rows(self, layer: PointCloudLayer, index: int) -> list[tuple[str, str]]:
        """A picked point of a point cloud: its coordinates, class, intensity, colour."""
        cloud = layer.cloud
        if not 0 <= index < cloud.n_points:
            return []
        x, y, z = cloud.positions(slice(index, index + 1))[0]
        rows = [(self.tr("Layer"), layer.name), ("X", f"{x:,.3f}"), ("Y", f"{y:,.3f}"),
                ("Z", f"{z:,.3f}")]
        if cloud.classification is not None:
            from cimviewer.core.pointcloud import class_name
            from cimviewer.ui.pointcloud_names import asprs_class_labels

            code = int(cloud.classification[index])
            name = class_name(code)
            rows.append((self.tr("Class"),
                         f"{code} {asprs_class_labels().get(name, name)}"))
        if cloud.intensity is not None:
            rows.append((self.tr("Intensity"), str(int(cloud.intensity[index]))))
        if cloud.rgb is not None:
            rows.append((self.tr("Colour"), "#{:02x}{:02x}{:02x}".format(*cloud.rgb[index])))
        return rows

    def sensor_rows(self, layer: SensorLayer, index: int) -> list[tuple[str, str]]:
        t = layer.table
        if not 0 <= index < len(t):
            return []
        values, times = layer.current()
        value, when = float(values[index]), float(times[index])
        unit = t.units[index]
        reading = (f"{value:.4g} {unit}".strip() if math.isfinite(value)
                   else self.tr("no reading yet"))
        state = layer.states(values)[index]
        states = {ALARM: self.tr("Alarm"), WARNING: self.tr("Warning")}
        rows = [(self.tr("Layer"), layer.name), (self.tr("Sensor"), t.ids[index]),
                (self.tr("Kind"), t.kinds[index]), (self.tr("Quantity"), t.quantities[index]),
                (self.tr("Value"), reading), (self.tr("State"), states.get(state, self.tr("OK")))]
        if math.isfinite(when):
            zone = layer.tzinfo or UTC
            rows.append((self.tr("Time"), datetime.fromtimestamp(when, zone)
                         .strftime("%Y-%m-%d %H:%M:%S %z")))
        for name, limit in ((self.tr("Warning at"), t.warning[index]),
                            (self.tr("Alarm at"), t.alarm[index])):
            if math.isfinite(float(limit)):
                rows.append((name, f"{float(limit):g} {unit}".strip()))
        if t.anchors[index]:
            rows.append((self.tr("Attached to"), str(t.anchors[index])))
        x, y, z = (float(c) for c in t.xyz[index])
        if math.isfinite(x):
            rows.append((self.tr("Position"), f"{x:.1f}, {y:.1f}, {z:.1f}"))
        return rows

    def _watch(self, layers: list[SensorLayer]) -> None:
        """Follow the readings of the selected sensors (live or replayed)."""
        for layer in self._watched:
            with contextlib.suppress(RuntimeError, TypeError, ValueError):
                layer.values_changed.disconnect(self.show_selection)
        self._watched = layers
        for layer in layers:
            layer.values_changed.connect(self.show_selection)

    def show_selection(self, items: tuple[tuple[str, int], ...] | None = None) -> None:
        items = self.project.selection.items if items is None else items
        sensors = {uid for uid, _ in items
                   if isinstance(self.project.layer_by_uid(uid), SensorLayer)}
        if {la.uid for la in self._watched} != sensors:
            self._watch([self.project.layer_by_uid(uid) for uid in sensors])  # type: ignore[misc]
        rows: list[tuple[str, str]] = []
        for n, (uid, index) in enumerate(items):
            if n:
                rows.append(("", ""))
            rows += self.rows_for(uid, index)
        self.setRowCount(len(rows))
        for r, (key, value) in enumerate(rows):
            self.setItem(r, 0, QTableWidgetItem(key))
            self.setItem(r, 1, QTableWidgetItem(value))

    def value_of(self, key: str) -> str | None:
        """The first value shown for ``key`` (used by tests and scripts)."""
        for r in range(self.rowCount()):
            item = self.item(r, 0)
            if item is not None and item.text() == key:
                value = self.item(r, 1)
                return value.text() if value is not None else None
        return None
