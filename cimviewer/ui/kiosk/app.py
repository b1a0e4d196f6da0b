"""Starting the kiosk: logging to files, no dialogs, the project (or the demo) loaded
off the GUI thread with the same code as the desktop app."""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QtMsgType, qInstallMessageHandler

from cimviewer.core.kiosk import KioskSettings
from cimviewer.core.project import Project
from cimviewer.ui.app import create_app
from cimviewer.ui.kiosk.heartbeat import Heartbeat
from cimviewer.ui.kiosk.window import KioskWindow
from cimviewer.ui.tasks import Task

log = logging.getLogger("cimviewer")


@dataclass
class KioskOptions:
    project: Path | None = None
    monitor: int | None = None
    language: str | None = None
    windowed: bool = False
    heartbeat: Path | None = None
    #: settings that override the project's kiosk section (timeouts for tests, demos)
    overrides: dict[str, Any] = field(default_factory=dict)
    lock: bool = True


def _log_uncaught(kind: type[BaseException], exc: BaseException, tb: Any) -> None:
    log.error("kiosk: uncaught error (the kiosk keeps running)", exc_info=(kind, exc, tb))


def _qt_messages(mode: QtMsgType, _context: Any, message: str) -> None:
    level = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
             QtMsgType.QtWarningMsg: logging.WARNING}.get(mode, logging.ERROR)
    log.log(level, "Qt: %s", message)


def read_kiosk_settings(path: Path | None) -> tuple[Any, KioskSettings | None]:
    """The project document (no data read yet) and its kiosk section; (None, None)
    when the file cannot be read (logged; the kiosk then shows the demo)."""
    if path is None:
        return None, None
    from cimviewer.io.project.file import ProjectError, read_document

    try:
        doc = read_document(path)
    except ProjectError as exc:
        log.error("kiosk: %s; showing the demo city instead", exc.one_line())
        return None, None
    for message in doc.messages:
        log.warning("kiosk: %s", message)
    return doc, doc.kiosk


def load_into(window: KioskWindow, doc: Any) -> Task:
    """Read the project's layers (or the demo) off the GUI thread, then present."""
    from cimviewer.io.demo import open_demo_project

    if doc is None:
        task = Task(lambda progress, cancelled: list(open_demo_project().layers))
    else:
        from cimviewer.io.project.file import load_layers

        task = Task(lambda progress, cancelled: load_layers(doc, progress=progress,
                                                            cancelled=cancelled))
    task.signals.finished.connect(lambda result: _loaded(window, doc, result))
    task.signals.failed.connect(lambda message, _details: _failed(window, doc, message))
    return window.run_task(task)


def _loaded(window: KioskWindow, doc: Any, result: Any) -> None:
    if doc is None:
        for layer in result:
            window.project.add_layer(layer)
        window.project.mark_saved()
    else:
        from cimviewer.io.project.file import ProjectError, apply_document

        layers, messages = result
        for message in messages:
            log.warning("kiosk: %s", message)
        try:
            apply_document(window.project, doc, layers)
        except ProjectError as exc:
            _failed(window, doc, exc.one_line())
            return
    window.present()


def _failed(window: KioskWindow, doc: Any, message: str) -> None:
    log.error("kiosk: %s", message)
    if doc is not None:  # a broken project: the demo rather than an empty screen
        log.error("kiosk: showing the demo city instead")
        load_into(window, None)


def open_kiosk(options: KioskOptions, preread: tuple[Any, KioskSettings | None] | None = None
               ) -> KioskWindow:
    """Create, show and start loading the kiosk (the QApplication must exist);
    ``preread`` is what :func:`read_kiosk_settings` returned, when already called."""
    doc, settings = preread if preread is not None else read_kiosk_settings(options.project)
    settings = (settings or KioskSettings()).with_(**options.overrides)
    window = KioskWindow(Project(), settings, language=options.language, lock=options.lock)
    if options.heartbeat is not None:
        beat = Heartbeat(options.heartbeat)
        window.heartbeat = beat
        beat.attach(window.view.render_window)
    window.show_on_monitor(options.monitor, full_screen=not options.windowed)
    load_into(window, doc)
    return window


def run_kiosk(options: KioskOptions) -> int:
    """The ``cimviewer kiosk`` command: runs until the operator leaves with the PIN."""
    t0 = time.perf_counter()
    preread = read_kiosk_settings(options.project)
    language = options.language or (preread[1] or KioskSettings()).language
    app = create_app(language)
    sys.excepthook = _log_uncaught
    qInstallMessageHandler(_qt_messages)
    options.language = language
    window = open_kiosk(options, preread)
    log.info("kiosk: window up after %.2f s (project: %s)", time.perf_counter() - t0,
             options.project or "the demo city")
    code = app.exec()
    log.info("kiosk: exit %d", code)
    del window
    return code
