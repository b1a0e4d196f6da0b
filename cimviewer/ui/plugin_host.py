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
from PySide6.QtWidgets import QApplication, QDockWidget, QMenu, QWidget

from cimviewer.plugins.context import PluginContext
from cimviewer.plugins.loader import PluginError, describe_exception
from cimviewer.plugins.manager import PluginManager
from cimviewer.plugins.manifest import Contribution, localized
from cimviewer.ui.plugin_gui import PluginGui
from cimviewer.ui.shell import AREAS

if TYPE_CHECKING:
    from cimviewer.ui.shell import Shell

log = logging.getLogger("cimviewer")
SETTINGS_KEY = "plugins/disabled"
#: menu names in manifests (English titles, API 1.0) and the shell's menu ids
MENU_IDS = {"File": "file", "View": "view", "Tools": "tools", "Help": "help",
            "Algorithms": "algorithms", "Sensors": "sensors"}


def ui_language() -> str:
    return getattr(QApplication.instance(), "_cimviewer_language", "en") or "en"


class PluginHost(QObject):
    """Owns the PluginManager of a main window and its GUI registrations."""

    def __init__(self, shell: Shell, *, discover: bool = True) -> None:
        super().__init__(shell)
        self.shell = shell
        self.manager = PluginManager(ui_language())
        self.contexts: dict[str, PluginContext] = {}
        self.docks: dict[str, QDockWidget] = {}
        self._undo: dict[str, list[Callable[[], None]]] = {}
        self._menus: dict[str, QMenu] = {}  # plugins' own top-level menus, by title
        self._styles_menu: QMenu | None = None  # View > Plugin styles
        self.dialogs: list[QWidget] = []
        shell.set_dock_registry(self.visible_docks, self.show_docks)
        shell.set_toolbar_title("plugins", self.tr("Plugins"))
        self.manager.plugin_enabled.connect(self._on_enabled)
        self.manager.plugin_disabled.connect(self._on_disabled)
        self.manager.problem.connect(self._on_problem)
        self._build_menus()
        if discover:
            self.manager.discover()
            self.manager.enable_all(self.disabled_names())

    # --- settings ---------------------------------------------------------------------
    def disabled_names(self) -> set[str]:
        value = self.shell.settings.value(SETTINGS_KEY, [])
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
        self.shell.settings.setValue(SETTINGS_KEY, sorted(disabled))
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
        self.plugins_action = self.shell.new_action(self.tr("&Plugins…"), self.show_manager,
                                                    object_name="plugins_action")
        self.shell.menu("tools").addSeparator()
        self.shell.add_action("tools", self.plugins_action)
        self.algorithms_menu = self.shell.menu("algorithms", self.tr("&Algorithms"))
        self.algorithms_menu.setObjectName("algorithms_menu")
        self._empty_algorithms = self.algorithms_menu.addAction(self.tr("(no algorithms)"))
        self._empty_algorithms.setEnabled(False)

    def menu_id(self, name: str) -> str:
        """The shell's id of a manifest's menu name; a plugin's own menu is made."""
        menu_id = MENU_IDS.get(name, name)
        try:
            self.shell.menu(menu_id)
        except KeyError:
            menu_id = f"plugin:{name}"
            self._menus[name] = self.shell.menu(menu_id, name)
        return menu_id

    def menu(self, name: str) -> QMenu:
        """A menu by manifest name: a standard one ("Tools", or its id "tools"), or the
        plugin's own top-level menu of that title."""
        return self.shell.menu(self.menu_id(name))

    def _drop_empty_menus(self) -> None:
        for name, menu in list(self._menus.items()):
            if not menu.actions():
                self.shell.remove_menu(f"plugin:{name}")
                del self._menus[name]
        self._empty_algorithms.setVisible(
            all(a is self._empty_algorithms for a in self.algorithms_menu.actions()))

    def show_manager(self) -> None:
        from cimviewer.ui.plugin_manager import PluginManagerDialog

        dialog = PluginManagerDialog(self, self.shell.dialog_parent())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    # --- enable / disable -------------------------------------------------------------
    def context(self, name: str) -> PluginContext:
        if name not in self.contexts:
            record = self.manager.records[name]
            ctx = PluginContext(name, self.shell.project, record.manifest.state_version,
                                self.shell.dialog_parent())
            ctx.gui = PluginGui(self.shell, ctx, self)
            self.shell.view_clicked.connect(ctx.view_clicked.emit)
            self.contexts[name] = ctx
        return self.contexts[name]

    def _on_enabled(self, name: str) -> None:
        undo = self._undo.setdefault(name, [])
        lang = self.manager.language
        title = localized(self.manager.records[name].manifest.display_name, lang)
        algorithms = [e for e in self.manager.algorithms.values() if e.plugin == name]
        if algorithms:
            submenu = QMenu(title, self.algorithms_menu)
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
        if ctx is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                self.shell.view_clicked.disconnect(ctx.view_clicked.emit)
            ctx.view_clicked.disconnect()
            if ctx.gui is not None:
                ctx.gui.dispose()
        self._drop_empty_menus()

    def shutdown(self) -> None:
        """The window closes: let every plugin's context and GUI registrations go (the
        plugins stay enabled in the settings)."""
        for name in list(self.contexts):
            ctx = self.contexts.pop(name)
            with contextlib.suppress(RuntimeError, TypeError):
                self.shell.view_clicked.disconnect(ctx.view_clicked.emit)
            ctx.view_clicked.disconnect()
            if ctx.gui is not None:
                ctx.gui.dispose()
                ctx.gui = None
            ctx.window = None
        for dialog in list(self.dialogs):
            dialog.close()

    def _on_problem(self, plugin: str, message: str) -> None:
        self.shell.show_status(
            QCoreApplication.translate("PluginHost", "Plugin {0}: {1}").format(plugin, message),
            10000)

    @staticmethod
    def _remove_menu(parent: QMenu, menu: QMenu) -> None:
        parent.removeAction(menu.menuAction())
        menu.deleteLater()

    # --- contributions ----------------------------------------------------------------
    def _add_action(self, name: str, contribution: Contribution) -> Callable[[], None]:
        action = self.shell.new_action(
            localized(contribution.title, self.manager.language),
            lambda: self.call_action(name, contribution),
            object_name=f"plugin_action_{name}_{contribution.id}")
        menu_id = self.menu_id(str(contribution.options.get("menu", "Tools")))
        remove = self.shell.add_action(
            menu_id, action, toolbar="plugins" if contribution.options.get("toolbar") else None)

        def undo() -> None:
            remove()
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
        toggle = QAction(title, self)
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
                self.shell.remove_dock(dock)
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
            if on:
                dock.raise_()  # the front tab of its group
                self.shell.give_room(dock)

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
        area = str(contribution.options.get("area", "right"))
        # plugin docks of one area share a tab group: a column of tall forms would
        # not fit any screen
        group = next((d for d in self.docks.values()
                      if self.shell.dock_area(d) == AREAS.get(area)), None)
        dock = self.shell.add_dock(f"plugin_{name}_{contribution.id}",
                                   localized(contribution.title, self.manager.language),
                                   widget, area, restore=True, tab_with=group, scroll=True)
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
            toggle = self.findChild(QAction, f"plugin_dock_toggle_{name}_{dock_id}")
            if toggle is not None and toggle.isEnabled():
                toggle.setChecked(True)

    def _add_style(self, name: str, contribution: Contribution) -> Callable[[], None]:
        if self._styles_menu is None:
            self._styles_menu = self.shell.menu("view").addMenu(self.tr("Plugin &styles"))
        menu = self._styles_menu
        action = menu.addAction(localized(contribution.title, self.manager.language))
        action.setObjectName(f"plugin_style_{name}_{contribution.id}")
        key = f"{name}.{contribution.id}"
        action.triggered.connect(lambda _c=False: self.apply_style(key))

        def undo() -> None:
            menu.removeAction(action)
            action.deleteLater()
            if not menu.actions():
                self.shell.menu("view").removeAction(menu.menuAction())
                self._styles_menu = None
                menu.deleteLater()
        return undo

    def apply_style(self, key: str, layer: Any = None) -> None:
        layer = layer or self.shell.current_layer()
        if layer is None:
            self.shell.show_status(self.tr("Select a layer first."))
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
        dialog = AlgorithmDialog(self, algorithm, self.shell.dialog_parent())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialogs.append(dialog)
        dialog.destroyed.connect(lambda _o=None, d=dialog: self._forget(d))
        dialog.show()
        return dialog

    def _forget(self, dialog: QWidget) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)
