"""The "Smart poles" dock in the real main window with the demo city."""

from __future__ import annotations

import pytest

from cimviewer.testing import show_plugin_dock

pytestmark = pytest.mark.gui


def show_dock(window):
    return show_plugin_dock(window, "pole_siting")


def test_plan_in_the_window(cim_demo_window, qtbot, demo_area):
    window = cim_demo_window
    dock = show_dock(window)
    values = dock.form.values()
    names = {k: getattr(values.get(k), "name", None) for k in ("roads", "poles", "buildings")}
    assert names == {"roads": "Roads", "poles": "Poles", "buildings": "Buildings"}
    assert values.get("hotspots") is None and values.get("exclusion") is None
    dock.form.set_value("area", demo_area)
    dock.form.set_value("time_limit_s", 30)
    n_layers = len(window.project.layers)
    dock.run_button.click()
    assert dock.task is not None, dock.status.text()
    qtbot.waitUntil(lambda: dock.task is None, timeout=60000)
    assert dock.outputs is not None, dock.status.text()
    assert dock.outputs["optimal"] is True
    # the pole layer is in the project, coloured by status; the buildings by 5G cells
    assert len(window.project.layers) == n_layers + 1
    assert dock.layer in list(window.project.layers)
    assert dock.layer.style.mode == "categorical" and dock.layer.style.attribute == "status"
    buildings = next(la for la in window.project.layers if la.name == "Buildings")
    assert buildings.style.mode == "graduated"
    assert buildings.style.attribute == "pole_5g_cells"
    covered = [a.get("pole_5g_cells", 0) for a in buildings.model.objects.attributes]
    assert sum(1 for c in covered if c and c > 0) > 50
    # only the planning area's buildings have a value: the plan says nothing of the rest
    valued = [a.get("pole_5g_cells") is not None for a in buildings.model.objects.attributes]
    assert 50 < sum(valued) < len(valued) / 2
    # the plan is the current layer (the view and the Legend panel show its legend)
    assert window.layer_panel.current_layer() is dock.layer
    assert dock.layer.name == "Smart poles"
    # the summary and the requirements tables
    assert dock.summary.rowCount() == 15
    assert dock.summary.item(5, 1).text() == str(dock.outputs["smart_poles"])
    # the chosen 5G cells' RSRP and SINR, recomputed after solving
    rows = {dock.summary.item(r, 0).text(): dock.summary.item(r, 1).text()
            for r in range(dock.summary.rowCount())}
    assert rows["Median SINR (dB)"] == f"{dock.outputs['sinr_median_db']:,.2f}"
    assert rows["SINR 5th percentile (dB)"] == f"{dock.outputs['sinr_p5_db']:,.2f}"
    assert rows["5G demand above the RSRP threshold"].endswith("%")
    assert dock.requirements.rowCount() == 9
    # the report as a PDF in the project's data folder
    written = dock.export_pdf()
    assert written is not None, dock.status.text()
    assert written.path.read_bytes().startswith(b"%PDF")
    # a scenario goes into the plugin's project state and comes back
    name = dock.save_scenario()
    state = window.project.plugin_state["pole_siting"]
    assert state["version"] == 1
    saved = state["data"]["scenarios"][name]
    assert saved["values"]["roads"] == "Roads" and saved["values"]["area"]
    assert saved["summary"]["smart_poles"] == dock.outputs["smart_poles"]
    dock.form.set_value("time_limit_s", 5)
    dock.scenario_combo.setCurrentText(name)
    dock.load_scenario()
    assert dock.form.values()["time_limit_s"] == 30
    dock.clear()
    assert len(window.project.layers) == n_layers
    assert buildings.style.attribute != "pole_5g_cells"
