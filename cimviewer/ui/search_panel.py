"""Find objects by id or attribute value, select them and fly to them."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from cimviewer.core.layers import CityModelLayer
from cimviewer.core.project import Project
from cimviewer.core.search import find_objects


class SearchPanel(QWidget):
    def __init__(self, project: Project, view, parent: QWidget | None = None):
        super().__init__(parent)
        self.project = project
        self.view = view
        self.query = QLineEdit(self)
        self.query.setPlaceholderText(self.tr("Object id or attribute value, then Enter"))
        self.query.returnPressed.connect(self.search)
        self.results = QListWidget(self)
        self.results.itemActivated.connect(self._activate)
        self.results.itemClicked.connect(self._activate)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.query)
        layout.addWidget(self.results, 1)

    def search(self, text: str | None = None) -> list[tuple[str, int]]:
        text = self.query.text() if text is None else text
        self.results.clear()
        hits: list[tuple[str, int]] = []
        for layer in self.project.layers:
            if isinstance(layer, CityModelLayer):
                for index in find_objects(layer.model.objects, text):
                    hits.append((layer.uid, index))
                    item = QListWidgetItem(f"{layer.model.objects.ids[index]}  ({layer.name})")
                    item.setData(Qt.ItemDataRole.UserRole, (layer.uid, index))
                    self.results.addItem(item)
        if hits:
            self.show_hits(hits)
        return hits

    def _activate(self, item: QListWidgetItem) -> None:
        self.show_hits([item.data(Qt.ItemDataRole.UserRole)])

    def show_hits(self, hits: list[tuple[str, int]]) -> None:
        """Select the objects and fly to their joint bounding box."""
        self.project.selection.set(hits)
        boxes = []
        for uid, index in hits[:200]:
            layer = self.project.layer_by_uid(uid)
            if isinstance(layer, CityModelLayer):
                box = layer.model.object_bbox(index, layer.lod)
                if box is not None:
                    boxes.append(box)
        if boxes:
            arr = np.array(boxes)
            bbox = np.concatenate([arr[:, :3].min(0), arr[:, 3:].max(0)])
            pad = max(30.0, float(np.ptp(arr[:, [0, 1]])) * 0.2)
            bbox[:2] -= pad
            bbox[3:5] += pad
            self.view.fly_to_bbox(bbox)
