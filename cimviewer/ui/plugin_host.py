"""The GUI side of plugins: menus, toolbar actions, docks and styles, added and removed
as plugins are enabled and disabled. Enabled state persists in QSettings."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDockWidget, QMenu, QToolBar, QWidget

from cimviewer.plugins.context import PluginContext
from cimviewer.plugins.loader import PluginError, describe_exception
from cimviewer.plugins.manager import PluginManager
from cimviewer.plugins.manifest import Contribution, localized

if TYPE_CHECKING:
    from cimviewer.ui.main_window import MainWindow

log = logging.getLogger("cimviewer")
SETTINGS_KEY = "plugins/disabled"
AREAS = {"left": Qt.DockWidgetArea.LeftDockWidgetArea,
         "right": Qt.DockWidgetArea.RightDockWidgetArea,
         "top": Qt.DockWidgetArea.TopDockWidgetArea,
         "bottom": Qt.DockWidgetArea.BottomDockWidgetArea}


def ui_language() -> str:
    return getattr(QApplication.instance(), "_cimviewer_language", "en") or "en"


class PluginHost(QObject):
    """Owns the PluginManager of a main window and its GUI registrations."""

    def __init__(self, window: MainWindow, *, discover: bool = True) -> None:
        super().__init__(window)
        self.window = window
        self.manager = PluginManager(ui_language())
        self.contexts: dict[str, PluginContext] = {}
        self.docks: dict[str, QDockWidget] = {}
        self._undo: dict[str, list[Callable[[], None]]] = {}
        self._menus: dict[str, QMenu] = {}
        self.toolbar: QToolBar | None = None
        self.dialogs: list[QWidget] = []
        self.manager.plugin_enabled.connect(self._on_enabled)
        self.manager.plugin_disabled.connect(self._on_disabled)
        self.manager.problem.connect(self._on_problem)
        self._build_menus()
        if discover:
            self.manager.discover()
            self.manager.enable_all(self.disabled_names())

    # --- settings ---------------------------------------------------------------------
    def disabled_names(self) -> set[str]:
        value = self.window.settings.value(SETTINGS_KEY, [])
        if isinstance(value, str):
            value = [value]
        return {str(v) for v in value or []}

    def set_enabled(self, name: str, enabled: bool) -> bool:
        """Enable or disable a plugin now and remember it; True when it ended as asked."""
        disabled = self.disabled_names()
        if enabled:
            disabled.discard(name)
            ok = self.manager.enable(name)
        else:
            disabled.add(name)
            self.manager.disable(name)
            ok = True
        self.window.settings.setValue(SETTINGS_KEY, sorted(disabled))
        return ok

    def add_folder(self, folder: Path, origin: str = "folder") -> list[str]:
        """Register (and enable) the plugins under ``folder``: for tests and fixtures."""
        names = self.manager.add_folder(folder, origin)
        for name in names:
            if name not in self.disabled_names():
                self.manager.enable(name)
        return names

    # --- menus ------------------------------------------------------------------------
    def _build_menus(self) -> None:
        window = self.window
        self.plugins_action = QAction(self.tr("&Plugins…"), window)
        self.plugins_action.setObjectName("plugins_action")
        self.plugins_action.triggered.connect(self.show_manager)
        tools = getattr(window, "tools_menu", None)
        if tools is not None:
            tools.addSeparator()
            tools.addAction(self.plugins_action)
        self.algorithms_menu = QMenu(self.tr("&Algorithms"), window)
        self.algorithms_menu.setObjectName("algorithms_menu")
        help_menu = getattr(window, "help_menu", None)
        if help_menu is not None:
            window.menuBar().insertMenu(help_menu.menuAction(), self.algorithms_menu)
        else:
            window.menuBar().addMenu(self.algorithms_menu)
        self._empty_algorithms = self.algorithms_menu.addAction(self.tr("(no algorithms)"))
        self._empty_algorithms.setEnabled(False)

    def menu(self, name: str) -> QMenu:
        """A standard menu by English name, or the plugin's own top-level menu."""
        standard = {"Tools": "tools_menu", "Help": "help_menu", "View": "view_menu",
                    "File": "file_menu"}
        if name == "Algorithms":
            return self.algorithms_menu
        existing = getattr(self.window, standard.get(name, ""), None)
        if isinstance(existing, QMenu):
            return existing
        if name not in self._menus:
            menu = QMenu(name, self.window)
            help_menu = getattr(self.window, "help_menu", None)
            if help_menu is not None:
                self.window.menuBar().insertMenu(help_menu.menuAction(), menu)
            else:
                self.window.menuBar().addMenu(menu)
            self._menus[name] = menu
        return self._menus[name]

    def _drop_empty_menus(self) -> None:
        for name, menu in list(self._menus.items()):
            if not menu.actions():
                self.window.menuBar().removeAction(menu.menuAction())
                menu.deleteLater()
                del self._menus[name]
        self._empty_algorithms.setVisible(
            all(a is self._empty_algorithms for a in self.algorithms_menu.actions()))

    def show_manager(self) -> None:
        from cimviewer.ui.plugin_manager import PluginManagerDialog

        dialog = PluginManagerDialog(self, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    # --- enable / disable -------------------------------------------------------------
    def context(self, name: str) -> PluginContext:
        if name not in self.contexts:
            record = self.manager.records[name]
            ctx = PluginContext(name, self.window.project, record.manifest.state_version,
                                self.window)
            view = getattr(self.window, "view", None)
            if view is not None:
                view.clicked_world.connect(ctx.view_clicked.emit)
            self.contexts[name] = ctx
        return self.contexts[name]

    def _on_enabled(self, name: str) -> None:
        undo = self._undo.setdefault(name, [])
        lang = self.manager.language
        title = localized(self.manager.records[name].manifest.display_name, lang)
        algorithms = [e for e in self.manager.algorithms.values() if e.plugin == name]
        if algorithms:
            submenu = QMenu(title, self.window)
            submenu.setObjectName(f"algorithms_{name}")
            for entry in algorithms:
                action = submenu.addAction(entry.title(lang))
                action.setObjectName(f"algorithm_{entry.qualified_name}")
                action.triggered.connect(
                    lambda _c=False, q=entry.qualified_name: self.open_algorithm(q))
            self.algorithms_menu.addMenu(submenu)
            undo.append(lambda m=submenu: self._remove_menu(self.algorithms_menu, m))
        for contribution in self.manager.contributions(name, "actions"):
            undo.append(self._add_action(name, contribution))
        for contribution in self.manager.contributions(name, "docks"):
            undo.append(self._add_dock(name, contribution))
        for contribution in self.manager.contributions(name, "styles"):
            undo.append(self._add_style(name, contribution))
        self._drop_empty_menus()

    def _on_disabled(self, name: str) -> None:
        for undo in reversed(self._undo.pop(name, [])):
            try:
                undo()
            except Exception as exc:  # removing must never take the window down
                log.error("plugin %r: unregistering failed: %s", name, describe_exception(exc))
        ctx = self.contexts.pop(name, None)
        view = getattr(self.window, "view", None)
        if ctx is not None and view is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                view.clicked_world.disconnect(ctx.view_clicked.emit)
            ctx.view_clicked.disconnect()
        self._drop_empty_menus()

    def _on_problem(self, plugin: str, message: str) -> None:
        self.window.statusBar().showMessage(
            QCoreApplication.translate("PluginHost", "Plugin {0}: {1}").format(plugin, message),
            10000)

    @staticmethod
    def _remove_menu(parent: QMenu, menu: QMenu) -> None:
        parent.removeAction(menu.menuAction())
        menu.deleteLater()

    # --- contributions ----------------------------------------------------------------
    def _add_action(self, name: str, contribution: Contribution) -> Callable[[], None]:
        action = QAction(localized(contribution.title, self.manager.language), self.window)
        action.setObjectName(f"plugin_action_{name}_{contribution.id}")
        action.triggered.connect(lambda _c=False: self.call_action(name, contribution))
        menu = self.menu(str(contribution.options.get("menu", "Tools")))
        menu.addAction(action)
        if contribution.options.get("toolbar"):
            if self.toolbar is None:
                self.toolbar = self.window.addToolBar(self.tr("Plugins"))
                self.toolbar.setObjectName("plugins_toolbar")
            self.toolbar.addAction(action)

        def undo() -> None:
            menu.removeAction(action)
            if self.toolbar is not None:
                self.toolbar.removeAction(action)
                if not self.toolbar.actions():
                    self.window.removeToolBar(self.toolbar)
                    self.toolbar.deleteLater()
                    self.toolbar = None
            action.deleteLater()
        return undo

    def call_action(self, name: str, contribution: Contribution) -> None:
        try:
            fn = self.manager.resolve(name, contribution.target)
        except PluginError as exc:
            self.manager.report_error(exc)
            return
        with self.manager.guard(name, f"action {contribution.id!r}"):
            fn(self.context(name))

    def _add_dock(self, name: str, contribution: Contribution) -> Callable[[], None]:
        """A View-menu entry now; the widget (and the plugin's code) on first show."""
        key = f"{name}.{contribution.id}"
        title = localized(contribution.title, self.manager.language)
        toggle = QAction(title, self.window)
        toggle.setObjectName(f"plugin_dock_toggle_{name}_{contribution.id}")
        toggle.setCheckable(True)
        toggle.toggled.connect(lambda on: self._show_dock(name, contribution, on, toggle))
        view = self.menu("View")
        view.addAction(toggle)

        def undo() -> None:
            view.removeAction(toggle)
            toggle.deleteLater()
            dock = self.docks.pop(key, None)
            if dock is not None:
                self.window.removeDockWidget(dock)
                dock.deleteLater()
        if contribution.options.get("visible"):
            toggle.setChecked(True)
        return undo

    def _show_dock(self, name: str, contribution: Contribution, on: bool, toggle: QAction) -> None:
        key = f"{name}.{contribution.id}"
        dock = self.docks.get(key)
        if dock is None and on:
            dock = self.create_dock(name, contribution)
            if dock is None:
                toggle.blockSignals(True)
                toggle.setChecked(False)
                toggle.blockSignals(False)
                return
            dock.visibilityChanged.connect(lambda visible: self._sync_toggle(toggle, visible))
        if dock is not None:
            dock.setVisible(on)

    @staticmethod
    def _sync_toggle(toggle: QAction, visible: bool) -> None:
        try:
            toggle.blockSignals(True)
            toggle.setChecked(visible)
            toggle.blockSignals(False)
        except RuntimeError:  # the action went with its plugin
            pass

    def create_dock(self, name: str, contribution: Contribution) -> QDockWidget | None:
        try:
            factory = self.manager.resolve(name, contribution.target)
        except PluginError as exc:
            self.manager.report_error(exc)
            return None
        widget = None
        with self.manager.guard(name, f"dock {contribution.id!r}"):
            made = factory(self.context(name))
            if not isinstance(made, QWidget):
                raise TypeError(f"{contribution.target} returned {type(made).__name__}, "
                                "not a QWidget")
            widget = made
        if widget is None:
            return None
        area = AREAS[str(contribution.options.get("area", "right"))]
        dock = self.window._dock(f"plugin_{name}_{contribution.id}",
                                 localized(contribution.title, self.manager.language),
                                 widget, area, restore=True)
        self.docks[f"{name}.{contribution.id}"] = dock
        return dock

    def visible_docks(self) -> list[str]:
        """Keys ("plugin.dock") of the plugin docks on screen, for saved layouts."""
        return sorted(key for key, dock in self.docks.items() if dock.isVisible())

    def show_docks(self, keys: list[str]) -> None:
        """Show these plugin docks (from a saved layout); unknown or disabled ones are
        skipped."""
        from PySide6.QtGui import QAction

        for key in keys:
            name, _, dock_id = str(key).partition(".")
            toggle = self.window.findChild(QAction, f"plugin_dock_toggle_{name}_{dock_id}")
            if toggle is not None and toggle.isEnabled():
                toggle.setChecked(True)

    def _add_style(self, name: str, contribution: Contribution) -> Callable[[], None]:
        if "styles" not in self._menus:
            self._menus["styles"] = self.menu("View").addMenu(self.tr("Plugin &styles"))
        menu = self._menus["styles"]
        action = menu.addAction(localized(contribution.title, self.manager.language))
        action.setObjectName(f"plugin_style_{name}_{contribution.id}")
        key = f"{name}.{contribution.id}"
        action.triggered.connect(lambda _c=False: self.apply_style(key))

        def undo() -> None:
            menu.removeAction(action)
            action.deleteLater()
            if not menu.actions():
                self.menu("View").removeAction(menu.menuAction())
                self._menus.pop("styles", None)
                menu.deleteLater()
        return undo

    def apply_style(self, key: str, layer: Any = None) -> None:
        layer = layer or self.window.layer_panel.current_layer()
        if layer is None:
            self.window.statusBar().showMessage(self.tr("Select a layer first."), 5000)
            return
        try:
            layer.style = self.manager.style(key, layer)
        except PluginError as exc:
            self.manager.report_error(exc)

    # --- algorithms -------------------------------------------------------------------
    def open_algorithm(self, qualified_name: str) -> QWidget | None:
        from cimviewer.ui.algorithm_dialog import AlgorithmDialog

        plugin = qualified_name.partition(".")[0]
        try:
            algorithm = self.manager.algorithm(qualified_name)
        except KeyError as exc:
            self.manager.report(plugin, str(exc.args[0]))
            return None
        except PluginError as exc:
            self.manager.report_error(exc)
            return None
        dialog = AlgorithmDialog(self, algorithm, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialogs.append(dialog)
        dialog.destroyed.connect(lambda _o=None, d=dialog: self._forget(d))
        dialog.show()
        return dialog

    def _forget(self, dialog: QWidget) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)
