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

from cimviewer.core.layers import CityModelLayer, MissingLayer
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
from cimviewer.ui.recent import RecentList
from cimviewer.ui.tasks import Task

if TYPE_CHECKING:
    from cimviewer.ui.shell import Shell

log = logging.getLogger("cimviewer")
#: bump when docks are added, removed or renamed: older saved layouts are then ignored
LAYOUT_VERSION = 1
MAX_RECENT_PROJECTS = 10
Button = QMessageBox.StandardButton


class ProjectController(QObject):
    """Owns everything about the project *file* of one main window."""

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        self.shell = shell
        self.project = shell.project
        self.settings = shell.settings
        self.recent = RecentList(self.settings, "recent_projects", MAX_RECENT_PROJECTS)
        self.default_layout = QByteArray(shell.save_state(LAYOUT_VERSION))
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
        return self.shell.new_action(text, slot, shortcut=shortcut)

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
        self.recent_menu = QMenu(self.tr("Recent Projec&ts"), self.shell.dialog_parent())
        self.recent_menu.aboutToShow.connect(
            lambda: self.recent.fill_menu(self.recent_menu, self.open_project))
        for action in (self.new_action, self.open_action, self.save_action,
                       self.save_as_action, self.recent_menu.menuAction(),
                       self.relocate_action):
            self.shell.add_action("file", action, before="file.quit")
        separator = QAction(self)
        separator.setSeparator(True)
        self.shell.add_action("file", separator, before="file.quit")

    def _update_actions(self) -> None:
        self.relocate_action.setEnabled(
            any(isinstance(layer, MissingLayer) for layer in self.project.layers))

    # --- title bar ----------------------------------------------------------------
    def update_title(self) -> None:
        path = self.project.path
        name = Path(path).stem if path is not None else self.tr("Untitled")
        self.shell.set_title(self.tr("{0}[*] — cimviewer").format(name), self.project.modified)

    def _on_modified(self, modified: bool) -> None:
        self.shell.set_modified(modified)
        if not modified:
            self.autosave.discard()

    # --- window layout ------------------------------------------------------------
    def layout(self) -> dict[str, Any]:
        state = self.shell.save_state(LAYOUT_VERSION)
        # plugin docks are made when first shown: the state alone cannot bring them back
        return {"version": LAYOUT_VERSION, "state": base64.b64encode(state).decode("ascii"),
                "plugin_docks": self.shell.dock_keys(), "parts": self.shell.saved_parts()}

    def restore_layout(self, layout: dict[str, Any] | None) -> bool:
        """Apply a saved layout; anything unusable gives the default layout instead."""
        if layout and layout.get("version") == LAYOUT_VERSION:
            try:
                state = QByteArray(base64.b64decode(layout.get("state", ""), validate=True))
            except ValueError:
                state = None
            if state is not None and self.shell.restore_state(state, LAYOUT_VERSION):
                self.shell.show_docks(layout.get("plugin_docks") or [])
                self.shell.restore_parts(layout.get("parts") or {})
                return True
            log.warning(self.tr("The saved window layout could not be used: using the default"))
        self.shell.restore_state(self.default_layout, LAYOUT_VERSION)
        return False

    # --- unsaved changes ----------------------------------------------------------
    def ask_save_changes(self) -> QMessageBox.StandardButton:
        name = self.project.path.name if self.project.path else self.tr("Untitled")
        return QMessageBox.question(
            self.shell.dialog_parent(), self.tr("Unsaved changes"),
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
        self.shell.cancel_tasks()
        self.project.clear()
        forget_file_state(self.project)
        self.project.time.update_from_dict({})
        self.project.mark_saved()
        self.autosave.discard()
        self.update_title()
        self.project.replaced.emit()
        return True

    def save(self) -> bool:
        if self.project.path is None:
            return self.save_as()
        return self.save_to(Path(self.project.path))

    def save_as(self) -> bool:
        start = str(self.project.path or Path.home() / (self.tr("Untitled") + SUFFIX))
        path, _ = QFileDialog.getSaveFileName(self.shell.dialog_parent(),
                                              self.tr("Save Project As"), start, self._filter())
        return bool(path) and self.save_to(Path(path))

    def save_to(self, path: Path) -> bool:
        try:
            saved = save_project(self.project, path, layout=self.layout())
        except (OSError, ReadError) as exc:
            message = exc.one_line() if isinstance(exc, ReadError) else f"{path}: {exc}"
            log.error(message)
            QMessageBox.critical(self.shell.dialog_parent(),
                                 self.tr("Could not save the project"), message)
            return False
        self.autosave.discard()
        self.recent.add(saved)
        self.update_title()
        self.shell.show_status(self.tr("Saved {0}").format(saved.name))
        return True

    # --- open ---------------------------------------------------------------------
    def _filter(self) -> str:
        return self.tr("cimviewer projects (*{0});;All files (*)").format(SUFFIX)

    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        path, _ = QFileDialog.getOpenFileName(self.shell.dialog_parent(),
                                              self.tr("Open Project"), "", self._filter())
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
        self.shell.run_task(task)
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
            self.recent.add(path)
        self.update_title()
        missing = sum(isinstance(layer, MissingLayer) for layer in self.project.layers)
        problems = []
        if missing:
            problems.append(self.tr(
                "{0} layer(s) could not be found. Use File > Locate Missing Data… to point to the folder that holds them.").format(missing))  # noqa: E501
        failed = [joined for layer in self.project.layers if isinstance(layer, CityModelLayer)
                  for joined in layer.joins if not joined.applied]
        if failed:
            problems.append(self.tr(
                "{0} table join(s) could not be applied, first {1}: {2}. They stay in the project; apply them again with Layer > Join table….").format(  # noqa: E501
                    len(failed), failed[0].spec.describe(), failed[0].error))
        if problems:
            self._show_message(self.tr("Missing data"), "\n\n".join(problems))
        self.shell.show_status(self.tr("Opened {0}").format(path.name))

    def _open_failed(self, message: str, details: str) -> None:
        log.error(message)
        log.debug(details)
        self._show_message(self.tr("Could not open the project"), message)

    def _show_message(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, Button.Ok,
                          self.shell.dialog_parent())
        box.setObjectName("project_message")
        box.open()

    # --- missing data -------------------------------------------------------------
    def relocate_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self.shell.dialog_parent(), self.tr("Folder that holds the missing data"))
        if folder:
            self.relocate(Path(folder))

    def relocate(self, folder: Path) -> Task:
        """Look for every missing layer in ``folder`` (and its sub-paths) at once."""
        task = Task(lambda progress, cancelled: reopen_missing(self.project, folder,
                                                               cancelled=cancelled))
        task.signals.finished.connect(lambda result: self._relocated(folder, *result))
        task.signals.failed.connect(lambda message, details: self._open_failed(message, details))
        self.shell.run_task(task)
        return task

    def _relocated(self, folder: Path, found: dict, messages: list[str]) -> None:
        count = replace_layers(self.project, found)
        for message in messages:
            log.warning(message)
        left = sum(isinstance(layer, MissingLayer) for layer in self.project.layers)
        text = self.tr("Found {0} layer(s) in {1}; {2} still missing.").format(count, folder, left)
        log.info(text)
        self.shell.show_status(text, 8000)
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
            self.shell.dialog_parent(), self.tr("Recover unsaved work"),
            self.tr("cimviewer did not close properly. Restore the unsaved changes to “{0}” (autosaved {1})?").format(  # noqa: E501
                name, local_time_text(recoverable.saved_at)),
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


def local_time_text(iso: str) -> str:
    """An autosave time (ISO 8601, UTC) as the user's own clock reads it, to the minute:
    "2026-11-26 11:05", not "2026-11-26T03:05:12.345678+00:00"."""
    from datetime import datetime, timezone

    try:
        moment = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")
