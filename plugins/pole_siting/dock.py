"""The "Smart poles" dock: the plan's form, a run as a task of the host, the pole layer
added as a result, buildings coloured by the number of 5G cells that reach them, and a
summary table. Saved scenarios live in the plugin's project state.

Imported only when the dock is shown; a thin client of ``ctx.gui``.
"""

from __future__ import annotations

import contextlib
from typing import Any

import numpy as np
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cimviewer.api import CityModelLayer, LayerStyle, PluginContext, VectorLayer, validate

STATE_VERSION = 1
#: form values a scenario keeps (layers are kept by name)
SCENARIO_KEYS = ("objective", "coverage_5g", "rsrp_threshold_dbm", "eirp_dbm",
                 "merge_tolerance_m", "time_limit_s", "area")
LAYER_KEYS = ("roads", "poles", "buildings", "terrain", "hotspots", "exclusion")


def make_panel(ctx: PluginContext) -> QWidget:
    return PoleDock(ctx)


class PoleDock(QWidget):
    def __init__(self, ctx: PluginContext) -> None:
        super().__init__()
        self.setObjectName("pole_siting_dock")
        self.ctx, self.gui = ctx, ctx.gui
        self.algorithm = self.gui.algorithm("plan")
        self.form = self.gui.parameter_form(self.algorithm, self,
                                            exclude=("requirements", "catalogue",
                                                     "lighting_rules", "pdf_report"))
        self.run_button = QPushButton(self.tr("Plan smart poles"), self)
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.pdf_button = QPushButton(self.tr("Export PDF"), self)
        self.pdf_button.setEnabled(False)
        self.pdf_button.clicked.connect(self.export_pdf)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.pdf_button)
        self.scenario_combo = QComboBox(self)
        self.save_button = QPushButton(self.tr("Save scenario"), self)
        self.save_button.clicked.connect(self.save_scenario)
        self.load_button = QPushButton(self.tr("Load"), self)
        self.load_button.clicked.connect(self.load_scenario)
        scenarios = QHBoxLayout()
        scenarios.addWidget(QLabel(self.tr("Scenario"), self))
        scenarios.addWidget(self.scenario_combo, 1)
        scenarios.addWidget(self.save_button)
        scenarios.addWidget(self.load_button)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.summary = QTableWidget(0, 2, self)
        self.summary.setHorizontalHeaderLabels([self.tr("Figure"), self.tr("Value")])
        self.summary.horizontalHeader().setStretchLastSection(True)
        self.requirements = QTableWidget(0, 4, self)
        self.requirements.setHorizontalHeaderLabels(
            [self.tr("Equipment"), self.tr("Demand"), self.tr("Covered"), self.tr("Poles")])
        self.requirements.horizontalHeader().setStretchLastSection(True)
        box = QVBoxLayout(self)
        box.addWidget(self.form)
        box.addLayout(scenarios)
        box.addLayout(buttons)
        box.addWidget(self.status)
        box.addWidget(self.summary, 1)
        box.addWidget(self.requirements, 1)
        self.task: Any = None
        self.run_area: list[tuple[float, float]] | None = None
        self.layer: VectorLayer | None = None
        self.coloured: CityModelLayer | None = None
        self.outputs: dict[str, Any] | None = None
        self.gui.project_replaced.connect(self.reload)
        self.reload()

    # --- state ---------------------------------------------------------------------
    def _state(self) -> dict[str, Any]:
        state = self.ctx.state() or {}
        return state if isinstance(state, dict) else {}

    def reload(self) -> None:
        self.scenario_combo.clear()
        for name in sorted(self._state().get("scenarios", {})):
            self.scenario_combo.addItem(name)
        self._default_layers()

    def _default_layers(self) -> None:
        """Pick the demo-like layers by what they hold (names depend on the language)
        when the form has none chosen: roads (lines with a road class), poles (points
        with pole ids), the first city model and terrain."""
        def columns(layer: Any) -> Any:
            return getattr(getattr(layer, "data", None), "columns", {})

        def kind(layer: Any) -> str:
            return getattr(getattr(layer, "data", None), "kind", "")

        tests = {
            "roads": lambda la: kind(la) == "line" and "class" in columns(la),
            "poles": lambda la: kind(la) == "point" and "pole_id" in columns(la),
            "buildings": lambda la: la.kind == "citymodel",
            "terrain": lambda la: la.kind == "terrain",
        }
        values = self.form.values()
        for key, test in tests.items():
            match = next((la for la in self.ctx.project.layers if test(la)), None)
            if values.get(key) is None and match is not None:
                with contextlib.suppress(KeyError, ValueError, TypeError):
                    self.form.set_value(key, match)

    def scenario_values(self) -> dict[str, Any]:
        values = self.form.values()
        out = {k: values.get(k) for k in SCENARIO_KEYS if values.get(k) is not None}
        for key in LAYER_KEYS:
            layer = values.get(key)
            if layer is not None:
                out[key] = layer.name
        return out

    def save_scenario(self, name: str | None = None) -> str:
        state = self._state()
        scenarios = dict(state.get("scenarios", {}))
        name = name or self.tr("Scenario {0}").format(len(scenarios) + 1)
        scenarios[name] = {"values": self.scenario_values(),
                           "summary": self._summary_numbers()}
        self.ctx.set_state({**state, "scenarios": scenarios})
        self.reload()
        self.scenario_combo.setCurrentText(name)
        return name

    def load_scenario(self) -> None:
        name = self.scenario_combo.currentText()
        data = self._state().get("scenarios", {}).get(name)
        if not data:
            return
        layers = {layer.name: layer for layer in self.ctx.project.layers}
        for key, value in data.get("values", {}).items():
            try:
                self.form.set_value(key, layers.get(value, value) if key in LAYER_KEYS
                                    else value)
            except (KeyError, ValueError, TypeError):
                continue

    # --- running -------------------------------------------------------------------
    def run(self) -> None:
        values = self.form.values()
        try:
            self.task = self.gui.run(self.algorithm, values,
                                     on_finished=self.done, on_failed=self.failed,
                                     on_cancelled=self.cancelled)
            # the planning area of this run (checked), for colouring its buildings
            self.run_area = validate(self.algorithm, values).get("area")
        except ValueError as exc:  # a ParameterError
            self.status.setText(str(exc))
            return
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.status.setText(self.tr("Planning…"))

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
        self.status.setText(self.tr("Cancelled"))

    def done(self, outputs: dict[str, Any]) -> None:
        self._idle()
        self.outputs = outputs
        layer = outputs["plan"]
        layer.name = self.tr("Smart poles")
        layer.style = _status_style(layer, {
            "status": self.tr("Status"), "new": self.tr("New poles"),
            "merged": self.tr("Existing poles merged (reused in place)"),
            "reused": self.tr("Existing poles kept")})
        self.gui.show_generated_layer(layer, replaces=self.layer)
        self.layer = layer
        self._colour_buildings(outputs)
        # the plan in view with its legend: the pole layer current, the area framed
        self.gui.set_current_layer(layer)
        if layer.data.n_features:
            lo = layer.data.vertices.min(axis=0)
            hi = layer.data.vertices.max(axis=0)
            self.gui.fly_to_bbox(np.concatenate([lo, hi]))
        self._fill_tables(outputs)
        self.pdf_button.setEnabled(True)
        if outputs["optimal"]:
            self.status.setText(self.tr("Proven optimal: {0} smart poles.").format(
                outputs["smart_poles"]))
        else:
            self.status.setText(self.tr("Best plan within the time limit: gap {0:.1%}.")
                                .format(outputs["gap"]))

    def export_pdf(self) -> Any:
        """The last plan's report as a PDF in the project's data folder."""
        if not self.outputs:
            return None
        from pole_siting.plan import write_pdf

        try:
            path = self.ctx.result_path("smart_pole_plan.pdf")
            written = write_pdf(path, self.outputs["report"].text, self.outputs["bill"],
                                self.outputs["requirements_met"])
        except Exception as exc:  # no data folder, unwritable file: say so, stay up
            self.status.setText(self.tr("PDF not written: {0}").format(exc))
            return None
        text = self.tr("PDF written: {0}").format(written.path)
        if written.warnings:
            text += "\n" + "\n".join(written.warnings)
        self.status.setText(text)
        return written

    def _colour_buildings(self, outputs: dict[str, Any]) -> None:
        values = self.form.values()
        buildings = values.get("buildings")
        if not isinstance(buildings, CityModelLayer):
            return
        from pole_siting.inputs import building_points
        from pole_siting.plan import _inside

        xy, _attrs, has = building_points(buildings, with_ids=True)
        # only the buildings of the planning area: the plan says nothing of the others,
        # which keep no value (not "no 5G cell")
        inside = _inside(xy, self.run_area)
        xy, has = xy[inside], has[inside]
        cols = self.layer.data.columns if self.layer is not None else {}
        poles = self.layer.data.vertices[:, :2] if self.layer is not None else np.zeros((0, 2))
        cells = np.array(cols.get("has_small_cell_5g", [0] * len(poles)), bool)
        from scipy.spatial import cKDTree

        from pole_siting.equipment import load_json

        reqs = load_json(None, "requirements.json").get("requirements", [])
        radius = max((float(r["radius_m"]) for r in reqs
                      if r.get("equipment") == "small_cell_5g"), default=120.0)
        counts = np.zeros(len(xy), int)
        if cells.any():
            near = cKDTree(poles[cells]).query_ball_point(xy, radius, return_length=True)
            counts = np.asarray(near, int)
        self.gui.colour_by_values(buildings, "pole_5g_cells",
                                  {int(i): float(c) for i, c in zip(has, counts, strict=True)})
        self.coloured = buildings

    def _summary_numbers(self) -> dict[str, Any]:
        if not self.outputs:
            return {}
        keys = ("poles", "new_poles", "merged_poles", "kept_poles", "removed_poles",
                "smart_poles", "total_cost_cny", "total_power_kw", "optimal", "gap",
                "solve_seconds", "rsrp_share_above", "rsrp_median_dbm", "sinr_median_db",
                "sinr_p5_db")
        return {k: self.outputs.get(k) for k in keys
                if self.outputs.get(k) is not None or not k.startswith(("rsrp", "sinr"))}

    def _fill_tables(self, outputs: dict[str, Any]) -> None:
        labels = {"poles": self.tr("Poles"), "new_poles": self.tr("New poles"),
                  "merged_poles": self.tr("Existing poles merged"),
                  "kept_poles": self.tr("Existing poles kept"),
                  "removed_poles": self.tr("Existing poles removed"),
                  "smart_poles": self.tr("Smart poles"),
                  "total_cost_cny": self.tr("Total cost (CNY)"),
                  "total_power_kw": self.tr("Total power (kW)"),
                  "optimal": self.tr("Proven optimal"), "gap": self.tr("Gap"),
                  "solve_seconds": self.tr("Solve time (s)"),
                  "rsrp_share_above": self.tr("5G demand above the RSRP threshold"),
                  "rsrp_median_dbm": self.tr("Median RSRP (dBm)"),
                  "sinr_median_db": self.tr("Median SINR (dB)"),
                  "sinr_p5_db": self.tr("SINR 5th percentile (dB)")}
        numbers = self._summary_numbers()
        self.summary.setRowCount(len(numbers))
        for row, (key, value) in enumerate(numbers.items()):
            if isinstance(value, bool):
                text = self.tr("yes") if value else self.tr("no")
            elif key == "rsrp_share_above":
                text = f"{value:.1%}"
            elif isinstance(value, float):
                text = f"{value:,.2f}"
            else:
                text = f"{value:,}" if isinstance(value, int) else str(value)
            self.summary.setItem(row, 0, QTableWidgetItem(labels.get(key, key)))
            self.summary.setItem(row, 1, QTableWidgetItem(text))
        met = outputs["requirements_met"].columns
        n = len(met.get("equipment", []))
        self.requirements.setRowCount(n)
        for row in range(n):
            cells = [met["equipment"][row], f"{met['demand'][row]} ({met['points'][row]})",
                     f"{met['covered_share'][row]:.1%}", str(met["poles"][row])]
            for col, text in enumerate(cells):
                self.requirements.setItem(row, col, QTableWidgetItem(text))

    def clear(self) -> None:
        if self.layer is not None:
            self.gui.remove_generated_layer(self.layer)
            self.layer = None
        if self.coloured is not None:
            self.gui.restore_style(self.coloured, "pole_5g_cells")
            self.coloured = None


def _status_style(layer: VectorLayer, labels: dict[str, str]) -> LayerStyle:
    """Poles coloured by status: new, merged (existing reused in place), kept; the
    legend says so in the user's language (the layer keeps the codes)."""
    return LayerStyle(mode="categorical", attribute="status",
                      value_labels=tuple(labels.items()),
                      attribute_label=labels["status"])
