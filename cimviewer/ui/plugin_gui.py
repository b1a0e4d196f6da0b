"""The GUI half of the plugin API: what ``ctx.gui`` offers a plugin's docks and actions.

Everything a plugin registers through it (actions, docks, layout parts) is undone when
the plugin is disabled, and running tasks are cancelled. A planning dock built on it
needs nothing from the main window's internals: see docs/plugins.md, "A dock".
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtWidgets import QDockWidget, QWidget

from cimviewer.algorithms.base import Algorithm
from cimviewer.algorithms.runner import validate
from cimviewer.core.layers import CityModelLayer, Layer, RasterLayer, TerrainLayer
from cimviewer.core.project import Project
from cimviewer.core.style import LayerStyle, ValueClass
from cimviewer.plugins.context import PluginContext
from cimviewer.ui.algorithm_task import AlgorithmTask
from cimviewer.ui.parameter_form import ParameterForm

if TYPE_CHECKING:
    from cimviewer.ui.plugin_host import PluginHost
    from cimviewer.ui.shell import Shell

log = logging.getLogger("cimviewer")
Undo = Callable[[], None]


class PluginGui:
    """Handed to a plugin as ``ctx.gui`` in the GUI (None headless). API 1.2."""

    def __init__(self, shell: Shell, ctx: PluginContext, host: PluginHost) -> None:
        self.shell = shell
        self.ctx = ctx
        self._host = host
        self._undo: list[Undo] = []
        self._tasks: list[AlgorithmTask] = []
        self._styled: dict[str, LayerStyle] = {}  # layer uid -> style before colouring

    @property
    def project(self) -> Project:
        return self.shell.project

    @property
    def project_replaced(self):
        """Qt signal: a project was opened or a new one started in the same Project;
        reload what the dock shows from ``ctx.state()``."""
        return self.shell.project_replaced

    @property
    def current_layer_changed(self):
        """Qt signal with the layer chosen in the layer panel (or None)."""
        return self.shell.current_layer_changed

    def current_layer(self) -> Layer | None:
        return self.shell.current_layer()

    def set_current_layer(self, layer: Layer) -> None:
        """Make ``layer`` current in the layer panel, so the view and the Legend panel
        show its legend (API 1.4)."""
        self.shell.set_current_layer(layer)

    def dialog_parent(self) -> QWidget:
        return self.shell.dialog_parent()

    def show_status(self, text: str, msec: int = 5000) -> None:
        self.shell.show_status(text, msec)

    def fly_to_bbox(self, bbox: np.ndarray) -> None:
        """Frame a world box ([minx, miny, minz, maxx, maxy, maxz]) in the 3D view."""
        self.shell.view.fly_to_bbox(np.asarray(bbox, np.float64))

    # --- algorithms ---------------------------------------------------------------------
    def algorithm(self, algorithm_id: str) -> Algorithm:
        """A fresh instance of one of this plugin's algorithms ("coverage"), or of any
        plugin's by qualified name ("other.algo")."""
        name = algorithm_id if "." in algorithm_id else f"{self.ctx.name}.{algorithm_id}"
        return self._host.manager.algorithm(name)

    def parameter_form(self, algorithm: Algorithm, parent: QWidget | None = None, *,
                       exclude: tuple[str, ...] = ()) -> ParameterForm:
        """The form the Algorithms dialog shows, for the declared parameters but
        ``exclude`` (parameters the dock fills itself)."""
        return ParameterForm(algorithm, self.project, self.shell, parent, exclude=exclude,
                             texts=self.texts())

    def texts(self) -> dict[str, str]:
        """The plugin's translations for the UI language (its ``i18n/<lang>.json``)."""
        return self._host.manager.texts(self.ctx.name)

    def run(self, algorithm: Algorithm, values: Mapping[str, Any], *,
            on_finished: Callable[[dict[str, Any]], None],
            on_failed: Callable[[str], None] | None = None,
            on_progress: Callable[[float], None] | None = None,
            on_cancelled: Callable[[], None] | None = None) -> AlgorithmTask:
        """Validate ``values`` and run ``algorithm`` off the GUI thread, shown in the
        status bar with a Cancel button. ``on_finished(outputs)`` and the other
        callbacks run on the GUI thread. Raises ParameterError (a ValueError) at once
        when a value is invalid."""
        params = validate(algorithm, dict(values))
        task = AlgorithmTask(algorithm, params, self.project, plugin=self.ctx.name)
        task.finished.connect(on_finished)
        if on_failed is not None:
            task.failed.connect(on_failed)
            task.abandoned.connect(on_failed)
        if on_progress is not None:
            task.progress.connect(on_progress)
        if on_cancelled is not None:
            task.cancelled.connect(on_cancelled)
        for signal in (task.finished, task.failed, task.cancelled, task.abandoned):
            signal.connect(lambda *_a, t=task: self._forget(t))
        self._tasks.append(task)
        return task.start(self.shell)

    def _forget(self, task: AlgorithmTask) -> None:
        if task in self._tasks:
            self._tasks.remove(task)

    # --- menus, docks, layout -----------------------------------------------------------
    def add_action(self, menu_id: str, title: str, callback: Callable[[], Any], *,
                   toolbar: bool = False, object_name: str | None = None) -> Undo:
        """A menu item under a menu by id ("file", "view", "tools", "sensors",
        "algorithms", "help"); with ``toolbar`` also on the plugins toolbar."""
        action = self.shell.new_action(title, callback, object_name=object_name)
        remove = self.shell.add_action(menu_id, action, toolbar="plugins" if toolbar else None)

        def undo() -> None:
            remove()
            action.deleteLater()
        self._undo.append(undo)
        return undo

    def add_dock(self, dock_id: str, title: str, widget: QWidget,
                 area: str = "right") -> QDockWidget:
        """A dock of the plugin's own beyond those its manifest declares."""
        dock = self.shell.add_dock(f"plugin_{self.ctx.name}_{dock_id}", title, widget, area,
                                   restore=True, scroll=True)
        self._undo.append(lambda: self.shell.remove_dock(dock))
        return dock

    def add_layout_part(self, key: str, save: Callable[[], Any],
                        restore: Callable[[Any], None], version: int = 1) -> Undo:
        """UI state (the open tab, a splitter) saved with the project's window layout
        under "plugin.key", restored when a project with it opens."""
        undo = self.shell.add_layout_part(f"{self.ctx.name}.{key}", save, restore, version)
        self._undo.append(undo)
        return undo

    # --- layers -------------------------------------------------------------------------
    def colour_by_values(self, layer: CityModelLayer, name: str,
                         values: Mapping[int, float] | np.ndarray, *,
                         colormap: str = "rdylgn", classes: int = 5,
                         classification: str = "equal_interval",
                         fixed_classes: Sequence[ValueClass] = ()) -> None:
        """Give the layer's objects a numeric attribute and colour the layer by it (a
        graduated style; the legend follows). With ``fixed_classes``, the values take
        those classes (lower bound, colour, label) — the same as an overlay's legend.
        :meth:`restore_style` undoes it."""
        if layer.uid not in self._styled:
            self._styled[layer.uid] = layer.style
        layer.set_object_values(name, values)
        layer.style = LayerStyle(
            mode="graduated", attribute=name, colormap=colormap,
            classes=len(fixed_classes) or classes,
            classification="fixed" if fixed_classes else classification,
            fixed_classes=tuple(fixed_classes))

    def restore_style(self, layer: CityModelLayer, *names: str) -> None:
        """The style the layer had before :meth:`colour_by_values`; ``names``: the
        attributes to remove again."""
        for name in names:
            layer.clear_object_values(name)
        style = self._styled.pop(layer.uid, None)
        if style is not None:
            layer.style = style

    def show_generated_layer(self, layer: Layer, replaces: Layer | None = None) -> Layer:
        """Add a layer the plugin computed (markers, an overlay) without marking the
        project modified; ``replaces`` is removed first. Generated layers have no
        source and are not saved."""
        was_modified = self.project.modified
        self.remove_generated_layer(replaces)
        if isinstance(layer, RasterLayer):  # a value raster lies on the terrain
            from cimviewer.geometry.placement import drape_layers

            terrain = [la for la in self.project.layers if isinstance(la, TerrainLayer)]
            drape_layers([*terrain[:1], layer])
        added = self.project.add_layer(layer)
        if not was_modified:
            self.project.mark_saved()
        return added

    def remove_generated_layer(self, layer: Layer | None) -> None:
        if layer is None or layer not in list(self.project.layers):
            return
        was_modified = self.project.modified
        self.project.layers.remove(layer)
        if not was_modified:
            self.project.mark_saved()

    # --- end ----------------------------------------------------------------------------
    def dispose(self) -> None:
        """Undo every registration and cancel running tasks (plugin disabled)."""
        for task in list(self._tasks):
            task.forget()
        self._tasks.clear()
        for undo in reversed(self._undo):
            with contextlib.suppress(RuntimeError):  # the widget went first
                undo()
        self._undo.clear()
