"""Find objects by id or attribute value, select them and fly to them."""

from __future__ import annotations

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
        self.view.frame_objects(hits)
