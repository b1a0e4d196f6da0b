"""The inspector: attributes of the selected objects."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from cimviewer.core.layers import CityModelLayer, VectorLayer
from cimviewer.core.project import Project


def display_value(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    if value is None:
        return ""
    return str(value)


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
        else:
            return []
        rows += [(str(k), display_value(v)) for k, v in attrs.items()]
        return rows

    def show_selection(self, items: tuple[tuple[str, int], ...] | None = None) -> None:
        items = self.project.selection.items if items is None else items
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
