"""The "5G coverage" dock: sites, a coverage run with results, a point-to-point link tool.

Imported only when the dock is shown (Qt and pyqtgraph stay out of the headless plugin).
A thin client of the GUI half of the plugin API (``ctx.gui``): the run settings are the
``Coverage`` algorithm's own parameter form (its declared defaults), the run is a task
of the host (progress, Cancel, results on the GUI thread), buildings are coloured by
per-object values, and the dock follows projects opened into the window.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cimviewer.api import (
    CityModelLayer,
    LayerStyle,
    PluginContext,
    RasterLayer,
    TerrainLayer,
    ValueClass,
    VectorLayer,
    sample_heights,
)
from coverage_5g.algorithms import MODEL_LABELS, RSRP_CLASSES, area_bounds, rsrp_value_classes
from coverage_5g.link_tool import LinkResult, link_all_models
from coverage_5g.markers import site_markers
from coverage_5g.models import MODELS
from coverage_5g.site_table import (
    COLUMNS,
    KEYS,
    STATE_VERSION,
    clean_site,
    format_value,
    sites_from_state,
    sites_to_state,
)
from coverage_5g.sites import spread_points

#: numeric attributes written on the buildings' objects after a run
FACADE_RSRP = "facade_rsrp_dbm"
COVERED_SHARE = "coverage_covered_share"
MARKER_RGB = (200, 30, 160)  # magenta masts: unlike any pole, road or building
NO_SIGNAL_RGB = (120, 120, 120)  # buildings no site reaches: grey, not a colour of the scale
#: parameters of ``Coverage`` the dock fills itself (from the sites table) or leaves out
FILLED_BY_DOCK = ("poles", "sites", "antenna_height_m", "tx_power_dbm", "frequency_ghz",
                  "bandwidth_mhz", "geotiff_folder", "sites_json")


def make_panel(ctx: PluginContext) -> QWidget:
    return CoverageDock(ctx)


class CoverageDock(QWidget):
    """Sites table, coverage run and results, link budget between two clicked points."""

    def __init__(self, ctx: PluginContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("coverage_5g_dock")
        self.ctx = ctx
        self.gui = ctx.gui
        self.project = ctx.project
        self.algorithm = self.gui.algorithm("coverage")
        self.texts = self.gui.texts()
        self.place_mode = False
        self.link_points: list[np.ndarray] = []
        self.link_result: LinkResult | None = None
        self.last_outputs: dict[str, Any] | None = None
        self.overlay_layer: RasterLayer | None = None
        self.marker_layer: VectorLayer | None = None  # the sites as masts in the view
        self.styled_layer: CityModelLayer | None = None
        self.task = None  # the running coverage task (cimviewer's AlgorithmTask)
        self._params: dict[str, Any] = {}  # the raw values of the last run
        self._loading = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        self.tabs = QTabWidget(self)
        layout.addWidget(self.tabs)
        self.tabs.addTab(self._build_sites_tab(), self.tr("Sites"))
        self.tabs.addTab(self._build_results_tab(), self.tr("Results"))
        self.tabs.addTab(self._build_link_tab(), self.tr("Link budget"))
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

        self.refresh_layers()
        self.load_state()
        # project and view events (psygnal); disconnected when the widget goes away
        connections = [
            (ctx.view_clicked, self._on_view_clicked),
            (self.project.layers.events.inserted, self._on_layers_changed),
            (self.project.layers.events.removed, self._on_layers_changed),
        ]
        for signal, slot in connections:
            signal.connect(slot)
        self.destroyed.connect(lambda _o=None, c=connections: _disconnect(c))
        self.gui.project_replaced.connect(self.load_state)  # a Qt signal: dies with us
        self.gui.add_layout_part("panel", lambda: {"tab": self.tabs.currentIndex()},
                                 self._restore_layout)

    # --- building the tabs --------------------------------------------------------------
    def _build_sites_tab(self) -> QWidget:
        page = QWidget(self)
        box = QVBoxLayout(page)
        fill = QGridLayout()
        self.layer_combo = QComboBox(page)
        self.layer_combo.setObjectName("coverage_layer_combo")
        self.count_spin = QSpinBox(page, minimum=1, maximum=5000, value=5)
        self.count_spin.setObjectName("coverage_count_spin")
        self.height_spin = QDoubleSpinBox(page, minimum=1, maximum=200, value=10, decimals=1)
        self.height_spin.setSuffix(" m")
        self.fill_button = QPushButton(self.tr("Fill from layer"), page)
        self.fill_button.setObjectName("coverage_fill_button")
        self.fill_button.clicked.connect(self.fill_from_layer)
        fill.addWidget(QLabel(self.tr("Point layer"), page), 0, 0)
        fill.addWidget(self.layer_combo, 0, 1, 1, 3)
        fill.addWidget(QLabel(self.tr("Sites"), page), 1, 0)
        fill.addWidget(self.count_spin, 1, 1)
        fill.addWidget(QLabel(self.tr("Height"), page), 1, 2)
        fill.addWidget(self.height_spin, 1, 3)
        fill.addWidget(self.fill_button, 2, 0, 1, 4)
        box.addLayout(fill)
        buttons = QHBoxLayout()
        self.place_button = QPushButton(self.tr("Place site"), page)
        self.place_button.setObjectName("coverage_place_button")
        self.place_button.setCheckable(True)
        self.place_button.setToolTip(self.tr("The next click in the 3D view adds a site there."))
        self.place_button.toggled.connect(self.set_place_mode)
        remove = QPushButton(self.tr("Remove selected"), page)
        remove.clicked.connect(self.remove_selected)
        buttons.addWidget(self.place_button)
        buttons.addWidget(remove)
        box.addLayout(buttons)
        self.table = QTableWidget(0, len(COLUMNS), page)
        self.table.setObjectName("coverage_sites_table")
        self.table.setHorizontalHeaderLabels(self._column_titles())
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.itemChanged.connect(self._on_item_changed)
        box.addWidget(self.table, 1)

        # the algorithm's own form: its declared defaults, ranges and units
        self.form = self.gui.parameter_form(self.algorithm, page, exclude=FILLED_BY_DOCK)
        self.form.setObjectName("coverage_form")
        self.form.changed.connect(self.save_state)
        box.addWidget(self.form)
        run_row = QHBoxLayout()
        self.run_button = QPushButton(self.tr("Run coverage"), page)
        self.run_button.setObjectName("coverage_run_button")
        self.run_button.clicked.connect(self.run_coverage)
        self.cancel_button = QPushButton(self.tr("Cancel"), page)
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar(page)
        self.progress.setRange(0, 100)
        run_row.addWidget(self.run_button)
        run_row.addWidget(self.cancel_button)
        run_row.addWidget(self.progress, 1)
        box.addLayout(run_row)
        return page

    def _build_results_tab(self) -> QWidget:
        page = QWidget(self)
        box = QVBoxLayout(page)
        legend = QGridLayout()
        legend.addWidget(QLabel(self.tr("RSRP classes"), page), 0, 0, 1, 2)
        labels = [self.tr("≥ {0} dBm").format(RSRP_CLASSES[0][0])]
        for (lower, _c), (upper, _c2) in zip(RSRP_CLASSES[1:-1], RSRP_CLASSES[:-2],
                                             strict=True):
            labels.append(self.tr("{0} to {1} dBm").format(lower, upper))
        labels.append(self.tr("< {0} dBm").format(RSRP_CLASSES[-2][0]))
        self.class_labels = labels
        for i, ((_lower, color), text) in enumerate(zip(RSRP_CLASSES, labels, strict=True)):
            swatch = QLabel(page)
            swatch.setFixedSize(16, 12)
            swatch.setStyleSheet("background: rgb({},{},{});".format(*color))
            legend.addWidget(swatch, i + 1, 0)
            legend.addWidget(QLabel(text, page), i + 1, 1)
        box.addLayout(legend)
        row = QHBoxLayout()
        self.quantity_combo = QComboBox(page)
        self.quantity_combo.addItem(self.tr("RSRP (dBm)"), "rsrp_dbm")
        self.quantity_combo.addItem(self.tr("SINR (dB)"), "sinr_db")
        self.quantity_combo.currentIndexChanged.connect(lambda _i: self.show_histograms())
        row.addWidget(QLabel(self.tr("Distribution of"), page))
        row.addWidget(self.quantity_combo, 1)
        box.addLayout(row)
        self.hist_plot = pg.PlotWidget(page)
        self.hist_plot.setObjectName("coverage_hist_plot")
        self.hist_plot.setMinimumHeight(130)
        self.hist_plot.setLabel("left", self.tr("Receivers"))
        self.cdf_plot = pg.PlotWidget(page)
        self.cdf_plot.setObjectName("coverage_cdf_plot")
        self.cdf_plot.setMinimumHeight(130)
        self.cdf_plot.setLabel("left", self.tr("CDF"))
        self.hist_curve = self.hist_plot.plot([], [], stepMode="center", fillLevel=0,
                                              brush=(80, 140, 220, 150))
        self.cdf_curve = self.cdf_plot.plot([], [], pen=pg.mkPen((220, 80, 40), width=2))
        box.addWidget(self.hist_plot, 1)
        box.addWidget(self.cdf_plot, 1)
        self.stats_table = QTableWidget(0, 0, page)
        self.stats_table.setObjectName("coverage_stats_table")
        self.stats_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        box.addWidget(self.stats_table, 1)
        self.clear_button = QPushButton(self.tr("Clear results"), page)
        self.clear_button.setObjectName("coverage_clear_button")
        self.clear_button.clicked.connect(self.clear_results)
        box.addWidget(self.clear_button)
        return page

    def _build_link_tab(self) -> QWidget:
        page = QWidget(self)
        box = QVBoxLayout(page)
        self.link_button = QPushButton(self.tr("Pick transmitter and receiver"), page)
        self.link_button.setObjectName("coverage_link_button")
        self.link_button.setCheckable(True)
        self.link_button.setToolTip(self.tr("Click the transmitter, then the receiver in the "
                                            "3D view."))
        self.link_button.toggled.connect(self.set_link_mode)
        box.addWidget(self.link_button)
        form = QFormLayout()
        self.link_model = QComboBox(page)
        self.link_model.setObjectName("coverage_link_model")
        for key in MODELS:
            self.link_model.addItem(self._model_label(key), key)
        self.link_model.setCurrentIndex(MODELS.index("umi_street_canyon"))
        self.link_freq = QDoubleSpinBox(page, minimum=0.1, maximum=100, value=3.5, decimals=2)
        self.link_freq.setSuffix(" GHz")
        self.link_tx_h = QDoubleSpinBox(page, minimum=1, maximum=500, value=10, decimals=1)
        self.link_tx_h.setSuffix(" m")
        self.link_rx_h = QDoubleSpinBox(page, minimum=0.5, maximum=100, value=1.5, decimals=1)
        self.link_rx_h.setSuffix(" m")
        self.link_eirp = QDoubleSpinBox(page, minimum=-30, maximum=90, value=43, decimals=1)
        self.link_eirp.setSuffix(" dBm")
        form.addRow(self.tr("Model"), self.link_model)
        form.addRow(self.tr("Frequency"), self.link_freq)
        form.addRow(self.tr("Transmitter height"), self.link_tx_h)
        form.addRow(self.tr("Receiver height"), self.link_rx_h)
        form.addRow(self.tr("EIRP"), self.link_eirp)
        box.addLayout(form)
        for widget in (self.link_freq, self.link_tx_h, self.link_rx_h, self.link_eirp):
            widget.valueChanged.connect(lambda _v: self.update_link())
        self.link_model.currentIndexChanged.connect(lambda _i: self.update_link())
        self.link_label = QLabel(self.tr("No link yet."), page)
        self.link_label.setObjectName("coverage_link_label")
        self.link_label.setWordWrap(True)
        box.addWidget(self.link_label)
        self.profile_plot = pg.PlotWidget(page)
        self.profile_plot.setObjectName("coverage_profile_plot")
        self.profile_plot.setMinimumHeight(150)
        self.profile_plot.setLabel("bottom", self.tr("Distance (m)"))
        self.profile_plot.setLabel("left", self.tr("Height (m)"))
        self.surface_curve = self.profile_plot.plot([], [], pen=pg.mkPen((120, 120, 120)),
                                                    fillLevel=0, brush=(160, 160, 160, 120))
        self.ground_curve = self.profile_plot.plot([], [], pen=pg.mkPen((110, 80, 40), width=2))
        self.ray_curve = self.profile_plot.plot([], [], pen=pg.mkPen((30, 160, 60), width=2))
        box.addWidget(self.profile_plot, 1)
        self.link_table = QTableWidget(len(MODELS), 3, page)
        self.link_table.setObjectName("coverage_link_table")
        self.link_table.setHorizontalHeaderLabels(
            [self.tr("Model"), self.tr("Path loss (dB)"), self.tr("Received power (dBm)")])
        self.link_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for row, key in enumerate(MODELS):
            self.link_table.setItem(row, 0, QTableWidgetItem(self._model_label(key)))
        box.addWidget(self.link_table, 1)
        return page

    # --- labels ----------------------------------------------------------------------
    def _column_titles(self) -> list[str]:
        titles = {"name": self.tr("Name"), "x": self.tr("X"), "y": self.tr("Y"),
                  "height_m": self.tr("Height (m)"), "mount": self.tr("Mount (ground/roof)"),
                  "tx_power_dbm": self.tr("Tx power (dBm)"),
                  "frequency_ghz": self.tr("Frequency (GHz)"),
                  "bandwidth_mhz": self.tr("Bandwidth (MHz)"),
                  "antenna": self.tr("Antenna (omni/sector)"),
                  "azimuth_deg": self.tr("Azimuth (°)"), "downtilt_deg": self.tr("Downtilt (°)")}
        return [titles[key] for key in KEYS]

    def _model_label(self, key: str) -> str:
        """The algorithm's label of a propagation model, in the UI language."""
        return self.texts.get(MODEL_LABELS[key], MODEL_LABELS[key])

    def _say(self, text: str) -> None:
        self.status.setText(text)

    # --- layers --------------------------------------------------------------------------
    def _layers(self, kind: type) -> list:
        return [la for la in self.project.layers if isinstance(la, kind)]

    def point_layers(self) -> list[VectorLayer]:
        return [la for la in self._layers(VectorLayer)
                if getattr(la.data, "kind", "") == "point" and la is not self.marker_layer]

    def refresh_layers(self) -> None:
        current = self.layer_combo.currentData()
        self.layer_combo.clear()
        for layer in self.point_layers():
            self.layer_combo.addItem(layer.name, layer.uid)
        if current is not None:
            index = self.layer_combo.findData(current)
            if index >= 0:
                self.layer_combo.setCurrentIndex(index)
        else:  # street poles carry sites best: a layer with pole ids (any language)
            poles = [layer.uid for layer in self.point_layers()
                     if "pole_id" in getattr(layer.data, "columns", {})]
            if poles and (index := self.layer_combo.findData(poles[0])) >= 0:
                self.layer_combo.setCurrentIndex(index)

    def _on_layers_changed(self, *_args) -> None:
        self.refresh_layers()

    def terrain_layer(self) -> TerrainLayer | None:
        """The terrain chosen in the form, else the first (an overlay is a value raster,
        never terrain)."""
        chosen = self.form.values().get("terrain")
        if isinstance(chosen, TerrainLayer):
            return chosen
        layers = self._layers(TerrainLayer)
        return layers[0] if layers else None

    def buildings_layer(self) -> CityModelLayer | None:
        chosen = self.form.values().get("buildings")
        if isinstance(chosen, CityModelLayer):
            return chosen
        layers = self._layers(CityModelLayer)
        return layers[0] if layers else None

    # --- the site table ---------------------------------------------------------------------
    def sites(self) -> list[dict[str, Any]]:
        out = []
        for row in range(self.table.rowCount()):
            raw = {key: (self.table.item(row, col).text() if self.table.item(row, col) else "")
                   for col, key in enumerate(KEYS)}
            out.append(clean_site(raw, row))
        return out

    def set_sites(self, sites: list[dict[str, Any]], save: bool = True) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for i, site in enumerate(sites):
            self._append_row(clean_site(site, i))
        self.table.blockSignals(False)
        if save:
            self.save_state()

    def _append_row(self, site: dict[str, Any]) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for col, key in enumerate(KEYS):
            self.table.setItem(row, col, QTableWidgetItem(format_value(key, site[key])))

    def add_site(self, site: dict[str, Any]) -> None:
        self.table.blockSignals(True)
        self._append_row(clean_site(site, self.table.rowCount()))
        self.table.blockSignals(False)
        self.save_state()

    def remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)
        self.save_state()

    def _on_item_changed(self, _item) -> None:
        self.save_state()

    def fill_from_layer(self) -> None:
        uid = self.layer_combo.currentData()
        layer = self.project.layer_by_uid(uid) if uid else None
        if layer is None:
            self._say(self.tr("Choose a point layer first."))
            return
        xyz = np.asarray(layer.data.vertices, float)
        terrain, buildings = self.terrain_layer(), self.buildings_layer()
        if terrain is not None and buildings is not None:
            # only where coverage can be computed: over both buildings and terrain
            b = area_bounds(buildings.model, terrain.grid)
            inside = (np.zeros(len(xyz), bool) if b is None else
                      (xyz[:, 0] > b[0]) & (xyz[:, 0] < b[2])
                      & (xyz[:, 1] > b[1]) & (xyz[:, 1] < b[3]))
            xyz = xyz[inside]
        if not len(xyz):
            self._say(self.tr("The layer has no points over the buildings and the terrain."))
            return
        chosen = spread_points(xyz, self.count_spin.value())
        height = self.height_spin.value()
        self.set_sites([{"name": f"{layer.name}-{i + 1}", "x": xyz[k, 0], "y": xyz[k, 1],
                         "height_m": height} for i, k in enumerate(chosen)])
        self._say(self.tr("{0} sites from {1}.").format(len(chosen), layer.name))

    # --- clicks in the view --------------------------------------------------------------
    def set_place_mode(self, on: bool) -> None:
        self.place_mode = on
        if on and self.link_button.isChecked():
            self.link_button.setChecked(False)
        if on:
            self._say(self.tr("Click in the 3D view to place a site."))

    def set_link_mode(self, on: bool) -> None:
        if on:
            if self.place_button.isChecked():
                self.place_button.setChecked(False)
            self.link_points = []
            self._say(self.tr("Click the transmitter in the 3D view."))

    def _on_view_clicked(self, world) -> None:
        if world is None:
            return
        world = np.asarray(world, float)
        if self.place_mode:
            self.place_button.setChecked(False)
            self.place_site(world)
        elif self.link_button.isChecked():
            self.link_points.append(world)
            if len(self.link_points) == 1:
                self._say(self.tr("Click the receiver in the 3D view."))
            else:
                self.link_points = self.link_points[-2:]
                self.link_button.setChecked(False)
                self.update_link()

    def place_site(self, world: np.ndarray) -> None:
        """A site at a clicked point: on the roof when the point is well above the ground."""
        mount = "ground"
        terrain = self.terrain_layer()
        if terrain is not None:
            ground = float(sample_heights(terrain.grid, np.array([world[0]]),
                                          np.array([world[1]]))[0])
            if np.isfinite(ground) and world[2] > ground + 2.0:
                mount = "roof"
        height = self.height_spin.value() if mount == "ground" else 3.0
        self.add_site({"name": f"site-{self.table.rowCount() + 1}", "x": world[0],
                       "y": world[1], "height_m": height, "mount": mount})
        self._say(self.tr("Site placed at {0:.1f}, {1:.1f} ({2}).").format(
            world[0], world[1], self.tr("roof") if mount == "roof" else self.tr("ground")))

    # --- state ------------------------------------------------------------------------------
    def settings(self) -> dict[str, Any]:
        """The run settings of the form (layers are chosen again on each project)."""
        return {key: value for key, value in self.form.values().items()
                if key not in ("terrain", "buildings")}

    def save_state(self) -> None:
        if not self._loading:
            self.ctx.set_state(sites_to_state(self.sites(), self.settings()))
            self.refresh_markers()

    def refresh_markers(self) -> None:
        """Show the sites as masts in the 3D view (a generated layer, never saved)."""
        old, self.marker_layer = self.marker_layer, None
        sites = self.sites()
        if not sites:
            self.gui.remove_generated_layer(old)
            return
        terrain, buildings = self.terrain_layer(), self.buildings_layer()
        data = site_markers(sites, terrain.grid if terrain else None,
                            buildings.model if buildings else None, self.project.crs)
        layer = VectorLayer(self.tr("5G sites"), data)
        layer.style = LayerStyle(color=MARKER_RGB)
        self.marker_layer = self.gui.show_generated_layer(layer, replaces=old)

    def load_state(self) -> None:
        version = self.ctx.saved_state_version()
        if version is not None and version > STATE_VERSION:
            self.ctx.log.warning("5G coverage state version %s is newer than %s; ignored",
                                 version, STATE_VERSION)
            return
        data = self.ctx.state()
        self._loading = True
        try:
            self.set_sites(sites_from_state(data), save=False)
            settings = data.get("settings") or {}
            for key, value in settings.items():
                if key in self.form.widgets and key not in ("terrain", "buildings"):
                    self.form.set_value(key, value)
        finally:
            self._loading = False
        self.refresh_markers()

    def _restore_layout(self, data: Any) -> None:
        if isinstance(data, dict) and isinstance(data.get("tab"), int):
            self.tabs.setCurrentIndex(data["tab"])

    # --- the coverage run -----------------------------------------------------------------
    def coverage_params(self) -> dict[str, Any]:
        """The raw values for the run: the form's, the sites of the table."""
        sites = self.sites()
        if not sites:
            raise ValueError(self.tr("Add sites first (from a layer or by clicking)."))
        return dict(self.form.values(), sites_json=json.dumps(sites))

    def run_coverage(self):
        """Start a coverage run (a task of the host); None when it cannot start."""
        if self.running:
            return None
        try:
            values = self.coverage_params()
            self.task = self.gui.run(self.algorithm, values,
                                     on_finished=self._on_finished, on_failed=self._on_failed,
                                     on_progress=self._on_progress,
                                     on_cancelled=self._on_cancelled)
        except ValueError as exc:  # ParameterError is a ValueError
            self._say(str(exc))
            return None
        self._params = values
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setValue(0)
        self._say(self.tr("Running coverage…"))
        return self.task

    @property
    def running(self) -> bool:
        return self.task is not None and self.task.running

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self._say(self.tr("Cancelling…"))

    def _idle(self) -> None:
        self.task = None
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def _on_progress(self, fraction: float) -> None:
        self.progress.setValue(int(100 * fraction))

    def _on_cancelled(self) -> None:
        self._idle()
        self._say(self.tr("Cancelled."))

    def _on_failed(self, message: str) -> None:
        self._idle()
        self._say(self.tr("Coverage failed: {0}").format(message))

    def _on_finished(self, outputs: dict[str, Any]) -> None:
        self._idle()
        self.progress.setValue(100)
        self.show_results(outputs, self._params)
        total = outputs["area_share_covered"]
        self._say(self.tr("Done: {0:.1f} % of the area above the threshold.").format(
            100 * total))

    # --- results ----------------------------------------------------------------------------
    def show_results(self, outputs: dict[str, Any], params: dict[str, Any]) -> None:
        self.clear_results(keep_plots=False)
        self.last_outputs = outputs
        overlay = outputs["rsrp_overlay"]
        overlay.name = self.tr("RSRP coverage")
        overlay.style = overlay.style.with_(fixed_classes=rsrp_value_classes(self.class_labels))
        self.overlay_layer = self.gui.show_generated_layer(overlay, replaces=self.overlay_layer)
        self.show_histograms()
        self._fill_table(self.stats_table, outputs["statistics"])
        if params.get("facades"):
            self.colour_buildings(params["buildings"], outputs["buildings"])
        self.tabs.setCurrentIndex(1)

    def show_histograms(self) -> None:
        if self.last_outputs is None:
            self.hist_curve.setData([], [])
            self.cdf_curve.setData([], [])
            return
        quantity = self.quantity_combo.currentData()
        table = self.last_outputs["histograms"].columns
        pick = [i for i, q in enumerate(table["quantity"]) if q == quantity]
        lower = np.array([table["lower"][i] for i in pick], float)
        upper = np.array([table["upper"][i] for i in pick], float)
        counts = np.array([table["count"][i] for i in pick], float)
        cdf = np.array([table["cdf"][i] for i in pick], float)
        if len(pick):
            self.hist_curve.setData(np.append(lower, upper[-1]), counts)
            self.cdf_curve.setData(upper, cdf)
        unit = self.tr("RSRP (dBm)") if quantity == "rsrp_dbm" else self.tr("SINR (dB)")
        self.hist_plot.setLabel("bottom", unit)
        self.cdf_plot.setLabel("bottom", unit)

    def column_title(self, name: str) -> str:
        """A readable, translated header for a result column (the raw name otherwise)."""
        titles = {
            "site": self.tr("Site"),
            "receivers_in_radius": self.tr("Receivers in reach"),
            "los_share": self.tr("Line of sight"),
            "area_share_above_threshold": self.tr("Area above threshold"),
            "area_share_served": self.tr("Area served"),
            "served_area_m2": self.tr("Served area (m²)"),
            "buildings_served": self.tr("Buildings served"),
            "building_share_served": self.tr("Building share served"),
            "receivers": self.tr("Receivers"), "area_m2": self.tr("Area (m²)"),
            "area_share_sinr_above_threshold": self.tr("Area with good SINR"),
            "buildings": self.tr("Buildings"),
            "building_share_covered": self.tr("Building share covered"),
            "median_rsrp_dbm": self.tr("Median RSRP (dBm)"),
            "median_sinr_db": self.tr("Median SINR (dB)"),
        }
        return titles.get(name, name.replace("_", " "))

    def _fill_table(self, widget: QTableWidget, table) -> None:
        columns = table.columns
        names = list(columns)
        rows = len(next(iter(columns.values()))) if columns else 0
        widget.clear()
        widget.setColumnCount(len(names))
        widget.setRowCount(rows)
        widget.setHorizontalHeaderLabels([self.column_title(n) for n in names])
        for c, name in enumerate(names):
            for r, value in enumerate(columns[name]):
                if value is None or (isinstance(value, float) and not np.isfinite(value)):
                    text = "—"  # not defined for this row (the total has no site name)
                elif isinstance(value, float):
                    text = f"{value:.3f}"
                else:
                    text = str(value)
                if name == "site" and value == "total":
                    text = self.tr("Total")
                widget.setItem(r, c, QTableWidgetItem(text))
        widget.resizeColumnsToContents()

    def rsrp_classes(self) -> list[ValueClass]:
        """The legend's RSRP classes (ascending), with "no signal" as a class of its own
        for buildings below every class (no site reaches them)."""
        return [ValueClass(float("-inf"), NO_SIGNAL_RGB, self.tr("No signal")),
                *rsrp_value_classes(self.class_labels)]

    def colour_buildings(self, layer: CityModelLayer, table) -> None:
        """Façade RSRP and covered share per building; the buildings coloured by RSRP in
        the classes of the overlay's legend."""
        cols = table.columns
        index = np.asarray(cols["object_index"], np.int64)
        if self.styled_layer is not None and self.styled_layer is not layer:
            self.gui.restore_style(self.styled_layer, FACADE_RSRP, COVERED_SHARE)
        self.styled_layer = layer
        layer.set_object_values(COVERED_SHARE, dict(zip(
            index.tolist(), np.asarray(cols["covered_share"], float).tolist(), strict=True)))
        self.gui.colour_by_values(layer, FACADE_RSRP, dict(zip(
            index.tolist(), np.asarray(cols["mean_indoor_rsrp_dbm"], float).tolist(),
            strict=True)), fixed_classes=self.rsrp_classes())

    def clear_results(self, keep_plots: bool = False) -> None:
        """Remove the overlay, the building attributes and restore the buildings' style."""
        self.gui.remove_generated_layer(self.overlay_layer)
        self.overlay_layer = None
        if self.styled_layer is not None:
            self.gui.restore_style(self.styled_layer, FACADE_RSRP, COVERED_SHARE)
        self.styled_layer = None
        if not keep_plots:
            self.last_outputs = None
            self.show_histograms()
            self.stats_table.clear()
            self.stats_table.setRowCount(0)
            self.stats_table.setColumnCount(0)

    # --- the link budget ---------------------------------------------------------------------
    def update_link(self) -> LinkResult | None:
        if len(self.link_points) < 2:
            return None
        terrain, buildings = self.terrain_layer(), self.buildings_layer()
        tx, rx = self.link_points[0], self.link_points[1]
        try:
            result = link_all_models(
                tx[:2], rx[:2], frequency_ghz=self.link_freq.value(),
                tx_height_m=self.link_tx_h.value(), rx_height_m=self.link_rx_h.value(),
                eirp_dbm=self.link_eirp.value(),
                terrain=None if terrain is None else terrain.grid,
                buildings=None if buildings is None else buildings.model.mesh_for_lod(
                    buildings.lod),
                crs=self.project.crs)
        except ValueError as exc:
            self._say(str(exc))
            return None
        self.link_result = result
        model = self.link_model.currentData()
        chosen = result.by_model[model]
        state = self.tr("LOS") if result.los else self.tr("NLOS")
        self.link_label.setText(self.tr(
            "Distance {0:.1f} m, {1}. {2}: path loss {3:.1f} dB, received power {4:.1f} dBm."
        ).format(result.distance_m, state, self._model_label(model), chosen["path_loss_db"],
                 chosen["received_power_dbm"]))
        prof = result.profile
        d = np.asarray(prof["distance_m"])
        self.surface_curve.setData(d, np.asarray(prof["surface_m"]))
        self.ground_curve.setData(d, np.asarray(prof["ground_m"]))
        colour = (30, 160, 60) if result.los else (210, 40, 40)
        self.ray_curve.setPen(pg.mkPen(colour, width=2))
        self.ray_curve.setData(d, np.asarray(prof["ray_m"]))
        bold = QFont()
        bold.setBold(True)
        for row, key in enumerate(MODELS):
            values = result.by_model[key]
            for col, value in ((1, values["path_loss_db"]), (2, values["received_power_dbm"])):
                item = QTableWidgetItem(f"{value:.1f}")
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if values["warnings"]:
                    item.setForeground(QColor(160, 100, 0))
                    item.setToolTip("\n".join(values["warnings"]))
                self.link_table.setItem(row, col, item)
            for col in range(3):
                item = self.link_table.item(row, col)
                if item is not None:
                    item.setFont(bold if key == model else QFont())
        return result


def _disconnect(connections: list) -> None:
    for signal, slot in connections:
        with contextlib.suppress(RuntimeError, ValueError, TypeError):
            signal.disconnect(slot)
