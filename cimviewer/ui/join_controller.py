"""The "Join table…" action of city layers: in the Layer menu and the layer panel's
context menu; opens :class:`~cimviewer.ui.join_dialog.JoinDialog` for the current layer."""

from __future__ import annotations

from PySide6.QtCore import QObject

from cimviewer.core.layers import CityModelLayer
from cimviewer.ui.shell import Shell


class JoinController(QObject):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        self.shell = shell
        self.action = shell.new_action(self.tr("&Join table…"), self.open_dialog,
                                       object_name="join_table")
        self.action.setToolTip(self.tr("Join a CSV, GeoPackage or PostgreSQL table to the objects of the current city layer by an id column"))  # noqa: E501
        shell.menu("layer", self.tr("&Layer"))
        shell.add_action("layer", self.action)
        shell.add_layer_action(self.action, lambda layer: isinstance(layer, CityModelLayer))
        self.dialog = None

    def open_dialog(self):
        """The join dialog of the current city layer (None when there is none)."""
        from cimviewer.ui.join_dialog import JoinDialog

        layer = self.shell.current_layer()
        if not isinstance(layer, CityModelLayer):
            self.shell.show_status(self.tr("Choose a city model layer to join a table to."))
            return None
        self.dialog = JoinDialog(layer, self.shell.dialog_parent())
        self.dialog.finished.connect(self._closed)
        self.dialog.open()
        return self.dialog

    def _closed(self, _result: int) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None
