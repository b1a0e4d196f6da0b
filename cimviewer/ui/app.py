"""Starting the desktop application."""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from cimviewer.ui.i18n import install_translators, resolve_language
from cimviewer.ui.main_window import MainWindow
from cimviewer.ui.tasks import Task

log = logging.getLogger("cimviewer")


def create_app(language: str | None = None, argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or [sys.argv[0]])
    app.setApplicationName("cimviewer")
    app.setOrganizationName("cimviewer")
    lang = resolve_language(language)
    app._cimviewer_translators = install_translators(app, lang)  # keep alive
    app._cimviewer_language = lang
    return app


def demo_layer_names() -> dict[str, str]:
    """The demo city's layer names in the UI language."""
    translate = QCoreApplication.translate
    return {
        "Terrain": translate("Demo", "Terrain"),
        "Buildings": translate("Demo", "Buildings"),
        "Roads": translate("Demo", "Roads"),
        "Poles": translate("Demo", "Poles"),
        "Substations": translate("Demo", "Substations"),
        "Fibre nodes": translate("Demo", "Fibre nodes"),
        "Sensors": translate("Demo", "Sensors"),
    }


def load_demo_into(window: MainWindow) -> Task:
    """Load the demo city off the GUI thread and add its layers when ready."""
    from cimviewer.io.demo import open_demo_project

    names = demo_layer_names()
    task = Task(lambda progress, cancelled: open_demo_project(names=names))
    task.signals.finished.connect(lambda project: window.show_demo(list(project.layers)))
    task.signals.failed.connect(lambda msg, _d: log.error(msg))
    window.run_task(task)
    return task


def report_first_frame(window: MainWindow, t0: float) -> None:
    """Print the time to the first frame that shows layers (for benchmarks/startup.py)."""
    render_window = window.view.render_window
    state = {"tag": None}

    def on_render(*_args) -> None:
        if len(window.project.layers) and state["tag"] is not None:
            print(f"first-frame {time.perf_counter() - t0:.3f}", flush=True)
            render_window.RemoveObserver(state["tag"])
            state["tag"] = None
            if os.environ.get("CIMVIEWER_EXIT_AFTER_FIRST_FRAME"):
                QApplication.instance().quit()

    state["tag"] = render_window.AddObserver("EndEvent", on_render)


def run_gui(path: str | None, language: str | None) -> int:
    t0 = time.perf_counter()
    app = create_app(language)
    window = MainWindow()
    if os.environ.get("CIMVIEWER_REPORT_FIRST_FRAME"):
        report_first_frame(window, t0)
    window.show()
    if window.project_controller.offer_recovery():
        pass  # the restored project replaces the file or the demo
    elif path:
        window.open_path(Path(path))  # a .cimproj opens as a project
    else:
        load_demo_into(window)
    return app.exec()
