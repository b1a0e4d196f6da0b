"""The main window: 3D view in the centre, layer panel, inspector and log as docks."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QWidget,
)

from cimviewer.core.layers import Layer
from cimviewer.core.project import Project
from cimviewer.ui.about import show_about
from cimviewer.ui.bookmarks_panel import BookmarksPanel
from cimviewer.ui.inspector import Inspector
from cimviewer.ui.layer_panel import LayerPanel
from cimviewer.ui.log_panel import LogPanel
from cimviewer.ui.search_panel import SearchPanel
from cimviewer.ui.tasks import Task, start
from cimviewer.ui.view import ViewWidget

log = logging.getLogger("cimviewer")
MAX_RECENT = 10


class MainWindow(QMainWindow):
    def __init__(self, project: Project | None = None, settings: QSettings | None = None):
        super().__init__()
        self.project = project or Project()
        self.settings = settings or QSettings("cimviewer", "cimviewer")
        self.setWindowTitle(self.tr("cimviewer"))
        self.resize(1400, 900)
        self.setAcceptDrops(True)
        self.tasks: list[Task] = []

        self.view = ViewWidget(self.project, self)
        self.setCentralWidget(self.view)
        self.layer_panel = LayerPanel(self.project, self)
        self.inspector = Inspector(self.project, self)
        self.log_panel = LogPanel(self)
        logging.getLogger("cimviewer").addHandler(self.log_panel.handler)
        logging.getLogger("cimviewer").setLevel(logging.INFO)

        self.layers_dock = self._dock("layers", self.tr("Layers"), self.layer_panel,
                                      Qt.DockWidgetArea.LeftDockWidgetArea)
        self.inspector_dock = self._dock("inspector", self.tr("Inspector"), self.inspector,
                                         Qt.DockWidgetArea.RightDockWidgetArea)
        self.log_dock = self._dock("log", self.tr("Log"), self.log_panel,
                                   Qt.DockWidgetArea.BottomDockWidgetArea)
        self.bookmarks_panel = BookmarksPanel(self.project, self.view.fly_to, self)
        self.bookmarks_dock = self._dock("bookmarks", self.tr("Bookmarks"), self.bookmarks_panel,
                                         Qt.DockWidgetArea.RightDockWidgetArea)
        self.search_panel = SearchPanel(self.project, self.view, self)
        self.search_dock = self._dock("search", self.tr("Search"), self.search_panel,
                                      Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self.bookmarks_dock, self.search_dock)
        self.resizeDocks([self.log_dock], [140], Qt.Orientation.Vertical)
        self.resizeDocks([self.layers_dock, self.inspector_dock], [260, 320],
                         Qt.Orientation.Horizontal)

        self._build_status_bar()
        self._build_menus()
        self.layer_panel.zoom_requested.connect(self.zoom_to_layer)
        self._legend_layer: Layer | None = None
        self.layer_panel.current_layer_changed.connect(self._follow_legend)
        self.view.measured.connect(self._show_measurement)
        self.view.cursor_world.connect(self.show_cursor_world)
        self.project.crs_changed.connect(lambda _crs: self.show_cursor_world(None))

        from cimviewer.ui.project_controller import ProjectController

        self.project_controller = ProjectController(self)

        from cimviewer.ui.sensor_controller import SensorController

        self.sensor_controller = SensorController(self)

        from cimviewer.ui.plugin_host import PluginHost

        self.plugin_host = PluginHost(self)

    # --- construction -------------------------------------------------------------
    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea,
              restore: bool = False) -> QDockWidget:
        """A dock in ``area``; with ``restore``, where a restored layout had it (docks made
        after the layout was restored, like plugin docks)."""
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock_{name}")
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        if not (restore and self.restoreDockWidget(dock)):
            self.addDockWidget(area, dock)
        return dock

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.coords_label = QLabel(self)
        self.coords_label.setMinimumWidth(420)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.setMaximumWidth(200)
        self.progress.hide()
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel_tasks)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        bar.addPermanentWidget(self.coords_label)
        self.show_cursor_world(None)

    def _build_menus(self) -> None:
        self.file_menu = file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.open_action = QAction(self.tr("&Open…"), self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self.open_dialog)
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu(self.tr("Open &Recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        export = QAction(self.tr("&Export image…"), self)
        export.triggered.connect(self.export_image_dialog)
        file_menu.addAction(export)
        file_menu.addSeparator()
        self.quit_action = QAction(self.tr("&Quit"), self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)

        self.view_menu = view_menu = self.menuBar().addMenu(self.tr("&View"))
        reset = QAction(self.tr("&Reset view"), self)
        reset.setShortcut(QKeySequence("Home"))
        reset.triggered.connect(self.view.scene.reset_camera)
        view_menu.addAction(reset)
        self.map_mode_action = QAction(self.tr("&Map view (2D, top-down)"), self)
        self.map_mode_action.setCheckable(True)
        self.map_mode_action.setShortcut(QKeySequence("M"))
        self.map_mode_action.toggled.connect(self.view.set_map_mode)
        view_menu.addAction(self.map_mode_action)
        sun = QAction(self.tr("&Sun and shadows…"), self)
        sun.triggered.connect(self.sun_dialog)
        view_menu.addAction(sun)
        view_menu.addSeparator()
        for dock in (self.layers_dock, self.inspector_dock, self.bookmarks_dock,
                     self.search_dock, self.log_dock):
            view_menu.addAction(dock.toggleViewAction())

        self.tools_menu = tools_menu = self.menuBar().addMenu(self.tr("&Tools"))
        self.measure_actions = {}
        for kind, label in (("distance", self.tr("Measure &distance")),
                            ("height", self.tr("Measure &height")),
                            ("area", self.tr("Measure &area"))):
            action = QAction(label, self)
            action.setCheckable(True)
            action.toggled.connect(lambda on, k=kind: self._toggle_measure(k, on))
            tools_menu.addAction(action)
            self.measure_actions[kind] = action

        self.help_menu = help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About cimviewer"), self)
        about.triggered.connect(lambda: show_about(self))
        help_menu.addAction(about)

    # --- status bar ---------------------------------------------------------------
    def show_cursor_world(self, world: np.ndarray | None) -> None:
        crs = self.project.crs or self.tr("no CRS")
        if world is None:
            self.coords_label.setText(self.tr("X —  Y —  Z —  ({0})").format(crs))
        else:
            self.coords_label.setText(
                self.tr("X {0:.2f}  Y {1:.2f}  Z {2:.2f}  ({3})").format(
                    world[0], world[1], world[2], crs)
            )

    # --- legend, measurement, export, sun -------------------------------------------
    def _follow_legend(self, layer: Layer | None) -> None:
        if self._legend_layer is not None:
            self._legend_layer.style_changed.disconnect(self._refresh_legend)
        self._legend_layer = layer
        if layer is not None:
            layer.style_changed.connect(self._refresh_legend)
        self._refresh_legend()

    def _refresh_legend(self, *_args) -> None:
        self.view.scene.show_legend(self._legend_layer)

    def _toggle_measure(self, kind: str, on: bool) -> None:
        if on:
            for other, action in self.measure_actions.items():
                if other != kind:
                    action.blockSignals(True)
                    action.setChecked(False)
                    action.blockSignals(False)
            self.view.start_measure(kind)
            self.statusBar().showMessage(self.tr("Click points in the view; Esc ends."))
        elif self.view.measure_kind == kind:
            self.view.start_measure(None)

    def _show_measurement(self, kind: str, value: float, points) -> None:
        labels = {"distance": self.tr("Distance: {0:,.2f} m"),
                  "height": self.tr("Height difference: {0:,.2f} m"),
                  "area": self.tr("Plan area: {0:,.1f} m²")}
        text = labels[kind].format(value)
        self.statusBar().showMessage(text)
        log.info(text)

    def export_image_dialog(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        from cimviewer.render.snapshot import render_png

        size, ok = QInputDialog.getText(self, self.tr("Export image"),
                                        self.tr("Size in pixels (width x height):"),
                                        text="3840x2400")
        if not ok:
            return
        try:
            w, h = (int(v) for v in size.lower().split("x"))
            if not (16 <= w <= 16384 and 16 <= h <= 16384):
                raise ValueError
        except ValueError:
            QMessageBox.warning(self, self.tr("Export image"),
                                self.tr("The size must look like 3840x2400 (16 to 16384)."))
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export image"), "view.png",
                                              self.tr("PNG images (*.png)"))
        if path:
            self.project.camera.state = self.view.scene.camera_state()
            render_png(self.project, path, (w, h))
            log.info(self.tr("Saved %s (%d x %d)"), path, w, h)

    def sun_dialog(self) -> None:
        from cimviewer.ui.sun_dialog import SunDialog

        SunDialog(self.view.scene, self.project, self).exec()
        self.view.schedule_render()

    # --- opening files ------------------------------------------------------------
    def open_dialog(self) -> None:
        from cimviewer.io.registry import file_dialog_filter

        filters = [f"{label} ({' '.join(globs)})" for label, globs in file_dialog_filter()]
        filters.insert(0, self.tr("All supported files ({0})").format(
            " ".join(g for _, globs in file_dialog_filter() for g in globs)))
        filters.append(self.tr("All files (*)"))
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open data"), "", ";;".join(filters))
        if path:
            self.open_path(path)

    def open_path(self, path: str | Path) -> Task | None:
        """Read a file off the GUI thread; add it as a layer when done."""
        from cimviewer.io.layers import open_layer

        path = Path(path)
        if path.suffix.lower() == ".cimproj":
            return self.project_controller.open_project(path)
        log.info(self.tr("Opening %s"), path)
        crs = self.project.crs
        task = Task(lambda progress, cancelled: open_layer(
            path, project_crs=crs, progress=progress, cancelled=cancelled))
        task.signals.finished.connect(lambda layer: self._opened(path, layer))
        task.signals.failed.connect(lambda msg, details: self._open_failed(path, msg, details))
        self._run(task)
        return task

    def _run(self, task: Task) -> None:
        self.tasks.append(task)
        task.signals.progress.connect(lambda f: self.progress.setValue(int(f * 100)))
        task.signals.finished.connect(lambda _r: self._task_done(task))
        task.signals.failed.connect(lambda *_a: self._task_done(task))
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        start(task)

    def _task_done(self, task: Task) -> None:
        if task in self.tasks:
            self.tasks.remove(task)
        if not self.tasks:
            self.progress.hide()
            self.cancel_button.hide()

    def cancel_tasks(self) -> None:
        for task in self.tasks:
            task.cancel()

    def _opened(self, path: Path, layer: Layer) -> None:
        self.project.add_layer(layer)
        source = getattr(layer, "model", None) or getattr(layer, "data", None)
        for warning in getattr(source, "warnings", []):
            log.warning("%s: %s", path.name, warning)
        self.add_recent(path)
        log.info(self.tr("Opened %s"), path.name)
        self.statusBar().showMessage(self.tr("Opened {0}").format(path.name), 5000)

    def _open_failed(self, path: Path, message: str, details: str) -> None:
        log.error(message)
        log.debug(details)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Could not open file"), message,
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("open_error")
        box.open()

    def add_layers(self, layers: list[Layer]) -> None:
        for layer in layers:
            self.project.add_layer(layer)

    def zoom_to_layer(self, layer: Layer) -> None:
        bbox = layer.bbox()
        if bbox is not None:
            self.view.scene.zoom_to(bbox)

    # --- recent files -------------------------------------------------------------
    def recent_files(self) -> list[str]:
        value = self.settings.value("recent_files", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def add_recent(self, path: Path) -> None:
        entry = str(Path(path).resolve())
        files = [entry] + [f for f in self.recent_files() if f != entry]
        self.settings.setValue("recent_files", files[:MAX_RECENT])

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        if not files:
            action = self.recent_menu.addAction(self.tr("(none)"))
            action.setEnabled(False)
        for f in files:
            self.recent_menu.addAction(f, lambda f=f: self.open_path(f))

    # --- drag and drop ------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        for url in event.mimeData().urls():
            if url.isLocalFile():
                self.open_path(url.toLocalFile())

    def closeEvent(self, event) -> None:
        if not self.project_controller.confirm_close():
            event.ignore()
            return
        self.cancel_tasks()
        self.sensor_controller.shutdown()
        logging.getLogger("cimviewer").removeHandler(self.log_panel.handler)
        self.view.close_view()
        super().closeEvent(event)
