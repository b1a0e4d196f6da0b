"""What a plugin's dock widgets and actions receive: the project, its state, a logger."""

from __future__ import annotations

import copy
import logging
from pathlib import Path
from typing import Any

from psygnal import Signal

from cimviewer.core.project import Project


class PluginContext:
    """Handed to dock factories and action callbacks.

    ``gui`` (API 1.2) is the GUI half of the API in the GUI, None headless: running
    algorithms as tasks, parameter forms, menu items by menu id, docks, layout parts,
    colouring a layer by per-object values (``cimviewer.ui.plugin_gui.PluginGui``,
    documented in docs/plugins.md). ``window`` (API 1.0, deprecated: removed in 2.0)
    is a widget to parent dialogs on; use ``gui.dialog_parent()`` instead.

    ``view_clicked`` (a psygnal signal, API 1.0 addition) emits the world point
    (numpy array x, y, z) of each left click on a surface of the 3D view; it never
    emits headless.
    """

    view_clicked = Signal(object)

    def __init__(self, name: str, project: Project, state_version: int = 1,
                 window: Any = None) -> None:
        self.name = name
        self.project = project
        self.state_version = state_version
        self.window = window
        self.gui: Any = None  # PluginGui in the GUI; set by the host
        self.log = logging.getLogger(f"cimviewer.plugins.{name}")

    def saved_state_version(self) -> int | None:
        """The version of the state stored in the project (None when there is none)."""
        entry = self.project.plugin_state.get(self.name)
        return None if entry is None else entry.get("version")

    def state(self) -> dict[str, Any]:
        """A copy of this plugin's saved data ({} when the project has none)."""
        entry = self.project.plugin_state.get(self.name) or {}
        return copy.deepcopy(entry.get("data", {}))

    def set_state(self, data: dict[str, Any]) -> None:
        """Store JSON-able ``data`` under the plugin's key with its state version."""
        self.project.plugin_state[self.name] = {"version": self.state_version,
                                                "data": copy.deepcopy(data)}
        self.project.mark_modified()

    def result_path(self, name: str) -> Path:
        """A file in the project's data folder, under the plugin's own subfolder."""
        from cimviewer.io.project.paths import result_path

        return result_path(self.project, f"{self.name}/{name}")
