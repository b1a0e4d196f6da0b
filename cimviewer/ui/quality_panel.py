"""Data quality: what the readers found wrong in each city layer, by kind and object.

A tree per layer: problem kinds (val3dity's names, explained) with their counts, and
under each the objects that have it with where it is in the file (a line and gml:id, a
CityJSON path, a layer and FID); a click selects the object and flies to it. The
context menu copies the list (layer, kind, object, place) as tab-separated text.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cimviewer.core.layers import CityModelLayer
from cimviewer.core.project import Project

#: objects listed under a kind; the rest are counted in one more row
LISTED = 500
#: places of one object shown in its tooltip
PLACES_SHOWN = 20
#: occurrences copied at most (a kind keeps 10,000 places)
COPY_LIMIT = 100_000
ROLE = Qt.ItemDataRole.UserRole


def kind_description(kind: str) -> str:
    """A planner's words for a problem kind (the kind's name stays beside it)."""
    return QCoreApplication.translate(_CONTEXT, _KINDS.get(kind, _OTHER))


_CONTEXT = "QualityPanel"
_OTHER = QT_TRANSLATE_NOOP("QualityPanel", "problem found by the reader")
_KINDS = {
    "TOO_FEW_POINTS": QT_TRANSLATE_NOOP(
        "QualityPanel", "ring with fewer than 3 distinct points: skipped"),
    "CONSECUTIVE_POINTS_SAME": QT_TRANSLATE_NOOP("QualityPanel", "repeated point: removed"),
    "RING_NOT_CLOSED": QT_TRANSLATE_NOOP("QualityPanel", "ring not closed: closed"),
    "DEGENERATE_POLYGON": QT_TRANSLATE_NOOP("QualityPanel", "polygon without area: skipped"),
    "NON_PLANAR_POLYGON_DISTANCE_PLANE": QT_TRANSLATE_NOOP(
        "QualityPanel", "polygon not planar (over 1 cm): drawn triangulated"),
    "ABSURD_COORDINATES": QT_TRANSLATE_NOOP(
        "QualityPanel", "impossible coordinates: object left out"),
    "FAR_FROM_OTHER_OBJECTS": QT_TRANSLATE_NOOP(
        "QualityPanel", "far away from everything else: object left out"),
    "UNREADABLE_FEATURE": QT_TRANSLATE_NOOP(
        "QualityPanel", "unreadable line of the file: skipped"),
    "RING_SELF_INTERSECTION": QT_TRANSLATE_NOOP(
        "QualityPanel", "self-intersecting footprint: repaired"),
    "INNER_RING_OUTSIDE": QT_TRANSLATE_NOOP(
        "QualityPanel", "hole outside its footprint: repaired"),
    "TOO_FEW_POLYGONS": QT_TRANSLATE_NOOP(
        "QualityPanel", "solid with fewer than 4 faces: drawn as is"),
    "COLLAPSED_SOLID": QT_TRANSLATE_NOOP(
        "QualityPanel", "solid without volume: drawn as is"),
}


class QualityPanel(QWidget):
    """The problems of every city layer of a project."""

    def __init__(self, project: Project, view, parent: QWidget | None = None):
        super().__init__(parent)
        self.project = project
        self.view = view
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([self.tr("Problem"), self.tr("Count"), self.tr("Where")])
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, 300)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.copy_action = QAction(self.tr("Copy problem list"), self.tree)
        self.copy_action.triggered.connect(self.copy_to_clipboard)
        self.tree.addAction(self.copy_action)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.tree.itemClicked.connect(self._activate)
        self.tree.itemActivated.connect(self._activate)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        events = project.layers.events
        events.inserted.connect(self.refresh)
        events.removed.connect(self.refresh)
        self.refresh()

    def refresh(self, *_args: object) -> None:
        self.tree.clear()
        total = 0
        for layer in self.project.layers:
            if isinstance(layer, CityModelLayer) and layer.model.problem_counts():
                total += self._add_layer(layer)
        self.summary.setText(
            self.tr("{0} problems found in the city layers; click an object to go to it.")
            .format(total) if total else self.tr("No geometry problems found."))

    def _add_layer(self, layer: CityModelLayer) -> int:
        model = layer.model
        counts = model.problem_counts()
        top = QTreeWidgetItem(self.tree, [layer.name, str(sum(counts.values()))])
        for kind, count in counts.items():
            item = QTreeWidgetItem(top, [f"{kind_description(kind)} ({kind})", str(count)])
            item.setToolTip(0, kind)
            found = model.problem_objects[kind]
            objects, per_object = np.unique(found[found >= 0], return_counts=True)
            places = _places_by_object(found, model.problem_places.get(kind, []),
                                       set(objects[:LISTED].tolist()))
            for index, n in zip(objects[:LISTED].tolist(), per_object[:LISTED].tolist(),
                                strict=True):
                where = places.get(index, [])
                child = QTreeWidgetItem(item, [model.objects.ids[index], str(n),
                                               where[0] if where else ""])
                child.setData(0, ROLE, (layer.uid, index))
                if where:
                    more = n - len(where[:PLACES_SHOWN])
                    child.setToolTip(2, "\n".join(where[:PLACES_SHOWN]) + (
                        "\n" + self.tr("… and {0} more").format(more) if more > 0 else ""))
            if len(objects) > LISTED:
                QTreeWidgetItem(item, [self.tr("… and {0} more objects")
                                       .format(len(objects) - LISTED), ""])
        top.setExpanded(True)
        return sum(counts.values())

    def problem_rows(self) -> list[tuple[str, str, str, str]]:
        """(layer, kind, object id, place) of every occurrence with a kept place or
        object, layer by layer (what Copy puts on the clipboard)."""
        rows = []
        for layer in self.project.layers:
            if not isinstance(layer, CityModelLayer):
                continue
            model = layer.model
            for entry in model.problem_list(limit=COPY_LIMIT):
                rows.append((layer.name, entry["kind"], entry["object"] or "",
                             entry["place"] or ""))
        return rows

    def copy_to_clipboard(self) -> None:
        header = "\t".join((self.tr("Layer"), self.tr("Problem"), self.tr("Object"),
                            self.tr("Where")))
        lines = [header] + ["\t".join(row) for row in self.problem_rows()]
        QApplication.clipboard().setText("\n".join(lines) + "\n")

    def _activate(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        target = item.data(0, ROLE)
        if target is None:
            return
        self.project.selection.set([tuple(target)])
        self.view.frame_objects([tuple(target)])


def _places_by_object(found: np.ndarray, places: list[str], wanted: set[int],
                      ) -> dict[int, list[str]]:
    """The kept places of each wanted object, in file order."""
    out: dict[int, list[str]] = {}
    for index, place in zip(found[:len(places)].tolist(), places, strict=True):
        if place and index in wanted:
            out.setdefault(index, []).append(place)
    return out
