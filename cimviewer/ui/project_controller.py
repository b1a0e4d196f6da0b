"""Project files in the main window: File menu actions, title bar, close prompt,
autosave timer, crash recovery, relocating missing data, and the window layout.

The file format and all decisions that need no Qt live in ``cimviewer.io``
(project_file, autosave, project_relocate); this module only wires them to widgets.
"""

from __future__ import annotations

import base64
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QObject, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from cimviewer.core.layers import MissingLayer
from cimviewer.io.errors import ReadError
from cimviewer.io.project.autosave import (
    AutosaveSession,
    Recoverable,
    find_recoverable,
    resolve_interval,
)
from cimviewer.io.project.file import (
    SUFFIX,
    apply_document,
    forget_file_state,
    load_layers,
    read_document,
    save_project,
)
from cimviewer.io.project.relocate import reopen_missing, replace_layers
from cimviewer.ui.tasks import Task

if TYPE_CHECKING:
    from cimviewer.ui.main_window import MainWindow

log = logging.getLogger("cimviewer")
#: bump when docks are added, removed or renamed: older saved layouts are then ignored
LAYOUT_VERSION = 1
MAX_RECENT_PROJECTS = 10
Button = QMessageBox.StandardButton


class ProjectController(QObject):
    """Owns everything about the project *file* of one main window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.project = window.project
        self.settings = window.settings
        self.default_layout = QByteArray(window.saveState(LAYOUT_VERSION))
        self.autosave = AutosaveSession()
        self._closed = False
        self._build_actions()
        self.project.modified_changed.connect(self._on_modified)
        self.project.path_changed.connect(lambda _p: self.update_title())
        self.project.layers.events.inserted.connect(lambda *_a: self._update_actions())
        self.project.layers.events.removed.connect(lambda *_a: self._update_actions())
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.autosave_now)
        interval = resolve_interval(self.settings.value("autosave/interval_seconds"))
        if interval:
            self.timer.start(interval * 1000)
        self.update_title()
        self._update_actions()

    # --- actions ------------------------------------------------------------------
    def _action(self, text: str, slot: Any, shortcut: Any = None) -> QAction:
        action = QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_actions(self) -> None:
        self.new_action = self._action(self.tr("&New Project"), self.new_project,
                                       QKeySequence.StandardKey.New)
        self.open_action = self._action(self.tr("Open &Project…"), self.open_dialog,
                                        QKeySequence("Ctrl+Shift+O"))
        self.save_action = self._action(self.tr("&Save Project"), self.save,
                                        QKeySequence.StandardKey.Save)
        self.save_as_action = self._action(self.tr("Save Project &As…"), self.save_as,
                                           QKeySequence.StandardKey.SaveAs)
        self.relocate_action = self._action(self.tr("&Locate Missing Data…"),
                                            self.relocate_dialog)
        self.recent_menu = QMenu(self.tr("Recent Projec&ts"), self.window)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        menu = self.window.menuBar().actions()[0].menu()  # File
        before = self.window.quit_action
        for action in (self.new_action, self.open_action, self.save_action,
                       self.save_as_action):
            menu.insertAction(before, action)
        menu.insertMenu(before, self.recent_menu)
        menu.insertAction(before, self.relocate_action)
        menu.insertSeparator(before)

    def _update_actions(self) -> None:
        self.relocate_action.setEnabled(
            any(isinstance(layer, MissingLayer) for layer in self.project.layers))

    # --- title bar ----------------------------------------------------------------
    def update_title(self) -> None:
        path = self.project.path
        name = Path(path).stem if path is not None else self.tr("Untitled")
        self.window.setWindowTitle(self.tr("{0}[*] — cimviewer").format(name))
        self.window.setWindowModified(self.project.modified)

    def _on_modified(self, modified: bool) -> None:
        self.window.setWindowModified(modified)
        if not modified:
            self.autosave.discard()

    # --- window layout ------------------------------------------------------------
    def layout(self) -> dict[str, Any]:
        state = bytes(self.window.saveState(LAYOUT_VERSION))
        # plugin docks are made when first shown: the state alone cannot bring them back
        return {"version": LAYOUT_VERSION, "state": base64.b64encode(state).decode("ascii"),
                "plugin_docks": self.window.plugin_host.visible_docks()}

    def restore_layout(self, layout: dict[str, Any] | None) -> bool:
        """Apply a saved layout; anything unusable gives the default layout instead."""
        if layout and layout.get("version") == LAYOUT_VERSION:
            try:
                state = QByteArray(base64.b64decode(layout.get("state", ""), validate=True))
            except ValueError:
                state = None
            if state is not None and self.window.restoreState(state, LAYOUT_VERSION):
                self.window.plugin_host.show_docks(layout.get("plugin_docks") or [])
                return True
            log.warning(self.tr("The saved window layout could not be used: using the default"))
        self.window.restoreState(self.default_layout, LAYOUT_VERSION)
        return False

    # --- unsaved changes ----------------------------------------------------------
    def ask_save_changes(self) -> QMessageBox.StandardButton:
        name = self.project.path.name if self.project.path else self.tr("Untitled")
        return QMessageBox.question(
            self.window, self.tr("Unsaved changes"),
            self.tr("The project “{0}” has unsaved changes. Save them?").format(name),
            Button.Save | Button.Discard | Button.Cancel, Button.Save)

    def maybe_save(self) -> bool:
        """True when it is fine to drop the current project (saved, discarded, clean)."""
        if not self.project.modified:
            return True
        answer = self.ask_save_changes()
        if answer == Button.Save:
            return self.save()
        return answer == Button.Discard

    def confirm_close(self) -> bool:
        """Called by the window's closeEvent: False keeps the window open."""
        if self._closed:
            return True
        if not self.maybe_save():
            return False
        self.shutdown()
        return True

    def shutdown(self) -> None:
        """Clean exit: stop the timer and delete the autosave."""
        self._closed = True
        self.timer.stop()
        self.autosave.close()

    # --- new / save ---------------------------------------------------------------
    def new_project(self) -> bool:
        if not self.maybe_save():
            return False
        self.window.cancel_tasks()
        self.project.clear()
        forget_file_state(self.project)
        self.project.time.update_from_dict({})
        self.project.mark_saved()
        self.autosave.discard()
        self.update_title()
        return True

    def save(self) -> bool:
        if self.project.path is None:
            return self.save_as()
        return self.save_to(Path(self.project.path))

    def save_as(self) -> bool:
        start = str(self.project.path or Path.home() / (self.tr("Untitled") + SUFFIX))
        path, _ = QFileDialog.getSaveFileName(self.window, self.tr("Save Project As"), start,
                                              self._filter())
        return bool(path) and self.save_to(Path(path))

    def save_to(self, path: Path) -> bool:
        try:
            saved = save_project(self.project, path, layout=self.layout())
        except (OSError, ReadError) as exc:
            message = exc.one_line() if isinstance(exc, ReadError) else f"{path}: {exc}"
            log.error(message)
            QMessageBox.critical(self.window, self.tr("Could not save the project"), message)
            return False
        self.autosave.discard()
        self.add_recent(saved)
        self.update_title()
        self.window.statusBar().showMessage(self.tr("Saved {0}").format(saved.name), 5000)
        return True

    # --- open ---------------------------------------------------------------------
    def _filter(self) -> str:
        return self.tr("cimviewer projects (*{0});;All files (*)").format(SUFFIX)

    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        path, _ = QFileDialog.getOpenFileName(self.window, self.tr("Open Project"), "",
                                              self._filter())
        if path:
            self.open_file(Path(path))

    def open_project(self, path: str | Path) -> Task | None:
        """Ask about unsaved changes, then open ``path`` (for recent files, drops, argv)."""
        return self.open_file(Path(path)) if self.maybe_save() else None

    def open_file(self, path: Path, *, recovered: Recoverable | None = None) -> Task:
        """Read a project off the GUI thread, then fill the window's project with it."""
        base_dir = recovered.base_dir if recovered is not None else None

        def work(progress, cancelled):
            doc = read_document(path, base_dir=base_dir)
            layers, messages = load_layers(doc, progress=progress, cancelled=cancelled)
            return doc, layers, messages

        log.info(self.tr("Opening project %s"), path)
        task = Task(work)
        task.signals.finished.connect(lambda result: self._opened(path, result, recovered))
        task.signals.failed.connect(lambda message, details: self._open_failed(message, details))
        self.window._run(task)
        return task

    def _opened(self, path: Path, result: tuple, recovered: Recoverable | None) -> None:
        doc, layers, messages = result
        try:  # all or nothing: on failure the previous project is back in place
            apply_document(self.project, doc, layers)
        except ReadError as exc:
            self._open_failed(exc.one_line(), "")
            return
        self.restore_layout(doc.layout)
        for message in doc.messages + messages:
            log.warning(message)
        if recovered is not None:
            self.project.path = recovered.original
            self.project.mark_modified()
            self.autosave_now()
            recovered.discard()
        else:
            self.add_recent(path)
        self.update_title()
        missing = sum(isinstance(layer, MissingLayer) for layer in self.project.layers)
        if missing:
            self._show_message(self.tr("Missing data"), self.tr(
                "{0} layer(s) could not be found. Use File > Locate Missing Data… to point to the folder that holds them.").format(missing))  # noqa: E501
        self.window.statusBar().showMessage(self.tr("Opened {0}").format(path.name), 5000)

    def _open_failed(self, message: str, details: str) -> None:
        log.error(message)
        log.debug(details)
        self._show_message(self.tr("Could not open the project"), message)

    def _show_message(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, Button.Ok, self.window)
        box.setObjectName("project_message")
        box.open()

    # --- recent projects ----------------------------------------------------------
    def recent(self) -> list[str]:
        value = self.settings.value("recent_projects", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def add_recent(self, path: Path) -> None:
        entry = str(Path(path).resolve())
        files = [entry] + [f for f in self.recent() if f != entry]
        self.settings.setValue("recent_projects", files[:MAX_RECENT_PROJECTS])

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.recent()
        if not files:
            self.recent_menu.addAction(self.tr("(none)")).setEnabled(False)
        for f in files:
            self.recent_menu.addAction(f, lambda f=f: self.open_project(f))

    # --- missing data -------------------------------------------------------------
    def relocate_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self.window, self.tr("Folder that holds the missing data"))
        if folder:
            self.relocate(Path(folder))

    def relocate(self, folder: Path) -> Task:
        """Look for every missing layer in ``folder`` (and its sub-paths) at once."""
        task = Task(lambda progress, cancelled: reopen_missing(self.project, folder,
                                                               cancelled=cancelled))
        task.signals.finished.connect(lambda result: self._relocated(folder, *result))
        task.signals.failed.connect(lambda message, details: self._open_failed(message, details))
        self.window._run(task)
        return task

    def _relocated(self, folder: Path, found: dict, messages: list[str]) -> None:
        count = replace_layers(self.project, found)
        for message in messages:
            log.warning(message)
        left = sum(isinstance(layer, MissingLayer) for layer in self.project.layers)
        text = self.tr("Found {0} layer(s) in {1}; {2} still missing.").format(count, folder, left)
        log.info(text)
        self.window.statusBar().showMessage(text, 8000)
        self._update_actions()

    # --- autosave and recovery ----------------------------------------------------
    def autosave_now(self) -> bool:
        """Autosave when the project has unsaved changes; errors are logged only."""
        if not self.project.modified or self._closed:
            return False
        try:
            return self.autosave.save(self.project, self.layout())
        except (OSError, ReadError) as exc:
            log.warning(self.tr("Autosave failed: %s"), exc)
            return False

    def ask_restore(self, recoverable: Recoverable) -> bool:
        name = recoverable.original.name if recoverable.original else self.tr("Untitled")
        answer = QMessageBox.question(
            self.window, self.tr("Recover unsaved work"),
            self.tr("cimviewer did not close properly. Restore the unsaved changes to “{0}” (autosaved {1})?").format(  # noqa: E501
                name, recoverable.saved_at),
            Button.Yes | Button.No, Button.Yes)
        return answer == Button.Yes

    def offer_recovery(self) -> bool:
        """At start: offer the newest autosave a crashed session left. True if restoring."""
        found = find_recoverable(self.autosave.folder)
        if not found:
            return False
        newest = found[0]
        if not self.ask_restore(newest):
            newest.discard()
            return False
        self.open_file(newest.path, recovered=newest)
        return True
