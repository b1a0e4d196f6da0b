"""The main window: 3D view in the centre, layer panel, inspector and log as docks."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
)

from cimviewer.core.layers import CityModelLayer, Layer
from cimviewer.core.legend import legend_signals
from cimviewer.core.project import Project
from cimviewer.ui.about import show_about
from cimviewer.ui.bookmarks_panel import BookmarksPanel
from cimviewer.ui.inspector import Inspector
from cimviewer.ui.layer_panel import LayerPanel
from cimviewer.ui.legend_panel import LegendPanel
from cimviewer.ui.log_panel import LogPanel
from cimviewer.ui.quality_panel import QualityPanel
from cimviewer.ui.recent import RecentList
from cimviewer.ui.search_panel import SearchPanel
from cimviewer.ui.shell import Shell
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
        self.shell = Shell(self)
        self.recent = RecentList(self.settings, "recent_files", MAX_RECENT)

        self.view = ViewWidget(self.project, self)
        self.setCentralWidget(self.view)
        self.layer_panel = LayerPanel(self.project, self)
        self.inspector = Inspector(self.project, self)
        self.log_panel = LogPanel(self)
        logging.getLogger("cimviewer").addHandler(self.log_panel.handler)
        logging.getLogger("cimviewer").setLevel(logging.INFO)

        dock = self.shell.add_dock
        self.layers_dock = dock("layers", self.tr("Layers"), self.layer_panel, "left")
        self.inspector_dock = dock("inspector", self.tr("Inspector"), self.inspector, "right")
        self.log_dock = dock("log", self.tr("Log"), self.log_panel, "bottom")
        self.bookmarks_panel = BookmarksPanel(self.project, self.view.fly_to, self)
        self.bookmarks_dock = dock("bookmarks", self.tr("Bookmarks"), self.bookmarks_panel,
                                   "right")
        self.search_panel = SearchPanel(self.project, self.view, self)
        self.search_dock = dock("search", self.tr("Search"), self.search_panel, "right",
                                tab_with=self.bookmarks_dock)
        self.quality_panel = QualityPanel(self.project, self.view, self)
        self.quality_dock = dock("quality", self.tr("Data quality"), self.quality_panel,
                                 "right", tab_with=self.search_dock)
        self.legend_panel = LegendPanel(self)
        self.legend_dock = dock("legend", self.tr("Legend"), self.legend_panel, "right",
                                tab_with=self.quality_dock)
        self.resizeDocks([self.log_dock], [140], Qt.Orientation.Vertical)
        self.resizeDocks([self.layers_dock, self.inspector_dock], [260, 320],
                         Qt.Orientation.Horizontal)

        self._build_status_bar()
        self._build_menus()
        self.layer_panel.zoom_requested.connect(self.zoom_to_layer)
        self.layer_panel.select_requested.connect(self.select_objects)
        self.layer_panel.theme_requested.connect(self.show_theme)
        self._legend_layer: Layer | None = None
        self.layer_panel.current_layer_changed.connect(self._follow_legend)
        self.layer_panel.current_layer_changed.connect(self.legend_panel.show_layer)
        self.layer_panel.current_layer_changed.connect(self.shell.current_layer_changed.emit)
        # a project given to the window already has a current layer: its legend shows too
        if self.layer_panel.current_layer() is not None:
            self._follow_legend(self.layer_panel.current_layer())
            self.legend_panel.show_layer(self.layer_panel.current_layer())
        self.view.clicked_world.connect(self.shell.view_clicked.emit)
        self.view.measured.connect(self._show_measurement)
        self.view.cursor_world.connect(self.show_cursor_world)
        self.view.refining.connect(self.show_refinement)
        self.project.crs_changed.connect(self._on_crs_changed)

        from cimviewer.ui.project_controller import ProjectController

        self.project_controller = ProjectController(self.shell)
        # the window's size and place come back with the project (a layout part)
        self.shell.add_layout_part("window.geometry", self._save_geometry,
                                   self._restore_geometry)

        from cimviewer.ui.join_controller import JoinController

        self.join_controller = JoinController(self.shell)

        from cimviewer.ui.sensor_controller import SensorController

        self.sensor_controller = SensorController(self.shell)
        self.bookmarks_dock.raise_()  # the first tab of its group
        self.tabifyDockWidget(self.log_dock, self.sensor_controller.chart_dock)
        self.log_dock.raise_()

        from cimviewer.ui.plugin_host import PluginHost

        self.plugin_host = PluginHost(self.shell)

    # --- construction -------------------------------------------------------------
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
        #: how much of the detail the view wants is built (large and streamed layers)
        self.detail_progress = QProgressBar(self)
        self.detail_progress.setRange(0, 100)
        self.detail_progress.setMaximumWidth(140)
        self.detail_progress.setFormat(self.tr("Detail %p%"))
        self.detail_progress.setToolTip(
            self.tr("Nearest buildings are loaded in detail first; far ones show as blocks."))
        self.detail_progress.hide()
        bar.addPermanentWidget(self.detail_progress)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        bar.addPermanentWidget(self.coords_label)
        self.show_cursor_world(None)

    def show_refinement(self, fraction: float) -> None:
        """The detail indicator: shown while the view is still refining."""
        self.detail_progress.setValue(round(100 * fraction))
        self.detail_progress.setVisible(fraction < 1.0)

    def _build_menus(self) -> None:
        self.file_menu = file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.shell.register_menu("file", file_menu)
        self.open_action = QAction(self.tr("&Open…"), self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self.open_dialog)
        file_menu.addAction(self.open_action)
        # a folder of CityJSON tiles (3D BAG, PLATEAU...) is one streamed layer
        self.open_folder_action = QAction(self.tr("Open &folder of tiles…"), self)
        self.open_folder_action.triggered.connect(self.open_folder_dialog)
        file_menu.addAction(self.open_folder_action)
        self.recent_menu = file_menu.addMenu(self.tr("Open &Recent"))
        self.recent_menu.aboutToShow.connect(
            lambda: self.recent.fill_menu(self.recent_menu, self.open_path))
        export = QAction(self.tr("&Export image…"), self)
        export.triggered.connect(self.export_image_dialog)
        file_menu.addAction(export)
        file_menu.addSeparator()
        self.quit_action = QAction(self.tr("&Quit"), self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)
        self.shell.register_anchor("file.quit", self.quit_action)

        self.view_menu = view_menu = self.menuBar().addMenu(self.tr("&View"))
        self.shell.register_menu("view", view_menu)
        reset = QAction(self.tr("&Reset view"), self)
        reset.setShortcut(QKeySequence("Home"))
        reset.setIconText(self.tr("Home"))
        reset.setToolTip(self.tr("Show the whole project (Home)"))
        reset.triggered.connect(self.view.scene.reset_camera)
        view_menu.addAction(reset)
        self.reset_action = reset
        self.zoom_selection_action = QAction(self.tr("&Zoom to selection"), self)
        self.zoom_selection_action.setShortcut(QKeySequence("Ctrl+J"))
        self.zoom_selection_action.setToolTip(self.tr("Fly to the selected objects (Ctrl+J)"))
        self.zoom_selection_action.triggered.connect(self.zoom_to_selection)
        view_menu.addAction(self.zoom_selection_action)
        self.search_action = QAction(self.tr("Searc&h…"), self)
        self.search_action.setShortcut(QKeySequence.StandardKey.Find)
        self.search_action.setToolTip(self.tr("Find objects by id or attribute value"))
        self.search_action.triggered.connect(self.show_search)
        view_menu.addAction(self.search_action)
        self.map_mode_action = QAction(self.tr("&Map view (2D, top-down)"), self)
        self.map_mode_action.setCheckable(True)
        self.map_mode_action.setIconText(self.tr("2D map"))
        self.map_mode_action.setShortcut(QKeySequence("M"))
        self.map_mode_action.toggled.connect(self.view.set_map_mode)
        view_menu.addAction(self.map_mode_action)
        sun = QAction(self.tr("&Sun and shadows…"), self)
        sun.triggered.connect(self.sun_dialog)
        view_menu.addAction(sun)
        view_menu.addSeparator()
        for dock in (self.layers_dock, self.inspector_dock, self.bookmarks_dock,
                     self.search_dock, self.legend_dock, self.log_dock):
            view_menu.addAction(dock.toggleViewAction())

        self.tools_menu = tools_menu = self.menuBar().addMenu(self.tr("&Tools"))
        self.shell.register_menu("tools", tools_menu)
        self.measure_actions = {}
        for kind, label in (("distance", self.tr("Measure &distance")),
                            ("height", self.tr("Measure &height")),
                            ("area", self.tr("Measure &area"))):
            action = QAction(label, self)
            action.setCheckable(True)
            action.toggled.connect(lambda on, k=kind: self._toggle_measure(k, on))
            tools_menu.addAction(action)
            self.measure_actions[kind] = action
        tools_menu.addSeparator()
        self.kiosk_action = QAction(self.tr("&Kiosk settings…"), self)
        self.kiosk_action.triggered.connect(self.kiosk_dialog)
        tools_menu.addAction(self.kiosk_action)

        self._build_toolbar()

        self.help_menu = help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self.shell.register_menu("help", help_menu)
        about = QAction(self.tr("&About cimviewer"), self)
        about.triggered.connect(lambda: show_about(self))
        help_menu.addAction(about)

    def _build_toolbar(self) -> None:
        """Navigation and tools within one click: nothing lives only in menus."""
        bar = self.shell.toolbar("navigation", self.tr("Navigation"))
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.reset_action, self.zoom_selection_action):
            bar.addAction(action)
        bar.addSeparator()
        for action in self.measure_actions.values():
            bar.addAction(action)
        bar.addSeparator()
        bar.addAction(self.map_mode_action)
        bar.addAction(self.search_action)
        self.navigation_toolbar = bar

    def zoom_to_selection(self) -> None:
        if not self.view.zoom_to_selection():
            self.statusBar().showMessage(self.tr("Nothing selected to zoom to."), 3000)

    def show_search(self) -> None:
        self.search_dock.show()
        self.search_dock.raise_()
        self.search_panel.query.setFocus()
        self.search_panel.query.selectAll()

    def _save_geometry(self) -> str:
        import base64

        return base64.b64encode(bytes(self.saveGeometry())).decode("ascii")

    def _restore_geometry(self, data: object) -> None:
        import base64
        import binascii

        from PySide6.QtCore import QByteArray

        if isinstance(data, str):
            try:
                self.restoreGeometry(QByteArray(base64.b64decode(data, validate=True)))
            except (binascii.Error, ValueError):
                log.warning(self.tr("The saved window size could not be used"))

    def _on_crs_changed(self, _crs: object) -> None:
        self.show_cursor_world(None)

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
        """The legend shows the current layer's style; class breaks follow its values."""
        for signal in legend_signals(self._legend_layer):
            signal.disconnect(self._refresh_legend)
        self._legend_layer = layer
        for signal in legend_signals(layer):
            signal.connect(self._refresh_legend)
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
        from cimviewer.render.measure_actor import segment_lengths

        text = self.view.measure_text(kind, value)
        segments = segment_lengths(points, closed=kind == "area")
        if kind != "height" and len(segments) > 1:
            text += self.tr(" (segments: {0} m)").format(
                " + ".join(f"{s:,.1f}" for s in segments))
        self.statusBar().showMessage(text)
        log.info(text)

    def export_image_dialog(self) -> None:
        from cimviewer.ui.export_image import export_image

        export_image(self, self.project, self.view)

    def kiosk_dialog(self) -> None:
        """Edit the project's kiosk section (saved with the project)."""
        from cimviewer.ui.kiosk.editor import KioskEditor

        KioskEditor(self.project, self).exec()

    def sun_dialog(self) -> None:
        from cimviewer.ui.sun_dialog import SunDialog

        SunDialog(self.project, self).exec()

    # --- opening files ------------------------------------------------------------
    def open_dialog(self) -> None:
        from cimviewer.io.registry import file_dialog_filter

        filters = [f"{label} ({' '.join(globs)})" for label, globs in file_dialog_filter()]
        filters.insert(0, self.tr("All supported files ({0})").format(
            " ".join(g for _, globs in file_dialog_filter() for g in globs)))
        filters.append(self.tr("All files (*)"))
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open data"), "", ";;".join(filters))
        if not path:
            return
        from cimviewer.ui.open_options import OpenOptionsDialog, has_options

        options = None
        if has_options(Path(path)):
            dialog = OpenOptionsDialog(Path(path), self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            options = dialog.options()
        self.open_path(path, options)

    def open_folder_dialog(self) -> None:
        """Open a folder of CityJSON tiles as one layer (the open dialog takes files)."""
        path = QFileDialog.getExistingDirectory(self, self.tr("Open folder of tiles"))
        if path:
            self.open_path(path)

    def open_path(self, path: str | Path, options: dict | None = None) -> Task | None:
        """Read a file off the GUI thread (with its load ``options``, see
        ``io.registry.LOAD_OPTIONS``); add it as a layer when done."""
        from cimviewer.io.layers import open_layer

        path = Path(path)
        if path.suffix.lower() == ".cimproj":
            return self.project_controller.open_project(path)
        log.info(self.tr("Opening %s"), path)
        crs = self.project.crs
        task = Task(lambda progress, cancelled: open_layer(
            path, project_crs=crs, options=options, progress=progress,
            cancelled=cancelled))
        task.signals.finished.connect(lambda layer: self._opened(path, layer))
        task.signals.failed.connect(lambda msg, details: self._open_failed(path, msg, details))
        self.run_task(task)
        return task

    def show_theme(self, layer: CityModelLayer, theme: str) -> Task | None:
        """Read a city layer again with another appearance theme (the ``theme`` load
        option, saved with the project); it keeps its place, name, style and view."""
        from cimviewer.io.layers import open_layer

        if layer.source is None:
            return None
        path = Path(layer.source)
        options = {**layer.load_options, "theme": theme}
        crs = self.project.crs
        task = Task(lambda progress, cancelled: open_layer(
            path, name=layer.name, project_crs=crs, options=options, progress=progress,
            cancelled=cancelled))
        task.signals.finished.connect(lambda new: self._replace_layer(layer, new))
        task.signals.failed.connect(lambda msg, details: self._open_failed(path, msg, details))
        self.run_task(task)
        return task

    def _replace_layer(self, old: Layer, new: Layer) -> None:
        if old not in self.project.layers:
            return  # removed while it was read again
        new.visible, new.opacity, new.style = old.visible, old.opacity, old.style
        if isinstance(old, CityModelLayer) and isinstance(new, CityModelLayer) \
                and old.lod in (None, *new.model.lods):
            new.lod = old.lod
        if isinstance(old, CityModelLayer) and isinstance(new, CityModelLayer):
            ids = {old.model.objects.ids[i] for i in old.hidden_objects}  # same file
            new.set_hidden(objects=[i for i, oid in enumerate(new.model.objects.ids)
                                    if oid in ids], types=old.hidden_types)
        from cimviewer.io.project.relocate import replace_layers

        replace_layers(self.project, {old.uid: new})  # in its place, set on the terrain
        self.layer_panel.select(new)

    def run_task(self, task: Task) -> Task:
        """Start ``task`` on the worker pool, shown in the status bar."""
        self.track_task(task)
        return start(task)

    def track_task(self, task: Task) -> None:
        """Show a task's progress in the status bar; its Cancel button cancels it."""
        self.tasks.append(task)
        task.signals.progress.connect(lambda f: self.progress.setValue(int(f * 100)))
        task.signals.finished.connect(lambda _r: self.untrack_task(task))
        task.signals.failed.connect(lambda *_a: self.untrack_task(task))
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()

    def untrack_task(self, task: Task) -> None:
        if task in self.tasks:
            self.tasks.remove(task)
        if not self.tasks:
            self.progress.hide()
            self.cancel_button.hide()

    def cancel_tasks(self) -> None:
        for task in self.tasks:
            task.cancel()

    def _opened(self, path: Path, layer: Layer) -> None:
        from cimviewer.core.layers import RasterLayer, TerrainLayer

        if ({"drape_offset", "on_terrain"} & layer.load_options.keys()
                or isinstance(layer, RasterLayer)):
            from cimviewer.geometry.placement import drape_layers

            terrain = [la for la in self.project.layers if isinstance(la, TerrainLayer)]
            drape_layers([*terrain, layer])  # on the first terrain, as a project does
        self.project.add_layer(layer)
        source = getattr(layer, "model", None) or getattr(layer, "data", None)
        for warning in getattr(source, "warnings", []):
            log.warning("%s: %s", path.name, warning)
        self.recent.add(path)
        log.info(self.tr("Opened %s"), path.name)
        problems = sum(getattr(source, "problem_counts", dict)().values())
        if problems:
            text = self.tr("Opened {0}: {1} geometry problems, see Data quality")
            self.statusBar().showMessage(text.format(path.name, problems), 8000)
            return
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

    def show_demo(self, layers: list[Layer]) -> None:
        """Add the demo city shown at start: not a change of the user's (no "*")."""
        unchanged = not self.project.modified
        self.add_layers(layers)
        if unchanged:
            self.project.mark_saved()

    def select_objects(self, hits: list[tuple[str, int]]) -> None:
        """Select objects (a storey from the layer panel) and fly to them."""
        self.project.selection.set(hits)
        self.view.frame_objects(hits)

    def zoom_to_layer(self, layer: Layer) -> None:
        bbox = layer.bbox()
        if bbox is not None:
            self.view.scene.zoom_to(bbox)

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
        self.plugin_host.shutdown()
        logging.getLogger("cimviewer").removeHandler(self.log_panel.handler)
        self.view.close_view()
        self.shell.dispose()
        super().closeEvent(event)
