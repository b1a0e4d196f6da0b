"""Camera bookmarks: save the current view, fly back to it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cimviewer.core.bookmarks import Bookmark
from cimviewer.core.camera import heading_pitch
from cimviewer.core.project import Project


class BookmarksPanel(QWidget):
    def __init__(self, project: Project, fly_to, parent: QWidget | None = None):
        super().__init__(parent)
        self.project = project
        self.fly_to = fly_to  # callable(CameraState)
        self.list = QListWidget(self)
        self.list.itemDoubleClicked.connect(self._go)
        add = QPushButton(self.tr("Add view"), self)
        add.clicked.connect(self.add_current)
        go = QPushButton(self.tr("Fly to"), self)
        go.clicked.connect(lambda: self._go(self.list.currentItem()))
        remove = QPushButton(self.tr("Delete"), self)
        remove.clicked.connect(self._remove)
        buttons = QHBoxLayout()
        for b in (add, go, remove):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        for signal in (project.bookmarks.events.inserted, project.bookmarks.events.removed,
                       project.bookmarks.events.changed):
            signal.connect(self.refresh)
        self.refresh()

    def refresh(self, *_args) -> None:
        self.list.clear()
        for i, bookmark in enumerate(self.project.bookmarks):
            heading, pitch = heading_pitch(bookmark.camera)
            item = QListWidgetItem(bookmark.name)
            item.setToolTip(self.tr("Heading {0:.0f}°, pitch {1:.0f}°").format(heading, pitch))
            item.setData(Qt.ItemDataRole.UserRole, i)
            self.list.addItem(item)

    def add_current(self, name: str | None = None) -> Bookmark | None:
        state = self.project.camera.state
        if state is None:
            return None
        if not name:
            default = self.tr("View {0}").format(len(self.project.bookmarks) + 1)
            name, ok = QInputDialog.getText(self, self.tr("Bookmark"), self.tr("Name:"),
                                            text=default)
            if not ok or not name:
                return None
        bookmark = Bookmark(name, state)
        self.project.bookmarks.append(bookmark)
        return bookmark

    def _go(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.fly_to(self.project.bookmarks[item.data(Qt.ItemDataRole.UserRole)].camera)

    def _remove(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            del self.project.bookmarks[item.data(Qt.ItemDataRole.UserRole)]
