"""Tools > Plugins…: every plugin found, enable/disable without restart, and problems."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cimviewer.plugins.manager import ENABLED, REFUSED
from cimviewer.plugins.manifest import localized

if TYPE_CHECKING:
    from cimviewer.ui.plugin_host import PluginHost


class PluginManagerDialog(QDialog):
    def __init__(self, host: PluginHost, parent: QWidget | None = None):
        super().__init__(parent)
        self.host = host
        self.setObjectName("plugin_manager")
        self.setWindowTitle(self.tr("Plugins"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Tick a plugin to enable it; changes apply at once."),
                                self))
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels([self.tr("Plugin"), self.tr("Version"),
                                              self.tr("Author"), self.tr("From"),
                                              self.tr("Status")])
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        layout.addWidget(self.table)
        layout.addWidget(QLabel(self.tr("Problems:"), self))
        self.problems = QPlainTextEdit(self)
        self.problems.setReadOnly(True)
        self.problems.setMaximumHeight(120)
        layout.addWidget(self.problems)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.resize(760, 420)
        self._filling = False
        self.refresh()
        self.table.itemChanged.connect(self._on_item_changed)
        host.manager.changed.connect(self.refresh)

    def status_text(self, status: str, error: str | None) -> str:
        names = {"enabled": self.tr("enabled"), "available": self.tr("disabled"),
                 "refused": self.tr("refused"), "failed": self.tr("failed")}
        text = names.get(status, status)
        if error and error.startswith(f"{status}: "):  # the error names its status already
            error = error[len(status) + 2:]
        return f"{text}: {error}" if error else text

    def refresh(self) -> None:
        manager = self.host.manager
        self._filling = True
        records = list(manager.records.values())
        self.table.setRowCount(len(records))
        origins = {"built-in": self.tr("built-in"), "user": self.tr("user folder"),
                   "entry point": self.tr("installed package"), "folder": self.tr("folder")}
        for row, record in enumerate(records):
            m = record.manifest
            name = QTableWidgetItem(f"{localized(m.display_name, manager.language)} ({m.name})")
            name.setData(Qt.ItemDataRole.UserRole, m.name)
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            if record.status != REFUSED:
                flags |= Qt.ItemFlag.ItemIsUserCheckable
            name.setFlags(flags)
            name.setCheckState(Qt.CheckState.Checked if record.status == ENABLED
                               else Qt.CheckState.Unchecked)
            name.setToolTip(localized(m.description, manager.language))
            cells = [name, QTableWidgetItem(m.version), QTableWidgetItem(m.author),
                     QTableWidgetItem(origins.get(record.origin, record.origin)),
                     QTableWidgetItem(self.status_text(record.status, record.error))]
            for col, item in enumerate(cells):
                if col:
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.problems.setPlainText("\n".join(f"{p}: {m}" for p, m in manager.problems))
        self._filling = False

    def row_of(self, name: str) -> int:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(Qt.ItemDataRole.UserRole) == name:
                return row
        raise KeyError(name)

    def set_checked(self, name: str, on: bool) -> None:
        """Tick or untick a plugin (as the user would)."""
        self.table.item(self.row_of(name), 0).setCheckState(
            Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != 0:
            return
        name = item.data(Qt.ItemDataRole.UserRole)
        self.host.set_enabled(name, item.checkState() == Qt.CheckState.Checked)
        self.refresh()

    def closeEvent(self, event) -> None:
        self.host.manager.changed.disconnect(self.refresh)
        super().closeEvent(event)
