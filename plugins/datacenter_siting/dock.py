"""The "Data-center siting" dock: criteria table (direction, standardisation, weight),
AHP matrix with its consistency ratio, the rank algorithm's form, a run as a task of the
host, the ranked table with each criterion's contribution, charts, the site layer
styled by score, and the PDF report.

Imported only when the dock is shown; a thin client of ``ctx.gui``."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cimviewer.api import (
    LayerStyle,
    PluginContext,
    RasterLayer,
    TerrainLayer,
    VectorLayer,
    validate,
)
from datacenter_siting.dock_charts import Charts
from datacenter_siting.dock_tables import AhpTable, CriteriaTable, cr_text

STATE_VERSION = 1
#: the demo city: fibre nodes ranked as edge sites, with the substations' capacity
DEMO_CRITERIA = [
    {"name": "ports_free", "unit": "ports", "direction": "benefit", "weight": 2},
    {"name": "substation_m", "unit": "m", "direction": "cost", "weight": 2},
    {"name": "substation_capacity", "unit": "kVA", "direction": "benefit", "weight": 1},
]
NATIONAL_CRITERIA = [
    {"name": "pue_est", "unit": "", "direction": "cost"},
    {"name": "price_cny_kwh", "unit": "CNY/kWh", "direction": "cost"},
    {"name": "latency_ms", "unit": "ms", "direction": "cost"},
    {"name": "water_stress", "unit": "0-4", "direction": "cost"},
]
FORM_EXCLUDE = ("criteria", "weights", "ahp_matrix", "pdf_report", "report_language")
SCORE = "dc_score"


def make_panel(ctx: PluginContext) -> QWidget:
    return SitingDock(ctx)


class SitingDock(QWidget):
    def __init__(self, ctx: PluginContext) -> None:
        super().__init__()
        self.setObjectName("datacenter_siting_dock")
        self.ctx, self.gui = ctx, ctx.gui
        texts = self.gui.texts()
        self.texts = texts
        self.t = lambda text: texts.get(text, text)
        t = self.t
        self.algorithm = self.gui.algorithm("rank")
        self.form = self.gui.parameter_form(self.algorithm, self, exclude=FORM_EXCLUDE)
        self.criteria_table = CriteriaTable(t, self)
        self.fill_button = QPushButton(t("Criteria from the sites' columns"), self)
        self.fill_button.clicked.connect(self.fill_from_sites)
        self.use_ahp = QCheckBox(t("Weights from the AHP pairwise matrix"), self)
        self.ahp_table = AhpTable(self)
        self.ahp_label = QLabel(self)
        self.ahp_label.setWordWrap(True)
        self.criteria_table.edited.connect(self._criteria_edited)
        self.ahp_table.changed.connect(self._ahp_changed)
        self.use_ahp.toggled.connect(self._ahp_changed)

        self.run_button = QPushButton(t("Rank sites"), self)
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton(t("Cancel"), self)
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.pdf_button = QPushButton(t("Export PDF"), self)
        self.pdf_button.setEnabled(False)
        self.pdf_button.clicked.connect(self.export_pdf)
        self.status = QLabel(self)
        self.status.setWordWrap(True)

        self.results = QTableWidget(0, 0, self)
        self.stability_table = QTableWidget(0, 0, self)
        self.charts = Charts(self, t)
        self.suitability_button = QPushButton(t("Suitability raster"), self)
        self.suitability_button.setToolTip(t("Score every cell of a grid over the terrain"))
        self.suitability_button.clicked.connect(self.run_suitability)
        self.national_button = QPushButton(t("National example (东数西算)"), self)
        self.national_button.clicked.connect(self.load_national)
        self.edge_button = QPushButton(t("Edge sites"), self)
        self.edge_button.setToolTip(t("p-median: N sites, least demand-weighted latency"))
        self.edge_button.clicked.connect(lambda: self.run_edge())

        setup = QWidget(self)
        box = QVBoxLayout(setup)
        box.addWidget(self.form)
        box.addWidget(QLabel(t("Criteria"), setup))
        box.addWidget(self.criteria_table, 1)
        box.addWidget(self.fill_button)
        box.addWidget(self.use_ahp)
        box.addWidget(self.ahp_table, 1)
        box.addWidget(self.ahp_label)
        results = QWidget(self)
        rbox = QVBoxLayout(results)
        rbox.addWidget(self.results, 2)
        rbox.addWidget(QLabel(t("Rank stability"), results))
        rbox.addWidget(self.stability_table, 1)
        charts = QWidget(self)
        cbox = QVBoxLayout(charts)
        for plot in self.charts.widgets():
            cbox.addWidget(plot, 1)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(setup, t("Criteria"))
        self.tabs.addTab(results, t("Results"))
        self.tabs.addTab(charts, t("Charts"))
        buttons = QHBoxLayout()
        for button in (self.run_button, self.cancel_button, self.pdf_button):
            buttons.addWidget(button)
        more = QHBoxLayout()
        for button in (self.national_button, self.suitability_button, self.edge_button):
            more.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        layout.addLayout(more)
        layout.addWidget(self.status)

        self.task: Any = None
        self.layer: VectorLayer | None = None
        self.overlay: RasterLayer | None = None
        self.suitability: dict[str, Any] | None = None
        self.edge_layer: VectorLayer | None = None
        self.edge: dict[str, Any] | None = None
        self.outputs: dict[str, Any] | None = None
        self.gui.project_replaced.connect(self.reload)
        self.reload()

    # --- state -----------------------------------------------------------------------
    def _state(self) -> dict[str, Any]:
        state = self.ctx.state() or {}
        return state if isinstance(state, dict) else {}

    def reload(self) -> None:
        state = self._state()
        self._default_layers()
        rows = state.get("criteria") or DEMO_CRITERIA
        self.criteria_table.set_rows(rows)
        matrix = state.get("ahp_matrix")
        self.ahp_table.set_names([r["name"] for r in rows],
                                 np.array(matrix, float) if matrix else None)
        self.use_ahp.setChecked(bool(state.get("use_ahp", False)))
        self._ahp_changed()

    def _default_layers(self) -> None:
        layers = {layer.name: layer for layer in self.ctx.project.layers}
        values = self.form.values()
        defaults = {"site_layer": layers.get("Fibre nodes"),
                    "substations": layers.get("Substations")}
        for key, layer in defaults.items():
            if values.get(key) is None and layer is not None:
                self.form.set_value(key, layer)
        if defaults["substations"] is not None and not values.get("capacity_field"):
            self.form.set_value("capacity_field", "capacity_kva")
        if defaults["site_layer"] is not None and not values.get("constraints"):
            self.form.set_value("constraints", "ports_free>=20")

    def load_national(self) -> None:
        """The national example: the 东数西算 clusters and eastern demand centres, PUE from
        climate normals under the policy caps, latency to the demand centres, AHP weights
        from the shipped matrix."""
        from datacenter_siting.ahp import read_matrix

        data = Path(__file__).resolve().parent / "data"
        for key, value in (("sites", data / "national_sites.csv"),
                           ("demand", data / "national_demand.csv"), ("site_layer", None),
                           ("substations", None), ("capacity_field", ""),
                           ("constraints", "pue_est<=pue_cap")):
            self.form.set_value(key, value)
        self.criteria_table.set_rows(NATIONAL_CRITERIA)
        self.ahp_table.set_names([r["name"] for r in NATIONAL_CRITERIA],
                                 read_matrix(data / "national_ahp.csv"))
        self.use_ahp.setChecked(True)
        self._ahp_changed()
        self.tabs.setCurrentIndex(0)

    def save_state(self) -> None:
        self.ctx.set_state({"criteria": self.criteria_table.rows(),
                            "ahp_matrix": np.nan_to_num(self.ahp_table.matrix(),
                                                        nan=1.0).tolist(),
                            "use_ahp": self.use_ahp.isChecked()})

    # --- criteria and AHP --------------------------------------------------------------
    def fill_from_sites(self) -> None:
        """One row per numeric column of the sites (derived columns included)."""
        from datacenter_siting.rank_job import candidate_columns

        try:
            values = validate(self.algorithm, {**self.form.values(),
                                               "criteria": self.criteria_table.spec()})
            names = candidate_columns(values)
        except Exception as exc:  # a missing file or layer: say so, stay up
            self.status.setText(str(exc))
            return
        old = {r["name"]: r for r in self.criteria_table.rows()}
        self.criteria_table.set_rows([old.get(n, {"name": n, "weight": 1}) for n in names])

    def _criteria_edited(self) -> None:
        names = [r["name"] for r in self.criteria_table.rows()]
        if names != self.ahp_table.names:
            self.ahp_table.set_names(names)

    def _ahp_changed(self) -> None:
        use = self.use_ahp.isChecked()
        self.ahp_table.setEnabled(use)
        self.ahp_label.setVisible(use)
        if not use:
            return
        result = self.ahp_table.result()
        text, warn = cr_text(result, self.ahp_table.names, self.t)
        self.ahp_label.setText(text)
        self.ahp_label.setStyleSheet("color: #b00020;" if warn else "")
        if not isinstance(result, str):
            self.criteria_table.show_weights(result.weights, editable=False)

    # --- running -----------------------------------------------------------------------
    def run_values(self) -> dict[str, Any]:
        values = dict(self.form.values())
        values["criteria"] = self.criteria_table.spec()
        values["report_language"] = "zh_CN" if self.texts else "en"
        if self.use_ahp.isChecked():
            values["ahp_matrix"] = str(self._write_matrix())
        else:
            values["weights"] = self.criteria_table.weights_text()
        return values

    def _write_matrix(self) -> Path:
        try:
            path = self.ctx.result_path("ahp_matrix.csv")
        except Exception:  # no data folder: a temporary file
            path = Path(tempfile.mkdtemp(prefix="dc_ahp_")) / "ahp_matrix.csv"
        path.write_text(self.ahp_table.csv_text(), encoding="utf-8")
        return path

    def run(self) -> None:
        self.save_state()
        try:
            self.task = self.gui.run(self.algorithm, self.run_values(), on_finished=self.done,
                                     on_failed=self.failed, on_cancelled=self.cancelled)
        except ValueError as exc:  # a ParameterError
            self.status.setText(str(exc))
            return
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.status.setText(self.t("Ranking…"))

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _idle(self) -> None:
        self.task = None
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def failed(self, message: str) -> None:
        self._idle()
        self.status.setText(message)

    def cancelled(self) -> None:
        self._idle()
        self.status.setText(self.t("Cancelled"))

    def done(self, outputs: dict[str, Any]) -> None:
        self._idle()
        self.outputs = outputs
        self._fill_results(outputs)
        names = [c.name for c in self.criteria_table.criteria()]
        self.charts.show(names, outputs["weights"], outputs["table"].columns,
                         outputs["stability"].columns)
        layer = outputs.get("scored_sites")
        project_crs = self.ctx.project.crs
        other_crs = (layer is not None and project_crs is not None and layer.crs is not None
                     and str(layer.crs) != str(project_crs))
        if other_crs:  # e.g. the national example (lon/lat) over the demo city
            layer = None
            if self.layer is not None:  # the old sites no longer match the table
                self.gui.remove_generated_layer(self.layer)
                self.layer = None
        if layer is not None:
            layer.name = self.t("Data-center sites by score")
            layer.style = LayerStyle(mode="graduated", attribute=SCORE, colormap="rdylgn",
                                     classes=5, classification="equal_interval")
            self.gui.show_generated_layer(layer, replaces=self.layer)
            self.layer = layer
        self.pdf_button.setEnabled(True)
        best = next((r for r in outputs["ranking"] if r["rank"] == 1), None)
        text = self.t("{0} sites ranked, {1} excluded.").format(outputs["ranked"],
                                                                outputs["excluded"])
        if best is not None:
            text += " " + self.t("Best: {0} (score {1:.3f}).").format(best["id"], best["score"])
        if outputs.get("consistency_ratio") is not None:
            text += f" CR = {outputs['consistency_ratio']:.3f}"
        if other_crs:
            text += " " + self.t("The sites are in another CRS than the project: not drawn.")
        self.status.setText(text)
        self.tabs.setCurrentIndex(1)

    def _fill_results(self, outputs: dict[str, Any]) -> None:
        cols = outputs["table"].columns
        keys = [k for k in ("rank", "id", "name", "score", "excluded_by") if k in cols]
        keys += [k for k in cols if k.startswith("c_")]
        _fill(self.results, cols, keys,
              [self.t(k) if not k.startswith("c_") else k[2:] for k in keys])
        stab = outputs["stability"].columns
        _fill(self.stability_table, stab, list(stab), [self.t(k) for k in stab])

    # --- the suitability raster ----------------------------------------------------------
    def run_suitability(self) -> None:
        """Score every cell over the project's terrain with the form's substations and the
        site layer as fibre nodes (the suitability algorithm's own defaults otherwise)."""
        terrain = next((la for la in self.ctx.project.layers if isinstance(la, TerrainLayer)),
                       None)
        if terrain is None:
            self.status.setText(self.t("The project has no terrain layer."))
            return
        values = self.form.values()
        algorithm = self.gui.algorithm("suitability")
        params = {"terrain": terrain, "substations": values.get("substations"),
                  "fibre": values.get("site_layer")}
        try:
            self.task = self.gui.run(algorithm, params, on_finished=self.suitability_done,
                                     on_failed=self.failed, on_cancelled=self.cancelled)
        except ValueError as exc:
            self.status.setText(str(exc))
            return
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)

    def suitability_done(self, outputs: dict[str, Any]) -> None:
        from datacenter_siting.grid import score_classes

        self._idle()
        self.suitability = outputs
        overlay = outputs["score"]
        overlay.name = self.t("Data-center suitability")
        overlay.style = overlay.style.with_(fixed_classes=score_classes(self.t))
        self.gui.show_generated_layer(overlay, replaces=self.overlay)
        self.overlay = overlay
        self.status.setText(self.t("{0} of {1} cells pass the constraints.").format(
            outputs["suitable_cells"], outputs["cells"]))

    def export_pdf(self) -> Any:
        """The last ranking's report as a PDF in the project's data folder."""
        if not self.outputs:
            return None
        from datacenter_siting.report import write_pdf

        try:
            path = self.ctx.result_path("datacenter_ranking.pdf")
            written = write_pdf(path, self.outputs["report"].text, self.outputs["table"],
                                self.outputs["stability"], self.t)
        except Exception as exc:  # no data folder, unwritable file: say so, stay up
            self.status.setText(self.t("PDF not written: {0}").format(exc))
            return None
        text = self.t("PDF written: {0}").format(written.path)
        if written.warnings:
            text += "\n" + "\n".join(written.warnings)
        self.status.setText(text)
        return written

    # --- edge placement ------------------------------------------------------------------
    def run_edge(self, p: int = 3) -> None:
        """p-median edge sites among the site layer's points for the project's buildings
        (the edge algorithm's defaults otherwise)."""
        values = self.form.values()
        demand = next((la for la in self.ctx.project.layers if la.kind == "citymodel"), None)
        if values.get("site_layer") is None or demand is None:
            self.status.setText(self.t("Edge sites need a site layer and buildings."))
            return
        params = {"candidates": values["site_layer"], "demand": demand, "p": p,
                  "substations": values.get("substations")}
        try:
            self.task = self.gui.run(self.gui.algorithm("edge"), params,
                                     on_finished=self.edge_done, on_failed=self.failed,
                                     on_cancelled=self.cancelled)
        except ValueError as exc:
            self.status.setText(str(exc))
            return
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)

    def edge_done(self, outputs: dict[str, Any]) -> None:
        self._idle()
        self.edge = outputs
        layer = outputs["edge_sites"]
        layer.name = self.t("Edge sites")
        columns = layer.data.columns
        columns["height_m"] = [90.0] * layer.data.n_features
        columns["radius_m"] = [10.0] * layer.data.n_features
        layer.style = LayerStyle(mode="single", color=(120, 40, 200))
        self.gui.show_generated_layer(layer, replaces=self.edge_layer)
        self.edge_layer = layer
        self.status.setText(self.t("{0} edge sites: mean latency {1:.3f} ms, largest "
                                   "{2:.3f} ms.").format(outputs["selected"],
                                                         outputs["mean_latency_ms"],
                                                         outputs["max_latency_ms"]))

    def clear(self) -> None:
        for layer in (self.layer, self.overlay, self.edge_layer):
            if layer is not None:
                self.gui.remove_generated_layer(layer)
        self.layer = self.overlay = self.edge_layer = None
        self.charts.clear()


def _fill(table: QTableWidget, columns: dict[str, list[Any]], keys: list[str],
          headers: list[str]) -> None:
    """A read-only view of table columns; floats with three decimals."""
    table.clear()
    table.setColumnCount(len(keys))
    table.setRowCount(len(next(iter(columns.values()), [])))
    table.setHorizontalHeaderLabels(headers)
    for col, key in enumerate(keys):
        for row, value in enumerate(columns[key]):
            text = ("" if value is None else f"{value:.3f}" if isinstance(value, float)
                    else str(value))
            table.setItem(row, col, QTableWidgetItem(text))
