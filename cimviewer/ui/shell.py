"""The window as a service: the narrow face of the main window that controllers and
plugins talk to (menus by id, docks, tasks, status, the current layer, layout parts).

Spyder's plugins ask a main-menu service for "the File menu" instead of holding the
window; this is the same idea. Nothing here hands out the ``QMainWindow`` itself: a
controller or plugin that needs a parent for a dialog gets :meth:`Shell.dialog_parent`.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QMenu,
    QScrollArea,
    QToolBar,
    QWidget,
)

from cimviewer.core.layers import Layer
from cimviewer.core.project import Project
from cimviewer.ui.tasks import Task

if TYPE_CHECKING:
    from cimviewer.ui.main_window import MainWindow
    from cimviewer.ui.view import ViewWidget

log = logging.getLogger("cimviewer")

#: the standard menus, in menu-bar order; others are added before "help"
STANDARD_MENUS = ("file", "view", "tools", "help")
AREAS = {"left": Qt.DockWidgetArea.LeftDockWidgetArea,
         "right": Qt.DockWidgetArea.RightDockWidgetArea,
         "top": Qt.DockWidgetArea.TopDockWidgetArea,
         "bottom": Qt.DockWidgetArea.BottomDockWidgetArea}
Undo = Callable[[], None]


class ScrollingDock(QDockWidget):
    """A dock whose content sits in a scroll area; :meth:`widget` returns the content."""

    def setWidget(self, widget: QWidget) -> None:
        area = QScrollArea(self)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidget(widget)
        self._content = widget
        super().setWidget(area)

    def widget(self) -> QWidget:
        return getattr(self, "_content", None) or super().widget()


@dataclass
class LayoutPart:
    """A piece of UI state saved with the project's window layout (glue's versioned
    savers): ``save()`` returns JSON-able data, ``restore(data)`` applies it."""

    key: str
    version: int
    save: Callable[[], Any]
    restore: Callable[[Any], None]


class Shell(QObject):
    """What controllers and plugins may ask of the main window.

    Signals:
    ``project_replaced`` — a project was opened, a new one started or a recovered one
    restored into the same :class:`Project` (``Project.replaced``; plugins reload
    their state on it);
    ``current_layer_changed(layer or None)``; ``view_clicked(world xyz)`` — a left click
    on a surface of the 3D view.
    """

    project_replaced = Signal()
    current_layer_changed = Signal(object)
    view_clicked = Signal(object)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._menus: dict[str, QMenu] = {}
        self._anchors: dict[str, QAction] = {}
        self._toolbars: dict[str, QToolBar] = {}
        self._toolbar_titles: dict[str, str] = {}
        self.layout_parts: dict[str, LayoutPart] = {}
        window.project.replaced.connect(self._on_replaced)
        self._dock_registry: tuple[Callable[[], list[str]], Callable[[list[str]], None]] = (
            list, lambda _keys: None)

    def _on_replaced(self) -> None:
        self.project_replaced.emit()

    def dispose(self) -> None:
        """Stop listening to the project (the window closes; the project may live on)."""
        with contextlib.suppress(ValueError, RuntimeError):
            self.project.replaced.disconnect(self._on_replaced)

    # --- what the window holds ------------------------------------------------------
    @property
    def project(self) -> Project:
        return self._window.project

    @property
    def settings(self) -> QSettings:
        return self._window.settings

    @property
    def view(self) -> ViewWidget:
        """The 3D view widget (its public methods: fly_to_bbox, schedule_render, ...)."""
        return self._window.view

    def dialog_parent(self) -> QWidget:
        """The widget to parent dialogs and message boxes on."""
        return self._window

    def current_layer(self) -> Layer | None:
        return self._window.layer_panel.current_layer()

    def set_current_layer(self, layer: Layer) -> None:
        """Make ``layer`` the layer panel's current one (the view shows its legend)."""
        self._window.layer_panel.select(layer)

    # --- menus ----------------------------------------------------------------------
    def register_menu(self, menu_id: str, menu: QMenu) -> None:
        """Name a menu the window made (the window's own standard menus)."""
        menu.setObjectName(f"menu_{menu_id}")
        self._menus[menu_id] = menu

    def register_anchor(self, anchor_id: str, action: QAction) -> None:
        """Name an action others may insert before (for example "file.quit")."""
        self._anchors[anchor_id] = action

    def menu(self, menu_id: str, title: str | None = None) -> QMenu:
        """A menu by id: "file", "view", "tools", "help", or one added before; with
        ``title``, a new top-level menu of that id is added before Help."""
        if menu_id in self._menus:
            return self._menus[menu_id]
        if title is None:
            raise KeyError(f"no menu {menu_id!r}")
        menu = QMenu(title, self._window)
        help_menu = self._menus.get("help")
        bar = self._window.menuBar()
        if help_menu is not None:
            bar.insertMenu(help_menu.menuAction(), menu)
        else:
            bar.addMenu(menu)
        self.register_menu(menu_id, menu)
        return menu

    def remove_menu(self, menu_id: str) -> None:
        menu = self._menus.pop(menu_id, None)
        if menu is not None and menu_id not in STANDARD_MENUS:
            self._window.menuBar().removeAction(menu.menuAction())
            menu.deleteLater()

    def add_action(self, menu_id: str, action: QAction, *, before: str | None = None,
                   toolbar: str | None = None) -> Undo:
        """Put ``action`` into a menu (before the anchor ``before`` when given) and
        optionally a toolbar; returns the function that takes it out again."""
        menu = self.menu(menu_id)
        anchor = self._anchors.get(before) if before else None
        if anchor is not None:
            menu.insertAction(anchor, action)
        else:
            menu.addAction(action)
        bar = self.toolbar(toolbar) if toolbar else None
        if bar is not None:
            bar.addAction(action)

        def undo() -> None:
            menu.removeAction(action)
            if bar is not None:
                bar.removeAction(action)
                self._drop_empty_toolbar(toolbar)
        return undo

    def add_layer_action(self, action: QAction,
                         applies: Callable[[Layer], bool] | None = None) -> Undo:
        """Offer ``action`` in the layer panel's context menu of the layers ``applies``
        to (all when None); the action works on :meth:`current_layer`."""
        return self._window.layer_panel.add_context_action(action, applies)

    def new_action(self, text: str, slot: Callable[[], Any] | None = None, *,
                   object_name: str | None = None, checkable: bool = False,
                   shortcut: Any = None) -> QAction:
        """An action owned by the window (so it lives as long as its menus)."""
        action = QAction(text, self._window)
        if object_name:
            action.setObjectName(object_name)
        action.setCheckable(checkable)
        if shortcut is not None:
            action.setShortcut(shortcut)
        if slot is not None:
            action.triggered.connect(lambda _checked=False: slot())
        return action

    def set_toolbar_title(self, toolbar_id: str, title: str) -> None:
        """The (translated) title a toolbar gets whenever it is made, also again after it
        was dropped for being empty."""
        self._toolbar_titles[toolbar_id] = title

    def toolbar(self, toolbar_id: str, title: str | None = None) -> QToolBar:
        bar = self._toolbars.get(toolbar_id)
        if bar is None:
            bar = self._window.addToolBar(title or self._toolbar_titles.get(toolbar_id,
                                                                            toolbar_id))
            bar.setObjectName(f"{toolbar_id}_toolbar")
            self._toolbars[toolbar_id] = bar
        return bar

    def _drop_empty_toolbar(self, toolbar_id: str | None) -> None:
        bar = self._toolbars.get(toolbar_id or "")
        if bar is not None and not bar.actions():
            self._window.removeToolBar(bar)
            bar.deleteLater()
            del self._toolbars[toolbar_id]

    # --- docks ----------------------------------------------------------------------
    def add_dock(self, name: str, title: str, widget: QWidget, area: str = "right", *,
                 restore: bool = False, tab_with: QDockWidget | None = None,
                 scroll: bool = False) -> QDockWidget:
        """A dock in ``area`` ("left", "right", "top", "bottom"); with ``restore``,
        where a restored layout had it (docks made after the layout was restored).

        ``scroll``: the content scrolls when the dock is smaller than the content's
        minimum size (tall forms of plugins), instead of growing the window past the
        screen; ``dock.widget()`` is still the content."""
        window = self._window
        dock = ScrollingDock(title, window) if scroll else QDockWidget(title, window)
        dock.setObjectName(f"dock_{name}")
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        if not (restore and window.restoreDockWidget(dock)):
            window.addDockWidget(AREAS[area], dock)
            if tab_with is not None:
                window.tabifyDockWidget(tab_with, dock)
        return dock

    def give_room(self, dock: QDockWidget) -> None:
        """A dock the user just opened gets the room its content asks for: its column
        as wide as the content (at most 40 % of the window), and up to 45 % of the
        column's height."""
        QTimer.singleShot(0, lambda: self._resize_for(dock))  # once the dock is laid out

    def _resize_for(self, dock: QDockWidget) -> None:
        window = self._window
        try:
            if not dock.isVisible():
                return
            content = dock.widget()
        except RuntimeError:  # the dock went meanwhile
            return
        width = min(content.minimumSizeHint().width() + 24, int(window.width() * 0.4))
        if dock.width() < width:
            window.resizeDocks([dock], [width], Qt.Orientation.Horizontal)
        # at most 45 % of the column's height: the inspector above keeps its rows
        column = window.centralWidget().height() if window.centralWidget() else 0
        height = min(content.sizeHint().height(), int(column * 0.45))
        if dock.height() < height:
            window.resizeDocks([dock], [height], Qt.Orientation.Vertical)

    def dock_area(self, dock: QDockWidget) -> Qt.DockWidgetArea:
        return self._window.dockWidgetArea(dock)

    def remove_dock(self, dock: QDockWidget) -> None:
        self._window.removeDockWidget(dock)
        dock.deleteLater()

    def dock(self, name: str) -> QDockWidget | None:
        """A dock by the name it was added with."""
        return self._window.findChild(QDockWidget, f"dock_{name}")

    def set_dock_registry(self, visible: Callable[[], list[str]],
                          show: Callable[[list[str]], None]) -> None:
        """Who lists the docks made on demand (plugin docks) and shows them again: a
        saved layout names them, since Qt's state alone cannot bring them back."""
        self._dock_registry = (visible, show)

    def dock_keys(self) -> list[str]:
        return self._dock_registry[0]()

    def show_docks(self, keys: list[str]) -> None:
        self._dock_registry[1](keys)

    # --- tasks and status -----------------------------------------------------------
    def run_task(self, task: Task) -> Task:
        """Start ``task`` on the worker pool with the status-bar progress and Cancel."""
        return self._window.run_task(task)

    def track_task(self, task: Task) -> None:
        """Show a task started elsewhere (on a thread of its own) in the status bar."""
        self._window.track_task(task)

    def untrack_task(self, task: Task) -> None:
        self._window.untrack_task(task)

    def cancel_tasks(self) -> None:
        self._window.cancel_tasks()

    def show_status(self, text: str, msec: int = 5000) -> None:
        self._window.statusBar().showMessage(text, msec)

    def add_status_widget(self, widget: QWidget) -> None:
        self._window.statusBar().addPermanentWidget(widget)

    # --- window state ---------------------------------------------------------------
    def set_title(self, title: str, modified: bool) -> None:
        self._window.setWindowTitle(title)
        self._window.setWindowModified(modified)

    def set_modified(self, modified: bool) -> None:
        self._window.setWindowModified(modified)

    def save_state(self, version: int) -> bytes:
        return bytes(self._window.saveState(version))

    def restore_state(self, state: Any, version: int) -> bool:
        return bool(self._window.restoreState(state, version))

    def add_layout_part(self, key: str, save: Callable[[], Any],
                        restore: Callable[[Any], None], version: int = 1) -> Undo:
        """UI state saved with the project's layout under ``key`` (with its version;
        a saved part of another version is not restored)."""
        if key in self.layout_parts:
            raise ValueError(f"layout part {key!r} is taken")
        part = LayoutPart(key, version, save, restore)
        self.layout_parts[key] = part

        def undo() -> None:
            if self.layout_parts.get(key) is part:
                del self.layout_parts[key]
        return undo

    def saved_parts(self) -> dict[str, Any]:
        out = {}
        for key, part in self.layout_parts.items():
            try:
                out[key] = {"version": part.version, "data": part.save()}
            except Exception as exc:  # one part must not cost the save
                log.error("layout part %r could not be saved: %s", key, exc)
        return out

    def restore_parts(self, parts: dict[str, Any]) -> None:
        for key, entry in (parts or {}).items():
            part = self.layout_parts.get(key)
            if part is None or not isinstance(entry, dict) \
                    or entry.get("version") != part.version:
                continue
            try:
                part.restore(entry.get("data"))
            except Exception as exc:
                log.error("layout part %r could not be restored: %s", key, exc)
